"""The fast path (fastyaml + FastReader) and the exact path (libyaml nodes) give the same records and diagnostics.

``load.read_file`` reads an ordinary file with ``fastyaml`` and gives up to the
exact path (``load.read_exact``) as soon as anything is unusual. These tests
pin that the two never disagree: same records (with their positions), same
diagnostics, for hand-picked inputs, for every file of the demo community and
of the tests' broken communities, for whole communities, and for random
YAML-like text compared with libyaml's own composition.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.paths import work_folder
from generator.reading import fastpath, files, load
from generator.reading.load import read_exact, read_file
from generator.reading.yamlsource import decode
from generator.speed import forking
from generator.speed.fastyaml import Map, parse
from tests.support import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))
import synth  # noqa: E402

OWNER = "owners/3-2-1802.yaml"
ENTRIES = "ledger/payments/2026-03.yaml"

# Files the fast path must read itself (and agree with libyaml on).
ORDINARY = {
    "flow and block, quoted and plain, comments, CJK": (OWNER, """\
# yaml-language-server: $schema=../schemas/owner.schema.json
# 3幢2单元1802室：业主常年在外
unit: 3-2-1802              # 房号
type: 高层
area: "89.50"
billing_start: 2023-07-20
occupancy: rented
owners:
  - {name: 王丽, phone: "13800000000", address: 示例花园3幢2单元1802室}
  - name: '李 四'
    phone: 01066660000
tenant: {name: 张三, phone: "13900000000"}
tags: [有小孩, 老人, "a, b", 'it''s']
opening:
  amount: 2400.5
  due: 2023-01-15
