"""Static files are linked under names that change with their content, and served under
those names with a year's caching."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pages_link_the_stylesheet_by_its_fingerprint_and_it_is_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    [href] = re.findall(r'href="(/static/style\.[0-9a-f]{10}\.css)"', page)
    expected = hashlib.sha256((ROOT / "static" / "style.css").read_bytes()).hexdigest()[:10]
    assert href == f"/static/style.{expected}.css"

    response = client.get(href)
    data = response.get_data()
    response.close()
    assert response.status_code == 200
    assert data == (ROOT / "static" / "style.css").read_bytes()
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable


def test_an_old_fingerprint_still_gets_the_current_file_but_is_not_cached_long(client):
    response = client.get("/static/style.0000000000.css")
    data = response.get_data()
    response.close()
    assert response.status_code == 200
    assert data == (ROOT / "static" / "style.css").read_bytes()
    assert response.cache_control.max_age != 365 * 24 * 3600


def test_the_plain_name_still_works(client):
    response = client.get("/static/style.css")
    response.close()
    assert response.status_code == 200
    assert client.get("/static/nav.css").status_code == 404
