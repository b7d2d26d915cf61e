"""The generic reader: YAML nodes -> values, one field object per kind of value.

A spec describes a mapping as ``{key: (field, required)}``. ``Reader.fields``
reads a mapping by its spec: unknown, duplicate and missing keys, and each
value through its field. A field is a small object called as
``field(reader, node, key)``: it returns the value (a date, a Decimal, a
tuple...) or ``BAD`` after recording what is wrong at the node. The same
object says what it accepts in JSON Schema (``field.json_schema()``), which
is how ``editor_schemas`` builds the editors' schemas from the very specs
``check`` reads with.

Nothing here knows the data files but the words of the enums' hints
(``ENUM_WORDS``); ``specs`` holds the policy, owner and entries specs and
their checks. ``fastpath`` runs the same fields over ``fastyaml``'s values
through a ``Reader`` subclass.

Speed: a field is called millions of times in a large load. Calling an
object goes through ``type(field).__call__`` and costs more than calling a
function; the hot loops (``fastpath``, ``ListOf``) call ``field.__call__``,
the bound method, which costs what a function call costs. Reading the
5,000-unit bench community takes the same CPU time as with the closures
these objects replace.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from generator.core import labels
from generator.core.diagnostics import Diagnostic, Pos, RecordPos, error, warning
from generator.reading.yamlsource import MappingNode, ScalarNode, SequenceNode

BAD = object()  # a value that failed conversion; its diagnostic is already recorded

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"\d+")
STAGE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # an English identifier: fee and stage ids, letter templates
# A unit id: letters (汉字 too) and digits, groups joined by "-". The one definition, for the
# reader, the importer and the editors' schemas (see UnitId.json_schema for the editors' dialect).
# A unit's number: groups of ASCII letters and digits and 汉字 (the CJK Unified Ideographs and
# Extension A), joined by "-". No other letters: a Cyrillic "Ѕ" or a full-width "Ｓ" looks like
# "S" and would make a second unit that nobody can tell apart from the first.
UNIT_CHAR = r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]"
UNIT_ID = re.compile(rf"{UNIT_CHAR}+(?:-{UNIT_CHAR}+)*")
_SCRIPT_WORDS = {"CYRILLIC": "西里尔字母", "GREEK": "希腊字母", "LATIN": "带符号的拉丁字母", "FULLWIDTH": "全角字符",
                 "ARMENIAN": "亚美尼亚字母", "CHEROKEE": "切罗基字母", "COPTIC": "科普特字母", "MATHEMATICAL": "数学符号"}


def odd_char(text: str, allowed: str = UNIT_CHAR + "|-") -> str | None:
    """The first character of ``text`` that ``allowed`` does not match, named so a reader can find it, or None.

    ``“Ѕ”（U+0405，西里尔字母）``; a space or an invisible character by its code point only.
    """
    one = re.compile(allowed)
    char = next((c for c in text if not one.fullmatch(c)), None)
    if char is None:
        return None
    code = f"U+{ord(char):04X}"
    if char == " ":
        return f"空格（{code}）"
    if unicodedata.category(char)[0] in "CZ":
        return f"看不见的字符 {code}"
    if unicodedata.category(char)[0] not in "LN":
        return f"符号“{char}”（{code}）"
    name = unicodedata.name(char, "")
    return f"“{char}”（{code}，{_SCRIPT_WORDS.get(name.split(' ')[0], name.lower() or '未知字符')}）"
MAX_MONEY_DIGITS = 12  # 999,999,999,999.99 yuan
MAX_DECIMAL_DIGITS = 9  # rates, factors and areas
# Dates a ledger can plausibly hold; with limitation.years <= 20 and day counts <= MAX_DAYS,
# no date the rules derive from them (expiries, deadlines, next actions) leaves datetime's range.
FIRST_DATE = date(1990, 1, 1)
LAST_DATE = date(2100, 12, 31)
_TRUE, _FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")  # YAML 1.2, as editors read it
_NULL_TAG = "tag:yaml.org,2002:null"

# The years from FIRST_DATE to LAST_DATE, as a pattern for the editors (JSON Schema).
YEAR_TEXT = r"(199\d|20\d\d|2100)"
assert (FIRST_DATE.isoformat(), LAST_DATE.isoformat()) == ("1990-01-01", "2100-12-31"), "update YEAR_TEXT"
NON_EMPTY_TEXT = r"\S"

# The words an Enum's hint lists when a value is not one of its choices, by key (or the Enum's word_key).
ENUM_WORDS = {
    "occupancy": "self（自住）、rented（出租）、vacant（空置）",
    "channel": "sms、wechat、phone、visit、letter、registered_mail、lawyer_letter、court、other",
    "outcome": "no_answer、reached、promised、refused、disputed、delivered、returned、unreachable、paid",
    "reason": "forgot、service_complaint、housing_defect、vacant、hardship、rented_out、legacy_dispute、refuses、unreachable、other",
    "method": "wechat、alipay、bank、cash、pos、other",
    "applies_to": "principal（本金）、late_fee（违约金）",
    "basis": "area（按面积）、unit（按户）",
    "purpose": "demand（催缴，默认）、service（维修、巡查、回访等服务）、other（其他）",
    "party": "issuer（落款单位的人员，默认）、creditor（债权人自己的人员）",
    "covers": "in_time（只承认未过诉讼时效的欠费，默认）、all（承认全部欠费，包括已过诉讼时效的）",
    "late_fee": "accrue（违约金照常计算，默认）、freeze（按期履行期间违约金停止计算）",
    "category": "repair（维修）、cleaning（保洁）、security（安保）、parking（停车）、noise（噪音）、fees（收费）、legacy（历史遗留）、other（其他）",
}

Spec = dict  # {key: (Field, required)}
RecordSchema = Callable[[Spec, str], dict]  # (spec, record name) -> the JSON Schema of such a mapping


class Reader:
    """Converts the nodes of one file; collects what is wrong with them."""

    __slots__ = ("path", "problems")

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []

    # -- positions and messages -------------------------------------------
    def pos(self, node) -> Pos:
        mark = node.start_mark
        return Pos(self.path, mark.line + 1, mark.column + 1)

    def record_pos(self, node) -> RecordPos:
        """Where a mapping starts and where each of its values starts (for checks made after reading)."""
        mark = node.start_mark
        values, seen = [], set()
        for key_node, value_node in node.value:
            if type(key_node) is ScalarNode and key_node.value not in seen:
                seen.add(key_node.value)
                value_mark = value_node.start_mark
                values.append((key_node.value, value_mark.line + 1, value_mark.column + 1))
        return RecordPos(self.path, mark.line + 1, mark.column + 1, tuple(values))

    def value_of(self, mapping, key: str):
        """The (first) value node of ``key`` in a mapping already read by ``fields``."""
        return next(value for k, value in mapping.value if type(k) is ScalarNode and k.value == key)

    def error(self, node, message: str, hint: str = "") -> Any:
        self.problems.append(error(self.pos(node), message, hint))
        return BAD

    def warn(self, node, message: str, hint: str = "") -> None:
        self.problems.append(warning(self.pos(node), message, hint))

    def has_errors_since(self, count: int) -> bool:
        return any(p.severity == "error" for p in self.problems[count:])

    # -- structure ------------------------------------------------------------
    def fields(self, node, what: str, spec: Spec, partial: bool = False) -> dict | None:
        """Read a mapping whose keys are all known; None if anything in it is wrong.

        With ``partial``, return what could be read even then (bad values are ``BAD``,
        missing keys absent), so that the caller can go on checking nested parts and
        report every problem of the file at once; None only when it is not a mapping.
        """
        if type(node) is not MappingNode:
            self.error(node, f"{what}应是“键: 值”的映射", "检查缩进，或按格式说明补全各项")
            return None
        before = len(self.problems)
        out: dict[str, Any] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.error(key_node, f"{what}的键必须是简单文字", "键写成英文单词加冒号，例如 amount: \"100.00\"；不要把列表或映射当作键")
                continue
            key = key_node.value
            if key in seen:
                self.error(key_node, f"重复的键“{key}”", "同一层里每个键只能写一次，请删除或合并重复的那一行")
                continue
            seen.add(key)
            entry = spec.get(key)
            if entry is None:
                out[key] = BAD
                self.error(key_node, f"{what}里有未知的键“{key}”", _suggest(key, spec))
                continue
            if not entry[1] and self.is_null(value_node):  # an optional key left empty (or ~, null) is not given
                continue
            out[key] = entry[0](self, value_node, key)
        for key, (_, required) in spec.items():
            if required and key not in out:
                self.error(node, f"{what}缺少必填项“{key}”", f"请补上 {key}: …")
        if not partial and self.has_errors_since(before):
            return None
        return out

    def sequence(self, node, what: str) -> list | None:
        if type(node) is not SequenceNode:
            self.error(node, f"{what}应是列表", "列表的每一项以“- ”开头，或写成 [a, b]")
            return None
        return node.value

    def scalar(self, node, key: str) -> str | Any:
        if type(node) is not ScalarNode:
            return self.error(node, f"“{key}”应是一个值，而不是列表或映射", f"把值直接写在“{key}:”后面的同一行，不要写成“- …”列表或缩进的“键: 值”")
        return node.value

    def is_null(self, node) -> bool:
        """YAML's null: a plain ``~``, ``null`` or nothing (a quoted "~" is text)."""
        return node.tag == _NULL_TAG



