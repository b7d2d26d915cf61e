"""A second, deliberately plain reading of the spec's money rules, written from ``ledger-format.md`` alone.

It takes generated communities as plain data (``generated.scenarios`` and ``test_oracle.v2_scenarios``:
units with rate types and opening items, fees with rate changes, a late fee, payments with designations,
waivers, one-off charges, plans, contacts, a creditor and its authorisations) straight from their dicts,
not through the loader, and gives the JSON report's numbers (rules 1 to 11; stage and plan when the
scenario has a dunning ladder). ``test_oracle.py`` checks that the generator gives the same numbers:
two readings of the same text that agree on every cent. It is slow and simple on purpose: a day-by-day
simulation, exact fractions, no shared code with the generator (``Decimal`` and ``Fraction`` only).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

YEARS = 3  # the policy's limitation when it says none (spec: limitation years 3, warn_days 180)
WARN_DAYS = 180
DEMAND_OUTCOMES = ("reached", "promised", "refused", "disputed", "delivered")
BUCKETS = (("1-30", 1, 30), ("31-90", 31, 90), ("91-180", 91, 180), ("181-365", 181, 365), ("366-730", 366, 730),
           ("731-1095", 731, 1095), ("1096+", 1096, None))


def exact_cents(x: Fraction, places: int = 2) -> Decimal:
    """Half-up to ``places`` decimals from the exact fraction (never through a rounded decimal); x >= 0."""
    q = x * 10 ** places
    whole = (q.numerator * 2 + q.denominator) // (2 * q.denominator)  # floor(q + 1/2)
    return (Decimal(whole) / 10 ** places).quantize(Decimal(1).scaleb(-places))


def plus_years(d: date, years: int) -> date:
    if d.month == 2 and d.day == 29 and not calendar.isleap(d.year + years):
        return date(d.year + years, 2, 28)
    return date(d.year + years, d.month, d.day)


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Charge:
    order: tuple  # rule 3's sort key
    amount: Decimal
    issued: date
    due: date
    opening: bool = False
    assignment: date | None = None  # an opening item's assignment_notified
    pieces: list = field(default_factory=list)  # (amount, settled, by_payment)

    @property
    def unpaid(self) -> Decimal:
        return self.amount - sum((p[0] for p in self.pieces), Decimal(0))


def fee_bills(fee: dict, fee_index: int, unit: dict, as_of: date) -> list[Charge]:
    start: date = unit["billing_start"]
    cycle = fee.get("cycle", 1)
    first = month_start(start.year, ((start.month - 1) // cycle) * cycle + 1)
    rate = Fraction(str(fee["rate"][unit.get("type", "高层")] if isinstance(fee["rate"], dict) else fee["rate"]))
    base = rate * (Fraction(str(unit["area"])) if fee.get("basis", "area") == "area" else 1)
    if unit.get("occupancy") == "vacant":
        base *= Fraction(str(fee.get("vacant_factor", "1")))
    bills = []
    cycle_start = first
    while True:
        cycle_end = add_months(cycle_start, cycle) - timedelta(days=1)
        issued = max(cycle_start, start)
        if issued > as_of:
            break
        if start > cycle_start:  # the first cycle, entered after its start
            days_in = calendar.monthrange(start.year, start.month)[1]
            partial = Fraction(days_in - start.day + 1, days_in) if start.day > 1 else Fraction(1)
            whole_after = (cycle_end.year * 12 + cycle_end.month) - (start.year * 12 + start.month)
            months = partial + whole_after
        else:
            months = Fraction(cycle)
        amount = exact_cents(base * months)
        due = max(date(cycle_start.year, cycle_start.month, fee["due_day"]), start)
        this_version = fee.get("from", date.min) <= cycle_start <= (fee.get("until") or date.max)  # a fee's from/until
        if amount != 0 and this_version:
            bills.append(Charge((due, issued, 1, fee_index, 0), amount, issued, due))
        cycle_start = add_months(cycle_start, cycle)
    return bills


@dataclass
class Unit:
    charges: list[Charge]
    credits: list[dict]  # payments (principal) and principal waivers dated <= A, in rule 4's order
    events: list[tuple[date, bool, object]]  # (date, covers all, source): demands and acknowledgments
    late_fee_waived: Decimal
    late_fee_paid: Decimal
    paid: Decimal  # every payment dated <= A, late-fee payments included
    waived: Decimal
    plans: list[dict]
    payments: list[dict]
    contacts: list[dict] = field(default_factory=list)  # dated <= A


def for_creditor(policy: dict, contact: dict) -> bool:
    creditor = policy.get("creditor")
    if creditor is None or creditor["name"] == policy["issuer_name"] or contact.get("party") == "creditor":
        return True
    return any(a["from"] <= contact["date"] <= (a.get("until") or date.max) for a in policy.get("authorisations", ()))


def demand(policy: dict, unit: dict, contact: dict) -> bool:
    """Rule 10's demand: purpose demand, evidence, an outcome that reached the owner (or a letter returned from
    the address the owner confirmed), made for the creditor."""
    if (contact.get("purpose") or "demand") != "demand" or not contact.get("evidence"):
        return False
    reached = contact["outcome"] in DEMAND_OUTCOMES
    address = unit.get("service_address")
    returned = (contact["channel"] in ("letter", "registered_mail", "lawyer_letter") and contact["outcome"] in ("returned", "unreachable")
                and address is not None and address["confirmed"] <= contact["date"])
    return (reached or returned) and for_creditor(policy, contact)


def openings(unit: dict) -> list[dict]:
    opening = unit.get("opening")
    return [] if not opening else opening if isinstance(opening, list) else [opening]


def unit_of(scenario: dict, unit: dict) -> Unit:
    as_of, policy = scenario["as_of"], scenario["policy"]
    uid = unit["unit_id"]
    charges: list[Charge] = []
    for index, item in enumerate(openings(unit)):
        if item["due"] <= as_of:
            charges.append(Charge((item["due"], item["due"], 0, index, 0), Decimal(item["amount"]), item["due"], item["due"],
                                  opening=True, assignment=item.get("assignment_notified")))
    for index, fee in enumerate(policy["fees"]):
        charges += fee_bills(fee, index, unit, as_of)
    u = Unit(charges, [], [], Decimal(0), Decimal(0), Decimal(0), Decimal(0), [], [])
    for contact in unit.get("contacts", ()):
        if contact["date"] <= as_of:
            u.contacts.append(contact)
        if contact["date"] <= as_of and demand(policy, unit, contact):
            u.events.append((contact["date"], contact["outcome"] == "promised" and contact.get("covers") == "all", contact))
    for load, entry in enumerate(scenario["entries"]):
        entry = entry if isinstance(entry, dict) else _as_dict(entry)
        if entry["unit"] != uid:
            continue
        kind, day = entry["kind"], entry["date"]
        if kind == "charge":  # ``date`` is its due date; it exists from its issue date
            if entry["issued"] <= as_of:
                charges.append(Charge((day, entry["issued"], 2, 0, load), Decimal(entry["amount"]), entry["issued"], day))
            continue
        if day > as_of:
            continue
        amount = Decimal(entry.get("amount", "0"))
        if kind == "payment":
            u.paid += amount
            u.payments.append(entry)
            if "late_fee" in (entry.get("for") or ()):
                u.late_fee_paid += amount
            else:
                u.credits.append({"date": day, "order": (day, 0, load), "amount": amount, "payment": True, "for": entry.get("for")})
        elif kind == "waiver":
            if entry["applies_to"] == "principal":
                u.waived += amount
                u.credits.append({"date": day, "order": (day, 1, load), "amount": amount, "payment": False, "for": None})
            else:
                u.late_fee_waived += amount
        elif kind == "plan":
            u.plans.append(entry)
            u.events.append((day, entry.get("covers") == "all", entry))  # signing acknowledges
        elif kind == "contact" and demand(policy, unit, entry):
            u.events.append((day, entry["outcome"] == "promised" and entry.get("covers") == "all", entry))
    charges.sort(key=lambda c: c.order)
    u.credits.sort(key=lambda c: c["order"])
    return u


def _as_dict(entry: tuple) -> dict:
    """The property tests' tuples as entries."""
    kind, unit, day = entry[:3]
    if kind == "payment":
        return {"kind": kind, "unit": unit, "date": day, "amount": entry[3]}
    if kind == "waiver":
        return {"kind": kind, "unit": unit, "date": day, "amount": entry[3], "applies_to": entry[4]}
    if kind == "charge":
        return {"kind": kind, "unit": unit, "date": day, "amount": entry[3], "issued": day + timedelta(days=entry[4])}
    if kind == "plan":
        return {"kind": kind, "unit": unit, "date": day, "installments": [(day + timedelta(days=30), entry[3])]}
    return {"kind": kind, "unit": unit, "date": day, "channel": entry[3], "outcome": entry[4], "evidence": "凭证" if entry[5] else None}


