"""organiser session_generation: raised to end every session of an account

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 01:43:12.270770

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # Sessions opened before this change carry no generation and end at their next request.
    with op.batch_alter_table("organiser", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("organiser", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
