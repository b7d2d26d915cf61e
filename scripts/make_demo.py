#!/usr/bin/env python3
"""Regenerate the demo community 桐荫花园: owners/ and ledger/, deterministically.

    python scripts/make_demo.py [--out DIR]      (default DIR: the repository root)

What the community is (its policy, buildings, people and the story of each
household) is data in ``scripts/demo_households.py``; this file is the
mechanics. Whenever a story needs to know what a unit owes, what it has
paid or its late fee, the project's own engine answers over the entries
written so far (``generator.rules.billing`` for the bills,
``generator.rules.engine.unit_state`` for the rest), and the files are
written through ruamel.yaml with the layout the editing commands use
(``generator.workflow.edit``): flow style for short entries, quoted money
and phones, comments as a committee member would type them.

The script uses a fixed seed and never looks at today's date: running it
twice writes identical bytes. It deletes and rewrites ``owners/`` and
``ledger/`` under DIR.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import demo_households as community
from demo_households import AS_OF, SEED, STORIES
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.representer import RoundTripRepresenter

from generator.core import model
from generator.core.dates import days_in_month, month_index, month_start
from generator.core.diagnostics import Pos
from generator.core.money import ZERO, round_cents
from generator.reading.load import read_file
from generator.rules.billing import KIND_OPENING, monthly_base, unit_charges
from generator.rules.billing import Charge as Bill
from generator.rules.engine import UnitState, unit_inputs, unit_state
from generator.workflow.edit import dump, money_text, yaml_for

HORIZON = date(2027, 12, 31)  # bills are computed this far ahead, for prepayments and plans
QUARTER_WORDS = {1: "一", 2: "二", 3: "三", 4: "四"}


def quarter_name(day: date) -> str:
    return f"{day.year}年第{QUARTER_WORDS[(day.month - 1) // 3 + 1]}季度"


# -- what the script writes, and the records the engine reads of it --------------------------

@dataclass
class Charge:
    unit: str
    item: str
    period: str
    amount: Decimal
    due: date
    issued: date | None = None  # written only when it differs from due
    comment: str = ""
    seq: tuple = ()  # (file, index), as the reader numbers it

    def record(self) -> model.OneOffCharge:
        return model.OneOffCharge(self.unit, self.item, self.period, self.amount, self.due, self.issued or self.due, self.seq, Pos(self.seq[0]))


@dataclass
class Payment:
    unit: str
    date: date
    amount: Decimal
    method: str
    comment: str = ""
    receipt: str | None = ""  # "" : assigned later; None: no receipt
    counter: int = 0
    designation: tuple = ()  # ``for``: YYYY-MM, opening or late_fee

    def record(self) -> model.Payment:
        path = f"ledger/payments/{self.date:%Y-%m}.yaml"  # within a file, one unit's entries of a day keep their counter order
        return model.Payment(self.unit, self.date, self.amount, self.method, self.receipt or "", (path, self.counter), Pos(path), self.designation)


@dataclass
class Waiver:
    unit: str
    date: date
    amount: Decimal
    applies_to: str
    approved_by: str
    reason: str
    consent: str  # the creditor's written consent (the creditor is not the issuer)
    comment: str = ""
    counter: int = 0

    def record(self) -> model.Waiver:
        path = f"ledger/waivers/{self.date.year}.yaml"
        return model.Waiver(self.unit, self.date, self.amount, self.applies_to, self.approved_by, self.reason, (path, self.counter), Pos(path), self.consent)


@dataclass
class Plan:
    unit: str
    signed: date
    installments: list  # [(due, amount)]
    comment: str = ""
    covers: str | None = None  # in_time (default, not written) | all
    late_fee: str | None = None  # accrue (default, not written) | freeze

    def record(self) -> model.Plan:
        steps = tuple(model.Installment(due, amount) for due, amount in self.installments)
        return model.Plan(self.unit, self.signed, steps, ("ledger/plans.yaml", 0), Pos("ledger/plans.yaml"),
                          self.covers or "in_time", self.late_fee or "accrue")


@dataclass
class Contact:
    date: date
    channel: str
    by: str
    outcome: str
    promise: tuple | None = None  # (date, amount or None)
    reason: str | None = None
    evidence: str = ""
    note: str = ""
    comment: str = ""
    purpose: str | None = None  # demand (default, not written) | service | other
    party: str | None = None  # issuer (default, not written) | creditor
    covers: str | None = None  # with a promise: in_time (default, not written) | all
    tracking: str = ""  # a letter's EMS number
    delivered_on: date | None = None  # the day the letter arrived
    document: str = ""  # the 文号 of the letter it carried

    def record(self, pos: Pos) -> model.Contact:
        promise = model.Promise(*self.promise) if self.promise else None
        return model.Contact(self.date, self.channel, self.by, self.outcome, promise, self.reason, self.evidence, self.note, pos,
                             self.purpose or "demand", self.party or "issuer", self.covers or "in_time", self.tracking,
                             self.delivered_on, self.document)


@dataclass
class Unit:
    id: str
    type: str
    area: Decimal
    billing_start: date
    occupancy: str = "self"
    owners: list = field(default_factory=list)  # dicts: name, phone, address, comment
    tenant: dict | None = None
    tags: list = field(default_factory=list)
    opening: dict | list | None = None  # {amount, due}: one mapping, as v1 wrote it; or the v2 list of such dicts (+ period, ...)
    opening_comment: str = ""
    service_address: dict | None = None  # address, confirmed, evidence, comment
    consents: list = field(default_factory=list)  # dicts: kind, date, evidence
    contacts: list = field(default_factory=list)
    complaints: list = field(default_factory=list)  # dicts: opened, category, said, owner, promised, updates, resolved, ...
    header: list = field(default_factory=list)
    start_comment: str = ""
    # the unit's entries (they are written to ledger/ by month or year)
    payments: list = field(default_factory=list)
    waivers: list = field(default_factory=list)
    charges: list = field(default_factory=list)
    plans: list = field(default_factory=list)

    def record(self) -> model.Unit:
        """The unit as ``cuijiao`` reads its owner file."""
        pos = Pos(f"owners/{self.id}.yaml")
        items = [self.opening] if isinstance(self.opening, dict) else self.opening or []
        opening = tuple(model.Opening(i["amount"], i["due"], pos, i.get("period", ""), i.get("assignment_notified"), i.get("note", ""))
                        for i in items)
        address = self.service_address
        return model.Unit(
            self.id, self.type, self.area, self.billing_start, self.occupancy,
            tuple(model.Person(o["name"], o.get("phone", ""), o.get("address", "")) for o in self.owners),
            model.Person(self.tenant["name"], self.tenant["phone"]) if self.tenant else None,
            tuple(self.tags), opening, tuple(c.record(pos) for c in self.contacts), pos,
            model.ServiceAddress(address["address"], address["confirmed"], address["evidence"]) if address else None,
            tuple(model.Consent(c["kind"], c["date"], c["evidence"]) for c in self.consents),
            complaints=tuple(complaint_record(c, pos) for c in self.complaints),
        )


COMPLAINT_KEYS = ("opened", "category", "said", "owner", "promised", "updates", "resolved", "resolution", "confirmed", "evidence", "disputed")


def complaint_record(c: dict, pos: Pos) -> model.Complaint:
    updates = tuple(model.ComplaintUpdate(u["date"], u["text"], u.get("by", "")) for u in c.get("updates", ()))
    return model.Complaint(c["opened"], c["category"], c["said"], c.get("owner", ""), pos, c.get("promised"), updates,
                           c.get("resolved"), c.get("resolution", ""), c.get("confirmed"), c.get("evidence", ""),
                           tuple(c.get("disputed", ())))


# -- the community, written entry by entry --------------------------------------------------------

class Demo:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        result = read_file("ledger/policy.yaml", community.POLICY_YAML.encode("utf-8"))
        assert isinstance(result.record, model.Policy) and not result.problems, result.problems
        self.policy: model.Policy = result.record
        self.units: dict[str, Unit] = {}
        self.used_names: set[str] = set(community.STAFF)
        self.used_phones: set[str] = set()
        self.counter = 0
        self._bills: dict[str, list[Bill]] = {}

    # -- people --------------------------------------------------------------------------
    def name(self, female: bool | None = None, surname: str | None = None) -> str:
        rng = self.rng
        while True:
            is_female = rng.random() < 0.5 if female is None else female
            given = rng.choice(community.GIVEN_FEMALE if is_female else community.GIVEN_MALE)
            candidate = (surname or rng.choice(community.SURNAMES)) + given
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def phone(self) -> str:
        while True:
            candidate = self.rng.choice(community.PHONE_PREFIXES) + "0000" + f"{self.rng.randrange(10000):04d}"
            if candidate not in self.used_phones:
                self.used_phones.add(candidate)
                return candidate

    def build_units(self) -> None:
        addresses = {}
        for uid, kind, area, start, description, address in community.layout():
            self.units[uid] = Unit(uid, kind, area, start, header=[description])
            addresses[uid] = address
        for unit in self.units.values():
            self.people(unit, addresses[unit.id])

    def people(self, unit: Unit, address: str) -> None:
        rng = self.rng
        first = self.name()
        unit.owners = [{"name": first, "phone": self.phone(), "address": address}]
        if unit.type != "商铺" and rng.random() < 0.3:
            unit.owners.append({"name": self.name(female=first[1:] in community.GIVEN_MALE), "phone": self.phone()})
        roll = rng.random()
        if unit.type == "商铺":
            unit.occupancy = "rented" if roll < 0.8 else "self"
        elif roll < 0.09:
            unit.occupancy = "rented"
        elif roll < 0.13:
            unit.occupancy = "vacant"
        if unit.occupancy == "rented":
            unit.tenant = {"name": self.name(), "phone": self.phone()}
            if unit.type != "商铺":
                unit.tags.append("出租")
        if unit.occupancy == "vacant":
            unit.tags.append(rng.choice(["长期在外", "空置"]))
        if unit.type != "商铺" and unit.occupancy == "self":
            if rng.random() < 0.16:
                unit.tags.append("老人")
            if rng.random() < 0.22:
                unit.tags.append("白天不在家")
            if rng.random() < 0.04:
                unit.tags.append("养宠物")

    # -- what the engine says of a unit ----------------------------------------------------------
    def bills(self, unit: Unit) -> list[Bill]:
        """Rules 1-3, by the engine: the unit's charges through HORIZON in charge order (fixed once the setups ran)."""
        if unit.id not in self._bills:
            extra = [c.record() for c in unit.charges]
            self._bills[unit.id] = unit_charges(unit.record(), self.policy.fees, extra, HORIZON)
        return self._bills[unit.id]

    def state(self, unit: Unit, when: date) -> UnitState:
        """The engine's state of the unit as of ``when``, over the entries written so far."""
        ledger = model.Ledger(self.policy, (unit.record(),), tuple(p.record() for p in unit.payments),
                              tuple(c.record() for c in unit.charges), tuple(w.record() for w in unit.waivers),
                              tuple(p.record() for p in unit.plans))
        (inputs,) = unit_inputs(ledger, when)
        return unit_state(*inputs)

    def owed(self, unit: Unit, when: date, through: date) -> Decimal:
        """What the unit must pay on ``when`` to settle every bill due by ``through``: those bills less
        the principal credited by then (payments that are not for the late fee, and principal waivers)."""
        state = self.state(unit, when)
        credited = state.paid - state.late_fee_paid + state.waived
        return sum((b.amount for b in self.bills(unit) if b.due <= through), ZERO) - credited

    def late_fee_at(self, unit: Unit, when: date) -> Decimal:
        """The late fee the unit owes on ``when`` (rule 6, less what was waived or paid of it)."""
        return self.state(unit, when).late_fee

    def sum_due(self, unit: Unit, lo: date, hi: date) -> Decimal:
        """The unit's bills (not its opening arrears) due in [lo, hi]."""
        return sum((b.amount for b in self.bills(unit) if lo <= b.due <= hi and b.kind != KIND_OPENING), ZERO)

    def monthly_fee(self, unit: Unit, fee_id: str) -> Decimal:
        """One month of a fee for the unit (rule 1's monthly base, to the cent)."""
        fee = next(f for f in self.policy.fees if f.id == fee_id)
        return round_cents(monthly_base(fee, unit.record()))

    def occasions(self, unit: Unit) -> list[tuple[date, date, date]]:
        """(earliest due, latest issue, latest due) of the bills due in each month, oldest first."""
        groups: dict[tuple, list[Bill]] = defaultdict(list)
        for bill in self.bills(unit):
            if bill.kind != KIND_OPENING:
                groups[(bill.due.year, bill.due.month)].append(bill)
        return [(min(b.due for b in g), max(b.issued for b in g), max(b.due for b in g)) for _, g in sorted(groups.items())]

    # -- writing entries -----------------------------------------------------------------------
    def pay(self, unit: Unit, when: date, amount: Decimal, method: str | None = None, comment: str = "", receipt: str | None = "",
            designation: tuple = ()) -> Payment:
        assert when <= AS_OF and amount > 0, (unit.id, when, amount)
        self.counter += 1
        method = method or self.method(unit)
        if method == "bank" and receipt == "" and self.rng.random() < 0.04:
            receipt = None
        payment = Payment(unit.id, when, round_cents(amount), method, comment, receipt, self.counter, tuple(designation))
        unit.payments.append(payment)
        return payment

    def waive(self, unit: Unit, when: date, amount: Decimal, applies_to: str, approved_by: str, reason: str, consent: str,
              comment: str = "") -> None:
        assert when <= AS_OF and amount > 0 and consent
        self.counter += 1
        unit.waivers.append(Waiver(unit.id, when, round_cents(amount), applies_to, approved_by, reason, consent, comment, self.counter))

    def plan(self, unit: Unit, signed: date, installments: list, comment: str, late_fee: str | None = None) -> None:
        unit.plans.append(Plan(unit.id, signed, installments, comment, late_fee=late_fee))

    def contact(self, unit: Unit, when: date, channel: str, by: str, outcome: str, **kw) -> None:
        assert when <= AS_OF, (unit.id, when)
        unit.contacts.append(Contact(when, channel, by, outcome, **kw))

    # -- how owners pay ----------------------------------------------------------------------------
    def complaint(self, unit: Unit, opened: date, category: str, said: str, owner: str, **kw) -> None:
        """A complaint in the owner file (issue 16); ``kw``: promised, updates [(date, text, by)], resolved, resolution,
        confirmed, evidence, disputed, comment."""
        updates = [{"date": day, "text": text, "by": by} for day, text, by in kw.pop("updates", ())]
        unit.complaints.append({"opened": opened, "category": category, "said": said, "owner": owner, "updates": updates, **kw})

    def method(self, unit: Unit) -> str:
        rng = self.rng
        if "老人" in unit.tags and rng.random() < 0.6:
            return rng.choice(["cash", "cash", "pos"])
        if unit.occupancy == "vacant" or "长期在外" in unit.tags:
            return rng.choice(["bank", "bank", "alipay", "wechat"])
        return rng.choice(community.METHODS)

    def pay_regularly(self, unit: Unit, profile: str, start: date = date(2000, 1, 1), stop: date = HORIZON,
                      late_days: tuple[int, int] = (16, 80), contacts: bool = True) -> None:
        """Pay each bill due in [start, stop) the way this kind of owner does, up to AS_OF."""
        rng = self.rng
        last_paid = date(2000, 1, 1)
        for due, issued, through in self.occasions(unit):
            if not start <= due < stop:
                continue
            if profile in ("annual", "semiannual"):
                months = 12 if profile == "annual" else 6
                if due.month != 1 and not (profile == "semiannual" and due.month == 7) and due > unit.billing_start + timedelta(days=40):
                    continue
                end_month = month_index(due) - (month_index(due) % months) + months - 1
                through = month_start(end_month + 1) - timedelta(days=1)
                when = due + timedelta(days=rng.randint(-12, 8))
            elif profile == "late":
                if rng.random() < 0.55:
                    when = due + timedelta(days=rng.randint(-8, 12))
                else:
                    when = due + timedelta(days=rng.randint(*late_days))
            else:  # punctual, roundup
                when = due + timedelta(days=rng.randint(-12, 10))
            when = max(when, issued, last_paid)
            if when > AS_OF:
                if profile == "late" and contacts:
                    self.late_contacts(unit, due, when, None)
                break
            amount = self.owed(unit, when, through)
            if amount <= 0:
                continue
            if profile == "roundup":
                amount = Decimal(int((amount + Decimal("99.99")) // 100) * 100)
            method = None
            if profile == "late" and contacts and (when - due).days > 15:
                method = self.late_contacts(unit, due, when, amount)
            self.pay(unit, when, amount, method)
            last_paid = when

    def pay_designated(self, unit: Unit, start: date, stop: date = HORIZON, method: str = "bank", first_comment: str = "") -> None:
        """Pay each month's bills due in [start, stop) on their own, naming the month (``for: [YYYY-MM]``), up to AS_OF.

        An owner who will not let a payment go to an older debt says what it is for (民法典第五百六十条).
        """
        comment = first_comment
        for due, issued, through in self.occasions(unit):
            if not start <= due < stop:
                continue
            when = max(due + timedelta(days=self.rng.randint(-10, 6)), issued)
            if when > AS_OF:
                break
            self.pay(unit, when, self.sum_due(unit, due, through), method, comment=comment, designation=(f"{due:%Y-%m}",))
            comment = ""

    def late_contacts(self, unit: Unit, due: date, paid: date, amount: Decimal | None) -> str | None:
        """Reminders before a late payment; returns the method when paid during a call."""
        rng = self.rng
        clerk = rng.choice([community.ZHANG, community.WANG])
        what = quarter_name(due) + "物业费" if unit.type != "商铺" else f"{due.year}年{due.month}月账单"
        sms = due + timedelta(days=rng.randint(5, 10))
        if sms < paid and sms <= AS_OF:
            channel = "sms" if rng.random() < 0.7 else "wechat"
            self.contact(unit, sms, channel, clerk, "delivered", note=rng.choice(community.REMINDER_NOTES).format(what=what))
        call = due + timedelta(days=rng.randint(24, 32))
        if not (call < paid and call <= AS_OF):
            return None
        reason = rng.choice(["forgot"] * 5 + ["other", "hardship"])
        roll = rng.random()
        record = rng.random() < 0.6
        evidence = community.recording(call, unit) if record else ""
        if amount is not None and (paid - call).days <= 3 and roll < 0.5:
            self.contact(unit, paid, "phone", clerk, "paid", reason=reason, evidence=evidence, note=rng.choice(community.PAID_DURING_CALL_NOTES))
            return "wechat"
        if roll < 0.15:
            self.contact(unit, call, "phone", clerk, "no_answer", note=rng.choice(community.NO_ANSWER_NOTES))
            return None
        if (paid - call).days <= 25:
            promised = amount if amount is not None else self.owed(unit, AS_OF, due)
            day = paid if amount is not None else call + timedelta(days=rng.randint(8, 20))
            note = rng.choice(community.PROMISE_NOTES[reason]).format(day=f"{day.month}月{day.day}日")
            self.contact(unit, call, "phone", clerk, "promised", promise=(day, promised), reason=reason, evidence=evidence, note=note)
            return None
        self.contact(unit, call, "phone", clerk, "reached", reason=reason, evidence=evidence, note=rng.choice(community.CALL_NOTES[reason]))
        return None

    def generic(self, unit: Unit) -> None:
        """A unit without a story: pays the way its kind of owner does."""
        rng = self.rng
        roll = rng.random()
        if unit.type == "商铺":
            profile = "punctual"
        elif unit.occupancy == "vacant" or "长期在外" in unit.tags:
            profile = "annual" if roll < 0.7 else "semiannual"
        elif roll < 0.56:
            profile = "punctual"
        elif roll < 0.70:
            profile = "annual"
        elif roll < 0.77:
            profile = "semiannual"
        elif roll < 0.85:
            profile = "roundup"
        else:
            profile = "late"
        self.pay_regularly(unit, profile)

    # -- one-off charges --------------------------------------------------------------------
    def shop_charges(self) -> list[Charge]:
        """Each shop's shared utilities (公摊水电), billed monthly and due the 15th of the next month."""
        rng = self.rng
        charges = []
        for unit in self.units.values():
            if unit.type != "商铺":
                continue
            base = Decimal(rng.randint(60, 220))
            month = month_index(unit.billing_start)
            while True:
                period = month_start(month)
                due = date(period.year, period.month, 15) + timedelta(days=days_in_month(period.year, period.month))
                due = date(due.year, due.month, 15)
                if due > AS_OF:
                    break
                season = Decimal("1.35") if period.month in (7, 8) else Decimal("1.15") if period.month in (1, 12) else Decimal(1)
                amount = round_cents(base * season * Decimal(rng.randint(85, 115)) / 100)
                charges.append(Charge(unit.id, "公摊水电", f"{period:%Y-%m}", amount, due))
                month += 1
        return charges

    def add_charges(self, charges: list[Charge]) -> None:
        """The one-off charges, numbered in the order their year's file lists them (the reader's seq)."""
        by_year: dict[int, list[Charge]] = defaultdict(list)
        for charge in charges:
            by_year[charge.due.year].append(charge)
        for year, items in by_year.items():
            items.sort(key=lambda c: (c.due, c.unit, c.item))
            for index, charge in enumerate(items):
                charge.seq = (f"ledger/charges/{year}.yaml", index)
                self.units[charge.unit].charges.append(charge)

    # -- run -------------------------------------------------------------------------------
    def run(self) -> None:
        self.build_units()
        for unit_id, history in STORIES.items():
            history.setup(self, self.units[unit_id])
        self.add_charges(self.shop_charges() + [Charge(*row) for row in community.ONE_OFF_CHARGES])
        for unit in self.units.values():
            if unit.id in STORIES:
                STORIES[unit.id](self, unit)
            else:
                self.generic(unit)
        for unit_id, when, method, through, comment in community.PREPAYMENTS:
            unit = self.units[unit_id]
            self.pay(unit, when, self.owed(unit, when, through), method, comment=comment)
        for unit_id, when in community.PUBLISH_CONSENTS:
            self.units[unit_id].consents.append(
                {"kind": "publish_arrears", "date": when, "evidence": f"个人信息单独同意书（业主签字，{when}）扫描件"})
        self.assign_receipts()

    def entries(self, kind: str) -> list:
        return [entry for unit in self.units.values() for entry in getattr(unit, kind)]

    def assign_receipts(self) -> None:
        counters: dict[int, int] = defaultdict(int)
        for payment in sorted(self.entries("payments"), key=lambda p: (p.date, p.unit, p.counter)):
            if payment.receipt is None:
                continue
            counters[payment.date.year] += 1
            payment.receipt = f"R{payment.date.year}-{counters[payment.date.year]:04d}"


# -- files ----------------------------------------------------------------------------------------

class _DoubleQuoting(RoundTripEmitter):
    """Where a value must be quoted (a phone, a year written as a period), use double quotes like the money."""

    def choose_scalar_style(self):
        style = super().choose_scalar_style()
        return '"' if style == "'" and not self.event.style else style


class _NoAliases(RoundTripRepresenter):
    """One date object used twice is written twice, not as ``&id001`` and ``*id001``."""

    def ignore_aliases(self, data) -> bool:
        return True


def flow(pairs: dict) -> CommentedMap:
    entry = CommentedMap((k, v) for k, v in pairs.items() if v not in (None, "", ()))
    entry.fa.set_flow_style()
    return entry


def block(pairs: dict) -> CommentedMap:
    return CommentedMap((k, v) for k, v in pairs.items() if v not in (None, "", ()))


def flow_list(values) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def comment_after(container, key, comment: str) -> None:
    """``   # comment`` at the end of the entry's (last) line: three spaces, as the committee types it."""
    if not comment:
        return
    container.yaml_add_eol_comment("# " + comment, key, column=0)
    token = container.ca.items[key][0 if isinstance(container, CommentedSeq) else 2]
    token.value = "  " + token.value  # ruamel puts one space before a comment at column 0; two more make three


def document(rel: str, kind: str, header: list[str], body: CommentedMap) -> CommentedMap:
    schema = f"yaml-language-server: $schema={'../' * rel.count('/')}schemas/{kind}.schema.json"
    body.yaml_set_start_comment("\n".join([schema, *header]))
    return body


def listed(entries: list, entry, before=None) -> CommentedSeq:
    """The entries as a block list; ``entry(e)`` gives (item, comment after it); ``before(e)`` a comment line above it."""
    seq = CommentedSeq()
    for index, e in enumerate(entries):
        item, comment = entry(e)
        seq.append(item)
        comment_after(seq, index, comment)
        if before and before(e):
            seq.yaml_set_comment_before_after_key(index, before=before(e), indent=2)
    return seq


def contact_item(c: Contact) -> tuple[CommentedMap, str]:
    pairs = {"date": c.date, "channel": c.channel, "by": c.by, "party": c.party, "purpose": c.purpose, "outcome": c.outcome}
    if c.promise is None and c.reason is None and not c.evidence:  # a short one on one line
        return flow({**pairs, "covers": c.covers, "note": c.note}), c.comment
    promise = None
    if c.promise:
        day, amount = c.promise
        promise = flow({"date": day, "amount": None if amount is None else money_text(amount)})
    item = block({**pairs, "promise": promise, "covers": c.covers, "reason": c.reason, "evidence": c.evidence,
                  "tracking": c.tracking or None, "delivered_on": c.delivered_on, "document": c.document or None, "note": c.note})
    comment_after(item, next(reversed(item)), c.comment)
    return item, ""


def complaint_item(c: dict) -> tuple[CommentedMap, str]:
    updates = listed(c["updates"], lambda u: (flow(u), "")) if c.get("updates") else None
    disputed = flow_list(c["disputed"]) if c.get("disputed") else None
    item = block({**{k: c.get(k) for k in COMPLAINT_KEYS}, "updates": updates, "disputed": disputed})
    comment_after(item, next(reversed(item)), c.get("comment", ""))
    return item, ""


def owner_document(unit: Unit) -> CommentedMap:
    doc = CommentedMap(unit=unit.id, type=unit.type, area=money_text(unit.area), billing_start=unit.billing_start)
    comment_after(doc, "area", "房产证建筑面积" if unit.type == "商铺" else "")
    comment_after(doc, "billing_start", unit.start_comment)
    if unit.occupancy != "self":
        doc["occupancy"] = unit.occupancy
        comment_after(doc, "occupancy", {"vacant": "空置，按七折", "rented": "出租"}[unit.occupancy])
    doc["owners"] = listed(unit.owners, lambda o: (flow({k: o.get(k) for k in ("name", "phone", "address")}), o.get("comment", "")))
    if unit.tenant:
        doc["tenant"] = flow({"name": unit.tenant["name"], "phone": unit.tenant["phone"]})
        comment_after(doc, "tenant", unit.tenant.get("comment", ""))
    if unit.tags:
        doc["tags"] = flow_list(unit.tags)
    if unit.opening:
        def item(i: dict) -> CommentedMap:
            return block({**i, "amount": money_text(i["amount"])})

        doc["opening"] = item(unit.opening) if isinstance(unit.opening, dict) else listed(unit.opening, lambda i: (item(i), ""))
        comment_after(doc, "opening", unit.opening_comment)
    if unit.service_address:
        doc["service_address"] = block({k: unit.service_address[k] for k in ("address", "confirmed", "evidence")})
        comment_after(doc, "service_address", unit.service_address.get("comment", ""))
    if unit.consents:
        doc["consents"] = listed(unit.consents, lambda c: (flow(c), ""))
    if unit.contacts:
        doc["contacts"] = listed(sorted(unit.contacts, key=lambda c: c.date), contact_item)
    if unit.complaints:
        doc["complaints"] = listed(sorted(unit.complaints, key=lambda c: c["opened"]), complaint_item)
    return document(f"owners/{unit.id}.yaml", "owner", unit.header, doc)


def payment_item(p: Payment) -> tuple[CommentedMap, str]:
    item = flow({"unit": p.unit, "date": p.date, "amount": money_text(p.amount), "method": p.method, "receipt": p.receipt,
                 "for": flow_list(p.designation) if p.designation else None})
    return item, p.comment or ("银行转账，收据待补开" if p.receipt is None else "")


def charge_item(c: Charge) -> tuple[CommentedMap, str]:
    item = flow({"unit": c.unit, "item": c.item, "period": c.period, "amount": money_text(c.amount), "due": c.due,
                 "issued": c.issued if c.issued != c.due else None})
    return item, c.comment


def waiver_item(w: Waiver) -> tuple[CommentedMap, str]:
    return flow({"unit": w.unit, "date": w.date, "amount": money_text(w.amount), "applies_to": w.applies_to,
                 "approved_by": w.approved_by, "reason": w.reason, "consent": w.consent}), ""


def plan_item(p: Plan) -> tuple[CommentedMap, str]:
    steps = CommentedSeq(flow({"due": due, "amount": money_text(amount)}) for due, amount in p.installments)
    return block({"unit": p.unit, "signed": p.signed, "covers": p.covers, "late_fee": p.late_fee, "installments": steps}), ""


def documents(demo: Demo) -> dict[str, CommentedMap]:
    files = {f"owners/{unit.id}.yaml": owner_document(unit) for unit in demo.units.values()}

    def grouped(kind: str, file_of, order, header, entry, before=None) -> None:
        groups: dict[str, list] = defaultdict(list)
        for e in demo.entries(kind):
            groups[file_of(e)].append(e)
        for rel, items in sorted(groups.items()):
            items.sort(key=order)
            files[rel] = document(rel, "entries", [header(items[0])], CommentedMap({kind: listed(items, entry, before)}))

    grouped("payments", lambda p: f"ledger/payments/{p.date:%Y-%m}.yaml", lambda p: (p.date, p.unit, p.counter),
            lambda p: f"{p.date.year}年{p.date.month}月缴费记录，物业服务中心录入，月底与银行流水核对", payment_item)
    grouped("charges", lambda c: f"ledger/charges/{c.due.year}.yaml", lambda c: c.seq,
            lambda c: f"{c.due.year}年一次性收费：商铺公摊水电（按分表读数分摊，次月15日前缴）及其他", charge_item)
    grouped("waivers", lambda w: f"ledger/waivers/{w.date.year}.yaml", lambda w: (w.date, w.unit, w.counter),
            lambda w: f"{w.date.year}年减免记录，每笔均经业委会会议决议并取得物业公司（债权人）书面同意", waiver_item, lambda w: w.comment)
    plans = sorted(demo.entries("plans"), key=lambda p: (p.signed, p.unit))
    files["ledger/plans.yaml"] = document("ledger/plans.yaml", "entries", ["分期付款协议（原件存物业服务中心档案柜）"],
                                          CommentedMap(plans=listed(plans, plan_item, lambda p: p.comment)))
    return files


def render(demo: Demo) -> dict[str, str]:
    """Every file's text, written by ruamel.yaml with the project's layout for new files ("  - {...}", nothing folded)."""
    yaml = yaml_for("")
    yaml.Emitter, yaml.Representer = _DoubleQuoting, _NoAliases
    texts = {rel: dump(yaml, doc) for rel, doc in documents(demo).items()}
    policy = yaml_for(community.POLICY_YAML)  # the policy as typed, comments and all
    texts["ledger/policy.yaml"] = dump(policy, policy.load(community.POLICY_YAML))
    return texts


def write(out: Path, files: dict[str, str]) -> None:
    for folder in ("owners", "ledger"):
        shutil.rmtree(out / folder, ignore_errors=True)
    for rel in sorted(files):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel].encode("utf-8"))


def fingerprint(files: dict[str, bytes]) -> str:
    """The data's hash as ``./run``'s data_fingerprint computes it: sha256sum's lines, sorted by path, hashed.

    ``./run demo`` computes as of the demo's day only when owners/ and ledger/ are the demo's.
    """
    lines = "".join(f"{hashlib.sha256(files[rel]).hexdigest()}  {rel}\n" for rel in sorted(files, key=lambda r: r.encode()))
    return hashlib.sha256(lines.encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the demo community (owners/ and ledger/).")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="folder to write owners/ and ledger/ into (default: the repository root)")
    args = parser.parse_args(argv)
    demo = Demo()
    demo.run()
    files = render(demo)
    write(args.out, files)
    (args.out / "scripts").mkdir(exist_ok=True)
    (args.out / "scripts" / "demo-fingerprint.txt").write_text(fingerprint({rel: text.encode("utf-8") for rel, text in files.items()}) + "\n", encoding="utf-8")
    print(f"wrote {len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
