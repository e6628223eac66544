"""A small store for the tests of asking it (search, a measure's history, export): three
wires, a story carried by two of them, a hostile title, releases on a topic and off it.
Rows are inserted directly, so the commands are tested apart from polling and extraction."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from storage.sql.models import Feed, Release, ReleaseTopic

T0 = datetime(2024, 7, 1, 9, tzinfo=timezone.utc)
TOPIC = "china-kazakhstan"
HOSTILE_TITLE = "Grain \x1b]8;;file:///etc/passwd\x1b\\[link]\x1b[2J[/b] :smile: \u202eevil\u202c deal"


def feed(s: Session, name: str) -> Feed:
    f = Feed(name=name, url=f"https://{name.lower().replace(' ', '-')}.test/rss", created_at=T0, error_count=0)
    s.add(f)
    s.flush()
    return f


def release(s: Session, f: Feed, title: str, body: str, *, day: int = 0, story: int | None = None,
            topic: str | None = None, url: str | None = "auto") -> Release:
    at = T0 + timedelta(days=day)
    r = Release(feed_id=f.id, guid=f"{f.id}-{day}-{title}", title=title, published_at=at, first_seen_at=at,
                updated_at=at, text=body, content_hash=f"{f.id}-{day}-{title}"[:64], revision=1, story_id=story,
                url=f"https://{f.name.lower().replace(' ', '-')}.test/{day}/{len(title)}" if url == "auto" else url)
    s.add(r)
    s.flush()
    if story is None:
        r.story_id = r.id
    if topic:
        s.add(ReleaseTopic(release_id=r.id, topic_id=topic, score=1.0, reasons=[]))
    s.flush()
    return r


FILLER = ["Port volumes steady", "Railway timetable changes", "Ministers meet in Astana", "Solar plant opens",
          "Bank raises rates", "Airline adds flights", "Copper output falls", "Bridge repairs finish"]


def with_filler(s: Session, f: Feed) -> None:
    """Releases without the searched words, so every searched word is rare (BM25's idf > 0)."""
    for i, title in enumerate(FILLER):
        release(s, f, title, f"{title}, the agency said on day {i}. Nothing else happened.", day=i)


def fill(s: Session) -> dict[str, Feed]:
    """Three wires; a wheat story carried by two; a hostile title; one release off the topic."""
    wires = {name: feed(s, name) for name in ("Astana Wire", "Steppe News", "Silk Road Daily")}
    with_filler(s, wires["Silk Road Daily"])
    lead = release(s, wires["Astana Wire"], "Wheat exports to China rise",
                   "ASTANA -- Kazakhstan said wheat exports to China rose in the first half.", day=10, topic=TOPIC)
    release(s, wires["Steppe News"], "Wheat exports to China rise",
            "ASTANA -- Kazakhstan said wheat exports to China rose in the first half.", day=10, story=lead.story_id,
            topic=TOPIC)
    release(s, wires["Steppe News"], HOSTILE_TITLE,
            "A wheat \x1b[31mred\x1b[0m [bold]deal[/bold] was signed\r\nat the border.", day=12, topic=TOPIC)
    release(s, wires["Silk Road Daily"], "Flour mills", "Mills bought wheat from Russia.", day=14)
    return wires
