//! Integration tests: run the real `waveplan` binary and the library's public entry points.
#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails loudly on unexpected errors"
)]

mod calendar;
mod commands;
mod completions;
mod doc_examples;
mod docs;
mod explain;
mod files;
mod fuzz_corpus;
mod graph;
mod import;
mod init;
mod invalid_inputs;
mod layers;
mod limits;
mod malformed;
mod man_pages;
mod messages;
mod outputs;
mod overrides;
mod reliability;
mod replan;
mod report;
mod risk;
mod schemas;
mod shipped_default;
mod terminal;
mod warnings;
mod whatif;

use std::path::{Path, PathBuf};

/// The repository root (tests run with it as the working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture directory.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A scratch copy of the shipped default (inventories, scenario and its plan) to run
/// commands in, so tests that write under `plans/` never touch the repository.
pub fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("inventories");
    std::fs::create_dir_all(&inv).expect("mkdir");
    for e in std::fs::read_dir(root().join("inventories")).expect("inventories") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, inv.join(p.file_name().expect("name"))).expect("copy");
    }
    std::fs::create_dir_all(dir.path().join("plans")).expect("mkdir");
    for f in ["baseline.yaml", "baseline.plan.yaml"] {
        std::fs::copy(
            root().join("plans").join(f),
            dir.path().join("plans").join(f),
        )
        .expect("copy");
    }
    dir
}

/// The `waveplan` binary, run from `dir`.
pub fn waveplan(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("waveplan").expect("binary is built");
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// What a run of `waveplan` gave back.
pub struct Ran {
    /// The exit code; `None` when a signal ended the run.
    pub code: Option<i32>,
    /// Standard output as text (bytes that are not UTF-8 read as U+FFFD).
    pub out: String,
    /// Standard error as text (bytes that are not UTF-8 read as U+FFFD).
    pub err: String,
    /// Standard output exactly as written: for JSON, strict UTF-8 and byte-for-byte checks,
    /// which the lossy `out` would weaken.
    pub out_bytes: Vec<u8>,
}

// `out_bytes` is `out` again as a list of numbers: left out, failure messages stay readable.
impl std::fmt::Debug for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ran")
            .field("code", &self.code)
            .field("out", &self.out)
            .field("err", &self.err)
            .finish_non_exhaustive()
    }
}

impl Ran {
    /// Runs `cmd` to its end and captures its exit code and output.
    pub fn of(cmd: &mut assert_cmd::Command) -> Self {
        let o = cmd.output().expect("runs");
        Self {
            code: o.status.code(),
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
            out_bytes: o.stdout,
        }
    }
}

/// Runs `waveplan` with `args` in `dir` and captures its exit code and output.
pub fn run(dir: &Path, args: &[&str]) -> Ran {
    Ran::of(waveplan(dir).args(args))
}
