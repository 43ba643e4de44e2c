"""Institution time zone: the staff dashboard counts its days and weeks in it (existing
settings get UTC, what the dashboard counted in before).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('institution_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=False, server_default='UTC'))


def downgrade() -> None:
    with op.batch_alter_table('institution_settings', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
