"""Sign-in with the institution's OpenID provider: oidc_identity links a person at the
provider (issuer and subject) to their InfoView account.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('oidc_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_sign_in_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('oidc_identity', schema=None) as batch_op:
        batch_op.create_index('ix_oidc_identity_user_id', ['user_id'], unique=False)
        batch_op.create_index('uq_oidc_identity_issuer_subject', ['issuer', 'subject'],
                              unique=True)


def downgrade() -> None:
    with op.batch_alter_table('oidc_identity', schema=None) as batch_op:
        batch_op.drop_index('uq_oidc_identity_issuer_subject')
        batch_op.drop_index('ix_oidc_identity_user_id')
    op.drop_table('oidc_identity')
