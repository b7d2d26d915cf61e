"""JSON Schemas for editors, generated from the reader's own field specs.

``specs`` describes every key of every data file once, as
``{key: (field, required)}``, and each field object says in JSON Schema what
it accepts (``field.json_schema(record)``, see ``fields``). This module adds
the words: a Chinese title and description for every key (``WORDS``) and for
the values of every enum (``ENUM_LABELS``), so VS Code's YAML extension
completes keys and flags mistakes with the same rules that ``cuijiao check``
applies. A key missing from ``WORDS`` or an enum missing from ``ENUM_LABELS``
is a programming error, caught by the tests, so a new key in ``specs``
cannot silently go undocumented.

The words of a nested mapping are looked up by the name of its kind of
record (``Nested.name``, ``Deferred.name``: "fee", "contact", "person"...),
then by key alone.
"""
from __future__ import annotations

import json
from pathlib import Path

from generator.core import labels
from generator.reading.fields import Field, Spec, record_schema
from generator.reading.files import read_data_file
from generator.reading.specs import ENTRIES_SPEC, POLICY_SPEC, UNIT_SPEC

DRAFT = "http://json-schema.org/draft-07/schema#"

# file name -> (top-level spec, context, title, description)
FILES = {
    "policy": (POLICY_SPEC, "policy", "收费政策 ledger/policy.yaml",
               "小区名称、落款单位、收费项目、违约金、催缴阶段和诉讼时效。"),
    "owner": (UNIT_SPEC, "unit", "房屋文件 owners/<房号>.yaml",
              "一户一个文件：房屋信息、业主、期初欠费和催收记录。"),
    "entries": (ENTRIES_SPEC, "entries", "账目文件 ledger/**/*.yaml",
                "缴费、一次性收费、减免和分期协议；policy.yaml 以外的每个 ledger 文件。"),
    # a community's own policy over communities/_shared/policy.yaml (reading/shared.py): any key may be left
    # to the shared file, and so may any key of a mapping; a list replaces the shared one whole, so its items stay complete
    "policy-override": (POLICY_SPEC, "policy", "小区自己的收费政策 communities/<小区>/ledger/policy.yaml",
                        "多小区仓库里，只写与 communities/_shared/policy.yaml 不同的部分：没写的键用共用政策的；"
                        "映射（如 late_fee）逐项合并，列表（如 fees、dunning）整个替换。"),
}

