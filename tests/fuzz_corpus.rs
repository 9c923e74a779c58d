//! Replays every committed fuzz input — the seed corpora in `fuzz/corpus/<target>/` and the
//! inputs that once crashed a target, kept in `fuzz/regressions/<target>/` — through the same
//! checks the fuzz targets run (`understudy::fuzzing`). CI does not build cargo-fuzz; this test
//! keeps every finding fixed anyway.

use std::fs;
use std::path::{Path, PathBuf};

use understudy::fuzzing::TARGETS;

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("read fuzz dir").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs one target's check on every file under `fuzz/<kind>/<target>/`, naming the file that
/// fails. Returns how many files ran.
fn replay(kind: &str, target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let files = inputs(&dir);
    for path in &files {
        let data = fs::read(path).expect("read fuzz input");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "fuzz check `{target}` fails on {}",
            path.display()
        );
    }
    files.len()
}

#[test]
fn every_target_has_a_seed_corpus_that_passes() {
    for (target, check) in TARGETS {
        let n = replay("corpus", target, *check);
        assert!(n > 0, "fuzz/corpus/{target} is empty");
    }
}

#[test]
fn every_fuzz_regression_stays_fixed() {
    for (target, check) in TARGETS {
        replay("regressions", target, *check);
    }
}

#[test]
fn every_fuzz_target_has_a_check_and_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut on_disk: Vec<String> = inputs(&root.join("fuzz_targets"))
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<String> = TARGETS.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "fuzz/fuzz_targets and fuzzing::TARGETS differ"
    );
}

/// The pipeline check only proves something when runs succeed: the real pg_dump seeds and the
/// generated dumps must pass under both fixed policies, or the identity and no-leak assertions
/// would never be reached.
#[test]
fn pipeline_seeds_reach_the_success_path() {
    use understudy::fuzzing::{run_pipeline, structured_dump, KEEP_POLICY, REDACT_POLICY};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/pipeline");
    let mut raw = 0;
    for path in inputs(&dir) {
        let data = fs::read(&path).unwrap();
        if data.first() == Some(&0) {
            let out = run_pipeline(&data[1..], KEEP_POLICY);
            assert!(out.as_deref() == Some(&data[1..]), "{}", path.display());
            assert!(
                run_pipeline(&data[1..], REDACT_POLICY).is_some(),
                "{}",
                path.display()
            );
            raw += 1;
        }
    }
    assert!(raw >= 3, "seeds from real pg_dump output");
    let rows = b"ada@example.com\tAda\nback\\\\slash\t\\N\nit's\tsemi;colon";
    for inserts in [false, true] {
        let dump = structured_dump(rows, inserts);
        assert!(
            run_pipeline(&dump, KEEP_POLICY).is_some(),
            "keep, inserts={inserts}"
        );
        let out = run_pipeline(&dump, REDACT_POLICY).expect("redact");
        assert!(
            out.windows(8).any(|w| w == b"REDACTED"),
            "inserts={inserts}"
        );
    }
}
