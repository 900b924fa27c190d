//! Loading: the only module that knows YAML. Files in, a valid [`Inventory`] and
//! [`Scenario`] out, or every problem found, each located at its file, line and column.
//!
//! Flow: `yaml` (text -> located node tree) -> `inventory` / `scenario` (typed raw values)
//! -> `validate` (cross-file rules) -> model types. Nothing downstream re-validates.

mod diag;
mod existing;
mod fields;
mod file_kind;
mod import_map;
mod input;
mod inventory;
mod overrides;
pub mod plan_file;
pub mod read;
mod scenario;
pub mod schema;
mod unclosed;
mod validate;
mod write;
mod yaml;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use existing::{Existing, ExistingService};
pub use fields::{closest, is_id};
pub use import_map::read_import_map;
pub use input::{InputFile, InputFiles};
pub use overrides::{Override, Overrides};
pub use scenario::is_plan_path;
pub use write::{Rendered, SUGGESTION_MARK, render_inventory, scalar};

use crate::model::{Inventory, Scenario};
use fields::Reader;
use scenario::ScenarioNodes;
use yaml::Sources;

/// Inventories of fewer bytes than this are converted on the calling thread, larger ones a
/// file per task in parallel (results in file order either way).
const PARALLEL_FROM_BYTES: usize = 64 * 1024;

/// A valid inventory and scenario, plus the warnings a planner should see.
#[derive(Debug)]
pub struct Loaded {
    /// The inventory.
    pub inventory: Inventory,
    /// The scenario (defaults when none was given).
    pub scenario: Scenario,
    /// Findings that do not stop planning.
    pub warnings: Diagnostics,
    /// The scenario file then each parent up its `extends` chain (empty without one), so
    /// writers can refuse to replace an input.
    pub scenario_files: Vec<std::path::PathBuf>,
}

/// Loads and validates an inventory directory and, when given, a scenario file.
///
/// # Errors
/// Every problem found (warnings included), sorted by file and line.
pub fn load(inventory_dir: &Path, scenario_file: Option<&Path>) -> Result<Loaded, Diagnostics> {
    load_with(inventory_dir, scenario_file, &Overrides::default())
}

/// Like [`load`], with `--set` overrides applied to the merged scenario tree and the
/// inventory trees before anything is converted, so overridden values are checked (and
/// located, in a source named `--set KEY`) like values written in the files.
///
/// Reads the inventory directory's files into memory and loads them as [`load_from`] does;
/// the scenario and its `extends` chain are read from disk as the chain is followed.
///
/// # Errors
/// Every problem found, including a path that leads nowhere (naming the path and what
/// exists there) and an override of the scenario when no scenario file is given.
pub fn load_with(
    inventory_dir: &Path,
    scenario_file: Option<&Path>,
    overrides: &Overrides,
) -> Result<Loaded, Diagnostics> {
    let (mut files, read) = read_dir(inventory_dir);
    files.scenario = scenario_file.map(Path::to_path_buf);
    load_files(files, read, overrides)
}

/// Reads the inventory directory's files into memory (bytes only, in parallel), with the
/// problems reading them.
fn read_dir(inventory_dir: &Path) -> (InputFiles, Read) {
    use rayon::prelude::*;
    let mut diags = Diagnostics::default();
    let mut unread = 0;
    let mut files = InputFiles::new();
    match inventory::list_files(inventory_dir) {
        Ok(paths) => {
            // Only the bytes are read here (size and file-kind checks included); decoding,
            // hashing and parsing are the in-memory entry's, shared with `load_from`.
            let read: Vec<_> = paths
                .par_iter()
                .map(|p| inventory::read_bytes(p).map_err(inventory::inventory_hint))
                .collect();
            for (path, r) in paths.into_iter().zip(read) {
                match r {
                    Ok(bytes) => files.inventory.push(InputFile { path, bytes }),
                    Err(d) => {
                        diags.push(d);
                        unread += 1;
                    }
                }
            }
        }
        Err(d) => diags.push(d),
    }
    let read = Read {
        diags,
        unread,
        disk: true,
    };
    (files, read)
}

