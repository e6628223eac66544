"""A measure's statements on PostgreSQL: read without parallel workers, and the
transaction's settings as they were afterwards."""

from __future__ import annotations

from sqlalchemy import text

from storage.sql.engine import open_store
from storage.sql.measures import statements


def test_reading_statements_leaves_the_transactions_parallel_setting_alone(pg_url: str) -> None:
    store = open_store(pg_url)
    with store.session() as s:
        s.execute(text("SET LOCAL max_parallel_workers_per_gather = 3"))
        assert statements(s, measure="trade/cn-kz") == []
        assert s.scalar(text("SHOW max_parallel_workers_per_gather")) == "3"
    store.dispose()
