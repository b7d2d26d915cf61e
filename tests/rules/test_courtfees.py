"""诉讼费用交纳办法 第十三条、第十四条、第十六条 and the small-claims limit, computed by hand around every bracket edge."""
from __future__ import annotations

from decimal import Decimal

import pytest

from generator.core.model import Court
from generator.rules.courtfees import (
    case_fee,
    fees_for,
    payment_order_fee,
    simple_procedure_fee,
    small_claims_limit,
)

D = Decimal

# amount claimed -> 财产案件受理费, worked out by hand from the brackets (cumulative):
# fee at 10,000 = 50; 100,000 = 50 + 90,000 x 2.5% = 2,300; 200,000 = 2,300 + 100,000 x 2% = 4,300;
# 500,000 = 4,300 + 300,000 x 1.5% = 8,800; 1,000,000 = 8,800 + 500,000 x 1% = 13,800;
# 2,000,000 = 13,800 + 1,000,000 x 0.9% = 22,800; 5,000,000 = 22,800 + 3,000,000 x 0.8% = 46,800;
# 10,000,000 = 46,800 + 5,000,000 x 0.7% = 81,800; 20,000,000 = 81,800 + 10,000,000 x 0.6% = 141,800.
CASE_FEES = [
    ("0.01", "50.00"),
    ("3456.78", "50.00"),
    ("9999.99", "50.00"),
    ("10000.00", "50.00"),
    ("10000.01", "50.00"),  # 50 + 0.01 x 2.5% = 50.00025
    ("10001.00", "50.03"),  # 50 + 1 x 2.5% = 50.025, half-up
    ("12345.67", "108.64"),  # 50 + 2,345.67 x 2.5% = 108.64175
    ("99999.00", "2299.98"),  # 2,300 - 1 x 2.5% = 2,299.975
    ("100000.00", "2300.00"),
    ("100001.00", "2300.02"),  # 2,300 + 1 x 2% = 2,300.02
    ("199999.00", "4299.98"),
    ("200000.00", "4300.00"),
    ("200001.00", "4300.02"),  # 4,300 + 1 x 1.5% = 4,300.015
    ("499999.00", "8799.99"),  # 8,800 - 0.015 = 8,799.985
    ("500000.00", "8800.00"),
    ("500001.00", "8800.01"),  # 8,800 + 1 x 1% = 8,800.01
    ("999999.00", "13799.99"),
    ("1000000.00", "13800.00"),
    ("1000001.00", "13800.01"),  # 13,800 + 0.009
    ("1999999.00", "22799.99"),  # 22,800 - 0.009 = 22,799.991
    ("2000000.00", "22800.00"),
    ("2000001.00", "22800.01"),  # + 0.008
    ("4999999.00", "46799.99"),
    ("5000000.00", "46800.00"),
    ("5000001.00", "46800.01"),  # + 0.007
    ("9999999.00", "81799.99"),
    ("10000000.00", "81800.00"),
    ("10000001.00", "81800.01"),  # + 0.006
    ("19999999.00", "141799.99"),  # 141,800 - 0.006 = 141,799.994
    ("20000000.00", "141800.00"),
    ("20000001.00", "141800.01"),  # + 0.005, half-up
    ("30000000.00", "191800.00"),  # 141,800 + 10,000,000 x 0.5%
]


@pytest.mark.parametrize("amount, fee", CASE_FEES)
def test_property_case_fee_is_cumulative_by_bracket(amount, fee):
    assert case_fee(D(amount)) == D(fee)


@pytest.mark.parametrize("amount, fee", [
    ("3456.78", "16.67"),  # 50 / 3 = 16.666...
    ("10000.00", "16.67"),
    ("10001.00", "16.68"),  # 50.025 / 3 = 16.675
    ("12345.67", "36.21"),  # 108.64175 / 3 = 36.2139...
    ("100000.00", "766.67"),  # 2,300 / 3
    ("200000.00", "1433.33"),  # 4,300 / 3
    ("1000000.00", "4600.00"),  # 13,800 / 3
])
def test_payment_order_fee_is_a_third_of_the_case_fee(amount, fee):
    assert payment_order_fee(D(amount)) == D(fee)


@pytest.mark.parametrize("amount, fee", [
    ("3456.78", "25.00"),
    ("10001.00", "25.01"),  # 50.025 / 2 = 25.0125
    ("99999.00", "1149.99"),  # 2,299.975 / 2 = 1,149.9875
    ("100000.00", "1150.00"),
    ("200001.00", "2150.01"),  # 4,300.015 / 2 = 2,150.0075
])
def test_simple_procedure_fee_is_half_the_case_fee(amount, fee):
    assert simple_procedure_fee(D(amount)) == D(fee)


def test_nothing_claimed_costs_nothing():
    assert case_fee(D("0.00")) == payment_order_fee(D("0.00")) == simple_procedure_fee(D("0.00")) == D("0.00")


def test_small_claims_limit_is_half_the_average_wage_and_its_edge_is_included():
    court = Court(name="某某区人民法院", average_wage=D("98765.00"), wage_year=2025)
    assert small_claims_limit(court) == D("49382.50")
    at_limit = fees_for(D("49382.50"), court)
    assert at_limit.small_claim is True
    assert at_limit.wage_year == 2025
    assert fees_for(D("49382.51"), court).small_claim is False


def test_without_an_average_wage_the_small_claims_verdict_is_unknown():
    for court in (None, Court(name="某某区人民法院")):
        quote = fees_for(D("3456.78"), court)
        assert quote.small_claims_limit is None
        assert quote.small_claim is None
        assert quote.wage_year is None
        assert (quote.case_fee, quote.payment_order_fee, quote.simple_fee) == (D("50.00"), D("16.67"), D("25.00"))