def chain(charge: Charge, unit: Unit, before: date) -> tuple[date, list]:
    """Rule 10 for one charge with the events dated after its due date and before ``before``: its expiry, and
    the sources of the events that interrupted it."""
    found = [(d, 0 if every else 1, src) for d, every, src in unit.events if charge.due < d < before]
    found += [(p[1], 1, "performance") for p in charge.pieces if p[2] and charge.due < p[1] < before]
    if charge.assignment is not None and charge.due < charge.assignment < before:
        found.append((charge.assignment, 1, "assignment"))
    end = plus_years(charge.due, YEARS)
    interrupted = []
    for day, rank, source in sorted(found, key=lambda f: (f[0], f[1])):  # same day: covers all first
        if rank == 0 or not end < day:  # an acknowledgment of everything due revives an expired charge too
            end = plus_years(day, YEARS)
            interrupted.append(source)
    return min(end, plus_years(charge.due, 20)), interrupted


def expiry(charge: Charge, unit: Unit, before: date) -> date:
    return chain(charge, unit, before)[0]


def allocate(unit: Unit, as_of: date) -> Decimal:
    """Rule 4, day by day; returns the credit left."""
    days = sorted({c.issued for c in unit.charges} | {c["date"] for c in unit.credits})
    waiting: list[list] = []  # [amount left, is_payment] in credit order
    for day in days:
        for charge in unit.charges:  # charges issued today: the waiting credits settle them today
            if charge.issued != day:
                continue
            for credit in waiting:
                take = min(credit[0], charge.unpaid)
                if take > 0:
                    charge.pieces.append((take, day, credit[1]))
                    credit[0] -= take
        for credit in unit.credits:
            if credit["date"] != day:
                continue
            existing = [c for c in unit.charges if c.issued <= day]
            if credit["payment"]:
                named = credit["for"] or ()
                # YYYY-MM names every charge due in that month (an opening item too); "opening" every opening item
                designated = [c for c in existing if (c.opening and "opening" in named) or f"{c.due.year:04d}-{c.due.month:02d}" in named]
                rest = [c for c in existing if c not in designated]
                before = [c for c in rest if c.due < day]
                in_time = [c for c in before if not expiry(c, unit, day) < day]
                barred = [c for c in before if expiry(c, unit, day) < day]
                order = designated + in_time + barred + [c for c in rest if c.due >= day]
            else:
                order = existing
            left = credit["amount"]
            for charge in order:
                take = min(left, charge.unpaid)
                if take > 0:
                    charge.pieces.append((take, day, credit["payment"]))
                    left -= take
            waiting.append([left, credit["payment"]])
    return sum((w[0] for w in waiting), Decimal(0))


