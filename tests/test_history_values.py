"""Single values of a history (FORMATS.md section 1, "Values"): every accepted form, every
rejected one, and what the rejection says."""

from __future__ import annotations

from datetime import date

import pytest

from jsscheck.history.values import (
    ValueProblem,
    parse_bool,
    parse_date,
    parse_earnings,
    parse_money,
    parse_paid_periods,
    parse_private_feedback,
    parse_public_feedback,
    parse_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-08-21", date(2026, 8, 21)),
        ("2026-8-1", date(2026, 8, 1)),
        ("2026/08/21", date(2026, 8, 21)),
        ("08/21/2026", date(2026, 8, 21)),
        ("8/1/2026", date(2026, 8, 1)),
        ("Aug 21, 2026", date(2026, 8, 21)),
        ("aug 21 2026", date(2026, 8, 21)),
        ("21 Aug 2026", date(2026, 8, 21)),
        ("August 21, 2026", date(2026, 8, 21)),
        ("21 August 2026", date(2026, 8, 21)),
        ("Sept 3, 2026", date(2026, 9, 3)),
        ("2020-01-08T00:00:00.000Z", date(2020, 1, 8)),
        ("2020-01-08T23:59:59+05:00", date(2020, 1, 8)),
        ("2020-01-08 10:00", date(2020, 1, 8)),
        ("  2026-08-21  ", date(2026, 8, 21)),
    ],
)
def test_every_documented_date_form_is_read(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_dayfirst_reads_day_before_month() -> None:
    assert parse_date("03/04/2026", dayfirst=True) == date(2026, 4, 3)
    assert parse_date("03/04/2026") == date(2026, 3, 4)
    assert parse_date("2026-04-03", dayfirst=True) == date(2026, 4, 3)


def test_impossible_date_names_the_last_day_of_that_month() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_date("2026-02-30")
    assert caught.value.problem == "not a date"
    assert caught.value.fix == "use YYYY-MM-DD, e.g. 2026-02-28"


def test_day_first_looking_date_without_dayfirst_asks_for_dayfirst() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_date("13/01/2026")
    assert caught.value.problem == "not an MM/DD/YYYY date"
    assert "--dayfirst" in (caught.value.fix or "")
    assert "2026-01-13" in (caught.value.fix or "")


def test_month_first_looking_date_with_dayfirst_asks_to_drop_it() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_date("01/13/2026", dayfirst=True)
    assert caught.value.problem == "not a DD/MM/YYYY date"
    assert "drop --dayfirst" in (caught.value.fix or "")


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-13-01", "21.08.2026", "08/21/26", "Foo 1, 2026"]
)
def test_unreadable_dates_are_problems(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_date(text)


def test_a_cached_date_failure_is_raised_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueProblem):
            parse_date("2026-02-31")


@pytest.mark.parametrize("text", ["", "  ", "null", "NA", "n/a", "N/A", "-"])
def test_empty_markers_are_empty_for_every_kind_of_value(text: str) -> None:
    assert parse_date(text) is None
    assert parse_money(text) is None
    assert parse_text(text) is None
    assert parse_public_feedback(text) is None
    assert parse_private_feedback(text) is None
    assert parse_paid_periods(text) is None
    assert parse_bool(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("$1,234.50", 1234.5),
        ("1,234.50", 1234.5),
        ("USD 1234.50", 1234.5),
        ("1234.50 USD", 1234.5),
        ("US$ 12", 12.0),
        ("(12.00)", -12.0),
        ("-$12.00", -12.0),
        ("$-12.00", -12.0),
        ("1,234,567", 1234567.0),
        (".5", 0.5),
        ("0", 0.0),
        (1234, 1234.0),
        (12.5, 12.5),
    ],
)
def test_money_forms(text: object, expected: float) -> None:
    assert parse_money(text) == expected


def test_decimal_comma_is_not_guessed_and_the_fix_shows_the_dot_form() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_money("1234,50")
    assert caught.value.fix == "write the amount with a decimal point: 1234.50"
    with pytest.raises(ValueProblem):
        parse_money("1.234,50")


@pytest.mark.parametrize("text", ["€12", "12 EUR", "abc", "12.3.4", "1e5", "nan", "1_000"])
def test_non_amounts_are_problems(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_money(text)


def test_negative_earnings_are_rejected_but_zero_is_fine() -> None:
    assert parse_earnings("0") == 0.0
    with pytest.raises(ValueProblem) as caught:
        parse_earnings("(12.00)")
    assert caught.value.problem == "must be 0 or more"


def test_native_booleans_are_not_amounts() -> None:
    with pytest.raises(ValueProblem):
        parse_money(True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True), ("TRUE", True), ("yes", True), ("Y", True), ("1", True), ("x", True),
        ("X", True), ("false", False), ("No", False), ("n", False), ("0", False),
        (True, True), (False, False), (1, True), (0, False), ("", None), (None, None),
    ],
)  # fmt: skip
def test_booleans(raw: object, expected: bool | None) -> None:
    assert parse_bool(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", 2, "on"])
def test_other_booleans_are_problems(raw: object) -> None:
    with pytest.raises(ValueProblem):
        parse_bool(raw)


def test_public_feedback_is_1_to_5() -> None:
    assert parse_public_feedback("1") == 1.0
    assert parse_public_feedback("4.75") == 4.75
    assert parse_public_feedback(5) == 5.0
    for bad in ("0", "5.01", "6", "five", True):
        with pytest.raises(ValueProblem):
            parse_public_feedback(bad)


def test_private_feedback_is_a_whole_number_0_to_10() -> None:
    assert parse_private_feedback("0") == 0
    assert parse_private_feedback("10") == 10
    assert parse_private_feedback(9.0) == 9
    assert parse_private_feedback("9.0") == 9
    for bad in ("10.5", "11", "-1", 10.5, "nine"):
        with pytest.raises(ValueProblem) as caught:
            parse_private_feedback(bad)
        assert caught.value.problem.startswith("not an integer 0–10")


def test_paid_periods_is_a_whole_number_from_0() -> None:
    assert parse_paid_periods("0") == 0
    assert parse_paid_periods(3) == 3
    for bad in ("-1", "1.5"):
        with pytest.raises(ValueProblem):
            parse_paid_periods(bad)


def test_text_is_stripped_and_native_numbers_become_digits() -> None:
    assert parse_text("  Acme Ltd ") == "Acme Ltd"
    assert parse_text(12345678) == "12345678"
    assert parse_text(12.0) == "12"
    with pytest.raises(ValueProblem):
        parse_text(True)
