#!/usr/bin/env python3
"""Audit of the scoring lexicons against the labelled message set (a tuning aid, not shipped).

Lists every cue phrase of the en/de lexicons that occurs in exactly one labelled message (a
candidate for over-fitting: keep it only if it is a wording you would expect in other crisis
messages too) and, with --unused, the phrases that occur in none. With --copies it lists the
string literals of the unit tests (16 characters or more) that are copied from labelled texts.

    scripts/cue_audit.py [--data ../shared/data/labelled_messages.jsonl] [--unused] [--copies]

Phrase syntax as in src/scoring/cues.rs: a leading or trailing `*` lets the phrase end or begin a
longer word, a leading `=` asks for the exact capitals; otherwise phrases match whole words,
case-folded.
"""

import argparse
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CUE_FILES = [
    "src/scoring/element_cues.rs",
    "src/scoring/tone_cues.rs",
    "src/scoring/honesty.rs",
    "src/scoring/promise.rs",
]
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)


def lexicon_blocks(path):
    """(language, group, phrase) for the `const EN` / `const DE` lists of a cue file."""
    source = (ROOT / path).read_text(encoding="utf-8")
    for lang in ("EN", "DE"):
        start = source.find(f"const {lang}: &[")
        if start < 0:
            continue
        end = source.find("\n];", start)
        block = source[start:end]
        # Groups: `(Cue::Name, &[ ... ])` or `(Name, &[ ... ])`.
        for m in re.finditer(r"\(\s*(?:Cue::)?(\w+),\s*&\[(.*?)\]\s*,?\s*\)", block, re.S):
            for phrase in STRING.findall(m.group(2)):
                yield lang.lower(), m.group(1), phrase


def jargon_terms():
    source = (ROOT / "src/scoring/jargon_lexicon.rs").read_text(encoding="utf-8")
    for m in re.finditer(r'term\("((?:[^"\\]|\\.)*)",\s*(Both|En|De)', source):
        langs = {"Both": ("en", "de"), "En": ("en",), "De": ("de",)}[m.group(2)]
        for lang in langs:
            yield lang, "Jargon", m.group(1)


def compile_phrase(phrase):
    exact = phrase.startswith("=")
    if exact:
        phrase = phrase[1:]
    open_left, open_right = phrase.startswith("*"), phrase.endswith("*")
    core = phrase.strip("*")
    body = re.escape(core).replace(r"\ ", r"\s").replace("'", "['’]")
    left = "" if open_left else r"(?<![^\W_])"
    right = "" if open_right else r"(?![^\W_])"
    flags = 0 if exact else re.I
    return re.compile(left + body + right, flags)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/labelled_messages.jsonl"))
    ap.add_argument("--unused", action="store_true", help="also list phrases found nowhere")
    ap.add_argument("--copies", action="store_true", help="list unit examples copied from labelled texts")
    args = ap.parse_args()
    try:
        rows = [json.loads(l) for l in open(args.data, encoding="utf-8") if l.strip()]
    except OSError as e:
        sys.exit(f"cannot read the labelled set: {e}")

    entries = [(f, *e) for f in CUE_FILES for e in lexicon_blocks(f)]
    entries += [("src/scoring/jargon_lexicon.rs", *e) for e in jargon_terms()]
    single, unused = [], []
    for path, lang, group, phrase in entries:
        pattern = compile_phrase(phrase)
        ids = [r["id"] for r in rows if r["lang"] == lang and pattern.search(r["text"])]
        if len(ids) == 1:
            single.append((path, lang, group, phrase, ids[0]))
        elif not ids:
            unused.append((path, lang, group, phrase))
    print(f"{len(entries)} phrases, {len(single)} in exactly one labelled message")
    for path, lang, group, phrase, id_ in single:
        print(f"  {pathlib.Path(path).name:<18} {lang} {group:<15} {phrase!r:<40} {id_}")
    if args.unused:
        print(f"{len(unused)} phrases in no labelled message")
        for path, lang, group, phrase in unused:
            print(f"  {pathlib.Path(path).name:<18} {lang} {group:<15} {phrase!r}")

    if args.copies:
        texts = [(r["id"], re.sub(r"\s+", " ", r["text"])) for r in rows]
        copies = 0
        for path in sorted((ROOT / "src").rglob("*.rs")) + sorted((ROOT / "tests").rglob("*.rs")):
            # Character literals ('"') would throw the string matching off.
            source = re.sub(r"'(?:\\.|[^'\\])'", "' '", path.read_text(encoding="utf-8"))
            # Unit examples: the test module of a source file, or a whole test file.
            start = 0 if "tests" in path.parts else source.find("#[cfg(test)]")
            if start < 0:
                continue
            for m in STRING.finditer(source, start):
                literal = re.sub(r"\s+", " ", m.group(1).replace("\\n", " ").replace("\\\n", " "))
                # Whole literals and each of their sentences.
                pieces = [literal] + re.split(r"(?<=[.!?])\s+", literal)
                pieces = [p.strip() for p in pieces if len(p.strip()) >= 16]
                hit = next((i for p in pieces for i, t in texts if p in t), None)
                if hit:
                    copies += 1
                    line = source.count("\n", 0, m.start()) + 1
                    print(f"  {path.relative_to(ROOT)}:{line} {hit}: {literal[:70]!r}")
        print(f"{copies} literals of 16+ characters copied from labelled texts")


if __name__ == "__main__":
    main()
