"""Indexes for the staff dashboard: each period's rows by date (covering the owner where the
dashboard counts students), and each exploration's first contact, attempt, interview held
and thank-you note.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 04:24:01.472591
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('contact', 'ix_contact_created_at_owner_id_stage_source_referred_by_id',
     ['created_at', 'owner_id', 'stage', 'source', 'referred_by_id']),
    ('contact', 'ix_contact_exploration_id_created_at', ['exploration_id', 'created_at']),
    ('exploration', 'ix_exploration_created_at_owner_id', ['created_at', 'owner_id']),
    ('follow_up_task', 'ix_follow_up_task_completed_at', ['completed_at']),
    ('follow_up_task', 'ix_follow_up_task_exploration_id_kind_status_completed_at',
     ['exploration_id', 'kind', 'status', 'completed_at']),
    ('interview', 'ix_interview_exploration_id_status_scheduled_at',
     ['exploration_id', 'status', 'scheduled_at']),
    ('interview', 'ix_interview_scheduled_at_status_owner_id',
     ['scheduled_at', 'status', 'owner_id']),
    ('outreach_attempt', 'ix_outreach_attempt_attempted_on_owner_id',
     ['attempted_on', 'owner_id']),
    ('outreach_attempt', 'ix_outreach_attempt_contact_id_attempted_on',
     ['contact_id', 'attempted_on']),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
