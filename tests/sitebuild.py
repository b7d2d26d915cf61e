"""Helpers for site tests: build a community's site once and serve it on loopback; ``ZENSICAL``, the
successor engine's command where it is installed (None where not)."""
from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.render.outputs import publish
from generator.site.build import SiteInputs, build_site
from tests.support import DEMO_AS_OF

ZENSICAL = shutil.which("zensical") or shutil.which("zensical", path=str(Path(sys.executable).parent))


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


def limitation_community(root: Path):
    """A small community for rule 10 on the site (hand-computed in tests/test_site.py), as of 2026-11-22.

    The creditor is a company; the committee's authorisation ran 2024-01-01..2025-12-31. Late fee 0.05% a day.

    - A-1: three opening items. 600.00 due 2019-01-15, never interrupted: barred since 2022-01-16.
      1,200.00 due 2021-06-30 and 800.00 due 2024-06-30, kept in time by a refused visit (2024-03-01) and a
      call by the creditor's own staff (2025-08-01). A registered letter of 2023-05-10 came before the
      authorisation, a repair visit is a service, an unanswered call has no evidence: none interrupts.
    - B-2: 3,000.00 due 2005-07-15, demanded by the creditor every two and a half years and acknowledged in
      full (covers: all) in 2026: the 20-year cap ends it on 2025-07-15.
    - C-3: 500.00 due 2022-01-15 paid 151 days late on 2022-06-15 (its late fee barred since 2025-06-16); a
      1,000.00 repair charge due 2026-03-15 under a plan signed 2026-05-01 that freezes the late fee; a
      letter returned from the address the owner confirmed; a consent to publish arrears.
    - D-4: 400.00 due 2024-01-15, never interrupted: expires 2027-01-15, within the 180 days of the warning.
    - E-5: 200.00 due 2026-01-15, half paid on 2026-06-01 by a payment the owner designated for it (for: opening),
      and 50.00 paid for the late fee (for: late_fee) on 2026-06-10, more than the late fee.
    """
    from tests.community import Community, stage

    c = Community(root, fees=[], late_fee={"daily_rate": "0.0005"},
                  dunning=[stage("notice", 30, ["letter"], name="催缴通知书", letter="notice")],
                  creditor={"name": "示例物业有限公司"},
                  authorisations=[{"from": "2024-01-01", "until": "2025-12-31", "document": "授权委托书 2024-01"}])
    c.unit("A-1", billing_start="2025-01-01", opening=[
        {"amount": "600.00", "due": "2019-01-15", "period": "2018年"},
        {"amount": "1200.00", "due": "2021-06-30", "period": "2021年上半年"},
        {"amount": "800.00", "due": "2024-06-30", "period": "2024年上半年"},
    ])
    c.contact("A-1", "2023-05-10", "registered_mail", "delivered", evidence="EMS 1001")
    c.contact("A-1", "2024-03-01", "visit", "refused", evidence="录音 A")
    c.contact("A-1", "2025-02-01", "visit", "reached", evidence="维修单 W-7", purpose="service")
    c.contact("A-1", "2025-03-01", "phone", "no_answer")
    c.contact("A-1", "2025-08-01", "phone", "reached", evidence="录音 B", party="creditor")
    c.unit("B-2", billing_start="2006-01-01", opening={"amount": "3000.00", "due": "2005-07-15", "period": "2005年下半年"})
    for day in ("2007-07-01", "2009-12-01", "2012-05-01", "2014-10-01", "2017-03-01", "2019-08-01", "2022-01-01", "2024-06-01"):
        c.contact("B-2", day, "visit", "refused", evidence=f"录音 {day}", party="creditor")
    c.contact("B-2", "2026-06-18", "visit", "promised", evidence="承诺书 B-2", party="creditor", covers="all",
              promise={"date": "2026-12-31"})
    c.unit("C-3", billing_start="2023-01-01", opening={"amount": "500.00", "due": "2022-01-15"},
           service_address={"address": "测试路 3 号", "confirmed": "2025-01-01", "evidence": "送达地址确认书 C-3"},
           consents=[{"kind": "publish_arrears", "date": "2025-03-01", "evidence": "同意书 C-3"}])
    c.payment("C-3", "2022-06-15", "500.00", receipt="R-1")
    c.charge("C-3", "维修费", "1000.00", "2026-03-15", period="2026-03")
    c.plan("C-3", "2026-05-01", [("2026-06-01", "500.00"), ("2026-12-01", "500.00")], late_fee="freeze")
    c.payment("C-3", "2026-06-01", "500.00", receipt="R-2")
    c.contact("C-3", "2026-07-01", "letter", "returned", evidence="EMS 2002", party="creditor")
    c.unit("D-4", billing_start="2025-01-01", opening={"amount": "400.00", "due": "2024-01-15"})
    c.unit("E-5", billing_start="2026-02-01", opening={"amount": "200.00", "due": "2026-01-15"})
    c.payment("E-5", "2026-06-10", "50.00", receipt="R-3", **{"for": ["late_fee"]})
    c.payment("E-5", "2026-06-01", "100.00", receipt="R-4", **{"for": ["opening"]})
    return c


def limitation_site(tmp: Path):
    """``limitation_community`` written under ``tmp`` and built: (desk, site folder)."""
    community = limitation_community(tmp / "c")
    community.write()
    desk, _ = build(community.root, tmp / "site")
    return desk, tmp / "site"
