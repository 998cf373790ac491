#!/usr/bin/env python3
"""Renders the HTML twin of the demo incident report (the same sections: score tiles, findings,
facts, tables, the same SVG charts, the survey's tables, review, actions and method; written by
`cargo bench --bench report` to target/reports/bench-incident.html) through WeasyPrint and
prints the mean time per render in milliseconds as JSON.

Needs: pip install weasyprint (and Debian's pango, e.g. apt-get install libpango-1.0-0
libpangoft2-1.0-0). benches/report.sh runs it after the Rust benchmark and prints the ratio.
"""
import json
import sys
import time
from pathlib import Path

import weasyprint


def main() -> None:
    html_path = Path(sys.argv[1] if len(sys.argv) > 1 else "target/reports/bench-incident.html").resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    html = weasyprint.HTML(filename=str(html_path), base_url=str(html_path.parent))
    pdf = html.write_pdf()  # warm-up: font loading and CSS parsing caches
    out = html_path.with_suffix(".weasyprint.pdf")
    out.write_bytes(pdf)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        html.write_pdf()
        timings.append(time.perf_counter() - start)
    print(json.dumps({
        "weasyprint_version": weasyprint.__version__,
        "runs": runs,
        "mean_ms": 1000 * sum(timings) / len(timings),
        "min_ms": 1000 * min(timings),
        "pdf": str(out),
        "bytes": len(pdf),
    }))


if __name__ == "__main__":
    main()
