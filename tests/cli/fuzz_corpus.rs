//! Replays every committed fuzz input (seeds and regressions under `fuzz/corpus/` and
//! `fuzz/regressions/`) through the same entry points the fuzzers call: none may panic, and
//! every plan the scheduler makes of a loaded input must verify clean (the entry points panic
//! on any breach; see `waveplan::fuzzing`).

use crate::root;

fn replay(target: &str, entry: fn(&[u8])) -> usize {
    let mut n = 0;
    for dir in ["fuzz/corpus", "fuzz/regressions"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).expect("corpus file readable");
            entry(&bytes);
            n += 1;
        }
    }
    n
}

#[test]
fn inventory_corpus_replays_without_panic() {
    assert!(replay("inventory", waveplan::fuzzing::inventory) > 10);
}

#[test]
fn scenario_corpus_replays_without_panic() {
    assert!(replay("scenario", waveplan::fuzzing::scenario) > 5);
}

#[test]
fn plan_corpus_replays_without_panic() {
    assert!(replay("plan", waveplan::fuzzing::plan) >= 3);
}

#[test]
fn set_corpus_replays_without_panic() {
    assert!(replay("set", waveplan::fuzzing::set) >= 5);
}

#[test]
fn diff_corpus_replays_without_panic() {
    assert!(replay("diff", waveplan::fuzzing::diff) >= 6);
}

#[test]
fn explain_corpus_replays_without_panic() {
    assert!(replay("explain", waveplan::fuzzing::explain) >= 6);
}

#[test]
fn report_corpus_replays_without_panic() {
    assert!(replay("report", waveplan::fuzzing::report) >= 6);
}

#[test]
fn inventory_parse_corpus_replays_without_panic() {
    assert!(replay("inventory_parse", waveplan::fuzzing::inventory_parse) > 10);
}

#[test]
fn scenario_parse_corpus_replays_without_panic() {
    assert!(replay("scenario_parse", waveplan::fuzzing::scenario_parse) > 5);
}

#[test]
fn plan_parse_corpus_replays_without_panic() {
    assert!(replay("plan_parse", waveplan::fuzzing::plan_parse) >= 3);
}

#[test]
fn set_parse_corpus_replays_without_panic() {
    assert!(replay("set_parse", waveplan::fuzzing::set_parse) >= 5);
}
