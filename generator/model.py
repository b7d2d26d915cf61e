"""The data as small immutable records, each knowing where it was written.

``seq`` is the load order of entries: ``(path, index)``. Files are read in
sorted path order, so comparing these tuples gives the spec's load order
without renumbering anything when files come from the cache.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .diagnostics import Pos
from .records import speed_up

Seq = tuple[str, int]

OCCUPANCIES = ("self", "rented", "vacant")
CHANNELS = ("sms", "wechat", "phone", "visit", "letter", "registered_mail", "lawyer_letter", "court", "other")
OUTCOMES = ("no_answer", "reached", "promised", "refused", "disputed", "delivered", "returned", "unreachable", "paid")
REASONS = (
    "forgot", "service_complaint", "housing_defect", "vacant", "hardship",
    "rented_out", "legacy_dispute", "refuses", "unreachable", "other",
)
METHODS = ("wechat", "alipay", "bank", "cash", "pos", "other")
APPLIES_TO = ("principal", "late_fee")
BASES = ("area", "unit")
CYCLES = (1, 3, 6, 12)


@dataclass(frozen=True, slots=True)
class Issuer:
    name: str
    address: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Fee:
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


@dataclass(frozen=True, slots=True)
class LateFee:
    daily_rate: Decimal
    grace_days: int
    cap: Decimal
    on_opening: bool = True  # false: opening arrears (taken over from before) carry no late fee
    basis: str = ""  # the agreement the late fee rests on, printed on letters (e.g. 物业服务合同第八条)


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    after_days: int
    channels: tuple[str, ...]
    letter: str | None
    wait_days: int | None
    deadline_days: int | None
    requires: tuple[tuple[str, int], ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class LimitationRule:
    years: int = 3
    warn_days: int = 180


@dataclass(frozen=True, slots=True)
class Policy:
    community: str
    issuer: Issuer
    payment_channels: tuple[str, ...]
    fees: tuple[Fee, ...]
    late_fee: LateFee | None
    dunning: tuple[Stage, ...]
    limitation: LimitationRule
    publish_unit_amounts: bool  # notice-board summary may list unit numbers and amounts
    pos: Pos
    creditor: str | None = None  # who is owed and would sue (the 物业服务人); None: the issuer

    @property
    def creditor_name(self) -> str:
        return self.creditor or self.issuer.name

    def stage(self, stage_id: str | None) -> Stage | None:
        for stage in self.dunning:
            if stage.id == stage_id:
                return stage
        return None


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    phone: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Promise:
    date: date
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class Contact:
    date: date
    channel: str
    by: str
    outcome: str
    promise: Promise | None
    reason: str | None
    evidence: str
    note: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Opening:
    amount: Decimal
    due: date
    pos: Pos


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    type: str
    area: Decimal | None
    billing_start: date
    occupancy: str
    owners: tuple[Person, ...]
    tenant: Person | None
    tags: tuple[str, ...]
    opening: Opening | None
    contacts: tuple[Contact, ...]
    pos: Pos

    @property
    def building(self) -> str:
        """The building part of a unit id: ``3`` of ``3-2-1802``; ``V`` of ``V05`` (letters before the number)."""
        if "-" in self.id:
            return self.id.split("-", 1)[0]
        prefix = self.id.rstrip("0123456789")
        return prefix or self.id


@dataclass(frozen=True, slots=True)
class Payment:
    unit: str
    date: date
    amount: Decimal
    method: str
    receipt: str
    seq: Seq
    pos: Pos


@dataclass(frozen=True, slots=True)
class OneOffCharge:
    unit: str
    item: str
    period: str
    amount: Decimal
    due: date
    issued: date
    seq: Seq
    pos: Pos


@dataclass(frozen=True, slots=True)
class Waiver:
    unit: str
    date: date
    amount: Decimal
    applies_to: str
    approved_by: str
    reason: str
    seq: Seq
    pos: Pos


@dataclass(frozen=True, slots=True)
class Installment:
    due: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Plan:
    unit: str
    signed: date
    installments: tuple[Installment, ...]
    seq: Seq
    pos: Pos

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.installments), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class Entries:
    """Everything one ledger entries file holds."""

    payments: tuple[Payment, ...] = ()
    charges: tuple[OneOffCharge, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    plans: tuple[Plan, ...] = ()


@dataclass(frozen=True, slots=True)
class Ledger:
    """The whole community as loaded: policy, units by id, and every entry in load order."""

    policy: Policy
    units: tuple[Unit, ...]
    payments: tuple[Payment, ...] = ()
    charges: tuple[OneOffCharge, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    plans: tuple[Plan, ...] = ()
    files: tuple[str, ...] = field(default=())


speed_up(__name__)  # the same frozen records, built 2x faster (see records.py)
