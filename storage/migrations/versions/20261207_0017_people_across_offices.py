"""people across offices: one Telegram account may be a person in several offices

The account was unique among people; now it is unique per office, and each person row
remembers when its office was chosen with /kantor (the account's current office).

Revision ID: 0017
Revises: 0010
Create Date: 2026-12-07 07:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0017'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's unique constraint of the initial schema has no name: the batch names it to drop it.
_SQLITE_NAMES = {'uq': 'uq_%(table_name)s_%(column_0_name)s'}


def _old_unique() -> str:
    if op.get_bind().dialect.name == 'sqlite':
        return 'uq_person_telegram_user_id'
    return 'person_telegram_user_id_key'


def upgrade() -> None:
    with op.batch_alter_table('person', naming_convention=_SQLITE_NAMES) as batch_op:
        batch_op.drop_constraint(_old_unique(), type_='unique')
        batch_op.add_column(sa.Column('office_chosen_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_person_telegram_user_id', ['telegram_user_id'], unique=False)
        batch_op.create_unique_constraint(
            'uq_person_office_account', ['office_id', 'telegram_user_id']
        )


def downgrade() -> None:
    with op.batch_alter_table('person', naming_convention=_SQLITE_NAMES) as batch_op:
        batch_op.drop_constraint('uq_person_office_account', type_='unique')
        batch_op.drop_index('ix_person_telegram_user_id')
        batch_op.drop_column('office_chosen_at')
        batch_op.create_unique_constraint(_old_unique(), ['telegram_user_id'])