class SharedReader(Reader):
    """A reader of a policy laid over the shared one (``reading/shared.py``): each node's
    position names the file it came from, so an error in a shared value points at the shared file."""

    __slots__ = ("shared_path", "shared_nodes")

    def __init__(self, path: str, shared_path: str, shared_nodes: set[int]) -> None:
        super().__init__(path)
        self.shared_path = shared_path
        self.shared_nodes = shared_nodes  # id() of every node composed from the shared file

    def pos(self, node) -> Pos:
        mark = node.start_mark
        return Pos(self.shared_path if id(node) in self.shared_nodes else self.path, mark.line + 1, mark.column + 1)

    def record_pos(self, node) -> RecordPos:
        found = super().record_pos(node)
        if id(node) not in self.shared_nodes:
            return found
        return RecordPos(self.shared_path, found.line, found.col, found.values)

def _suggest(key: str, spec) -> str:
    names = [name for name in spec if not name.startswith("$")]  # $schema is for editors, not for people
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"是不是“{close[0]}”？"
    return "可用的键：" + "、".join(names)


def record_schema(spec: Spec, property_schema: Callable[[str, Field], dict]) -> dict:
    """The JSON Schema of a mapping read with ``spec``; ``property_schema(key, field)`` gives each key's."""
    result: dict[str, Any] = {
        "type": "object",
        "properties": {key: property_schema(key, field) for key, (field, _) in spec.items()},
        "additionalProperties": False,
    }
    required = [key for key, (_, req) in spec.items() if req]
    if required:
        result["required"] = required
    return result