contacts:
  - date: 2026-03-02
    channel: phone
    by: 张敏
    outcome: promised
    promise: {date: 2026-03-15, amount: "1200.00"}
    reason: forgot
    evidence: 通话录音 20260302-1802.m4a
    note: 业主出差，回来后转账；说“月底前一定缴清”（含 2 个月）
  - {date: 2026-04-01, channel: letter, outcome: delivered, evidence: "EMS 1234: 已签收", note: a#b and 10:30 and R#12}
"""),
    "entries in every section, both styles": (ENTRIES, """\
# 2026年3月缴费记录
payments:
  - {unit: 3-2-1802, date: 2026-03-14, amount: "1200.00", method: wechat, receipt: R2026-0312}
  - {unit: 3-2-1802, date: 2026-03-15, amount: 35.2, method: bank}
  -   {unit: 3-2-1802,  date: "2026-03-16", amount: '10', method: cash, note: 现金 找零}   # spacing
  - unit: 3-2-1802
    date: 2026-03-17
    amount: "99.99"
    method: alipay
    receipt: "0012"

charges:
- {unit: 3-2-1802, item: 公摊水电, period: 2026-02, amount: "35.20", due: 2026-03-15}
- unit: 3-2-1802
  item: 车位管理费
  amount: "600.00"
  due: 2026-03-15
  issued: 2026-03-01
waivers:
  - {unit: 3-2-1802, date: 2026-04-01, amount: "200.00", applies_to: late_fee, approved_by: 业委会2026年第3次会议, reason: 漏水维修期间}
plans:
  - unit: 3-2-1802
    signed: 2026-04-01
    installments: [{due: 2026-05-01, amount: "1000.00"}, {due: 2026-06-01, amount: "1000.00"}]
    note: 业主签字确认
  - unit: 3-2-1802
    signed: 2026-04-02
    installments:
      - {due: 2026-05-01, amount: "1000.00"}
      - due: 2026-06-01
        amount: "1000.00"
"""),
    "JSON-style flow, quoted keys": (ENTRIES, '{"payments": [{"unit": "3-2-1802", "date": "2026-03-14", "amount": "1200.00", "method": "wechat"}]}\n'),
    "BOM and CRLF": (ENTRIES, "\ufeffpayments:\r\n  - {unit: 3-2-1802, date: 2026-03-14, amount: \"1200.00\", method: wechat}\r\n  - unit: 1-1-101\r\n    date: 2026-03-15\r\n    amount: \"1.00\"\r\n    method: cash\r\n"),
    "empty sections": (ENTRIES, "payments: []\ncharges: []\nwaivers: []\nplans: []\n"),
    "top-level values in every form": (OWNER, """\
unit:   3-2-1802   # extra spaces
type: '高层'
area: "89.50"
billing_start: 2026-01-01
occupancy: vacant # a comment
owners:
- {name: 王丽}
tenant:
  name: 张三
  phone: "13900000000"
tags: [有小孩]
opening: {amount: "1.00", due: 2025-12-15}
contacts: # the log

  - {date: 2026-02-01, channel: phone, outcome: reached}
"""),
    "yes, no, numbers stay text": (OWNER, "unit: 3-2-1802\ntype: 高层\narea: 89.50\nbilling_start: 2026-01-01\nowners:\n  - {name: 王丽, phone: 01066660000, address: 0571}\ntags: [yes, no, on, off, true, 1e3, 010]\ncontacts:\n  - {date: 2026-02-01, channel: phone, outcome: reached, evidence: 0001, note: no}\n"),
}

# Files the fast path must leave to libyaml (and the answer is the exact path's).
UNUSUAL = {
    "multi-line plain scalar": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - date: 2026-02-01\n    channel: phone\n    outcome: reached\n    note: 第一行\n      第二行\n"),
    "literal block scalar": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - date: 2026-02-01\n    channel: phone\n    outcome: reached\n    note: |\n      第一行\n      第二行\n"),
    "folded block scalar": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - {date: 2026-02-01, channel: phone, outcome: reached}\ntags: >\n  a\n  b\n"),
    "multi-line flow mapping": (ENTRIES, "payments:\n  - {unit: 3-2-1802, date: 2026-03-14,\n     amount: \"1200.00\", method: wechat}\n"),
    "multi-line double-quoted": (OWNER, 'unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: "王\n  丽"}]\n'),
    "escapes in double quotes": (OWNER, 'unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: "\\u738b\\u4e3d"}]\n'),
    "null evidence": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - {date: 2026-02-01, channel: phone, outcome: reached, evidence: ~}\n"),
    "empty value": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - date: 2026-02-01\n    channel: phone\n    outcome: reached\n    evidence:\n"),
    "document marker": (ENTRIES, "---\npayments: []\n"),
    "explicit tags": (ENTRIES, "payments:\n  - {unit: !!str 3-2-1802, date: 2026-03-14, amount: \"1.00\", method: wechat}\n"),
    "custom tag": (ENTRIES, "payments:\n  - {unit: 3-2-1802, date: !date 2026-03-14, amount: \"1.00\", method: wechat}\n"),
    "anchor and alias": (ENTRIES, "payments:\n  - &p {unit: 3-2-1802, date: 2026-03-14, amount: \"1.00\", method: wechat}\n  - *p\n"),
    "merge key": (ENTRIES, "payments:\n  - &p {unit: 3-2-1802, date: 2026-03-14, amount: \"1.00\", method: wechat}\n  - {<<: *p, receipt: R2}\n"),
    "duplicate key in flow": (ENTRIES, "payments:\n  - {unit: 3-2-1802, date: 2026-03-14, amount: \"1.00\", method: wechat, unit: 1-1-101}\n"),
    "duplicate key in block": (ENTRIES, "payments:\n  - unit: 3-2-1802\n    date: 2026-03-14\n    date: 2026-03-15\n    amount: \"1.00\"\n    method: wechat\n"),
    "duplicate top-level key": (ENTRIES, "payments: []\npayments: []\n"),
    "tab indentation": (ENTRIES, "payments:\n\t- {unit: 3-2-1802, date: 2026-03-14, amount: \"1.00\", method: wechat}\n"),
    "not UTF-8": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\n".encode("gb18030")),
    "colon without space": (ENTRIES, "payments:\n  - {unit:3-2-1802, date: 2026-03-14, amount: \"1.00\", method: wechat}\n"),
    "mapping value in a plain scalar": (OWNER, "unit: 3-2-1802\ntype: 高层: 洋房\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\n"),
    "unknown key": (ENTRIES, "payments:\n  - {unit: 3-2-1802, date: 2026-03-14, amount: \"1.00\", method: wechat, reciept: R1}\n"),
    "missing key": (ENTRIES, "payments:\n  - {unit: 3-2-1802, amount: \"1.00\", method: wechat}\n"),
    "bad values": (ENTRIES, "payments:\n  - {unit: 3-2-1802, date: 2026-02-30, amount: \"1.005\", method: wechat}\n  - {unit: 3 2 1802, date: 2026/03/01, amount: -5, method: 微信}\n"),
    "wrong structure": (ENTRIES, "payments:\n  unit: 3-2-1802\n"),
    "promise without promised": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - {date: 2026-02-01, channel: phone, outcome: reached, promise: {date: 2026-02-10}}\n"),
    "warning only: promised without promise": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - {date: 2026-02-01, channel: phone, outcome: promised}\n"),
    "unit does not match the file name": (OWNER, "unit: 1-1-101\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\n"),
    "empty file": (ENTRIES, ""),
    "only comments": (OWNER, "# nothing yet\n"),
    "trailing comma": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽},]\n"),
    "indented root": (ENTRIES, "  payments: []\n"),
    "standard tag and an unknown key": (OWNER, "unit: 3-2-1802\ntype: 高层\narea: !!str 89.46\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\nocupancy: self\n"),
    "anchor without alias": (OWNER, 'unit: 3-2-1802\ntype: 高层\narea: &a "126.32"\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\n'),
    "merge key without alias": (ENTRIES, "payments:\n  - {<<: {method: wechat}, unit: 3-2-1802, date: 2026-03-14, amount: \"1.00\"}\n"),
    "undefined alias": (ENTRIES, "payments:\n  - *nothing\n"),
    "a lone Tab at the end": (ENTRIES, "payments: []\n\t"),
    "unclosed quote": (OWNER, 'unit: 3-2-1802\ntype: "高层\nbilling_start: 2026-01-01\nowners: [{name: "王丽"}]\n'),
    "a unit with an error keeps what was read": (OWNER, "unit: 3-2-1802\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\nocupancy: self\ncontacts:\n  - {date: 2099-02-01, channel: phone, outcome: reached}\n"),
    "a date out of range": (ENTRIES, "payments:\n  - {unit: 3-2-1802, date: 0001-01-01, amount: \"1.00\", method: wechat}\n"),
    "NEL line break": (OWNER, "unit: 3-2-1802\ntype: 高层\u0085billing_start: 2026-01-01\nowners: [{name: 王丽}]\n"),
}


def _raw(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


@pytest.mark.parametrize("name", list(ORDINARY))
def test_ordinary_files_are_read_the_fast_way_with_the_exact_records(name):
    path, text = ORDINARY[name]
    raw = _raw(text)
    exact = read_exact(path, raw)
    assert exact.problems == () and exact.record is not None
    decoded, _ = decode(path, raw)
    fast = fastpath.read_fast(path, decoded, load.file_kind(path), {})  # does not give up
    assert fast == exact.record
    assert read_file(path, raw) == exact


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_unusual_files_are_left_to_libyaml_with_the_same_diagnostics(name):
    path, text = UNUSUAL[name]
    raw = _raw(text)
    decoded, _ = decode(path, raw)
    if decoded is not None:
        with pytest.raises(fastpath.GiveUp):
            fastpath.read_fast(path, decoded, load.file_kind(path), {})
    assert read_file(path, raw) == read_exact(path, raw)


def test_a_unit_keeps_where_each_of_its_values_is_the_same_both_ways():
    path, text = ORDINARY["top-level values in every form"]
    fast = fastpath.read_fast(path, text, "unit", {})
    assert fast == read_exact(path, _raw(text)).record
    assert fast.pos.values == (  # (key, line, col) of each value, where libyaml says it starts
        ("unit", 1, 9), ("type", 2, 7), ("area", 3, 7), ("billing_start", 4, 16), ("occupancy", 5, 12),
        ("owners", 7, 1), ("tenant", 9, 3), ("tags", 11, 7), ("opening", 12, 10), ("contacts", 15, 3),
    )


def test_records_keep_libyamls_positions():
    path, text = ORDINARY["entries in every section, both styles"]
    entries = read_file(path, _raw(text)).record
    lines = text.split("\n")
    first = entries.payments[0]
    assert (first.pos.line, first.pos.col) == (3, lines[2].index("{") + 1)  # a flow mapping starts at '{'
    block = entries.payments[3]
    assert (block.pos.line, block.pos.col) == (6, lines[5].index("unit") + 1)  # a block mapping at its first key
    assert [p.seq for p in entries.payments] == [(path, i) for i in range(4)]
    assert [c.seq for c in entries.charges] == [(path, 4), (path, 5)]


def _files(root: Path) -> list[tuple[str, bytes]]:
    found = []
    for folder in ("ledger", "owners"):
        for file in sorted((root / folder).rglob("*.yaml")) if (root / folder).is_dir() else []:
            found.append((file.relative_to(root).as_posix(), file.read_bytes()))
    return found


def test_every_demo_file_reads_the_same_both_ways():
    files = _files(PROJECT)
    if not files:
        pytest.skip("demo community not present")
    fast = 0
    for path, raw in files:
        exact = read_exact(path, raw)
        assert read_file(path, raw) == exact, path
        if path != load.POLICY_PATH and not exact.problems:
            decoded, _ = decode(path, raw)
            try:
                fastpath.read_fast(path, decoded, load.file_kind(path), {})
                fast += 1
            except fastpath.GiveUp:
                pass
    assert fast >= 0.9 * (len(files) - 1)  # the demo is ordinary data: nearly all of it goes the fast way


def test_every_broken_case_gives_the_same_diagnostics_both_ways():
    cases = sorted((PROJECT / "tests" / "broken").glob("*/"))
    assert cases
    for case in cases:
        for path, raw in _files(case):
            assert read_file(path, raw) == read_exact(path, raw), f"{case.name}: {path}"


def _exact_only(monkeypatch):
    def give_up(*args, **kwargs):
        raise fastpath.GiveUp

    monkeypatch.setattr(load, "read_fast", give_up)


def test_a_synthetic_community_loads_the_same_both_ways(tmp_path, monkeypatch):
    synth.generate(tmp_path, units=60, years=2)
    fast_ledger, fast_problems = load.load(tmp_path, use_cache=False)
    _exact_only(monkeypatch)
    exact_ledger, exact_problems = load.load(tmp_path, use_cache=False)
    assert fast_problems == exact_problems
    assert fast_ledger == exact_ledger
    assert len(fast_ledger.payments) > 1000


# -- random YAML-like text: fastyaml either gives up or agrees with libyaml --------------------

_PLAIN_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "timestamp")}


def _composed(node, top: bool = False):
    """libyaml's nodes as fastyaml's values; anything fastyaml never produces becomes a marker.

    The document's top-level block mapping also says where each value starts (fastyaml's ``Map.at``).
    """
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag in _PLAIN_TAGS or node.style else ("TAG", node.tag, node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_composed(n) for n in node.value]
    pairs = [(_composed(k), _composed(v)) for k, v in node.value]
    out = ("MAP", node.start_mark.line + 1, node.start_mark.column + 1, pairs)
    if top and not node.flow_style:
        out += ([(_composed(k), v.start_mark.line + 1, v.start_mark.column + 1) for k, v in node.value],)
    return out


def _fast(value):
    if isinstance(value, Map):
        out = ("MAP", value.line, value.col, [(k, _fast(v)) for k, v in value.items()])
        at = getattr(value, "at", None)
        return out + ([(k, line, col) for k, (line, col) in at.items()],) if at is not None else out
    if isinstance(value, list):
        return [_fast(v) for v in value]
    return value


def _same_as_libyaml(text: str) -> None:
    fast = parse(text)
    if fast is None:
        return
    node = yaml.compose(text, Loader=yaml.CSafeLoader)  # fastyaml read it: libyaml must too
    assert node is not None
    assert "&" not in text or _no_anchors(node)
    assert _fast(fast) == _composed(node, top=True)


def _no_anchors(node) -> bool:
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return False
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack += [k, v]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    return True


SAFE_SCALARS = ["abc", "3-2-1802", "2026-03-14", "1200.50", "0012", "王丽", "通话录音 20260302-1802.m4a", "a  b", "yes", "1e3", "é"]
TRICKY_SCALARS = [
    "no", "true", "0x1F", "~", "null", "Null", "NULL", "", "=", "<<", "a: b", "a:b", "a:", "a #b", "a#b", "#x", "- x",
    "-x", "-", "?x", "? x", ":x", "[x]", "{x}", "x, y", "x,y", "x]", "x}", "'q'", '"q"', "it's", 'a"b', " lead",
    "trail ", "&a", "*a", "!x", "!!str x", "|", ">", "%x", "@x", "`x", "10:30", "http://x.y/z", "中文：冒号", "a\\b",
    "\\", "...", "---", "a ...", "%", "!", "&", "*", "x !y", "x &y", "x *y", "a::b", "a:?", "a :b",
]
SAFE_KEYS = ["unit", "date", "a", "b", "名字", "$schema"]
TRICKY_KEYS = ["a b", "1", "~", "null", "<<", "=", "a:b", "-a", "'k'", '"k"', "k#", "k,", "? k", "[k]"]


def _mostly(safe: list, tricky: list):
    return st.one_of(st.sampled_from(safe), st.sampled_from(safe), st.sampled_from(safe), st.sampled_from(tricky))


@st.composite
def _scalar_text(draw, flow: bool):
    value = draw(_mostly(SAFE_SCALARS, TRICKY_SCALARS))
    style = draw(st.sampled_from(["plain", "plain", "plain", "single", "double"]))
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value + '"'  # may be broken on purpose
    return value


@st.composite
def _flow(draw, depth: int = 0):
    if depth < 2 and draw(st.booleans()):
        items = draw(st.lists(st.one_of(_scalar_text(True), _flow(depth + 1)), max_size=3))
        sep = draw(_mostly([", "], [",", " , ", ",  ", " ,"]))
        if draw(st.booleans()):
            keys = draw(st.lists(_mostly(SAFE_KEYS, TRICKY_KEYS), min_size=len(items), max_size=len(items)))
            colon = draw(_mostly([": "], [":", " : ", ":  "]))
            body = sep.join(f"{k}{colon}{v}" for k, v in zip(keys, items))
            return "{" + draw(_mostly([""], [" "])) + body + draw(_mostly([""], [" "])) + "}"
        return "[" + sep.join(items) + "]"
    return draw(_scalar_text(True))


@st.composite
def _block(draw, indent: int = 0, depth: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    kind = draw(st.sampled_from(["map", "map", "seq"]))
    step = draw(_mostly([2, 4], [1, 3, 0]))
    for _ in range(draw(st.integers(1, 3))):
        if kind == "map":
            head = draw(_mostly(SAFE_KEYS, TRICKY_KEYS)) + draw(_mostly([": "], [":", " :", ":  "]))
        else:
            head = draw(_mostly(["- "], ["-  ", "-", "--"]))
        choice = draw(st.sampled_from(["scalar", "flow", "nested"] if depth < 2 else ["scalar", "flow"]))
        comment = draw(_mostly([""], [" # 注释", "  #c", "#c", " #"]))
        if choice == "nested":
            lines.append(pad + head.rstrip() + comment)
            if draw(st.integers(0, 4)) == 0:
                lines.append(draw(st.sampled_from(["", "# comment", "   ", "  # c"])))
            lines += draw(_block(indent + step if kind == "map" or draw(st.booleans()) else indent, depth + 1))
        else:
            value = draw(_scalar_text(False)) if choice == "scalar" else draw(_flow())
            sep = "" if head.endswith(" ") else draw(st.sampled_from([" ", "", "  "]))
            lines.append(pad + head + sep + value + comment)
            if draw(st.integers(0, 7)) == 0:
                lines.append(pad + " " * draw(st.integers(0, 4)) + draw(_mostly(SAFE_SCALARS, TRICKY_SCALARS)))  # a continuation, or a mistake
    return lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_block(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_random_yaml_either_gives_up_or_agrees_with_libyaml(lines, newline, final_newline):
    text = newline.join(lines) + (newline if final_newline else "")
    try:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        assert parse(text) is None, text
        return
    _same_as_libyaml(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_flow(), _scalar_text(False)), min_size=1, max_size=3))
def test_random_flow_items_either_give_up_or_agree_with_libyaml(items):
    text = "payments:\n" + "".join(f"  - {item}\n" for item in items)
    try:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        assert parse(text) is None, text
        return
    _same_as_libyaml(text)


# -- the per-file cache ----------------------------------------------------------------------------

def test_the_cache_gives_back_the_same_ledger(tmp_path, monkeypatch):
    synth.generate(tmp_path, units=30, years=2)
    uncached = load.load(tmp_path, use_cache=False)
    cold = load.load(tmp_path)
    assert work_folder(tmp_path).is_dir() and not (tmp_path / ".cuijiao-cache").exists()

    def no_reading(*args, **kwargs):
        raise AssertionError("a file was read although the cache has it")

    monkeypatch.setattr(load, "read_file", no_reading)
    warm = load.load(tmp_path)
    assert warm == cold == uncached


def test_a_cache_written_by_other_reading_code_is_not_used(tmp_path, monkeypatch):
    synth.generate(tmp_path, units=5, years=1)
    load.load(tmp_path)
    read = []
    original = load.read_file
    monkeypatch.setattr(load, "read_file", lambda *a, **k: read.append(a[0]) or original(*a, **k))
    monkeypatch.setattr(load, "reading_fingerprint", lambda: "another version of the code")
    load.load(tmp_path)
    assert len(read) == len(files.discover(tmp_path)[0])


def test_a_changed_file_is_read_again_and_only_it(tmp_path, monkeypatch):
    synth.generate(tmp_path, units=5, years=1)
    load.load(tmp_path)
    owner = sorted((tmp_path / "owners").glob("*.yaml"))[0]
    owner.write_text(owner.read_text(encoding="utf-8").replace("type: ", "type: 新"), encoding="utf-8")
    read = []
    original = load.read_file
    monkeypatch.setattr(load, "read_file", lambda *a, **k: read.append(a[0]) or original(*a, **k))
    ledger, _ = load.load(tmp_path)
    assert read == [f"owners/{owner.name}"]
    assert next(u for u in ledger.units if u.id == owner.stem).type.startswith("新")


@st.composite
def _item_lines(draw, keys: list[str]) -> list[str]:
    """One ledger item in block or flow style, mostly the shape of the one before it, sometimes not."""
    chosen = list(keys)
    if draw(st.integers(0, 4)) == 0:
        chosen = draw(st.permutations(keys))[: draw(st.integers(1, len(keys)))]
    if draw(st.integers(0, 6)) == 0:
        chosen.append(draw(_mostly(["note", "receipt"], TRICKY_KEYS)))
    values = [draw(_scalar_text(False)) for _ in chosen]
    if draw(st.booleans()):
        sep = draw(_mostly([", "], [",", " ,", ",  "]))
        return ["  - {" + sep.join(f"{k}: {v}" for k, v in zip(chosen, values)) + "}" + draw(_mostly([""], ["  # c", " ", "#c"]))]
    lines = []
    for n, (k, v) in enumerate(zip(chosen, values)):
        prefix = draw(_mostly(["  - "], ["  -  ", "  -", " - ", "   - "])) if n == 0 else draw(_mostly(["    "], ["     ", "   ", "      "]))
        lines.append(prefix + k + draw(_mostly([": "], [":", " : "])) + v + draw(_mostly([""], ["  # c", " ", "#c"])))
        if draw(st.integers(0, 10)) == 0:
            lines.append(draw(st.sampled_from(["", "    # comment", "  #", "      more"])))
    return lines


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_runs_of_ledger_items_either_give_up_or_agree_with_libyaml(data):
    keys = data.draw(st.lists(st.sampled_from(["unit", "date", "amount", "method", "receipt"]), min_size=1, max_size=5, unique=True))
    lines = ["payments:"]
    for _ in range(data.draw(st.integers(1, 6))):
        lines += data.draw(_item_lines(keys))
    if data.draw(st.booleans()):
        lines += ["charges: []"]
    text = "\n".join(lines) + "\n"
    try:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        assert parse(text) is None, text
        return
    _same_as_libyaml(text)


def test_two_processes_read_the_same_ledger_as_one(tmp_path, monkeypatch):
    synth.generate(tmp_path, units=40, years=2)
    serial = load.load(tmp_path, use_cache=False)
    monkeypatch.setattr(load, "PARALLEL_MIN_BYTES", 0)  # fork a helper even for this small community
    if not forking.can_fork():
        pytest.skip("no fork or a single CPU here")
    assert load.load(tmp_path, use_cache=False) == serial
    writers: list[int] = []
    monkeypatch.setattr(forking.atexit, "register", lambda wait, pid: writers.append(pid))
    assert load.load(tmp_path) == serial  # cold: the cache is written by a forked process
    assert len(writers) == 1
    os.waitpid(writers[0], 0)
    assert (work_folder(tmp_path) / f"files-v{load.CACHE_VERSION}.msgpack").is_file()
    monkeypatch.setattr(load, "read_file", lambda *a, **k: pytest.fail("read although cached"))
    assert load.load(tmp_path) == serial


def test_a_failing_helper_process_changes_nothing(tmp_path, monkeypatch):
    synth.generate(tmp_path, units=20, years=1)
    serial = load.load(tmp_path, use_cache=False)
    monkeypatch.setattr(load, "PARALLEL_MIN_BYTES", 0)
    if not forking.can_fork():
        pytest.skip("no fork or a single CPU here")
    monkeypatch.setattr(load, "_helped", lambda todo: os._exit(3))  # the helper dies before sending anything
    assert load.load(tmp_path, use_cache=False) == serial
