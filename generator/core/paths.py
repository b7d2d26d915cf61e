"""Where the project's own files are: the templates, letters and content shipped with the package."""
from __future__ import annotations

from pathlib import Path

# generator/core/paths.py -> the checkout (or installed tree) holding site_templates/, letters/, docs/
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