def bare_record(spec: Spec, name: str = "") -> dict:
    """The JSON Schema of a mapping read with ``spec``, without words (``editor_schemas`` gives each key its title)."""
    return record_schema(spec, lambda key, field: field.json_schema(bare_record))


# -- fields: field(reader, node, key) -> value or BAD; field.json_schema() ------------
# Editors parse YAML 1.2: 2026-03-15 is a string, 1200.50 a number, "1200.50" a
# string, a plain true a boolean. The schemas accept what the reader accepts (it
# reads every scalar as text), e.g. money as a number or a quoted string.

class Field:
    """One kind of value: reads it (``__call__``) and says what it accepts (``json_schema``)."""

    __slots__ = ()

    def __call__(self, r: Reader, node, key: str) -> Any:
        raise NotImplementedError

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        """What this field accepts, in JSON Schema; ``record`` gives the schema of a nested mapping."""
        raise NotImplementedError


class Scalar(Field):
    """A field of one scalar (not a list or a mapping): ``convert`` gets its text."""

    __slots__ = ()

    def __call__(self, r: Reader, node, key: str):
        value = r.scalar(node, key)
        if value is BAD:
            return BAD
        return self.convert(r, node, key, value)

    def convert(self, r: Reader, node, key: str, value: str) -> Any:
        raise NotImplementedError


