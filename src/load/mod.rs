//! Loading: the only module that knows YAML. Files in, a valid [`Inventory`] and
//! [`Scenario`] out, or every problem found, each located at its file, line and column.
//!
//! Flow: `yaml` (text -> located node tree) -> `inventory` / `scenario` (typed raw values)
//! -> `validate` (cross-file rules) -> model types. Nothing downstream re-validates.

mod diag;
mod fields;
mod inventory;
pub mod plan_file;
mod scenario;
mod validate;
mod yaml;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use scenario::is_plan_path;

use crate::model::{Inventory, Scenario};
use fields::Reader;
use yaml::Sources;

/// A valid inventory and scenario, plus the warnings a planner should see.
#[derive(Debug)]
pub struct Loaded {
    /// The inventory.
    pub inventory: Inventory,
    /// The scenario (defaults when none was given).
    pub scenario: Scenario,
    /// Findings that do not stop planning.
    pub warnings: Diagnostics,
}

/// Loads and validates an inventory directory and, when given, a scenario file.
///
/// # Errors
/// Every problem found (warnings included), sorted by file and line.
pub fn load(inventory_dir: &Path, scenario_file: Option<&Path>) -> Result<Loaded, Diagnostics> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();

    let tree = match scenario_file {
        Some(path) => match scenario::read_chain(path, &mut sources) {
            Ok(t) => Some(t),
            Err(d) => {
                diags.0.extend(d.0);
                None
            }
        },
        None => None,
    };

    let files = match inventory::list_files(inventory_dir) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            Vec::new()
        }
    };
    let (trees, sha256) = inventory::parse_files(&files, &mut sources, &mut diags);

    let mut r = Reader::new(&sources);
    let (scenario, pins) = match &tree {
        Some(t) => match scenario::read_scenario(&mut r, t) {
            Some((s, p)) => (Some(s), p),
            None => (None, Vec::new()),
        },
        None if scenario_file.is_none() => (
            Some(Scenario::defaults(jiff::civil::date(2019, 1, 7))),
            Vec::new(),
        ),
        None => (None, Vec::new()),
    };
    let depts: Vec<_> = trees
        .iter()
        .filter_map(|(src, node)| inventory::read_department(&mut r, node, *src))
        .collect();
    let parsed_all = depts.len() == trees.len() && trees.len() == files.len() && !files.is_empty();

    let mut inventory = validate::validate(&mut r, &depts, scenario.as_ref(), &pins);
    diags.0.extend(r.diags.0);
    diags.sort();
    let (Some(mut scenario), false, true) = (scenario, diags.has_errors(), parsed_all) else {
        return Err(diags);
    };
    scenario.pins = scenario::pins_map(&pins);
    inventory.files = files;
    inventory.sha256 = sha256;
    Ok(Loaded {
        inventory,
        scenario,
        warnings: diags,
    })
}

#[cfg(test)]
mod tests;
