"""Stories: releases that are copies of one another share a story id. Candidates are found
through the indexed LSH band keys of their signatures, so the cost does not grow with the
number of stored releases; which story a release joins is decided in
monitor.analysis.stories."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from monitor.domain import StoryCandidate
from storage.sql.models import Feed, Release, StoryKey, core_table

_RELEASES = core_table(Release)
_R = _RELEASES.c


class SqlStories:
    """storage.port.StoryStore on SQLAlchemy."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def candidates(self, band_keys: Sequence[int], exclude: int, limit: int) -> list[StoryCandidate]:
        """The most recent first: copies of one release arrive close together, so a band key
        that many releases share stays cheap."""
        if not band_keys:
            return []
        return [StoryCandidate(i, s or i, sig, when) for i, s, sig, when in self._s.execute(
            select(Release.id, Release.story_id, Release.signature, Release.placed_at)
            .where(Release.id.in_(select(StoryKey.release_id).where(StoryKey.key.in_(band_keys))),
                   Release.id != exclude, Release.story_id.is_not(None))
            .order_by(Release.id.desc()).limit(limit))]

    def origin_feed(self, release_id: int) -> str | None:
        story = select(Release.story_id).where(Release.id == release_id).scalar_subquery()
        return self._s.scalar(select(Feed.name).join(Release, Release.feed_id == Feed.id).where(Release.id == story))

    def merge(self, stories: Sequence[int], into: int) -> None:
        self._s.execute(update(_RELEASES).where(_R.story_id.in_(list(stories))).values(story_id=into))

    def assign(self, release_id: int, story_id: int, band_keys: Sequence[int]) -> None:
        if band_keys:
            self._s.execute(insert(core_table(StoryKey)), [dict(release_id=release_id, key=k) for k in set(band_keys)])
        self._s.execute(update(_RELEASES).where(_R.id == release_id).values(story_id=story_id))
