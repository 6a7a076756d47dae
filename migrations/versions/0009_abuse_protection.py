"""abuse protection: rate-limit counters, the block list, double opt-in and junk clean-up

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 01:29:02.122370

"""

from alembic import op
import sqlalchemy as sa

import registration.types


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

AUDIT_ACTIONS = (
    "event_created", "event_changed", "event_published", "event_unpublished",
    "event_cancelled", "event_duplicated", "exported", "reg_added", "reg_changed",
    "reg_cancelled", "reg_confirmed", "attendance_marked", "message_sent", "account_created",
    "account_disabled", "account_enabled", "password_reset",
)  # fmt: skip
NEW_AUDIT_ACTIONS = ("junk_removed", "address_blocked", "address_unblocked")


def _audit_actions_check(actions):
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_entry_auditaction"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_entry_auditaction"),
            "action IN (%s)" % ", ".join(f"'{action}'" for action in actions),
        )


def upgrade():
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counter")),
    )
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.create_index("ix_rate_limit_counter_expires_at", ["expires_at"], unique=False)

    op.create_table(
        "blocked_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=254), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_at", registration.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocked_address")),
        sa.UniqueConstraint("value", name=op.f("uq_blocked_address_value")),
    )

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirm_within_hours", sa.Integer(), nullable=True))

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "cancel_reason",
                sa.Enum(
                    "person",
                    "organiser",
                    "unconfirmed",
                    "junk",
                    name="cancelreason",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("confirm_by", registration.types.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("email_confirmed_at", registration.types.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("network_hash", sa.String(length=16), nullable=False, server_default="")
        )

    _audit_actions_check(AUDIT_ACTIONS + NEW_AUDIT_ACTIONS)


def downgrade():
    op.execute(
        "DELETE FROM audit_entry WHERE action IN (%s)"
        % ", ".join(f"'{action}'" for action in NEW_AUDIT_ACTIONS)
    )
    _audit_actions_check(AUDIT_ACTIONS)

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("network_hash")
        batch_op.drop_column("email_confirmed_at")
        batch_op.drop_column("confirm_by")
        batch_op.drop_constraint(op.f("ck_registration_cancelreason"), type_="check")
        batch_op.drop_column("cancel_reason")

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("confirm_within_hours")

    op.drop_table("blocked_address")
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_counter_expires_at")
    op.drop_table("rate_limit_counter")
