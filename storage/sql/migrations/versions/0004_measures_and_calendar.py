"""figures.measure; releases.placed_at, releases.backfill, digest_marks: digests follow publication time

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:00:00
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from storage.sql.models import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_PLACED = "CASE WHEN published_at IS NOT NULL AND published_at <= first_seen_at THEN published_at ELSE first_seen_at END"


def upgrade() -> None:
    # figures stored before keep a NULL measure and their subject-based measure_key: they are
    # still compared by subject, and `prwatch topics rematch` gives them measures
    with op.batch_alter_table('figures') as batch:
        batch.add_column(sa.Column('measure', sa.Text(), nullable=True))
    with op.batch_alter_table('releases') as batch:
        batch.add_column(sa.Column('placed_at', UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('backfill', sa.Boolean(), server_default='0', nullable=False))
        batch.create_index('ix_releases_placed_at', ['placed_at'])
    op.execute(f"UPDATE releases SET placed_at = {_PLACED}")
    op.execute("UPDATE figures SET stated_at = first_seen_at WHERE stated_at > first_seen_at")
    # digests written before this upgrade count as current: later runs write what changes from now
    marks = op.create_table('digest_marks', sa.Column('id', sa.Integer(), nullable=False),
                            sa.Column('written_through', UTCDateTime(), nullable=False),
                            sa.PrimaryKeyConstraint('id'))
    op.bulk_insert(marks, [{"id": 1, "written_through": datetime.now(timezone.utc)}])


def downgrade() -> None:
    op.drop_table('digest_marks')
    with op.batch_alter_table('releases') as batch:
        batch.drop_index('ix_releases_placed_at')
        batch.drop_column('backfill')
        batch.drop_column('placed_at')
    with op.batch_alter_table('figures') as batch:
        batch.drop_column('measure')
