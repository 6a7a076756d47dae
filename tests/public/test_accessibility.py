"""The accessibility statement: one click from every page, with a contact for the site."""

from __future__ import annotations

import pytest


def test_every_page_links_to_the_statement(client, make_event):
    event = make_event()
    for path in ("/", f"/notikumi/{event.slug}", "/privatums", "/admin/login"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/pieejamiba"' in page.split("<footer", 1)[1], path


def test_the_statement_says_how_far_the_site_conforms_and_how_to_ask(client):
    response = client.get("/pieejamiba")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Piekļūstamības paziņojums</h1>" in page
    assert "daļēji atbilst" in page and "WCAG" in page
    assert "Zināmās nepilnības" in page
    assert "citā veidā" in page  # another format, on request


@pytest.fixture
def app_config():
    return {"ORGANISATION_EMAIL": "info@partneriba.example"}


def test_the_statement_names_the_organisations_address(client):
    page = client.get("/pieejamiba").get_data(as_text=True)
    assert '<a href="mailto:info@partneriba.example">info@partneriba.example</a>' in page
