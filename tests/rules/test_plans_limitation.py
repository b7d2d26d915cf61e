"""Rules 9 and 10 of the ledger spec: installment plans and the limitation period (诉讼时效)."""
from __future__ import annotations

import pytest

from tests.community import Community

# -- rule 9: plans -----------------------------------------------------------------


def planned(tmp_path) -> Community:
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.unit("1-1-102", billing_start="2025-01-01")
    c.charge("1-1-101", "旧欠", "2000.00", "2025-06-15")
    c.plan("1-1-101", "2026-04-01", [("2026-05-01", "1000.00"), ("2026-06-01", "1000.00")])
    return c


def plan_status(c: Community, as_of: str):
    return c.unit_report("1-1-101", as_of)["plan"]


def test_plan_is_on_track_until_an_installment_due_before_as_of_is_unpaid(tmp_path):
    c = planned(tmp_path)
    assert plan_status(c, "2026-03-31") is None  # not signed yet
    assert plan_status(c, "2026-04-01") == "on_track"  # signed today, nothing due before today
    assert plan_status(c, "2026-05-01") == "on_track"  # 05-01 is not before 05-01
    assert plan_status(c, "2026-05-02") == "behind"  # 0 paid < 1000 due before 05-02


def test_payments_before_signing_or_by_another_unit_do_not_count_for_the_plan(tmp_path):
    c = planned(tmp_path)
    c.payment("1-1-101", "2026-03-31", "1500.00")  # the day before signing
    c.payment("1-1-102", "2026-04-15", "1500.00")  # another unit
    assert plan_status(c, "2026-05-02") == "behind"


def test_a_payment_on_the_signing_day_counts(tmp_path):
    c = planned(tmp_path)
    c.payment("1-1-101", "2026-04-01", "1000.00")
    assert plan_status(c, "2026-06-01") == "on_track"  # 1000 paid >= 1000 due before 06-01
    assert plan_status(c, "2026-06-02") == "behind"  # 1000 < 2000 due before 06-02
    c.payment("1-1-101", "2026-06-05", "999.99")
    assert plan_status(c, "2026-06-05") == "behind"  # 1999.99 < 2000.00
    c.payment("1-1-101", "2026-06-05", "0.01")
    assert plan_status(c, "2026-06-05") == "completed"


def test_paying_the_whole_plan_early_completes_it(tmp_path):
    c = planned(tmp_path)
    c.payment("1-1-101", "2026-04-10", "2000.00")
    assert plan_status(c, "2026-04-10") == "completed"
    assert plan_status(c, "2026-04-09") == "on_track"


def test_the_latest_signed_plan_is_the_units_plan(tmp_path):
    c = planned(tmp_path)
    c.plan("1-1-101", "2026-07-01", [("2026-08-01", "500.00")])
    assert plan_status(c, "2026-06-30") == "behind"  # only the first plan is signed; nothing paid
    assert plan_status(c, "2026-07-01") == "on_track"  # the new plan: nothing due before 07-01
    assert plan_status(c, "2026-08-02") == "behind"


# -- rule 10: limitation ------------------------------------------------------------


def debt(tmp_path, due="2023-01-15", limitation=None) -> Community:
    c = Community(tmp_path, fees=[], limitation=limitation)
    c.unit("1-1-101", billing_start="2020-01-01")
    c.charge("1-1-101", "物业费", "1000.00", due)
    return c


def limitation(c: Community, as_of: str) -> dict:
    """The spec's three keys of the unit's limitation."""
    row = c.unit_report("1-1-101", as_of)["limitation"]
    return {key: row[key] for key in ("earliest_expiry", "status", "expired_amount")}


def test_limitation_runs_three_years_from_the_due_date(tmp_path):
    c = debt(tmp_path)
    # 2023-01-15 + 3 years = 2026-01-15; warn_days default 180
    assert limitation(c, "2025-07-18") == {"earliest_expiry": "2026-01-15", "status": "ok", "expired_amount": "0.00"}
    # 2025-07-19 -> 2026-01-15 = 12 + 31 + 30 + 31 + 30 + 31 + 15 = 180 days = warn_days: warning
    assert limitation(c, "2025-07-19")["status"] == "warning"
    assert limitation(c, "2026-01-15") == {"earliest_expiry": "2026-01-15", "status": "warning", "expired_amount": "0.00"}
    assert limitation(c, "2026-01-16") == {"earliest_expiry": "2026-01-15", "status": "expired", "expired_amount": "1000.00"}


def test_limitation_years_and_warn_days_come_from_the_policy(tmp_path):
    c = debt(tmp_path, limitation={"years": 2, "warn_days": 30})
    # 2023-01-15 + 2 years = 2025-01-15; 2024-12-16 -> 2025-01-15 = 30 days
    assert limitation(c, "2024-12-15")["status"] == "ok"
    assert limitation(c, "2024-12-16") == {"earliest_expiry": "2025-01-15", "status": "warning", "expired_amount": "0.00"}


