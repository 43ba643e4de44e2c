"""Partner requests outlive the student's account (issue 10): a deleted account's requests
stay, without the student, so they keep counting against the partner's monthly cap.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 03:41:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('partner_request', schema=None) as batch_op:
        batch_op.alter_column('student_id', existing_type=sa.INTEGER(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM partner_request WHERE student_id IS NULL")
    with op.batch_alter_table('partner_request', schema=None) as batch_op:
        batch_op.alter_column('student_id', existing_type=sa.INTEGER(), nullable=False)
