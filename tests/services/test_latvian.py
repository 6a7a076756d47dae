"""Names in the order a Latvian reader expects."""

from __future__ import annotations

from registration.services.latvian import latvian_key, sort_people


def test_letters_with_caron_and_cedilla_are_letters_of_their_own():
    names = ["Žagata", "Ziemelis", "Čakste", "Cīrulis", "Dīķis", "Šķēle", "Sproģis", "Tālbergs"]
    assert sorted(names, key=latvian_key) == [
        "Cīrulis", "Čakste", "Dīķis", "Sproģis", "Šķēle", "Tālbergs", "Ziemelis", "Žagata",
    ]  # fmt: skip


def test_long_vowels_sort_with_their_short_letter():
    assert sorted(["Āboliņa", "Abele", "Ēķis", "Eglīte", "Ozols"], key=latvian_key) == [
        "Abele", "Āboliņa", "Eglīte", "Ēķis", "Ozols",
    ]  # fmt: skip
    # Only a tie is broken by the long vowel.
    assert sorted(["Kāla", "Kala"], key=latvian_key) == ["Kala", "Kāla"]


def test_python_alone_gets_it_wrong_which_is_why_the_key_exists():
    assert sorted(["Šķēle", "Tālbergs"]) == ["Tālbergs", "Šķēle"]
    assert sorted(["Šķēle", "Tālbergs"], key=latvian_key) == ["Šķēle", "Tālbergs"]


def test_people_by_surname_then_name():
    people = [("Ņina", "Šķēle"), ("Anna", "Šķēle"), ("Ģirts", "Kalniņš"), ("Ķirsis", "Ķiploks")]
    ordered = sort_people(people, last=lambda p: p[1], first=lambda p: p[0])
    assert ordered == [
        ("Ģirts", "Kalniņš"),
        ("Ķirsis", "Ķiploks"),
        ("Anna", "Šķēle"),
        ("Ņina", "Šķēle"),
    ]
