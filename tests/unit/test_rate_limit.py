from bot.rate_limit import RateLimiter, Verdict


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
