"""Every page of `pages.py`, in Latvian and English, as a person with a phone, a laptop,
enlarged text or a screen reader meets it; then all their HTML through the Nu checker.

Each page is loaded once and looked at in turn (`inspection.py`): its answer, axe-core at
360 px (and its layout-dependent rules again at 1280 px), the size of checkboxes and radio
buttons, sideways scrolling at 360, 320 and 640 px (200% zoom), text at 200%, the footer's
link to the accessibility statement, console errors and requests to other hosts; printed
lists also at A4 width in print layout. Screenshots at 360 and 1280 px and the HTML as served
are kept under `build/browser/` for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import LANGUAGES, VNU_JAR
from .inspection import HTML, SCREENSHOTS, Inspectors, Job
from .pages import PAGES

#: Bounds on the waits: one page's answer (pages queued before it are inspected first), and
#: the Nu checker over every page at once.
PAGE_WAIT_S = 300
VNU_TIMEOUT_S = 180


@pytest.fixture(scope="session")
def inspectors(request, site, logins):
    """The inspection of every page this run selected, started at once, in test order."""
    for folder in (HTML, SCREENSHOTS):
        shutil.rmtree(folder, ignore_errors=True)
    jobs = [
        Job(item.callspec.params["visit"], item.callspec.params["language"])
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_page"
    ]
    workers = Inspectors(site, logins, jobs)
    yield workers
    workers.stop()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.name for visit in PAGES])
def test_page(visit, language, inspectors):
    problems = inspectors.result(Job(visit, language), timeout=PAGE_WAIT_S)
    assert not problems, f"{visit.name} ({language}, {visit.path}):\n  " + "\n  ".join(problems)


def test_html_is_valid(inspectors):
    """All the pages above, as served, through the Nu HTML Checker in one run."""
    inspectors.finish(timeout=PAGE_WAIT_S)
    pages = sorted(HTML.glob("*.html"))
    assert pages, "no page was visited, so no HTML was checked"
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", str(HTML)],
        capture_output=True,
        text=True,
        timeout=VNU_TIMEOUT_S,
        check=False,
    )
    assert result.stdout.strip(), (
        f"the Nu checker said nothing (exit {result.returncode}):\n{result.stderr}"
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, f"{len(errors)} Nu checker errors in {len(pages)} pages:\n" + "\n".join(
        errors
    )