class OptionalText(Scalar):
    """Free text; YAML's null (``~``, ``null``, nothing) is no text, a quoted "~" is text."""

    __slots__ = ()

    def convert(self, r: Reader, node, key: str, value: str):
        return "" if r.is_null(node) else value.strip()

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": ["string", "number", "boolean", "null"]}


class Text(OptionalText):
    """Text that is not empty."""

    __slots__ = ()

    def convert(self, r: Reader, node, key: str, value: str):
        value = OptionalText.convert(self, r, node, key, value)
        if not value:
            return r.error(node, f"“{key}”不能为空", f"在“{key}:”后面写上内容")
        return value

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": ["string", "number", "boolean"], "pattern": NON_EMPTY_TEXT}


class ADate(Scalar):
    """A date from FIRST_DATE to LAST_DATE: a year like 0226 or 2206 is a typo, and would make millions in arrears."""

    __slots__ = ()

    def convert(self, r: Reader, node, key: str, value: str):
        if not _DATE.fullmatch(value):
            return r.error(node, f"“{key}”的日期“{value}”格式不对", "日期写成 YYYY-MM-DD，例如 2026-03-15")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return r.error(node, f"“{key}”的日期“{value}”不存在", "检查月份和日子，例如 2 月没有 30 日")
        if not FIRST_DATE <= day <= LAST_DATE:
            return r.error(node, f"“{key}”的日期“{value}”不在 {FIRST_DATE} 到 {LAST_DATE} 之间", "检查年份是否写错，例如把 2026 写成了 0226 或 2206")
        return day

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": "string", "pattern": rf"^{YEAR_TEXT}-\d{{2}}-\d{{2}}$", "format": "date"}


def _too_many_digits(value: str, limit: int) -> bool:
    """Keeps every sum and product well inside Decimal's 28 digits (a longer number made it raise)."""
    return len(value.split(".")[0].lstrip("0")) > limit


class _Number(Scalar):
    """A number written as text: at most ``digits`` digits before the point and ``places`` after, > 0 when ``positive``.

    ``text`` is what a number looks like; what is wrong with other text is told
    by the first that fits of ``negative``, ``imprecise`` (too many decimals)
    and ``not_a_number``, then ``too_large``: each a message and a hint,
    formatted with the key, the value and ``digits``. ``number`` makes the value.
    """

    __slots__ = ()
    digits: int
    places: int
    positive: bool
    text: re.Pattern
    too_precise: re.Pattern
    negative: tuple[str, str]
    imprecise: tuple[str, str]
    not_a_number: tuple[str, str]
    too_large: tuple[str, str]

    def convert(self, r: Reader, node, key: str, value: str):
        value = value.strip()
        if not self.text.fullmatch(value):
            if value.startswith("-") and self.text.fullmatch(value[1:]):
                problem = self.negative
            elif self.too_precise.fullmatch(value):
                problem = self.imprecise
            else:
                problem = self.not_a_number
        elif _too_many_digits(value, self.digits):
            problem = self.too_large
        else:
            return self.number(r, node, key, value)
        message, hint = (words.format(key=key, value=value, digits=self.digits) for words in problem)
        return r.error(node, message, hint)

    def number(self, r: Reader, node, key: str, value: str):
        raise NotImplementedError

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        """As text, an ECMAScript pattern; as a YAML number, bounds."""
        nonzero = r"(?!0*(\.0*)?\s*$)" if self.positive else ""
        text = rf"^\s*(?=\d){nonzero}0*([1-9]\d{{0,{self.digits - 1}}})?(\.\d{{1,{self.places}}})?\s*$"
        lowest = "exclusiveMinimum" if self.positive else "minimum"
        return {"anyOf": [{"type": "string", "pattern": text}, {"type": "number", lowest: 0, "exclusiveMaximum": 10 ** self.digits}]}


