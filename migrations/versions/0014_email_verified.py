"""Self-registration proves the address (issue 12): user_account.email_verified_at. Accounts
that exist already count as proven from their creation.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('user_account', sa.Column('email_verified_at',
                                            sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.execute("UPDATE user_account SET email_verified_at = created_at")


def downgrade() -> None:
    op.drop_column('user_account', 'email_verified_at')
