"""`flask --app registration data anonymise [--dry-run]`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from registration.extensions import db
from registration.models import Registration
from registration.timeutil import frozen_time

NOW = datetime(2027, 3, 31, 10, 0, tzinfo=UTC)


def _anonymised() -> list[bool]:
    query = sa.select(Registration).order_by(Registration.id)
    return [r.is_anonymised for r in db.session.scalars(query.execution_options(populate_existing=True))]  # fmt: skip


def test_dry_run_then_run_then_nothing_left(app, runner, make_event, make_registration):
    with frozen_time(NOW):
        old = make_event(starts_at=NOW - timedelta(days=800))
        new = make_event(starts_at=NOW - timedelta(days=30))
        for _ in range(3):
            make_registration(old)
        make_registration(new)

        dry = runner.invoke(args=["data", "anonymise", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert dry.output == (
            "Events that ended before 2025-03-31 10:00 UTC (24 months ago): 3 registrations "
            "of 1 events would be anonymised, 0 outbox messages would be deleted.\n"
        )
        assert _anonymised() == [False] * 4

        real = runner.invoke(args=["data", "anonymise"])
        assert real.exit_code == 0, real.output
        assert "3 registrations of 1 events were anonymised" in real.output
        assert _anonymised() == [True, True, True, False]

        again = runner.invoke(args=["data", "anonymise"])
        assert "0 registrations of 0 events were anonymised" in again.output