class Money(_Number):
    """A positive amount with at most two decimals: 1200, 1200.5, "1200.50"."""

    __slots__ = ()
    digits, places, positive = MAX_MONEY_DIGITS, 2, True
    text, too_precise = re.compile(r"\d+(?:\.\d{1,2})?"), re.compile(r"\d+\.\d{3,}")
    negative = ("金额“{value}”不能为负数", "退款或冲减请用 waivers（减免）记录")
    imprecise = ("金额“{value}”超过两位小数", "金额最多保留到分，例如 1200.50")
    not_a_number = ("“{key}”不是有效金额：“{value}”", "金额写成数字，最多两位小数，例如 1200.50，不要带逗号或“元”")
    too_large = ("金额“{value}”过大", "检查是否多写了数字；整数部分最多 {digits} 位")

    def number(self, r: Reader, node, key: str, value: str):
        amount = Decimal(value).quantize(Decimal("0.01"))
        if amount <= 0:
            return r.error(node, f"金额必须大于 0：“{value}”", "金额为 0 的条目不必记录，请删除这一条或改正金额")
        return amount


class ADecimal(_Number):
    """A non-negative rate or factor: "2.20", "0.0003", "0.7"."""

    __slots__ = ()
    digits, places, positive = MAX_DECIMAL_DIGITS, 8, False
    text, too_precise = re.compile(r"\d+(?:\.\d{1,8})?"), re.compile(r"\d+\.\d{9,}")
    negative = ("“{key}”不能是负数：“{value}”", "写成 0 或正数，去掉负号")
    imprecise = ("“{key}”的值“{value}”超过八位小数", "最多写到小数点后八位，例如 0.0003")
    not_a_number = ("“{key}”不是有效数字：“{value}”", "写成不带单位的数字，例如 2.20 或 0.0003，不要写 % 或“元”")
    too_large = ("“{key}”的值“{value}”过大", "检查是否多写了数字；整数部分最多 {digits} 位")

    def number(self, r: Reader, node, key: str, value: str):
        return Decimal(value)


class Area(ADecimal):
    """A building area in square metres: a decimal greater than 0."""

    __slots__ = ()
    positive = True

    def number(self, r: Reader, node, key: str, value: str):
        area = Decimal(value)
        if area <= 0:
            return r.error(node, f"面积 {key} 必须大于 0：“{area}”", "写房屋的建筑面积（平方米），例如 area: \"89.50\"")
        return area


class Boolean(Scalar):
    """true or false (YAML 1.2: not yes/no/on/off)."""

    __slots__ = ()

    def convert(self, r: Reader, node, key: str, value: str):
        value = value.strip()
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        return r.error(node, f"“{key}”只能写 true 或 false：“{value}”", f"写 {key}: true（是）或 {key}: false（否）")

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": "boolean"}


class _Matching(Text):
    """Text that ``regex`` matches in full; ``refuse`` says what is wrong with other text."""

    __slots__ = ()
    regex: re.Pattern

    def convert(self, r: Reader, node, key: str, value: str):
        value = Text.convert(self, r, node, key, value)
        if value is BAD or self.regex.fullmatch(value):
            return value
        return self.refuse(r, node, value)

    def refuse(self, r: Reader, node, value: str):
        raise NotImplementedError


