"""``cuijiao log / pay / waive / plan / complaint``: the editing helpers' command lines, asking in a terminal what is missing."""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import click

from generator import pipeline
from generator.cli.chinese import CuijiaoCommand
from generator.core import labels
from generator.core.inert import visible
from generator.core.model import (
    APPLIES_TO,
    CHANNELS,
    COVERS,
    METHODS,
    OUTCOMES,
    PARTIES,
    PLAN_LATE_FEES,
    PURPOSES,
    REASONS,
    Policy,
)
from generator.core.money import fmt_grouped
from generator.reading import fields
from generator.workflow import undo
from generator.workflow.edit import (
    ComplaintChange,
    Edit,
    EditError,
    apply,
    check_with,
    complaint_change_edit,
    complaint_edit,
    contact_edit,
    designation_text,
    parse_date,
    parse_designation,
    parse_document,
    parse_installment,
    parse_money,
    payment_edit,
    payment_questions,
    plan_edit,
    read_bytes,
    read_policy,
    waiver_edit,
    waiver_refusal,
)

# -- the commands: cuijiao log / pay / waive / plan ---------------------------------------------
# the words a committee member may type instead of the English value (or the start of one: 拒绝 is refused)
_CHOICE_WORDS = {
    "channel": (CHANNELS, labels.CHANNEL), "outcome": (OUTCOMES, labels.OUTCOME), "reason": (REASONS, labels.REASON),
    "method": (METHODS, labels.METHOD), "applies_to": (APPLIES_TO, labels.APPLIES_TO),
    "purpose": (PURPOSES, labels.PURPOSE), "party": (PARTIES, labels.PARTY), "covers": (COVERS, labels.COVERS),
    "late_fee": (PLAN_LATE_FEES, labels.PLAN_LATE_FEE),
    "category": (tuple(labels.COMPLAINT_CATEGORY), labels.COMPLAINT_CATEGORY),
}

# why a contact needs evidence (民法典第一百九十五条: a demand for payment interrupts the limitation period)
EVIDENCE_WHY = "催收能中断诉讼时效、让时效重新计算，但业主否认时要靠证据证明催收确实送到了"
# a repair or inspection visit is not a demand (spec v2 rule 10): it neither fulfils a stage nor interrupts limitation
PURPOSE_HINT = "提示：这条记为催缴；维修、巡查、回访等服务性联系请加 --purpose service（这类联系不中断诉讼时效）。"


def _creditor_words(policy: Policy) -> str:
    return f"债权人“{policy.creditor_name}”不是落款单位“{policy.issuer.name}”"


def demand_not_for_creditor(policy: Policy | None, day: date, purpose: str, party: str) -> str | None:
    """The warning for a demand by the issuer's people on a day no authorisation covers (spec v2 rule 10), or None."""
    if policy is None or purpose != "demand" or party != "issuer" or policy.issuer_may_demand(day):
        return None
    return (f"注意：{_creditor_words(policy)}，{day} 没有有效的授权（policy.yaml 的 authorisations），"
            "这次催缴不算债权人的催缴，不中断诉讼时效（民法典第一百九十五条第一项：须是权利人提出的履行请求）。"
            "如果是债权人自己的工作人员催缴的，请在这条记录里写上 party: creditor（命令里写 --party creditor）；"
            "否则请先取得债权人的书面授权。")


def waiver_consent_why(policy: Policy) -> str:
    """Why a waiver needs the creditor's written consent (spec v2; 民法典第五百七十五条: only the creditor may release a debt)."""
    return (f"{_creditor_words(policy)}：减免是放弃债权人的一部分债权，只有债权人才能决定（民法典第五百七十五条），"
            "业委会的决议代替不了")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _choices_text(name: str) -> str:
    choices, words = _CHOICE_WORDS[name]
    return "、".join(f"{c}（{words[c]}）" for c in choices)


