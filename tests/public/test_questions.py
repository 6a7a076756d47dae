"""An event's own questions on the sign-up form: each kind answered, and bad input met with a
message next to the field and nothing saved."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Answer, QuestionKind, Registration
from registration.services import answers

from ..pages import signup_form

FORM = {
    "first_name": "Ilze",
    "last_name": "Kalniņa",
    "email": "ilze@example.lv",
    "place": "Skrīveru pagasts",
    "consent": "y",
}


@pytest.fixture
def asked(make_event, make_question):
    """An event asking one question of each kind; returns (event, {kind name: question})."""
    event = make_event(capacity=10)
    q = {
        "text": make_question(event, QuestionKind.SHORT_TEXT, "Kuru NVO pārstāvat?", is_required=True),
        "long": make_question(event, QuestionKind.LONG_TEXT, "Ko vēlaties pārrunāt?"),
        "one": make_question(
            event, QuestionKind.ONE_CHOICE, "Darbnīca", choices=["Padomes", "Budžets"],
            is_required=True,
        ),
        "many": make_question(
            event, QuestionKind.SEVERAL_CHOICES, "Ēdienreizes", choices=["Kafija", "Pusdienas", "Vakariņas"]
        ),
        "yes": make_question(
            event, QuestionKind.YES_NO, "Pusdienas", is_required=True, asks_each_person=True
        ),
        "number": make_question(event, QuestionKind.NUMBER, "Cik bērnu?", min_value=0, max_value=5),
        "date": make_question(event, QuestionKind.DATE, "Ierašanās diena"),
    }  # fmt: skip
    return event, q


def field(question) -> str:
    return f"answers-q{question.id}"


def good_answers(q) -> dict:
    return {
        field(q["text"]): "Biedrība „Sēlija”",
        field(q["long"]): "Par līdzdalības budžetu",
        field(q["one"]): str(q["one"].choices[1].id),
        field(q["many"]): [str(q["many"].choices[0].id), str(q["many"].choices[1].id)],
        field(q["yes"]): "yes",
        field(q["number"]): "0",
        field(q["date"]): "24.09.2026.",
    }


def post(client, event, data):
    return client.post(
        f"/notikumi/{event.slug}", data=signup_form(client, event, **{**FORM, **data})
    )


def saved(event) -> list[Registration]:
    return list(
        db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id))
    )


def test_the_form_asks_each_question_in_order_in_the_visitors_language(client, asked):
    event, q = asked
    q["yes"].label_en = "Lunch"
    db.session.commit()
    page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    labels = ["Kuru NVO pārstāvat?", "Darbnīca", "Ēdienreizes", "Pusdienas", "Cik bērnu?"]
    assert [page.index(label) for label in labels] == sorted(page.index(label) for label in labels)
    assert 'type="checkbox"' in page and 'type="date"' in page
    client.set_cookie("lang", "en")
    assert "Lunch" in client.get(f"/notikumi/{event.slug}").get_data(as_text=True)


def test_every_kind_of_answer_is_saved(client, asked):
    event, q = asked
    assert post(client, event, good_answers(q)).status_code == 303
    [registration] = saved(event)
    assert answers.values_of(registration) == {
        q["text"].id: "Biedrība „Sēlija”",
        q["long"].id: "Par līdzdalības budžetu",
        q["one"].id: q["one"].choices[1].id,
        q["many"].id: (q["many"].choices[0].id, q["many"].choices[1].id),
        q["yes"].id: True,
        q["number"].id: 0,
        q["date"].id: date(2026, 9, 24),
    }


def test_optional_questions_may_stay_unanswered(client, asked):
    event, q = asked
    data = good_answers(q)
    for name in ("long", "many", "number", "date"):
        del data[field(q[name])]
    assert post(client, event, data).status_code == 303
    [registration] = saved(event)
    assert set(answers.values_of(registration)) == {q["text"].id, q["one"].id, q["yes"].id}


BAD = [
    ("text", "", "Lūdzu, atbildiet uz šo jautājumu."),
    ("text", "x" * 301, "ne vairāk kā 300 rakstzīmes"),
    ("long", "x" * 3001, "ne vairāk kā 3000 rakstzīmes"),
    ("one", "", "Lūdzu, izvēlieties vienu no atbilžu variantiem."),
    ("one", "999999", "no piedāvātajiem"),
    ("one", "Budžets", "no piedāvātajiem"),
    ("yes", "varbūt", "no piedāvātajiem"),
    ("yes", "", "Lūdzu, atbildiet „jā” vai „nē”."),
    ("number", "trīs", "veselu skaitli"),
    ("number", "2.5", "veselu skaitli"),
    ("number", "6", "no 0 līdz 5"),
    ("number", "-1", "no 0 līdz 5"),
    ("number", "99999999999999999999", "veselu skaitli"),
    ("date", "2026/09/24", "diena.mēnesis.gads"),
    ("date", "31.02.2026", "diena.mēnesis.gads"),
    ("date", "24.09.20266", "diena.mēnesis.gads"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_bad_answers_are_explained_next_to_the_field_and_nothing_is_saved(
    client, asked, name, value, message
):
    event, q = asked
    response = post(client, event, {**good_answers(q), field(q[name]): value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split(f'id="{field(q[name])}-error">')[1].split("</p>")[0]
    assert message in error
    assert saved(event) == []


def test_thousands_of_checkboxes_for_one_question_are_refused(client, asked):
    event, q = asked
    many = [str(q["many"].choices[0].id)] * 5000
    response = post(client, event, {**good_answers(q), field(q["many"]): many})
    assert response.status_code == 422
    assert "no piedāvātajiem" in response.get_data(as_text=True)
    foreign = [str(q["many"].choices[0].id), str(q["one"].choices[0].id)]
    response = post(client, event, {**good_answers(q), field(q["many"]): foreign})
    assert response.status_code == 422
    assert saved(event) == []


def test_a_script_is_kept_as_text_and_shown_escaped(client, asked):
    event, q = asked
    post(client, event, {**good_answers(q), field(q["text"]): "<script>alert(1)</script>"})
    [registration] = saved(event)
    assert answers.values_of(registration)[q["text"].id] == "<script>alert(1)</script>"


def test_answers_to_another_events_question_are_ignored(client, asked, make_event, make_question):
    event, q = asked
    other = make_event()
    foreign = make_question(other, QuestionKind.SHORT_TEXT, "Cits jautājums")
    data = {**good_answers(q), f"answers-q{foreign.id}": "ielauzies"}
    assert post(client, event, data).status_code == 303
    stored = db.session.scalars(sa.select(Answer.question_id)).all()
    assert foreign.id not in stored and len(stored) == 7


def test_a_removed_question_is_no_longer_asked(client, asked):
    event, q = asked
    q["text"].removed_at = q["text"].created_at
    db.session.commit()
    page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert "Kuru NVO pārstāvat?" not in page
    data = good_answers(q)
    data.pop(field(q["text"]))
    assert post(client, event, data).status_code == 303


def test_companions_answer_the_questions_asked_of_each_person(client, asked):
    event, q = asked
    companion = {
        "companions-0-first_name": "Pēteris",
        "companions-0-last_name": "Kalniņš",
        "companions-0-place": "Koknese",
    }
    # A companion must answer the required question asked of each person…
    response = post(client, event, {**good_answers(q), **companion})
    assert response.status_code == 422
    assert f'id="companions-0-{field(q["yes"])}-error"' in response.get_data(as_text=True)
    assert saved(event) == []
    # …and only that one: the others are asked of the person filling in the form.
    page = response.get_data(as_text=True)
    assert f'name="companions-0-{field(q["text"])}"' not in page
    companion[f"companions-0-{field(q['yes'])}"] = "no"
    assert post(client, event, {**good_answers(q), **companion}).status_code == 303
    lead, peteris = sorted(saved(event), key=lambda r: r.id)
    assert peteris.lead_id == lead.id
    assert answers.values_of(peteris) == {q["yes"].id: False}
