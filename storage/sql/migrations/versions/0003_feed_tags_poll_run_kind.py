"""feeds.tags (OPML categories) and poll_runs.kind (a daemon's poll or a one-off fetch)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # both nullable: existing feeds have no tags, and existing poll runs are of an unknown kind
    # (status counts only runs recorded as a daemon's, so a daemon's next tick makes it healthy)
    with op.batch_alter_table('feeds') as batch:
        batch.add_column(sa.Column('tags', sa.JSON(), nullable=True))
    with op.batch_alter_table('poll_runs') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('poll_runs') as batch:
        batch.drop_column('kind')
    with op.batch_alter_table('feeds') as batch:
        batch.drop_column('tags')
