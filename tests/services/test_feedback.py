"""The feedback form: once per person, only for those who came, closed after its day, all or
nothing; results figures against numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from registration.extensions import db
from registration.models import Attendance, FeedbackAnswer, FeedbackResponse, QuestionKind
from registration.services import DomainError, NotFound, feedback, feedback_results, tokens
from registration.services.answers import InvalidAnswers
from registration.timeutil import frozen_time, riga_datetime

# Thursday 24 September 2026, 10:00–12:00 in Riga.
STARTS = datetime(2026, 9, 24, 7, 0, tzinfo=UTC)
DURING = datetime(2026, 9, 24, 8, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 9, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def event(app, make_event):
    event = make_event(starts_at=STARTS, title="Domnīca Sēlpilī")
    with app.test_request_context():
        feedback.set_up(event.id, feedback.FormSettings(closes_on=date(2026, 10, 8)), actor=None)
    return event


def attendee(make_registration, event, **fields):
    return make_registration(event, attendance=Attendance.ATTENDED, **fields)


def questions(event):
    rating, useful, improve, again = feedback.asked_questions(event)
    return rating, useful, improve, again


def send(event, registration, values, *, at=NEXT_DAY):
    with frozen_time(at):
        return feedback.submit(event.slug, tokens.feedback_token(registration), values)


def stored() -> int:
    return db.session.query(FeedbackResponse).count() + db.session.query(FeedbackAnswer).count()


def test_a_new_form_asks_the_four_usual_questions(app, event):
    rating, useful, improve, again = questions(event)
    assert (rating.kind, rating.min_value, rating.max_value) == (QuestionKind.NUMBER, 1, 5)
    assert [useful.kind, improve.kind, again.kind] == [
        QuestionKind.LONG_TEXT,
        QuestionKind.LONG_TEXT,
        QuestionKind.YES_NO,
    ]
    # The sign-up form does not ask them.
    assert event.questions == []
    form = feedback.form_of(event)
    assert form.closes_at == riga_datetime(date(2026, 10, 9), datetime.min.time())
    assert form.shows_names is False


def test_a_person_answers_once(app, event, make_registration):
    anna = attendee(make_registration, event)
    rating, useful, _improve, again = questions(event)
    with app.test_request_context():
        send(event, anna, {rating.id: 5, useful.id: "Sarunas ar kaimiņiem", again.id: True})
        with pytest.raises(feedback.AlreadyAnswered) as second:
            send(event, anna, {rating.id: 1})
        assert "jau ir saņemta" in str(second.value.message)
    [response] = db.session.query(FeedbackResponse).all()
    assert {a.question_id: (a.number, a.text, a.flag) for a in response.answers} == {
        rating.id: (5, "", None),
        useful.id: (None, "Sarunas ar kaimiņiem", None),
        again.id: (None, "", True),
    }


@pytest.mark.parametrize(
    ("moment", "attendance", "message"),
    [
        (DURING, Attendance.ATTENDED, "kad pasākums ir beidzies"),
        (datetime(2026, 10, 8, 20, 59, tzinfo=UTC), None, "pasākuma apmeklētājiem"),
        (datetime(2026, 10, 8, 20, 59, tzinfo=UTC), Attendance.ABSENT, "pasākuma apmeklētājiem"),
        # Closes at the end of 8 October in Riga (21:00 UTC in summer time).
        (datetime(2026, 10, 8, 21, 0, tzinfo=UTC), Attendance.ATTENDED, "ir slēgta"),
    ],
)
def test_the_form_is_for_those_who_came_after_the_event_until_it_closes(
    app, event, make_registration, moment, attendance, message
):
    person = make_registration(event, attendance=attendance)
    rating = questions(event)[0]
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        send(event, person, {rating.id: 4}, at=moment)
    assert message in str(refused.value.message)
    assert stored() == 0


def test_the_last_minute_before_closing_is_still_open(app, event, make_registration):
    person = attendee(make_registration, event)
    rating = questions(event)[0]
    with app.test_request_context():
        send(event, person, {rating.id: 4}, at=datetime(2026, 10, 8, 20, 59, tzinfo=UTC))
    assert stored() == 2


@pytest.mark.parametrize(
    ("answer_to", "value", "message"),
    [
        ("rating", 7, "no 1 līdz 5"),
        ("rating", 0, "no 1 līdz 5"),
        ("rating", "abc", "veselu skaitli"),
        ("useful", "ā" * 10_000, "ne vairāk kā 3000 rakstzīmes"),
        ("again", "maybe", "„jā” vai „nē”"),
    ],
)
def test_a_bad_answer_stores_nothing(app, event, make_registration, answer_to, value, message):
    person = attendee(make_registration, event)
    rating, useful, _improve, again = questions(event)
    given = {rating.id: 5, useful.id: "Labi", again.id: True}
    given[{"rating": rating, "useful": useful, "again": again}[answer_to].id] = value
    with app.test_request_context(), pytest.raises(InvalidAnswers) as refused:
        send(event, person, given)
    assert message in str(next(iter(refused.value.errors.values())))
    assert stored() == 0
    assert not feedback.has_answered(person)


def test_the_rating_is_required(app, event, make_registration):
    person = attendee(make_registration, event)
    useful = questions(event)[1]
    with app.test_request_context(), pytest.raises(InvalidAnswers):
        send(event, person, {useful.id: "Labi"})
    assert stored() == 0


def test_script_is_kept_as_the_text_it_is(app, event, make_registration):
    person = attendee(make_registration, event)
    rating, useful, _improve, _again = questions(event)
    with app.test_request_context():
        send(event, person, {rating.id: 3, useful.id: "<script>alert(1)</script>"})
    assert db.session.query(FeedbackAnswer.text).filter_by(question_id=useful.id).scalar() == (
        "<script>alert(1)</script>"
    )


def test_another_events_link_or_question_is_refused(app, event, make_event, make_registration):
    other = make_event(starts_at=STARTS)
    with app.test_request_context():
        feedback.set_up(other.id, feedback.FormSettings(closes_on=date(2026, 10, 8)), actor=None)
    here = attendee(make_registration, event)
    there = attendee(make_registration, other)
    rating_here = questions(event)[0]
    rating_there = questions(other)[0]
    with app.test_request_context(), frozen_time(NEXT_DAY):
        with pytest.raises(DomainError, match="citam pasākumam"):
            feedback.submit(event.slug, tokens.feedback_token(there), {rating_here.id: 5})
        with pytest.raises(DomainError, match="šī pasākuma atsauksmju anketu"):
            feedback.submit(
                event.slug,
                tokens.feedback_token(here),
                {rating_here.id: 5, rating_there.id: 5},
            )
        with pytest.raises(NotFound):
            feedback.submit(event.slug, f"{here.id}-forged", {rating_here.id: 5})
    assert stored() == 0


def test_the_closing_day_must_come_after_the_event(app, event):
    with app.test_request_context(), pytest.raises(DomainError, match="pēc pasākuma beigām"):
        feedback.set_up(event.id, feedback.FormSettings(closes_on=date(2026, 9, 23)), actor=None)


def test_results_match_the_numbers_worked_out_by_hand(app, event, make_registration):
    rating, useful, improve, again = questions(event)
    people = [attendee(make_registration, event) for _ in range(5)]
    attendee(make_registration, event)  # came, did not answer
    make_registration(event)  # did not come
    answers = [
        {rating.id: 5, useful.id: "Kaimiņi", again.id: True},
        {rating.id: 4, improve.id: "Garākas pauzes", again.id: True},
        {rating.id: 4, again.id: False},
        {rating.id: 2, useful.id: "=1+1", improve.id: "Skaņa"},
        {rating.id: 5},
    ]
    with app.test_request_context():
        for person, given in zip(people, answers, strict=True):
            send(event, person, given)
        results = feedback_results.event_results(event, "lv")

    # 5 of the 6 who attended answered: 83.3 %. Ratings 5+4+4+2+5 = 20, 20 / 5 = 4.0.
    assert (results.attended, results.responses, results.response_rate) == (6, 5, 83.3)
    by_question = {r.question.id: r for r in results.questions}
    assert by_question[rating.id].average == 4.0
    assert by_question[rating.id].spread == {2: 1, 4: 2, 5: 2}
    assert (by_question[again.id].yes, by_question[again.id].no) == (2, 1)
    assert by_question[useful.id].texts == [("Kaimiņi", ""), ("=1+1", "")]
    assert by_question[improve.id].answered == 2


def test_project_results_weigh_each_rating_once(app, make_event, make_project, make_registration):
    project = make_project()
    first = make_event(starts_at=STARTS, project=project)
    second = make_event(starts_at=datetime(2026, 10, 1, 7, 0, tzinfo=UTC), project=project)
    later = make_event(starts_at=datetime(2027, 2, 1, 8, 0, tzinfo=UTC), project=project)
    with app.test_request_context():
        for each in (first, second, later):
            feedback.set_up(each.id, feedback.FormSettings(closes_on=date(2027, 3, 1)), actor=None)
        for each, ratings in ((first, [5, 4]), (second, [3]), (later, [1])):
            rating = questions(each)[0]
            for value in ratings:
                person = attendee(make_registration, each)
                send(each, person, {rating.id: value}, at=datetime(2027, 2, 2, tzinfo=UTC))
        autumn = feedback_results.project_results(
            project.id, (date(2026, 9, 1), date(2026, 12, 31))
        )
        everything = feedback_results.project_results(project.id)

    # (5 + 4 + 3) / 3 = 4.0, not the mean of the events' means (4.5 + 3) / 2 = 3.75.
    assert (autumn.responses, autumn.ratings, autumn.average_rating) == (3, 3, 4.0)
    assert [r.event.id for r in autumn.events] == [first.id, second.id]
    # (5 + 4 + 3 + 1) / 4 = 3.25
    assert (everything.responses, everything.average_rating) == (4, 3.25)
