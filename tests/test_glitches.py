"""Every command's words read right: no "1 warnings", no "'Logo redesign''s", no "at no JSS".

Runs each command that prints for people (score, explain, whatif, forecast, goal, timeline,
validate, rules, calibrate with an observation, snapshot and snapshots) on the sample data and
on small edge histories (one client, one contract, no JSS), in table and markdown, and sweeps
what they print (stdout and stderr) for the glitches issue 19 found.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "history.csv"
AS_OF = "2026-11-21"
HEADER = "contract_id,client,title,start_date,end_date,earnings,public_feedback,private_feedback\n"

#: Small histories where counts of one are likely.
EDGE_HISTORIES = {
    # One client, three contracts: "from 1 client".
    "one_client": HEADER
    + "A1,Acme,Logo redesign,2026-03-02,2026-04-01,1200,5,10\n"
    + "A2,Acme,Site audit,2026-05-04,2026-06-01,800,5,9\n"
    + "A3,Acme,Copy edits,2026-07-06,2026-08-03,300,4.5,\n",
    # One contract, one star, $0: "1 contract", "1 star", the title in quotes.
    "one_contract": HEADER + "B1,Beta Corp,Logo redesign,2026-09-01,2026-10-01,0,1,\n",
    # Two contracts, two clients, one open: no JSS at all.
    "no_jss": HEADER
    + "C1,Cora,Logo redesign,2026-06-01,2026-07-01,500,5,\n"
    + "C2,Dune,Brand kit,2026-10-01,,250,,\n",
}

#: Nouns the commands count; "1 <noun>s" is a plural disagreement.
NOUNS = (
    "warning|contract|client|star|window|point|day|week|month|year|snapshot|problem|"
    "observation|change|event|line|column|payment|review|outcome|rule|preset|period|"
    "step|candidate|parameter|file|row|more contract|more problem|more line|time"
)
PLURAL_AFTER_ONE = re.compile(rf"(?<![\d.,$])\b1 (?:{NOUNS})s\b")
#: "2 client" (a count above one with a singular noun), except dates and ids.
SINGULAR_AFTER_MANY = re.compile(
    r"(?<![\d.,$/-])\b(?:[2-9]|\d{2,}) (?:warning|contract|client|star|snapshot|problem|"
    r"observation|window)\b(?![s'’_-])"
)


def glitches(text: str) -> list[str]:
    """Each glitch found in `text`, with a little context."""
    found: list[str] = []
    for pattern, what in (
        (PLURAL_AFTER_ONE, "plural after 1"),
        (SINGULAR_AFTER_MANY, "singular after a count"),
        (re.compile(r"''s\b"), "doubled quote before 's"),
        (re.compile(r"\bat no JSS\b"), "'at no JSS'"),
        (re.compile(r"\bfrom no JSS to no JSS\b"), "'from no JSS to no JSS'"),
    ):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(f"{what}: …{text[start:end]}…".replace("\n", " "))
    return found


def test_the_sweep_finds_each_glitch_it_looks_for() -> None:
    # A sweep that finds nothing proves nothing: each pattern trips on the examples.
    assert glitches("OK: 4 contracts, 1 warnings.")
    assert glitches("4 contracts from 1 clients")
    assert glitches("a review with 1 stars")
    assert glitches("'Logo redesign''s outcome")
    assert glitches("your JSS stays at no JSS")
    assert glitches("with 2 client")
    assert not glitches("OK: 1 contract (0 open) with 1 client, 1 warning; 2 stars; 21 days.")
    assert not glitches("'Logo redesign' is open; 2026-11-21 and 1.5 points; $1 contracts")


def _histories(tmp_path: Path) -> dict[str, Path]:
    paths = {"sample": SAMPLE}
    for name, text in EDGE_HISTORIES.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        paths[name] = path
    return paths


def _runs(history: Path, tmp_path: Path) -> list[tuple[str, ...]]:
    observed = tmp_path / "observed.csv"
    observed.write_text(f"date,jss\n{AS_OF},88\n")
    store = str(tmp_path / "store.sqlite")
    common = ("--as-of", AS_OF)
    first_id = history.read_text().splitlines()[1].split(",")[0]
    runs: list[tuple[str, ...]] = [
        ("score", str(history), *common),
        ("score", str(history), *common, "--all"),
        ("score", str(history), *common, "--compare"),
        ("explain", str(history), *common, "--since", "2026-08-01"),
        ("whatif", str(history), *common, "--rules", "fair"),
        ("whatif", str(history), *common, "--drop-contract", first_id),
        ("whatif", str(history), *common, "--set", f"{first_id},public=5"),
        ("whatif", str(history), *common, "--add-contract", "earnings=500,public=5,client=New"),
        ("forecast", str(history), *common),
        ("goal", str(history), *common, "--target", "95"),
        ("timeline", str(history), *common),
        ("validate", str(history)),
        ("calibrate", str(history), "--observed", str(observed)),
        ("snapshot", str(history), *common, "--store", store, "--observed", "88"),
        ("snapshot", str(history), "--as-of", "2026-11-28", "--store", store),
        ("snapshots", "list", "--store", store),
        ("snapshots", "show", "1", "--store", store),
        ("snapshots", "diff", "1", "2", "--store", store),
    ]
    return runs


RULES_RUNS = [("rules", "list"), ("rules", "show", "upwork"), ("rules", "show", "fair")]


@pytest.mark.slow
@pytest.mark.parametrize("history_name", ["sample", *EDGE_HISTORIES])
def test_no_command_prints_a_glitch(invoke, tmp_path: Path, history_name: str) -> None:
    history = _histories(tmp_path)[history_name]
    found: dict[str, list[str]] = {}
    ran = 0
    for args in _runs(history, tmp_path):
        result = invoke(*args)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (
            args,
            result.stderr,
        )
        if result.code not in (0, 1):
            continue  # a command this history cannot answer says so (checked elsewhere)
        ran += 1
        for text in (result.stdout, result.stderr):
            if bad := glitches(text):
                found.setdefault(" ".join(args[:2]), []).extend(bad)
    assert ran >= 8, "most commands answer every history"
    assert not found, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)


def test_rules_commands_print_no_glitch(invoke) -> None:
    for args in RULES_RUNS:
        result = invoke(*args)
        assert result.code == 0, result.stderr
        assert not glitches(result.stdout + result.stderr), args
