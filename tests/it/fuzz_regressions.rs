//! Inputs the fuzzers found, kept as raw bytes under `tests/fuzz-regressions/<target>/`, and the
//! seeds under `fuzz/seeds/<target>/`, replayed through the very functions the fuzz targets call
//! (`fuzz/harness.rs`): each must return without a panic, and the Markdown HTML must stay safe.
//! See docs/fuzzing.md.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../../fuzz/harness.rs"]
mod harness;

fn dir(parts: &[&str]) -> PathBuf {
    parts
        .iter()
        .fold(PathBuf::from(env!("CARGO_MANIFEST_DIR")), |p, part| {
            p.join(part)
        })
}

/// Runs every file under `base/<target>/` through its target; all failures are reported at once.
fn replay(base: &Path) -> usize {
    let mut ran = 0;
    let mut failures = Vec::new();
    for (target, run) in harness::TARGETS {
        let Ok(entries) = std::fs::read_dir(base.join(target)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for file in files.iter().filter(|f| f.is_file()) {
            let bytes = std::fs::read(file).expect("readable input");
            ran += 1;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(&bytes))) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{target} {}: {message}", file.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    ran
}

#[test]
fn fuzz_regressions_found_inputs_are_handled() {
    let ran = replay(&dir(&["tests", "fuzz-regressions"]));
    assert!(
        ran > 0,
        "tests/fuzz-regressions holds the inputs the fuzzers found"
    );
}

#[test]
fn fuzz_regressions_seed_inputs_are_handled() {
    let ran = replay(&dir(&["fuzz", "seeds"]));
    assert!(ran > 0, "fuzz/seeds holds the seed inputs");
}

#[test]
fn fuzz_regressions_cover_every_import_format() {
    let targets: Vec<&str> = harness::TARGETS.iter().map(|(t, _)| *t).collect();
    for format in debrief::import::registry::FORMATS {
        assert!(
            targets.contains(&format.name),
            "no fuzz target for the {} reader",
            format.name
        );
    }
    // Every target has its binary in fuzz/Cargo.toml.
    let manifest = std::fs::read_to_string(dir(&["fuzz", "Cargo.toml"])).expect("fuzz manifest");
    for target in targets {
        assert!(
            manifest.contains(&format!("path = \"fuzz_targets/{target}.rs\"")),
            "{target} is not a fuzz target in fuzz/Cargo.toml"
        );
    }
}

#[test]
fn fuzz_regressions_markdown_safety_check_catches_unsafe_html() {
    // The property the markdown target asserts, checked against HTML it must refuse.
    for bad in [
        "<p><script>alert(1)</script></p>",
        "<p><a href=\"javascript:alert(1)\">x</a></p>",
        "<p><a href=\" JaVa\tScRiPt:alert(1)\">x</a></p>",
        "<p><a href=\"https://x\" onclick=\"alert(1)\">x</a></p>",
        "<img src=\"https://evil.example/p.png\">",
        "<p><a href=https://x>x</a></p>",
    ] {
        let refused = catch_unwind(|| harness::assert_safe_html("", bad)).is_err();
        assert!(refused, "the safety check let {bad:?} through");
    }
    harness::assert_safe_html(
        "",
        "<p><a href=\"https://x.example/?q=javascript:\" title=\"onclick=\">ok</a> &lt;script&gt;</p>\n",
    );
}
