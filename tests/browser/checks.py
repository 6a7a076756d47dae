"""The checks made on every page, each returning the problems it found as sentences.

- axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules, at desktop and phone width;
- reflow: no sideways scrolling at 320 and 360 px (WCAG 1.4.10), and none at 640 px, which
  is what a 1280 px window shows at 200% zoom;
- text zoom: with the text alone made twice as big, every text grows with it, nothing is cut
  off and the page still does not scroll sideways (WCAG 1.4.4);
- targets: checkboxes and radio buttons at least 24 px square;
- print layout (printed lists): the content fits the width of an A4 page.
The HTML itself goes to the Nu HTML Checker at the end of the run (`test_pages.py`).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from .conftest import AXE_SCRIPT

#: axe-core's tags for the success criteria of WCAG 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
#: The rules whose outcome depends on the layout, run again at desktop width (the whole set
#: runs at phone width): contrast over what lies behind, target spacing, scrolling boxes.
LAYOUT_RULES = [
    "color-contrast",
    "target-size",
    "scrollable-region-focusable",
    "link-in-text-block",
]
PHONE_WIDTHS = (320, 360)
#: The smallest checkbox or radio button allowed (WCAG 2.2 target size, AA).
MIN_TARGET_PX = 24
#: A 1280 px wide window at 200% zoom lays the page out 640 CSS px wide.
ZOOMED_WIDTH = 640
#: The printable width of A4 with the sheets' 12 mm margins, in CSS px (96 per inch).
A4_PRINT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)

_axe_source: str | None = None


def axe_violations(page: Page, rules: list[str] | None = None) -> list[str]:
    """axe-core's WCAG 2.2 A/AA rules (or only `rules`) on the page as it is laid out now."""
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_SCRIPT.read_text(encoding="utf-8")
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so the site's CSP (no inline scripts)
        # stays in force for everything the page itself does.
        page.evaluate(_axe_source)
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    result = page.evaluate(
        """only => axe.run(document, {runOnly: only, resultTypes: ["violations"]})""", only
    )
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


_OVERFLOW = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width) return null;
    // The innermost elements that stick out on the right, to say where the problem is.
    const out = [...document.body.querySelectorAll("*")].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 &&
            ![...el.children].some(child => child.getBoundingClientRect().right > width + 1);
    });
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    return {scrollWidth: root.scrollWidth, width, culprits: out.slice(0, 4).map(name)};
}"""


def sideways_scrolling(page: Page, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 800})
    found = page.evaluate(_OVERFLOW)
    if not found:
        return []
    return [
        f"scrolls sideways at {width} px: {found['scrollWidth']} px wide, "
        f"sticking out: {', '.join(found['culprits'])}"
    ]


_CLIPPED = """() => {
    // Elements whose text is cut off: content wider or taller than a box that hides it.
    // (Form fields are left out: a long value scrolls inside its box, as it should.)
    const hides = v => v === "hidden" || v === "clip";
    return [...document.body.querySelectorAll("*:not(input, textarea, select)")].filter(el => {
        const style = getComputedStyle(el);
        if (!(hides(style.overflowX) || hides(style.overflowY))) return false;
        if (el.getBoundingClientRect().width <= 1) return false;  // visually hidden on purpose
        return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    }).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")).slice(0, 4);
}"""

_TEXT_SIZES = """() => [...document.body.querySelectorAll("*")]
    .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(el => parseFloat(getComputedStyle(el).fontSize))"""


def text_zoom(page: Page) -> list[str]:
    """Text twice as big, as a browser's text-only zoom or a phone's font setting does."""
    problems = []
    page.set_viewport_size({"width": 1280, "height": 900})
    before = page.evaluate(_TEXT_SIZES)
    page.evaluate(
        """() => { const root = document.documentElement;
        root.dataset.zoomed = root.style.fontSize;
        root.style.fontSize = 2 * parseFloat(getComputedStyle(root).fontSize) + "px"; }"""
    )
    after = page.evaluate(_TEXT_SIZES)
    fixed = sum(1 for a, b in zip(before, after, strict=True) if b < 1.9 * a)
    if fixed:
        problems.append(f"at 200% text, {fixed} texts do not grow (sizes in px?)")
    if clipped := page.evaluate(_CLIPPED):
        problems.append(f"at 200% text, cut off: {', '.join(clipped)}")
    problems += [f"at 200% text, {p}" for p in sideways_scrolling(page, 1280)]
    page.evaluate(
        "() => { const root = document.documentElement; root.style.fontSize = root.dataset.zoomed; }"
    )
    return problems


_SMALL_TARGETS = """least => [...document.querySelectorAll("input[type=checkbox], input[type=radio]")]
    .map(el => [el.id || el.name, el.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0 && (box.width < least || box.height < least))
    .map(([name, box]) => `${name} ${Math.round(box.width)}×${Math.round(box.height)} px`)"""


def small_targets(page: Page) -> list[str]:
    """Checkboxes and radio buttons at least 24 px square (WCAG 2.2 target size, without
    counting on the spacing exception)."""
    return [
        f"target under {MIN_TARGET_PX} px: {found}"
        for found in page.evaluate(_SMALL_TARGETS, MIN_TARGET_PX)
    ]


def print_width(page: Page) -> list[str]:
    """The printed list's content fits the width of an A4 sheet."""
    page.emulate_media(media="print")
    try:
        return [f"in print, {p}" for p in sideways_scrolling(page, A4_PRINT_WIDTH)]
    finally:
        page.emulate_media(media="screen")


def screenshot(page: Page, path: Path) -> None:
    """The whole page as laid out now; JPEG, which Chromium writes twice as fast as PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True, quality=80)