class UnitId(_Matching):
    """A unit's number: letters (汉字 too) and digits, groups joined by "-" (``UNIT_ID``)."""

    __slots__ = ()
    regex = UNIT_ID

    def refuse(self, r: Reader, node, value: str):
        odd = odd_char(value)
        if odd is not None:
            hint = ("和字母、数字长得像的其他字符（全角字母、西里尔字母等）会被当成另一户；请用英文输入法重新输入，例如 3-2-1802"
                    if odd.startswith("“") else "例如 3-2-1802；不要写空格、“/”“_”等符号，栋、单元、室之间用“-”隔开")
            return r.error(node, f"房号“{value}”里有{odd}：房号只能用英文字母、数字、汉字和“-”", hint)
        return r.error(node, f"房号“{value}”的“-”只能写在两段之间", "例如 3-2-1802；栋、单元、室之间用一个“-”隔开")

    @classmethod
    def pattern(cls) -> str:
        """``UNIT_ID`` as a JSON Schema pattern: anchored, its \\uXXXX ranges read alike by Python and ECMAScript."""
        return "^" + UNIT_ID.pattern + "$"

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": ["string", "integer"], "pattern": self.pattern(), "minimum": 0}


class StageId(_Matching):
    """An English identifier (``STAGE_ID``): a fee's or a stage's id, a letter template."""

    __slots__ = ()
    regex = STAGE_ID

    def refuse(self, r: Reader, node, value: str):
        return r.error(node, f"“{value}”不是有效的英文标识", "用英文字母开头，只含字母、数字、_ 和 -，例如 notice")

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": "string", "pattern": f"^{STAGE_ID.pattern}$"}


# A letter's 文号 (``printing.letters.doc_no``): its kind's prefix, the day it was printed, and the unit
# for a letter to one household, e.g. TZ-20261122-1-1-101.
DOCUMENT_NO = re.compile(rf"([A-Z]{{2,4}})-(\d{{8}})(?:-({UNIT_ID.pattern}))?")


class DocumentNo(_Matching):
    """A letter's 文号 as printed on it (``DOCUMENT_NO``), its date a day that exists."""

    __slots__ = ()
    regex = DOCUMENT_NO

    def convert(self, r: Reader, node, key: str, value: str):
        value = _Matching.convert(self, r, node, key, value)
        if value is BAD:
            return BAD
        digits = DOCUMENT_NO.fullmatch(value).group(2)
        try:
            day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            day = None
        if day is None or not FIRST_DATE <= day <= LAST_DATE:
            return r.error(node, f"文号“{value}”里的日期 {digits} 不存在", "照函件右上角的文号抄写，日期是 8 位数字的年月日，例如 TZ-20261122-1-1-101")
        return value

    def refuse(self, r: Reader, node, value: str):
        return r.error(node, f"文号“{value}”的格式不对", "照函件右上角的文号抄写：大写字母代号、8 位日期和房号，用“-”连接，例如 TZ-20261122-1-1-101")

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        unit = UNIT_ID.pattern
        return {"type": "string", "pattern": rf"^[A-Z]{{2,4}}-{YEAR_TEXT}\d{{4}}(-{unit})?$"}


# A billing period as charges name it (``rules.billing.period_label``): one month, or a span of months.
PERIOD = re.compile(r"(\d{4})-(\d{2})(?:~(\d{4})-(\d{2}))?")


class Period(_Matching):
    """A billing period, 2026-07 or 2026-07~2026-09 (``PERIOD``): real months, the first not after the last."""

    __slots__ = ()
    regex = PERIOD

    def convert(self, r: Reader, node, key: str, value: str):
        value = _Matching.convert(self, r, node, key, value.replace("～", "~"))
        if value is BAD:
            return BAD
        y1, m1, y2, m2 = PERIOD.fullmatch(value).groups()
        months = [(int(y1), int(m1))] + ([(int(y2), int(m2))] if y2 else [])
        if any(not 1 <= month <= 12 or not FIRST_DATE.year <= year <= LAST_DATE.year for year, month in months):
            return r.error(node, f"期间“{value}”里的月份不存在", "月份写两位数字 01 到 12，例如 2026-07 或 2026-07~2026-09")
        if len(months) == 2 and months[0] >= months[1]:
            return r.error(node, f"期间“{value}”的起始月份不早于结束月份", "先写起始月份，再写结束月份，例如 2026-07~2026-09；只有一个月就写 2026-07")
        return value

    def refuse(self, r: Reader, node, value: str):
        return r.error(node, f"期间“{value}”的格式不对", "照账单上的期间写：一个月写 2026-07，几个月写 2026-07~2026-09")

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        month = rf"{YEAR_TEXT}-(0[1-9]|1[0-2])"
        return {"type": "string", "pattern": rf"^{month}([~～]{month})?$"}


