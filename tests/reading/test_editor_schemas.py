"""The editor schemas: generated from the validator's field specs, committed up to date, and in agreement with it."""
from __future__ import annotations

import json
import re

import pytest

from generator.reading import editor_schemas as js
from generator.reading.load import read_file
from tests.community import fixture_policy
from tests.handwritten import (
    OWNER_101,
    OWNER_102,
    PAYMENTS_2026_03,
    POLICY,
    cli,
    make_community,
)
from tests.schemas import SCHEMAS, instance, kind_of, validator  # skips the module where jsonschema is missing
from tests.support import PROJECT


def test_committed_schemas_are_up_to_date():
    assert js.stale(SCHEMAS) == [], "运行 cuijiao schemas 重新生成 schemas/"


def test_every_key_of_every_spec_has_a_chinese_title():
    for kind in js.FILES:
        text = js.render(kind)
        for match in re.finditer(r'"title": "([^"]*)"', text):
            assert re.search(r"[\u4e00-\u9fff]", match.group(1)), match.group(0)


@pytest.mark.parametrize("path, text", [
    ("ledger/policy.yaml", POLICY), ("owners/1-1-101.yaml", OWNER_101), ("owners/1-1-102.yaml", OWNER_102),
    ("ledger/payments/2026-03.yaml", PAYMENTS_2026_03),
    ("ledger/policy.yaml", "$schema: ../schemas/policy.schema.json\n" + POLICY),
])
def test_schemas_accept_valid_files(path, text):
    errors = list(validator(kind_of(path)).iter_errors(instance(text)))
    assert not errors, [e.message for e in errors]


def test_schemas_accept_what_the_helpers_and_the_import_write(tmp_path):
    root = make_community(tmp_path / "c")
    assert cli(root, "pay", "1-1-101", "600", "--method", "bank", "--date", "2026-11-01").exit_code == 0
    assert cli(root, "waive", "1-1-101", "10", "--applies-to", "late_fee", "--approved-by", "主任", "--reason", "x").exit_code == 0
    assert cli(root, "plan", "1-1-102", "--installment", "2026-12-01:100").exit_code == 0
    assert cli(root, "log", "1-1-101", "--channel", "phone", "--outcome", "promised", "--promise-date", "2026-11-30").exit_code == 0
    (tmp_path / "s.csv").write_text("房号,业主,电话,类型,面积,缴至,欠费\n9-9-901,甲,01066660000,高层,90,2026-06-30,12.5\n", encoding="utf-8")
    assert cli(root, "import", "--accept-differences", str(tmp_path / "s.csv")).exit_code == 0
    for file in sorted(root.rglob("*.yaml")):
        rel = file.relative_to(root).as_posix()
        errors = list(validator(kind_of(rel)).iter_errors(instance(file.read_text(encoding="utf-8"))))
        assert not errors, (rel, [e.message for e in errors])


def test_schemas_accept_the_demo_community():
    files = sorted((PROJECT / "owners").glob("*.yaml")) + sorted((PROJECT / "ledger").rglob("*.yaml"))
    if not files:
        pytest.skip("demo community not present")
    for file in files:
        rel = file.relative_to(PROJECT).as_posix()
        errors = list(validator(kind_of(rel)).iter_errors(instance(file.read_text(encoding="utf-8"))))
        assert not errors, (rel, [f"{list(e.path)}: {e.message}" for e in errors[:5]])


BROKEN = [
    ("owners/1-1-101.yaml", OWNER_101.replace("channel: phone", "channel: telegram"), "enum"),
    ("owners/1-1-101.yaml", OWNER_101.replace("billing_start: 2026-01-01\n", ""), "required"),
    ("owners/1-1-101.yaml", OWNER_101.replace("type: 高层", "type: 高层\nfloor: 3"), "additionalProperties"),
    ("owners/1-1-101.yaml", OWNER_101.replace("date: 2026-03-02", "date: 2026/03/02"), "pattern"),
    ("owners/1-1-101.yaml", OWNER_101.replace("unit: 1-1-101", "unit: 1-1-101_2"), "pattern"),
    ("ledger/payments/2026-03.yaml", PAYMENTS_2026_03.replace('"300.00"', '"300.001"'), "anyOf"),
    ("ledger/payments/2026-03.yaml", PAYMENTS_2026_03.replace("method: wechat", "method: 微信支付"), "enum"),
    ("ledger/payments/2026-03.yaml", "waivers:\n  - {unit: 1-1-101, date: 2026-03-01, amount: 1, applies_to: principal, reason: x}\n", "required"),
    ("ledger/payments/2026-03.yaml", "plans:\n  - {unit: 1-1-101, signed: 2026-03-01, installments: []}\n", "minItems"),
    ("ledger/policy.yaml", POLICY.replace("due_day: 15", "due_day: 31"), "maximum"),
    ("ledger/policy.yaml", POLICY.replace("community: 测试花园\n", ""), "required"),
    ("ledger/policy.yaml", POLICY.replace("letter: notice,", "letter: notice, lettre: x,"), "additionalProperties"),
]


