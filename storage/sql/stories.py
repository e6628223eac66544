"""Stories: releases that are copies of one another share a story id, found through the
indexed LSH band keys of their signatures."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from monitor.analysis.stories import SAME_STORY, Signature, similarity
from monitor.domain import ProcessedEntry
from storage.sql.models import Release, StoryKey

_RELEASES = Release.__table__
_R = _RELEASES.c


def assign_story(session: Session, release_id: int, entry: ProcessedEntry) -> None:
    """Give a stored release (that has no story yet) its story from its signature."""
    _assign_stories(session, [(release_id, entry)])


STORY_CANDIDATES = 500


def _assign_stories(session: Session, pairs: Sequence[tuple[int, ProcessedEntry]]) -> None:
    """Put each release in the story of its nearest stored near-duplicate, or a new story.

    Candidates come from the indexed LSH band keys, so the cost does not grow with the
    number of stored releases; at most STORY_CANDIDATES of them, the most recent (copies of
    one release arrive close together), so a band key that many releases share stays cheap.
    Signatures stored in an older format are skipped rather than failing."""
    for rid, e in pairs:
        story = None
        mine = Signature.from_stored(e.signature)
        if e.band_keys and mine is not None:
            cands = session.execute(
                select(Release.id, Release.story_id, Release.signature)
                .where(Release.id.in_(select(StoryKey.release_id).where(StoryKey.key.in_(e.band_keys))),
                       Release.id != rid, Release.story_id.is_not(None))
                .order_by(Release.id.desc()).limit(STORY_CANDIDATES)
            ).all()
            best = 0.0
            for _cid, cstory, csig in cands:
                theirs = Signature.from_stored(csig)
                if theirs is None:
                    continue
                sim = similarity(mine, theirs)
                if sim >= SAME_STORY and sim > best:
                    best, story = sim, cstory
        if e.band_keys:
            session.execute(insert(StoryKey.__table__), [dict(release_id=rid, key=k) for k in set(e.band_keys)])
        session.execute(update(_RELEASES).where(_R.id == rid).values(story_id=story or rid))

