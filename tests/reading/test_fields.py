"""The field objects: each reads one kind of value and says in JSON Schema what it accepts; one unit id rule."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from generator.core import labels
from generator.core.model import (
    APPLIES_TO,
    BASES,
    CHANNELS,
    COVERS,
    METHODS,
    OCCUPANCIES,
    OUTCOMES,
    PARTIES,
    PLAN_LATE_FEES,
    PURPOSES,
    REASONS,
)
from generator.reading import editor_schemas, fastpath, fields, load, specs
from generator.reading.fields import (
    ADate,
    Deferred,
    Enum,
    Integer,
    IntegerChoice,
    ListOf,
    Nested,
    Reader,
    UnitId,
    a_date,
    money,
    optional_text,
    text,
    unit_id,
)
from generator.reading.load import read_file
from generator.reading.yamlsource import compose
from generator.workflow import importer


def _node(yaml_text: str):
    source, problems = compose("x.yaml", yaml_text.encode("utf-8"))
    assert not problems
    return source.node


def _read(field, yaml_value: str, key: str = "k"):
    """What ``field`` reads from the value of ``k: <yaml_value>``, and the reader's messages."""
    node = _node(f"{key}: {yaml_value}\n")
    reader = Reader("x.yaml")
    value = field(reader, node.value[0][1], key)
    return value, [(p.message, p.hint) for p in reader.problems]


def test_integer_reads_its_range_and_gives_its_bounds_as_json_schema():
    due_day = Integer(1, 28)
    assert _read(due_day, "15") == (15, [])
    assert _read(due_day, "29", "due_day") == (fields.BAD, [("“due_day”的值 29 超出范围", "应为 1 到 28 的整数")])
    assert _read(Integer(0), "-3", "n") == (fields.BAD, [("“n”不能是负数：“-3”", "应为 不小于 0 的整数")])
    assert due_day.json_schema() == {"type": "integer", "minimum": 1, "maximum": 28}
    assert Integer(0).json_schema() == {"type": "integer", "minimum": 0}


def test_enum_hints_with_its_words_and_gives_its_choices_as_json_schema():
    channel = Enum(("sms", "phone"), "channel")
    assert _read(channel, "phone") == ("phone", [])
    value, problems = _read(channel, "phon", "channels")
    assert value is fields.BAD
    assert problems == [("“channels”的值“phon”不在可选范围内", "是不是“phone”？可选：" + fields.ENUM_WORDS["channel"])]
    assert _read(Enum(("a", "b")), "c", "x")[1] == [("“x”的值“c”不在可选范围内", "可选：a、b")]
    assert channel.json_schema() == {"type": "string", "enum": ["sms", "phone"]}


def test_enum_reads_the_chinese_word_of_each_value_as_its_code():
    channel, outcome = Enum(CHANNELS), Enum(OUTCOMES)
    assert _read(channel, "电话", "channel") == ("phone", [])
    assert _read(channel, "挂号信/EMS", "channel") == ("registered_mail", [])
    assert _read(channel, "EMS", "channel")[0] is fields.BAD  # a part of a word is for the helpers, as a prefix is
    assert _read(outcome, "拒绝缴费", "outcome") == ("refused", [])
    assert _read(Enum(METHODS), "微信", "method") == ("wechat", [])
    assert _read(Enum(PLAN_LATE_FEES), "停止计算", "late_fee") == ("freeze", [])
    for choices, words in ((CHANNELS, labels.CHANNEL), (OUTCOMES, labels.OUTCOME), (REASONS, labels.REASON),
                           (METHODS, labels.METHOD), (APPLIES_TO, labels.APPLIES_TO), (OCCUPANCIES, labels.OCCUPANCY),
                           (PURPOSES, labels.PURPOSE), (PARTIES, labels.PARTY), (COVERS, labels.COVERS),
                           (PLAN_LATE_FEES, labels.PLAN_LATE_FEE), (BASES, labels.BASIS)):
        assert [_read(Enum(choices), words[c])[0] for c in choices] == list(choices)


def test_enum_in_yaml_takes_no_prefix_and_its_hint_gives_the_chinese_words():
    value, problems = _read(Enum(OUTCOMES), "拒绝", "outcome")  # a helper takes 拒绝; a file says what it means
    assert value is fields.BAD
    assert problems == [("“outcome”的值“拒绝”不在可选范围内", "可选：" + fields.ENUM_WORDS["outcome"] + "；也可以写中文："
                         "无人接听、已联系上、承诺付款、拒绝缴费、有异议、已送达、被退回、联系不上、已缴费")]
    assert Enum(APPLIES_TO).json_schema() == {"type": "string", "enum": ["principal", "late_fee", "本金", "违约金"]}


