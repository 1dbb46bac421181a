#include "report/report_style.hpp"

namespace microseg::report {

std::string_view report_css() {
    // Colours: the same criticality palette as the graph (model/graph_export), explicit flows
    // blue, implicit L2 reach hatched amber, exposure red, outage orange.
    return R"css(
:root { --ink: #1d2330; --muted: #5b6478; --line: #d5d9e2; --allow: #cfe3f7; --allow-ink: #114477;
  --l2: #fde7b0; --exposure: #c62828; --outage: #e07b00; --hygiene: #2e7d99; --unknown: #7b4ea3;
  --ok: #2e7d32; --life: #f4a6a6; --high: #fdd49e; --medium: #fff7bc; --low: #e5f5e0; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 24px 32px 48px; max-width: 1400px; background: #fff; }
header.report { border-bottom: 3px solid var(--ink); margin-bottom: 16px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
p.lead, .muted { color: var(--muted); }
nav.toc { margin: 8px 0 0; font-size: 13px; }
nav.toc a { color: var(--allow-ink); margin-right: 14px; text-decoration: none; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #f7f8fb; }
.card .figure { font-size: 24px; font-weight: bold; }
.card .label { color: var(--muted); font-size: 12px; }
.card.bad { border-color: var(--exposure); background: #fdecea; }
.card.good { border-color: var(--ok); background: #edf7ee; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #eef1f6; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: bold;
  color: #fff; background: var(--muted); white-space: nowrap; }
.badge.exposure, .badge.drifted, .badge.life { background: var(--exposure); }
.badge.outage, .badge.high { background: var(--outage); }
.badge.hygiene { background: var(--hygiene); }
.badge.unknown, .badge.not-audited, .badge.phi { background: var(--unknown); }
.badge.clean { background: var(--ok); }
.marker-protected { color: var(--exposure); font-weight: bold; }
.marker-entry { color: var(--allow-ink); font-weight: bold; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 12px; color: var(--muted); margin: 6px 0; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #999; vertical-align: -2px; margin-right: 4px; }
.matrix-wrap { overflow-x: auto; }
table.matrix { font-size: 11px; }
table.matrix th, table.matrix td { padding: 2px 4px; }
table.matrix thead th { vertical-align: bottom; height: 150px; white-space: nowrap; }
table.matrix thead th.col > span { writing-mode: vertical-rl; transform: rotate(180deg); display: inline-block; }
table.matrix th.row { white-space: nowrap; }
table.matrix th.protected, table.matrix th.protected a { background: #fdecea; }
table.matrix td { min-width: 38px; max-width: 72px; }
table.matrix td.none { background: #fff; }
table.matrix td.allow { background: var(--allow); color: var(--allow-ink); }
table.matrix td.l2 { background: repeating-linear-gradient(45deg, var(--l2), var(--l2) 4px, #fff3d6 4px, #fff3d6 8px); }
table.matrix td.allow.l2 { background: repeating-linear-gradient(45deg, var(--allow), var(--allow) 4px, var(--l2) 4px, var(--l2) 8px); }
table.matrix td.self { background: #eceff3; color: var(--muted); }
table.matrix td .svc { display: block; overflow-wrap: anywhere; }
.crit-life { background: var(--life); } .crit-high { background: var(--high); }
.crit-medium { background: var(--medium); } .crit-low { background: var(--low); }
figure.graph { overflow-x: auto; margin: 8px 0 16px; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figure.graph svg { width: 100%; min-width: 1500px; height: auto; }
figure.graph figcaption { font-size: 12px; color: var(--muted); }
.entry-block { border-left: 4px solid var(--allow-ink); padding-left: 12px; margin: 16px 0; }
.finding { margin: 8px 0 14px; }
table.path td.hop-index { color: var(--muted); text-align: right; }
.cut { font-size: 13px; margin: 2px 0 6px; }
table.radius td.bar-cell { width: 45%; min-width: 200px; }
.bar { position: relative; height: 16px; background: #eef1f6; border-radius: 3px; overflow: hidden; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--exposure); }
.bar .fill.one-hop { background: #f08a80; top: 10px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { border-left: 4px solid var(--outage); background: #fff6e6; padding: 6px 10px; margin: 8px 0; }
.ok-note { border-left: 4px solid var(--ok); background: #edf7ee; padding: 6px 10px; margin: 8px 0; }
tr.impact-exposure td:first-child { border-left: 4px solid var(--exposure); }
tr.impact-outage td:first-child { border-left: 4px solid var(--outage); }
footer { margin-top: 40px; font-size: 11px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { font-size: 10px; padding: 0; max-width: none; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  .finding, .card, figure.graph, table.radius tr, table.path { break-inside: avoid; }
  .matrix-wrap { overflow: visible; }
  figure.graph { overflow: visible; }
  figure.graph svg { min-width: 0; max-height: 170mm; }
  table.matrix { font-size: 7px; }
}
)css";
}

}  // namespace microseg::report
