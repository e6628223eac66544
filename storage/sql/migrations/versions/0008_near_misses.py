"""near_misses: topics a release came within 0.1 of without matching, with the threshold then

Releases stored before this revision have none recorded; `prwatch topics rematch` records
theirs (it re-scores every stored release).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'near_misses',
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('releases.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('topic_id', sa.String(length=100), primary_key=True),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('threshold', sa.Float(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
    )
    op.create_index('ix_near_misses_topic_id', 'near_misses', ['topic_id'])


def downgrade() -> None:
    op.drop_table('near_misses')