# Chinese title and description per key; (context, key) overrides key
WORDS: dict[str | tuple[str, str], tuple[str, str]] = {
    "$schema": ("JSON Schema 地址", "供编辑器使用，例如 ../schemas/owner.schema.json；cuijiao 忽略它"),
    # policy
    "community": ("小区名称", "印在网站和函件上，例如 示例花园"),
    "issuer": ("落款单位", "函件的落款：名称必填，地址、电话可选"),
    "creditor": ("债权人", "物业费的债权人（物业服务人，如物业服务企业或自管小区的业主委员会），写成 {name: …}；函件以它的名义主张权利；不写则同落款单位"),
    ("creditor", "name"): ("债权人名称", "与物业服务合同上的名称一致"),
    ("creditor", "address"): ("债权人地址", ""),
    ("creditor", "phone"): ("债权人电话", "请加引号"),
    "representative": ("法定代表人或负责人", "印在支付令申请书、起诉状等法院文书上：公司写法定代表人，业委会写主任；不写则留空待填"),
    "credit_code": ("统一社会信用代码", "营业执照或登记证书上的 18 位代码；业委会没有时写备案证明的编号；印在法院文书上，不写则留空待填"),
    ("policy", "complaints"): ("投诉处理", "业主有投诉时催缴怎样放缓、解决后多久回访；不写按默认"),
    "court": ("管辖法院", "起诉或申请支付令的法院和小额诉讼的标准，印在法院文书上"),
    ("court", "name"): ("法院名称", "房屋所在地基层人民法院的全称，例如 示例市示例区人民法院；不写则文书上留空"),
    "average_wage": ("上年度就业人员年平均工资", "省统计局公布的全省就业人员年平均工资（元），请加引号；小额诉讼的标的额上限是它的百分之五十（民事诉讼法第一百六十五条）"),
    "wage_year": ("工资所属年份", "average_wage 是哪一年的数字，写了 average_wage 就必须写"),
    "authorisations": ("债权人授权", "债权人不是落款单位时，债权人书面授权落款单位以它的名义催缴的期间；授权期间以外落款单位的催缴不中断诉讼时效，也不生成催缴函件"),
    ("authorisation", "from"): ("授权起始日", ""),
    ("authorisation", "until"): ("授权截止日", "不写表示长期有效"),
    "document": ("授权文件", "授权委托书的名称和编号，函件上会写明，例如 授权委托书 2025-001"),
    "holidays": ("法定节假日安排", "日历库还没有收录的年份的放假安排，按国务院办公厅通知填写：{2027: {off: [放假日…], work: [调休上班日…]}}"),
    ("holiday", "off"): ("放假日", "每一天都写，包括与周末重合的"),
    ("holiday", "work"): ("调休上班日", "周末调成上班的日子"),
    "letters": ("函件设置", "函件的送达天数等"),
    "delivery_days": ("送达天数", "函件寄出后按多少天送达估算打印在函件上的最迟付款日，默认 7，最多 60"),
    "payment_channels": ("缴费方式", "印在函件上的缴费途径，每行一种"),
    "fees": ("收费项目", "每户都要交的周期性费用，如物业服务费；费率调整时写成同一 id 的两个版本"),
    "late_fee": ("违约金", "不写则不计违约金"),
    "dunning": ("催缴阶段", "按逾期天数由轻到重排列的催缴步骤"),
    "limitation": ("诉讼时效", "民法典第一百八十八条：一般为三年"),
    "notice_board": ("公示设置", "小区公示栏汇总的显示方式"),
    ("issuer", "name"): ("单位名称", "例如 示例花园业主委员会"),
    ("issuer", "address"): ("地址", "落款单位的地址"),
    ("issuer", "phone"): ("电话", "落款单位的联系电话，请加引号"),
    ("fee", "id"): ("收费项目标识", "英文标识，如 property；同一项目的不同费率版本用同一个 id"),
    ("fee", "name"): ("收费项目名称", "例如 物业服务费"),
    ("fee", "basis"): ("计费方式", "按面积每月 费率 × 面积，按户每月 费率"),
    "rate": ("费率", "每月每平方米（或每户）的金额；可写一个数，或按房屋类型写表，如 {高层: \"2.20\", 洋房: \"2.80\"}"),
    "cycle": ("计费周期（月）", "每张账单几个月：1、3、6 或 12，按自然月对齐"),
    "due_day": ("缴费日", "账单首月的第几天到期，1 到 28"),
    "vacant_factor": ("空置系数", "空置房按此系数收费，例如 0.7；不写为 1"),
    "from": ("起始日期", "这个费率版本从哪个计费周期开始，必须是周期第一天"),
    "until": ("截止日期", "这个费率版本到哪天为止"),
    "daily_rate": ("日违约金率", "每天按逾期本金的比例，例如 0.0003（万分之三）"),
    "grace_days": ("宽限天数", "到期后多少天内不计违约金，默认 0"),
    "cap": ("违约金上限倍数", "每笔欠费的违约金不超过其金额的多少倍，默认 1"),
    "on_opening": ("期初欠费计违约金", "期初欠费（此前移交的欠费）是否计违约金，默认 true；原合同或移交协议没有约定时写 false"),
    ("late_fee", "basis"): ("违约金依据", "违约金约定在哪份文件的哪一条，印在函件上，例如 物业服务合同第八条"),
    ("stage", "id"): ("阶段标识", "英文标识，如 reminder、notice、lawyer"),
    ("stage", "name"): ("阶段名称", "例如 催缴通知书"),
    "after_days": ("逾期天数", "最早一笔欠费逾期满多少天进入本阶段"),
    "channels": ("催缴方式", "哪些联系方式算完成了本阶段"),
    "letter": ("函件模板", "本阶段寄出的函件：notice（催缴通知书）或 lawyer（律师函）"),
    "wait_days": ("等待天数", "寄出函件后等待多少天再进行下一步"),
    "deadline_days": ("限期天数", "律师函给业主的付款期限（天）"),
    "requires": ("前置条件", "进入本阶段前必须完成的阶段及次数，如 {notice: 2}"),
    "years": ("时效年数", "默认 3 年"),
    "warn_days": ("提前提醒天数", "时效届满前多少天开始提醒，默认 180"),
    "list_units": ("公示房号和金额", "true：公示栏列出欠费房号和金额；false：只公示总数。房号加金额就能认出是哪一户，属于个人信息，须取得各户业主同意，业委会决议不能代替（个人信息保护法第四条、第二十五条）"),
    # owners
    "unit": ("房号", "只含字母（可以是汉字）、数字和“-”，如 3-2-1802；房屋文件里须与文件名一致"),
    "type": ("房屋类型", "须是收费项目费率表里的一种，如 高层、洋房"),
    "area": ("建筑面积（平方米）", "按面积计费时必填，请加引号，如 \"89.50\""),
    "billing_start": ("计费开始日", "从这一天起按收费政策计费"),
    "occupancy": ("居住状态", "空置房按空置系数计费；不写为自住"),
    "owners": ("业主", "至少一位；每位写姓名、电话、地址"),
    "tenant": ("租户", "出租时的租户联系方式，可不写"),
    "tags": ("标签", "自由填写的标签，如 有小孩、老人，用于匹配催缴话术"),
    "opening": ("期初欠费", "计费开始前的旧欠款：写一笔 {amount, due}，或按原账期写成列表，每项各自计算账龄、违约金和诉讼时效"),
    ("opening", "period"): ("所属期间", "例如 2022年上半年；不写则显示为“到期月份前”"),
    "assignment_notified": ("债权转让通知日", "从前任物业公司接手的旧欠款，业主收到债权转让通知的日子；中断诉讼时效（诉讼时效规定第十七条）"),
    "service_address": ("送达地址确认", "业主签字的《送达地址确认书》：寄到这个地址被退回的函件也算送达，中断诉讼时效（诉讼时效规定第八条）"),
    ("service_address", "address"): ("确认的送达地址", ""),
    "confirmed": ("确认日期", "业主签署送达地址确认书的日子"),
    ("service_address", "evidence"): ("证据", "送达地址确认书扫描件的文件名或存放位置"),
    "consents": ("个人信息同意", "业主就个人信息处理单独作出的同意（个人信息保护法第十四条），如同意公示本户欠费"),
    "kind": ("同意事项", "publish_arrears：同意在公示栏公示本户房号和欠费"),
    ("consent", "date"): ("同意日期", ""),
    ("consent", "evidence"): ("证据", "业主签字的同意书扫描件的文件名或存放位置"),
    "withdrawn": ("撤回日期", "业主撤回同意的日子（个人信息保护法第十五条）"),
    "contacts": ("催收记录", "每次联系业主记一条，顺序不限"),
    ("person", "name"): ("姓名", ""),
    ("person", "phone"): ("电话", "请加引号，如 \"13800000000\"，以免开头的 0 丢失"),
    ("person", "address"): ("地址", "函件的收件地址"),
    ("opening", "amount"): ("期初欠费金额", "请加引号并写两位小数，如 \"2400.00\""),
    ("opening", "due"): ("期初欠费到期日", "必须早于计费开始日"),
    ("contact", "date"): ("联系日期", ""),
    "channel": ("联系方式", ""),
    "by": ("经办人", "谁联系的"),
    "outcome": ("结果", "承诺付款时请同时填写 promise"),
    "promise": ("还款承诺", "仅在结果为 promised 时填写：承诺日期和金额"),
    ("promise", "date"): ("承诺付款日期", ""),
    ("promise", "amount"): ("承诺金额", "可不写；请加引号并写两位小数"),
    "reason": ("欠费原因", "业主不缴费的原因，用于统计和匹配话术"),
    "evidence": ("证据", "能证明这次联系的材料：录音文件名、快递单号、签收单等；有证据的联系才中断诉讼时效"),
    "note": ("备注", ""),
    "purpose": ("联系目的", "demand：催缴（默认）；service：维修、巡查、回访等服务；other：其他。只有催缴算催缴步骤、中断诉讼时效"),
    "party": ("由谁联系", "issuer：落款单位的人员（默认）；creditor：债权人自己的人员"),
    "tracking": ("快递单号", "寄出函件的 EMS 或挂号信单号，证据目录据此列出送达凭证"),
    "delivered_on": ("送达日期", "函件送到（签收）的日子，以邮局的投递记录或签收单为准；不早于联系日期"),
    ("contact", "document"): ("函件文号", "信封里装的函件右上角的文号，例如 TZ-20261122-1-1-101"),
    "complaints": ("投诉记录", "业主的投诉或纠纷，每件一条：投诉日期、类别、业主说了什么、负责人、承诺解决日期、处理进展、解决情况和业主的确认"),
    "opened": ("投诉日期", "业主提出投诉的日子"),
    "category": ("投诉类别", "也可以写中文"),
    "said": ("业主的原话", "业主说了什么，尽量照原话记"),
    ("complaint", "owner"): ("负责人", "负责处理这件投诉的人，例如 物业客服 李娜"),
    ("complaint", "promised"): ("承诺解决日期", "负责人答应业主解决的日子；过了这天仍未解决算逾期"),
    "updates": ("处理进展", "每做一步记一条：日期、做了什么、谁做的"),
    ("complaint_update", "date"): ("进展日期", ""),
    ("complaint_update", "text"): ("做了什么", "例如 已上门查看，约定周五维修"),
    ("complaint_update", "by"): ("经办人", ""),
    "resolved": ("解决日期", "问题解决的日子；不写表示投诉尚未解决"),
    "resolution": ("怎么解决的", "例如 已更换水管，业主现场查看"),
    ("complaint", "confirmed"): ("业主确认日期", "业主确认问题已解决的日子，须在解决日期之后；确认后几天内回访并再次沟通缴费"),
    ("complaint", "evidence"): ("证据", "照片、维修单、录音等材料的文件名或存放位置"),
    "disputed": ("有争议的账期", "业主因这件投诉而有异议的账期，照账单写，例如 2026-07 或 2026-07~2026-09；在房屋页和对账单上单独列出"),
    "hold_lawyer_days": ("暂缓律师函天数", "业主有未解决的投诉、投诉又不满这么多天时，不发律师函；默认 60"),
    "call_after_days": ("回访天数", "业主确认投诉已解决后，这么多天内回访并再次沟通缴费；默认 3"),
    "covers": ("承认的范围", "in_time：只承认未过诉讼时效的欠费（默认）；all：业主明确同意支付全部欠费，包括已过诉讼时效的（证据须能证明）"),
    # entries
    "payments": ("缴费", "每笔缴费一行"),
    "charges": ("一次性收费", "收费政策以外的费用，如公摊水电"),
    "waivers": ("减免", "每笔减免都要写明谁批准、为什么"),
    "plans": ("分期协议", "与业主签订的分期付款协议"),
    ("payment", "date"): ("缴费日期", ""),
    ("payment", "amount"): ("缴费金额", "请加引号并写两位小数，如 \"1200.00\""),
    "method": ("缴费方式", ""),
    "receipt": ("收据号", "可不写；写了就不能重复"),
    "for": ("缴费用途", "业主指定这笔钱交哪些欠费（民法典第五百六十条）：YYYY-MM（到期日在该月的欠费）、opening（期初欠费）或 late_fee（违约金）的列表；不写按法定顺序冲抵"),
    "item": ("收费名称", "例如 公摊水电"),
    "period": ("所属期间", "例如 2026-02"),
    ("charge", "amount"): ("收费金额", "请加引号并写两位小数"),
    ("charge", "due"): ("到期日", ""),
    "issued": ("开具日期", "这笔费用从哪天起存在，默认等于到期日"),
    ("waiver", "date"): ("减免日期", ""),
    ("waiver", "amount"): ("减免金额", "请加引号并写两位小数"),
    "applies_to": ("减免对象", "减免本金还是违约金"),
    "approved_by": ("批准人", "谁批准的减免，例如 业委会2026年第3次会议"),
    ("waiver", "reason"): ("减免理由", "例如 漏水维修期间"),
    "consent": ("债权人同意", "债权人不是落款单位时必填：债权人书面同意这笔减免的文件，例如 物业公司同意函 2026-05"),
    "signed": ("签订日期", "分期协议的签订日"),
    "installments": ("分期明细", "每期的到期日和金额，至少一期"),
    ("installment", "due"): ("本期到期日", ""),
    ("installment", "amount"): ("本期金额", "请加引号并写两位小数"),
    ("plan", "late_fee"): ("协议期间的违约金", "accrue：照常计算（默认）；freeze：按期履行期间停止计算，逾期后照常计算"),
}