def plan_behind(plan: dict, unit: Unit, as_of: date) -> bool:
    """Rule 9: payments on or after the signing day sum to less than the installments due before A (and not to
    the whole total: a completed plan is not behind)."""
    paid = sum((Decimal(p["amount"]) for p in unit.payments if p["date"] >= plan["date"]), Decimal(0))
    total = sum((Decimal(a) for _d, a in plan["installments"]), Decimal(0))
    due = sum((Decimal(a) for d, a in plan["installments"] if d < as_of), Decimal(0))
    return paid < total and paid < due


def plan_status(plan: dict, unit: Unit, as_of: date) -> str:
    """Rule 9."""
    paid = sum((Decimal(p["amount"]) for p in unit.payments if p["date"] >= plan["date"]), Decimal(0))
    if paid >= sum((Decimal(a) for _d, a in plan["installments"]), Decimal(0)):
        return "completed"
    return "behind" if paid < sum((Decimal(a) for d, a in plan["installments"] if d < as_of), Decimal(0)) else "on_track"


def stage(dunning: list[dict], contacts: list[dict], oldest: date | None, as_of: date) -> str | None:
    """Rule 8: the last stage whose days have passed and whose required stages' contacts were made."""
    if oldest is None:
        return None
    days = (as_of - oldest).days

    def fulfils(contact: dict, step: dict) -> bool:
        return (contact["channel"] in step["channels"] and oldest < contact["date"] <= as_of
                and contact["outcome"] not in ("returned", "unreachable") and (contact.get("purpose") or "demand") == "demand")

    made = {step["id"]: sum(1 for c in contacts if fulfils(c, step)) for step in dunning}
    reached = [step["id"] for step in dunning
               if step["after_days"] <= days and all(made[k] >= n for k, n in (step.get("requires") or {}).items())]
    return reached[-1] if reached else None


def late_fee(charge: Charge, rule: dict, as_of: date, frozen: date | None = None) -> Decimal:
    grace = rule.get("grace_days", 0)
    pieces = [(p[0], p[1]) for p in charge.pieces] + ([(charge.unpaid, as_of)] if charge.unpaid > 0 else [])
    if frozen is not None:
        pieces = [(x, min(p, frozen)) for x, p in pieces]
    weighted = sum((Fraction(str(x)) * max(0, (p - charge.due).days - grace) for x, p in pieces), Fraction(0))
    fee = min(Fraction(str(rule.get("cap", "1"))) * Fraction(str(charge.amount)), Fraction(str(rule["daily_rate"])) * weighted)
    return exact_cents(fee)


