"""The editor schemas: generated from the validator's field specs, committed up to date, and in agreement with it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import jsonschema as js
from generator.load import read_file
from generator.yamlsource import MappingNode, ScalarNode, SequenceNode, compose
from tests.test_edit import OWNER_101, OWNER_102, PAYMENTS_2026_03, POLICY, cli, make_community

jsonschema = pytest.importorskip("jsonschema")

PROJECT = Path(__file__).resolve().parent.parent
SCHEMAS = PROJECT / "schemas"

# YAML 1.2 core schema, as the editor's YAML extension reads plain scalars
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN")


def as_editor_reads(node):
    if type(node) is MappingNode:
        return {k.value: as_editor_reads(v) for k, v in node.value}
    if type(node) is SequenceNode:
        return [as_editor_reads(v) for v in node.value]
    assert type(node) is ScalarNode
    text = node.value
    if node.style:  # quoted or block scalars are strings
        return text
    if _NULL.fullmatch(text):
        return None
    if _BOOL.fullmatch(text):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def instance(text: str):
    source, problems = compose("x.yaml", text.encode("utf-8"))
    assert not problems
    return as_editor_reads(source.node)


def validator(kind: str):
    schema = json.loads((SCHEMAS / js.file_name(kind)).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def kind_of(path: str) -> str:
    return "policy" if path == "ledger/policy.yaml" else "owner" if path.startswith("owners/") else "entries"


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
    assert cli(root, "import", str(tmp_path / "s.csv")).exit_code == 0
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
    ("owners/1-1-101.yaml", OWNER_101.replace("unit: 1-1-101", "unit: 1-1-101室"), "pattern"),
    ("ledger/payments/2026-03.yaml", PAYMENTS_2026_03.replace('"300.00"', '"300.001"'), "anyOf"),
    ("ledger/payments/2026-03.yaml", PAYMENTS_2026_03.replace("method: wechat", "method: 微信"), "enum"),
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
])
def test_vscode_settings_give_each_data_file_exactly_one_schema(path, kind):
    settings = json.loads((PROJECT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    matched = [schema for schema, globs in settings.items() if any(_glob(g).fullmatch(path) for g in globs)]
    assert matched == [f"./schemas/{js.file_name(kind)}"]
    assert all((PROJECT / schema).is_file() for schema in settings)