CHINESE_WORDS_OWNER = """\
unit: 1-1-101
type: 高层
area: "100.00"
billing_start: 2026-01-01
occupancy: 出租
owners:
  - {name: 王丽, phone: "13800000000"}
contacts:
  - {date: 2026-03-02, channel: 电话, outcome: 拒绝缴费, reason: 对服务不满, purpose: 催缴, evidence: 录音1.m4a}
  - {date: 2026-03-09, channel: phone, outcome: refused, reason: service_complaint, evidence: 录音2.m4a}
"""
CHINESE_WORDS_ENTRIES = """\
payments:
  - {unit: 1-1-101, date: 2026-03-14, amount: "300.00", method: 微信}
  - {unit: 1-1-101, date: 2026-03-14, amount: "300.00", method: wechat}
waivers:
  - {unit: 1-1-101, date: 2026-04-01, amount: "10.00", applies_to: 违约金, approved_by: 业委会, reason: 漏水}
plans:
  - {unit: 1-1-101, signed: 2026-04-01, installments: [{due: 2026-05-01, amount: "100.00"}], late_fee: 停止计算, covers: 全部欠费}
"""


@pytest.mark.parametrize("path, text", [("owners/1-1-101.yaml", CHINESE_WORDS_OWNER),
                                        ("ledger/payments/2026-03.yaml", CHINESE_WORDS_ENTRIES)])
def test_chinese_words_give_the_same_records_on_the_fast_and_the_exact_path(path, text):
    fast = fastpath.read_fast(path, text, load.file_kind(path), {})  # does not give up on the words
    exact = load.read_exact(path, text.encode("utf-8"))
    assert exact.problems == () and fast == exact.record
    if path.startswith("owners/"):
        first, second = fast.contacts
        assert (fast.occupancy, first.channel, first.outcome, first.reason, first.purpose) == (
            "rented", "phone", "refused", "service_complaint", "demand")
        assert (first.channel, first.outcome, first.reason) == (second.channel, second.outcome, second.reason)
    else:
        assert [p.method for p in fast.payments] == ["wechat", "wechat"]
        assert fast.waivers[0].applies_to == "late_fee"
        assert (fast.plans[0].late_fee, fast.plans[0].covers) == ("freeze", "all")


@pytest.mark.parametrize("path, text", [("owners/1-1-101.yaml", CHINESE_WORDS_OWNER),
                                        ("ledger/payments/2026-03.yaml", CHINESE_WORDS_ENTRIES)])
def test_the_editor_schemas_accept_the_chinese_words(path, text):
    from tests.schemas import instance, kind_of, validator

    assert [e.message for e in validator(kind_of(path)).iter_errors(instance(text))] == []
    wrong = text.replace("拒绝缴费", "拒绝").replace("method: 微信", "method: 微信支付")
    assert {e.validator for e in validator(kind_of(path)).iter_errors(instance(wrong))} == {"enum"}


def test_integer_choice_lists_its_choices_in_the_message_and_the_schema():
    cycle = IntegerChoice((1, 3, 6, 12), " 个月")
    assert _read(cycle, "2", "cycle")[1] == [("“cycle”的值 2 不在可选范围内，只能是 1、3、6 或 12 个月", "把 cycle 改为 1、3、6 或 12 中的一个")]
    assert cycle.json_schema() == {"type": "integer", "enum": [1, 3, 6, 12]}


def test_list_of_reads_every_item_and_nests_the_items_schema():
    months = ListOf(Integer(1, 12), min_items=1)
    assert _read(months, "[1, 12]") == ((1, 12), [])
    assert _read(months, "[]", "months") == (fields.BAD, [("“months”至少要写 1 项", "在 months 下面补上，每项以“- ”开头")])
    assert months.json_schema() == {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}, "minItems": 1}
    assert ListOf(a_date).json_schema() == {"type": "array", "items": ADate().json_schema()}


def test_nested_and_deferred_mappings_ask_for_the_schema_of_their_spec():
    spec = {"name": (text, True), "phone": (optional_text, False)}
    asked = []

    def record(spec_asked, name):
        asked.append((spec_asked, name))
        return {"record": name}

    person = Nested(spec, "业主", lambda r, node, v: v["name"], "person")
    assert _read(person, "{name: 王丽}") == ("王丽", [])
    assert person.json_schema(record) == {"record": "person"}
    assert Deferred(spec, "fee", "list", min_items=1).json_schema(record) == {"type": "array", "items": {"record": "fee"}, "minItems": 1}
    assert Deferred(spec, "opening", "either").json_schema(record) == {"anyOf": [{"record": "opening"}, {"type": "array", "minItems": 1, "items": {"record": "opening"}}]}
    assert Deferred(spec, "holiday", "by_year").json_schema(record)["propertyNames"] == {"pattern": r"^(199\d|20\d\d|2100)$"}
    assert all(spec_asked is spec for spec_asked, _ in asked)
    # without an editor's words: the bare structure
    assert person.json_schema() == {
        "type": "object",
        "properties": {"name": text.json_schema(), "phone": optional_text.json_schema()},
        "additionalProperties": False,
        "required": ["name"],
    }


