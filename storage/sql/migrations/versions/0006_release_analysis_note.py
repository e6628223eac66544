"""releases.analysis_note: why a release was analysed only in part (a text cap, a time budget)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable: every release stored so far was analysed whole
    with op.batch_alter_table('releases') as batch:
        batch.add_column(sa.Column('analysis_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('releases') as batch:
        batch.drop_column('analysis_note')
