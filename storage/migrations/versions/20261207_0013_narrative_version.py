"""narrative version: every version of the LKjIP's narrative sections the team wrote

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-07 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0013'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'narrative_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('author_person_id', sa.Integer(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_person_id'], ['person.id']),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cycle_id', 'section', 'version'),
    )
    op.create_index(
        op.f('ix_narrative_version_cycle_id'), 'narrative_version', ['cycle_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_narrative_version_cycle_id'), table_name='narrative_version')
    op.drop_table('narrative_version')
