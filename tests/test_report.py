"""`jsscheck report`: the one-page HTML report and its JSON document.

The page is made only from the other commands' documents and sentences, so its numbers are
compared with `score`, `explain`, `forecast` and `goal` run on the same inputs; the small
history's score is worked out by hand.
"""

from __future__ import annotations

import json
import re
import stat
from html import escape
from pathlib import Path

import pytest
from helpers import write_csv_history

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "history.csv"
SAMPLE_DAY = "2026-11-21"
AS_OF = "2026-06-30"
HOSTILE_TITLE = "<script>alert(1)</script> & fix"
HOSTILE_CLIENT = 'Beta <b>"Corp"'


def small_history(path: Path) -> Path:
    # Five $500 contracts of 30 days (weight 1.25 each under `tiers`): four 5-star successes
    # and a 1-star negative outcome, all inside the 3-month window on 2026-06-30, so every
    # window (and Trending) scores 100·(4·1.25 − 1.25)/(5·1.25) = 100·3.75/6.25 = 60 → 60%:
    # below 70%, a review risk; no week at 90%, so not Top Rated.
    rows = [
        f'S1,"{HOSTILE_CLIENT.replace(chr(34), chr(34) * 2)}","{HOSTILE_TITLE}",'
        "2026-03-11,2026-04-10,,500,5,,,,,,",
        "S2,Client 2,Second,2026-03-21,2026-04-20,,500,5,,,,,,",
        "S3,Client 3,Third,2026-04-01,2026-05-01,,500,5,,,,,,",
        "S4,Client 4,Fourth,2026-04-10,2026-05-10,,500,5,,,,,,",
        "N,Client 5,Bad one,2026-05-21,2026-06-20,,500,1,,,,,,",
    ]
    return write_csv_history(path, rows)


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    return small_history(tmp_path / "history.csv")


def _json(invoke, *args: object) -> dict:
    run = invoke(*args, "--format", "json")
    assert run.code == 0, run.stderr
    return json.loads(run.stdout)


def _page(invoke, history: Path, tmp_path: Path, *extra: object) -> str:
    out = tmp_path / "r.html"
    run = invoke("report", history, "-o", out, *extra)
    assert run.code == 0, run.stderr
    return out.read_text(encoding="utf-8")


def test_small_history_page_says_sixty_and_review_risk(invoke, small, tmp_path):
    page = _page(invoke, small, tmp_path, "--as-of", AS_OF)
    # 60% by hand (see small_history), shown as the big number and in the first sentence.
    assert '<span class="score" id="jss">60%</span>' in page
    assert "Your JSS is 60% as of 2026-06-30" in page
    assert "Review risk: your JSS is below 70%" in page
    assert "Not Top Rated eligible" in page
    # The first section is the score, before "why it moved" and the chart.
    assert page.index('id="h-score"') < page.index('id="h-why"') < page.index('id="h-chart"')
    assert page.index('id="h-chart"') < page.index('id="h-next"') < page.index('id="h-close"')
    assert page.index('id="h-close"') < page.index('id="h-contracts"') < page.index('id="h-terms"')


def test_user_text_is_escaped(invoke, small, tmp_path):
    page = _page(invoke, small, tmp_path, "--as-of", AS_OF)
    assert "<script>alert" not in page
    assert escape(HOSTILE_TITLE) in page
    assert escape(HOSTILE_CLIENT) in page
    assert "<b>" not in page
    # The one script is the table filter.
    assert page.count("<script>") == 1


def test_page_is_self_contained(invoke, small, tmp_path):
    page = _page(invoke, small, tmp_path, "--as-of", AS_OF)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "https://" not in page and "http://" not in page
    for external in ("<link", "<img", "<iframe", "@import", "url("):
        assert external not in page
    assert "Content-Security-Policy" in page and escape("default-src 'none'") in page
    # The chart is inline SVG with a title and a description for screen readers.
    assert '<svg class="chart"' in page and '<title id="chart-title">' in page
    assert '<desc id="chart-desc">' in page


