"""The page's inline style sheet and its tiny filter script (no external files)."""

from __future__ import annotations

CSS = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #57606a;
  --line: #d0d7de; --accent: #0a58ca; --good: #1a7f37; --bad: #b42318; --shade: #d8f0dc;
  --card: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d;
    --accent: #6cb6ff; --good: #56d364; --bad: #ff7b72; --shade: #1b3a24; --card: #161b22; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  overflow-wrap: break-word; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
p, li { max-width: 48rem; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--card);
  border: 1px solid var(--line); border-radius: 4px; padding: 0 .25em; }
.lead { font-size: 1.15rem; }
.muted, caption { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  padding: .75rem 1rem; }
.score { font-size: 2.5rem; font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: var(--card); }
td.num { text-align: right; white-space: nowrap; }
.outcome-negative { color: var(--bad); font-weight: 600; }
.outcome-success { color: var(--good); }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0; }
.filters label { display: flex; flex-direction: column; font-size: .9rem; }
select { font: inherit; padding: .2rem; background: var(--bg); color: var(--fg); }
figure { margin: 1rem 0; }
.chart { width: 100%; height: auto; display: block; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis, .chart .limit, .chart .move-label { fill: var(--fg); font-size: 12px; }
.chart .limit { fill: var(--muted); }
.chart .top-week { fill: var(--shade); }
.chart .line-90 { stroke: var(--good); stroke-width: 1.5; stroke-dasharray: 8 4; }
.chart .line-70 { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 2 3; }
.chart .jss { fill: none; stroke: var(--accent); stroke-width: 2.5; }
.chart .move { fill: var(--bg); stroke: var(--fg); stroke-width: 2; }
.warning { border-left: 4px solid var(--bad); padding-left: .5rem; }
dt { font-weight: 600; margin-top: .5rem; }
dd { margin-left: 1rem; }
.tag { display: inline-block; margin: .1rem 0; font-size: .8rem; border: 1px solid var(--line);
  border-radius: 4px; padding: 0 .3rem; }
@media (max-width: 40rem) {
  body { padding: .75rem; }
  .score { font-size: 2rem; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table.stack tr { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0;
    padding: .25rem; }
  table.stack td { border: 0; text-align: left; white-space: normal; overflow-wrap: anywhere; }
  table.stack caption { display: block; width: 100%; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; }
}
@media print {
  @page { size: A4; margin: 14mm; }
  :root { --bg: #fff; --fg: #000; --card: #fff; --muted: #333; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filters, .no-print { display: none; }
  h2 { break-after: avoid; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, .card, figure { break-inside: avoid; }
}
"""

#: Filters the contracts table by outcome and window; the page works without it.
SCRIPT = """
(function () {
  var outcome = document.getElementById("filter-outcome");
  var win = document.getElementById("filter-window");
  var rows = document.querySelectorAll("#contracts tbody tr");
  var shown = document.getElementById("filter-count");
  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var ok = (!outcome.value || row.dataset.outcome === outcome.value) &&
        (!win.value || (" " + row.dataset.windows + " ").indexOf(" " + win.value + " ") >= 0);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n + (n === 1 ? " contract shown" : " contracts shown");
  }
  outcome.addEventListener("change", apply);
  win.addEventListener("change", apply);
  document.getElementById("filters").hidden = false;
  apply();
})();
"""
