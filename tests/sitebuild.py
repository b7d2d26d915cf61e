"""Helpers for site tests: build a community's site once and serve it on loopback."""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.outputs import publish
from generator.site import SiteInputs, build_site

PROJECT = Path(__file__).resolve().parent.parent
DEMO_AS_OF = date(2026, 11, 22)


def build(root: Path, out: Path, as_of: date = DEMO_AS_OF, work: Path | None = None):
    checked = pipeline.check(root, as_of, as_of, use_cache=False)
    assert not checked.errors, [p.render() for p in checked.errors]
    desk = pipeline.desk_for(checked, as_of)
    inputs = SiteInputs(root, work or out.parent / (out.name + "-work"))
    published = publish(out, lambda tmp: build_site(desk, inputs, tmp))
    return desk, published


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
