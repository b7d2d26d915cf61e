"""The demo's letters, rendered once a session for every letter test (test_letters.py, test_letter_layout.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator.printing.print_run import render_letters
from tests.support import DEMO_AS_OF, PROJECT


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One cache for the session: the font subset is cut once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def demo(cache_dir):
    """(desk, letter files, print run) of the demo on its day."""
    if not (PROJECT / "owners").is_dir():
        pytest.skip("no demo community")
    checked = pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    assert not checked.errors
    desk = pipeline.desk_for(checked, DEMO_AS_OF)
    run = render_letters(desk, PROJECT, cache_dir)
    return desk, run.files, run