def test_numbers_equal_the_other_commands(invoke, tmp_path):
    day = ("--as-of", SAMPLE_DAY)
    doc = _json(invoke, "report", SAMPLE, *day)
    score = _json(invoke, "score", SAMPLE, *day)
    explain = _json(invoke, "explain", SAMPLE, *day)
    forecast = _json(invoke, "forecast", SAMPLE, *day)
    goal = _json(invoke, "goal", SAMPLE, *day)
    assert doc["score"] == score
    assert {k: doc["explain"][k] for k in explain} == explain
    assert {k: doc["forecast"][k] for k in forecast} == forecast
    assert {k: doc["goal"][k] for k in goal} == goal
    page = _page(invoke, SAMPLE, tmp_path, *day)
    assert f'id="jss">{score["jss"]}%</span>' in page
    for sentence in (doc["explain"]["headline"], forecast["summary"], *doc["goal"]["lines"]):
        assert escape(sentence) in page
    for event in forecast["events"]:
        assert f">{event['date']}</td>" in page
    for row in score["contracts"]:
        assert escape(row["title"] or row["contract_id"]) in page


def test_explain_starts_28_days_back_without_snapshots(invoke, small):
    doc = _json(invoke, "report", small, "--as-of", AS_OF)
    # 2026-06-30 − 28 days = 2026-06-02.
    assert doc["since"] == "2026-06-02"
    assert doc["schema"] == "jsscheck.report/1"
    outcomes = {r["contract_id"]: (r["outcome_words"], r["reason_words"]) for r in doc["contracts"]}
    assert outcomes["N"] == ("negative outcome", "feedback")
    assert outcomes["S1"] == ("success", "feedback")


def test_written_atomically_with_mode_0600(invoke, small, tmp_path):
    out = tmp_path / "r.html"
    out.write_text("old")
    out.chmod(0o644)
    run = invoke("report", small, "-o", out, "--as-of", AS_OF)
    assert run.code == 0, run.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".r.html")) == []


def test_unwritable_output_leaves_nothing(invoke, small, tmp_path):
    run = invoke("report", small, "-o", tmp_path / "missing" / "r.html", "--as-of", AS_OF)
    assert run.code == 73  # ExitCode.CANT_CREATE
    assert "Traceback" not in run.stderr


