"""Latvian that does not assume a man: the masculine participles of the catalogues, listed.

Latvian past active participles carry the gender of whoever did the thing ("pieteicies" /
"pieteikusies", "ieradies" / "ieradusies"). The app does not know a person's gender, so text
about people is written neutrally ("Pieteikums apstiprināts", "Ir klāt", "Apliecinu, ka
izlasīju…"), or gives both forms ("pieteicies/pieteikusies") where nothing neutral reads
naturally. This test finds every word of the Latvian catalogues shaped like a masculine
participle and holds it against the list below, where each has been read and found to agree
with a thing ("Pasākums ir beidzies"), not a person. A new one fails the test until someone
has rephrased it, or added it here with the thing it agrees with.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "registration"
CATALOGUES = sorted(PACKAGE.glob("**/translations/lv/LC_MESSAGES/messages.po"))

#: Masculine endings of past active participles: -is, -ies, and the plural and case forms
#: in -uš- (-uši, -ušie, -ušies, -ušo, -ušos, -ušam, -ušiem, -ušu …).
MASCULINE = re.compile(r"(?:is|ies|uši|ušie|ušies|ušo|ušos|ušam|ušajam|ušiem|ušajiem|ušu)$")
#: Shapes that end the same way but are no participle: reflexive infinitives (pieteikties),
#: reflexive futures (sāksies) and definite adjectives (pirmais).
NOT_A_PARTICIPLE_SHAPE = re.compile(r"(?:ties|sies|ais)$")
#: Nouns, pronouns and other words that happen to end in -is or -ies.
OTHER_WORDS = {
    "janis",  # janis@example.lv, an example address
    "paldies",
    "pasažieris",
    "pārzinis",
    "serveris",
    "skaitlis",
    "tālrunis",
    "šis",
}
#: Masculine participles that agree with a masculine noun naming a thing, never a person.
ABOUT_THINGS = {
    "beidzies": "pasākums, derīguma laiks",
    "brīdis": "a noun (the moment)",
    "mēnesis": "a noun (the month)",
    "mērķis": "a noun (the goal)",
    "pavadonis": "a noun (the companion), as dalībnieks is",
    "reģistrējis": "finansētājs (an institution)",
    "solis": "a noun (a step)",
    "mainījies": "nekas",
    "noticis": "pasākums",
    "notikuši": "pasākumi",
    "notikušie": "pasākumi",
    "notikušu": "pasākumu",
    "pagājis": "sākuma laiks",
    "sācies": "pasākums",
}
#: "pieteicies/pieteikusies": a masculine form written beside its feminine one.
BOTH_FORMS = re.compile(r"(\w+)/\w+(?:usi|usies|ušas|ušās)\b")


def masculine_participles(text: str) -> set[str]:
    text = text.lower()
    paired = set(BOTH_FORMS.findall(text))
    return {
        word
        for word in re.findall(r"[^\W\d_]+", text)
        if MASCULINE.search(word)
        and not NOT_A_PARTICIPLE_SHAPE.search(word)
        and word not in OTHER_WORDS
        and word not in paired
    }


def translations() -> list[tuple[str, str, str]]:
    """(catalogue area, msgid, Latvian text) for every translated string."""
    found = []
    for path in CATALOGUES:
        area = path.parents[3].name
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                texts = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [(area, msgid, text) for text in texts if text]
    return found


def test_the_catalogues_are_found():
    assert len(CATALOGUES) >= 4
    assert len(translations()) > 300


def test_masculine_participles_are_only_the_reviewed_ones():
    seen: dict[str, list[str]] = {}
    for area, msgid, text in translations():
        for word in masculine_participles(text):
            seen.setdefault(word, []).append(f"{area}: {msgid!r} → {text!r}")
    new = {word: where for word, where in seen.items() if word not in ABOUT_THINGS}
    assert not new, (
        "Latvian text that assumes a man? Rephrase neutrally, or give both forms "
        "(pieteicies/pieteikusies); if the word agrees with a thing, add it to ABOUT_THINGS:\n"
        + "\n".join(f"{word}: {where[0]}" for word, where in sorted(new.items()))
    )
    gone = set(ABOUT_THINGS) - set(seen)
    assert not gone, f"no longer in the catalogues, take them off ABOUT_THINGS: {sorted(gone)}"


def test_the_finder_knows_a_masculine_participle():
    assert masculine_participles("Jūs esat pieteicies") == {"pieteicies"}
    assert masculine_participles("Esmu izlasījis paziņojumu") == {"izlasījis"}
    assert masculine_participles("Pievienot ieradušos") == {"ieradušos"}
    assert masculine_participles("Nav ieradusies") == set()
    assert masculine_participles("Esat pieteicies/pieteikusies") == set()
    assert masculine_participles("Pieteikties līdz pirmajam; sāksies drīz") == set()
