"""Latvian first, English second, and Latvian dates written the Latvian way."""

from __future__ import annotations

import runpy
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from babel import dates as babel_dates
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po
from flask_babel import force_locale, refresh

from registration import i18n
from registration.timeutil import riga_datetime

ROOT = Path(__file__).resolve().parent.parent


def test_pages_are_latvian_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="lv">' in page
    assert "Tuvākie notikumi" in page


def test_language_switch_is_remembered(client):
    response = client.get("/valoda/en?next=/privatums")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privatums"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Upcoming events" in page
    client.get("/valoda/lv?next=/")
    assert "Tuvākie notikumi" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_language_switch_never_redirects_to_another_site(client, target):
    response = client.get("/valoda/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_not_found(client):
    assert client.get("/valoda/ru").status_code == 404


# 24 September 2021, 10:00 in Riga (UTC+3 in summer).
SEPTEMBER = datetime(2021, 9, 24, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("func", "latvian", "english"),
    [
        (i18n.long_date, "2021. gada 24. septembris", "24 September 2021"),
        (i18n.on_date, "24. septembrī", "24 September"),
        (i18n.numeric_date, "24.09.2021.", "24/09/2021"),
        (i18n.weekday, "piektdiena", "Friday"),
        (i18n.clock, "10:00", "10:00"),
    ],
)
def test_dates_in_both_languages(app, func, latvian, english):
    with app.test_request_context():
        refresh()
        assert func(SEPTEMBER) == latvian
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        assert func(SEPTEMBER) == english


#: How a Latvian writes each month: nominative ("septembris") and locative ("septembrī").
LATVIAN_MONTHS = [
    ("janvāris", "janvārī"), ("februāris", "februārī"), ("marts", "martā"),
    ("aprīlis", "aprīlī"), ("maijs", "maijā"), ("jūnijs", "jūnijā"), ("jūlijs", "jūlijā"),
    ("augusts", "augustā"), ("septembris", "septembrī"), ("oktobris", "oktobrī"),
    ("novembris", "novembrī"), ("decembris", "decembrī"),
]  # fmt: skip
ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_in_both_languages(app, month):
    """Long dates and month names come from Babel, the locative from our table."""
    nominative, locative = LATVIAN_MONTHS[month - 1]
    # 10:00 in Riga on the 24th, a date whose UTC day is the same; the 1st of the month
    # at 00:30 in Riga is still the previous month in UTC.
    day = datetime(2026, month, 24, 8, 0, tzinfo=UTC)
    first = riga_datetime(date(2026, month, 1), time(0, 30))
    with force_locale("lv"):
        assert i18n.long_date(day) == f"2026. gada 24. {nominative}"
        assert i18n.long_date(first) == f"2026. gada 1. {nominative}"
        assert i18n.on_date(day) == f"24. {locative}"
        assert i18n.month_heading(first) == f"2026. gada {nominative}"
        assert i18n.month_heading(date(2026, month, 1)) == f"2026. gada {nominative}"
    english = ENGLISH_MONTHS[month - 1]
    with force_locale("en"):
        assert i18n.long_date(day) == f"24 {english} 2026"
        assert i18n.on_date(day) == f"24 {english}"
        assert i18n.month_heading(first) == f"{english} 2026"


@pytest.mark.parametrize(
    ("day", "latvian", "english"),
    [
        (21, "pirmdiena", "Monday"),
        (22, "otrdiena", "Tuesday"),
        (23, "trešdiena", "Wednesday"),
        (24, "ceturtdiena", "Thursday"),
        (25, "piektdiena", "Friday"),
        (26, "sestdiena", "Saturday"),
        (27, "svētdiena", "Sunday"),
    ],
)
def test_every_weekday_in_both_languages(app, day, latvian, english):
    # 21 December 2026 is a Monday; at 00:30 in Riga it is still the day before in UTC.
    early = riga_datetime(date(2026, 12, day), time(0, 30))
    with force_locale("lv"):
        assert i18n.weekday(early) == latvian
        assert i18n.weekday(date(2026, 12, day)) == latvian
    with force_locale("en"):
        assert i18n.weekday(early) == english


def test_babel_has_no_latvian_locative_for_months():
    """CLDR knows Latvian months only in the nominative, in dates too ("24. septembris",
    never "24. septembrī"). The day this fails, CLDR has a form for dates in sentences: see
    whether `i18n.on_date` can use it instead of LV_MONTHS_LOCATIVE, and remove this test."""
    assert babel_dates.format_date(date(2021, 9, 24), "d. MMMM", locale="lv") == "24. septembris"
    assert list(babel_dates.get_month_names("wide", "format", "lv").values()) == [
        nominative for nominative, _ in LATVIAN_MONTHS
    ]


def test_babels_latvian_year_and_month_has_a_stray_dot():
    """Babel's year-and-month pattern for Latvian writes "2026. gada. decembris" (a dot
    after "gada"), so `i18n.month_heading` puts the heading together itself. The day this
    fails, use `format_skeleton("yMMMM", ...)` there and remove this test."""
    december = date(2026, 12, 1)
    assert babel_dates.format_skeleton("yMMMM", december, locale="lv") == "2026. gada. decembris"


def test_times_follow_riga_daylight_saving(app):
    winter = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
    summer = datetime(2027, 7, 15, 8, 0, tzinfo=UTC)
    with app.test_request_context():
        assert i18n.clock(winter) == "10:00"
        assert i18n.clock(summer) == "11:00"


def test_a_late_utc_evening_is_the_next_day_in_riga(app):
    with app.test_request_context():
        assert i18n.numeric_date(datetime(2027, 1, 31, 22, 30, tzinfo=UTC)) == "01.02.2027."


def _area_sources() -> dict[str, list[Path]]:
    """Each catalogue's source files, as `scripts/i18n.py` (what `make i18n-extract` runs)
    assigns them."""
    return runpy.run_path(str(ROOT / "scripts" / "i18n.py"))["area_sources"]()


def _extract(path: Path) -> set[str]:
    if path.suffix == ".py":
        method, options = "python", {}
    else:
        method, options = "jinja2.ext:babel_extract", {"extensions": "jinja2.ext.i18n"}
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    with path.open("rb") as handle:
        found = extract(method, handle, keywords=keywords, options=options)
        return {text if isinstance(text, str) else text[0] for _, text, _, _ in found}


@pytest.mark.parametrize("catalogue", sorted(_area_sources()))
def test_every_user_visible_string_is_in_its_latvian_catalogue(catalogue):
    """Catches text added without `make i18n-extract` (it would show in English)."""
    with (ROOT / catalogue / "lv" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = {
        f"{path.relative_to(ROOT)}: {text}"
        for path in _area_sources()[catalogue]
        for text in _extract(path) - known
    }
    assert sorted(missing) == []


@pytest.mark.parametrize(
    "catalogue",
    sorted(ROOT.glob("registration/**/lv/LC_MESSAGES/*.po")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_latvian_catalogue_is_complete(catalogue):
    with catalogue.open("rb") as handle:
        messages = read_po(handle, locale="lv")
    untranslated = [
        m.id
        for m in messages
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in messages if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_one_english_text_has_one_latvian_translation_across_catalogues():
    """Flask-Babel merges the catalogues and one translation would silently win."""
    seen: dict[str, dict[str, str]] = {}
    for path in sorted(ROOT.glob("registration/**/lv/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="lv"):
                if message.id and isinstance(message.id, str) and message.string:
                    seen.setdefault(message.id, {})[str(path.relative_to(ROOT))] = message.string
    conflicts = {text: where for text, where in seen.items() if len(set(where.values())) > 1}
    assert conflicts == {}
