"""Fixtures every test folder may use (the layout and the fixture policy: tests/README.md)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests import support
from tests.community import Community


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory) -> None:
    """The key that signs load caches is made in the user's cache directory: tests make theirs in a
    folder of their own (the CLI runs they start inherit it), never in the real ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def project() -> Path:
    """The project's folder: the demo community, the templates, the committed schemas."""
    return support.PROJECT


@pytest.fixture(scope="session")
def demo_as_of() -> date:
    """The day the demo community is written as of."""
    return support.DEMO_AS_OF


@pytest.fixture(scope="session")
def cuijiao() -> Callable[..., object]:
    """The real command in a fresh interpreter: ``cuijiao("check", root=c.root, as_of="2026-11-22")``
    gives the ``subprocess.CompletedProcess`` (see ``tests.support.cuijiao``)."""
    return support.cuijiao


@pytest.fixture
def new_community(tmp_path) -> Callable[..., Community]:
    """The Community builder in this test's folder: ``new_community(fees=[fee()])`` writes under
    ``tmp_path/c``; give ``name`` for a second one (``new_community(name="other")``)."""
    def make(name: str = "c", **policy) -> Community:
        return Community(tmp_path / name, **policy)
    return make