# 统一社会信用代码 (GB 32100-2015): 18 characters of these 31, the last a check character.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def credit_check_char(code: str) -> str | None:
    """The check character the first 17 characters of a 统一社会信用代码 call for; None if one is not allowed."""
    if any(c not in CREDIT_CODE_CHARS for c in code[:17]):
        return None
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS))
    return CREDIT_CODE_CHARS[-total % 31]


class CreditCode(OptionalText):
    """A 统一社会信用代码, checked when it has its 18 characters, or another registration number (a committee's 备案号)."""

    __slots__ = ()

    def convert(self, r: Reader, node, key: str, value: str):
        value = OptionalText.convert(self, r, node, key, value)
        if len(value) == 18 and value.isascii() and value.isalnum():
            code = value.upper()
            expected = credit_check_char(code)
            if expected is None or code[17] not in CREDIT_CODE_CHARS:
                r.warn(node, f"统一社会信用代码“{value}”里有不会出现的字母（I、O、Z、S、V）", "照营业执照或登记证书抄写，这几个位置多半是数字 1、0、2、5 或字母 U")
            elif code[17] != expected:
                r.warn(node, f"统一社会信用代码“{value}”的校验位不对（按前 17 位应为 {expected}）", "照营业执照或登记证书再核对一遍，多半有一位抄错了")
            return code
        return value


def _span(low: int, high: int | None) -> str:
    return f"{low} 到 {high}" if high is not None else f"不小于 {low}"


@dataclass(frozen=True, slots=True)
class Integer(Scalar):
    """A whole number from ``low`` to ``high`` (no bound when None)."""

    low: int
    high: int | None = None

    def convert(self, r: Reader, node, key: str, value: str):
        value = value.strip()
        low, high = self.low, self.high
        if not _INTEGER.fullmatch(value):
            if value.startswith("-") and _INTEGER.fullmatch(value[1:]):
                return r.error(node, f"“{key}”不能是负数：“{value}”", f"应为 {_span(low, high)} 的整数")
            return r.error(node, f"“{key}”应是整数：“{value}”", f"写成不带小数点、单位和引号的整数，应为 {_span(low, high)}")
        number = int(value) if len(value) <= 12 else 10**12
        if number < low or (high is not None and number > high):
            return r.error(node, f"“{key}”的值 {value.lstrip('0') or '0'} 超出范围", f"应为 {_span(low, high)} 的整数")
        return number

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        bounds = {"minimum": self.low}
        if self.high is not None:
            bounds["maximum"] = self.high
        return {"type": "integer", **bounds}


@dataclass(frozen=True, slots=True)
class IntegerChoice(Scalar):
    """A whole number that is one of ``choices``, e.g. a fee's cycle of 1, 3, 6 or 12 months."""

    choices: tuple[int, ...]
    unit: str = ""

    def convert(self, r: Reader, node, key: str, value: str):
        value = value.strip()
        if not _INTEGER.fullmatch(value):
            return r.error(node, f"“{key}”应是整数：“{value}”", f"只能是 {self.words}{self.unit}")
        number = int(value) if len(value) <= 12 else 10**12
        if number not in self.choices:
            words = self.words
            return r.error(node, f"“{key}”的值 {value.lstrip('0') or '0'} 不在可选范围内，只能是 {words}{self.unit}", f"把 {key} 改为 {words} 中的一个")
        return number

    @property
    def words(self) -> str:
        choices = self.choices
        return "、".join(map(str, choices[:-1])) + f" 或 {choices[-1]}" if len(choices) > 1 else str(choices[0])

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": "integer", "enum": list(self.choices)}


