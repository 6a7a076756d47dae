"""Answers are personal data too: erasing a person, or anonymising an old event, deletes them."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from registration.extensions import db
from registration.models import Answer, QuestionKind, Registration
from registration.models.question import answer_choice
from registration.privacy.erasure import erase_registration
from registration.privacy.retention import anonymise_expired
from registration.services import booking
from registration.services.booking import SignUpDetails


def sign_up_with_answers(event, name, diet, note):
    return booking.sign_up(
        event.id,
        SignUpDetails(
            first_name=name,
            last_name="Bērziņa",
            email=f"{name.lower()}@example.lv",
            place="Koknese",
            answers={diet.id: (diet.choices[0].id,), note.id: "Alerģija pret riekstiem"},
        ),
    ).registration


def answers_of(registration_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(Answer.registration_id == registration_id)
    )


def test_erasing_a_person_deletes_their_answers_and_keeps_the_others(make_event, make_question):
    event = make_event()
    diet = make_question(event, QuestionKind.SEVERAL_CHOICES, "Ēdiens", choices=["Veģetārs"])
    note = make_question(event, QuestionKind.LONG_TEXT, "Veselība")
    anna = sign_up_with_answers(event, "Anna", diet, note)
    ilze = sign_up_with_answers(event, "Ilze", diet, note)
    erase_registration(anna.id, actor=None)
    assert answers_of(anna.id) == 0 and answers_of(ilze.id) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(answer_choice)) == 1


def test_anonymising_an_old_event_deletes_its_answers(app, make_event, make_question):
    event = make_event()
    diet = make_question(event, QuestionKind.SEVERAL_CHOICES, "Ēdiens", choices=["Veģetārs"])
    note = make_question(event, QuestionKind.LONG_TEXT, "Veselība")
    anna = sign_up_with_answers(event, "Anna", diet, note)
    months = app.config["RETENTION_MONTHS"]
    report = anonymise_expired(event.ends_at + timedelta(days=31 * months + 31))
    assert report.registrations == 1
    assert answers_of(anna.id) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(answer_choice)) == 0
    assert db.session.get(Registration, anna.id).name_key == ""
