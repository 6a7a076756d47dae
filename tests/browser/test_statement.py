"""The accessibility statement (/pieejamiba) claims what this suite checks, and no more.

Each claim carries a `data-check` key; here each key names the test that makes it true, and
the figures in the claim (widths, zoom, target size, WCAG version) are this suite's own
settings. Dropping a check, or changing a width, fails this test until the statement says
the same. That every page links to the statement is checked on every page (`test_pages`).
"""

from __future__ import annotations

from . import checks, test_keyboard, test_pages, test_print
from .conftest import LANGUAGES, ORGANISATION_EMAIL

#: Claim → the test that keeps it true.
CLAIMS = {
    "axe": test_pages.test_page,
    "html": test_pages.test_html_is_valid,
    "reflow": test_pages.test_page,
    "targets": test_pages.test_page,
    "keyboard": test_keyboard.test_a_resident_signs_up_for_a_study_trip_and_cancels,
    "print": test_print.test_printed_list_fits_a4,
    "privacy": test_pages.test_page,
}
#: The numbers a claim must state, from the settings of the checks.
FIGURES = {
    "axe": ["2.2"],
    "reflow": [*map(str, checks.PHONE_WIDTHS), "200%"],
    "targets": [str(checks.MIN_TARGET_PX)],
    "print": ["A4"],
}


def test_the_statement_claims_what_the_suite_checks(site, contexts):
    assert all(callable(test) for test in CLAIMS.values())
    assert "wcag22aa" in checks.WCAG_TAGS
    for language in LANGUAGES:
        page = contexts("public", language).new_page()
        try:
            page.goto(site.url("/pieejamiba"))
            claims = {
                key: page.locator(f"[data-check='{key}']").inner_text()
                for key in page.locator("[data-check]").evaluate_all(
                    "items => items.map(item => item.dataset.check)"
                )
            }
            assert set(claims) == set(CLAIMS), language
            for key, figures in FIGURES.items():
                for figure in figures:
                    assert figure in claims[key], (language, key, figure, claims[key])
            assert page.locator("[data-standard]").get_attribute("data-standard") == "WCAG 2.2 AA"
            # Automated checks alone: the statement says so among its known gaps.
            assert page.locator("[data-gap='automated']").count() == 1
            contact = page.locator("[data-contact] a")
            assert contact.get_attribute("href") == f"mailto:{ORGANISATION_EMAIL}"
        finally:
            page.close()
