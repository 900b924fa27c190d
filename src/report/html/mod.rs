//! The HTML report: one self-contained page (inline CSS and SVG, no external resources of any
//! kind) that reads fully without its optional inline sort script and prints cleanly.

mod sections;

use std::fmt::Write;

use super::ReportData;
use super::fmt::esc;

/// The page's style. The waves table is wider than the page (a column per capacity): it
/// scrolls in its own box (`.scroll.tall`), no taller than the window so its horizontal
/// scroll bar is always on screen, with the headings and the wave number held in place;
/// its numeric headings wrap, which halves its width.
const CSS: &str = r##"
:root { --ink:#1b2631; --muted:#5d6d7e; --line:#d5d8dc; --band:#f4f6f8; --accent:#1a5276; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK TC", sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1260px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 26px; margin: 8px 0 2px; color: var(--accent); }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 12px; }
nav { font-size: 13px; margin: 8px 0 16px; columns: 4; }
nav a { color: var(--accent); text-decoration: none; display: block; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 150px; background: var(--band); }
.card b { display: block; font-size: 22px; color: var(--accent); }
.card span { font-size: 12px; color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: 3px 7px; vertical-align: top; text-align: left; }
th { background: #e8ecf1; position: sticky; top: 0; }
table.sortable th { cursor: pointer; }
th[data-dir="asc"]::after { content: " ▲"; } th[data-dir="desc"]::after { content: " ▼"; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
td small { color: var(--muted); white-space: nowrap; }
td.date { white-space: nowrap; }
table.waves td:nth-child(5) { min-width: 190px; }
td.full { background: #d4e6f1; } td.over { background: #f5b7b1; }
.frozen { color: #34495e; background: #e5e8ee; }
.ok { border-left: 5px solid #27ae60; background: #eafaf1; padding: 8px 12px; }
.warn { border-left: 5px solid #c0392b; background: #fdedec; padding: 8px 12px; }
.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
.scroll { overflow-x: auto; }
.scroll.tall { max-height: 85vh; overflow: auto; }
table.waves th.n { white-space: normal; }
table.waves tr > :first-child { position: sticky; left: 0; z-index: 1; background: #fff; }
table.waves tbody tr:nth-child(even) > :first-child { background: #fafbfc; }
table.waves thead th:first-child { z-index: 2; background: #e8ecf1; }
.local { color: var(--muted); }
.dept { break-inside: avoid; }
.meta { color: var(--muted); font-size: 12.5px; margin: 0 0 4px; }
@media print {
  body { font-size: 10.5px; } main { max-width: none; padding: 0; }
  nav { display: none; } th { position: static; }
  h2 { break-after: avoid; } table, .chart { break-inside: auto; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  .scroll { overflow: visible; } .scroll.tall { max-height: none; }
  table.waves tr > :first-child { position: static; }
}
"##;

const SCRIPT: &str = r"
(function () {
  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () {
      var table = th.closest('table'), body = table.tBodies[0];
      var i = Array.prototype.indexOf.call(th.parentNode.children, th);
      var num = th.classList.contains('n');
      var dir = th.getAttribute('data-dir') === 'asc' ? -1 : 1;
      th.parentNode.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', dir === 1 ? 'asc' : 'desc');
      var key = function (r) {
        var c = r.cells[i];
        var v = c ? (c.hasAttribute('data-v') ? c.getAttribute('data-v') : c.textContent) : '';
        return num ? (parseFloat(v) || 0) : v.toLowerCase();
      };
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * dir; });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  document.documentElement.setAttribute('data-script-ok', '1');
})();
";

/// Renders the report as one HTML page.
#[must_use]
pub fn render(data: &ReportData) -> String {
    let mut out = String::with_capacity(64 * 1024 + data.services.len() * 600);
    let title = format!("Migration plan — {}", data.summary.scenario);
    let _ = write!(
        out,
        r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{}</title><style>{CSS}</style></head><body><main>
"##,
        esc(&title)
    );
    sections::all(&mut out, data);
    let _ = writeln!(out, "</main><script>{SCRIPT}</script></body></html>");
    out
}
