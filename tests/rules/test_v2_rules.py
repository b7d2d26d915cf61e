"""The v2 rules of the ledger spec, each with hand-computed numbers.

Who may claim (creditor, authorisations, party), which contacts interrupt
(purpose, evidence, a letter returned from a confirmed address), what an
acknowledgment revives (covers), assignment notices, the 20-year cap, the
order in which a payment settles charges (民法典第五百六十条), late-fee
payments, the barred late fee and plans that freeze the late fee.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.community import Community, stage

RATE = {"daily_rate": "0.0003"}
COMPANY = {"name": "测试物业服务有限公司"}


def debt(tmp_path, due="2022-01-15", amount="1000.00", **policy) -> Community:
    """One unit owing one charge (a one-off charge: no fee bills get in the way)."""
    c = Community(tmp_path, fees=[], **policy)
    c.unit("1-1-101", billing_start="2020-01-01")
    c.charge("1-1-101", "物业费", amount, due)
    return c


def row(c: Community, as_of: str) -> dict:
    return c.unit_report("1-1-101", as_of)


def expiry(c: Community, as_of: str, index: int = 0) -> tuple[str, str]:
    limit = c.state("1-1-101", as_of).charges[index].limitation
    return limit.expiry.isoformat(), limit.status


def unpaid(c: Community, as_of: str) -> list[str]:
    return [str(s.unpaid) for s in c.state("1-1-101", as_of).charges]


# -- rule 10: who may demand ----------------------------------------------------------------------


def test_a_demand_by_the_issuer_counts_for_itself_when_there_is_no_creditor(tmp_path):
    c = debt(tmp_path)  # expires 2025-01-15
    c.contact("1-1-101", "2024-12-01", "phone", "reached", evidence="录音")
    assert expiry(c, "2025-06-01") == ("2027-12-01", "ok")


def test_a_creditor_with_the_issuers_name_is_the_issuer(tmp_path):
    c = debt(tmp_path, creditor={"name": "测试花园业主委员会"})
    c.contact("1-1-101", "2024-12-01", "phone", "reached", evidence="录音")
    assert expiry(c, "2025-06-01") == ("2027-12-01", "ok")


def test_the_issuers_demand_without_the_creditors_authority_does_not_interrupt(tmp_path):
    c = debt(tmp_path, creditor=COMPANY, authorisations=[{"from": "2025-01-01", "until": "2025-06-30", "document": "授权书1"}])
    c.contact("1-1-101", "2024-12-01", "phone", "reached", evidence="录音")  # before the authorisation
    assert expiry(c, "2025-06-01") == ("2025-01-15", "expired")


def test_a_demand_by_the_creditors_own_staff_needs_no_authorisation(tmp_path):
    c = debt(tmp_path, creditor=COMPANY)
    c.contact("1-1-101", "2024-12-01", "phone", "reached", evidence="录音", party="creditor")
    assert expiry(c, "2025-06-01") == ("2027-12-01", "ok")


@pytest.mark.parametrize(("day", "counts"), [
    ("2024-12-31", False), ("2025-01-01", True), ("2025-01-10", True), ("2025-01-15", True), ("2025-01-16", False),
])
def test_an_authorisation_covers_its_first_and_last_day(tmp_path, day, counts):
    # authorised 2024-01-01 .. 2024-12-31 and from 2025-01-01 (open-ended); the charge runs out after 2025-01-15
    c = debt(tmp_path, creditor=COMPANY, authorisations=[
        {"from": "2025-01-10", "document": "授权书2"}, {"from": "2025-01-01", "until": "2025-01-15", "document": "授权书1"},
    ])
    c.contact("1-1-101", day, "visit", "refused", evidence="录音")
    # 2025-01-16 is covered by 授权书2, but the charge expired after 2025-01-15: too late either way
    expected = (day.replace("2024", "2027").replace("2025", "2028"), "ok") if counts else ("2025-01-15", "expired")
    assert expiry(c, "2025-06-01") == expected


def test_the_next_action_says_to_get_an_authorisation_and_no_letter_is_due(tmp_path):
    c = Community(tmp_path, fees=[], creditor=COMPANY,
                  authorisations=[{"from": "2025-01-01", "until": "2025-12-31", "document": "授权委托书 2025-1"}],
                  dunning=[stage("notice", 30, ["letter"], letter="notice")])
    c.unit("1-1-101", billing_start="2020-01-01")
    c.charge("1-1-101", "物业费", "1000.00", "2025-06-15")
    action = c.state("1-1-101", "2026-02-01").next_action
    assert action.kind == "authorise" and action.letter is None
    assert "授权委托书 2025-1" in action.why and "2025-12-31" in action.why
    assert c.state("1-1-101", "2025-12-31").next_action.kind == "do_stage"  # still authorised that day


# -- rule 10: which contacts interrupt ----------------------------------------------------------------


def test_a_service_visit_interrupts_nothing_even_with_evidence(tmp_path):
    c = debt(tmp_path, due="2023-01-15")  # expires 2026-01-15
    c.contact("1-1-101", "2025-06-01", "visit", "reached", evidence="维修照片", purpose="service", note="未谈物业费")
    assert expiry(c, "2026-06-01") == ("2026-01-15", "expired")


@pytest.mark.parametrize(("channel", "confirmed", "interrupts"), [
    ("registered_mail", "2024-01-01", True),   # sent to the confirmed address: counts as delivered
    ("letter", "2024-06-01", True),            # confirmed on the day it was sent
    ("lawyer_letter", "2024-01-01", True),
    ("registered_mail", "2024-06-02", False),  # confirmed only after it came back
    ("phone", "2024-01-01", False),            # only letters are served at an address
    ("registered_mail", None, False),          # no confirmed address
])
def test_a_letter_returned_from_a_confirmed_address_counts_as_a_demand(tmp_path, channel, confirmed, interrupts):
    c = Community(tmp_path, fees=[])
    address = {"address": "测试花园1幢101室", "confirmed": confirmed, "evidence": "送达地址确认书"} if confirmed else None
    c.unit("1-1-101", billing_start="2020-01-01", service_address=address)
    c.charge("1-1-101", "物业费", "1000.00", "2022-01-15")
    c.contact("1-1-101", "2024-06-01", channel, "returned", evidence="EMS 1234")
    assert expiry(c, "2025-06-01") == (("2027-06-01", "ok") if interrupts else ("2025-01-15", "expired"))


def test_a_returned_letter_without_evidence_counts_for_nothing(tmp_path):
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2020-01-01", service_address={"address": "1幢101室", "confirmed": "2023-01-01"})
    c.charge("1-1-101", "物业费", "1000.00", "2022-01-15")
    c.contact("1-1-101", "2024-06-01", "registered_mail", "returned")
    assert expiry(c, "2025-06-01") == ("2025-01-15", "expired")


def test_a_court_filing_on_record_interrupts_like_a_demand(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2024-11-01", "court", "delivered", evidence="（2024）测0101民初123号受理通知书")
    limit = c.state("1-1-101", "2025-06-01").charges[0].limitation
    assert (limit.expiry.isoformat(), limit.interruption.kind) == ("2027-11-01", "court")


# -- rule 10: what an acknowledgment revives ---------------------------------------------------------


def test_a_promise_covering_everything_revives_a_barred_charge_and_an_in_time_one_only_what_is_in_time(tmp_path):
    c = debt(tmp_path)  # 2022-01-15: expired after 2025-01-15
    c.charge("1-1-101", "物业费", "500.00", "2023-06-15")  # in time until 2026-06-15
    c.contact("1-1-101", "2025-03-01", "phone", "promised", evidence="录音", promise={"date": "2025-04-01"})
    assert [expiry(c, "2025-06-01", i) for i in (0, 1)] == [("2025-01-15", "expired"), ("2028-03-01", "ok")]
    c.contact("1-1-101", "2025-05-01", "phone", "promised", evidence="录音：认可全部欠款", promise={"date": "2025-06-01"}, covers="all")
    assert [expiry(c, "2025-06-01", i) for i in (0, 1)] == [("2028-05-01", "ok"), ("2028-05-01", "ok")]


def test_a_promise_made_in_a_service_visit_is_no_acknowledgment(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2025-03-01", "visit", "promised", evidence="录音", promise={"date": "2025-04-01"}, covers="all", purpose="service")
    assert expiry(c, "2025-06-01") == ("2025-01-15", "expired")


def test_a_plan_covering_everything_revives_and_covers_the_barred_charge(tmp_path):
    c = debt(tmp_path)
    c.plan("1-1-101", "2025-03-01", [("2025-04-01", "1000.00")], covers="all")
    state = c.state("1-1-101", "2025-06-01")
    limit = state.charges[0].limitation
    assert (limit.expiry.isoformat(), limit.status) == ("2028-03-01", "ok")
    assert limit.interrupted_by(state.plans[0])  # the plan covers the charge


def test_same_day_an_acknowledgment_of_everything_comes_first(tmp_path):
    # A plan (in time only) and a promise of everything on the same day: the promise revives the charge
    # first, so the plan finds it running and covers it too (rule 10: same day, covers: all first).
    c = debt(tmp_path)
    c.plan("1-1-101", "2025-03-01", [("2025-04-01", "1000.00")])
    c.contact("1-1-101", "2025-03-01", "phone", "promised", evidence="录音：认可全部欠款", promise={"date": "2025-04-01"}, covers="all")
    state = c.state("1-1-101", "2025-06-01")
    chain = state.charges[0].limitation.chain
    assert [e.kind for e in chain] == ["promise", "plan"] and state.charges[0].limitation.interrupted_by(state.plans[0])


def test_an_assignment_notice_in_time_interrupts_its_opening_item_only(tmp_path):
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2023-01-01", opening=[
        {"amount": "1200.00", "due": "2022-01-15", "period": "2021年下半年", "assignment_notified": "2024-12-01"},
        {"amount": "1200.00", "due": "2022-07-15", "period": "2022年上半年"},
        {"amount": "600.00", "due": "2021-07-15", "period": "2021年上半年", "assignment_notified": "2024-12-01"},  # too late
    ])
    state = c.state("1-1-101", "2025-08-01")
    got = [(s.charge.period, s.limitation.expiry.isoformat(), s.limitation.status) for s in state.charges]
    assert got == [
        ("2021年上半年", "2024-07-15", "expired"),  # ran out before the notice: not revived
        ("2021年下半年", "2027-12-01", "ok"),
        ("2022年上半年", "2025-07-15", "expired"),
    ]
    assert c.unit_report("1-1-101", "2025-08-01")["limitation"] == {"earliest_expiry": "2024-07-15", "status": "expired", "expired_amount": "1800.00"}


def test_no_interruption_carries_a_claim_past_twenty_years(tmp_path):
    c = debt(tmp_path, due="2005-06-15")
    # each promise covers everything, so each revives it: without the cap it would run to 2028-03-01
    c.contact("1-1-101", "2019-03-01", "phone", "promised", evidence="录音 1", promise={"date": "2019-04-01"}, covers="all")
    c.contact("1-1-101", "2022-02-01", "phone", "promised", evidence="录音 2", promise={"date": "2022-03-01"}, covers="all")
    c.contact("1-1-101", "2025-03-01", "phone", "promised", evidence="录音 3", promise={"date": "2025-04-01"}, covers="all")
    limit = c.state("1-1-101", "2025-06-01").charges[0].limitation
    assert (limit.expiry.isoformat(), limit.status, limit.capped) == ("2025-06-15", "warning", True)
    assert (c.state("1-1-101", "2025-06-16").charges[0].limitation.status) == "expired"
    assert row(c, "2025-06-16")["limitation"]["expired_amount"] == "1000.00"


def test_the_twenty_year_cap_leaves_a_younger_claim_alone(tmp_path):
    c = debt(tmp_path, due="2010-06-15")  # cap 2030-06-15
    c.contact("1-1-101", "2025-03-01", "phone", "promised", evidence="录音", promise={"date": "2025-04-01"}, covers="all")
    limit = c.state("1-1-101", "2025-06-01").charges[0].limitation
    assert (limit.expiry.isoformat(), limit.status, limit.capped) == ("2028-03-01", "ok", False)


# -- rule 4: the order a payment settles charges (民法典第五百六十条) ---------------------------------------


def three_charges(tmp_path) -> Community:
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "一月", "100.00", "2026-01-15")
    c.charge("1-1-101", "二月", "200.00", "2026-02-15")
    c.charge("1-1-101", "三月", "300.00", "2026-03-15")
    return c


def test_a_payment_settles_the_month_the_owner_named_first(tmp_path):
    c = three_charges(tmp_path)
    c.payment("1-1-101", "2026-04-01", "250.00", **{"for": ["2026-03"]})
    assert unpaid(c, "2026-04-01") == ["100.00", "200.00", "50.00"]
    c2 = three_charges(tmp_path / "b")
    c2.payment("1-1-101", "2026-04-01", "450.00", **{"for": ["2026-03", "2026-01"]})  # named months in charge order
    assert unpaid(c2, "2026-04-01") == ["0.00", "150.00", "0.00"]  # Jan 100, Mar 300, then Feb 50


def test_a_month_naming_no_existing_charge_designates_nothing(tmp_path):
    c = three_charges(tmp_path)
    c.payment("1-1-101", "2026-04-01", "250.00", **{"for": ["2026-12"]})
    assert unpaid(c, "2026-04-01") == ["0.00", "50.00", "300.00"]


def test_a_payment_for_the_opening_arrears_settles_them_first(tmp_path):
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2025-01-01", opening={"amount": "500.00", "due": "2024-06-15"})
    c.charge("1-1-101", "公摊水电", "100.00", "2024-03-15")  # older than the opening arrears
    c.payment("1-1-101", "2025-02-01", "300.00", **{"for": ["opening"]})
    assert unpaid(c, "2025-02-01") == ["100.00", "200.00"]
    c2 = Community(tmp_path / "b", fees=[])
    c2.unit("1-1-101", billing_start="2025-01-01", opening={"amount": "500.00", "due": "2024-06-15"})
    c2.charge("1-1-101", "公摊水电", "100.00", "2024-03-15")
    c2.payment("1-1-101", "2025-02-01", "300.00")  # without a designation: charge order
    assert unpaid(c2, "2025-02-01") == ["0.00", "300.00"]


def barred_and_in_time(tmp_path) -> Community:
    c = debt(tmp_path, due="2022-01-15")  # 1000.00, expired after 2025-01-15
    c.charge("1-1-101", "物业费", "300.00", "2024-06-15")  # in time
    c.charge("1-1-101", "公摊水电", "400.00", "2025-07-15", issued="2025-05-01")  # exists on 06-01, not yet due
    return c


def test_a_payment_settles_charges_in_time_before_barred_ones_and_not_yet_due_last(tmp_path):
    c = barred_and_in_time(tmp_path)
    c.payment("1-1-101", "2025-06-01", "1500.00")
    # in time 300, then barred 1000, then not yet due 200 of 400
    assert unpaid(c, "2025-08-01") == ["0.00", "0.00", "200.00"]
    c2 = barred_and_in_time(tmp_path / "b")
    c2.payment("1-1-101", "2025-06-01", "500.00")
    assert unpaid(c2, "2025-08-01") == ["800.00", "0.00", "400.00"]
    # paying towards a barred charge does not revive the rest of it (partial performance of a running claim only)
    assert row(c2, "2025-08-01")["limitation"] == {"earliest_expiry": "2025-01-15", "status": "expired", "expired_amount": "800.00"}


def test_a_payment_named_for_a_barred_charge_settles_it_and_revives_nothing(tmp_path):
    c = barred_and_in_time(tmp_path)
    c.payment("1-1-101", "2025-06-01", "660.00", **{"for": ["2022-01"]})
    assert unpaid(c, "2025-08-01") == ["340.00", "300.00", "400.00"]
    assert row(c, "2025-08-01")["limitation"]["expired_amount"] == "340.00"


def test_only_events_before_the_payment_day_decide_what_is_barred_on_it(tmp_path):
    # A promise of everything on the payment day revives the old charge, but only from the next day on for
    # allocation: that day's payment still goes to the in-time charge first.
    same_day = barred_and_in_time(tmp_path)
    same_day.contact("1-1-101", "2025-06-01", "phone", "promised", evidence="录音", promise={"date": "2025-06-01"}, covers="all")
    same_day.payment("1-1-101", "2025-06-01", "500.00")
    assert unpaid(same_day, "2025-08-01") == ["800.00", "0.00", "400.00"]
    day_before = barred_and_in_time(tmp_path / "b")
    day_before.contact("1-1-101", "2025-05-31", "phone", "promised", evidence="录音", promise={"date": "2025-06-01"}, covers="all")
    day_before.payment("1-1-101", "2025-06-01", "500.00")
    assert unpaid(day_before, "2025-08-01") == ["500.00", "300.00", "400.00"]
    # both revived the old charge (2025-05-31/06-01 + 3 years), and its piece is partial performance then
    assert expiry(same_day, "2025-08-01") == ("2028-06-01", "ok")
    assert expiry(day_before, "2025-08-01") == ("2028-06-01", "ok")


def test_a_waiver_settles_in_plain_charge_order_even_a_barred_charge(tmp_path):
    c = barred_and_in_time(tmp_path)
    c.waiver("1-1-101", "2025-06-01", "500.00")
    assert unpaid(c, "2025-08-01") == ["500.00", "300.00", "400.00"]


# -- rule 6: late-fee payments, the barred late fee, frozen plans ------------------------------------------


def late(tmp_path, due="2026-01-15", amount="1000.00") -> Community:
    c = Community(tmp_path, fees=[], late_fee=RATE)
    c.unit("1-1-101", billing_start="2020-01-01")
    c.charge("1-1-101", "物业费", amount, due)
    return c


def test_a_late_fee_payment_reduces_the_late_fee_and_settles_no_principal(tmp_path):
    c = late(tmp_path)
    # 2026-01-15 -> 2026-03-16 = 60 days: 1000 x 60 x 0.0003 = 18.00
    c.payment("1-1-101", "2026-03-16", "10.00", **{"for": ["late_fee"]})
    r = row(c, "2026-03-16")
    assert (r["outstanding"], r["late_fee"], r["credit"]) == ("1000.00", "8.00", "0.00")
    assert c.report("2026-03-16")["totals"]["paid"] == "10.00"


def test_what_a_late_fee_payment_pays_beyond_the_late_fee_is_not_credit(tmp_path):
    c = late(tmp_path)
    c.payment("1-1-101", "2026-03-16", "30.00", **{"for": ["late_fee"]})
    r = row(c, "2026-03-16")
    assert (r["outstanding"], r["late_fee"], r["credit"]) == ("1000.00", "0.00", "0.00")
    assert c.state("1-1-101", "2026-03-16").late_fee_overpaid == Decimal("12.00")


def test_the_late_fee_of_a_paid_charge_is_barred_three_years_after_its_last_event(tmp_path):
    c = late(tmp_path, due="2022-01-15")
    c.payment("1-1-101", "2022-03-16", "1000.00")  # 60 days late: 18.00; the payment restarts the clock: 2025-03-16
    assert (row(c, "2025-03-16")["late_fee"], row(c, "2025-03-16")["late_fee_barred"]) == ("18.00", "0.00")
    assert (row(c, "2025-03-17")["late_fee"], row(c, "2025-03-17")["late_fee_barred"]) == ("0.00", "18.00")
    totals = c.report("2025-03-17")["totals"]
    assert (totals["late_fee"], totals["late_fee_barred"]) == ("0.00", "18.00")
    c.contact("1-1-101", "2025-03-01", "visit", "reached", evidence="签收单")  # a demand in time keeps it claimable
    assert (row(c, "2025-03-17")["late_fee"], row(c, "2025-03-17")["late_fee_barred"]) == ("18.00", "0.00")


def test_waivers_and_late_fee_payments_reduce_only_the_late_fee_that_is_not_barred(tmp_path):
    c = late(tmp_path, due="2022-01-15")
    c.payment("1-1-101", "2022-03-16", "1000.00")  # 18.00, barred after 2025-03-16
    c.charge("1-1-101", "物业费", "1000.00", "2025-01-15")  # unpaid: 2025-01-15 -> 2025-04-15 = 90 days: 27.00
    c.waiver("1-1-101", "2025-04-01", "20.00", "late_fee")
    c.payment("1-1-101", "2025-04-01", "5.00", **{"for": ["late_fee"]})
    r = row(c, "2025-04-15")
    assert (r["late_fee"], r["late_fee_barred"]) == ("2.00", "18.00")  # 27.00 - 20.00 - 5.00; the 18.00 untouched


def frozen(tmp_path, *installment_payments) -> Community:
    c = late(tmp_path)  # 1000.00 due 2026-01-15
    c.plan("1-1-101", "2026-03-16", [("2026-04-15", "500.00"), ("2026-05-15", "500.00")], late_fee="freeze")
    for day, amount in installment_payments:
        c.payment("1-1-101", day, amount)
    return c


def test_a_kept_plan_with_freeze_stops_the_late_fee_at_its_signing(tmp_path):
    c = frozen(tmp_path)
    # on track on 04-15 (nothing due before it): the 1000.00 is late 60 days (to 03-16), not 90: 18.00, not 27.00
    assert row(c, "2026-04-15")["late_fee"] == "18.00"
    assert c.state("1-1-101", "2026-04-15").charges[0].late_fee_frozen.isoformat() == "2026-03-16"


def test_a_plan_behind_freezes_nothing(tmp_path):
    c = frozen(tmp_path)
    # 04-16: 0 paid < 500 due before: behind, so 91 days: 1000 x 91 x 0.0003 = 27.30
    assert row(c, "2026-04-16")["late_fee"] == "27.30"


def test_a_frozen_plan_caps_the_days_of_paid_pieces_too_while_it_is_kept(tmp_path):
    c = frozen(tmp_path, ("2026-04-15", "500.00"))
    # on track on 04-16: both halves late 60 days (to the signing): 1000 x 60 x 0.0003 = 18.00
    assert row(c, "2026-04-16")["late_fee"] == "18.00"
    # 05-20: 500 paid < 1000 due before: behind. 500 x 90 (to 04-15) + 500 x 125 (to 05-20) = 107500 x 0.0003 = 32.25
    assert row(c, "2026-05-20")["late_fee"] == "32.25"


def test_a_freeze_applies_only_to_the_charges_the_plan_covers(tmp_path):
    c = frozen(tmp_path)
    c.charge("1-1-101", "物业费", "100.00", "2026-03-20")  # due after signing: the plan does not cover it
    # 1000 x 60 x 0.0003 = 18.00; 100 x 26 (03-20 -> 04-15) x 0.0003 = 0.78
    assert row(c, "2026-04-15")["late_fee"] == "18.78"


# -- rule 8: only demands are dunning steps --------------------------------------------------------------


def test_a_service_visit_fulfils_no_dunning_stage(tmp_path):
    ladder = [stage("reminder", 1, ["sms"]), stage("call", 15, ["phone", "visit"]), stage("notice", 30, ["letter"], requires={"call": 1})]
    c = Community(tmp_path, fees=[], dunning=ladder)
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "物业费", "100.00", "2026-01-15")
    c.contact("1-1-101", "2026-02-01", "visit", "reached", evidence="维修照片", purpose="service")
    assert row(c, "2026-03-01")["stage"] == "call"
    c.contact("1-1-101", "2026-02-05", "visit", "reached", evidence="签收单")
    assert row(c, "2026-03-01")["stage"] == "notice"


# -- the JSON report --------------------------------------------------------------------------------------


def test_the_report_lists_each_charges_expiry_and_the_event_that_set_it(tmp_path):
    c = debt(tmp_path)
    c.contact("1-1-101", "2024-12-01", "phone", "reached", evidence="录音 20241201")
    [charge] = row(c, "2025-06-01")["charges"]
    assert charge == {
        "item": "物业费", "period": "", "due": "2022-01-15", "amount": "1000.00", "unpaid": "1000.00", "late_fee": "0.00",
        "expiry": "2027-12-01", "status": "ok", "capped": False,
        "set_by": {"date": "2024-12-01", "kind": "demand", "evidence": "录音 20241201"},
    }


# -- check -------------------------------------------------------------------------------------------------


def test_a_waiver_needs_the_creditors_consent_when_the_creditor_is_not_the_issuer(tmp_path):
    c = debt(tmp_path, creditor=COMPANY, authorisations=[{"from": "2020-01-01", "document": "授权书"}])
    c.waiver("1-1-101", "2025-01-01", "100.00")
    [problem] = c.checked("2025-06-01").errors
    assert "书面同意" in problem.message and "consent" in problem.hint and problem.pos.path == "ledger/entries.yaml"
    c.entries["ledger/entries.yaml"]["waivers"][0]["consent"] = "测试物业同意函 2025-01"
    assert not c.checked("2025-06-01").errors


def test_a_sensitive_tag_is_warned_about_with_a_neutral_suggestion(tmp_path):
    c = debt(tmp_path)
    c.units["1-1-101"]["tags"] = ["有小孩", "白天不在家"]
    [warning] = [w for w in c.checked("2025-06-01").warnings if w.pos.path.startswith("owners/")]
    assert "有小孩" in warning.message and "第二十八条" in warning.message and "白天不在家" in warning.hint
    assert warning.pos.line == 6  # the tags line


def test_a_payment_for_opening_arrears_a_unit_does_not_have_is_warned_about(tmp_path):
    c = debt(tmp_path)
    c.payment("1-1-101", "2025-01-01", "100.00", **{"for": ["opening"]})
    [warning] = [w for w in c.checked("2025-06-01").warnings if w.pos.path == "ledger/entries.yaml"]
    assert "没有期初欠费" in warning.message


@pytest.mark.parametrize(("value", "message"), [
    ("2026-13", "不是有效的月份"), ("2026-3", "不是有效的月份"), ("2026-03-01", "不是有效的月份"), ("lateFee", "不在可选范围内"), ("[]", "for 是空的"),
])
def test_a_bad_designation_is_refused_where_it_is_written(tmp_path, value, message):
    c = debt(tmp_path)
    (tmp_path / "ledger").mkdir(parents=True, exist_ok=True)
    c.write()
    (tmp_path / "ledger" / "p.yaml").write_text(
        f"payments:\n  - {{unit: 1-1-101, date: 2025-01-01, amount: \"100.00\", method: cash, for: {value}}}\n", encoding="utf-8")
    from datetime import date

    from generator import pipeline
    checked = pipeline.check(tmp_path, date(2025, 6, 1), date(2026, 11, 22), use_cache=False)
    [problem] = checked.errors
    assert message in problem.message and problem.pos.path == "ledger/p.yaml" and problem.pos.line == 2


def test_check_warns_at_a_late_fee_payment_that_pays_more_than_the_late_fee(tmp_path):
    c = late(tmp_path)  # 18.00 of late fee on 2026-03-16
    c.payment("1-1-101", "2026-03-16", "30.00", **{"for": ["late_fee"]})
    [warning] = [w for w in c.checked("2026-03-16").warnings if w.pos.path != "ledger/policy.yaml"]  # not the "no fees" one
    assert "多 12.00 元" in warning.message and "不算预存款" in warning.message
    assert (warning.pos.path, warning.pos.line) == ("ledger/entries.yaml", 2)
    c2 = late(tmp_path / "b")
    c2.payment("1-1-101", "2026-03-16", "18.00", **{"for": ["late_fee"]})
    assert [w.pos.path for w in c2.checked("2026-03-16").warnings] == ["ledger/policy.yaml"]


def test_when_everything_owed_is_barred_the_next_action_demands_nothing(tmp_path):
    c = Community(tmp_path, fees=[], dunning=[stage("notice", 30, ["letter"], letter="notice")])
    c.unit("1-1-101", billing_start="2020-01-01")
    c.charge("1-1-101", "物业费", "1000.00", "2022-01-15")  # barred after 2025-01-15
    assert c.state("1-1-101", "2025-01-15").next_action.kind == "do_stage"
    action = c.state("1-1-101", "2025-01-16").next_action
    assert (action.kind, action.date, action.letter) == ("barred", None, None)
    assert "1,000.00" in action.why and "第一百九十二条" in action.why
    c.charge("1-1-101", "物业费", "100.00", "2024-12-15")  # something in time again: the ladder goes on
    assert c.state("1-1-101", "2025-01-16").next_action.kind == "do_stage"


def test_partial_performance_is_dated_by_the_piece_that_settled_the_charge(tmp_path):
    # 150.00 paid 2021-01-01: 120.00 settles the 2021 bill, 30.00 waits and settles the repair charge on its issue
    # date 2021-04-01, a month after it fell due (rule 4): that piece is partial performance of 2021-04-01
    c = Community(tmp_path, fees=[{"id": "f", "basis": "unit", "rate": "10.00", "cycle": 12, "due_day": 1}],
                  late_fee={"daily_rate": "0.0005"})
    c.unit("A-1", billing_start="2021-01-01")
    c.payment("A-1", "2021-01-01", "150.00")
    c.charge("A-1", "维修", "300.00", "2021-03-01", issued="2021-04-01")
    r = c.unit_report("A-1", "2024-03-15")
    assert r["limitation"] == {"earliest_expiry": "2024-04-01", "status": "warning", "expired_amount": "0.00"}
    # late fee of the repair: 30 x 31 (03-01 -> 04-01) + 270 x 1110 (2021-03-01 -> 2024-03-15) = 930 + 299700
    # = 300630 x 0.0005 = 150.315 -> 150.32, not barred; the unpaid bills of 2022, 2023 and 2024 (120.00 each, due
    # 1 January): 120 x 804 x 0.0005 = 48.24, 120 x 439 x 0.0005 = 26.34, 120 x 74 x 0.0005 = 4.44; in all 229.34
    assert (r["late_fee"], r["late_fee_barred"]) == ("229.34", "0.00")
