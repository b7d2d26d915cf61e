"""Policy keys beyond the money rules: who the creditor is, and the statutory limitation period."""
from __future__ import annotations

from tests.community import Community, fee


def _community(tmp_path, extra: str = "", limitation=None) -> Community:
    c = Community(tmp_path, fees=[fee()], limitation=limitation, policy_yaml=extra)
    c.unit("1-1-101", billing_start="2020-01-01")
    return c


def test_the_creditor_defaults_to_the_issuer(tmp_path):
    desk = _community(tmp_path).desk("2026-01-01")
    assert desk.policy.creditor is None
    assert desk.policy.creditor_name == "测试花园业主委员会"


def test_a_property_company_can_be_named_as_the_creditor_in_plain_text_as_before_v2(tmp_path):
    checked = _community(tmp_path, "creditor: 测试物业服务有限公司\n").checked("2026-01-01")
    assert not checked.errors
    assert checked.ledger.policy.creditor_name == "测试物业服务有限公司"
    assert checked.ledger.policy.issuer.name == "测试花园业主委员会"  # letters are still sent and signed by the issuer
    [warning] = checked.warnings  # without an authorisation the issuer's demands are not the creditor's
    assert "authorisations" in warning.message + warning.hint and warning.pos.line == 5


def test_the_creditor_is_written_as_a_mapping_with_its_name(tmp_path):
    extra = "creditor: {name: 测试物业服务有限公司, address: 测试路1号}\nauthorisations:\n  - {from: 2025-01-01, document: 授权委托书 1号}\n"
    checked = _community(tmp_path, extra).checked("2026-01-01")
    assert not checked.problems
    policy = checked.ledger.policy
    assert (policy.creditor.name, policy.creditor.address) == ("测试物业服务有限公司", "测试路1号")
    assert policy.issuer_may_demand(checked.ledger.policy.authorisations[0].valid_from)
    assert not policy.issuer_may_demand(policy.authorisations[0].valid_from.replace(day=1, month=1, year=2024))


def test_a_limitation_period_other_than_three_years_is_warned_about(tmp_path):
    checked = _community(tmp_path, limitation={"years": 5}).checked("2026-01-01")
    assert not checked.errors
    [warning] = checked.warnings
    assert warning.pos.path == "ledger/policy.yaml" and warning.pos.line == 5  # the limitation line, after the fee's two
    assert "法定的三年" in warning.message and "第一百九十七条" in warning.message and "years: 3" in warning.hint


def test_three_years_gives_no_warning(tmp_path):
    assert not _community(tmp_path, limitation={"years": 3}).checked("2026-01-01").problems
