"""Organisers' questions: set without JavaScript, answers kept through changes, read back in
the exports (csv, openpyxl), counted on the event page, filtered on the participant table."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Event, Question, QuestionKind, Registration
from registration.services import answers, booking
from registration.services.booking import SignUpDetails
from registration.services.groups import CompanionDetails


def sign_up(event, name, values, companions=()):
    return booking.sign_up(
        event.id,
        SignUpDetails(
            first_name=name,
            last_name="Bērziņa",
            email=f"{name.lower()}@example.lv",
            place="Koknese",
            consent_notice_version="2026-11",
            answers=values,
            companions=companions,
        ),
    )


@pytest.fixture
def trip(make_event, make_question):
    event = make_event(capacity=10, title="Pieredzes brauciens uz Sēliju")
    lunch = make_question(event, QuestionKind.YES_NO, "Pusdienas", asks_each_person=True)
    workshop = make_question(
        event, QuestionKind.ONE_CHOICE, "Darbnīca", choices=["Padomes", "Budžets"]
    )
    count = make_question(event, QuestionKind.NUMBER, "Bērnu skaits")
    day = make_question(event, QuestionKind.DATE, "Dzimšanas diena")
    return event, lunch, workshop, count, day


def test_an_organiser_adds_moves_edits_and_removes_questions_without_javascript(
    organiser_client, make_event
):
    event = make_event()
    url = f"/admin/events/{event.id}/questions/new"
    assert organiser_client.get(url).status_code == 200
    response = organiser_client.post(
        url,
        data={
            "kind": "one_choice",
            "label_lv": "Ēdienkarte",
            "label_en": "Menu",
            "is_required": "y",
            "choices-0-label_lv": "Gaļa",
            "choices-1-label_lv": "Veģetārā",
            "choices-1-label_en": "Vegetarian",
            "choices-2-label_lv": "",
        },
    )
    assert response.status_code == 302
    organiser_client.post(url, data={"kind": "yes_no", "label_lv": "Pusdienas"})
    menu, lunch = db.session.get(Event, event.id).asked_questions
    assert [c.label_lv for c in menu.choices] == ["Gaļa", "Veģetārā"]
    assert menu.label("en") == "Menu" and menu.is_required

    organiser_client.post(f"/admin/questions/{lunch.id}/up")
    db.session.expire_all()
    assert [q.label_lv for q in db.session.get(Event, event.id).asked_questions] == [
        "Pusdienas",
        "Ēdienkarte",
    ]
    organiser_client.post(f"/admin/questions/{lunch.id}/remove")
    db.session.expire_all()
    assert [q.label_lv for q in db.session.get(Event, event.id).asked_questions] == ["Ēdienkarte"]
    page = organiser_client.get(f"/admin/events/{event.id}/questions").get_data(as_text=True)
    assert "Ēdienkarte" in page and "Pusdienas" not in page


def test_bad_question_forms_are_explained(organiser_client, make_event):
    event = make_event()
    url = f"/admin/events/{event.id}/questions/new"
    page = organiser_client.post(url, data={"kind": "one_choice", "label_lv": ""}).get_data(
        as_text=True
    )
    assert "Ierakstiet jautājumu latviski." in page
    page = organiser_client.post(url, data={"kind": "one_choice", "label_lv": "Darbnīca"}).get_data(
        as_text=True
    )
    assert "Norādiet vismaz vienu atbilžu variantu." in page
    data = {"kind": "number", "label_lv": "Cik?", "min_value": "5", "max_value": "1"}
    assert "nevar būt mazāks" in organiser_client.post(url, data=data).get_data(as_text=True)
    data = {"kind": "teleport", "label_lv": "Kas?"}
    assert organiser_client.post(url, data=data).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


def test_a_renamed_choice_keeps_what_people_picked(organiser_client, trip):
    event, _lunch, workshop, _count, _day = trip
    budget = workshop.choices[1]
    sign_up(event, "Anna", {workshop.id: budget.id})
    data = {
        "label_lv": "Darbnīca",
        "choices-0-id": str(workshop.choices[0].id),
        "choices-0-label_lv": "Iedzīvotāju padomes",
        "choices-1-id": str(budget.id),
        "choices-1-label_lv": "Līdzdalības budžets",
    }
    assert organiser_client.post(f"/admin/questions/{workshop.id}", data=data).status_code == 302
    [anna] = db.session.scalars(sa.select(Registration)).all()
    answer = next(a for a in anna.answers if a.question_id == workshop.id)
    assert answers.display(answer, "lv") == "Līdzdalības budžets"


def rows_of_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_exports_have_a_column_per_question_and_keep_a_removed_ones_answers(organiser_client, trip):
    event, lunch, workshop, count, day = trip
    sign_up(
        event,
        "Anna",
        {
            lunch.id: True,
            workshop.id: workshop.choices[0].id,
            count.id: 2,
            day.id: date(1990, 5, 4),
        },
        companions=(
            CompanionDetails("Pēteris", "Bērziņš", "", "Koknese", answers={lunch.id: False}),
        ),
    )
    sign_up(event, "Ilze", {lunch.id: True})
    organiser_client.post(f"/admin/questions/{count.id}/remove")

    header, *rows = rows_of_csv(
        organiser_client.get(f"/admin/events/{event.id}/participants.csv").get_data()
    )
    at = header.index("Pusdienas")
    assert header[at : at + 4] == ["Pusdienas", "Darbnīca", "Dzimšanas diena", "Bērnu skaits"]
    by_name = {row[2]: row for row in rows}
    assert by_name["Anna"][at : at + 4] == ["jā", "Padomes", "04.05.1990", "2"]
    assert by_name["Pēteris"][at : at + 4] == ["nē", "", "", ""]
    assert by_name["Ilze"][at : at + 4] == ["jā", "", "", ""]
    assert by_name["Pēteris"][header.index("Pieteikumu iesniedza")] == "Bērziņa Anna"

    book = openpyxl.load_workbook(
        io.BytesIO(organiser_client.get(f"/admin/events/{event.id}/participants.xlsx").data)
    )
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    at = cells[0].index("Pusdienas")
    anna = next(row for row in cells if row[2] == "Anna")
    assert anna[at : at + 4] == ["jā", "Padomes", "04.05.1990", 2]


def test_the_event_page_counts_answers_and_the_table_filters_by_one(organiser_client, trip):
    event, lunch, workshop, _count, _day = trip
    sign_up(event, "Anna", {lunch.id: True, workshop.id: workshop.choices[1].id})
    sign_up(event, "Ilze", {lunch.id: True})
    sign_up(event, "Marta", {lunch.id: False, workshop.id: workshop.choices[1].id})
    page = organiser_client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert "Pusdienas:</strong> 2 jā, 1 nē" in page
    assert "Darbnīca:</strong> 0 Padomes, 2 Budžets" in page

    url = f"/admin/events/{event.id}/participants"
    page = organiser_client.get(url, query_string={"answer": f"n{lunch.id}"}).get_data(as_text=True)
    assert "Marta" in page and "Anna" not in page and "Ilze" not in page
    choice = f"c{workshop.choices[1].id}"
    page = organiser_client.get(url, query_string={"answer": choice}).get_data(as_text=True)
    assert "Marta" in page and "Anna" in page and "Ilze" not in page
    # A value that is no answer of this event filters nothing.
    page = organiser_client.get(url, query_string={"answer": "c999999"}).get_data(as_text=True)
    assert "Marta" in page and "Ilze" in page


def test_a_copied_event_asks_the_same_questions(organiser_client, trip):
    event, _lunch, workshop, _count, day = trip
    organiser_client.post(f"/admin/questions/{day.id}/remove")
    response = organiser_client.post(
        f"/admin/events/{event.id}/duplicate",
        data={"title": "Brauciens atkārtoti", "starts_on": "2030-06-01", "venue_name": "Koknese"},
    )
    assert response.status_code == 302
    copy = db.session.scalar(sa.select(Event).where(Event.title == "Brauciens atkārtoti"))
    assert [(q.label_lv, q.kind) for q in copy.asked_questions] == [
        ("Pusdienas", QuestionKind.YES_NO),
        ("Darbnīca", QuestionKind.ONE_CHOICE),
        ("Bērnu skaits", QuestionKind.NUMBER),
    ]
    assert [c.label_lv for c in copy.asked_questions[1].choices] == ["Padomes", "Budžets"]
    assert copy.asked_questions[0].asks_each_person
    assert {c.id for c in copy.asked_questions[1].choices}.isdisjoint(
        {c.id for c in workshop.choices}
    )
