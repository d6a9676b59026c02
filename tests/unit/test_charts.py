"""The /stats chart's data and picture: every day present, weeks summed, a real PNG of the planned size."""

import struct
from datetime import date

from bot.charts import bucket_days, buckets, stats_chart
from bot.journal import Day

ROWS = [Day("2026-11-20", 5, 4, 2, 1), Day("2026-11-25", 9, 6, 1, 3), Day("2026-12-03", 3, 3, 0, 0)]


def test_every_day_is_present_and_weeks_are_summed():
    daily = buckets(ROWS, date(2026, 11, 5), date(2026, 12, 4))
    assert len(daily) == 30 and sum(b.questions for b in daily) == 17
    assert [(b.start.isoformat(), b.declined) for b in daily if b.questions][1] == ("2026-11-25", 3)
    weekly = buckets(ROWS, date(2026, 11, 5), date(2026, 12, 4), 7)
    assert [b.questions for b in weekly] == [0, 0, 14, 0, 3]  # weeks from 5, 12, 19, 26 November, 3 December
    assert (bucket_days(30), bucket_days(90), bucket_days(3650)) == (1, 7, 30)


def test_the_chart_is_a_png_of_the_planned_size():
    png = stats_chart(buckets(ROWS, date(2026, 11, 5), date(2026, 12, 4)), "judul", ["a", "b", "c", "d"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (900, 550)
    assert stats_chart(buckets([], date(2026, 12, 4), date(2026, 12, 4)), "kosong", ["a", "b", "c", "d"])[:4] == b"\x89PNG"
