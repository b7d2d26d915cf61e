"""A two-unit community written by hand, as a committee member writes it (comments everywhere),
and the in-process command over it: for the editing, import, diff and editor-schema tests.

Its policy is the fixture policy (``tests/fixtures/policy.yaml``) as it is.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from generator import pipeline
from generator.cli.main import main
from tests.community import fixture_policy

AS_OF = date(2026, 11, 22)

POLICY = fixture_policy()

OWNER_101 = """\
# 1幢1单元101，业主常年在外地
unit: 1-1-101
type: 高层
area: "100.00"   # 房产证面积
billing_start: 2026-01-01
owners:
  - {name: 王丽, phone: "13800000000"}
contacts:
  - date: 2026-03-02
    channel: phone
    outcome: refused   # 态度差
    evidence: 录音1.m4a
"""

OWNER_102 = """\
unit: 1-1-102
type: 洋房
area: "80.00"
billing_start: 2026-01-01
owners:
  - {name: 李四, phone: "13900000000"}
contacts:
  - {date: 2026-02-01, channel: sms, outcome: no_answer}
"""

PAYMENTS_2026_03 = """\
# 2026年3月缴费（手工录入）
payments:   # 按日期排列
  - {unit: 1-1-102, date: 2026-03-14, amount: "300.00", method: wechat, receipt: R2026-0312}
  - {unit: 1-1-102, date: 2026-03-15, amount: 200.50, method: bank, receipt: 0012}   # 银行回单
# 以上核对无误
"""


def make_community(root: Path) -> Path:
    """Write the two-unit community under ``root``."""
    (root / "ledger" / "payments").mkdir(parents=True)
    (root / "owners").mkdir()
    (root / "ledger" / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (root / "ledger" / "payments" / "2026-03.yaml").write_text(PAYMENTS_2026_03, encoding="utf-8")
    (root / "owners" / "1-1-101.yaml").write_text(OWNER_101, encoding="utf-8")
    (root / "owners" / "1-1-102.yaml").write_text(OWNER_102, encoding="utf-8")
    return root


def cli(root: Path, *args: str, input: str | None = None):
    """The click command over ``root`` as of AS_OF, in this interpreter (click's CliRunner: prompts read ``input``)."""
    return CliRunner().invoke(main, ["--root", str(root), "--as-of", str(AS_OF), "--no-cache", *args], input=input)


def cli_as_of(root: Path, as_of: str, *args: str):
    """The click command over ``root`` as of another day (``as_of``, e.g. the day an imported sheet's arrears were counted)."""
    return CliRunner().invoke(main, ["--root", str(root), "--as-of", as_of, "--no-cache", *args])


def checked(root: Path) -> pipeline.Checked:
    result = pipeline.check(root, AS_OF, AS_OF, use_cache=False)
    assert not result.errors, [p.render() for p in result.errors]
    return result


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}
