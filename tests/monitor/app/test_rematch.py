"""`prwatch topics rematch`: a changed topic re-evaluates stored releases without fetching."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from monitor.app.cli import main
from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.models import FigureRow, ReleaseTopic

FEED = Path(__file__).resolve().parents[2] / "data" / "feeds" / "wire-v1.xml"

BAKERY_TOPIC = '''
[[topics]]
id = "bakeries"
title = "Bakeries"
any = ["bakery", "bakeries"]
min_score = 0.3
'''


def topic_rows(settings: Settings) -> dict[str, int]:
    store = open_store(settings.storage.url)
    with store.session() as s:
        rows = dict(s.execute(select(ReleaseTopic.topic_id, func.count()).group_by(ReleaseTopic.topic_id)).all())
        rows["figures"] = s.scalar(select(func.count()).select_from(FigureRow)) or 0
    store.dispose()
    return rows


def test_rematch_adds_and_removes_topic_matches_and_extracts_for_new_ones(
        write_config: Callable[..., Settings], db_url: str) -> None:
    settings = write_config([("wire", FEED.as_uri())], db_url=db_url)
    assert main(["--config", str(settings.path), "fetch", "--quiet", "--no-digest"]) == 0
    before = topic_rows(settings)
    assert before.get("china-kazakhstan") == 2 and "bakeries" not in before

    # the config changes: a new topic, and the China–Kazakhstan topic is gone
    settings = write_config([("wire", FEED.as_uri())], db_url=db_url, topics=BAKERY_TOPIC)
    assert main(["--config", str(settings.path), "topics", "rematch"]) == 0
    after = topic_rows(settings)
    assert after.get("bakeries") == 1
    assert "china-kazakhstan" not in after
    assert after["figures"] >= 1  # the bakery release's "40 jobs" or "tenth store"