/// Loads and validates inputs held in memory, exactly as [`load_with`] loads files from
/// disk (overrides, validation, warnings, the `extends` chain looked up among `files` by its
/// resolved path), without touching the file system.
///
/// # Errors
/// Every problem found, each naming its file by the path it was given under; a file that
/// `extends` names but `files` lacks is an error, never read from disk.
pub fn load_from(files: InputFiles, overrides: &Overrides) -> Result<Loaded, Diagnostics> {
    let read = Read {
        diags: Diagnostics::default(),
        unread: 0,
        disk: false,
    };
    load_files(files, read, overrides)
}

/// An inventory directory read once and every department file parsed once into its located
/// tree, kept for a whole `whatif` run so that each variant only converts (issue 12).
///
/// Problems reading or parsing a file are kept too: every [`load_variant`] reports them,
/// exactly as [`load_with`] would for that variant.
#[derive(Debug)]
pub struct SharedInventory {
    /// The files read and decoded.
    base: Base,
    /// Each decoded file's tree, or its parse error, by source index.
    trees: Vec<Result<yaml::Node, Diagnostic>>,
}

impl SharedInventory {
    /// How many inventory files were parsed into trees: once each, however many variants
    /// are loaded from them.
    #[must_use]
    pub fn files_parsed(&self) -> usize {
        self.trees.len()
    }
}

/// Reads the inventory directory and parses each department file once, for
/// [`load_variant`] to load any number of variants from.
#[must_use]
pub fn parse_inventory(inventory_dir: &Path) -> SharedInventory {
    let (files, read) = read_dir(inventory_dir);
    parse_shared(files.inventory, read)
}

/// [`parse_inventory`] on department files held in memory: the inventory files of `files`
/// (its scenario files are not looked at; give them to each [`load_variant_from`]).
#[must_use]
pub fn parse_inventory_from(files: InputFiles) -> SharedInventory {
    let read = Read {
        diags: Diagnostics::default(),
        unread: 0,
        disk: false,
    };
    parse_shared(files.inventory, read)
}

/// Decodes the inventory files and parses each once.
fn parse_shared(inventory_files: Vec<InputFile>, read: Read) -> SharedInventory {
    use rayon::prelude::*;
    let base = Base::decode(inventory_files, read);
    let parse = |&src: &usize| base.sources.parse(src);
    // Same rule as converting: a small inventory is parsed here, a large one in parallel.
    let trees = if base.bytes() < PARALLEL_FROM_BYTES {
        base.srcs.iter().map(parse).collect()
    } else {
        base.srcs.par_iter().map(parse).collect()
    };
    SharedInventory { base, trees }
}

/// [`load_with`] on an inventory parsed once by [`parse_inventory`]: the same [`Loaded`]
/// (or the same diagnostics), without reading or parsing the inventory again. Only the
/// trees of files an inventory override touches are cloned (and the override applied to
/// the clone); the scenario and its `extends` chain are read and parsed per call.
///
/// # Errors
/// Every problem found, as [`load_with`] reports them.
pub fn load_variant(
    shared: &SharedInventory,
    scenario_file: Option<&Path>,
    overrides: &Overrides,
) -> Result<Loaded, Diagnostics> {
    let chain = input::ChainFiles {
        files: InputFiles::new(),
        disk: true,
    };
    load_on(
        &shared.base,
        Some(&shared.trees),
        chain,
        scenario_file,
        overrides,
    )
}

/// [`load_variant`] with the scenario and its `extends` chain held in memory: the scenario
/// files of `files` (its inventory files are not looked at; the inventory is `shared`'s).
/// Nothing is read from disk, as in [`load_from`]; this is how a fuzz target keeps the
/// fixed inventory parsed once and loads each input's scenario or overrides against it.
///
/// # Errors
/// Every problem found, as [`load_from`] reports them.
pub fn load_variant_from(
    shared: &SharedInventory,
    mut files: InputFiles,
    overrides: &Overrides,
) -> Result<Loaded, Diagnostics> {
    let scenario_file = files.scenario.take();
    files.inventory.clear();
    let chain = input::ChainFiles { files, disk: false };
    load_on(
        &shared.base,
        Some(&shared.trees),
        chain,
        scenario_file.as_deref(),
        overrides,
    )
}

/// What an entry found before the files reached [`load_files`].
struct Read {
    /// Problems reading them (the directory, a file's kind or size).
    diags: Diagnostics,
    /// Inventory files that could not be read: the inventory is incomplete, so the warnings
    /// that count the users of a name (a lone move-group member, an unused team) must wait.
    unread: usize,
    /// Whether a scenario-chain file missing from the set is read from disk.
    disk: bool,
}

