"""office parent: a kabupaten/kota office names the KPU Provinsi it reports to

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('office') as batch:
        batch.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_office_parent_id'), ['parent_id'], unique=False)
        batch.create_foreign_key('fk_office_parent_id_office', 'office', ['parent_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('office') as batch:
        batch.drop_constraint('fk_office_parent_id_office', type_='foreignkey')
        batch.drop_index(batch.f('ix_office_parent_id'))
        batch.drop_column('parent_id')
