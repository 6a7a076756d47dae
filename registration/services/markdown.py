"""Formatted text that organisers write (posts, project texts): Markdown, made safe.

CommonMark through markdown-it-py with raw HTML switched off, so `<script>`, `onerror=`
and any other tag come out as visible text, never as markup. Links keep only the schemes a
reader's browser should follow from a public page (http, https, mailto, tel, and addresses on
this site); a `javascript:` or `data:` link stays plain text. Images are left out: photos are
uploaded, checked and scaled (see uploads.py), never hot-linked. The text's highest heading
becomes the level the page asks for (h2 under a page's title, h3 under a section), so a
page's headings stay in order whether the writer typed "#" or "##".
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

#: Link targets a public page may carry: web and mail addresses, phone numbers, and paths
#: on this site. Anything else (javascript:, data:, vbscript:, file:…) is not a link.
SAFE_LINK = re.compile(r"(https?://|mailto:|tel:|/(?!/)|#)", re.IGNORECASE)


def _is_safe_link(url: str) -> bool:
    # markdown-it hands over the normalised URL: entities decoded, percent-encoded.
    return bool(SAFE_LINK.match(url.strip()))


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = _is_safe_link
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


def _level(tag: str, shift: int) -> str:
    return f"h{max(1, min(int(tag[1]) + shift, 6))}"


def _heading_open(self, tokens, idx, options, env):
    return f"<{_level(tokens[idx].tag, env['heading_shift'])}>"


def _heading_close(self, tokens, idx, options, env):
    return f"</{_level(tokens[idx].tag, env['heading_shift'])}>\n"


_MD = _parser()


def render(text: str | None, top_heading: int = 2) -> Markup:
    """The HTML of `text`, safe to put in a page; its highest heading becomes `top_heading`."""
    if not text or not text.strip():
        return Markup("")
    tokens = _MD.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    env = {"heading_shift": top_heading - min(levels, default=top_heading)}
    # Safe by construction: raw HTML is off and every text token is escaped by the renderer.
    return Markup(_MD.renderer.render(tokens, _MD.options, env))  # noqa: S704


def plain(text: str | None, limit: int | None = None) -> str:
    """The words of `text` without formatting (for feeds' summaries and link previews)."""
    if not text:
        return ""
    blocks = [
        "".join(
            " " if child.type in ("softbreak", "hardbreak") else child.content
            for child in token.children or []
            if child.type in ("text", "code_inline", "softbreak", "hardbreak")
        )
        for token in _MD.parse(text)
        if token.type == "inline"
    ]
    words = " ".join(blocks)
    words = re.sub(r"\s+", " ", words).strip()
    if limit is not None and len(words) > limit:
        words = words[: limit - 1].rsplit(" ", 1)[0] + "…"
    return words
