"""Everyone's own time zone and reminder preference (issue 14): user_account.time_zone (None
means the institution's zone) and user_account.reminder_frequency (daily by default).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): other tables' foreign keys refer to user_account.
    op.add_column('user_account', sa.Column(
        'time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('user_account', sa.Column(
        'reminder_frequency', sa.String(length=8), nullable=False, server_default='daily'))


def downgrade() -> None:
    op.drop_column('user_account', 'reminder_frequency')
    op.drop_column('user_account', 'time_zone')
