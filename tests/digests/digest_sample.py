"""A small store written for the digest tests: a port's container throughput stated, revised
and disputed over three days by two wires, with copies, milestones, a hostile title and a
failed feed. Rows are inserted directly so the digest is tested apart from extraction."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlalchemy.orm import Session

from monitor.analysis.topics import Topic
from storage.sql.models import Feed, FetchEvent, FigureRow, MilestoneRow, Release, ReleaseTopic

TOPIC = Topic(id="harbour", title="Examplehaven harbour", groups=(("Examplehaven",),))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 7, day, hour, minute, tzinfo=timezone.utc)


def feed(s: Session, name: str) -> Feed:
    f = Feed(name=name, url=f"https://{name.lower().replace(' ', '-')}.test/rss", created_at=at(1, 0), error_count=0)
    s.add(f)
    s.flush()
    return f


def release(s: Session, f: Feed, title: str, text: str, *, seen: datetime, published: datetime | None = None,
            story: int | None = None, figures: list[tuple] = (), milestones: list[tuple] = (),
            url: str | None = "auto") -> Release:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:40].strip("-")
    r = Release(feed_id=f.id, guid=slug, url=f"https://{f.name.lower().replace(' ', '-')}.test/r/{slug}" if url == "auto" else url,
                title=title, published_at=published, first_seen_at=seen, updated_at=seen, text=text,
                content_hash=slug, revision=1, story_id=story)
    s.add(r)
    s.flush()
    if r.story_id is None:
        r.story_id = r.id
    s.add(ReleaseTopic(release_id=r.id, topic_id=TOPIC.id, score=1.0, reasons=["Examplehaven"]))
    for i, (kind, value, unit, text_, subject, period) in enumerate(figures):
        key = "|".join([kind, f"money:{unit}" if kind == "money" else (unit or kind),
                        " ".join(sorted((subject or "").lower().split())), (period or "").lower()])
        s.add(FigureRow(release_id=r.id, position=i, kind=kind, value=value, unit=unit, text=text_,
                        sentence=f"The port said {text_} today.", subject=subject, period=period, measure_key=key))
    for i, (year, date, event, status) in enumerate(milestones):
        s.add(MilestoneRow(release_id=r.id, position=i, year=year, date=date, event=event, sentence=event + ".",
                           status=status, event_key=f"{year}|{event.lower()}"))
    s.flush()
    return r


TEU = "TEU"
THROUGHPUT = "container throughput"


def fill(s: Session) -> None:
    """Days 1–3 July 2024 (UTC). Day 2 is the interesting one; day 4 stays empty."""
    wire, coast = feed(s, "Harbour Wire"), feed(s, "Coast News")
    # day 1: the history and a milestone
    release(s, wire, "Examplehaven throughput grew again in 2023",
            "EXAMPLEHAVEN, July 1, 2024 -- The Port of Examplehaven handled 1.2 million TEU in 2023. "
            "Volumes were 1.1 million TEU in 2022 and 1.0 million TEU in 2021. The north terminal opened in 2019.",
            seen=at(1, 9), published=at(1, 8),
            figures=[("quantity", 1.2e6, TEU, "1.2 million TEU", THROUGHPUT, "2023"),
                     ("quantity", 1.1e6, TEU, "1.1 million TEU", THROUGHPUT, "2022"),
                     ("quantity", 1.0e6, TEU, "1.0 million TEU", THROUGHPUT, "2021"),
                     ("money", 5e6, "USD", "$5 million", None, None)],
            milestones=[(2019, "2019", "The north terminal opened", "happened")])
    # day 2: the wire revises 2023, a copy of it, another wire disagrees, a new forecast
    lead = release(s, wire, "Examplehaven revises 2023 throughput to 1.25 million TEU",
                   "EXAMPLEHAVEN, July 2, 2024 -- Final data put 2023 throughput at 1.25 million TEU, the port said. "
                   "It expects 1.4 million TEU in 2024. A rail link will open in 2026.",
                   seen=at(2, 9), published=at(2, 7, 30),
                   figures=[("quantity", 1.25e6, TEU, "1.25 million TEU", THROUGHPUT, "2023"),
                            ("quantity", 1.4e6, TEU, "1.4 million TEU", THROUGHPUT, "2024"),
                            ("money", 5e6, "USD", "$5 million", None, None)],
                   milestones=[(2026, "2026", "A rail link will open", "announced"),
                               (2019, "2019", "The north terminal opened", "happened")])
    release(s, coast, "Examplehaven revises 2023 throughput to 1.25 million TEU (copy)",
            "Final data put 2023 throughput at 1.25 million TEU, the port said. It expects 1.4 million TEU in 2024.",
            seen=at(2, 10), published=at(2, 8), story=lead.story_id,
            figures=[("quantity", 1.25e6, TEU, "1.25 million TEU", THROUGHPUT, "2023"),
                     ("quantity", 1.4e6, TEU, "1.4 million TEU", THROUGHPUT, "2024")])
    release(s, coast, "Port | record [click](javascript:alert(1)) <script>alert(1)</script> *now*",
            "<img src=x onerror=alert(1)> Customs say Examplehaven handled 1.3 million TEU in 2023; "
            "the ==harbour %%board| approved $12 million for cranes.",
            seen=at(2, 11), published=at(2, 10), url="javascript:alert(1)",
            figures=[("quantity", 1.3e6, TEU, "1.3 million TEU", THROUGHPUT, "2023"),
                     ("money", 12e6, "USD", "$12 million", "cranes | <b>x</b>", None)])
    s.add(FetchEvent(feed_id=coast.id, at=at(2, 12), status="error", error="HTTP 503 <b>Service</b> | Unavailable"))
    # day 3: a late copy of day 2's story: nothing in it is new any more
    release(s, feed(s, "Late Wire"), "Examplehaven revises 2023 throughput (late copy)",
            "Final data put 2023 throughput at 1.25 million TEU. It expects 1.4 million TEU in 2024.",
            seen=at(3, 9), published=at(3, 8), story=lead.story_id,
            figures=[("quantity", 1.25e6, TEU, "1.25 million TEU", THROUGHPUT, "2023"),
                     ("quantity", 1.4e6, TEU, "1.4 million TEU", THROUGHPUT, "2024")],
            milestones=[(2026, "2026", "A rail link will open", "announced")])
