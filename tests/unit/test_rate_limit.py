import time

from bot.rate_limit import FORGET_AFTER, RateLimiter, Verdict


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_burst_then_one_notice_then_silence_then_refill():
    clock = Clock()
    limiter = RateLimiter(burst=3, refill_per_second=0.5, clock=clock)
    assert [limiter.check(1) for _ in range(3)] == [Verdict.ALLOWED] * 3
    assert limiter.check(1) is Verdict.LIMITED_NOTIFY
    assert limiter.check(1) is Verdict.LIMITED_SILENT
    clock.now = 1.9  # 0.95 tokens: not yet
    assert limiter.check(1) is Verdict.LIMITED_SILENT
    clock.now = 2.1
    assert limiter.check(1) is Verdict.ALLOWED
    assert limiter.check(1) is Verdict.LIMITED_NOTIFY  # told again after being allowed in between


def test_users_have_separate_buckets():
    limiter = RateLimiter(burst=1, refill_per_second=0.0, clock=Clock())
    assert limiter.check(1) is Verdict.ALLOWED
    assert limiter.check(1) is Verdict.LIMITED_NOTIFY
    assert limiter.check(2) is Verdict.ALLOWED


def test_tokens_never_exceed_the_burst():
    clock = Clock()
    limiter = RateLimiter(burst=2, refill_per_second=1.0, clock=clock)
    limiter.check(1)
    clock.now = 1000
    assert [limiter.check(1) for _ in range(3)] == [Verdict.ALLOWED, Verdict.ALLOWED, Verdict.LIMITED_NOTIFY]


def test_idle_buckets_are_forgotten_and_busy_ones_kept():
    clock = Clock()
    limiter = RateLimiter(burst=2, refill_per_second=0.0, clock=clock)
    for user in range(100):
        limiter.check(user)
    clock.now = FORGET_AFTER / 2
    assert limiter.check(7) is Verdict.ALLOWED  # its last token
    clock.now = FORGET_AFTER + 1
    assert limiter.check(8) is Verdict.ALLOWED
    assert len(limiter) == 2  # 8 now, and 7, used since; the 98 others were idle for an hour
    assert limiter.check(7) is Verdict.LIMITED_NOTIFY  # its empty bucket was kept


def test_a_check_costs_the_same_with_twenty_thousand_active_users():
    """F16: above 10,000 buckets every check rebuilt the whole table (about 1 ms per check at 20,000)."""
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    for user in range(20_000):
        clock.now += 0.01
        limiter.check(user)
    start = time.perf_counter()
    for user in range(2_000):
        clock.now += 0.01
        limiter.check(user)
    assert time.perf_counter() - start < 0.5  # ~5 ms now; 2-3 s before
