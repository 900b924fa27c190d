//! The layering ARCHITECTURE.md states, checked on the source: which top-level module may use
//! which (as rust-analyzer's tidy tests check theirs). Test code is left out: a test may build
//! its inputs with any layer.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::root;

/// Each layer and the layers it may use (besides `model`, which every layer may use, and
/// itself). `cli` may use everything and is not listed.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("graph", &[]),
    ("load", &["graph"]),
    ("schedule", &["graph"]),
    // verify shares nothing with the scheduler or the graph: it is the independent check.
    ("verify", &[]),
    // report shows a risk result it is handed; it never simulates.
    ("report", &["verify", "risk"]),
    (
        "scenario",
        &["load", "graph", "schedule", "verify", "report"],
    ),
    ("import", &["load", "report"]),
    // risk executes a plan on the scheduler's dense problem; it never searches.
    ("risk", &["schedule"]),
];

/// Files of `dir` that are test-only modules: declared right after `#[cfg(test)]` by a
/// file of the same directory (`tests.rs`, `testing.rs`, `units_agree.rs`, …).
fn test_only(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let mut lines = text.lines().map(str::trim);
        while let Some(line) = lines.next() {
            if line == "#[cfg(test)]"
                && let Some(next) = lines.next()
                && let Some(m) = next
                    .strip_prefix("mod ")
                    .or(next.strip_prefix("pub mod "))
                    .or(next.strip_prefix("pub(crate) mod "))
                && let Some(m) = m.strip_suffix(';')
            {
                out.push(format!("{m}.rs"));
            }
        }
    }
    out
}

/// Every layer `crate::<name>` path in the non-test code of `dir`.
fn used_layers(dir: &Path, found: &mut BTreeSet<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            used_layers(&path, found);
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || test_only(dir).contains(&name) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        // A file's unit tests sit at its end, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let layer: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            found.insert((layer, path.display().to_string()));
        }
    }
}

#[test]
fn layers_use_only_the_layers_architecture_md_allows() {
    let src = root().join("src");
    let mut broken = Vec::new();
    for (layer, may) in ALLOWED {
        let mut found = BTreeSet::new();
        used_layers(&src.join(layer), &mut found);
        for (used, file) in found {
            if used != *layer && used != "model" && !may.contains(&used.as_str()) {
                broken.push(format!("{file} uses crate::{used}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layering broken (see ARCHITECTURE.md, Invariants):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_layering_check_sees_a_forbidden_use() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("check.rs"),
        "use crate::schedule::plan;\n#[cfg(test)]\nmod probe;\n#[cfg(test)]\nmod tests { use crate::cli; }\n",
    )
    .unwrap();
    fs::write(dir.path().join("probe.rs"), "use crate::graph::x;\n").unwrap();
    let mut found = BTreeSet::new();
    used_layers(dir.path(), &mut found);
    let layers: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(layers, ["schedule"]);
}
