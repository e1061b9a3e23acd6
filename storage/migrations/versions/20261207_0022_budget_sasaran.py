"""budget sasaran: the sasaran strategis each budget line serves (LKjIP III.A (6)-(7), III.B)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing lines serve no named sasaran: dukungan manajemen until the office maps them.
    with op.batch_alter_table('budget_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sasaran_codes', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('budget_item', schema=None) as batch_op:
        batch_op.drop_column('sasaran_codes')
