use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// The folders whose code and word lists decide an incident's scores.
const ANALYSIS_SOURCES: [&str; 3] = ["src/scoring", "src/text", "assets/lexicons"];

fn main() {
    // `embed_migrations!` reads the migration folders at compile time; rebuild when they change.
    println!("cargo:rerun-if-changed=migrations");
    // Stored scores carry a fingerprint of what they were computed from; this part of it changes
    // with the analysis itself, so a build with other rules (a better cue list) scores again on the
    // next read instead of serving rows the old rules wrote.
    let mut files = Vec::new();
    for dir in ANALYSIS_SOURCES {
        println!("cargo:rerun-if-changed={dir}");
        collect(Path::new(dir), &mut files);
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        file.hash(&mut hasher);
        std::fs::read(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()))
            .hash(&mut hasher);
    }
    println!(
        "cargo:rustc-env=DEBRIEF_ANALYSIS_HASH={:016x}",
        hasher.finish()
    );
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
