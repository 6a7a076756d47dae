"""Formatted text comes out as formatting, and anything else comes out inert."""

from __future__ import annotations

import pytest

from registration.services.markdown import plain, render


def test_simple_formatting_is_kept():
    html = render("Ievads ar **treknu** un *slīpu*.\n\n- viens\n- divi\n\n[Saite](https://a.lv)")
    assert "<strong>treknu</strong>" in html and "<em>slīpu</em>" in html
    assert "<ul>\n<li>viens</li>" in html
    assert '<a href="https://a.lv">Saite</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "<div onclick=alert(1)>x</div>",
        "<iframe src=https://evil.example></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_comes_out_as_text(text):
    html = render(text)
    assert "<" + text[1:4] not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_links_are_not_links(link):
    html = render(f"[spied šeit]({link})")
    assert "<a " not in html
    assert "href" not in html


def test_safe_links_and_autolinks_stay():
    html = render(
        "[Pasts](mailto:info@a.lv) [Tālr.](tel:+37126000000) [Lapa](/jaunumi) <https://a.lv>"
    )
    assert html.count("<a href=") == 4


def test_images_are_not_fetched_from_elsewhere():
    assert "<img" not in render("![foto](https://evil.example/pixel.gif)")


def test_headings_start_where_the_page_needs_them():
    assert render("# Virsraksts\n\n## Apakšvirsraksts").startswith("<h2>Virsraksts</h2>\n<h3>")
    # Whether the writer began with "#" or "##", the first heading is the level asked for.
    assert render("## Virsraksts", 3).startswith("<h3>")
    assert render("###### Dziļi", 2).startswith("<h2>")


def test_plain_text_for_summaries():
    assert plain("## Virsraksts\n\nTeksts ar **treknu** [saiti](https://a.lv).") == (
        "Virsraksts Teksts ar treknu saiti."
    )
    assert plain("vārds " * 100, 30).endswith("…")
    assert len(plain("vārds " * 100, 30)) <= 30
