"""Rules 7 and 8 of the ledger spec: aging buckets and the dunning stage."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.community import Community, fixture_value, stage

AS_OF = date(2026, 11, 22)
ZERO_AGING = {"1-30": "0.00", "31-90": "0.00", "91-180": "0.00", "181-365": "0.00",
              "366-730": "0.00", "731-1095": "0.00", "1096+": "0.00"}


@pytest.mark.parametrize(("days", "bucket"), [
    (1, "1-30"), (30, "1-30"), (31, "31-90"), (90, "31-90"), (91, "91-180"), (180, "91-180"),
    (181, "181-365"), (365, "181-365"), (366, "366-730"), (730, "366-730"),
    (731, "731-1095"), (1095, "731-1095"), (1096, "1096+"), (4000, "1096+"),
])
def test_aging_bucket_boundaries(tmp_path, days, bucket):
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2010-01-01")
    c.charge("1-1-101", "物业费", "123.45", AS_OF - timedelta(days=days))
    row = c.unit_report("1-1-101", AS_OF)
    assert row["days_overdue"] == days
    assert row["aging"] == {**ZERO_AGING, bucket: "123.45"}


def test_aging_sums_unpaid_principal_per_bucket_and_skips_charges_not_overdue(tmp_path):
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2010-01-01")
    for days, amount in [(0, "1000.00"), (10, "1.00"), (30, "2.00"), (31, "4.00"), (400, "8.00")]:
        c.charge("1-1-101", f"{days}天", amount, AS_OF - timedelta(days=days))
    c.payment("1-1-101", "2026-01-01", "3.00")  # settles 3.00 of the 400-day charge (the oldest)
    row = c.unit_report("1-1-101", AS_OF)
    # due today (0 days) is not overdue: it is not_due, not in any bucket
    assert row["aging"] == {**ZERO_AGING, "1-30": "3.00", "31-90": "4.00", "366-730": "5.00"}
    assert (row["outstanding"], row["not_due"]) == ("12.00", "1000.00")  # 1 + 2 + 4 + (8 - 3)


LADDER = fixture_value("dunning")  # reminder 1, call 15, notice 30 (waits 7), lawyer 90 after 2 notices, legal 180
D0 = date(2026, 1, 15)


def ladder(tmp_path) -> Community:
    c = Community(tmp_path, fees=[], dunning=LADDER)
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "物业费", "500.00", D0)
    return c


def stage_after(c: Community, days: int):
    return c.unit_report("1-1-101", D0 + timedelta(days=days))["stage"]


@pytest.mark.parametrize(("days", "expected"), [
    (0, None),  # not overdue on the due day
    (1, "reminder"), (14, "reminder"), (15, "call"), (29, "call"), (30, "notice"), (500, "notice"),
])
def test_stage_follows_days_since_the_oldest_unpaid_due_date(tmp_path, days, expected):
    assert stage_after(ladder(tmp_path), days) == expected


def test_stage_is_null_before_the_first_stages_after_days(tmp_path):
    c = Community(tmp_path, fees=[], dunning=[stage("reminder", 5, ["sms"])])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "物业费", "500.00", D0)
    assert c.unit_report("1-1-101", D0 + timedelta(days=4))["stage"] is None
    assert c.unit_report("1-1-101", D0 + timedelta(days=5))["stage"] == "reminder"


def test_lawyer_needs_two_notices_that_arrived(tmp_path):
    c = ladder(tmp_path)
    c.contact("1-1-101", "2026-02-20", "letter", "delivered")
    assert stage_after(c, 100) == "notice"  # one notice of the two required
    c.contact("1-1-101", "2026-03-20", "registered_mail", "returned")
    assert stage_after(c, 100) == "notice"  # returned does not fulfil
    c.contact("1-1-101", "2026-03-21", "registered_mail", "unreachable")
    assert stage_after(c, 100) == "notice"  # unreachable does not fulfil
    c.contact("1-1-101", "2026-03-22", "phone", "reached")
    assert stage_after(c, 100) == "notice"  # a phone call is not one of the notice stage's channels
    c.contact("1-1-101", "2026-03-23", "registered_mail", "no_answer")
    assert stage_after(c, 89) == "notice"  # two notices now, but after_days 90 not reached
    assert stage_after(c, 90) == "lawyer"  # 2026-04-15: two fulfilling notices, 90 days


def test_contacts_on_the_oldest_due_date_or_after_as_of_do_not_count(tmp_path):
    c = ladder(tmp_path)
    c.contact("1-1-101", D0, "letter", "delivered")  # on D0, not after it
    c.contact("1-1-101", "2026-02-01", "letter", "delivered")
    c.contact("1-1-101", "2026-05-01", "letter", "delivered")  # after the as_of day below
    assert stage_after(c, 100) == "notice"  # 2026-04-25: only 02-01 counts
    assert c.unit_report("1-1-101", "2026-05-01")["stage"] == "lawyer"  # 02-01 and 05-01


def test_legal_needs_a_lawyer_letter_and_stays_at_lawyer_without_one(tmp_path):
    c = ladder(tmp_path)
    c.contact("1-1-101", "2026-02-01", "letter", "delivered")
    c.contact("1-1-101", "2026-03-01", "letter", "delivered")
    assert stage_after(c, 200) == "lawyer"  # legal's requires {lawyer: 1} not met
    c.contact("1-1-101", "2026-05-01", "lawyer_letter", "delivered")
    assert stage_after(c, 179) == "lawyer"
    assert stage_after(c, 180) == "legal"


def test_requires_are_counted_whatever_the_stage_reached(tmp_path):
    # A later stage qualifies on its own requires even if an earlier stage's do not hold:
    # the stage is the LAST qualifying stage in policy order.
    c = Community(tmp_path, fees=[], dunning=[
        stage("reminder", 1, ["sms"]),
        stage("strict", 10, ["visit"], requires={"reminder": 3}),
        stage("late", 20, ["letter"]),
    ])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "物业费", "500.00", D0)
    assert stage_after(c, 15) == "reminder"
    assert stage_after(c, 20) == "late"


def test_oldest_due_moves_when_the_oldest_charge_is_paid_and_earlier_contacts_stop_counting(tmp_path):
    c = ladder(tmp_path)
    c.charge("1-1-101", "物业费", "500.00", "2026-03-15")
    c.contact("1-1-101", "2026-02-01", "letter", "delivered")  # after the first D0 only
    c.contact("1-1-101", "2026-04-01", "letter", "delivered")
    assert c.unit_report("1-1-101", "2026-06-15")["stage"] == "lawyer"  # D0 01-15: 151 days, 2 notices
    c.payment("1-1-101", "2026-06-01", "500.00")  # settles the charge due 01-15
    row = c.unit_report("1-1-101", "2026-06-15")
    # D0 is now 03-15: 92 days, but only the 04-01 notice is after it
    assert (row["oldest_due"], row["days_overdue"], row["stage"]) == ("2026-03-15", 92, "notice")


def test_no_overdue_charge_means_no_stage(tmp_path):
    c = ladder(tmp_path)
    c.payment("1-1-101", "2026-01-10", "500.00")
    row = c.unit_report("1-1-101", "2026-12-31")
    assert (row["stage"], row["oldest_due"], row["days_overdue"]) == (None, None, None)
