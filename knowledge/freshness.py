"""Which articles were checked too long ago to be quoted without a warning.

Rules for migrant workers change every year (fees, fields, minimum wages each October), so an answer from
an article checked long ago says when it was checked and sends the worker to the official source.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from knowledge.model import Article

STALE_AFTER_DAYS = 365  # a year: the cycle of Japan's minimum-wage and quota revisions


def stale_before(today: date, max_age_days: int = STALE_AFTER_DAYS) -> date:
    """Articles checked before this day are stale."""
    return today - timedelta(days=max_age_days)


def stale_articles(articles: Iterable[Article], today: date, max_age_days: int = STALE_AFTER_DAYS) -> list[Article]:
    """Oldest first, so an admin rechecks what is most likely out of date first."""
    cutoff = stale_before(today, max_age_days)
    return sorted((a for a in articles if a.as_of < cutoff), key=lambda a: (a.as_of, a.slug))
