"""The JSS Upwork shows, read from a saved profile response of its API (issue 17):
`snapshot --observed FILE` and `calibrate --observed FILE`, beside `--observed N`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import Invoke

from jsscheck.errors import InvalidInputError

HISTORY = """contract_id,client,title,start_date,end_date,earnings,public_feedback
c1,Acme,Logo,2026-01-05,2026-02-01,500,5
c2,Beta,API,2026-02-01,2026-03-01,800,5
c3,Gamma,Docs,2026-05-01,2026-06-01,300,2
"""


def profile(tmp_path: Path, score: object, name: str = "profile.json") -> Path:
    """A saved `freelancerProfileByProfileKey` response (as the browser's network tab or a
    GraphQL client saves it), with a UTF-8 BOM to be sure that does not matter."""
    body = {"data": {"freelancerProfileByProfileKey": {"aggregates": {"jobSuccessScore": score}}}}
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(body).encode())
    return path


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY)
    return path


def test_snapshot_records_the_score_of_a_saved_profile_response(
    invoke: Invoke, history: Path, tmp_path: Path
) -> None:
    saved = profile(tmp_path, 92)
    ran = invoke("snapshot", history, "--as-of", "2026-08-15", "--observed", saved, "-f", "json")
    assert ran.code == 0, ran.stderr
    assert json.loads(ran.stdout)["observed_jss"] == 92
    listed = invoke("snapshots", "list", "-f", "json")
    assert [s["observed_jss"] for s in json.loads(listed.stdout)["snapshots"]] == [92]


def test_a_float_score_that_is_whole_is_read_and_a_typed_number_still_works(
    invoke: Invoke, history: Path, tmp_path: Path
) -> None:
    saved = profile(tmp_path, 87.0)
    ran = invoke("snapshot", history, "--as-of", "2026-08-15", "--observed", saved, "-f", "json")
    assert json.loads(ran.stdout)["observed_jss"] == 87
    ran = invoke("snapshot", history, "--as-of", "2026-08-22", "--observed", "81", "-f", "json")
    assert json.loads(ran.stdout)["observed_jss"] == 81


@pytest.mark.parametrize("typed", ["101", "-1", "92.5", "nan"])
def test_a_typed_number_that_is_no_jss_is_a_usage_error(
    invoke: Invoke, history: Path, typed: str
) -> None:
    ran = invoke("snapshot", history, "--as-of", "2026-08-15", "--observed", typed)
    assert ran.code == 2
    assert "--observed: a JSS is a whole percentage from 0 to 100" in ran.stderr
    assert f"got '{typed}'" in ran.stderr
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize(
    ("score", "problem"),
    [
        (None, "the response holds no JSS"),
        (91.5, "jobSuccessScore is not a whole percentage"),
        (120, "jobSuccessScore is outside 0–100"),
        ("high", "jobSuccessScore is not a number"),
        (True, "jobSuccessScore is not a number"),
    ],
)
def test_a_response_without_a_usable_score_is_invalid_input_and_nothing_is_stored(
    invoke: Invoke, history: Path, tmp_path: Path, score: object, problem: str
) -> None:
    saved = profile(tmp_path, score)
    ran = invoke("snapshot", history, "--as-of", "2026-08-15", "--observed", saved)
    assert ran.code == 65
    assert str(saved) in ran.stderr and problem in ran.stderr
    assert "freelancerProfileByProfileKey" in ran.stderr  # how to fix it
    assert json.loads(invoke("snapshots", "list", "-f", "json").stdout)["snapshots"] == []


def test_a_missing_response_file_is_exit_66(invoke: Invoke, history: Path, tmp_path: Path) -> None:
    ran = invoke("snapshot", history, "--observed", tmp_path / "nowhere.json")
    assert ran.code == 66
    assert "nowhere.json" in ran.stderr


def test_a_file_that_is_not_json_names_itself(tmp_path: Path) -> None:
    from jsscheck.history.graphql import read_observed_jss

    bad = tmp_path / "profile.json"
    bad.write_text("{not json")
    with pytest.raises(InvalidInputError) as caught:
        read_observed_jss(str(bad))
    assert caught.value.exit_code == 65
    assert "not a JSON file" in str(caught.value.problems[0])


def test_calibrate_reads_a_profile_response_as_one_observation_dated_the_day_it_is_read(
    tmp_path: Path,
) -> None:
    from jsscheck.analyses.calibrate import read_observations

    saved = profile(tmp_path, 92)
    (only,) = read_observations(saved, today=date(2026, 11, 30))
    assert (only.day, only.jss, only.undated) == (date(2026, 11, 30), 92, True)
    rows = tmp_path / "observed.csv"
    rows.write_text("date,jss\n2026-06-01,84\n")
    (typed,) = read_observations(rows, today=date(2026, 11, 30))
    assert (typed.day, typed.jss, typed.undated) == (date(2026, 6, 1), 84, False)


def test_calibrate_with_a_profile_response_fits_it_and_says_which_day_it_counted(
    invoke: Invoke, history: Path, tmp_path: Path
) -> None:
    saved = profile(tmp_path, 92)
    ran = invoke("calibrate", history, "--observed", saved, "-f", "json")
    assert ran.code == 0, ran.stderr
    document = json.loads(ran.stdout)
    (observation,) = document["observations"]
    assert (observation["date"], observation["observed"]) == (date.today().isoformat(), 92)
    assert any("does not say on which day Upwork showed 92%" in w for w in document["warnings"])
    assert "does not say on which day" in ran.stderr


def test_calibrate_takes_the_jss_typed_as_a_number_as_todays(invoke: Invoke, history: Path) -> None:
    # `calibrate --observed 92`: what a freelancer reads off the profile, no file to make.
    ran = invoke("calibrate", history, "--observed", "92", "-f", "json")
    assert ran.code == 0, ran.stderr
    document = json.loads(ran.stdout)
    (observation,) = document["observations"]
    assert (observation["date"], observation["observed"]) == (date.today().isoformat(), 92)
    said = "--observed does not say on which day Upwork showed 92%"
    assert any(said in w for w in document["warnings"])
    assert "snapshot HISTORY --observed N" in ran.stderr
    bad = invoke("calibrate", history, "--observed", "92.5")
    assert bad.code == 2 and "a JSS is a whole percentage from 0 to 100" in bad.stderr


# ---------------------------------------------------------------- --include-agency everywhere

AGENCY_ITEMS = [
    # Two of the freelancer's own finished contracts with 5 stars, for two clients, and one
    # agency contract with 1 star. All three are $500 and about a month long, so under the
    # upwork preset they weigh the same. The agency one moves the score, so a command that
    # ignored --include-agency would print the same number either way.
    {"id": "1", "title": "Own logo", "clientId": "a", "startedOn": "2026-01-05T00:00:00.000Z",
     "endedOn": "2026-02-01T00:00:00.000Z", "totalCharges": {"amount": 500, "currencyCode": "USD"},
     "feedback": {"score": 5}},
    {"id": "2", "title": "Own API", "clientId": "b", "startedOn": "2026-02-01T00:00:00.000Z",
     "endedOn": "2026-03-01T00:00:00.000Z", "totalCharges": {"amount": 500, "currencyCode": "USD"},
     "feedback": {"score": 5}},
    {"id": "3", "title": "Agency site build", "clientId": "c", "agencyName": "Pixel Crew",
     "startedOn": "2026-03-01T00:00:00.000Z", "endedOn": "2026-04-01T00:00:00.000Z",
     "totalCharges": {"amount": 500, "currencyCode": "USD"}, "feedback": {"score": 1}},
]  # fmt: skip


@pytest.fixture
def work_history(tmp_path: Path) -> Path:
    path = tmp_path / "work_history.json"
    path.write_text(json.dumps([{"pageItems": AGENCY_ITEMS}]))
    return path


def test_score_leaves_agency_contracts_out_unless_include_agency(
    invoke: Invoke, work_history: Path
) -> None:
    # Own contracts only: 2 successes of equal weight, no negatives: 100%.
    # With the agency one: 2 successes and 1 negative of equal weight (same size, same
    # length): net formula 100 × (2 − 1) / 3 = 33.3 → 33%.
    common = (work_history, "--as-of", "2026-04-15", "-f", "json")
    alone = invoke("score", *common)
    assert alone.code == 0, alone.stderr
    assert json.loads(alone.stdout)["jss"] == 100
    assert "'Agency site build'" in alone.stderr and "--include-agency" in alone.stderr
    kept = invoke("score", *common, "--include-agency")
    assert kept.code == 0, kept.stderr
    assert json.loads(kept.stdout)["jss"] == 33
    assert "Agency site build" not in kept.stderr


AS_OF = ("--as-of", "2026-04-15")


@pytest.mark.parametrize(
    "command",
    [
        ("explain", "--since", "2026-03-15", AS_OF),
        ("whatif", "--close-open", AS_OF),
        ("forecast", AS_OF),
        ("goal", AS_OF),
        ("timeline", "--from", "2026-03-01", AS_OF),
        ("snapshot", AS_OF),
        ("validate",),
        ("report", "-o", "REPORT", AS_OF),
        ("calibrate", "--observed", "OBSERVED"),
    ],
)
def test_every_command_that_reads_a_history_takes_include_agency(
    invoke: Invoke, work_history: Path, tmp_path: Path, command: tuple[object, ...]
) -> None:
    observed = tmp_path / "observed.csv"
    observed.write_text("2026-04-15,33\n")
    named = {"REPORT": str(tmp_path / "report.html"), "OBSERVED": str(observed)}
    args = [w for a in command for w in ((a,) if isinstance(a, str) else a)]
    args = [named.get(a, a) for a in args]
    left_out = invoke(args[0], work_history, *args[1:])
    kept = invoke(args[0], work_history, *args[1:], "--include-agency")
    assert left_out.code == 0, left_out.stderr
    assert kept.code == 0, kept.stderr
    assert "left out 1 agency contract" in left_out.stderr
    assert "agency contract" not in kept.stderr


def test_a_missing_response_file_says_what_observed_takes(invoke: Invoke, history: Path) -> None:
    ran = invoke("snapshot", history, "--observed", "abc")
    assert ran.code == 66
    assert "--observed takes the JSS as a number (92) or a saved profile response" in ran.stderr


def test_history_and_observed_cannot_both_come_from_standard_input(invoke: Invoke) -> None:
    ran = invoke("snapshot", "-", "--observed", "-", stdin=HISTORY)
    assert ran.code == 2
    assert "cannot both be read from standard input" in ran.stderr
