"""Feedback follows the registrations: anonymised with them (kept for the results, whose it
was forgotten), deleted with a person erased on request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from registration.extensions import db
from registration.models import Attendance, FeedbackAnswer, FeedbackResponse
from registration.privacy.erasure import erase_registration
from registration.privacy.retention import anonymise_expired
from registration.services import feedback, feedback_results, tokens
from registration.timeutil import frozen_time

STARTS = datetime(2026, 9, 24, 7, 0, tzinfo=UTC)


def answered(app, make_event, make_registration, ratings):
    event = make_event(starts_at=STARTS)
    people = []
    with app.test_request_context():
        feedback.set_up(event.id, feedback.FormSettings(closes_on=date(2026, 10, 8)), actor=None)
        rating, useful = feedback.asked_questions(event)[:2]
        for value in ratings:
            person = make_registration(event, attendance=Attendance.ATTENDED)
            with frozen_time(STARTS + timedelta(days=1)):
                feedback.submit(
                    event.slug,
                    tokens.feedback_token(person),
                    {rating.id: value, useful.id: "Sarunas"},
                )
            people.append(person)
    return event, people


def test_anonymising_keeps_the_results_and_forgets_who_gave_them(
    app, make_event, make_registration
):
    event, people = answered(app, make_event, make_registration, [5, 3])
    with app.test_request_context():
        link = tokens.feedback_token(people[0])
    months = app.config["RETENTION_MONTHS"]
    anonymise_expired(event.ends_at + timedelta(days=31 * months + 31))

    links = db.session.scalars(sa.select(FeedbackResponse.registration_id)).all()
    assert links == [None, None]
    with app.test_request_context():
        results = feedback_results.event_results(event, "lv")
    assert (results.responses, results.questions[0].average) == (2, 4.0)
    # Their links stop working with the rest of their data.
    assert tokens.find_by_feedback_token(link) is None


def test_erasing_a_person_deletes_their_feedback(app, make_event, make_registration):
    _event, (anna, ilze) = answered(app, make_event, make_registration, [5, 3])
    erase_registration(anna.id, actor=None)
    assert db.session.scalars(sa.select(FeedbackResponse.registration_id)).all() == [ilze.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedbackAnswer)) == 2
