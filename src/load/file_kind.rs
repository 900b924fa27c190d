//! Which of the three formats a file's top-level keys say it is, so that a file given in the
//! wrong place gets one error naming its kind, not a list of fields its reader does not know.

use std::path::{Path, PathBuf};

/// The kind of a waveplan input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A department's inventory file (`department:`, `services:`).
    Inventory,
    /// A scenario (`calendar:`, `capacity:`, `rules:` …).
    Scenario,
    /// A plan written by `waveplan plan` (`format:`, `waves:`, `summary:` …).
    Plan,
}

/// Keys only a plan has at the top level.
const PLAN_KEYS: [&str; 6] = [
    "format",
    "inventory_sha256",
    "scenario_sha256",
    "summary",
    "waves",
    "unscheduled",
];
/// Keys only a scenario has at the top level.
const SCENARIO_KEYS: [&str; 7] = [
    "calendar", "capacity", "extends", "sites", "rules", "pins", "risk",
];

impl FileKind {
    /// How a sentence names the kind: "an inventory file", "a scenario file", "a plan file".
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Inventory => "an inventory file",
            Self::Scenario => "a scenario file",
            Self::Plan => "a plan file",
        }
    }

    /// The kind a file's top-level `keys` clearly belong to, if any.
    pub(crate) fn of_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let keys: Vec<&str> = keys.into_iter().collect();
        let has = |set: &[&str]| keys.iter().any(|k| set.contains(k));
        if has(&PLAN_KEYS) {
            Some(Self::Plan)
        } else if keys.contains(&"department") {
            Some(Self::Inventory)
        } else if has(&SCENARIO_KEYS) {
            Some(Self::Scenario)
        } else {
            None
        }
    }

    /// The kind of a file from its text: a JSON object's keys, or a YAML document's
    /// top-level keys (lines that start a `key:` in the first column). Only a guess for a
    /// message, made after the file's own reader has failed.
    pub(crate) fn of_text(text: &str) -> Option<Self> {
        if text.trim_start().starts_with('{') {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).ok()?;
            return Self::of_keys(map.keys().map(String::as_str));
        }
        Self::of_keys(text.lines().filter_map(top_level_key))
    }
}

/// The key a YAML line starts in the first column, if it starts one.
fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_' || first == '"' || first == '\'') {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '\r'])) {
        return None;
    }
    let key = key.trim().trim_matches(['"', '\'']);
    key.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .then_some(key)
}

/// The plan a user most likely meant instead of `given` (a scenario or inventory file):
/// the scenario's own plan (`x.yaml` → `x.plan.yaml`) or `plans/baseline.plan.yaml`, when
/// either exists.
pub(crate) fn likely_plan(given: &Path, kind: FileKind) -> Option<PathBuf> {
    let own = (kind == FileKind::Scenario)
        .then(|| {
            let stem = given.file_stem()?.to_str()?;
            Some(given.with_file_name(format!("{stem}.plan.yaml")))
        })
        .flatten();
    own.into_iter()
        .chain([Path::new("plans").join("baseline.plan.yaml")])
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_top_level_keys() {
        let of = FileKind::of_text;
        assert_eq!(
            of("# c\ndepartment:\n  code: X\nservices:\n- id: a\n"),
            Some(FileKind::Inventory)
        );
        assert_eq!(
            of("name: b\ncalendar:\n  start: 2027-01-04\n"),
            Some(FileKind::Scenario)
        );
        assert_eq!(
            of("format: waveplan-plan/1\nservices: []\n"),
            Some(FileKind::Plan)
        );
        assert_eq!(
            of("{\"department\": {}, \"services\": []}"),
            Some(FileKind::Inventory)
        );
        assert_eq!(of("services: []\n"), None);
        assert_eq!(of("- a\n- b\n"), None);
        assert_eq!(of("  calendar: x\n"), None);
    }
}
