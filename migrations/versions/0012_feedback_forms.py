"""feedback forms after an event

An event's feedback form (its closing moment, whether names are shown, when the thank-you goes
out on its own), the responses and their answers; questions learn which form asks them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 04:04:50.743469

"""
from alembic import op
import sqlalchemy as sa

import registration.types


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('closes_at', registration.types.UTCDateTime(), nullable=False),
    sa.Column('shows_names', sa.Boolean(), nullable=False),
    sa.Column('send_after_hours', sa.Integer(), nullable=True),
    sa.Column('sent_at', registration.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', registration.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registration.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_feedback_form_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_form')),
    sa.UniqueConstraint('event_id', name=op.f('uq_feedback_form_event_id'))
    )
    op.create_table('feedback_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', registration.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_feedback_response_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_feedback_response_registration_id_registration'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_response')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_feedback_response_registration_id'))
    )
    with op.batch_alter_table('feedback_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_response_event_id'), ['event_id'], unique=False)

    op.create_table('feedback_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('flag', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_feedback_answer_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['feedback_response.id'], name=op.f('fk_feedback_answer_response_id_feedback_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_answer')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_feedback_answer_response_id'))
    )
    with op.batch_alter_table('feedback_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_answer_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_answer_response_id'), ['response_id'], unique=False)

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', sa.Enum('signup', 'feedback', name='questionform', native_enum=False, create_constraint=True, length=20), server_default='signup', nullable=False))



def downgrade():
    # The feedback form's questions go with their form.
    op.execute("DELETE FROM question WHERE form = 'feedback'")
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_question_questionform'), type_='check')
        batch_op.drop_column('form')

    with op.batch_alter_table('feedback_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_answer_response_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_answer_question_id'))

    op.drop_table('feedback_answer')
    with op.batch_alter_table('feedback_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_response_event_id'))

    op.drop_table('feedback_response')
    op.drop_table('feedback_form')
