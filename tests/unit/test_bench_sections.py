"""tools/bench/sections.py: a section runs only when what it needs is there, and otherwise says what it lacked."""

from __future__ import annotations

from types import SimpleNamespace

from tools.bench.run import BENCHMARK, FULL_RUN, KNOWLEDGE_BASE
from tools.bench.sections import SECTIONS, Plan, run_section
from tools.report import Table


def _measure(run, section) -> None:
    run.measured.append(section.title)
    section.tables.append(Table("figures", ["x"]))


def test_a_section_missing_what_it_needs_is_skipped_with_every_reason() -> None:
    run = SimpleNamespace(pool=None, kb=None, full=False, measured=[])
    section = run_section(run, Plan("6. Scale (HNSW)", _measure, (FULL_RUN, BENCHMARK)))
    assert run.measured == [] and section.tables == []
    assert section.notes == [f"Skipped: needs {FULL_RUN.missing} and {BENCHMARK.missing}."]


def test_a_section_with_what_it_needs_is_measured() -> None:
    run = SimpleNamespace(pool=object(), kb=object(), full=True, measured=[])
    section = run_section(run, Plan("2. Latency", _measure, (BENCHMARK, KNOWLEDGE_BASE, FULL_RUN)))
    assert run.measured == ["2. Latency"] and section.notes == [] and len(section.tables) == 1


def test_build_runs_before_the_sections_that_serve_its_knowledge_base() -> None:
    order = [plan.title for plan in SECTIONS]
    for plan in SECTIONS:
        if KNOWLEDGE_BASE in plan.needs:
            assert order.index("4. Build and reload") < order.index(plan.title)


def test_the_domain_table_scores_every_method_on_the_shipped_knowledge_base() -> None:
    """The quick run leaves it to --full (the eval tests hold its figures in CI), so it is checked here, fast."""
    from tests.fakes import FakeEncoder
    from tools.bench.quality import domain_table

    run = SimpleNamespace(encoder=FakeEncoder(), figures={})
    table = domain_table(run)
    assert isinstance(table, Table) and table.title.startswith("Domain: shipped knowledge base")
    assert [row[0] for row in table.rows] == ["ours: BM25 only (lexical)", "ours: dense only", "ours: hybrid (default)",
                                              "ours: RRF"]
    assert set(run.figures["quality:domain"]) == {"lexical", "dense", "hybrid", "rrf"}


def test_replies_are_read_once_each_and_a_send_still_in_flight_is_read_when_it_ends() -> None:
    """The burst's harness polls the fake's calls 50 times a second in the bot's own event loop: it reads only
    calls it has not read, and keeps the sendMessage calls that were still in flight to read them again."""
    from tools.bench.throughput import Users
    from tools.fakebotapi import Call

    api = SimpleNamespace(calls=[Call("getUpdates", {}, 1.0, status=200),
                                 Call("sendMessage", {"chat_id": 7}, 2.0, status=200),
                                 Call("sendMessage", {"chat_id": 8}, 3.0),  # in flight
                                 Call("sendMessage", {"chat_id": 9}, 4.0, status=500)])
    users = Users(api)
    assert users.first_replies() == {7: 2.0}
    api.calls[2].status = 200
    api.calls.append(Call("sendMessage", {"chat_id": 7}, 5.0, status=200))  # a second reply to chat 7
    api.calls.append(Call("sendMessage", {"chat_id": 9}, 6.0, status=200))
    assert users.first_replies() == {7: 2.0, 8: 3.0, 9: 6.0}
