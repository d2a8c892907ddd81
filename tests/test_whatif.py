"""`whatif`: edit specs, their effect worked out by hand from MODEL.md, and closing advice.

Contracts earn $500 over about a month unless said otherwise: under `tiers` each weighs 1.25.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import make_contract

from jsscheck.analyses.edits import apply_edits, parse_edit, parse_edits
from jsscheck.analyses.whatif import ADVISED_OPEN, close_open_advice, whatif
from jsscheck.errors import UsageError
from jsscheck.model.contract import Contract
from jsscheck.model.rules import PRESETS
from jsscheck.render.whatif import advice_document, advice_summary, whatif_document, whatif_headline

UPWORK = PRESETS["upwork"]
T = date(2026, 6, 30)


def ended(cid: str, end: str, stars: float | None = 5.0, **extra: object) -> Contract:
    finish = date.fromisoformat(end)
    values: dict[str, object] = {
        "contract_id": cid,
        "client": f"client-{cid}",
        "start_date": finish - timedelta(days=30),
        "end_date": finish,
        "public_feedback": stars,
    }
    values.update(extra)
    return make_contract(**values)


def history() -> list[Contract]:
    # A, B successes, C negative (2 stars), all 1.25; O open since 2026-05-01 (in progress,
    # excluded). Every anchor is after start(T, 24/12/6) = 2025-12-30, and 3m (from 2026-03-30)
    # holds C alone, so there is no Trending; 6/12/24m: 100·(2.5 − 1.25)/3.75 = 33.33 → 33%.
    return [
        ended("A", "2026-02-01"),
        ended("B", "2026-03-01"),
        ended("C", "2026-04-01", 2.0, title="Logo redesign"),
        make_contract(
            contract_id="O", client="client-O", start_date="2026-05-01", end_date=None, title="API"
        ),
    ]


def run(*specs: tuple[str, str], rules=UPWORK, scenario=None):
    edits = [parse_edit(kind, spec) for kind, spec in specs]  # type: ignore[arg-type]
    return whatif(history(), rules, scenario or rules, T, edits)


def test_baseline() -> None:
    report = run()
    assert report.before.jss == 33
    assert report.before.best_score == pytest.approx(100 / 3)
    assert report.after.jss == 33


def test_close_without_feedback_is_pending_and_changes_nothing_yet() -> None:
    # O ends on T with no feedback: t − end = 0 < 14 → pending_feedback, excluded. 33% stays.
    report = run(("close", "O"))
    assert report.after.jss == 33
    assert report.attribution.effects == ()
    assert whatif_headline(report).startswith(
        "If you close contract 'API' now without feedback, your JSS stays at 33%."
    )


def test_close_with_five_stars() -> None:
    # O ends on T with 5 stars: success, 60 active days → weight 1.25.
    # 100·(3.75 − 1.25)/5 = 50 → 50%; O's contribution is the whole +16.67.
    report = run(("close", "O,public=5"))
    assert report.after.jss == 50
    assert report.attribution.change == pytest.approx(50 - 100 / 3)
    (c,) = report.attribution.effects
    (event,) = c.events
    assert (c.contract_id, event.reason) == ("O", "entered")
    assert c.effect == pytest.approx(50 - 100 / 3)
    assert whatif_headline(report).startswith(
        "If you close contract 'API' now with 5 stars, your JSS goes from 33% to 50%."
    )


def test_close_on_an_earlier_date_with_a_scenario_rule() -> None:
    # Closed on 2026-06-01, no feedback: 29 days ≥ 14, so no longer pending. The baseline keeps
    # no_feedback = exclude; the scenario says negative: O is negative (31 days → 1.25):
    # 100·(2.5 − 2.5)/5 = 0 → 0%.
    report = run(
        ("close", "O,on=2026-06-01"),
        scenario=replace(UPWORK, name="upwork+no_feedback=negative", no_feedback="negative"),
    )
    assert report.before.jss == 33
    assert report.after.jss == 0
    assert "use no_feedback = negative" in whatif_headline(report)
    (c,) = report.attribution.effects
    (event,) = c.events
    assert event.after is not None and event.after.outcome == "negative"


def test_add_contract() -> None:
    # $1,500 (weight 1.5), 5 stars, ending on T, 30 days long: S = 4, N = 1.25, T = 5.25:
    # 100·2.75/5.25 = 52.38 → 52%.
    report = run(("add", "earnings=1500,public=5,client=Acme,days=30"))
    assert report.after.jss == 52
    assert report.after.best_score == pytest.approx(100 * 2.75 / 5.25)
    (c,) = report.attribution.effects
    (event,) = c.events
    assert (c.contract_id, event.reason) == ("new-1", "entered")
    added = apply_edits(history(), [parse_edit("add", "earnings=1500,client=Acme,days=30")], T)[-1]
    assert (added.start_date, added.end_date, added.public_feedback) == (
        date(2026, 5, 31),
        T,
        None,
    )


def test_drop_contract() -> None:
    # Without C: A, B → 100%. C "left" with +66.67.
    report = run(("drop", "C"))
    assert report.after.jss == 100
    (c,) = report.attribution.effects
    (event,) = c.events
    assert (c.contract_id, event.reason) == ("C", "left")
    assert c.effect == pytest.approx(100 - 100 / 3)
    assert "drop contract 'Logo redesign'" in whatif_headline(report)


def test_set_public_feedback_makes_it_neutral() -> None:
    # C at 4.2 stars: 4.0 ≤ 4.2 < 4.5 → neutral: 100·2.5/3.75 = 66.67 → 67%.
    report = run(("set", "C,public=4.2"))
    assert report.after.jss == 67
    (c,) = report.attribution.effects
    (event,) = c.events
    assert event.reason == "outcome_changed"


def test_set_private_feedback_cannot_beat_a_negative_public_one() -> None:
    # The worst signal wins: public 2 (negative) and private 10 (positive) → negative. 33%.
    report = run(("set", "C,private=10"))
    assert report.after.jss == 33


def test_set_any_history_field() -> None:
    # excluded=true takes C out: 100%.
    report = run(("set", "C,excluded=true"))
    assert report.after.jss == 100


@pytest.mark.parametrize(
    ("kind", "spec", "words"),
    [
        ("close", "ZZ", ["unknown contract id 'ZZ'", "open contracts on 2026-06-30: O"]),
        ("close", "A", ["not open on 2026-06-30", "ended on 2026-02-01"]),
        ("close", "O,public=6", ["out of range", "between 1 and 5"]),
        ("close", "O,private=11", ["out of range", "between 0 and 10"]),
        ("close", "O,private=9.5", ["whole number"]),
        ("close", "O,stars=5", ["unknown key stars", "public, private, on"]),
        ("close", "O,on=2026-07-05", ["must be between"]),
        ("add", "earnings=500,public=5", ["missing client, days"]),
        ("add", "earnings=500,client=X,days=30,id=A", ["already exists"]),
        ("add", "earnings=-5,client=X,days=30", ["out of range"]),
        ("drop", "ZZ", ["unknown contract id 'ZZ'", "A, B, C, O"]),
        ("drop", "A,public=5", ["unknown key public"]),
        ("set", "A,colour=red", ["unknown key colour", "public_feedback"]),
        ("set", "A,end_date=2025-01-01", ["before it starts"]),
        ("set", "A", ["nothing to set"]),
    ],
)
def test_invalid_edits_are_usage_errors_naming_what_is_valid(
    kind: str, spec: str, words: list[str]
) -> None:
    with pytest.raises(UsageError) as caught:
        run((kind, spec))
    assert caught.value.exit_code == 2
    text = " — ".join(caught.value.lines())
    for word in words:
        assert word in text


def test_edits_apply_in_order_add_close_set_drop() -> None:
    edits = parse_edits(
        close=["O,public=5"],
        add=["earnings=500,client=New,days=10,id=N1"],
        drop=["N1"],
        set_fields=["N1,public=1"],
    )
    assert [e.kind for e in edits] == ["add", "close", "set", "drop"]
    result = apply_edits(history(), edits, T)
    assert [c.contract_id for c in result] == ["A", "B", "C", "O"]


def test_edits_touch_only_their_rows_of_the_table_and_keep_every_other_contract() -> None:
    # apply_edits works on the columns (an agency's million contracts never become objects):
    # by hand: B dropped; an added contract may then take B's id; C's earnings set; O closed
    # on T without feedback; an added contract without id= is new-1; rows keep their order.
    edits = [
        parse_edit("drop", "B"),
        parse_edit("add", "earnings=800,client=Zeta,days=10,id=B,public=5"),
        parse_edit("set", "C,earnings=900"),
        parse_edit("close", "O"),
        parse_edit("add", "earnings=100,client=client-A,days=5"),
    ]
    a, _, c, o = history()
    result = apply_edits(history(), edits, T)
    assert [x.contract_id for x in result] == ["A", "C", "O", "B", "new-1"]
    assert result[0] == a and result[1] == replace(c, earnings=900.0)
    assert result[2] == replace(o, end_date=T, public_feedback=None, feedback_date=None)
    assert result[3].client == "Zeta" and result[3].public_feedback == 5.0
    assert result[3].start_date == T - timedelta(days=10) and result[3].end_date == T
    assert result[4].client == "client-A" and result[4].earnings == 100.0
    assert result.client_code[0] == result.client_code[4]  # the same client, one code
    assert list(apply_edits(history(), [], T)) == history()
    with pytest.raises(UsageError) as unknown:
        apply_edits(history(), [parse_edit("close", "nope")], T)
    assert unknown.value.hint == "open contracts on 2026-06-30: O"
    with pytest.raises(UsageError) as twice:
        apply_edits(history(), [parse_edit("drop", "B"), parse_edit("drop", "B")], T)
    assert twice.value.hint == "contract ids: A, C, O"


def test_whatif_json_document() -> None:
    doc = whatif_document(run(("close", "O,public=5")))
    assert doc["schema"] == "jsscheck.whatif/2"
    assert doc["before"]["jss"] == 33 and doc["after"]["jss"] == 50
    assert set(doc["before"]["candidates"]) == {"3m", "6m", "12m", "24m", "trending"}
    assert doc["edits"] == [
        {
            "kind": "close",
            "spec": "O,public=5",
            "contract_id": "O",
            "values": {"public": "5"},
        }
    ]
    total = sum(c["effect"] for c in doc["contributions"])
    total += sum(u["effect"] for u in doc["unattributed"])
    assert total == pytest.approx(doc["change"])
    # O entered every window: 50 − 33.33 = +16.67, in the one step at the as-of date.
    (contribution,) = doc["contributions"]
    assert (contribution["contract_id"], contribution["title"]) == ("O", "API")
    assert contribution["effect"] == pytest.approx(50 - 100 / 3)
    assert doc["steps"][0]["date"] == "2026-06-30"
    assert set(doc) >= {"leverage", "warnings", "summary", "status", "unattributed"}
    json.dumps(doc)


# --------------------------------------------------------------------------- closing advice


def advice_history() -> list[Contract]:
    return [
        ended("A", "2026-02-01"),
        ended("B", "2026-03-01"),
        ended("C2", "2026-04-01", 2.0),
        # Idle: open, $0, no payment since its start 2026-03-01: idle on 2026-05-30.
        make_contract(
            contract_id="I", client="cI", start_date="2026-03-01", end_date=None, earnings=0
        ),
        # Long-term active: 135 days, $500, last paid 2026-06-20.
        make_contract(
            contract_id="L",
            client="cL",
            start_date="2026-02-15",
            end_date=None,
            last_payment_date="2026-06-20",
        ),
        # Fresh: 20 days, in progress.
        make_contract(contract_id="F", client="cF", start_date="2026-06-10", end_date=None),
    ]


ADVICE_RULES = replace(
    UPWORK,
    name="advice",
    trending=False,
    idle_open_days=90,
    no_feedback="negative",
    zero_dollar="count",
)


def test_closing_each_open_contract_alone() -> None:
    # Baseline on T: A, B success 1.25 each; C2 negative 1.25; I idle → ended without feedback
    # on 2026-05-30 (31 days ago, past the grace), $0 counted, no_feedback negative: weight
    # 1 + floor(121/90) = 2; L long-term active success 1.25 + floor(135/90) = 2.25; F excluded.
    # S = 4.75, N = 3.25, T = 8: 100·1.5/8 = 18.75 → 19%.
    # Close I (no feedback) → pending, excluded: 100·(4.75 − 1.25)/6 = 58.33 → 58%.
    # Close L (no feedback) → pending: 100·(2.5 − 3.25)/5.75 < 0 → 0%.
    # Close F (no feedback) → pending, as before: 18.75 → 19%.
    # With 5 stars: I success (weight 2): 100·(6.75 − 1.25)/8 = 68.75 → 69%;
    # L long-term success (2.25): 18.75 → 19%; F success 1.25: 100·(6 − 3.25)/9.25 = 29.73 → 30%.
    advice = close_open_advice(advice_history(), ADVICE_RULES, T)
    assert advice.jss == 19
    rows = [(o.contract.contract_id, o.jss_no_feedback, o.jss_five_stars) for o in advice.options]
    assert rows == [("I", 58, 69), ("F", 19, 30), ("L", 0, 19)]
    assert advice.options[0].score_no_feedback == pytest.approx(350 / 6)
    assert advice.options[2].score_no_feedback == 0.0


def test_suggested_closing_order_never_lowers_the_score() -> None:
    # Step 1: I → 58.33 (the highest). Step 2: F → 58.33 (unchanged: allowed) beats
    # L → 100·(2.5 − 1.25)/3.75 = 33.33. Step 3: L would give 33.33 < 58.33 → leave L open.
    advice = close_open_advice(advice_history(), ADVICE_RULES, T)
    assert [(s.contract.contract_id, s.jss) for s in advice.order] == [("I", 58), ("F", 58)]
    assert [(lo.contract.contract_id, lo.jss) for lo in advice.leave_open] == [("L", 33)]
    assert advice.leave_open[0].score == pytest.approx(100 / 3)
    assert advice_summary(advice) == (
        "Closing I, then F without feedback never lowers your JSS (19% → 58%). "
        "Leave L open: closing it next would lower the score."
    )
    doc = advice_document(advice)
    assert [s["contract_id"] for s in doc["order"]] == ["I", "F"]


def test_only_the_ten_open_contracts_unpaid_longest_are_assessed() -> None:
    # 12 open contracts, O0 … O11, O_k last paid on 2026-03-01 + k days (all known on T).
    # Each assessment is a whole evaluation (and the order many more), so only the 10 unpaid
    # the longest, O0 … O9, are; O10 and O11 (paid most recently) are counted, not assessed.
    history = [ended("A", "2026-02-01"), ended("B", "2026-03-01")] + [
        make_contract(
            contract_id=f"O{k}",
            client=f"open client {k}",
            start_date="2026-01-05",
            end_date=None,
            last_payment_date=date(2026, 3, 1) + timedelta(days=k),
            earnings=500.0,
        )
        for k in range(12)
    ]
    advice = close_open_advice(history, UPWORK, T)
    assert ADVISED_OPEN == 10
    assert sorted(o.contract.contract_id for o in advice.options) == sorted(
        f"O{k}" for k in range(10)
    )
    assert (advice.open_count, advice.not_assessed) == (12, 2)
    assert advice_summary(advice).endswith(
        "Of your 12 open contracts, only the 10 unpaid the longest were assessed; for any of "
        "the other 2, try `jsscheck whatif HISTORY --close-contract ID`."
    )
    doc = advice_document(advice)
    assert (doc["open_count"], doc["not_assessed"]) == (12, 2)


def test_no_open_contracts() -> None:
    advice = close_open_advice([ended("A", "2026-02-01")], UPWORK, T)
    assert advice.options == [] and advice.order == []
    assert "no open contracts" in advice_summary(advice)


# --------------------------------------------------------------------------- command line


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from jsscheck.cli import register_commands
    from jsscheck.cli.app import app, run

    register_commands()
    names = {c.name for c in app.registered_commands}
    for module, name in (("cmd_whatif", "whatif"), ("cmd_forecast", "forecast")):
        if name not in names:
            import importlib

            importlib.import_module(f"jsscheck.cli.{module}").register(app)
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def _csv(tmp_path: Path) -> str:
    path = tmp_path / "h.csv"
    path.write_text(
        "contract_id,client,title,start_date,end_date,earnings,public_feedback\n"
        "A,client-A,,2026-01-02,2026-02-01,500,5\n"
        "B,client-B,,2026-01-30,2026-03-01,500,5\n"
        "C,client-C,Logo redesign,2026-03-02,2026-04-01,500,2\n"
        "O,client-O,API,2026-05-01,,500,\n",
        encoding="utf-8",
    )
    return str(path)


def test_cli_whatif_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(
        [
            "whatif",
            _csv(tmp_path),
            "--as-of",
            "2026-06-30",
            "--close-contract",
            "O,public=5",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    doc = json.loads(out)
    assert (doc["before"]["jss"], doc["after"]["jss"]) == (33, 50)


def test_cli_rule_flag_changes_the_scenario_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # C at 2 stars: --public-negative 1.5 makes 2 stars neutral in the scenario only:
    # 100·2.5/3.75 = 66.67 → 67%; the baseline stays 33%.
    code, out, _ = _cli(
        [
            "whatif",
            _csv(tmp_path),
            "--as-of",
            "2026-06-30",
            "--public-negative",
            "1.5",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    doc = json.loads(out)
    assert (doc["before"]["jss"], doc["after"]["jss"]) == (33, 67)
    assert doc["rules"]["baseline"]["name"] == "upwork"


def test_cli_bad_edit_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(
        ["whatif", _csv(tmp_path), "--as-of", "2026-06-30", "--close-contract", "nope"], capsys
    )
    assert code == 2
    assert "unknown contract id 'nope'" in err and "O" in err


def test_cli_close_open_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(["whatif", _csv(tmp_path), "--as-of", "2026-06-30", "--close-open"], capsys)
    assert code == 0
    assert "Suggested closing order" in out


# --------------------------------------------------------------------------- the rule change


def test_a_rule_flag_alone_is_the_rule_change_player() -> None:
    # formula share: A, B success 1.25 each, C negative 1.25: 100·2.5/3.75 = 66.67 vs net
    # 100·(2.5 − 1.25)/3.75 = 33.33. No contract's footprint changes (same outcomes, weights and
    # windows), so the rule change is the only player: +33.33.
    report = run(scenario=replace(UPWORK, name="upwork+formula=share", formula="share"))
    assert (report.before.jss, report.after.jss) == (33, 67)
    assert {e.contract_id: e.effect for e in report.attribution.effects} == {
        None: pytest.approx(100 / 3)
    }
    (event,) = report.attribution.effects[0].events
    assert event.reason == "rules"
    text = whatif_headline(report)
    assert text.startswith("If you use formula = share, your JSS goes from 33% to 67%.")
    assert "the rule change itself" in text and "+33.3 points" in text
    doc = whatif_document(report)
    assert doc["contributions"][0]["contract_id"] is None
    assert doc["contributions"][0]["events"][0]["reason"] == "rules"


def test_a_rule_change_and_a_dropped_contract_share_the_change() -> None:
    # Players: C (dropped) and the rule change (net → share). Values of the four mixed states:
    # v(∅) = net with C = 33.33; v(rule) = share with C = 66.67; v(C) = net without C
    # = 100·2.5/2.5 = 100; v(C, rule) = share without C = 100.
    # φ_rule = ½·[(66.67 − 33.33) + (100 − 100)] = 16.67;
    # φ_C = ½·[(100 − 33.33) + (100 − 66.67)] = 50. Sum 66.67 = 100 − 33.33.
    report = run(
        ("drop", "C"), scenario=replace(UPWORK, name="upwork+formula=share", formula="share")
    )
    assert {e.contract_id: e.effect for e in report.attribution.effects} == {
        "C": pytest.approx(50.0),
        None: pytest.approx(50 / 3),
    }
    assert whatif_headline(report).endswith(
        "The largest part comes from 'Logo redesign', which stopped counting "
        "(not in the history): +50.0 points."
    )


def test_cli_rule_flag_table_shows_the_rule_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _cli(
        ["whatif", _csv(tmp_path), "--as-of", "2026-06-30", "--formula", "share"], capsys
    )
    assert code == 0
    assert "the rule change" in out
    assert "+33.3" in out
