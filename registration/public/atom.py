"""Atom 1.0 (RFC 4287) feeds of news posts, written with the standard library.

The format is small and fixed, so it is built here rather than through a library: an id
per entry that never changes (the post's address), the post's date as `published`, its last
change as `updated`, the lead as `summary` and the formatted text as `content`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.etree import ElementTree as ET

from ..models import Post
from ..services import markdown
from ..timeutil import now_utc, to_riga

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(moment: datetime) -> str:
    return to_riga(moment).isoformat(timespec="seconds")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def feed(
    *,
    title: str,
    feed_url: str,
    page_url: str,
    author: str,
    language: str,
    posts: Iterable[Post],
    post_url,
    picture_url,
) -> bytes:
    """The feed document. `post_url(post)` and `picture_url(name)` give absolute links."""
    posts = list(posts)
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": language})
    _add(root, "id", feed_url)
    _add(root, "title", title)
    newest = max((p.updated_at for p in posts), default=None)
    _add(
        root,
        "updated",
        _stamp(max(newest, *(p.published_at for p in posts)) if newest else now_utc()),
    )
    _add(root, "link", rel="self", type="application/atom+xml", href=feed_url)
    _add(root, "link", rel="alternate", type="text/html", href=page_url)
    _add(_add(root, "author"), "name", author)
    for post in posts:
        url = post_url(post)
        entry = _add(root, "entry")
        _add(entry, "id", url)
        _add(entry, "title", post.title)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "published", _stamp(post.published_at))
        _add(entry, "updated", _stamp(max(post.updated_at, post.published_at)))
        summary = post.lead or markdown.plain(post.body, 300)
        if summary:
            _add(entry, "summary", summary)
        content = str(markdown.render(post.body))
        if post.photo is not None:
            picture = picture_url(post.photo.rendition_name(800))
            content = f'<p><img src="{picture}" alt=""></p>\n{content}'
            _add(entry, "link", rel="enclosure", type=post.photo.kind.content_type, href=picture)
        _add(entry, "content", content, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
