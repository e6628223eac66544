"""alert_events (the outbox, written with each stored release) and alert_messages (deliveries)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.sql.models import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'alert_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('rule', sa.String(length=100), nullable=False),
        sa.Column('topic_id', sa.String(length=100), nullable=False),
        sa.Column('poll_run', sa.Integer(), nullable=True),
        sa.Column('item', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('composed_at', UTCDateTime(), nullable=True),
    )
    op.create_index('ix_alert_events_created_at', 'alert_events', ['created_at'])
    op.create_index('ix_alert_events_composed_at', 'alert_events', ['composed_at'])
    op.create_table(
        'alert_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(length=64), nullable=False, unique=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('rule', sa.String(length=100), nullable=True),
        sa.Column('channel', sa.String(length=100), nullable=False),
        sa.Column('topic_id', sa.String(length=100), nullable=True),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
        sa.Column('last_attempt_at', UTCDateTime(), nullable=True),
        sa.Column('sent_at', UTCDateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('claimed_by', sa.String(length=120), nullable=True),
        sa.Column('claim_expires_at', UTCDateTime(), nullable=True),
    )
    op.create_index('ix_alert_messages_due', 'alert_messages', ['status', 'next_attempt_at'])
    op.create_index('ix_alert_messages_created_at', 'alert_messages', ['created_at'])


def downgrade() -> None:
    op.drop_table('alert_messages')
    op.drop_table('alert_events')
