"""News posts: the list, newest first, and each post with live boxes of its events."""

from __future__ import annotations

from flask import abort, render_template, request

from ..services import events, policy, posts
from . import bp

PAGE_SIZE = 10


@bp.get("/jaunumi")
def news():
    page = request.args.get("lapa", 1, type=int)
    if not 1 <= page <= posts.MAX_PAGE:
        abort(404)
    found, has_next = posts.page_of_posts(page, PAGE_SIZE)
    if page > 1 and not found:
        abort(404)
    return render_template("public/news.html", posts=found, page=page, has_next=has_next)


@bp.get("/jaunumi/<slug>")
def post_detail(slug: str):
    post = posts.public_post(slug)
    if post is None:
        abort(404)
    shown = [event for event in post.events if event.status in events.VISIBLE]
    return render_template(
        "public/post.html", post=post, events=shown, state_of=policy.registration_state
    )
