"""The dashboard's fast aggregates (views/dashboard.py) give exactly what the straightforward ones give.

``monthly_rates_at`` adds each charge and each piece once, where it starts counting, and sums the month
ends of a year up; ``period_speeds`` adds up pieces only for the periods shown, each piece once for all
three windows. The references below are the plain versions (every charge re-checked at every month end,
every window re-summed), kept here as the definition the fast code must match, value and Decimal
exponent alike (compared through ``repr``), on a hand-counted community, the demo and a synthetic one.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from generator import pipeline
from generator.core.dates import month_end, month_index
from generator.core.money import ZERO, round_places
from generator.rules.aging import BUCKET_NAMES
from generator.rules.billing import KIND_FEE
from generator.rules.engine import compute
from generator.rules.stats import collection_rate
from generator.views.dashboard import (
    NO_STAGE,
    Dashboard,
    MonthRate,
    PeriodSpeed,
    _group,
    _in_dunning_order,
    charge_statuses,
    collectors,
    dashboard,
    monthly_rates,
    monthly_rates_at,
    period_speeds,
)
from tests.community import Community, fee
from tests.support import DEMO_AS_OF, PROJECT, synthetic_ledger

D = Decimal


# -- the references: plain, one month end and one window at a time ------------------------------------------

def reference_monthly_rates_at(desk, ends):
    rates = []
    for end in ends:
        rows = []
        for state in desk.units:
            for c in state.charges:
                if c.charge.due.year == end.year and c.charge.due <= end and c.charge.issued <= end:
                    paid = sum((p.amount for p in c.pieces if p.settled <= end and p.by_payment), ZERO)
                    waived = sum((p.amount for p in c.pieces if p.settled <= end and not p.by_payment), ZERO)
                    rows.append((c.charge.amount, paid, waived))
        rates.append(collection_rate(rows))
    return rates


def reference_monthly_rates(desk, months=24):
    last = month_index(desk.as_of)
    ends = [min(month_end(index), desk.as_of) for index in range(last - months + 1, last + 1)]
    return tuple(MonthRate(f"{end.year}-{end.month:02d}", rate) for end, rate in zip(ends, reference_monthly_rates_at(desk, ends)))


def reference_period_speeds(desk, limit=12):
    groups = defaultdict(list)
    for state in desk.units:
        for c in state.charges:
            if c.charge.kind == KIND_FEE and c.charge.due < desk.as_of:
                groups[(c.charge.item, c.charge.period)].append(c)
    per_fee = defaultdict(list)
    for (fee_name, period), charges in groups.items():
        per_fee[fee_name].append((min(c.charge.due for c in charges), period, charges))
    fee_order = {f.name: i for i, f in enumerate(desk.policy.fees)}
    speeds = []
    for fee_name in sorted(per_fee, key=lambda f: (fee_order.get(f, len(fee_order)), f)):
        for due, period, charges in sorted(per_fee[fee_name])[-limit:]:
            amount = sum((c.charge.amount - c.waived for c in charges), ZERO)
            shares = []
            for days in (30, 90, 180):
                if any(c.charge.due + timedelta(days=days) > desk.as_of for c in charges) or amount == 0:
                    shares.append(None)
                    continue
                paid = sum((p.amount for c in charges for p in c.pieces
                            if p.by_payment and p.settled <= c.charge.due + timedelta(days=days)), ZERO)
                shares.append(round_places(Fraction(paid) / Fraction(amount), 4))
            prorated = sum(1 for c in charges if c.charge.due > due)
            speeds.append(PeriodSpeed(fee_name, period, due, len(charges), prorated, amount, tuple(shares)))
    return tuple(speeds)


def reference_dashboard(desk):
    arrears = [s for s in desk.units if s.in_arrears]
    return Dashboard(
        aging={name: sum((s.aging[name] for s in arrears), ZERO) for name in BUCKET_NAMES},
        monthly_rates=reference_monthly_rates(desk),
        by_building=_group(arrears, lambda s: s.unit.building),
        by_type=_group(arrears, lambda s: s.unit.type),
        by_stage=_in_dunning_order(_group(arrears, lambda s: s.stage.name if s.stage else NO_STAGE), desk),
        by_reason=tuple(sorted(Counter(r for s in arrears for r in s.reasons).items(), key=lambda kv: (-kv[1], kv[0]))),
        limitation_warnings=sum(1 for s in arrears if "warning" in charge_statuses(s)),
        limitation_expired=sum(1 for s in arrears if "expired" in charge_statuses(s)),
        barred_units=sum(1 for s in desk.units if s.limitation.expired_amount > 0 or s.late_fee_barred > 0),
        expired_amount=sum((s.limitation.expired_amount for s in desk.units), ZERO),
        speeds=reference_period_speeds(desk),
        collectors=collectors(desk),
    )


def assert_same(fast, reference):
    assert fast == reference
    assert repr(fast) == repr(reference)  # the same Decimal exponents too (1.0 == 1.00, but prints apart)


# -- a community counted by hand --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quarterly(tmp_path_factory):
    """Three units, a quarterly fee of 600.00 (100 m² x 2.00 x 3) issued on the quarter's first day, due on the 15th.

    A pays 700.00 on 02-20: Q1 settled that day, 100.00 waits and settles Q2 on its issue day 04-01.
    B: 50.00 of Q1 waived on 01-10, 550.00 paid on 05-01. C moves in on 02-01: Q1 prorated to 400.00,
    issued and due 02-01; 100.00 paid 03-01; a card fee of 20.00 due 02-10 but issued only 03-05.
    D is billed no fee before the as-of day: a parking fee of 60.00 issued 03-20, due 04-10, paid 03-25.
    """
    c = Community(tmp_path_factory.mktemp("quarterly"), fees=[fee(cycle=3)])
    c.unit("A", billing_start="2026-01-01")
    c.unit("B", billing_start="2026-01-01")
    c.unit("C", billing_start="2026-02-01")
    c.unit("D", billing_start="2026-07-01")
    c.payment("A", "2026-02-20", "700.00")
    c.waiver("B", "2026-01-10", "50.00")
    c.payment("B", "2026-05-01", "550.00")
    c.payment("C", "2026-03-01", "100.00")
    c.charge("C", "门禁卡工本费", "20.00", "2026-02-10", issued="2026-03-05")
    c.charge("D", "车位管理费", "60.00", "2026-04-10", issued="2026-03-20")
    c.payment("D", "2026-03-25", "60.00")
    return c.desk("2026-06-20")


def test_a_month_end_counts_bills_issued_and_due_by_then_with_what_was_settled_by_then(quarterly):
    rates = {r.month: r.rate for r in monthly_rates(quarterly)}
    assert len(rates) == 24 and all(rates[m] is None for m in rates if m < "2026-01")  # nothing due before 2026
    # 01-31: A and B's Q1 (1200), nothing paid yet (A pays 02-20), B's 50 waived: 0 / 1150
    assert rates["2026-01"] == D("0.0000")
    # 02-28: + C's prorated Q1 (1600); A's 600 paid on 02-20: 600 / 1550 = 0.38709..
    assert rates["2026-02"] == D("0.3871")
    # 03-31: + the card fee issued 03-05 (1620), not counted at 02-28 though due 02-10; C's 100: 700 / 1570 = 0.44585..
    # (D's 60 paid 03-25 is not counted: its bill is due only 04-10)
    assert rates["2026-03"] == D("0.4459")
    # 04-30: + three Q2 bills and D's parking (3480); A's waiting 100 settled Q2 on 04-01, D's 60: 860 / 3430 = 0.25072..
    assert rates["2026-04"] == D("0.2507")
    # 05-31 and as-of day 06-20: + B's 550 on 05-01: 1410 / 3430 = 0.41107..
    assert (rates["2026-05"], rates["2026-06"]) == (D("0.4111"), D("0.4111"))
    assert_same(monthly_rates(quarterly), reference_monthly_rates(quarterly))


def test_month_ends_given_out_of_order_get_the_rate_of_each_end(quarterly):
    ends = [date(2026, 4, 30), date(2026, 1, 31), date(2025, 12, 31), date(2026, 3, 31), date(2026, 1, 31)]
    assert monthly_rates_at(quarterly, ends) == [D("0.2507"), D("0.0000"), None, D("0.4459"), D("0.0000")]
    assert repr(monthly_rates_at(quarterly, ends)) == repr(reference_monthly_rates_at(quarterly, ends))
    assert monthly_rates_at(quarterly, []) == []


def test_a_prorated_bill_counts_from_its_own_due_day_in_the_period_speeds(quarterly):
    q1, q2 = period_speeds(quarterly)
    # Q1: A 600 + B 600 - 50 waived + C's prorated 400 = 1550; C's bill falls due 02-01, later than 01-15.
    # within 30 days of each bill's own due: only C's 100 (03-01, 28 days after 02-01): 100 / 1550 = 0.06451..
    # within 90: + A's 600 (02-20, 36 days): 700 / 1550 = 0.45161..; B's 550 came 106 days after 01-15.
    # 180 days after C's 02-01 is 07-31, after the as-of day: not yet that old.
    assert q1 == PeriodSpeed("物业服务费", "2026-01~2026-03", date(2026, 1, 15), 3, 1, D("1550.00"), (D("0.0645"), D("0.4516"), None))
    # Q2: 1800, A's 100 settled on 04-01, before the due day: within 30 days; 90 days after 04-15 is still to come
    assert q2 == PeriodSpeed("物业服务费", "2026-04~2026-06", date(2026, 4, 15), 3, 0, D("1800.00"), (D("0.0556"), None, None))
    assert period_speeds(quarterly, limit=1) == (q2,)
    assert_same(period_speeds(quarterly), reference_period_speeds(quarterly))


# -- the demo community and a synthetic one ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_desk():
    if not (PROJECT / "owners").is_dir() or not any((PROJECT / "owners").glob("*.yaml")):
        pytest.skip("demo community not present")
    checked = pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    assert not checked.errors, [p.render() for p in checked.errors]
    return pipeline.desk_for(checked, DEMO_AS_OF)


@pytest.fixture(scope="module")
def synthetic_desk(tmp_path_factory):
    return compute(synthetic_ledger(tmp_path_factory.mktemp("synth"), units=60, years=3), DEMO_AS_OF)


@pytest.mark.parametrize("which", ["demo_desk", "synthetic_desk"])
def test_the_dashboard_equals_the_plain_computation(which, request):
    desk = request.getfixturevalue(which)
    board = dashboard(desk)
    assert any(r.rate is not None for r in board.monthly_rates) and board.speeds  # there is something to compare
    assert_same(board, reference_dashboard(desk))


@pytest.mark.parametrize("which", ["demo_desk", "synthetic_desk"])
def test_other_month_counts_and_period_limits_equal_the_plain_computation(which, request):
    desk = request.getfixturevalue(which)
    for months in (1, 13, 36):
        assert_same(monthly_rates(desk, months), reference_monthly_rates(desk, months))
    for limit in (0, 1, 5, 100):  # 0: [-0:] is every period, as it always was
        assert_same(period_speeds(desk, limit), reference_period_speeds(desk, limit))