# Chinese words for the values of each enum key, shown by the editor when completing
ENUM_LABELS = {
    "basis": {"area": "按面积", "unit": "按户"},
    "occupancy": labels.OCCUPANCY,
    "channel": labels.CHANNEL,
    "channels": labels.CHANNEL,
    "outcome": labels.OUTCOME,
    "reason": labels.REASON,
    "method": labels.METHOD,
    "applies_to": labels.APPLIES_TO,
    "cycle": {1: "每月一期", 3: "每季度一期", 6: "每半年一期", 12: "每年一期"},
    "purpose": {"demand": "催缴", "service": "服务", "other": "其他"},
    "party": {"issuer": "落款单位", "creditor": "债权人"},
    "covers": {"in_time": "未过时效的欠费", "all": "全部欠费"},
    "late_fee": {"accrue": "照常计算", "freeze": "按期履行时停止计算"},
    "category": labels.COMPLAINT_CATEGORY,
}


def words(context: str, key: str) -> tuple[str, str]:
    found = WORDS.get((context, key)) or WORDS.get(key)
    if found is None:
        raise KeyError(f"no Chinese title for {context}.{key}: add it to generator/reading/editor_schemas.py WORDS")
    return found


def _code_of(enum: list, names: dict, word: str) -> str:
    """The code a Chinese word in an enum stands for (``fields.Enum`` reads it so)."""
    return labels.codes_named(labels.enum_words([c for c in enum if c in names]), word, prefixes=False)[0]


