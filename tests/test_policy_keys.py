"""Policy keys beyond the money rules: who the creditor is, and the statutory limitation period."""
from __future__ import annotations

from tests.community import Community, fee


def _community(tmp_path, extra: str = "", limitation=None) -> Community:
    c = Community(tmp_path, fees=[fee()], limitation=limitation)
    c.unit("1-1-101", billing_start="2020-01-01")
    if extra:
        original = c.policy_text
        c.policy_text = lambda: original() + extra  # type: ignore[method-assign]
    return c


def test_the_creditor_defaults_to_the_issuer(tmp_path):
    desk = _community(tmp_path).desk("2026-01-01")
    assert desk.policy.creditor is None
    assert desk.policy.creditor_name == "测试花园业主委员会"


def test_a_property_company_can_be_named_as_the_creditor(tmp_path):
    desk = _community(tmp_path, "creditor: 测试物业服务有限公司\n").desk("2026-01-01")
    assert desk.policy.creditor_name == "测试物业服务有限公司"
    assert desk.policy.issuer.name == "测试花园业主委员会"  # letters are still sent and signed by the issuer


def test_a_limitation_period_other_than_three_years_is_warned_about(tmp_path):
    checked = _community(tmp_path, limitation={"years": 5}).checked("2026-01-01")
    assert not checked.errors
    [warning] = checked.warnings
    assert warning.pos.path == "ledger/policy.yaml" and warning.pos.line == 5  # the limitation line, after the fee's two
    assert "法定的三年" in warning.message and "第一百九十七条" in warning.message and "years: 3" in warning.hint


def test_three_years_gives_no_warning(tmp_path):
    assert not _community(tmp_path, limitation={"years": 3}).checked("2026-01-01").problems