@dataclass(frozen=True, slots=True)
class Enum(Scalar):
    """One of ``choices``, or the Chinese word of one (``labels``: ``channel: 电话`` is ``phone``);
    the hint lists ``ENUM_WORDS[word_key or key]`` (or the choices)."""

    choices: tuple[str, ...]
    word_key: str | None = None

    def convert(self, r: Reader, node, key: str, value: str):
        value = value.strip()
        choices = self.choices
        if value not in choices:
            named = labels.codes_named(labels.enum_words(choices), value, prefixes=False)
            if len(named) == 1:
                return named[0]
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            hint = f"是不是“{close[0]}”？" if close else ""
            listed = ENUM_WORDS.get(self.word_key or key, "、".join(choices))
            hint += "可选：" + listed
            words = labels.enum_words(choices)
            if words and "（" not in listed:  # the list names the codes only: say which words may stand for them
                hint += "；也可以写中文：" + "、".join(words[c] for c in choices)
            return r.error(node, f"“{key}”的值“{value}”不在可选范围内", hint)
        return value

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        """The codes, then the Chinese words read as them (``editor_schemas`` describes the codes)."""
        words = labels.enum_words(self.choices)
        return {"type": "string", "enum": [*self.choices, *(words[c] for c in self.choices if c in words)]}


@dataclass(frozen=True, slots=True)
class ListOf(Field):
    """A list whose every item ``item`` reads; at least ``min_items`` of them (``empty``: the message and hint then)."""

    item: Field
    min_items: int = 0
    empty: tuple[str, str] | None = None

    def __call__(self, r: Reader, node, key: str):
        nodes = r.sequence(node, f"“{key}”")
        if nodes is None:
            return BAD
        item = self.item.__call__
        values = [item(r, child, key) for child in nodes]
        if len(values) < self.min_items:
            message, hint = self.empty or (f"“{key}”至少要写 {self.min_items} 项", f"在 {key} 下面补上，每项以“- ”开头")
            return r.error(node, message, hint)
        if any(v is BAD for v in values):
            return BAD
        return tuple(values)

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        node = {"type": "array", "items": self.item.json_schema(record)}
        if self.min_items:
            node["minItems"] = self.min_items
        return node


@dataclass(frozen=True, slots=True)
class Nested(Field):
    """A mapping read with ``spec`` and made into a value by ``build(reader, node, values)``.

    ``what`` names it in messages; ``name`` names the kind of record for the
    editors' words (``editor_schemas.WORDS``), e.g. two keys holding a person.
    """

    spec: Spec
    what: str
    build: Callable
    name: str

    def __call__(self, r: Reader, node, key: str):
        values = r.fields(node, self.what, self.spec)
        if values is None:
            return BAD
        return self.build(r, node, values)

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return record(self.spec, self.name)


@dataclass(frozen=True, slots=True)
class Deferred(Field):
    """The node itself: the spec's own code reads it later, with ``spec``, as a ``shape`` of mappings.

    ``shape`` says what the code reads, for the editors' schema: ``one``
    mapping, a ``list`` of them (at least ``min_items``), ``either`` one or a
    non-empty list, or ``by_year``, a mapping of years to them. ``name`` names
    the kind of record for the editors' words.
    """

    spec: Spec
    name: str
    shape: str = "one"
    min_items: int = 0

    def __call__(self, r: Reader, node, key: str):
        return node

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        inner = record(self.spec, self.name)
        if self.shape == "by_year":
            return {"type": "object", "minProperties": 1, "propertyNames": {"pattern": f"^{YEAR_TEXT}$"}, "additionalProperties": inner}
        if self.shape == "either":
            return {"anyOf": [inner, {"type": "array", "minItems": 1, "items": inner}]}
        if self.shape == "list":
            return {"type": "array", "items": inner, **({"minItems": self.min_items} if self.min_items else {})}
        assert self.shape == "one", self.shape
        return inner


# The stateless fields, one object each.
text = Text()
optional_text = OptionalText()
a_date = ADate()
money = Money()
a_decimal = ADecimal()
an_area = Area()
boolean = Boolean()
unit_id = UnitId()
stage_id = StageId()
document_no = DocumentNo()
credit_code = CreditCode()
period = Period()
