"""Answer or decline: the one place that decides, and the thresholds it decides by.

A wrong answer costs a worker more than a decline (they may pay, sign or travel on it), so the bot answers
only when three checks agree: no safety rule forbids the question (bot/safety.py), the scope model says
the question is one this bot is for, and some passage covers enough of what was asked (coverage, computed
by retrieval in embeddings/snapshot.py, where UNKNOWN_WEIGHT sets how much a word no article has counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety import safety_reason
from embeddings.snapshot import TOP_K, Hit, Retrieved

# Chosen together with the unknown-word weight of coverage, on the scope examples (cross-validated) and the
# gold sets that are no longer blind, never on the newest blind set (README, "Evaluation"):
MIN_COVERAGE = 0.3  # share of the question (IDF-weighted) a passage must cover
MIN_IN_DOMAIN = 0.4  # the scope model's probability below which a question is not ours (embeddings/scope.py)

REASONS = ("empty", "coverage", "scope", "harmful", "elsewhere", "task")
"""Why a question is declined: no words to search; nothing covers it well enough; it is not about working
in Japan; it asks for help to cheat or break the law; it is about another country; it asks for a task
(translating a text, doing homework)."""


@dataclass(frozen=True, slots=True)
class Policy:
    """The thresholds, as one value: the evaluation sweeps them by replacing this, nothing else."""

    min_coverage: float = MIN_COVERAGE
    min_in_domain: float = MIN_IN_DOMAIN


@dataclass(frozen=True, slots=True)
class Decision:
    reason: str | None  # None: answer; otherwise one of REASONS
    confident: tuple[Hit, ...]  # the hits that cover enough of the question, best first
    off_topic: bool = False  # the scope model says the question is not the bot's

    @property
    def answers(self) -> bool:
        return self.reason is None

    @property
    def points_to_contact(self) -> bool:
        """A question we cannot answer gets an official channel to ask; one that is not ours gets none
        ("skor timnas lawan Jepang" is not for KJRI Osaka)."""
        return not self.off_topic and self.reason != "empty"


NOT_OURS = ("scope", "harmful", "elsewhere", "task")


def decide_after(decision: Decision, before: Decision | None, leans_back: bool) -> Decision:
    """A question that leans on the one before it ("gaji nya brp riyal?" after a question about Saudi Arabia)
    is declined as that one was when that one is not ours to answer: its own words alone look harmless."""
    if leans_back and before is not None and before.reason in NOT_OURS and decision.reason not in NOT_OURS:
        return Decision(before.reason, (), before.off_topic)
    return decision


def decide(retrieved: Retrieved, policy: Policy = Policy()) -> Decision:
    """Rules first (they hold whatever was retrieved), then scope, then coverage of the top TOP_K hits, the
    ones an answer is composed from."""
    if not any(char.isalnum() for char in retrieved.query.text):
        return Decision("empty", ())
    confident = tuple(hit for hit in retrieved.hits[:TOP_K] if hit.confidence >= policy.min_coverage)
    off_topic = retrieved.in_domain is not None and retrieved.in_domain < policy.min_in_domain
    reason = safety_reason(retrieved.query.text)
    off_topic = off_topic or reason == "task"  # no official channel translates a text or does homework
    if reason is None and off_topic:
        reason = "scope"
    if reason is None and not confident:
        reason = "coverage"
    return Decision(reason, confident, off_topic)

