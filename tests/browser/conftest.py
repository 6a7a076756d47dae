"""The browser suite's fixtures: the site served by gunicorn, and Chromium looking at it.

The site is the real thing: migrations, `seed-demo`, `create-organiser`, the states of
`world.py`, then gunicorn on a loopback port, with its mail written into the instance's
`mail/` folder. Chromium is Debian's (Playwright drives it; no browser is downloaded), and
every request to another host is refused and reported. What the suite leaves for people to
look at (screenshots, the HTML it checked, the PDFs) is under `build/browser/`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

from ..live_server import ROOT, free_port, gunicorn

SUITE = Path(__file__).resolve().parent
BUILD = ROOT / "build" / "browser"
NODE_MODULES = SUITE / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("BROWSER_CHROMIUM", "/usr/bin/chromium")
#: Debian's Chromium as root, with nothing that reaches out to the network by itself.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANGUAGES = ("lv", "en")
#: Who looks at the pages: the public, an organiser with the administrator's role (who sees
#: every screen) and one without it; `pages.py` names them for each page.
PUBLIC, ORGANISER, NOT_ADMIN = "public", "organiser", "organiser, not admin"
ADMIN_EMAIL = "valdis@partneriba.example"
#: The address the accessibility statement gives for questions about the site.
ORGANISATION_EMAIL = "pieejamiba@partneriba.example"
ADMIN_PASSWORD = "garš-un-drošs-parole-42"
#: audience → (email, password, administrator?)
ACCOUNTS = {
    ORGANISER: (ADMIN_EMAIL, ADMIN_PASSWORD, True),
    NOT_ADMIN: ("ilze@partneriba.example", "vēl-viena-droša-parole-7", False),
}
#: Bounds on everything that waits: a page, a command that builds the site.
PAGE_TIMEOUT_MS = 15_000
COMMAND_TIMEOUT_S = 120


def pytest_configure(config):
    missing = [str(path) for path in (Path(CHROMIUM), AXE_SCRIPT, VNU_JAR) if not path.exists()] + (
        [] if shutil.which("java") else ["java"]
    )
    if missing:
        pytest.exit(
            "The browser suite needs Chromium, axe-core, the Nu HTML Checker and Java; missing: "
            + ", ".join(missing)
            + ". `make browser-test` installs them (Debian packages and npm).",
            returncode=2,
        )


@dataclass
class Site:
    base_url: str
    instance: Path
    #: Slugs, ids and private-link tokens of the states `world.py` built.
    world: dict

    def url(self, path: str) -> str:
        return self.base_url + path.format(**self.world)

    @property
    def mail_folder(self) -> Path:
        return self.instance / "mail"


def _python(env: dict, *args: str, stdin: str | None = None) -> str:
    """Run `python ARGS` in the project folder; its output, or an error that shows it."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _flask(env: dict, *args: str, stdin: str | None = None) -> str:
    return _python(env, "-m", "flask", "--app", "registration", *args, stdin=stdin)


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """The app with the demo programme and the world's states, served by gunicorn."""
    instance = BUILD / "instance"
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    port = free_port()
    env = {
        **os.environ,
        "REGISTRATION_INSTANCE_PATH": str(instance),
        "FLASK_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'registration.sqlite3'}",
        "FLASK_ORGANISATION_EMAIL": ORGANISATION_EMAIL,
        # The keyboard journeys type faster than a person: no shortest time for the form.
        "FLASK_SIGNUP_MIN_SECONDS": "0",
    }
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")
    for email, password, is_admin in ACCOUNTS.values():
        role = ["--admin"] if is_admin else []
        _flask(env, "create-organiser", email, *role, stdin=password + "\n")
    world = _python({**env, "FLASK_MAIL_BACKGROUND_SENDER": "false"}, "-m", "tests.browser.world")
    # One process, as SQLite is served; threads for the page and its stylesheet at once.
    with gunicorn(env=env, workers=1, threads=4, port=port) as base_url:
        yield Site(base_url=base_url, instance=instance, world=json.loads(world))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


#: How Chromium logs a document answered with an error status.
DOCUMENT_STATUS = "Failed to load resource: the server responded with a status of"


@dataclass
class Watch:
    """What a page did besides showing itself: its documents, console errors, script errors.

    Chromium logs every document answered with an error status (a 404 page, a form answered
    422) as a console error; those statuses are checked against what the visit expects
    instead, so only errors about anything else count here.
    """

    documents: list[Response] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        def on_response(response: Response) -> None:
            if response.request.resource_type == "document" and response.frame == page.main_frame:
                self.documents.append(response)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.console_errors.append((message.location.get("url", ""), message.text))

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))

    @property
    def problems(self) -> list[str]:
        documents = {response.url for response in self.documents}
        return [
            f"console error: {text}"
            for url, text in self.console_errors
            if not (text.startswith(DOCUMENT_STATUS) and url.partition("#")[0] in documents)
        ] + [f"script error: {text}" for text in self.script_errors]


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_context(
    browser: Browser, site: Site, language: str, storage_state: dict | None = None
) -> BrowserContext:
    """A visitor who chose `language` (logged in, given the cookies of `storage_state`);
    requests to any other host are refused and noted."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=language, storage_state=storage_state
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.add_cookies([{"name": "lang", "value": language, "url": site.base_url}])
    own = urlsplit(site.base_url).netloc
    context.foreign_requests = []  # type: ignore[attr-defined]

    def only_this_site(route, request):
        if urlsplit(request.url).netloc == own or request.url.startswith("data:"):
            route.continue_()
        else:
            context.foreign_requests.append(request.url)  # type: ignore[attr-defined]
            route.abort()

    context.route("**/*", only_this_site)
    return context


def log_in(page: Page, site: Site, email: str, password: str) -> None:
    page.goto(site.url("/admin/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert urlsplit(page.url).path == "/admin/", f"login failed, at {page.url}"


@pytest.fixture(scope="session")
def logins(browser, site) -> dict[tuple[str, str], dict]:
    """Each account's cookies after one login per language, for every context of that
    (audience, language): the login form allows only a few attempts a minute."""
    states = {}
    for audience, (email, password, _) in ACCOUNTS.items():
        for language in LANGUAGES:
            context = new_context(browser, site, language)
            page = context.new_page()
            log_in(page, site, email, password)
            states[audience, language] = context.storage_state()
            context.close()
    return states


@pytest.fixture(scope="session")
def contexts(browser, site, logins) -> Iterator[Callable[[str, str], BrowserContext]]:
    """One browser context per (audience, language), made on first use."""
    made: dict[tuple[str, str], BrowserContext] = {}

    def get(audience: str, language: str) -> BrowserContext:
        if (audience, language) not in made:
            state = logins.get((audience, language))
            made[audience, language] = new_context(browser, site, language, state)
        return made[audience, language]

    yield get
    for context in made.values():
        context.close()
