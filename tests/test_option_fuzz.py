"""Options at the edge of the calendar and of the number line (issue 20, item 5).

A bad option value is the user's to fix: exit 2 with a message saying what is allowed, never
exit 70 ("a bug") from an overflow deep in the engine. The property test at the end feeds
arbitrary values to every command and accepts only the documented exit codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Invocation, invoke_in_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsscheck.analyses.forecast import horizon_end
from jsscheck.errors import UsageError
from jsscheck.model.rules import coerce_param, load_rules_file, preset, with_overrides

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "history.csv"
TWO_63 = str(2**63)
ADD = "earnings=500,public=5,client=Acme"


def usage_error(result: Invocation, *words: str) -> None:
    """Exit 2, no traceback, and a message naming what is allowed."""
    assert result.code == 2, (result.code, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["score", SAMPLE, "--as-of", "0001-03-01"], "between 1900-01-01 and 9000-12-31"),
        (["explain", SAMPLE, "--since", "0001-01-01"], "between 1900-01-01 and 9000-12-31"),
        (["timeline", SAMPLE, "--from", "0001-01-01"], "between 1900-01-01 and 9000-12-31"),
        (["forecast", SAMPLE, "--until", "9999-12-31"], "between 1900-01-01 and 9000-12-31"),
        (["score", SAMPLE, "--private-until", "0001-01-01"], "between 1900-01-01"),
        (["forecast", SAMPLE, "--horizon", "10000y"], "at most 100 years"),
        (["forecast", SAMPLE, "--horizon", "9" * 5000 + "d"], "at most 100 years"),
        (["forecast", SAMPLE, "--horizon", "101y"], "at most 100 years"),
        (["score", SAMPLE, "--long-term-days", TWO_63], "0 to 100,000"),
        (["score", SAMPLE, "--feedback-grace-days", TWO_63], "0 to 100,000"),
        (["score", SAMPLE, "--min-clients", "9" * 400], "0 to 100,000"),
        (["whatif", SAMPLE, "--add-contract", f"{ADD},days=1e9"], "between 0 and 36,500"),
        (["whatif", SAMPLE, "--add-contract", f"{ADD},days={TWO_63}"], "between 0 and 36,500"),
        (
            ["whatif", SAMPLE, "--add-contract", f"{ADD},days=30,on=0001-01-01"],
            "between 1900-01-01",
        ),
        (["whatif", SAMPLE, "--set", "33418207,paid_periods=1e20"], "between 0 and 40,000"),
        (["whatif", SAMPLE, "--set", "33418207,end_date=0001-01-01"], "between 1900-01-01"),
        (
            ["whatif", SAMPLE, "--add-contract", "earnings=1e309,public=5,client=A,days=3"],
            "must be a number",
        ),
        (
            ["whatif", SAMPLE, "--add-contract", "earnings=1e300,public=5,client=A,days=3"],
            "between 0 and 1,000,000,000,000",
        ),
        (["score", SAMPLE, "--weight-cap", "nan"], "finite number ≥ 1, or none"),
        (["score", SAMPLE, "--weight-cap", "inf"], "finite number ≥ 1, or none"),
        (["score", SAMPLE, "--public-success", "nan"], "finite number"),
        (["goal", SAMPLE, "--earnings", "inf"], "0 to 1,000,000,000,000"),
        (["goal", SAMPLE, "--earnings", "1e300"], "0 to 1,000,000,000,000"),
        (["goal", SAMPLE, "--pace", TWO_63], "1 to 3,650"),
    ],
)
def test_an_option_out_of_range_is_a_usage_error_saying_what_is_allowed(
    args: list[object], allowed: str
) -> None:
    usage_error(invoke_in_process(*args), allowed)


def test_snapshot_ids_beyond_64_bits_are_unknown_ids_not_overflows() -> None:
    assert invoke_in_process("snapshot", SAMPLE, "--as-of", "2026-11-21").code == 0
    for args in (["show", TWO_63], ["diff", TWO_63, "1"], ["forget", "9" * 30], ["show", "-1"]):
        result = invoke_in_process("snapshots", *args)
        assert result.code == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_an_observation_dated_year_1_is_a_located_usage_error(tmp_path: Path) -> None:
    observed = tmp_path / "observed.csv"
    observed.write_text("date,jss\n2026-11-01,90\n0001-01-01,90\n", encoding="utf-8")
    result = invoke_in_process("calibrate", SAMPLE, "--observed", observed)
    usage_error(result, f"{observed}:3", "0001-01-01", "between 1900-01-01 and 9000-12-31")


def test_observation_csv_problems_say_how_to_fix_them(tmp_path: Path) -> None:
    observed = tmp_path / "observed.csv"
    observed.write_text("date,jss\n2026-11-01\n2026-11-02,high\n", encoding="utf-8")
    result = invoke_in_process("calibrate", SAMPLE, "--observed", observed)
    assert result.code == 65
    lines = [line for line in result.stderr.splitlines() if "observed.csv:" in line]
    assert len(lines) == 2
    assert all(" — " in line and "2026-11-21,84" in line for line in lines), lines


def test_a_5000_deep_rules_file_is_a_usage_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("weight_cap = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    usage_error(invoke_in_process("score", SAMPLE, "--rules-file", deep), "nested too deeply")
    deep.write_text("x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", encoding="utf-8")
    usage_error(invoke_in_process("score", SAMPLE, "--rules-file", deep), "deep.toml")


def test_rules_and_rules_file_together_are_refused(tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text('extends = "upwork"\nmin_clients = 3\n', encoding="utf-8")
    result = invoke_in_process("score", SAMPLE, "--rules", "fair", "--rules-file", rules)
    usage_error(result, "--rules and --rules-file", "give one of them")
    # Each alone is fine.
    assert invoke_in_process("score", SAMPLE, "--rules-file", rules).code == 0
    assert invoke_in_process("score", SAMPLE, "--rules", "fair").code == 0


def test_weight_cap_none_in_a_rules_file_is_never_silently_replaced(tmp_path: Path) -> None:
    # legacy has count weighting and no cap; asking for tiers while saying "no cap" is a
    # contradiction, which used to become weight_cap = 8 without a word.
    rules = tmp_path / "tiers.toml"
    rules.write_text(
        'extends = "legacy"\nweighting = "tiers"\nweight_cap = "none"\n', encoding="utf-8"
    )
    with pytest.raises(UsageError, match="tiers needs a weight_cap"):
        load_rules_file(rules)
    # Naming tiers alone still fills in the usual cap of 8.
    rules.write_text('extends = "legacy"\nweighting = "tiers"\n', encoding="utf-8")
    assert load_rules_file(rules).weight_cap == 8.0


def test_coercion_refuses_non_finite_and_huge_values() -> None:
    for value in ("nan", "inf", "-inf", float("nan"), "1e999"):
        with pytest.raises(UsageError, match="finite"):
            coerce_param("weight_cap", value)
    with pytest.raises(UsageError, match="0 to 100,000"):
        coerce_param("min_clients", 2**63)
    assert coerce_param("min_clients", 100_000) == 100_000
    uncapped = with_overrides(preset("upwork"), {"weight_cap": "none", "weighting": "count"})
    assert uncapped.weight_cap is None


def test_horizon_end_bounds() -> None:
    from datetime import date

    # 100 years from 2026-11-21 is 2126-11-21: allowed; one day past 100 years' worth is not.
    assert horizon_end(date(2026, 11, 21), "100y") == date(2126, 11, 21)
    # 2026-11-21 + 36,524 days (100 years with 24 leap days: 2100 is not one) = 2126-11-21;
    # 76 more: 9 to Nov 30, 31 of December, 31 of January, 5 of February = 2127-02-05.
    assert horizon_end(date(2026, 11, 21), "36600d") == date(2127, 2, 5)
    with pytest.raises(UsageError, match="too long"):
        horizon_end(date(2026, 11, 21), "36601d")
    with pytest.raises(UsageError, match="runs past 9999-12-31"):
        horizon_end(date(9950, 1, 1), "50y")  # 9950 + 50 = 10000
    with pytest.raises(UsageError, match="not a length"):
        horizon_end(date(2026, 11, 21), "٣d")  # an Arabic-Indic digit is not a horizon


# --------------------------------------------------------------------------- property test

#: Exit codes CLI.md documents for a run that is not a bug (70) and not interrupted (130).
ACCEPTED = {0, 1, 2, 65, 66, 73, 74, 75}

_dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(["0001-01-01", "0001-03-01", "9999-12-31", "1899-12-31", "2026-02-29"]),
    st.text(max_size=12),
)
_numbers = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from([TWO_63, "9" * 30, "-1", "0", "1e20", "nan", "inf", "-0", "1_000"]),
    st.text(max_size=8),
)
_horizons = st.one_of(
    st.builds(lambda n, u: f"{n}{u}", st.integers(0, 10**12), st.sampled_from("dwmyDq")),
    st.text(max_size=8),
)
_edit_keys = st.sampled_from(
    ["earnings", "public", "private", "days", "on", "paid_periods", "end_date", "start_date"]
)
_edit_value = st.one_of(_dates, _numbers)
_edits = st.builds(
    lambda kind, key, value: (kind, key, value),
    st.sampled_from(["--add-contract", "--set", "--close-contract"]),
    _edit_keys,
    _edit_value,
)


def _edit_spec(kind: str, key: str, value: str) -> str:
    value = value.replace(",", ";")
    if kind == "--add-contract":
        base = {"earnings": "500", "client": "Acme", "days": "30"}
        base[key if key in ("earnings", "public", "private", "days", "on") else "days"] = value
        return ",".join(f"{k}={v}" for k, v in base.items())
    contract = "38520917" if kind == "--close-contract" else "33418207"
    return f"{contract},{key}={value}"


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """One command with one or two arbitrary option values."""
    as_of = ["--as-of", draw(_dates)] if draw(st.booleans()) else []
    choice = draw(
        st.sampled_from(
            ["score", "explain", "whatif", "forecast", "goal", "timeline", "snapshots", "rules"]
        )
    )
    history = [str(SAMPLE)]
    if choice == "score":
        flag = draw(st.sampled_from(["--weight-cap", "--min-clients", "--long-term-days"]))
        return ["score", *history, *as_of, flag, draw(_numbers)]
    if choice == "explain":
        return ["explain", *history, *as_of, "--since", draw(_dates)]
    if choice == "whatif":
        kind, key, value = draw(_edits)
        return ["whatif", *history, *as_of, kind, _edit_spec(kind, key, value)]
    if choice == "forecast":
        if draw(st.booleans()):
            return ["forecast", *history, *as_of, "--horizon", draw(_horizons)]
        return ["forecast", *history, *as_of, "--until", draw(_dates)]
    if choice == "goal":
        flag = draw(st.sampled_from(["--earnings", "--target", "--pace", "--max-new", "--stars"]))
        return ["goal", *history, *as_of, flag, draw(_numbers)]
    if choice == "timeline":
        flag = draw(st.sampled_from(["--from", "--to", "--every"]))
        value = draw(_numbers if flag == "--every" else _dates)
        return ["timeline", *history, *as_of, flag, value, "--format", "json"]
    if choice == "snapshots":
        sub = draw(st.sampled_from(["show", "forget"]))
        return ["snapshots", sub, draw(_numbers)]
    return ["rules", "show", draw(st.text(max_size=10))]


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(command_lines())
def test_arbitrary_option_values_never_exit_70(args: list[str]) -> None:
    # Values starting with "-" would read as options: passed as --flag=value they stay values.
    joined: list[str] = []
    for word in args:
        if joined and joined[-1].startswith("--") and word.startswith("-") and len(word) > 1:
            joined[-1] = f"{joined[-1]}={word}"
        else:
            joined.append(word)
    result = invoke_in_process(*joined)
    assert result.code in ACCEPTED, (joined, result.code, result.stderr[-500:])
    assert "Traceback" not in result.stderr
