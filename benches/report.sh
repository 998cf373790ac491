#!/usr/bin/env bash
# Report benchmark: Debrief's PDFs on the real path, from a SQLite database to the PDF (criterion,
# release build), against WeasyPrint rendering the same incident report as HTML with the same SVG
# charts, in one run, with the ratio.
# Targets: the demo incident's report ≤ 300 ms, a portfolio of 500 incidents ≤ 3 s.
# Needs: pip install weasyprint (Debian's pango libraries must be present).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c "import weasyprint" 2>/dev/null || pip install --quiet weasyprint

cargo bench --bench report -- --noplot
target="${CARGO_TARGET_DIR:-target}"
estimate() {
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['mean']['point_estimate'] / 1e6)" "$1"
}
incident_ms=$(estimate "$target/criterion/incident_report_pdf/new/estimates.json")
render_ms=$(estimate "$target/criterion/incident_report_render/new/estimates.json")
portfolio_ms=$(estimate "$target/criterion/portfolio/portfolio_500_pdf/new/estimates.json")
weasy_json=$(python3 benches/report_weasyprint.py "$target/reports/bench-incident.html" 5)
weasy_ms=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['mean_ms'])" "$weasy_json")

python3 - "$incident_ms" "$render_ms" "$portfolio_ms" "$weasy_ms" <<'PY'
import sys
incident, render, portfolio, weasy = map(float, sys.argv[1:])
print(f"demo incident, database → PDF:     {incident:8.1f} ms  (target ≤ 300 ms: {'ok' if incident <= 300 else 'MISSED'})")
print(f"  of which rendering the PDF:      {render:8.1f} ms")
print(f"portfolio, 500 incidents → PDF:    {portfolio:8.1f} ms  (target ≤ 3000 ms: {'ok' if portfolio <= 3000 else 'MISSED'})")
print(f"same report, HTML via WeasyPrint:  {weasy:8.1f} ms  (HTML and SVG charts given)")
print(f"WeasyPrint / Debrief rendering:    {weasy / render:8.1f} ×")
print(f"WeasyPrint / Debrief whole path:   {weasy / incident:8.1f} ×")
PY
