"""figures indexed for the digest's per-measure probes; digests.html, the Atom entry's HTML

ix_figures_key_time lets a digest find the latest statement of a measure with one index probe
(it read every statement of every measure before); ix_figures_series_measure lists a series'
measures from the index alone and replaces ix_figures_series_key, its prefix. digests.html
keeps a digest's Atom HTML, rendered once per content instead of on every write of the feed;
NULL for the digests written so far (rendered from their files until they are next written).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_figures_key_time', 'figures', ['measure_key', 'stated_at', 'release_id', 'position'])
    op.create_index('ix_figures_series_measure', 'figures', ['series_key', 'measure_key'])
    op.drop_index('ix_figures_series_key', table_name='figures')
    with op.batch_alter_table('digests') as batch:
        batch.add_column(sa.Column('html', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('digests') as batch:
        batch.drop_column('html')
    op.create_index('ix_figures_series_key', 'figures', ['series_key'])
    op.drop_index('ix_figures_series_measure', table_name='figures')
    op.drop_index('ix_figures_key_time', table_name='figures')
