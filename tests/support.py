"""What the test folders share besides the Community builder: the project's folder, the demo's
as-of day, and the one way to run the real ``cuijiao`` command (in a fresh interpreter, or in
this one when a test patches something first).

``tests/conftest.py`` offers the same as fixtures; import from here where a module-level
constant needs them (a ``skipif``, a parametrize list).
"""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DEMO_AS_OF = date(2026, 11, 22)  # the day the demo community is written as of (AS_OF in scripts/demo_households.py)


def cuijiao(*args: str, root: Path | None = None, as_of: date | str | None = None, no_cache: bool = False,
            cwd: Path = PROJECT, timeout: float | None = 600, **run) -> subprocess.CompletedProcess:
    """``python -m generator [--root ROOT] [--as-of AS_OF] [--no-cache] ARGS`` in a fresh interpreter,
    from the project's folder; stdout and stderr captured as UTF-8 text. ``run``: more keywords for
    ``subprocess.run`` (``input``, ``env``)."""
    options = [*(["--root", str(root)] if root is not None else []), *(["--as-of", str(as_of)] if as_of is not None else []),
               *(["--no-cache"] if no_cache else [])]
    return subprocess.run([sys.executable, "-m", "generator", *options, *args],
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=timeout, check=False, **run)


def cuijiao_here(capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point (``cuijiao`` = generator.cli.main:run) in this interpreter, so that a
    test's monkeypatching applies: exit code, stdout, stderr."""
    # imported here, so that conftest.py does not load the CLI for every test
    from generator.cli.main import run

    old_argv = sys.argv
    sys.argv = ["cuijiao", *args]
    code = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old_argv
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def user_cache(tmp_path, monkeypatch) -> Path:
    """The test's own user cache directory (where the signing key and the work folders live), with no
    ``CUIJIAO_CACHE_DIR``: autouse in each module that imports it (the cache and memo tests)."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("CUIJIAO_CACHE_DIR", raising=False)
    return folder


def synthetic_ledger(root: Path, units: int, years: int):
    """A community of ``bench/synth.py`` written into ``root`` and loaded without the cache; it loads without errors."""
    if str(PROJECT / "bench") not in sys.path:
        sys.path.insert(0, str(PROJECT / "bench"))
    import synth

    from generator.reading import load

    synth.generate(root, units=units, years=years)
    ledger, problems = load.load(root, use_cache=False)
    assert ledger is not None and not [p for p in problems if p.severity == "error"]
    return ledger
