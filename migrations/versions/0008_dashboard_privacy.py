"""Staff dashboard privacy (issue 10): the institution's minimum group size (existing
settings get 5, the figure the dashboard used before) and the table holding the key that
fixes how each dashboard cell is rounded (its one row is created on first use).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rounding_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('institution_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_group_size', sa.Integer(), server_default='5',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('institution_settings', schema=None) as batch_op:
        batch_op.drop_column('min_group_size')
    op.drop_table('rounding_key')