def _value_words(value: dict, key: str) -> dict:
    """The field's schema with the Chinese words of its enum's values (its own, or its items')."""
    for node in (value, value.get("items")):
        if isinstance(node, dict) and "enum" in node:
            names = ENUM_LABELS[key]  # the codes' words; the rest of the enum are Chinese words read as a code
            node["enumDescriptions"] = [names[c] if c in names else f"{c}（即 {_code_of(node['enum'], names, c)}）"
                                        for c in node["enum"]]
    return value


def object_schema(spec: Spec, context: str) -> dict:
    """The JSON Schema of a mapping read with ``spec``, every key with its title and description."""

    def property_schema(key: str, field: Field) -> dict:
        title, description = words(context, key)
        value = _value_words(field.json_schema(object_schema), key)
        choices = value.get("enum") or value.get("items", {}).get("enum")
        if choices:
            names = ENUM_LABELS[key]
            description += ("。" if description else "") + "可选：" + "、".join(f"{c}（{names[c]}）" for c in choices if c in names)
        node = {"title": title}
        if description:
            node["description"] = description
        node.update(value)
        return node

    return record_schema(spec, property_schema)


def build(kind: str) -> dict:
    spec, context, title, description = FILES[kind]
    body = object_schema(spec, context)
    if kind == "policy-override":
        body = _nothing_required(body)
    return {"$schema": DRAFT, "$id": f"{kind}.schema.json", "title": title, "description": description, **body}


def _nothing_required(schema):
    """The schema with no key required in any mapping laid over the shared one (not inside a list's items)."""
    if isinstance(schema, dict):
        return {key: _nothing_required(value) if key != "items" else value
                for key, value in schema.items() if key != "required"}
    if isinstance(schema, list):
        return [_nothing_required(value) for value in schema]
    return schema


def render(kind: str) -> str:
    return json.dumps(build(kind), ensure_ascii=False, indent=2) + "\n"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def stale(folder: Path) -> list[str]:
    """The schema files in ``folder`` that are missing or differ from what the specs give (a link, a FIFO or
    anything but a regular file there counts as differing: it is never followed)."""
    out = []
    for kind in FILES:
        raw, _problem = read_data_file(folder, file_name(kind))
        if raw is None or raw != render(kind).encode("utf-8"):
            out.append(file_name(kind))
    return out
