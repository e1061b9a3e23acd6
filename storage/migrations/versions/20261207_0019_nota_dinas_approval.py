"""nota dinas approval: a Nota Dinas prepared by another waits for its signer's Setujui

Revision ID: 0019
Revises: 0022
Create Date: 2026-12-07 14:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0019'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE_BEFORE = "status IN ('draft', 'open')"
_LIVE_NOW = "status IN ('draft', 'awaiting_signer', 'open')"


def upgrade() -> None:
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by_person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('approval_message_ids', sa.JSON(), server_default='[]', nullable=False)
        )
        batch_op.create_foreign_key(
            'fk_cycle_submitted_by', 'person', ['submitted_by_person_id'], ['id']
        )
        # A cycle awaiting its signer is live: a second one of the period is refused.
        batch_op.drop_index(
            'uq_cycle_live',
            sqlite_where=sa.text(_LIVE_BEFORE),
            postgresql_where=sa.text(_LIVE_BEFORE),
        )
        batch_op.create_index(
            'uq_cycle_live',
            ['office_id', 'year', 'period'],
            unique=True,
            sqlite_where=sa.text(_LIVE_NOW),
            postgresql_where=sa.text(_LIVE_NOW),
        )


def downgrade() -> None:
    # A cycle still awaiting its signer becomes the draft it was before Kirim.
    op.execute("UPDATE cycle SET status = 'draft' WHERE status = 'awaiting_signer'")
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_cycle_live',
            sqlite_where=sa.text(_LIVE_NOW),
            postgresql_where=sa.text(_LIVE_NOW),
        )
        batch_op.create_index(
            'uq_cycle_live',
            ['office_id', 'year', 'period'],
            unique=True,
            sqlite_where=sa.text(_LIVE_BEFORE),
            postgresql_where=sa.text(_LIVE_BEFORE),
        )
        batch_op.drop_constraint('fk_cycle_submitted_by', type_='foreignkey')
        batch_op.drop_column('approval_message_ids')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('submitted_by_person_id')
