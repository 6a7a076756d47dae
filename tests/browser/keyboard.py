"""Using a page with the keyboard alone, as a person who cannot use a mouse does.

Every key press is followed by a look at what has the focus: it must be visible (an outline
or a ring of at least 2 px, inside the window), or the step fails there and then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        type: el.getAttribute("type") || "",
        name: el.getAttribute("name") || "",
        value: el.value === undefined ? "" : String(el.value),
        checked: !!el.checked,
        text: (el.innerText || el.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " "),
        href: el.getAttribute("href") || "",
        ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
            || (style.boxShadow !== "none" && /\\d+px/.test(style.boxShadow)),
        in_window: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
            && box.right > 0 && box.left < innerWidth,
    };
}"""


_ARRIVED = """() => {
    if (document.readyState !== "complete") return false;
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return true;
    const box = target.getBoundingClientRect();
    return box.top < innerHeight && box.bottom > 0;
}"""


@dataclass(frozen=True)
class Focus:
    tag: str
    id: str
    type: str
    name: str
    value: str
    checked: bool
    text: str
    href: str
    ring: bool
    in_window: bool

    def __str__(self) -> str:
        what = f"{self.tag}#{self.id}" if self.id else self.tag
        return f"{what} “{self.text[:50]}”" if self.text else what


class Keyboard:
    """Presses keys on `page` and checks, after each, that the focus can be seen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.steps: list[str] = []

    def focused(self) -> Focus | None:
        found = self.page.evaluate(_FOCUSED)
        return Focus(**found) if found else None

    def press(self, key: str) -> Focus | None:
        self.page.keyboard.press(key)
        focus = self.focused()
        self.steps.append(f"{key} → {focus}")
        if focus is not None:
            assert focus.ring, f"focus not visible on {focus} after {self._trail()}"
            assert focus.in_window, f"focus outside the window on {focus} after {self._trail()}"
        return focus

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.steps.append(f"type “{text}”")

    def tab(self, backwards: bool = False) -> Focus:
        focus = self.press("Shift+Tab" if backwards else "Tab")
        assert focus is not None, f"Tab left the page after {self._trail()}"
        return focus

    def tab_to(
        self, wanted: Callable[[Focus], bool], what: str, most: int = 40, backwards=False
    ) -> int:
        """Tab until `wanted` has the focus; return how many presses it took."""
        for presses in range(1, most + 1):
            if wanted(self.tab(backwards)):
                return presses
        raise AssertionError(f"{what} not reached in {most} Tabs: {self._trail()}")

    def tab_to_text(self, text: str, most: int = 40, backwards=False) -> int:
        return self.tab_to(lambda f: f.text == text, f"“{text}”", most, backwards)

    def enter_and_wait(self, key: str = "Enter") -> None:
        """A key that follows a link or sends a form: wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        # A person looks at the new page before the next key: by then the browser has
        # scrolled to the address's #fragment, where the next Tab starts from.
        self.page.wait_for_function(_ARRIVED)
        self.steps.append(f"{key} → {self.page.url}")

    def _trail(self) -> str:
        return " | ".join(self.steps[-8:])
