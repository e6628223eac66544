"""A store of China–Kazakhstan trade releases written for the digest tests (own sentences,
invented values): yearly trade totals 2019–2024 from two wires, a Kazakh and a Chinese
figure for 2024, a revision of 2023 by its source, a 2030 target, a growth rate, a
syndicated copy and a minor figure. Figures carry their measure keys as extraction gives
them, so novelty is tested on measures, apart from extraction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy.orm import Session

from monitor.analysis.identity import measure_key
from monitor.analysis.topics import Topic
from monitor.domain import Figure
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic

TOPIC = Topic(id="cn-kz", title="China–Kazakhstan relations", groups=(("Kazakhstan",), ("China",)))
TRADE, GROWTH, EXPORTS = "trade/cn-kz", "trade/cn-kz/growth", "exports/kz-to-cn"


@dataclass(frozen=True)
class Measure:
    """The shape of the topic vocabulary's entries (monitor.domain.MeasureDef)."""

    id: str
    label: str
    key: bool = False


MEASURES = (Measure(TRADE, "China–Kazakhstan trade", key=True), Measure(EXPORTS, "Kazakh exports to China"))
DAY = datetime(2025, 1, 20, tzinfo=timezone.utc)  # the day the 2024 figures come out


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.utc)


def usd(value: float, period: str | None, measure: str | None = TRADE, subject: str = "two-way trade",
        text: str | None = None) -> Figure:
    return Figure("money", value, "USD", text or f"${value / 1e9:g} billion", f"Trade stood at {value / 1e9:g}.",
                  subject=subject, period=period, measure=measure)


def release(s: Session, feed: Feed, title: str, text: str, when: datetime, figures: list[Figure],
            story: int | None = None, milestones: tuple[tuple[int, str, str, str], ...] = ()) -> Release:
    r = Release(feed_id=feed.id, guid=title, url=f"https://{feed.name.lower().replace(' ', '-')}.test/{len(title)}",
                title=title, published_at=when, first_seen_at=when, updated_at=when, text=text,
                content_hash=title, revision=1, story_id=story)
    s.add(r)
    s.flush()
    r.story_id = story or r.id
    s.add(ReleaseTopic(release_id=r.id, topic_id=TOPIC.id, score=1.0, reasons=["Kazakhstan", "China"]))
    for i, f in enumerate(figures):
        s.add(FigureRow(release_id=r.id, position=i, kind=f.kind, value=f.value, unit=f.unit, text=f.text,
                        sentence=f.sentence, subject=f.subject, period=f.period, measure=f.measure,
                        measure_key=measure_key(f)))
    for i, (year, date, event, status) in enumerate(milestones):
        s.add(MilestoneRow(release_id=r.id, position=i, year=year, date=date, event=event, sentence=event + ".",
                           status=status, event_key=f"{year}|{event.lower()}"))
    s.flush()
    return r


def feed(s: Session, name: str) -> Feed:
    f = Feed(name=name, url=f"https://{name.lower().replace(' ', '-')}.test/rss", created_at=at(2019, 1, 1),
             error_count=0)
    s.add(f)
    s.flush()
    return f


def fill(s: Session) -> None:
    astana, beijing, caspian = feed(s, "Astana Wire"), feed(s, "Beijing Wire"), feed(s, "Caspian Daily")
    yearly = {2019: 20.0e9, 2020: 21.4e9, 2021: 25.2e9, 2022: 31.2e9, 2023: 41.0e9}
    for year, value in yearly.items():
        release(s, astana, f"Kazakhstan and China report {year} trade",
                f"ASTANA -- Trade between Kazakhstan and China reached ${value / 1e9:g} billion in {year}.",
                at(year + 1, 1, 15), [usd(value, str(year))])
    release(s, beijing, "China customs: 2022 trade with Kazakhstan",
            "BEIJING -- Customs data put China's trade with Kazakhstan at $31.2 billion in 2022.",
            at(2023, 1, 18), [usd(31.2e9, "2022", subject="trade with Kazakhstan")])
    # the day: Kazakh statistics for 2024 (with a revision of 2023, a growth rate, a target, a
    # minor count and a milestone), a syndicated copy of them, and Chinese customs for 2024
    lead = release(s, astana, "Kazakhstan–China trade hits $43.8 billion in 2024",
                   "ASTANA -- Two-way trade reached $43.8 billion in 2024, up 6.3 percent, statistics showed. "
                   "The 2023 total was revised to $41.2 billion. The sides aim for $80 billion by 2030. "
                   "A delegation of 300 business people attended. A new border crossing opens in 2026.",
                   at(2025, 1, 20, 8),
                   [usd(43.8e9, "2024"), usd(41.2e9, "2023"),
                    Figure("percent", 6.3, "%", "6.3 percent", "Up 6.3 percent.", subject="growth of two-way trade",
                           period="2024", measure=GROWTH),
                    usd(80e9, "target 2030", text="$80 billion"),
                    Figure("count", 300, None, "300", "300 business people attended.", subject="business people")],
                   milestones=((2026, "2026", "A new border crossing opens", "announced"),))
    release(s, caspian, "Trade with China at $43.8 billion (Caspian Daily)",
            "Trade between Kazakhstan and China reached $43.8 billion in 2024, the statistics bureau said.",
            at(2025, 1, 20, 10), [usd(43.8e9, "2024", subject="trade between Kazakhstan and China")],
            story=lead.story_id)
    release(s, beijing, "China customs: trade with Kazakhstan at $44.1 billion in 2024",
            "BEIJING -- China's customs put trade with Kazakhstan at $44.1 billion last year.",
            at(2025, 1, 20, 12), [usd(44.1e9, "2024", subject="trade with Kazakhstan")])
