"""The audit log (issue 12): security-relevant events, appended and never changed. An event
outlives the accounts it names (their ids become NULL on deletion, the emails stay) until
`infoview prune-audit` deletes it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('target_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_id'], ['user_account.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_target_id'), ['target_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_target_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_kind'))
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
    op.drop_table('audit_event')
