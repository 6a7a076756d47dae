"""event calendar_changed_at: when anything a calendar file shows last changed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 00:50:00.000000

"""

from alembic import op
import sqlalchemy as sa

import registration.types


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_changed_at", registration.types.UTCDateTime(), nullable=True)
        )
    op.execute("UPDATE event SET calendar_changed_at = updated_at")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.alter_column(
            "calendar_changed_at", existing_type=registration.types.UTCDateTime(), nullable=False
        )


def downgrade():
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("calendar_changed_at")
