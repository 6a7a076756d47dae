"""Flask-Limiter's hooks around every request, run only when they have something to do.

Flask-Limiter checks every request before its view (for limits meant for every route), adds
its headers after it and clears its state at the end. Routes limited by a decorator (the
sign-up form, the login) count in the decorator, whatever the hooks do; so for a page read
with no limit for every route configured, the three hooks only resolve an empty list of
limits and reset an empty state: together a third of what serving a cached page costs.
Here the check runs when some limit can apply to every request, and the two others when a
limit was checked in this request (Flask-Limiter then keeps its state on the request
context). Tests hold each case: limits configured for every route, the sign-up's limit and
its headers.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.globals import request_ctx

from ..extensions import limiter

#: Where Flask-Limiter keeps a request's state once a limit was checked in it.
REQUEST_STATE = "_limiter_request_context"


def limits_every_request_may_meet() -> bool:
    """Whether anything limits requests beyond the routes that carry limits of their own:
    limits for the whole app or by default (RATELIMIT_APPLICATION, RATELIMIT_DEFAULT), a
    blueprint's, meta limits, or the in-memory fallback for a store that is down."""
    manager = limiter.limit_manager
    return bool(
        manager._application_limits
        or manager._default_limits
        or manager._blueprint_limits
        or limiter._meta_limits
        or limiter._in_memory_fallback_enabled
    )


def _check_before_request() -> None:
    if limits_every_request_may_meet():
        limiter._check_request_limit()


def _limit_checked() -> bool:
    return hasattr(request_ctx._get_current_object(), REQUEST_STATE)


def _after_a_check(hook):
    """`hook` (after a request, or at its teardown) only when a limit was checked."""

    def run_if_checked(value: Any) -> Any:
        return hook(value) if _limit_checked() else value

    return run_if_checked


def install(app: Flask) -> None:
    """Put the conditional hooks in the places of Flask-Limiter's own (which it did not
    register with RATELIMIT_ENABLED off)."""
    before = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in before:
        before[before.index(limiter._check_request_limit)] = _check_before_request
    after = app.after_request_funcs.get(None, [])
    for index, hook in enumerate(after):
        if getattr(hook, "args", None) == (limiter,):  # functools.partial(…, limiter)
            after[index] = _after_a_check(hook)
    teardown = app.teardown_request_funcs.get(None, [])
    for index, hook in enumerate(teardown):
        if getattr(hook, "__self__", None) is limiter:
            teardown[index] = _after_a_check(hook)
