"""What a person does on a page before it is checked: the states `pages.py` names.

Each takes the Playwright page, already open at the visit's address, and leaves it showing
the state to check (the answer to a form, usually).
"""

from __future__ import annotations

from playwright.sync_api import Page


def _submit(page: Page, form: str = "main form[method=post]") -> None:
    with page.expect_navigation():
        page.locator(form).last.locator("button[type=submit]").last.click()


def send_empty(page: Page) -> None:
    """Send the page's (last) form without filling anything in."""
    _submit(page)


def send_walk_in_empty(page: Page) -> None:
    _submit(page, "form[action*='/checkin/walk-in']")


def clear_phone(page: Page) -> None:
    """On the private page of a trip, where a phone number is required."""
    page.fill("#phone", "")
    _submit(page)


def sign_up(page: Page) -> None:
    """Fill in the sign-up form as a resident would and send it: the result page."""
    language = page.locator("html").get_attribute("lang")
    page.fill("#first_name", "Ieva")
    page.fill("#last_name", "Sniedze")
    page.fill("#email", f"ieva.sniedze.{language}@example.lv")
    page.select_option("#place", index=1)
    page.check("#consent")
    _submit(page)


def wrong_password(page: Page) -> None:
    page.fill("#email", "nobody@example.lv")
    page.fill("#password", "not the password")
    _submit(page)
