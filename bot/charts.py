"""The /stats chart: questions per day, answered and declined, and the ratings, as a PNG.

matplotlib is imported when a chart is drawn, on the admin's path only: the workers' bot process must keep
its start-up time and memory (it costs ~0.3 s and ~30 MB). Drawn with the Agg backend on a figure of its
own, never pyplot's global state, so two charts may be drawn in two threads at once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.journal import Day

WIDTH_INCHES, HEIGHT_INCHES, DPI = 9.0, 5.5, 100  # 900 x 550 pixels: readable on a phone, small to send
DAILY_UP_TO = 62  # days shown one bar per day; longer ranges one bar per week, beyond a year per 30 days
WEEKLY_UP_TO = 366


@dataclass(frozen=True, slots=True)
class Bucket:
    start: date
    questions: int = 0
    answered: int = 0
    thumbs_up: int = 0
    thumbs_down: int = 0

    @property
    def declined(self) -> int:
        return self.questions - self.answered


def bucket_days(days: int) -> int:
    return 1 if days <= DAILY_UP_TO else 7 if days <= WEEKLY_UP_TO else 30


def buckets(rows: Sequence[Day], first: date, last: date, width: int = 1) -> list[Bucket]:
    """Every `width` days from `first` to `last`, with zeros where nothing was asked."""
    count = (last - first).days // width + 1
    totals = [[0, 0, 0, 0] for _ in range(count)]
    for row in rows:
        index = (date.fromisoformat(row.day) - first).days // width
        if 0 <= index < count:
            for i, value in enumerate((row.questions, row.answered, row.thumbs_up, row.thumbs_down)):
                totals[index][i] += value
    return [Bucket(first + timedelta(days=i * width), *total) for i, total in enumerate(totals)]


def stats_chart(rows: Sequence[Bucket], title: str, labels: Sequence[str]) -> bytes:
    """Stacked bars of answered and declined questions above the 👍 and 👎 counts; `labels` name the four
    series (the fonts have no emoji)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    questions, ratings = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1.4))
    x = [datetime.combine(bucket.start, time()) for bucket in rows]  # dates cannot be offset by part of a day
    width = 0.8 * ((rows[1].start - rows[0].start).days if len(rows) > 1 else 1)
    answered = [bucket.answered for bucket in rows]
    questions.bar(x, answered, width, label=labels[0], color="#2e7d32")
    questions.bar(x, [bucket.declined for bucket in rows], width, bottom=answered, label=labels[1], color="#ef6c00")
    questions.set_title(title)
    questions.legend(loc="upper left")
    questions.grid(axis="y", alpha=0.3)
    offset = timedelta(days=width / 4)
    ratings.bar([day - offset for day in x], [b.thumbs_up for b in rows], width / 2, label=labels[2], color="#1565c0")
    ratings.bar([day + offset for day in x], [b.thumbs_down for b in rows], width / 2, label=labels[3],
                color="#c62828")
    ratings.legend(loc="upper left")
    ratings.grid(axis="y", alpha=0.3)
    for axes in (questions, ratings):
        axes.yaxis.get_major_locator().set_params(integer=True)
    figure.autofmt_xdate()
    out = io.BytesIO()
    FigureCanvasAgg(figure).print_png(out)
    return out.getvalue()
