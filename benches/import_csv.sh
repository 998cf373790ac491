#!/usr/bin/env bash
# Import of 100,000 messages from CSV into SQLite (issue 3's target: ≤ 5 s), side by side with
# loading the same rows with the sqlite3 shell's `.import`, and the importer's peak RSS. The command
# line streams the file from disk and stores it in batches, so memory stays flat; run with 50000 and
# 200000 to see it.
# Usage: benches/import_csv.sh [ROWS]   (needs sqlite3 and /usr/bin/time; builds --release)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet

python3 - "$work/messages.csv" "$rows" <<'PY'
import csv, sys, datetime, random
path, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
start = datetime.datetime(2026, 3, 10, 6, 0)
audiences = ["Mitarbeitende", "Geschäftsleitung", "Kunden"]
channels = ["E-Mail", "Intranet", "Statusseite", "SMS"]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(["Zeitpunkt", "Zielgruppe", "Kanal", "Art", "Betreff", "Nachricht"])
    for i in range(n):
        t = start + datetime.timedelta(seconds=7 * i)
        w.writerow([t.strftime("%d.%m.%Y %H:%M:%S"), random.choice(audiences), random.choice(channels), "Update",
                    f"Update {i}", f"Meldung {i}: Der E-Mail-Dienst ist weiterhin gestört. Wir arbeiten an der Behebung und melden uns um {t.hour:02d}:30 Uhr wieder."])
PY

export DEBRIEF_DATA_DIR="$work/data"
bin=target/release/debrief
$bin migrate >/dev/null 2>&1
cat > "$work/incident.json" <<'JSON'
{"format": "debrief-incident/1", "incident": {"key": "BENCH-1", "title": "Benchmark", "kind": "it_outage",
 "severity": "sev2", "language": "de", "detected_at": "2026-03-10T05:00:00Z", "audiences": ["employees", "management", "customers"]}}
JSON
$bin import "$work/incident.json" >/dev/null 2>&1

/usr/bin/time -v -o "$work/time.txt" $bin import --incident BENCH-1 --tz Europe/Zurich --json "$work/messages.csv" > "$work/summary.json" 2>/dev/null
debrief_s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
new=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['messages_new'])" "$work/summary.json")

# The same rows through sqlite3's CSV import into a table shaped like the CSV, in one transaction.
sq_start=$(date +%s.%N)
sqlite3 "$work/plain.db" <<SQL
PRAGMA journal_mode=WAL;
CREATE TABLE m (zeitpunkt TEXT, zielgruppe TEXT, kanal TEXT, art TEXT, betreff TEXT, nachricht TEXT);
.mode csv
.separator ;
.import --skip 1 $work/messages.csv m
SQL
sq_end=$(date +%s.%N)
sqlite_s=$(python3 -c "print(round($sq_end - $sq_start, 3))")
ratio=$(python3 -c "print(round($debrief_s / max($sqlite_s, 0.001), 1))")
file_mib=$(( $(stat -c %s "$work/messages.csv") / 1048576 ))
echo "rows: $rows, stored: $new, file: ${file_mib} MiB"
echo "debrief import: ${debrief_s} s, peak RSS $((rss_kb / 1024)) MiB"
echo "sqlite3 .import: ${sqlite_s} s"
echo "ratio debrief / sqlite3: ${ratio}x"
