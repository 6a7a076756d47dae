"""registration anonymised_at: when a registration's personal data were erased

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-26 04:31:12.603000

"""

from alembic import op
import sqlalchemy as sa

import registration.types


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anonymised_at", registration.types.UTCDateTime(), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
