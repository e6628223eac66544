"""What makes two statements in different releases the same: a figure's measure key and a
milestone's event key, as stored with them and compared by the digest."""

from __future__ import annotations

from monitor.domain import Figure, Milestone


def measure_key(f: Figure) -> str:
    """kind|unit family|what|period: the digest's novelty key. "What" is the figure's canonical
    measure ("m:trade/cn-kz") when extraction knows it, else its normalised subject, so every
    release that states one measure for one period shares the key whatever its wording."""
    # imported here, on purpose: a poll where no release has figures never loads extraction
    from monitor.analysis.extract import figure_key

    kind, family, subject, period = figure_key(f)
    what = f"m:{f.measure}" if f.measure else subject
    return "|".join("" if part is None else str(part) for part in (kind, family, what, period))


def event_key(m: Milestone) -> str:
    """year|the event's longer words, sorted: the same event however a release words it."""
    words = [w for w in "".join(c.lower() if c.isalnum() else " " for c in m.event).split() if len(w) > 3]
    return f"{m.year}|{' '.join(sorted(set(words))[:12])}"