def test_no_overdue_charge_means_null_limitation(tmp_path):
    c = debt(tmp_path)
    assert limitation(c, "2023-01-15") == {"earliest_expiry": None, "status": None, "expired_amount": "0.00"}


@pytest.mark.parametrize("outcome", ["reached", "promised", "refused", "disputed", "delivered"])
def test_a_contact_with_evidence_restarts_the_clock(tmp_path, outcome):
    c = debt(tmp_path)
    extra = {"promise": {"date": "2024-07-01"}} if outcome == "promised" else {}
    c.contact("1-1-101", "2024-06-01", "phone", outcome, evidence="录音 20240601.m4a", **extra)
    assert limitation(c, "2026-06-01")["earliest_expiry"] == "2027-06-01"  # 2024-06-01 + 3 years


@pytest.mark.parametrize(("outcome", "evidence"), [
    ("reached", None), ("reached", "   "),  # no proof
    ("no_answer", "通话记录截图"), ("returned", "EMS 1234"), ("unreachable", "记录"), ("paid", "收据"),
])
def test_contacts_without_evidence_or_without_reaching_the_owner_do_not_restart_the_clock(tmp_path, outcome, evidence):
    c = debt(tmp_path)
    c.contact("1-1-101", "2024-06-01", "phone", outcome, evidence=evidence)
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2026-01-15", "status": "expired", "expired_amount": "1000.00"}


