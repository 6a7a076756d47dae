"""Phone numbers as people type them, stored in one form that exports and SMS can use."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from registration.services import DomainError, phone

# What the person reads (Latvian is the default language).
EIGHT_DIGITS = "Latvijas tālruņa numurā ir 8 cipari, piemēram, 26 123 456."
INCOMPLETE = "Šis neizskatās pēc pilna tālruņa numura."
ONLY_DIGITS = "Tālruņa numurā drīkst būt tikai cipari, atstarpes un + sākumā."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("26123456", "+37126123456"),
        ("26 123 456", "+37126123456"),
        ("261-234-56", "+37126123456"),
        ("(26) 12.34.56", "+37126123456"),
        ("+371 26123456", "+37126123456"),
        ("+371 2612 3456", "+37126123456"),
        ("00371 26123456", "+37126123456"),
        ("0037126123456", "+37126123456"),
        # A landline in Aizkraukle is a Latvian number like any other.
        ("65 12 34 56", "+37165123456"),
        ("\t26123456\n", "+37126123456"),
        # Full-width digits and plus (an Asian keyboard layout) are the same characters.
        ("＋３７１ ２６１２３４５６", "+37126123456"),
    ],
)
def test_latvian_numbers_in_any_spelling_become_one_form(app, typed, stored):
    assert phone.normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+370 612 34567", "+37061234567"),  # Lithuania
        ("+372 5123 4567", "+37251234567"),  # Estonia
        ("0049 30 1234567", "+49301234567"),  # Germany, 00 for the plus
        ("+44 20 7946 0958", "+442079460958"),
        ("+1234567", "+1234567"),  # the shortest: + and 7 digits
        ("+123456789012345", "+123456789012345"),  # the longest: + and 15 digits
    ],
)
def test_foreign_numbers_are_kept_in_international_form(app, typed, stored):
    assert phone.normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", " - ", None])
def test_no_number_stays_empty(app, typed):
    assert phone.normalise_phone(typed) == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2612345", EIGHT_DIGITS),
        ("261234567", EIGHT_DIGITS),
        ("+371 2612345", EIGHT_DIGITS),
        ("+371 261234567", EIGHT_DIGITS),
        ("+123456", INCOMPLETE),
        ("+1234567890123456", INCOMPLETE),
        ("26l23456", ONLY_DIGITS),
        ("zvaniet vakarā", ONLY_DIGITS),
        ("26+123456", ONLY_DIGITS),
        ("++37126123456", ONLY_DIGITS),
        ("+", ONLY_DIGITS),
        ("٢٦١٢٣٤٥٦", ONLY_DIGITS),  # digits, but not ones a phone network dials
    ],
)
def test_junk_is_refused_with_a_sentence_that_says_what_is_wrong(app, typed, message):
    with pytest.raises(DomainError) as refused:
        phone.normalise_phone(typed)
    assert str(refused.value.message) == message


def test_the_refusal_is_in_english_for_english_readers(app):
    with force_locale("en"), pytest.raises(DomainError) as refused:
        phone.normalise_phone("2612345")
    with force_locale("en"):
        assert str(refused.value.message) == (
            "A Latvian phone number has 8 digits, for example 26 123 456."
        )
