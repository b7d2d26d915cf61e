"""The data as small immutable records, each knowing where it was written.

``seq`` is the load order of entries: ``(path, index)``. Files are read in
sorted path order, so comparing these tuples gives the spec's load order
without renumbering anything when files come from the cache.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from generator.core.diagnostics import Pos, RecordPos
from generator.core.lookup import find
from generator.speed.records import Record

Seq = tuple[str, int]

OCCUPANCIES = ("self", "rented", "vacant")
CHANNELS = ("sms", "wechat", "phone", "visit", "letter", "registered_mail", "lawyer_letter", "court", "other")
OUTCOMES = ("no_answer", "reached", "promised", "refused", "disputed", "delivered", "returned", "unreachable", "paid")
# The contact got through to the owner (a collector's "last reached" date counts these)
REACHED_OUTCOMES = frozenset({"reached", "promised", "refused", "disputed", "delivered", "paid"})
# The contact or letter never got through: it fulfils no stage and interrupts nothing
FAILED_OUTCOMES = frozenset({"returned", "unreachable"})
REASONS = (
    "forgot", "service_complaint", "housing_defect", "vacant", "hardship",
    "rented_out", "legacy_dispute", "refuses", "unreachable", "other",
)
METHODS = ("wechat", "alipay", "bank", "cash", "pos", "other")
PURPOSES = ("demand", "service", "other")  # v2: only a demand (催缴) is a dunning step or interrupts limitation
PARTIES = ("issuer", "creditor")  # v2: whose people made the contact
COVERS = ("in_time", "all")  # v2: what a promise or plan acknowledges
PLAN_LATE_FEES = ("accrue", "freeze")  # v2: what a plan does to the late fee
CONSENT_KINDS = ("publish_arrears",)  # v2: separate consents under 个人信息保护法 (other kinds are kept, with a warning)
FOR_OPENING, FOR_LATE_FEE = "opening", "late_fee"  # v2: the words a payment's ``for`` may hold besides YYYY-MM
APPLIES_TO = ("principal", "late_fee")
BASES = ("area", "unit")
CYCLES = (1, 3, 6, 12)


class Organisation(Record):
    """A body named on letters and in court papers, with where to reach it."""

    name: str
    address: str = ""
    phone: str = ""
    representative: str = ""  # 法定代表人 or 负责人 (a committee's 主任), for court papers; "" prints a blank
    credit_code: str = ""  # 统一社会信用代码 (or a committee's 备案 number), for court papers; "" prints a blank


class Court(Record):
    """Where the creditor's claims are filed and what sets the small-claims limit (court filings, issue 15)."""

    name: str = ""  # the 基层人民法院 of the property's location; "" prints a blank for the committee to fill in
    average_wage: Decimal | None = None  # the province's prior-year 就业人员年平均工资, 元 (民事诉讼法第一百六十五条)
    wage_year: int | None = None  # the year that figure is for


class Issuer(Organisation):
    """Who signs the letters (the committee or the property manager)."""


class Creditor(Organisation):
    """Who holds the claim (物业服务人, or the committee when owners manage the estate themselves)."""


class Authorisation(Record):
    """The creditor's written authority for the issuer to demand payment in its name, from..until (inclusive)."""

    valid_from: date
    valid_until: date | None  # None: open-ended
    document: str
    pos: Pos

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class HolidayYear(Record):
    """The State Council's rest days and make-up working days of one year (policy ``holidays``)."""

    year: int
    off: tuple[date, ...]
    work: tuple[date, ...]


class Fee(Record):
    """One version of a recurring fee; versions of one fee share ``id``."""

    id: str
    name: str
    basis: str
    rate: Decimal | None  # one rate for every unit type, or None with ``rates``
    rates: tuple[tuple[str, Decimal], ...]  # rate table by unit type
    cycle: int
    due_day: int
    vacant_factor: Decimal
    valid_from: date | None
    valid_until: date | None
    order: int  # position of the first version of this id in the policy
    pos: Pos

    def rate_for(self, unit_type: str) -> Decimal | None:
        if self.rate is not None:
            return self.rate
        for name, value in self.rates:
            if name == unit_type:
                return value
        return None


