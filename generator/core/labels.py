"""Chinese words for the data's English enums: one vocabulary for CLI, site and letters.

The same words are what a committee member may write instead of the English codes: in
YAML (``channel: 电话`` is read as ``phone``, ``reading.fields.Enum``) and, with their
prefixes, in the helpers' options and answers (``拒绝`` is ``refused``): ``codes_named``.
"""
from __future__ import annotations

from collections.abc import Mapping

CHANNEL = {
    "sms": "短信", "wechat": "微信", "phone": "电话", "visit": "上门", "letter": "书面通知",
    "registered_mail": "挂号信/EMS", "lawyer_letter": "律师函", "court": "起诉或申请支付令", "other": "其他方式",
}
OUTCOME = {
    "no_answer": "无人接听", "reached": "已联系上", "promised": "承诺付款", "refused": "拒绝缴费",
    "disputed": "有异议", "delivered": "已送达", "returned": "被退回", "unreachable": "联系不上", "paid": "已缴费",
}
REASON = {
    "forgot": "忘记缴费", "service_complaint": "对服务不满", "housing_defect": "房屋质量问题", "vacant": "房屋空置",
    "hardship": "经济困难", "rented_out": "出租（租户未缴）", "legacy_dispute": "历史遗留纠纷", "refuses": "恶意拒缴",
    "unreachable": "联系不上", "other": "其他",
}
OCCUPANCY = {"self": "自住", "rented": "出租", "vacant": "空置"}
METHOD = {"wechat": "微信", "alipay": "支付宝", "bank": "银行转账", "cash": "现金", "pos": "刷卡", "other": "其他"}
APPLIES_TO = {"principal": "本金", "late_fee": "违约金"}
PLAN_STATUS = {"completed": "已履行完毕", "behind": "逾期未付", "on_track": "按期履行"}
LIMITATION_STATUS = {"ok": "正常", "warning": "即将届满", "expired": "已过时效"}
# Rule 10: what interrupted a charge's limitation period (limitation.Interruption.kind)
INTERRUPTION = {
    "demand": "催告", "promise": "承诺付款", "plan": "分期协议", "payment": "部分付款",
    "assignment": "债权转让通知", "court": "起诉",
}
# Why a contact in the log interrupted nothing (limitation.contact_standing)
STANDING = {
    "not_a_demand": "服务性质的联系，不是催缴",
    "no_evidence": "没有证据",
    "not_through": "没有联系上或未送达",
    "not_for_creditor": "落款单位当时没有债权人的授权",
}
CONSENT = {"publish_arrears": "同意公示本户欠费"}
PURPOSE = {"demand": "催缴", "service": "服务", "other": "其他"}
PARTY = {"issuer": "落款单位", "creditor": "债权人"}
COVERS = {"in_time": "未过时效的欠费", "all": "全部欠费"}
PLAN_LATE_FEE = {"accrue": "照常计算", "freeze": "停止计算"}
BASIS = {"area": "按面积", "unit": "按户"}
# A complaint's category (issue 16, owner file ``complaints:``)
COMPLAINT_CATEGORY = {
    "repair": "维修", "cleaning": "保洁", "security": "安保", "parking": "停车", "noise": "噪音",
    "fees": "收费", "legacy": "历史遗留", "other": "其他",
}
# The prefix of each kind of letter's 文号 (printing's PREFIXES: TZ-20261122-1-1-101), with its name: a
# contact's ``document`` naming another prefix gets a warning. tests/reading/test_delivery_proof.py keeps
# this in step with ``printing.dossier.PREFIXES``: a new kind of letter adds its prefix here too.
DOCUMENT_PREFIXES = {
    "TZ": "催缴通知书", "LS": "律师函", "DZ": "欠费明细对账单", "FQ": "分期付款协议", "GS": "物业费收缴情况公示",
    "ZJ": "证据目录", "ZFL": "支付令申请书", "QSZ": "民事起诉状", "ZJSM": "证据目录使用说明", "SD": "送达地址确认书",
    "TJ": "调解申请书", "SQ": "授权委托书", "ZR": "债权转让通知书",
}
# Every enum of the data with its words: one value's word names no other value of the same enum
ENUMS = (CHANNEL, OUTCOME, REASON, OCCUPANCY, METHOD, APPLIES_TO, PURPOSE, PARTY, COVERS, PLAN_LATE_FEE, BASIS, COMPLAINT_CATEGORY)


def enum_words(choices) -> Mapping[str, str]:
    """The words of the enum whose codes are ``choices`` ({} for an enum without words)."""
    wanted = set(choices)
    return next((words for words in ENUMS if set(words) == wanted), {})


def _names(word: str) -> tuple[str, ...]:
    """A word and its parts: 挂号信/EMS is also 挂号信 and EMS."""
    parts = tuple(part for part in word.split("/") if part)
    return (word, *parts) if len(parts) > 1 else (word,)


def codes_named(words: Mapping[str, str], text: str, *, prefixes: bool = True) -> tuple[str, ...]:
    """The codes ``text`` may mean: the code itself or its whole word (one code), else, with ``prefixes``,
    every code whose word, or a part of it, starts with ``text`` (拒绝 -> refused; EMS -> registered_mail;
    已 -> reached, delivered, paid)."""
    if text in words:
        return (text,)
    exact = tuple(code for code, word in words.items() if text == word)
    if exact or not prefixes or not text:
        return exact
    return tuple(code for code, word in words.items() if any(name.startswith(text) for name in _names(word)))
