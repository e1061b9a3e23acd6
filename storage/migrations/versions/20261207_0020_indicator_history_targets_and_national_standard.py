"""indicator history targets and national standard: earlier years' targets and a national
standard per indicator, for the LKjIP's Bab III.A analyses

Revision ID: 0020
Revises: 0013
Create Date: 2026-12-07 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0020'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('indicator') as batch:
        batch.add_column(
            sa.Column('history_targets', sa.JSON(), nullable=False, server_default='{}')
        )
        batch.add_column(sa.Column('national_low', sa.Numeric(20, 4), nullable=True))
        batch.add_column(sa.Column('national_high', sa.Numeric(20, 4), nullable=True))
        batch.add_column(
            sa.Column(
                'national_source', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('indicator') as batch:
        batch.drop_column('national_source')
        batch.drop_column('national_high')
        batch.drop_column('national_low')
        batch.drop_column('history_targets')