class LateFee(Record):
    daily_rate: Decimal
    grace_days: int
    cap: Decimal
    on_opening: bool = True  # false: opening arrears (taken over from before) carry no late fee
    basis: str = ""  # the agreement the late fee rests on, printed on letters (e.g. 物业服务合同第八条)


class Stage(Record):
    id: str
    name: str
    after_days: int
    channels: tuple[str, ...]
    letter: str | None
    wait_days: int | None
    deadline_days: int | None
    requires: tuple[tuple[str, int], ...]
    pos: Pos


class LimitationRule(Record):
    years: int = 3
    warn_days: int = 180


class ComplaintRule(Record):
    """How the desk treats complaints (policy ``complaints:``); the defaults apply when the policy is silent."""

    hold_lawyer_days: int = 60  # no lawyer letter while a complaint is open and younger than this
    call_after_days: int = 3  # call again within this many days of a resolution the owner confirmed


class Policy(Record):
    community: str
    issuer: Issuer
    payment_channels: tuple[str, ...]
    fees: tuple[Fee, ...]
    late_fee: LateFee | None
    dunning: tuple[Stage, ...]
    limitation: LimitationRule
    publish_unit_amounts: bool  # notice-board summary may list unit numbers and amounts
    pos: RecordPos  # where each key was written: reading gives the policy its mapping's positions
    creditor: Creditor | None = None  # who is owed and would sue (the 物业服务人); None: the issuer
    authorisations: tuple[Authorisation, ...] = ()
    holidays: tuple[HolidayYear, ...] = ()
    delivery_days: int = 7  # days a letter may take to arrive: its printed latest date allows for them
    court: Court | None = None  # where claims are filed; None: court papers print blanks and no small-claims verdict
    complaints: ComplaintRule = ComplaintRule()  # how open and resolved complaints change the desk

    @property
    def creditor_name(self) -> str:
        return self.creditor.name if self.creditor else self.issuer.name

    @property
    def issuer_is_creditor(self) -> bool:
        """No separate creditor: the issuer demands in its own right."""
        return self.creditor is None or self.creditor.name == self.issuer.name

    def authorisation_on(self, day: date) -> Authorisation | None:
        """The authorisation in force on ``day`` (the latest-starting one when several are)."""
        found = None
        for authorisation in self.authorisations:
            if authorisation.covers(day) and (found is None or authorisation.valid_from >= found.valid_from):
                found = authorisation
        return found

    def issuer_may_demand(self, day: date) -> bool:
        """Whether the issuer's demands on ``day`` are made for the creditor (rule 10)."""
        return self.issuer_is_creditor or self.authorisation_on(day) is not None

    def stage(self, stage_id: str | None) -> Stage | None:
        return find(self.dunning, stage_id)


class Person(Record):
    name: str
    phone: str = ""
    address: str = ""


class Promise(Record):
    date: date
    amount: Decimal | None


class Contact(Record):
    date: date
    channel: str
    by: str
    outcome: str
    promise: Promise | None
    reason: str | None
    evidence: str
    note: str
    pos: Pos
    purpose: str = "demand"  # demand | service | other (v2)
    party: str = "issuer"  # issuer | creditor (v2)
    covers: str = "in_time"  # with outcome promised: in_time | all (v2)
    tracking: str = ""  # the EMS / registered-mail number of a letter sent
    delivered_on: date | None = None  # the day the post office or the signer says it arrived
    document: str = ""  # the 文号 of the letter the envelope held (e.g. TZ-20261122-1-1-101)


class Opening(Record):
    """One item of arrears from before billing_start (v2: a unit may have several)."""

    amount: Decimal
    due: date
    pos: Pos
    period: str = ""
    assignment_notified: date | None = None  # 债权转让通知到达日, for an item taken over from a previous manager
    note: str = ""


class ServiceAddress(Record):
    """The owner's signed 送达地址确认书: letters returned from it still count as delivered (诉讼时效规定第八条)."""

    address: str
    confirmed: date
    evidence: str


class Consent(Record):
    """A separate consent under 个人信息保护法 (e.g. to publish the unit's arrears)."""

    kind: str
    date: date
    evidence: str
    withdrawn: date | None = None  # 第十五条: consent may be withdrawn


class ComplaintUpdate(Record):
    """A step taken on a complaint (a repair visit, a reply to the owner)."""

    date: date
    text: str
    by: str = ""