def _choice(name: str):
    """The converter of an option's value: the English code, its Chinese word, or the start of exactly one word."""
    def convert(text: str) -> str:
        words = _CHOICE_WORDS[name][1]
        named = labels.codes_named(words, text.strip())
        if len(named) == 1:
            return named[0]
        if named:
            raise ValueError(f"“{text}”可以指{'、'.join(f'{c}（{words[c]}）' for c in named)}，请写得完整一些")
        raise ValueError(f"“{text}”不在可选范围内，可选：{_choices_text(name)}")
    return convert


def _callback(convert, *, optional: bool = False):
    """A click callback that converts with a Chinese message (exit 2 on a bad value).

    An ``optional`` option may be given as "" to leave it out without being asked."""
    def callback(ctx, param, value):
        if value is None or value == () or (optional and isinstance(value, str) and not value.strip()):
            return value
        try:
            if isinstance(value, tuple):
                return tuple(convert(v) for v in value)
            return convert(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return callback


def ask(value, option: str, what: str, convert=lambda s: s.strip(), *, hint: str = "", required: bool = True,
        default=None):
    """The option's value, or ask for it in a terminal, each answer checked as it is given (a bad one is asked
    again); a usage error (exit 2) when no one can answer. An empty answer is ``default`` when there is one."""
    if value is not None:
        return value
    if not _interactive():
        if default is not None or not required:
            return default
        raise click.UsageError(f"缺少选项 {option}（{what}）；在终端里运行时会逐项询问")
    while True:
        notes = "；".join(n for n in (hint, "" if required or "留空" in hint or default is not None else "可留空") if n)
        answer = click.prompt(what + (f"（{notes}）" if notes else ""), default="", show_default=False)
        if not answer.strip():
            if default is not None or not required:
                return default
            click.echo("这一项必须填写。", err=True)
            continue
        try:
            return convert(answer)
        except ValueError as exc:
            click.echo(str(exc), err=True)


Questions = Callable[[object, str], list[str]]  # (ledger with the edit, its path) -> what to ask before writing
Refusal = Callable[[object, str], "str | None"]  # (ledger with the edit, its path) -> why it must not be written


def _day(obj, when: date | None, option: str = "--date", what: str = "日期") -> date:
    """The entry's day: the option's, else asked in a terminal (today when the answer is empty), else today."""
    latest = max(obj.today, obj.as_of)

    def convert(text: str) -> date:
        day = parse_date(text)
        if day > latest:
            raise ValueError(f"{day} 晚于今天（{latest}）：未来的事请到时再记")
        return day
    return ask(when, option, what, convert, hint=f"回车为今天 {obj.today}；也可以写 2026/11/22、2026年11月22日",
               default=obj.today)


def _known_unit(obj, unit: str) -> None:
    """In a terminal, before anything is asked: the unit has its file in owners/ (else a usage error at once)."""
    if not _interactive():
        return  # the check after the edit says it, with the rest
    try:
        found = fields.UNIT_ID.fullmatch(unit) and read_bytes(obj.root, f"owners/{unit}.yaml", limit=0) is not None
    except EditError:
        found = False
    if not found:
        raise click.UsageError(f"找不到房号 {unit}：owners/ 里没有 {unit}.yaml（房号写成 3-2-1802 这样，与 owners/ 里的文件名一致）")


def _unused_receipt(obj):
    """The converter of a receipt number typed in a terminal: one already recorded is asked again."""
    checked = pipeline.check(obj.root, obj.as_of, obj.today, obj.use_cache)
    used = {p.receipt: p.pos for p in checked.ledger.payments if p.receipt} if checked.ledger is not None else {}

    def convert(text: str) -> str:
        receipt = text.strip()
        if receipt in used:
            raise ValueError(f"收据号“{receipt}”已经用过（{used[receipt]}）：每张收据只能记一次，请核对收据号")
        return receipt
    return convert


def _finish(obj, make: Callable[[], Edit], unit: str, done: str, notes: tuple[str, ...] = (), *,
            questions: Questions | None = None, refusal: Refusal | None = None, yes: bool = False) -> None:
    """Make the change from the files as they are, check, write or refuse, all under the community's edit
    lock, and tell what it did to the unit (``notes``: warnings about the entry).

    ``refusal`` says why the entry must not be written (nothing is then written); ``questions``, what looks
    like a mistake: in a terminal they are asked first, outside the lock (a person may take a while), and
    under the lock only a question not asked then stops the write; without a terminal a question stops it
    unless ``yes`` (--yes) says the entry is meant as it is."""
    asked = _confirm_first(obj, make, questions, refusal) if questions is not None and not yes and _interactive() else set()

    def approve(edits: list[Edit], checked) -> None:
        path = edits[0].path
        reason = refusal(checked.ledger, path) if refusal is not None else None
        if reason:
            raise EditError(f"{reason}。未写入任何文件")
        found = questions(checked.ledger, path) if questions is not None else []
        fresh = [q for q in found if q not in asked]
        if fresh and not yes:
            raise EditError("\n".join(f"请核对：{q}" for q in fresh) + "\n未写入任何文件。核对无误、确实要记时，加 --yes 再运行一次")
        for question in fresh:
            click.echo(visible(f"注意：{question}"), err=True)

    def journal(root, edits: list[Edit], before: dict) -> None:
        undo.remember(root, edits, before, done)

    edits, checked = apply(obj.root, lambda: [make()], obj.as_of, obj.today, obj.use_cache, approve=approve,
                           written=journal)
    for problem in checked.problems:
        click.echo(problem.render(), err=True)
    if checked.errors:
        click.echo(f"未写入任何文件：改动后的数据有 {len(checked.errors)} 处错误（见上）。", err=True)
        sys.exit(1)
    for edit in edits:
        click.echo(visible(f"已{'新建' if edit.created else '写入'} {edit.path}：{done}"))
    for note in notes:
        click.echo(visible(note), err=True)
    state = pipeline.desk_for(checked, obj.as_of).unit(unit)
    if state is not None:
        click.echo(visible(f"{unit} 按 {obj.as_of} 计算：{balance_text(state)}；下一步：{state.next_action.text}"))


def _confirm_first(obj, make: Callable[[], Edit], questions: Questions, refusal: Refusal | None) -> set[str]:
    """In a terminal: the questions about the entry as the files are now, each answered before the lock is taken."""
    edit = make()
    checked = check_with(obj.root, [edit], obj.as_of, obj.today, obj.use_cache)
    if checked.errors or (refusal is not None and refusal(checked.ledger, edit.path)):
        return set()  # the write under the lock says what is wrong
    found = questions(checked.ledger, edit.path)
    for question in found:
        click.echo(visible(f"请核对：{question}"), err=True)
    if found and not click.confirm("核对无误，仍然记这一笔吗？", default=False):
        click.echo("未写入任何文件。", err=True)
        sys.exit(1)
    return set(found)


def balance_text(state) -> str:
    """欠费 2,400.00 元（其中已过诉讼时效 600.00 元），违约金 26.00 元（已过诉讼时效的违约金 3.00 元不计入）."""
    text = f"欠费 {fmt_grouped(state.outstanding)} 元"
    if state.limitation.expired_amount:
        text += f"（其中已过诉讼时效 {fmt_grouped(state.limitation.expired_amount)} 元）"
    if state.late_fee:
        text += f"，违约金 {fmt_grouped(state.late_fee)} 元"
    if state.late_fee_barred:
        text += f"（已过诉讼时效的违约金 {fmt_grouped(state.late_fee_barred)} 元不计入）"
    return text


_date_option = click.option("--date", "when", callback=_callback(parse_date), metavar="日期",
                            help="日期，默认今天（在终端里运行时会询问）；写成 2026-11-22、2026/11/22 或 2026年11月22日")
_file_option = click.option("--file", "file", metavar="ledger/….yaml", help="写入哪个账目文件，默认按小区现有的文件命名")


@click.command("log", cls=CuijiaoCommand)
@click.argument("unit", metavar="房号")
@_date_option
@click.option("--channel", metavar="方式", callback=_callback(_choice("channel")), help="联系方式：" + _choices_text("channel"))
@click.option("--outcome", metavar="结果", callback=_callback(_choice("outcome")), help="结果：" + _choices_text("outcome"))
@click.option("--by", metavar="姓名", help="经办人")
@click.option("--promise-date", callback=_callback(parse_date), metavar="YYYY-MM-DD", help="承诺付款日期（结果为 promised 时）")
@click.option("--promise-amount", callback=_callback(parse_money), metavar="金额", help="承诺付款金额")
@click.option("--reason", metavar="原因", callback=_callback(_choice("reason"), optional=True),
              help="欠费原因：" + _choices_text("reason"))
@click.option("--evidence", metavar="证据", help="证据：录音文件名、快递单号、签收单等（" + EVIDENCE_WHY + "）")
@click.option("--note", help="备注")
@click.option("--purpose", metavar="目的", callback=_callback(_choice("purpose")),
              help="这次联系的目的：demand（催缴，默认）、service（维修、巡查、回访等服务）、other（其他）；"
                   "只有催缴才计入催缴阶段、才能中断诉讼时效")
@click.option("--party", metavar="谁联系的", callback=_callback(_choice("party")),
              help="谁的人员联系的：issuer（落款单位，默认）、creditor（债权人自己的工作人员）")
@click.option("--covers", metavar="范围", callback=_callback(_choice("covers")),
              help="只用于 --outcome promised：in_time（只承认未过诉讼时效的欠费，默认）、"
                   "all（承认全部欠费，包括已过诉讼时效的；必须同时写 --evidence）")
@click.option("--tracking", metavar="单号", help="寄出函件的 EMS 或挂号信单号（送达凭证）")
@click.option("--delivered-on", callback=_callback(parse_date), metavar="日期", help="函件送到（签收）的日子，以投递记录或签收单为准")
@click.option("--document", callback=_callback(parse_document, optional=True), metavar="文号",
              help="信封里装的函件右上角的文号，例如 TZ-20261122-1-1-101")
@click.pass_obj
def log_command(obj, unit, when, channel, outcome, by, promise_date, promise_amount, reason, evidence, note,
                purpose, party, covers, tracking, delivered_on, document) -> None:
    """记一条催收记录（写入 owners/房号.yaml 的 contacts）。

    在终端里运行时，没写的选项会逐项询问；可以不填的项直接回车跳过（在脚本里写 --evidence "" 这样的空值，就不再询问）。
    目的（--purpose）不询问，默认是催缴。
    """
    _known_unit(obj, unit)
    if purpose is None and _interactive():
        click.echo(PURPOSE_HINT, err=True)
    when = _day(obj, when)
    channel = ask(channel, "--channel", "联系方式", _choice("channel"), hint=_choices_text("channel"))
    outcome = ask(outcome, "--outcome", "结果", _choice("outcome"), hint=_choices_text("outcome"))
    if covers is not None and outcome != "promised":
        raise click.UsageError("--covers 只能和 --outcome promised 一起写：它说明业主承诺付款时承认的是哪些欠费")
    if covers == "all" and not (evidence or "").strip() and (evidence is not None or not _interactive()):
        raise click.UsageError(
            "--covers all 表示业主承认包括已过诉讼时效在内的全部欠费，必须同时用 --evidence 写明能证明这一点的"
            "录音或书面材料（诉讼时效规定第十九条）；没有这样的证据就不要写 --covers all")
    if outcome == "promised" and promise_date is None:
        promise_date = ask(None, "--promise-date", "承诺付款日期", parse_date, hint="YYYY-MM-DD", required=False)
        if promise_date is not None and promise_amount is None:
            promise_amount = ask(None, "--promise-amount", "承诺付款金额", parse_money, required=False)
    reason = ask(reason, "--reason", "欠费原因", _choice("reason"), hint=_choices_text("reason") + "；不清楚可留空",
                 required=False)
    if covers == "all":  # asked in a terminal: the acknowledgment of barred charges stands on its evidence
        evidence = ask(evidence, "--evidence", "证据", hint="承认全部欠费（--covers all）必须有证据：能证明业主承认全部欠费的录音或书面材料")
    evidence = ask(evidence, "--evidence", "证据", hint="录音文件名、快递单号、签收单照片等；" + EVIDENCE_WHY + "；没有可留空",
                   required=False)
    by = ask(by, "--by", "经办人", required=False)
    note = ask(note, "--note", "备注", required=False)
    if (promise_date or promise_amount) and outcome != "promised":
        raise click.UsageError("只有 --outcome promised 时才能写承诺日期和金额")
    if promise_amount is not None and promise_date is None:
        raise click.UsageError("写了 --promise-amount 就要同时写 --promise-date")
    purpose, party, covers = purpose or "demand", party or "issuer", covers or "in_time"
    def make() -> Edit:
        return contact_edit(obj.root, unit, when, channel, outcome, by=by or "", promise_date=promise_date,
                            promise_amount=promise_amount, reason=reason or "", evidence=evidence or "",
                            note=note or "", purpose=purpose, party=party, covers=covers,
                            tracking=(tracking or "").strip(), delivered_on=delivered_on, document=document or "")
    warning = demand_not_for_creditor(read_policy(obj.root), when, purpose, party)
    kind = "" if purpose == "demand" else f"（{labels.PURPOSE[purpose]}，不是催缴）"
    _finish(obj, make, unit, f"{unit} {when} {labels.CHANNEL[channel]}，{labels.OUTCOME[outcome]}{kind}",
            notes=(warning,) if warning else ())


@click.command("pay", cls=CuijiaoCommand)
@click.argument("unit", metavar="房号")
@click.argument("amount", callback=_callback(parse_money), metavar="金额")
@_date_option
@click.option("--method", metavar="方式", callback=_callback(_choice("method")), help="缴费方式：" + _choices_text("method"))
@click.option("--receipt", metavar="收据号", help="收据号（写了就不能重复）")
@click.option("--note", help="备注")
@click.option("--for", "designation", multiple=True, metavar="用途",
              callback=lambda ctx, param, value: _designation_option(value),
              help="业主指定这笔钱交的是什么（可写多次或用逗号分隔）：YYYY-MM（到期日在该月的欠费，如 2026-03）、"
                   "opening（期初欠费）、late_fee（违约金，整笔只抵违约金）；不写就按法定顺序抵扣")
@_file_option
@click.option("--yes", "-y", "yes", is_flag=True,
              help="不再询问，照写：同一户同一天已有同样金额的缴费、违约金缴费超过应付的违约金时，默认先问（不在终端里运行时不写入）")
@click.pass_obj
def pay_command(obj, unit, amount, when, method, receipt, note, designation, file, yes) -> None:
    """记一笔缴费（追加到当月的缴费文件，例如 ledger/payments/2026-11.yaml）。

    在终端里运行时，没写的缴费方式和收据号会询问；没有收据号直接回车。
    同一户同一天已经有同样金额的缴费、或违约金缴费超过应付的违约金时，先请你核对（加 --yes 不问）。
    """
    _known_unit(obj, unit)
    when = _day(obj, when)
    method = ask(method, "--method", "缴费方式", _choice("method"), hint=_choices_text("method"))
    if receipt is None and _interactive():
        receipt = ask(None, "--receipt", "收据号", _unused_receipt(obj), hint="同一个收据号不能用两次；没有可留空",
                      required=False)
    purpose = f"，指定用于{designation_text(designation)}" if designation else ""
    _finish(obj, lambda: payment_edit(obj.root, unit, amount, when, method, receipt or "", note or "", file, designation),
            unit, f"{unit} {when} 缴费 {fmt_grouped(amount)} 元（{labels.METHOD[method]}{purpose}）",
            questions=payment_questions, yes=yes)


def _designation_option(values: tuple[str, ...]) -> tuple[str, ...]:
    if not values:
        return ()
    try:
        return parse_designation(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("waive", cls=CuijiaoCommand)
@click.argument("unit", metavar="房号")
@click.argument("amount", callback=_callback(parse_money), metavar="金额")
@_date_option
@click.option("--applies-to", "applies_to", metavar="对象", callback=_callback(_choice("applies_to")), help="减免对象：" + _choices_text("applies_to"))
@click.option("--approved-by", "approved_by", metavar="批准人", help="批准人，例如 业委会2026年第3次会议")
@click.option("--reason", metavar="理由", help="减免理由")
@click.option("--consent", metavar="文件", help="债权人的书面同意，例如 物业公司同意函 2026-05；债权人不是落款单位时必须写")
@_file_option
@click.pass_obj
def waive_command(obj, unit, amount, when, applies_to, approved_by, reason, consent, file) -> None:
    """记一笔减免（须写明批准人和理由；债权人不是落款单位时还须写明债权人的书面同意；默认写入 ledger/waivers/年份.yaml）。

    减免金额不能超过减免日这一户未付的本金（--applies-to principal）或违约金（--applies-to late_fee）。
    """
    _known_unit(obj, unit)
    policy = read_policy(obj.root)
    needs_consent = policy is not None and not policy.issuer_is_creditor
    if needs_consent and not (consent or "").strip() and (consent is not None or not _interactive()):
        raise click.UsageError(f"{waiver_consent_why(policy)}。请用 --consent 写明债权人的书面同意，"
                               f"例如 --consent \"{policy.creditor_name}同意函 2026-05\"；没有债权人的同意不能记这笔减免")
    when = _day(obj, when)
    applies_to = ask(applies_to, "--applies-to", "减免对象", _choice("applies_to"), hint=_choices_text("applies_to"))
    if _interactive():
        amount = _waivable(obj, unit, amount, when, applies_to, file)
    approved_by = ask(approved_by, "--approved-by", "批准人", hint="例如 业委会2026年第3次会议")
    reason = ask(reason, "--reason", "减免理由")
    if needs_consent and consent is None:
        consent = ask(None, "--consent", "债权人的书面同意", hint=waiver_consent_why(policy) + "；写同意函的名称或编号")
    agreed = f"；债权人同意：{consent.strip()}" if consent and consent.strip() else ""
    _finish(obj, lambda: waiver_edit(obj.root, unit, amount, when, applies_to, approved_by, reason, file,
                                     (consent or "").strip()),
            unit, f"{unit} {when} 减免{labels.APPLIES_TO[applies_to]} {fmt_grouped(amount)} 元（批准：{approved_by}{agreed}）",
            refusal=waiver_refusal)


def _waivable(obj, unit: str, amount: Decimal, when: date, applies_to: str, file: str | None) -> Decimal:
    """In a terminal, before the approver and the reason are asked: an amount above what can be waived is asked again."""
    while True:
        edit = waiver_edit(obj.root, unit, amount, when, applies_to, "-", "-", file, "-")
        checked = check_with(obj.root, [edit], obj.as_of, obj.today, obj.use_cache)
        reason = None if checked.errors else waiver_refusal(checked.ledger, edit.path)
        if not reason:
            return amount
        click.echo(visible(reason), err=True)
        amount = ask(None, "金额", "减免金额", parse_money)


@click.command("plan", cls=CuijiaoCommand)
@click.argument("unit", metavar="房号")
@click.option("--signed", callback=_callback(parse_date), metavar="日期", help="签订日期，默认今天；写成 2026-11-22、2026/11/22 或 2026年11月22日")
@click.option("--installment", "installments", multiple=True, callback=_callback(parse_installment), metavar="日期:金额",
              help="一期：到期日:金额，例如 2026-12-01:1000.00；可写多次")
@click.option("--note", help="备注")
@click.option("--covers", metavar="范围", callback=_callback(_choice("covers")),
              help="协议承认的欠费：in_time（只承认未过诉讼时效的欠费，默认）、all（协议写明承认全部欠费，包括已过诉讼时效的）")
@click.option("--late-fee", "late_fee", metavar="违约金", callback=_callback(_choice("late_fee")),
              help="协议期间的违约金：accrue（照常计算，默认）、freeze（按期履行期间停止计算）")
@_file_option
@click.pass_obj
def plan_command(obj, unit, signed, installments, note, covers, late_fee, file) -> None:
    """记一份分期付款协议（默认写入 ledger/plans/年份.yaml）。"""
    _known_unit(obj, unit)
    signed = _day(obj, signed, "--signed", "签订日期")
    steps = list(installments)
    if not steps:
        if not _interactive():
            raise click.UsageError("缺少选项 --installment（每期的 日期:金额，可写多次）")
        while True:
            step = ask(None, "--installment", f"第 {len(steps) + 1} 期", parse_installment,
                       hint="日期:金额，例如 2026-12-01:1000；留空结束", required=False)
            if step is None:
                if steps:
                    break
                click.echo("至少要有一期。", err=True)
                continue
            steps.append(step)
    total = sum((amount for _, amount in steps), Decimal("0.00"))
    terms = "".join(text for flag, text in ((covers == "all", "，承认全部欠费（包括已过诉讼时效的）"),
                                            (late_fee == "freeze", "，按期履行期间违约金停止计算")) if flag)
    _finish(obj, lambda: plan_edit(obj.root, unit, signed, steps, note or "", file, covers=covers or "in_time",
                                   late_fee=late_fee or "accrue"),
            unit, f"{unit} {signed} 签订分期协议，共 {len(steps)} 期 {fmt_grouped(total)} 元{terms}")


_PERIOD_SEPARATORS = re.compile(r"[,，、\s]+")


def _periods(values: tuple[str, ...]) -> tuple[str, ...]:
    """--disputed: billing periods as charges name them, 2026-07 or 2026-07~2026-09 (full-width too), given
    one by one or separated by commas."""
    out = []
    for value in values:
        for part in _PERIOD_SEPARATORS.split(unicodedata.normalize("NFKC", value).strip()):
            if not part:
                continue
            if not fields.PERIOD.fullmatch(part):
                raise click.BadParameter(f"“{part}”不是账期：一个月写 2026-07，几个月写 2026-07~2026-09")
            out.append(part)
    return tuple(out)


@click.command("complaint", cls=CuijiaoCommand)
@click.argument("unit", metavar="房号")
@_date_option
@click.option("--category", metavar="类别", callback=_callback(_choice("category")), help="新投诉的类别：" + _choices_text("category"))
@click.option("--said", metavar="原话", help="新投诉：业主说了什么，尽量照原话记")
@click.option("--owner", metavar="负责人", help="新投诉：负责处理的人，例如 物业客服 李娜")
@click.option("--promised", callback=_callback(parse_date), metavar="日期", help="新投诉：负责人答应解决的日子")
@click.option("--evidence", metavar="证据", help="新投诉：照片、维修单、录音等的文件名或存放位置")
@click.option("--disputed", multiple=True, metavar="账期", callback=lambda ctx, param, value: _periods(value),
              help="新投诉：业主因此有异议的账期，例如 2026-07 或 2026-07~2026-09（可写多次或用逗号分隔）")
@click.option("--opened", callback=_callback(parse_date), metavar="日期",
              help="更新已有的投诉时：它是哪天提出的（这一户只有一件未解决的投诉时不用写）")
@click.option("--update", metavar="进展", help="记一步处理进展（日期用 --date，经办人用 --by）")
@click.option("--by", metavar="姓名", help="这一步的经办人")
@click.option("--resolved", callback=_callback(parse_date), metavar="日期", help="问题解决的日子")
@click.option("--resolution", metavar="怎么解决的", help="怎么解决的，例如 已更换水管并回访")
@click.option("--confirmed", callback=_callback(parse_date), metavar="日期", help="业主确认已解决的日子（须在解决之后）")
@click.pass_obj
def complaint_command(obj, unit, when, category, said, owner, promised, evidence, disputed, opened, update, by,
                      resolved, resolution, confirmed) -> None:
    """记一件投诉，或给已有的投诉记进展、解决和业主的确认（写入 owners/房号.yaml 的 complaints）。

    新投诉：写 --category 和 --said（在终端里运行时会询问没写的项），--date 是投诉的日子。
    已有的投诉：写 --update（--date 是这一步的日子）、--resolved 和 --resolution、--confirmed；
    这一户有几件未解决的投诉时，用 --opened 写明是哪天提出的那一件。
    """
    _known_unit(obj, unit)
    opening = category is not None or said is not None
    if resolution and resolved is None and opening:
        raise click.UsageError("写了 --resolution 就要同时写 --resolved（解决日期）")
    if not opening and not (update or resolved or confirmed or resolution):
        raise click.UsageError("新投诉请写 --category 和 --said；已有的投诉请写 --update、--resolved 或 --confirmed")
    if opening and opened is not None:
        raise click.UsageError("--opened 用来找已有的投诉；新投诉的日子请用 --date")
    when = _day(obj, when, what="投诉日期" if opening else "进展日期") if opening or update else when
    if resolved is not None and not resolution:
        resolution = ask(None, "--resolution", "怎么解决的", hint="例如 已更换水管并回访；可留空", required=False)
    change = ComplaintChange((when, update.strip(), (by or "").strip()) if update and update.strip() else None,
                             resolved, (resolution or "").strip(), confirmed)
    steps = "，".join(text for flag, text in ((change.update, f"{when} 进展：{(update or '').strip()}"),
                                             (resolved, f"{resolved} 已解决"), (confirmed, f"{confirmed} 业主确认已解决")) if flag)
    if not opening:
        which = f"{opened} 提出的投诉" if opened else "投诉"
        _finish(obj, lambda: complaint_change_edit(obj.root, unit, opened, change), unit, f"{unit} 的{which}：{steps}")
        return
    category = ask(category, "--category", "投诉类别", _choice("category"), hint=_choices_text("category"))
    said = ask(said, "--said", "业主说了什么", hint="尽量照原话记")
    owner = ask(owner, "--owner", "负责人", hint="负责处理这件投诉的人；没有负责人的投诉没人跟进", required=False)
    _finish(obj, lambda: complaint_edit(obj.root, unit, when, category, said.strip(), owner=(owner or "").strip(),
                                        promised=promised, evidence=(evidence or "").strip(), disputed=disputed,
                                        change=change),
            unit, f"{unit} {when} 投诉（{labels.COMPLAINT_CATEGORY[category]}）：{said.strip()}" + (f"；{steps}" if steps else ""))


@click.command("undo", cls=CuijiaoCommand)
@click.pass_obj
def undo_command(obj) -> None:
    """撤销 log、pay、waive、plan、complaint、match --write 最近一次写入的内容（还没有提交到 Git 时）。

    只在写入的文件还和写入时一模一样时撤销：之后又改过、或已经提交到 Git 的，不撤销，也不改动任何文件。
    同一次写入只能撤销一次。
    """
    done = undo.undo(obj.root)
    for path in done.restored:
        click.echo(visible(f"已恢复 {path}（撤销了 {done.when} 的写入：{done.what}）"))
    for path in done.removed:
        click.echo(visible(f"已删除 {path}（它是 {done.when} 的写入新建的：{done.what}）"))


COMMANDS = (log_command, pay_command, waive_command, plan_command, complaint_command, undo_command)
