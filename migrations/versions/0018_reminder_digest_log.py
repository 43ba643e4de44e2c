"""Reminder digests (issue 14): reminder_digest, one row per student and day of their own
calendar, claimed then marked sent by `infoview send-reminders`, so that no digest is sent
twice.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reminder_digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reminder_digest', schema=None) as batch_op:
        batch_op.create_index('uq_reminder_digest_user_id_local_date',
                              ['user_id', 'local_date'], unique=True)
        batch_op.create_index('ix_reminder_digest_sent_at', ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminder_digest', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_digest_sent_at')
        batch_op.drop_index('uq_reminder_digest_user_id_local_date')
    op.drop_table('reminder_digest')