/// The inventory's files decoded into sources, before any scenario or override is looked
/// at: what a single load and every variant of a what-if run start from.
#[derive(Debug)]
struct Base {
    /// The decoded inventory texts, first in the sources (so a shared tree's source indices
    /// hold in every variant's sources, which append the scenario and overrides after).
    sources: Sources,
    /// Source indices of the decoded files, in SPEC order.
    srcs: Vec<usize>,
    /// Every inventory file that was read, decoded or not, in SPEC order.
    files: Vec<std::path::PathBuf>,
    /// Digest of the decoded files.
    sha256: String,
    /// Problems reading and decoding them.
    diags: Diagnostics,
    /// See [`Read::unread`].
    unread: usize,
}

impl Base {
    /// Sorts the inventory files into SPEC order, then decodes and hashes them.
    fn decode(mut inventory_files: Vec<InputFile>, read: Read) -> Self {
        let Read {
            mut diags,
            unread,
            disk,
        } = read;
        // SPEC order is by file name; the disk entry lists them so already, callers in
        // memory may not (a stable sort keeps equal names in the order given).
        inventory_files.sort_by(|a, b| {
            let (ka, kb) = (a.path.file_name(), b.path.file_name());
            ka.map(std::ffi::OsStr::as_encoded_bytes)
                .cmp(&kb.map(std::ffi::OsStr::as_encoded_bytes))
        });
        if inventory_files.is_empty() && !disk {
            // On disk an empty directory was reported by `list_files`, naming the directory.
            diags.push(
                Diagnostic::error("empty-inventory", "no inventory files given")
                    .hint("each department's inventory is one YAML file"),
            );
        }
        let mut sources = Sources::default();
        let (srcs, sha256) = read_inventory(inventory_files.iter_mut(), &mut sources, &mut diags);
        let files = inventory_files.into_iter().map(|f| f.path).collect();
        Self {
            sources,
            srcs,
            files,
            sha256,
            diags,
            unread,
        }
    }

    /// Bytes of decoded inventory text.
    fn bytes(&self) -> usize {
        self.srcs
            .iter()
            .filter_map(|&s| self.sources.0.get(s))
            .map(|s| s.text.len())
            .sum()
    }
}

/// The loader behind [`load_with`] and [`load_from`]: decodes the inventory, then loads it
/// parsing each file as it is converted.
fn load_files(
    mut files: InputFiles,
    read: Read,
    overrides: &Overrides,
) -> Result<Loaded, Diagnostics> {
    let scenario_file = files.scenario.take();
    let inventory_files = std::mem::take(&mut files.inventory);
    let disk = read.disk;
    let base = Base::decode(inventory_files, read);
    let chain = input::ChainFiles { files, disk };
    load_on(&base, None, chain, scenario_file.as_deref(), overrides)
}

