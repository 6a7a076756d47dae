"""The checks every form shares: names people really have, and nothing else in a name."""

from __future__ import annotations

import pytest

from registration.forms import NAME_MAX_LENGTH, name_problem


@pytest.mark.parametrize(
    "name",
    [
        "Jānis Bērziņš",
        "Anna-Marija O'Brien",
        "Алексей Иванов",
        "Žydrūnė Kazlauskienė",
        "Ģirts Ķēniņš",
        "D’Artagnan",
        "J. R. R.",
        "Jean-Luc",
        "Ilze\u0304",  # a combining accent typed on its own
    ],
)
def test_real_names_pass(app, name):
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("http://spam.example", "tīmekļa"),
        ("spam.example", "tīmekļa"),
        ("Buy@now", "tīmekļa"),
        ("Winner 2024", "cipar"),
        ("<b>Anna</b>", "burtus"),
        ("Anna!", "burtus"),
        ("--- ...", "burtiem"),
        ("A" * (NAME_MAX_LENGTH + 1), "rakstzīm"),
    ],
)
def test_links_addresses_digits_and_signs_are_refused(app, name, why):
    with app.test_request_context():
        assert why in str(name_problem(name))
