"""The reports computed straight from the ledger (two processes on a large community) equal those of the full desk."""
from __future__ import annotations

import io
import os
from datetime import date

import pytest
from rich.console import Console

from generator.rules import engine
from generator.rules.engine import compute
from generator.speed import forking
from generator.views.report import ledger_json, to_json
from generator.views.terminal import arrears_row, print_ledger, print_report
from tests.support import synthetic_ledger

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return synthetic_ledger(tmp_path_factory.mktemp("synth"), units=60, years=2)


def _table(community, totals, rows) -> str:
    out = io.StringIO()
    print_report(community, AS_OF, totals, rows, Console(file=out, width=200, highlight=False))
    return out.getvalue()


def test_json_from_the_ledger_equals_json_from_the_desk_in_one_process(ledger):
    assert ledger_json(ledger, AS_OF) == to_json(compute(ledger, AS_OF))


def test_json_computed_in_two_processes_equals_one_process(ledger, monkeypatch):
    if not forking.can_fork():
        pytest.skip("no fork or a single CPU here")
    expected = to_json(compute(ledger, AS_OF))
    monkeypatch.setattr(engine, "PARALLEL_MIN_UNITS", 0)
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(forking.os, "fork", lambda: forks.append(1) or real_fork())
    assert ledger_json(ledger, AS_OF) == expected
    assert forks == [1]  # the second half really was computed by a helper


def test_a_failing_compute_helper_changes_nothing(ledger, monkeypatch):
    if not forking.can_fork():
        pytest.skip("no fork or a single CPU here")
    expected = to_json(compute(ledger, AS_OF))
    monkeypatch.setattr(engine, "PARALLEL_MIN_UNITS", 0)
    monkeypatch.setattr(forking.pickle, "dump", lambda obj, out: os._exit(3))  # the helper dies before sending anything
    assert ledger_json(ledger, AS_OF) == expected


def test_terminal_table_in_two_processes_equals_the_desk_table(ledger, monkeypatch, capsys):
    desk = compute(ledger, AS_OF)
    expected = _table(desk.policy.community, desk.totals, [arrears_row(s) for s in desk.units])
    assert "欠费情况" in expected and "合计：应收" in expected
    monkeypatch.setattr(engine, "PARALLEL_MIN_UNITS", 0)
    out = io.StringIO()
    print_ledger(ledger, AS_OF, Console(file=out, width=200, highlight=False))
    assert out.getvalue() == expected
