"""scheduled job: tasks the app runs by itself, one process at a time

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import registration.types


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduled_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("next_run_at", registration.types.UTCDateTime(), nullable=False),
        sa.Column("leased_by", sa.String(length=120), nullable=True),
        sa.Column("lease_expires_at", registration.types.UTCDateTime(), nullable=True),
        sa.Column("last_started_at", registration.types.UTCDateTime(), nullable=True),
        sa.Column("last_finished_at", registration.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_job")),
        sa.UniqueConstraint("name", name=op.f("uq_scheduled_job_name")),
    )


def downgrade():
    op.drop_table("scheduled_job")
