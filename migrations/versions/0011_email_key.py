"""Email keys that work in every script (issue 12): user_account.email_key, the address in
NFKC with Unicode case folding, replaces the unique index on lower(email). SQLite's lower()
folds only ASCII, so "Ådne@uni.no" registered and could never sign in.

Existing rows get their key here. Two accounts that only the new folding makes one (possible
on SQLite: "Ådne@uni.no" and "ådne@uni.no") keep their data: the older keeps the key, and a
newer one gets a key no address can have ("<id>#" before it), so it can no longer sign in
(on SQLite it never could); the migration prints each such account for the office.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:10:00
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(address: str) -> str:
    """services/core/validation.email_key as of this migration (kept here: a migration must
    not change when the app's code does)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", address.strip())
                                 .casefold())


def upgrade() -> None:
    # No batch (table copy) on SQLite: dropping the old user_account would break the
    # references of every other table. ADD COLUMN with a default and a unique index need none.
    op.drop_index('uq_user_account_email_lower', table_name='user_account')
    op.add_column('user_account', sa.Column(
        'email_key', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False,
        server_default=''))
    connection = op.get_bind()
    users = sa.table('user_account', sa.column('id', sa.Integer),
                     sa.column('email', sa.String), sa.column('email_key', sa.String))
    taken: set[str] = set()
    keys = []
    for user_id, email in connection.execute(
            sa.select(users.c.id, users.c.email).order_by(users.c.id)):
        key = _key(email)
        if key in taken:
            print(f"0011: account {user_id} <{email}> is the same address as an older "
                  "account; it can no longer sign in")
            key = f"{user_id}#{key}"
        taken.add(key)
        keys.append({"user_id": user_id, "key": key})
    if keys:
        connection.execute(users.update().where(users.c.id == sa.bindparam('user_id'))
                           .values(email_key=sa.bindparam('key')), keys)
    if connection.dialect.name == 'postgresql':  # SQLite can't drop a default in place
        op.alter_column('user_account', 'email_key', server_default=None)
    op.create_index('uq_user_account_email_key', 'user_account', ['email_key'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_user_account_email_key', table_name='user_account')
    op.drop_column('user_account', 'email_key')
    op.create_index('uq_user_account_email_lower', 'user_account', [sa.text('lower(email)')],
                    unique=True)