@pytest.mark.parametrize("path, text, keyword", BROKEN)
def test_schemas_reject_broken_files_as_the_validator_does(path, text, keyword):
    errors = list(validator(kind_of(path)).iter_errors(instance(text)))
    assert keyword in {e.validator for e in errors}, [e.message for e in errors]
    result = read_file(path, text.encode("utf-8"))
    assert any(p.severity == "error" for p in result.problems)


def _glob(pattern: str) -> re.Pattern:
    """A VS Code glob as a regular expression: ``*`` within a folder, ``**/`` any folders."""
    out = ""
    for part in re.split(r"(\*\*/|\*)", pattern):
        out += {"**/": "(?:.*/)?", "*": "[^/]*"}.get(part, re.escape(part))
    return re.compile(out)


@pytest.mark.parametrize("path, kind", [
    ("ledger/policy.yaml", "policy"), ("owners/1-1-101.yaml", "owner"), ("ledger/payments/2026-11.yaml", "entries"),
    ("ledger/waivers/2026.yaml", "entries"), ("ledger/2026/plans/a.yaml", "entries"), ("ledger/payments.yaml", "entries"),
    # a repository of many communities (docs/guide/communities.md)
    ("communities/_shared/policy.yaml", "policy"), ("communities/east/ledger/policy.yaml", "policy-override"),
    ("communities/east/owners/1-1-101.yaml", "owner"), ("communities/east/ledger/payments/2026-11.yaml", "entries"),
    ("communities/east/ledger/plans.yaml", "entries"),
])
def test_vscode_settings_give_each_data_file_exactly_one_schema(path, kind):
    settings = json.loads((PROJECT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    matched = [schema for schema, globs in settings.items() if any(_glob(g).fullmatch(path) for g in globs)]
    assert matched == [f"./schemas/{js.file_name(kind)}"]
    assert all((PROJECT / schema).is_file() for schema in settings)


# -- the schemas and the validator agree, value by value ----------------------------------------
# Each template is a valid file with one value left open (the policy's: policy_with, over the fixture
# policy); every value is written as a committee member would write it. ``True``: both accept it;
# ``False``: both refuse it (the editor flags it, ``cuijiao check`` reports an error). The known
# differences are pinned below (test_the_known_differences_between_the_editor_and_check).

POLICY_DEFAULTS = {"cycle": "3", "due_day": "15", "vacant_factor": '"0.7"', "daily_rate": '"0.0003"', "grace_days": "0",
                   "after_days": "1", "wait_days": "7", "count": "1", "years": "3", "warn_days": "180", "list_units": "false"}


def policy_with(**values: str) -> str:
    """The fixture policy with the values the test leaves open written in (``POLICY_DEFAULTS`` for the others)."""
    v = {**POLICY_DEFAULTS, **values}
    return fixture_policy(
        fees=f'\n  - {{id: property, name: 物业费, basis: area, rate: {{高层: "2.00"}}, cycle: {v["cycle"]}, due_day: {v["due_day"]}, '
             f'vacant_factor: {v["vacant_factor"]}}}',
        late_fee=f'{{daily_rate: {v["daily_rate"]}, grace_days: {v["grace_days"]}, cap: "1"}}',
        dunning=f'\n  - {{id: reminder, name: 提醒, after_days: {v["after_days"]}, channels: [sms]}}'
                f'\n  - {{id: notice, name: 通知书, after_days: 30, channels: [letter], letter: notice, wait_days: {v["wait_days"]}, '
                f'requires: {{reminder: {v["count"]}}}}}',
        limitation=f'{{years: {v["years"]}, warn_days: {v["warn_days"]}}}',
        notice_board=f'{{list_units: {v["list_units"]}}}',
    )


OWNER_WITH = """\
unit: {unit}
type: 高层
area: {area}
billing_start: {billing_start}
occupancy: {occupancy}
owners: {owners}
contacts:
  - {{date: 2026-03-02, channel: phone, outcome: reached, by: {by}}}
"""
OWNER_DEFAULTS = {"unit": "1-1-101", "area": '"89.50"', "billing_start": "2026-01-01", "occupancy": "self", "owners": "[{name: 王丽}]", "by": "张敏"}
ENTRIES_WITH = "payments:\n  - {{unit: 1-1-101, date: {date}, amount: {amount}, method: cash, receipt: {receipt}}}\n"
ENTRIES_DEFAULTS = {"date": "2026-03-14", "amount": '"100.00"', "receipt": "R1"}

AGREEMENT = {
    "cycle": {"1": True, "3": True, "6": True, "12": True, "0": False, "2": False, "4": False, "5": False, "11": False, "13": False, "24": False, "-3": False, "3.5": False, "三": False},
    "due_day": {"1": True, "28": True, "0": False, "29": False, "-1": False},
    "vacant_factor": {'"0.7"': True, "0.7": True, "0": True, "1": True, '"-0.7"': False, "-0.7": False, '"0.7%"': False, '"0.123456789"': False, '"1000000000"': False, '""': False},
    "daily_rate": {'"0.0003"': True, "0.0003": True, '"0"': True, '"-0.0003"': False, "-0.0003": False, '"0.03%"': False, '".5"': False},
    "grace_days": {"0": True, "3650": True, "3651": False, "-1": False},
    "after_days": {"0": True, "3650": True, "3651": False, "-1": False, "1.5": False},
    "wait_days": {"0": True, "3650": True, "3651": False, "-7": False},
    "count": {"1": True, "99": True, "0": False, "100": False},
    "years": {"1": True, "20": True, "0": False, "21": False},
    "warn_days": {"0": True, "3650": True, "-1": False, "3651": False},
    "list_units": {"true": True, "false": True, "True": True, "FALSE": True, "yes": False, "no": False, "1": False},
    "unit": {"1-1-101": True, "1-1-101_2": False, "1 1 101": False, '""': False},
    "area": {'"89.50"': True, "89.5": True, '"0.01"': True, '"0"': False, "0": False, "0.0": False, '"-1"': False, "-89.5": False, '"89.5㎡"': False, '""': False},
    "billing_start": {"2026-01-01": True, "1990-01-01": True, "2100-12-31": True, "1989-12-31": False, "2101-01-01": False,
                      "0001-01-01": False, "9999-12-31": False, "2026-02-30": False, "2026/01/01": False, "2026-1-1": False},
    "occupancy": {"self": True, "vacant": True, "empty": False, "no": False},
    "owners": {"[{name: 王丽}]": True, "[{name: 王丽, phone: \"138\"}]": True, "[]": False, '[{name: ""}]': False, "[{phone: \"138\"}]": False},
    "by": {"张敏": True, '""': True, "~": True, "true": True, "[张敏]": False},
    "date": {"2026-03-14": True, "1989-12-31": False, "2101-01-01": False, "2026-13-01": False},
    "amount": {'"100.00"': True, "100": True, "100.5": True, '"0.01"': True, '"999999999999.99"': True, '"0"': False, "0": False,
               '"0.00"': False, '"-5"': False, "-5": False, '"100.001"': False, '"1,200.00"': False, '"1000000000000"': False,
               "1000000000000": False, '""': False, '".5"': False},
    "receipt": {"R1": True, '"0012"': True, "~": True, "[R1]": False},
}


def _agreement_cases():
    for name, values in AGREEMENT.items():
        for value, valid in values.items():
            if name in POLICY_DEFAULTS:
                yield name, value, valid, "ledger/policy.yaml", policy_with(**{name: value})
            elif name in OWNER_DEFAULTS:
                yield name, value, valid, "owners/1-1-101.yaml", OWNER_WITH.format(**{**OWNER_DEFAULTS, name: value})
            else:
                yield name, value, valid, "ledger/payments/2026-03.yaml", ENTRIES_WITH.format(**{**ENTRIES_DEFAULTS, name: value})


@pytest.mark.parametrize("name, value, valid, path, text", list(_agreement_cases()), ids=lambda x: x if isinstance(x, str) and len(x) < 24 else None)
def test_the_schema_and_the_validator_agree_on_each_value(name, value, valid, path, text):
    errors = [p.render() for p in read_file(path, text.encode("utf-8")).problems if p.severity == "error"]
    editor = [e.message for e in validator(kind_of(path)).iter_errors(instance(text))]
    assert (not errors) == valid, (f"{name}: {value}", errors)
    assert (not editor) == valid, (f"{name}: {value}", editor)


def test_cycle_is_offered_as_its_four_values():
    fee = json.loads(js.render("policy"))["properties"]["fees"]["items"]["properties"]["cycle"]
    assert fee["enum"] == [1, 3, 6, 12] and len(fee["enumDescriptions"]) == 4


def test_unknown_key_hints_never_suggest_dollar_schema():
    _, text = "owners/1-1-101.yaml", OWNER_WITH.format(**OWNER_DEFAULTS) + "备注: x\n"
    problems = read_file("owners/1-1-101.yaml", text.encode("utf-8")).problems
    assert len(problems) == 1 and "可用的键" in problems[0].hint and "$schema" not in problems[0].hint
    text = OWNER_WITH.format(**OWNER_DEFAULTS) + "schema: x\n"
    problems = read_file("owners/1-1-101.yaml", text.encode("utf-8")).problems
    assert len(problems) == 1 and "$schema" not in problems[0].hint


@pytest.mark.parametrize("name, value, check_accepts", [
    # check reads a quoted whole number; the editor asks for a plain one
    ("cycle", '"3"', True), ("due_day", '"15"', True),
    # the editor reads an unquoted number as a float: it cannot count its decimals or see an exponent
    ("amount", "100.001", False), ("amount", "1e3", False), ("vacant_factor", "0.123456789", False),
])
def test_the_known_differences_between_the_editor_and_check(name, value, check_accepts):
    if name in POLICY_DEFAULTS:
        path, text = "ledger/policy.yaml", policy_with(**{name: value})
    else:
        path, text = "ledger/payments/2026-03.yaml", ENTRIES_WITH.format(**{**ENTRIES_DEFAULTS, name: value})
    errors = [p for p in read_file(path, text.encode("utf-8")).problems if p.severity == "error"]
    editor = list(validator(kind_of(path)).iter_errors(instance(text)))
    assert (not errors) == check_accepts
    assert (not editor) != check_accepts  # the guide (docs/guide/files.md) asks for money in quotes, which both read alike


def test_a_fees_basis_and_the_late_fees_basis_have_their_own_titles():
    """Both keys are called ``basis``; the table once held one word for both (a fee's basis read 违约金依据)."""
    from generator.reading.editor_schemas import build

    policy = build("policy")["properties"]
    fee = policy["fees"]["items"]["properties"]["basis"]
    late_fee = policy["late_fee"]["properties"]["basis"]
    assert (fee["title"], late_fee["title"]) == ("计费方式", "违约金依据")


def test_a_communitys_own_policy_may_leave_any_key_to_the_shared_one_but_a_list_item_stays_whole():
    override = 'community: 东区\nlate_fee: {daily_rate: "0.0002"}\n'
    assert not list(validator("policy-override").iter_errors(instance(override)))
    assert "required" in {e.validator for e in validator("policy").iter_errors(instance(override))}
    half_fee = override + "fees:\n  - {id: property, name: 物业费}\n"  # fees replace the shared list: each item complete
    assert "required" in {e.validator for e in validator("policy-override").iter_errors(instance(half_fee))}
    typo = override.replace("daily_rate", "daily_rat")
    assert "additionalProperties" in {e.validator for e in validator("policy-override").iter_errors(instance(typo))}


def test_the_schemas_command_writes_new_files_and_never_writes_through_a_link(tmp_path):
    """A pull request may put a link where a schema goes: ``cuijiao schemas`` names it in Chinese and leaves the file
    it points to as it was; the other schemas are written, and a second run finds them up to date."""
    community = make_community(tmp_path / "c")
    secret = tmp_path / "bashrc"
    secret.write_text("export PATH\n", encoding="utf-8")
    (community / "schemas").mkdir(exist_ok=True)
    planted = community / "schemas" / js.file_name("owner")
    planted.unlink(missing_ok=True)
    planted.symlink_to(secret)
    result = cli(community, "schemas")
    assert result.exit_code == 1 and "owner.schema.json 是符号链接或不是普通文件" in result.output
    assert secret.read_text(encoding="utf-8") == "export PATH\n"
    planted.unlink()
    assert cli(community, "schemas").exit_code == 0
    assert js.stale(community / "schemas") == []
    assert cli(community, "schemas", "--check").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (community / "schemas").rename(tmp_path / "old-schemas")
    (community / "schemas").symlink_to(elsewhere)  # the whole folder a link
    result = cli(community, "schemas")
    assert result.exit_code == 1 and "是符号链接" in result.output and list(elsewhere.iterdir()) == []
