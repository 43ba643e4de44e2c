"""Step fields: the pitch's guided parts and the interview checklist (existing rows get
empty parts and unticked boxes).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 02:17:29.302091
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('exploration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pitch_who_i_am', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('pitch_what_i_study', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('pitch_why_this_field', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('pitch_why_this_person', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False,
                                      server_default=''))

    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arrived_early', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('asked_for_card', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('thanked_them', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_column('thanked_them')
        batch_op.drop_column('asked_for_card')
        batch_op.drop_column('arrived_early')

    with op.batch_alter_table('exploration', schema=None) as batch_op:
        batch_op.drop_column('pitch_why_this_person')
        batch_op.drop_column('pitch_why_this_field')
        batch_op.drop_column('pitch_what_i_study')
        batch_op.drop_column('pitch_who_i_am')

