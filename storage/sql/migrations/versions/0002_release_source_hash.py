"""releases.source_hash: skip parsing feed items whose bytes did not change

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 03:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable and without a default: existing releases get their hash the next time their
    # feed changes, so the upgrade itself rewrites nothing
    with op.batch_alter_table('releases') as batch:
        batch.add_column(sa.Column('source_hash', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('releases') as batch:
        batch.drop_column('source_hash')