class Complaint(Record):
    """A service complaint or a dispute in the unit's owner file (``complaints:``, issue 16).

    Open until ``resolved``; ``confirmed`` is the day the owner accepted the fix. ``disputed`` names the
    billing periods the owner disputes because of it (shown apart on the unit page and statements).
    """

    opened: date
    category: str  # repair | cleaning | security | parking | noise | fees | legacy | other
    said: str  # what the owner said, in their words
    owner: str  # who handles it (a staff member or committee member)
    pos: Pos
    promised: date | None = None  # the day the handler promised it would be fixed
    updates: tuple[ComplaintUpdate, ...] = ()
    resolved: date | None = None
    resolution: str = ""  # how it was resolved
    confirmed: date | None = None  # the owner confirmed the resolution on this day
    evidence: str = ""
    disputed: tuple[str, ...] = ()  # periods the owner disputes because of it (e.g. 2026-07~2026-09)

    def open_on(self, day: date) -> bool:
        return self.opened <= day and (self.resolved is None or self.resolved > day)


class Unit(Record):
    id: str
    type: str
    area: Decimal | None
    billing_start: date
    occupancy: str
    owners: tuple[Person, ...]
    tenant: Person | None
    tags: tuple[str, ...]
    opening: tuple[Opening, ...]  # v2: a list of items; v1's single mapping is one item
    contacts: tuple[Contact, ...]
    pos: RecordPos  # where each key was written: reading gives a unit its mapping's positions
    service_address: ServiceAddress | None = None
    consents: tuple[Consent, ...] = ()
    complaints: tuple[Complaint, ...] = ()

    def consented(self, kind: str, day: date) -> bool:
        """A consent of ``kind`` given on or before ``day`` and not withdrawn by then."""
        return any(c.kind == kind and c.date <= day and (c.withdrawn is None or c.withdrawn > day) for c in self.consents)

    def address_confirmed_on(self, day: date) -> bool:
        return self.service_address is not None and self.service_address.confirmed <= day

    @property
    def building(self) -> str:
        """The building part of a unit id: ``3`` of ``3-2-1802``; ``V`` of ``V05`` (letters before the number)."""
        if "-" in self.id:
            return self.id.split("-", 1)[0]
        prefix = self.id.rstrip("0123456789")
        return prefix or self.id


class Payment(Record):
    unit: str
    date: date
    amount: Decimal
    method: str
    receipt: str
    seq: Seq
    pos: Pos
    designation: tuple[str, ...] = ()  # v2 ``for``: YYYY-MM, opening or late_fee, as the owner said

    @property
    def for_late_fee(self) -> bool:
        """A late-fee payment (rule 6): it settles no principal."""
        return FOR_LATE_FEE in self.designation


class OneOffCharge(Record):
    unit: str
    item: str
    period: str
    amount: Decimal
    due: date
    issued: date
    seq: Seq
    pos: Pos


class Waiver(Record):
    unit: str
    date: date
    amount: Decimal
    applies_to: str
    approved_by: str
    reason: str
    seq: Seq
    pos: Pos
    consent: str = ""  # v2: the creditor's written consent, required when the creditor is not the issuer


class Installment(Record):
    """One payment a plan promises: due on a day, an amount."""

    due: date
    amount: Decimal


class Plan(Record):
    """An instalment plan the owner signed (ledger/plans/): it interrupts limitation and may freeze the late fee."""

    unit: str
    signed: date
    installments: tuple[Installment, ...]
    seq: Seq
    pos: Pos
    covers: str = "in_time"  # v2: in_time | all, as for a promise
    late_fee: str = "accrue"  # v2: accrue | freeze (days late stop at signing while the plan is kept)

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.installments), Decimal("0.00"))


class Entries(Record):
    """Everything one ledger entries file holds."""

    payments: tuple[Payment, ...] = ()
    charges: tuple[OneOffCharge, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    plans: tuple[Plan, ...] = ()


class Ledger(Record):
    """The whole community as loaded: policy, units by id, and every entry in load order."""

    policy: Policy
    units: tuple[Unit, ...]
    payments: tuple[Payment, ...] = ()
    charges: tuple[OneOffCharge, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    plans: tuple[Plan, ...] = ()
    files: tuple[str, ...] = ()
