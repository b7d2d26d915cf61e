"""Where the project's own files are: the templates, letters and content shipped with the package."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

# generator/core/paths.py -> the checkout (or installed tree) holding site_templates/, letters/, docs/
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


def user_cache() -> Path:
    """This user's cache folder for cuijiao (``$XDG_CACHE_HOME/cuijiao`` on Linux), outside every community folder."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("cuijiao", appauthor=False))


def work_folder(root: Path) -> Path:
    """Where the builds of the community at ``root`` keep their work (the site's sources, rendered letters, the read cache).

    In the user's cache folder, one per community, named after the folder's
    real path: nothing a community folder holds (a planted cache, a link
    where a work folder would be) is ever read, followed or deleted as work.
    ``CUIJIAO_CACHE_DIR`` names the folder instead (the benchmark, CI caches).
    """
    if os.environ.get("CUIJIAO_CACHE_DIR"):
        return Path(os.environ["CUIJIAO_CACHE_DIR"])
    real = str(Path(root).resolve())
    name = Path(real).name or "root"
    return user_cache() / "work" / f"{name[:40]}-{hashlib.sha256(real.encode()).hexdigest()[:16]}"


def community_name(root: Path) -> str:
    """A community's short name: its folder's name (``communities/<name>/``), used in artifacts, summaries and links."""
    return Path(root).resolve().name or "community"