/// The one loader behind every entry: reads the scenario chain, applies the overrides and
/// converts and validates the inventory of `base`, parsing each file as it goes or, given
/// `trees`, converting the trees parsed once for a what-if run.
fn load_on(
    base: &Base,
    trees: Option<&[Result<yaml::Node, Diagnostic>]>,
    mut chain: input::ChainFiles,
    scenario_file: Option<&Path>,
    overrides: &Overrides,
) -> Result<Loaded, Diagnostics> {
    let mut diags = base.diags.clone();
    // The inventory's sources are shared (not copied); this load's own follow them.
    let mut sources = base.sources.clone();
    let tree = match scenario_file {
        Some(path) => match scenario::read_chain(path, &mut chain, &mut sources) {
            Ok(t) => Some(t),
            Err(d) => {
                diags.0.extend(d.0);
                None
            }
        },
        None => None,
    };
    // Given files the chain never named are freed here rather than held through the load.
    drop(chain);

    let srcs = &base.srcs;
    let files = base.files.clone();
    let mut tree = tree;
    // Values are parsed first (each becomes a source of its own); inventory overrides are
    // then applied file by file as each file is parsed.
    let mut inventory_overrides = Vec::new();
    for ov in &overrides.0 {
        let value = match overrides::parse_value(ov, &mut sources) {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        // An empty value removes the field, which for a limit means none at all: easy to do
        // by accident (`--set capacity.teams.dba=$DBA` with DBA unset), so it is said.
        if ov.value.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    "empty-override",
                    format!(
                        "`--set {}=` has an empty value: it removes `{}`, and a limit removed is no limit at all",
                        ov.key, ov.key
                    ),
                )
                .hint(format!(
                    "give a value, write `{}=unlimited` to lift a limit, or `{}=null` to remove the field without this warning",
                    ov.key, ov.key
                ))
                .warning(),
            );
        }
        let applied = if ov.is_inventory() {
            overrides::check_inventory_path(ov).map(|()| inventory_overrides.push((ov, value)))
        } else if let Some(t) = tree.as_mut() {
            overrides::apply_scenario(&mut t.root, ov, value)
        } else if scenario_file.is_none() {
            Err(Diagnostic::error(
                "bad-override",
                format!("`--set {ov}` changes the scenario, but no scenario file is given"),
            )
            .hint("pass the scenario to change with -s FILE"))
        } else {
            // The scenario itself failed to load; its errors are already listed.
            Ok(())
        };
        if let Err(d) = applied {
            diags.push(d);
        }
    }

    let outcomes: Vec<inventory::FileOutcome> = {
        use rayon::prelude::*;
        let shared = &sources;
        let load = |&src: &usize| match trees {
            // The shared trees are indexed by source: the inventory's sources come first.
            Some(trees) => match trees.get(src) {
                Some(parsed) => inventory::load_parsed(shared, src, parsed, &inventory_overrides),
                None => inventory::load_file(shared, src, &inventory_overrides),
            },
            None => inventory::load_file(shared, src, &inventory_overrides),
        };
        // Handing a small inventory to the thread pool costs more than converting it here
        // (a fuzz target's few hundred bytes went through two thread hand-offs per input).
        if base.bytes() < PARALLEL_FROM_BYTES {
            srcs.iter().map(load).collect()
        } else {
            srcs.par_iter().map(load).collect()
        }
    };
    let mut matched = vec![false; inventory_overrides.len()];
    let (mut ids, mut codes) = (Vec::new(), Vec::new());
    let mut unloaded: Vec<String> = Vec::new();
    let mut depts: Vec<_> = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        diags.0.extend(o.diags.0);
        unloaded.extend(o.unloaded);
        for i in o.matched {
            matched[i] = true;
        }
        ids.extend(o.names.0);
        codes.extend(o.names.1);
        depts.extend(o.department);
    }
    for ((ov, _), _) in inventory_overrides
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
    {
        let service = ov.path.first().is_some_and(|k| k == "services");
        diags.push(overrides::not_found(
            ov,
            if service { &ids } else { &codes },
        ));
    }

    let scenario_files = tree.as_ref().map(|t| t.files.clone()).unwrap_or_default();
    let mut r = Reader::new(&sources);
    let (scenario, nodes) = match &tree {
        Some(t) => scenario::read_scenario(&mut r, t),
        None if scenario_file.is_none() => (
            Some(Scenario::defaults(jiff::civil::date(2019, 1, 7))),
            ScenarioNodes::default(),
        ),
        None => (None, ScenarioNodes::default()),
    };
    let parsed_all = base.unread == 0 && depts.len() == files.len() && !files.is_empty();
    let complete = parsed_all && depts.iter().all(|d| d.services.len() == d.listed);

    let mut inventory = validate::validate(
        &mut r,
        &mut depts,
        scenario.as_ref(),
        &nodes,
        complete,
        &unloaded,
    );
    diags.0.extend(r.diags.0);
    diags.sort();
    let (Some(mut scenario), false, true) = (scenario, diags.has_errors(), parsed_all) else {
        return Err(diags);
    };
    scenario.pins = scenario::pins_map(&nodes.pins);
    inventory.files = files;
    inventory.sha256.clone_from(&base.sha256);
    Ok(Loaded {
        inventory,
        scenario,
        warnings: diags,
        scenario_files,
    })
}

/// Decodes and hashes every inventory file into `sources`, moving its bytes out (they become
/// the text without a copy); returns their source indices, in the order given, and the digest.
fn read_inventory<'a>(
    files: impl Iterator<Item = &'a mut InputFile>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> (Vec<usize>, String) {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut srcs = Vec::new();
    for f in files {
        match inventory::decode(&f.path, std::mem::take(&mut f.bytes)) {
            Ok((text, bom)) => {
                inventory::hash_text(&mut hasher, &text, bom);
                srcs.push(sources.add(&f.path, text));
            }
            Err(d) => diags.push(d),
        }
    }
    (srcs, inventory::hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests;