def test_each_key_of_the_editor_schemas_is_its_field_schema_under_its_words():
    """The editor schemas are the field objects' own schemas, with a title and description (and enum words) added."""
    built = json.loads(editor_schemas.render("entries"))
    payment = built["properties"]["payments"]["items"]["properties"]
    assert payment["amount"] == {"title": "缴费金额", "description": "请加引号并写两位小数，如 \"1200.00\"", **money.json_schema()}
    assert {k: v for k, v in payment["unit"].items() if k not in ("title", "description")} == unit_id.json_schema()
    method = payment["method"]
    codes = list(specs.ENTRIES_SPEC["payments"][0].spec["method"][0].choices)
    assert method["enum"] == codes + ["微信", "支付宝", "银行转账", "现金", "刷卡", "其他"]
    assert method["enumDescriptions"][method["enum"].index("bank")] == "银行转账"
    assert method["enumDescriptions"][method["enum"].index("现金")] == "现金（即 cash）"
    assert method["description"].endswith("可选：wechat（微信）、alipay（支付宝）、bank（银行转账）、cash（现金）、pos（刷卡）、other（其他）")
    policy = json.loads(editor_schemas.render("policy"))
    stage = policy["properties"]["dunning"]["items"]["properties"]
    assert stage["after_days"]["maximum"] == specs.MAX_DAYS
    assert stage["requires"]["additionalProperties"] == {"type": "integer", "minimum": 1, "maximum": specs.MAX_REQUIRED_COUNT}


# -- one unit id rule ------------------------------------------------------------------

CHINESE_IDS = ("商铺-3", "A栋-1201", "3-2-1802", "㐀-1")
NOT_IDS = ("3_2", "3 2", "3-", "-3", "3--2", "3/2", "1-1-101。")


def test_the_reader_the_importer_and_the_editor_schema_use_one_unit_id_pattern():
    assert importer.UNIT_ID is fields.UNIT_ID
    assert UnitId.pattern() == "^" + fields.UNIT_ID.pattern + "$"


@pytest.mark.parametrize("unit", CHINESE_IDS)
def test_a_unit_id_with_chinese_characters_is_accepted_by_the_reader_the_importer_and_the_editor_schema(unit):
    owner = f"unit: {unit}\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{{name: 王丽}}]\n"
    result = read_file(f"owners/{unit}.yaml", owner.encode("utf-8"))
    assert result.problems == () and result.record.id == unit
    assert importer.cell_unit(unit) == unit
    assert re.search(unit_id.json_schema()["pattern"], unit)
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(editor_schemas.render("owner"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors({"unit": unit, "type": "高层", "billing_start": "2026-01-01", "owners": [{"name": "王丽"}]})) == []


@pytest.mark.parametrize("unit", NOT_IDS)
def test_a_unit_id_with_symbols_is_refused_by_the_reader_the_importer_and_the_editor_schema(unit):
    assert _read(unit_id, json.dumps(unit), "unit")[0] is fields.BAD
    with pytest.raises(importer.CellError):
        importer.cell_unit(unit)
    assert not re.search(unit_id.json_schema()["pattern"], unit)


def test_a_unit_id_holds_only_ascii_letters_and_digits_and_chinese_characters():
    """Every other letter looks like one of these somewhere (Cyrillic Ѕ, full-width Ｓ, Greek Ο) and would be a second unit."""
    for code in range(0x10000):
        char = chr(code)
        plain = char.isascii() and char.isalnum() or "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff"
        assert bool(fields.UNIT_ID.fullmatch(char)) == plain, hex(code)


@pytest.mark.parametrize(("unit", "named"), [("Ѕ-03", "“Ѕ”（U+0405，西里尔字母）"), ("Ｓ-０３", "“Ｓ”（U+FF33，全角字符）"),
                                              ("1-Ο1", "“Ο”（U+039F，希腊字母）"), ("é-1", "“é”（U+00E9，带符号的拉丁字母）"),
                                              ("1-1\u200b", "看不见的字符 U+200B")])
def test_a_look_alike_unit_id_is_refused_naming_the_odd_character(unit, named):
    owner = f"unit: {unit}\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{{name: 王丽}}]\n"
    result = read_file(f"owners/{unit}.yaml", owner.encode("utf-8"))
    assert [p.message for p in result.problems if "房号" in p.message] == [
        f"房号“{unit}”里有{named}：房号只能用英文字母、数字、汉字和“-”"]


@pytest.mark.skipif(shutil.which("node") is None, reason="no node to run the editor's ECMAScript regex")
def test_the_editor_pattern_accepts_chinese_ids_in_ecmascript_as_editors_run_it():
    """VS Code's YAML extension compiles patterns with the u flag; there \\W is ASCII only."""
    script = (
        "const r = new RegExp(JSON.parse(process.argv[1]), 'u');"
        "console.log(JSON.stringify(JSON.parse(process.argv[2]).map(s => r.test(s))))"
    )
    ids = list(CHINESE_IDS + NOT_IDS)
    out = subprocess.run(["node", "-e", script, json.dumps(UnitId.pattern()), json.dumps(ids)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [True] * len(CHINESE_IDS) + [False] * len(NOT_IDS)
