//! Shared support for understudy's integration tests: every `tests/*.rs` says `mod support;`.
//!
//! What lives here: finding a real PostgreSQL server ([`server`]), one throwaway database per
//! test ([`TestDb`]), the built `understudy` binary ([`understudy`]), per-test scratch
//! directories ([`scratch_dir`]), fixtures ([`fixture`]) and small process helpers. What does
//! not: assertions about understudy's behaviour, which belong to the tests themselves.
//!
//! The tests need a real server and never skip: see [`server`] for how one is found or started
//! and for the environment variables that steer it.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

mod db;
pub mod pg_bin;
pub mod server;

use std::io::Write;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub use db::TestDb;

/// The `understudy` binary Cargo built for this test run.
pub fn understudy() -> Command {
    Command::new(env!("CARGO_BIN_EXE_understudy"))
}

/// Runs `understudy ARGS` with `key` as `UNDERSTUDY_KEY`; returns (exit code, stdout, stderr).
pub fn run_keyed(args: &[&str], key: &str) -> (i32, String, String) {
    let out = understudy()
        .args(args)
        .env("UNDERSTUDY_KEY", key)
        .output()
        .expect("run understudy");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The path of a file under `tests/fixtures/`; panics if it does not exist.
pub fn fixture(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    assert!(path.is_file(), "no fixture {}", path.display());
    path
}

/// Runs `cmd` with `input` on its stdin and collects its output. The input is written from a
/// second thread so that a child filling its stdout pipe cannot deadlock us.
pub fn run_with_input(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", cmd.get_program()));
    let mut stdin = child.stdin.take().expect("stdin was piped");
    std::thread::scope(|s| {
        s.spawn(move || {
            // A child that exits early closes its stdin; its status tells the real story.
            let _ = stdin.write_all(input);
        });
        child.wait_with_output().expect("cannot wait for child")
    })
}

/// A directory for one test's files under Cargo's target tmp dir, removed on drop. When the
/// test is panicking the directory is kept and its path printed, to look at what went wrong.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
}

/// A new empty scratch directory named after the current test (the test thread's name).
pub fn scratch_dir() -> ScratchDir {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let thread = std::thread::current();
    let test: String = thread
        .name()
        .unwrap_or("test")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("scratch")
        .join(format!("{test}-{}-{n}", std::process::id()));
    // Left over only by a dead process with our pid.
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
    ScratchDir { path }
}

impl ScratchDir {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test failed: keeping scratch dir {}", self.path.display());
        } else if let Err(e) = std::fs::remove_dir_all(&self.path) {
            eprintln!("warning: could not remove {}: {e}", self.path.display());
        }
    }
}