def test_a_contact_on_or_before_the_due_date_does_not_restart_that_charges_clock(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2023-01-15", "visit", "reached", evidence="签收单")
    assert limitation(c, "2025-01-01")["earliest_expiry"] == "2026-01-15"


def test_a_contact_dated_after_as_of_does_not_count_yet(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2025-12-01", "visit", "reached", evidence="签收单")
    assert limitation(c, "2025-11-30")["earliest_expiry"] == "2026-01-15"
    assert limitation(c, "2025-12-01")["earliest_expiry"] == "2028-12-01"


def test_signing_a_plan_restarts_the_clock(tmp_path):
    c = debt(tmp_path)
    c.plan("1-1-101", "2024-03-10", [("2024-04-10", "1000.00")])
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2027-03-10", "status": "ok", "expired_amount": "0.00"}


def test_a_partial_payment_restarts_only_the_clock_of_the_charge_it_settled(tmp_path):
    c = debt(tmp_path)
    c.charge("1-1-101", "物业费", "1000.00", "2023-06-15")
    c.payment("1-1-101", "2024-02-01", "500.00")  # settles half of the charge due 2023-01-15
    states = c.state("1-1-101", "2025-06-01").charges
    assert [s.limitation.expiry.isoformat() for s in states] == ["2027-02-01", "2026-06-15"]
    # The unit: earliest expiry is the untouched charge's
    assert limitation(c, "2026-06-16") == {"earliest_expiry": "2026-06-15", "status": "expired", "expired_amount": "1000.00"}


def test_29_february_plus_three_years_is_28_february(tmp_path):
    c = debt(tmp_path, due="2024-02-29")
    assert limitation(c, "2027-02-28") == {"earliest_expiry": "2027-02-28", "status": "warning", "expired_amount": "0.00"}
    assert limitation(c, "2027-03-01")["status"] == "expired"


def test_a_contact_on_29_february_expires_on_28_february(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2024-02-29", "visit", "refused", evidence="录音")
    assert limitation(c, "2025-01-01")["earliest_expiry"] == "2027-02-28"


def test_unit_status_is_the_worst_and_expired_amount_only_counts_expired_charges(tmp_path):
    c = debt(tmp_path, due="2022-01-15")  # expires 2025-01-15
    c.charge("1-1-101", "物业费", "300.00", "2023-03-15")  # expires 2026-03-15: warning at 2026-01-01
    c.charge("1-1-101", "物业费", "200.00", "2025-03-15")  # expires 2028-03-15: ok
    c.payment("1-1-101", "2025-01-01", "400.00")  # on the oldest: 600.00 left, its clock restarts at 2025-01-01
    # oldest: 2025-01-01 + 3 = 2028-01-01 -> ok; so the worst is the 2023 charge: warning
    assert limitation(c, "2026-01-01") == {"earliest_expiry": "2026-03-15", "status": "warning", "expired_amount": "0.00"}
    # 2026-03-16: the 2023 charge (300.00) is expired
    assert limitation(c, "2026-03-16") == {"earliest_expiry": "2026-03-15", "status": "expired", "expired_amount": "300.00"}


# -- v2: a demand after the period ran out revives nothing (民法典第一百九十五条); only covers: all does ----------


def test_a_demand_after_the_period_ran_out_does_not_restart_it(tmp_path):
    c = debt(tmp_path)  # due 2023-01-15: runs out after 2026-01-15
    c.contact("1-1-101", "2026-03-01", "registered_mail", "delivered", evidence="EMS 1100")
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2026-01-15", "status": "expired", "expired_amount": "1000.00"}


def test_a_demand_on_the_last_day_of_the_period_still_interrupts_it(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2026-01-15", "visit", "refused", evidence="录音")
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2029-01-15", "status": "ok", "expired_amount": "0.00"}


def test_a_demand_the_day_after_the_last_day_is_too_late(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2026-01-16", "visit", "refused", evidence="录音")
    assert limitation(c, "2026-06-01")["status"] == "expired"


def test_later_demands_do_not_revive_a_charge_that_expired_before_them(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2026-02-01", "visit", "reached", evidence="录音 1")
    c.contact("1-1-101", "2026-05-01", "visit", "disputed", evidence="录音 2")
    assert limitation(c, "2026-06-01")["expired_amount"] == "1000.00"


@pytest.mark.parametrize("how", ["promise", "plan", "payment"])
def test_an_in_time_acknowledgment_or_a_payment_after_expiry_revives_nothing(tmp_path, how):
    c = debt(tmp_path)  # expired after 2026-01-15
    if how == "promise":  # covers defaults to in_time: the owner agreed to pay what is still in time
        c.contact("1-1-101", "2026-03-01", "phone", "promised", evidence="录音", promise={"date": "2026-04-01", "amount": "100.00"})
    elif how == "plan":
        c.plan("1-1-101", "2026-03-01", [("2026-04-01", "1000.00")])
    else:  # 100.00 settles part of the barred charge: no partial performance of a running claim
        c.payment("1-1-101", "2026-03-01", "100.00")
    expected = "900.00" if how == "payment" else "1000.00"
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2026-01-15", "status": "expired", "expired_amount": expected}


@pytest.mark.parametrize("how", ["promise", "plan"])
def test_an_acknowledgment_of_everything_revives_a_barred_charge(tmp_path, how):
    c = debt(tmp_path)
    if how == "promise":  # 诉讼时效规定第十九条: the owner agreed to pay the barred charge too
        c.contact("1-1-101", "2026-03-01", "phone", "promised", evidence="录音：业主认可全部欠款", promise={"date": "2026-04-01"}, covers="all")
    else:
        c.plan("1-1-101", "2026-03-01", [("2026-04-01", "1000.00")], covers="all")
    # 2026-03-01 + 3 years
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2029-03-01", "status": "ok", "expired_amount": "0.00"}


def test_a_promise_of_everything_without_evidence_interrupts_nothing(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2026-03-01", "phone", "promised", promise={"date": "2026-04-01"}, covers="all")
    assert limitation(c, "2026-06-01")["status"] == "expired"


def test_a_payment_in_time_restarts_only_its_own_charge(tmp_path):
    c = debt(tmp_path, due="2022-01-15")  # runs out after 2025-01-15
    c.charge("1-1-101", "物业费", "300.00", "2022-06-15")  # runs out after 2025-06-15
    c.payment("1-1-101", "2025-01-10", "100.00")  # in time for the oldest: it settles 100.00 of it
    states = c.state("1-1-101", "2026-06-01").charges
    assert [(s.limitation.expiry.isoformat(), s.limitation.status) for s in states] == [("2028-01-10", "ok"), ("2025-06-15", "expired")]
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2025-06-15", "status": "expired", "expired_amount": "300.00"}


def test_a_letter_interrupts_on_the_day_it_arrived_when_that_is_recorded(tmp_path):
    c = debt(tmp_path)  # due 2023-01-15: runs out after 2026-01-15
    c.contact("1-1-101", "2025-06-01", "registered_mail", "delivered", evidence="EMS 1100", tracking="EE123456789CN",
              delivered_on="2025-06-05")
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2028-06-05", "status": "ok", "expired_amount": "0.00"}


def test_a_letter_sent_in_time_that_arrived_after_the_period_ran_out_is_too_late(tmp_path):
    c = debt(tmp_path)  # the last day is 2026-01-15; sent on it, delivered three days later
    c.contact("1-1-101", "2026-01-15", "registered_mail", "delivered", evidence="EMS 1101", delivered_on="2026-01-18")
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2026-01-15", "status": "expired", "expired_amount": "1000.00"}
    c2 = debt(tmp_path / "b")  # the same letter without a recorded delivery counts on its day: the data says no more
    c2.contact("1-1-101", "2026-01-15", "registered_mail", "delivered", evidence="EMS 1101")
    assert limitation(c2, "2026-06-01")["status"] == "ok"


def test_a_visit_with_a_delivery_day_still_counts_on_its_own_day(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2026-01-15", "visit", "refused", evidence="录音", delivered_on="2026-01-20")
    assert limitation(c, "2026-06-01") == {"earliest_expiry": "2029-01-15", "status": "ok", "expired_amount": "0.00"}
