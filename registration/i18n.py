"""Language choice and the date formats people in Latvia expect.

Latvian is the default; a visitor's explicit choice is kept in a long-lived cookie.
Babel (CLDR) writes the long date, month names and weekdays in Latvian as a Latvian writes
them. It has only the nominative month name, though, so "on 24 September" needs our own
locative forms; and its year-and-month pattern puts a stray dot after "gada", so the month
heading is put together here from Babel's month name (tests/test_i18n.py holds both to what
Babel gives).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import format_currency, format_date, format_decimal, get_locale

from .extensions import babel
from .timeutil import to_riga

LANGUAGE_COOKIE = "lang"

#: "In January" … "in December": CLDR has no locative case.
LV_MONTHS_LOCATIVE = (
    "janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā",
    "jūlijā", "augustā", "septembrī", "oktobrī", "novembrī", "decembrī",
)  # fmt: skip


def select_locale() -> Locale:
    """The visitor's chosen language, else the default. A parsed Locale, made once per
    language: parsing one anew costs as much as serving a cached page's headers."""
    if not has_request_context():
        # Mail workers and commands choose with flask_babel.force_locale where it matters.
        return _locale(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return _locale(chosen)
    return _locale(current_app.config["BABEL_DEFAULT_LOCALE"])


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def _local(value: datetime | date) -> datetime | date:
    return to_riga(value) if isinstance(value, datetime) else value


def long_date(value: datetime | date) -> str:
    """'2021. gada 24. septembris' / '24 September 2021'."""
    day = _local(value)
    if current_language() == "lv":
        return format_date(day, "long")
    # English CLDR's long date is American ("September 24, 2021").
    return format_date(day, "d MMMM y")


def on_date(value: datetime | date) -> str:
    """'24. septembrī' / '24 September': for sentences such as "notiks 24. septembrī"."""
    day = _local(value)
    if current_language() == "lv":
        return f"{day.day}. {LV_MONTHS_LOCATIVE[day.month - 1]}"
    return format_date(day, "d MMMM")


def weekday(value: datetime | date) -> str:
    """'piektdiena' / 'Friday' (Latvian weekdays are written small)."""
    return format_date(_local(value), "EEEE")


def numeric_date(value: datetime | date) -> str:
    """'24.09.2021.' as written on Latvian sites, '24/09/2021' in English."""
    day = _local(value)
    if current_language() == "lv":
        return f"{day.day:02d}.{day.month:02d}.{day.year}."
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def clock(value: datetime) -> str:
    """'09:30' in Riga time (24 hours in both languages: the event is in Latvia)."""
    return to_riga(value).strftime("%H:%M")


def month_heading(value: datetime | date) -> str:
    """'2026. gada decembris' / 'December 2026'."""
    day = _local(value)
    if current_language() == "lv":
        return f"{day.year}. gada {format_date(day, 'LLLL')}"
    return format_date(day, "LLLL y")


def euros(amount: Decimal | None) -> str:
    """'6 460,64 EUR' / '6,460.64 EUR': exact to the cent, the code after the number."""
    if amount is None:
        return ""
    return format_currency(amount, "EUR", format="#,##0.00\u00a0¤¤", currency_digits=False)


def percent(value: Decimal | None) -> str:
    """'100%', '62,5%' / '62.5%'."""
    if value is None:
        return ""
    return f"{format_decimal(value, format='#,##0.##')}%"


def file_size(size: int) -> str:
    """'1,2 MB', '350 KB' (1 KB = 1,024 bytes, as computers show sizes)."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)), format='#,##0')}\u00a0KB"
    return f"{format_decimal(size / (1024 * 1024), format='#,##0.#')}\u00a0MB"


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=app.config.get(
            "BABEL_TRANSLATION_DIRECTORIES", "translations"
        ),
    )
    for name, func in {
        "long_date": long_date,
        "on_date": on_date,
        "weekday": weekday,
        "numeric_date": numeric_date,
        "clock": clock,
        "month_heading": month_heading,
        "euros": euros,
        "percent": percent,
        "file_size": file_size,
    }.items():
        app.add_template_filter(func, name)

    @app.context_processor
    def language_context() -> dict:
        return {"current_language": current_language()}
