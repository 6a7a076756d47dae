"""Looking at the pages of `pages.py`, two at a time, each worker in a Chromium of its own.

One page costs a second or two of browser work (layout, axe-core, screenshots), most of it
on one core; two workers keep both cores of a small machine busy. Playwright's sync API
belongs to the thread that started it, so each worker thread starts its own. The tests in
`test_pages.py` are asked in the order the jobs were queued, and each waits only for the
answer about its own page.
"""

from __future__ import annotations

import queue
import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

from . import checks
from .conftest import BUILD, Site, Watch, launch, new_context
from .pages import Visit

WORKERS = 2
HTML = BUILD / "html"
SCREENSHOTS = BUILD / "screenshots"


@dataclass(frozen=True)
class Job:
    visit: Visit
    language: str


def file_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def inspect(context: BrowserContext, site: Site, job: Job) -> list[str]:
    """Open the page, bring it to its state, and return every problem found on it."""
    visit, language = job.visit, job.language
    context.foreign_requests.clear()  # type: ignore[attr-defined]
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    name = file_name(visit.name)
    try:
        page.goto(site.url(visit.path))
        if visit.state:
            visit.state(page)
        answer = watch.documents[-1]
        problems = []
        if answer.status != visit.status:
            problems.append(f"answered {answer.status}, expected {visit.status}")
        (HTML / f"{language}-{name}.html").write_bytes(answer.body())
        if (shown := page.locator("html").get_attribute("lang")) != language:
            problems.append(f'<html lang="{shown}"> on a page asked for in {language}')
        # Absolute on the embeddable list, which is shown inside other sites' pages.
        if not page.locator("footer a[href$='/pieejamiba']").count():
            problems.append("no link to the accessibility statement in the footer")

        checks.screenshot(page, SCREENSHOTS / language / f"{name}-1280.jpg")
        problems += checks.axe_violations(page, checks.LAYOUT_RULES)
        page.set_viewport_size({"width": 360, "height": 800})
        checks.screenshot(page, SCREENSHOTS / language / f"{name}-360.jpg")
        problems += [f"at 360 px, {p}" for p in checks.axe_violations(page)]
        problems += checks.small_targets(page)
        for width in (*checks.PHONE_WIDTHS, checks.ZOOMED_WIDTH):
            problems += checks.sideways_scrolling(page, width)
        if visit.print_layout:
            problems += checks.print_width(page)
        problems += checks.text_zoom(page)
        problems += watch.problems
        problems += [
            f"request to another host: {url}"
            for url in context.foreign_requests  # type: ignore[attr-defined]
        ]
    finally:
        page.close()
    return problems


class Inspectors:
    """Worker threads that inspect the queued jobs; `result(job)` waits for one."""

    def __init__(self, site: Site, logins: dict[tuple[str, str], dict], jobs: list[Job]) -> None:
        self.site, self.logins = site, logins
        self.results: dict[Job, Future] = {job: Future() for job in jobs}
        self.jobs: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            self.jobs.put(job)
        for folder in (HTML, SCREENSHOTS):
            Path(folder).mkdir(parents=True, exist_ok=True)
        self.threads = [
            threading.Thread(target=self._work, name=f"inspector-{n}", daemon=True)
            for n in range(min(WORKERS, len(jobs)))
        ]
        for thread in self.threads:
            thread.start()

    def _work(self) -> None:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            contexts: dict[tuple[str, str], BrowserContext] = {}
            try:
                while True:
                    try:
                        job = self.jobs.get_nowait()
                    except queue.Empty:
                        return
                    future = self.results[job]
                    if not future.set_running_or_notify_cancel():
                        continue
                    try:
                        key = (job.visit.audience, job.language)
                        if key not in contexts:
                            state = self.logins.get(key)
                            contexts[key] = new_context(browser, self.site, job.language, state)
                        future.set_result(inspect(contexts[key], self.site, job))
                    except BaseException as error:  # reported by the test that waits for it
                        future.set_exception(error)
            finally:
                browser.close()

    def result(self, job: Job, timeout: float) -> list[str]:
        return self.results[job].result(timeout=timeout)

    def finish(self, timeout: float) -> None:
        """Wait for every job (the HTML of all pages is then on disk)."""
        for thread in self.threads:
            thread.join(timeout)
            if thread.is_alive():
                raise TimeoutError(f"{thread.name} still busy after {timeout} s")

    def stop(self) -> None:
        for future in self.results.values():
            future.cancel()
        for thread in self.threads:
            thread.join(60)