def money(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01")))


def report(scenario: dict) -> dict:
    """The JSON report's totals and unit rows that these rules decide (stage and plan left out)."""
    as_of = scenario["as_of"]
    rule = scenario["policy"]["late_fee"]
    rows, totals = [], {"charged": Decimal(0), "paid": Decimal(0), "waived": Decimal(0), "outstanding": Decimal(0),
                        "not_due": Decimal(0), "credit": Decimal(0), "late_fee": Decimal(0), "late_fee_barred": Decimal(0),
                        "units_in_arrears": 0}
    year = [Fraction(0), Fraction(0)]  # rule 11: paid, amount - waived
    for unit in sorted(scenario["units"], key=lambda u: u["unit_id"]):
        u = unit_of(scenario, unit)
        credit = allocate(u, as_of)
        outstanding = not_due = claimable = barred_fee = expired_amount = Decimal(0)
        aging = {name: Decimal(0) for name, _low, _high in BUCKETS}
        oldest, expiries, statuses = None, [], []
        freezing = [p for p in u.plans if p.get("late_fee") == "freeze" and not plan_behind(p, u, as_of)]
        for c in u.charges:
            end, interrupted = chain(c, u, as_of + timedelta(days=1))  # events dated on or before A
            expired = c.due < as_of and end < as_of
            if rule is not None:
                frozen = min((p["date"] for p in freezing if any(src is p for src in interrupted)), default=None)
                fee = late_fee(c, rule, as_of, frozen)
                if expired:
                    barred_fee += fee
                else:
                    claimable += fee
            if c.unpaid > 0 and c.due < as_of:
                outstanding += c.unpaid
                oldest = c.due if oldest is None else min(oldest, c.due)
                days = (as_of - c.due).days
                aging[next(n for n, low, high in BUCKETS if days >= low and (high is None or days <= high))] += c.unpaid
                expiries.append(end)
                statuses.append("expired" if expired else "warning" if (end - as_of).days <= WARN_DAYS else "ok")
                if expired:
                    expired_amount += c.unpaid
            elif c.unpaid > 0:
                not_due += c.unpaid
            if date(as_of.year, 1, 1) <= c.due <= as_of:
                year[0] += sum((Fraction(str(p[0])) for p in c.pieces if p[2]), Fraction(0))
                year[1] += Fraction(str(c.amount)) - sum((Fraction(str(p[0])) for p in c.pieces if not p[2]), Fraction(0))
        unit_late = max(Decimal(0), claimable - u.late_fee_waived - u.late_fee_paid) if rule is not None else Decimal(0)
        status = next((s for s in ("expired", "warning", "ok") if s in statuses), None)
        latest = max(enumerate(u.plans), key=lambda ip: (ip[1]["date"], ip[0]))[1] if u.plans else None
        if "dunning" in scenario["policy"]:
            rows_extra = {"stage": stage(scenario["policy"]["dunning"], u.contacts, oldest, as_of),
                          "plan": plan_status(latest, u, as_of) if latest else None}
        else:
            rows_extra = {}
        rows.append(rows_extra | {
            "unit": unit["unit_id"], "outstanding": money(outstanding), "not_due": money(not_due), "credit": money(credit),
            "late_fee": money(unit_late), "late_fee_barred": money(barred_fee),
            "oldest_due": oldest.isoformat() if oldest else None, "days_overdue": (as_of - oldest).days if oldest else None,
            "aging": {k: money(v) for k, v in aging.items()},
            "limitation": {"earliest_expiry": min(expiries).isoformat() if expiries else None, "status": status,
                           "expired_amount": money(expired_amount)},
        })
        totals["charged"] += sum((c.amount for c in u.charges), Decimal(0))
        totals["paid"] += u.paid
        totals["waived"] += u.waived
        totals["outstanding"] += outstanding
        totals["not_due"] += not_due
        totals["credit"] += credit
        totals["late_fee"] += unit_late
        totals["late_fee_barred"] += barred_fee
        totals["units_in_arrears"] += 1 if outstanding > 0 else 0
    shown = {k: (money(v) if isinstance(v, Decimal) else v) for k, v in totals.items()}
    shown["collection_rate"] = None if year[1] == 0 else str(exact_cents(year[0] / year[1], 4))
    return {"as_of": as_of.isoformat(), "totals": shown, "units": rows}