def test_sample_report_as_the_readme_says(invoke, tmp_path):
    run = invoke("report", SAMPLE, "-o", "r.html", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "wrote r.html" in run.stderr
    assert (tmp_path / "r.html").stat().st_size > 10_000


def test_open_hands_the_file_to_the_browser(invoke, small, tmp_path, monkeypatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    _page(invoke, small, tmp_path, "--as-of", AS_OF, "--open")
    assert opened == [(tmp_path / "r.html").resolve().as_uri()]


def test_json_with_output_file_is_a_usage_error(invoke, small, tmp_path):
    run = invoke("report", small, "--format", "json", "-o", tmp_path / "r.html")
    assert run.code == 2
    assert not (tmp_path / "r.html").exists()


def test_since_after_as_of_is_a_usage_error(invoke, small):
    run = invoke("report", small, "--as-of", AS_OF, "--since", "2026-07-01")
    assert run.code == 2
    assert "--since" in run.stderr


def test_chart_draws_lines_bands_and_labels():
    from jsscheck.render.html.svg import HEIGHT, chart_svg

    chart = {
        "from": "2026-01-01",
        "to": "2026-01-29",
        "headline": "A <b> headline",
        "points": [
            {"date": "2026-01-01", "jss": None},
            {"date": "2026-01-08", "jss": 80},
            {"date": "2026-01-15", "jss": 95},
            {"date": "2026-01-22", "jss": None},
            {"date": "2026-01-29", "jss": 92},
        ],
        "weeks": [
            {"date": "2026-01-15", "top_rated": True},
            {"date": "2026-01-22", "top_rated": True},
            {"date": "2026-01-29", "top_rated": False},
        ],
        "moves": [{"date": "2026-01-15", "jss_before": 80, "jss_after": 95, "cause": "<x> & y"}],
    }
    svg = chart_svg(chart)
    # The line breaks where there is no score: two polylines (Jan 8–15, then Jan 29 alone).
    assert svg.count('<polyline class="jss"') == 2
    # Two adjacent Top Rated weeks make one band.
    assert svg.count('class="top-week"') == 1
    assert "A &lt;b&gt; headline" in svg and "1. &lt;x&gt; &amp; y" in svg
    assert "90% Top Rated" in svg and "70% review risk" in svg
    assert f'viewBox="0 0 800 {HEIGHT}"' in svg


def test_contract_rows_show_control_characters_and_words():
    from jsscheck.render.html.document import contract_rows

    score = {
        "contracts": [
            {"contract_id": "A", "title": "x\x1b[31my", "client": "C", "outcome": "excluded",
             "reason": "zero_dollar", "weight": None, "anchor": None, "windows": []},
            {"contract_id": "B", "title": None, "client": "D", "outcome": "neutral",
             "reason": "feedback", "weight": 1.25, "anchor": "2026-05-01", "windows": ["6m"]},
        ]
    }  # fmt: skip
    rows = contract_rows(reversed(score["contracts"]))
    assert [r["contract_id"] for r in rows] == ["B", "A"]  # in the order given
    assert rows[1]["title"] == "x\\x1b[31my"
    assert rows[1]["outcome_words"] == "not counted" and rows[1]["reason_words"] == "$0 contract"
    assert rows[1]["window_words"] == "none"
    assert rows[0]["title"] == "" and rows[0]["window_words"] == "6-month window"


def test_the_page_lists_the_newest_contracts_and_says_how_many_more(
    invoke, small, tmp_path, monkeypatch
):
    # An agency's 100,000 contracts would make a page no browser scrolls: the newest
    # PAGE_CONTRACTS are listed. Anchors (end dates): N 06-20, S4 05-10, S3 05-01, S2, S1.
    from jsscheck.render.html import document

    monkeypatch.setattr(document, "PAGE_CONTRACTS", 2)
    doc = _json(invoke, "report", small, "--as-of", AS_OF)
    assert [r["contract_id"] for r in doc["contracts"]] == ["N", "S4"]
    assert doc["contracts_total"] == 5
    assert len(doc["score"]["contracts"]) == 5  # the score document keeps every contract
    page = _page(invoke, small, tmp_path, "--as-of", AS_OF)
    assert "Your 2 newest contracts of 5" in page and "score --all --format csv" in page
    table = page.split('id="contracts"')[1].split("</table>")[0]
    assert "Fourth" in table and "Third" not in table
    monkeypatch.setattr(document, "PAGE_CONTRACTS", 5)
    full = _json(invoke, "report", small, "--as-of", AS_OF)
    assert [r["contract_id"] for r in full["contracts"]] == ["N", "S4", "S3", "S2", "S1"]
    assert "Every contract, newest first" in _page(invoke, small, tmp_path, "--as-of", AS_OF)
    # A contract in progress does not count, yet it is among the newest: by its start here.
    with small.open("a", encoding="utf-8") as handle:
        handle.write("O,Client 6,Ongoing,2026-06-25,,,200,,,,,,,\n")
    monkeypatch.setattr(document, "PAGE_CONTRACTS", 2)
    doc = _json(invoke, "report", small, "--as-of", AS_OF)
    assert [r["contract_id"] for r in doc["contracts"]] == ["O", "N"]
    assert doc["contracts"][0]["outcome"] == "excluded" and doc["contracts_total"] == 6


def test_commands_the_page_suggests_are_code_not_backticks(invoke, small, tmp_path):
    from jsscheck.render.html.page import _words

    page = _page(invoke, small, tmp_path, "--as-of", AS_OF)
    assert "<code>jsscheck calibrate</code>" in page  # the rules note
    assert "`jsscheck" not in page
    # Only our own suggestions: a title's backticks stay text, and text stays escaped.
    assert _words("try `jsscheck score --all` on <b>") == (
        "try <code>jsscheck score --all</code> on &lt;b&gt;"
    )
    assert _words("'Fix `npm` build'") == "&#x27;Fix `npm` build&#x27;"


def test_explain_starts_at_the_last_snapshot(invoke, small):
    assert invoke("snapshot", small, "--as-of", "2026-06-16", "-q").code == 0
    doc = _json(invoke, "report", small, "--as-of", AS_OF)
    assert doc["since"] == "2026-06-16"
    assert doc["explain"]["since"] == "2026-06-16"
