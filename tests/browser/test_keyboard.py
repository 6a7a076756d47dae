"""Two journeys with the keyboard alone (Tab, arrows, Space, Enter), step by step, in
Latvian, with the focus visible after every key: a resident signs up for a study trip,
opens the private page from the email and cancels; an organiser logs in, checks two people
in at the door and downloads the participant list.

Links are found by what they say on the page, then reached by Tab: the test knows the
words, not the layout.
"""

from __future__ import annotations

import csv
import email
import io
import time
from email import policy
from pathlib import Path

import pytest

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD, new_context
from .keyboard import Keyboard

RESIDENT = "mara.kalnina@example.lv"
#: The background sender of the web process writes the .eml within a few seconds.
MAIL_WAIT_S = 30


@pytest.fixture
def keyboard_page(browser, site):
    context = new_context(browser, site, "lv")
    page = context.new_page()
    yield page
    assert not context.foreign_requests, context.foreign_requests
    context.close()


def mail_to(folder: Path, address: str) -> email.message.EmailMessage:
    """The first message written to `address`, waiting for the sender if need be."""
    deadline = time.monotonic() + MAIL_WAIT_S
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if address in str(message["To"]):
                return message
        time.sleep(0.25)
    raise AssertionError(f"no email to {address} in {folder} after {MAIL_WAIT_S} s")


def link_text(page, href: str) -> str:
    return page.locator(f"main a[href='{href}']").first.inner_text().strip()


def test_a_resident_signs_up_for_a_study_trip_and_cancels(site, keyboard_page):
    page, keys = keyboard_page, Keyboard(keyboard_page)
    slug = site.world["journey_trip"]["slug"]
    page.goto(site.url("/"))

    keys.tab_to_text(link_text(page, f"/notikumi/{slug}"))
    keys.enter_and_wait()
    assert page.url == site.url(f"/notikumi/{slug}")

    # A link to the form near the top: a few Tabs (skip link, site name, the menu's three
    # links, the two languages).
    presses = keys.tab_to(lambda f: f.href == "#pieteikties", "the sign-up link")
    assert presses <= 7, f"{presses} Tabs to the sign-up link"
    keys.press("Enter")
    assert keys.tab().id == "first_name"
    keys.type("Māra")
    assert keys.tab().id == "last_name"
    keys.type("Kalniņa")
    assert keys.tab().id == "email"
    keys.type(RESIDENT)
    assert keys.tab().id == "phone"
    keys.type("26 123 456")
    assert keys.tab().id == "place"
    keys.press("ArrowDown")
    chosen = keys.press("ArrowDown")
    assert chosen.id == "place" and chosen.value, "the arrow keys choose a place"
    assert keys.tab().id == "place_other"
    assert keys.tab().id == "organisation"
    first_stop = keys.tab()
    assert first_stop.id == "pickup_stop-0", "Tab enters the group of pickup stops"
    second_stop = keys.press("ArrowDown")
    assert second_stop.id == "pickup_stop-1" and second_stop.checked
    assert keys.tab().id == "needs"
    assert keys.tab().id == "comment"
    # The folded blocks for companions: each closed one is one Tab (its summary).
    focused, folded = keys.tab(), 0
    while focused.tag == "summary":
        focused, folded = keys.tab(), folded + 1
    assert folded == 3, "three companion blocks, each passed with one Tab"
    assert focused.id == "consent"
    assert keys.press("Space").checked
    keys.tab_to(lambda f: f.tag == "button" and f.type == "submit", "the sign-up button")
    keys.enter_and_wait()
    assert page.locator("h1").inner_text() == "Pieteikums apstiprināts"

    # The private page, from the link in the confirmation email.
    confirmation = mail_to(site.mail_folder, RESIDENT)
    body = confirmation.get_body(preferencelist=("plain",)).get_content()
    links = [word for word in body.split() if word.startswith(site.base_url + "/pieteikums/")]
    assert links, body
    page.goto(links[0])
    assert "Kalniņa" in page.locator("main").inner_text()

    keys.tab_to_text(page.locator("main a.button-danger").inner_text().strip())
    keys.enter_and_wait()
    keys.tab_to(lambda f: f.tag == "button" and f.type == "submit", "the cancel button")
    keys.enter_and_wait()
    assert page.locator(".flash").inner_text() == "Jūsu pieteikums ir atcelts."
    assert page.locator(".state").first.inner_text().strip() == "Atcelts"


def test_an_organiser_checks_two_people_in_and_downloads_the_list(site, keyboard_page):
    page, keys = keyboard_page, Keyboard(keyboard_page)
    event_id = site.world["checkin"]["id"]
    page.goto(site.url("/admin/login"))

    keys.tab_to(lambda f: f.id == "email", "the email box")
    keys.type(ADMIN_EMAIL)
    assert keys.tab().id == "password"
    keys.type(ADMIN_PASSWORD)
    keys.enter_and_wait()
    event_link = link_text(page, f"/admin/events/{event_id}")
    keys.tab_to_text(event_link, most=60)
    keys.enter_and_wait()
    keys.tab_to_text(link_text(page, f"/admin/events/{event_id}/checkin"))
    keys.enter_and_wait()

    checked_in = []
    for _ in range(2):
        keys.tab_to(lambda f: f.tag == "button" and f.text == "Ir klāt", "a “Ir klāt” button")
        checked_in.append(
            page.evaluate(
                "document.activeElement.closest('li').querySelector('.checkin-name').innerText"
            )
        )
        keys.enter_and_wait()
    assert len(set(checked_in)) == 2, checked_in
    for name in checked_in:
        card = page.locator(".checkin-card", has_text=name)
        assert "is-attended" in card.get_attribute("class"), name

    keys.tab_to_text(f"← {event_link}", backwards=True, most=60)
    keys.enter_and_wait()
    keys.tab_to_text(link_text(page, f"/admin/events/{event_id}/participants.csv"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    attendance = {f"{row['Uzvārds']} {row['Vārds']}": row["Apmeklējums"] for row in rows}
    for name in checked_in:
        assert attendance[name] == "Ir klāt", attendance
