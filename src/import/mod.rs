//! Importing what planners already hold (RVTools, dependency flows, CMDB, plain tables)
//! into inventory drafts, with a review of everything read, made, skipped and defaulted.
//!
//! Flow: `table` (file → tables of text, any encoding and delimiter) → `kind` (which export
//! it is) → `records` (rows → servers, flows, relations; `quantity` reads the numbers) →
//! `estate` (servers → departments → services → dependencies; `community` suggests move
//! groups) → drafts, which `load` renders as YAML or merges into existing files. No YAML
//! here: reading the map file and writing inventories is `load`'s business.

pub mod community;
pub mod decode;
pub mod estate;
pub mod ids;
pub mod kind;
pub mod quantity;
pub mod records;
pub mod review;
pub mod synthetic;
pub mod table;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use crate::load::{Diagnostic, Diagnostics, Existing};
use crate::model::words::plural_of;
use crate::model::{DraftDepartment, ImportMap};
use estate::Settings;
use kind::{KNOWN_KINDS, SourceKind};
use review::{Review, SourceReview};

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The export files, in the order given (earlier sources win where they disagree).
    pub sources: Vec<PathBuf>,
    /// The map file's content (defaults when none).
    pub map: ImportMap,
    /// `--department`, `--keep-unknown`.
    pub settings: Settings,
    /// `--strict`: a ragged row or an unreadable cell is an error, not a skip.
    pub strict: bool,
}

/// Drafts to write, and the review.
#[derive(Debug)]
pub struct Imported {
    /// Department files to write or update.
    pub drafts: Vec<DraftDepartment>,
    /// What happened.
    pub review: Review,
}

/// Reads every source and builds the drafts; `on_source` hears each table as it is read.
///
/// # Errors
/// An unreadable file, a file of no known kind, or (with `strict`) any skipped row.
pub fn import(
    req: &Request,
    existing: &Existing,
    on_source: &mut dyn FnMut(&SourceReview),
) -> Result<Imported, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut review = Review::default();
    let mut servers = Vec::new();
    let mut flows = Vec::new();
    let mut relations = Vec::new();
    let name_column = req
        .map
        .columns
        .get(&crate::model::Field::Name)
        .map(|c| c.column.as_str());
    for path in &req.sources {
        let mut tables = match table::read(path) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let kinds: Vec<Option<SourceKind>> = tables
            .iter()
            .map(|t| kind::recognise(t, name_column))
            .collect();
        // In an RVTools workbook only vInfo describes VMs; its other tabs would read as lists.
        let rvtools = tables.iter().zip(&kinds).any(|(t, k)| {
            *k == Some(SourceKind::RvtoolsVinfo)
                && t.sheet
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case("vinfo"))
        });
        if kinds.iter().all(Option::is_none) {
            diags.push(unrecognised(path, &tables));
            continue;
        }
        for (t, k) in tables.iter_mut().zip(kinds) {
            let k = k.filter(|k| !rvtools || *k == SourceKind::RvtoolsVinfo);
            let mut sr = SourceReview {
                file: path.display().to_string(),
                sheet: t.sheet.clone(),
                kind: k,
                encoding: t.encoding.map(|e| e.label().to_owned()),
                rows: t.rows.len() + t.ragged.len(),
                ..SourceReview::default()
            };
            for r in &t.ragged {
                let why = format!(
                    "{} where the header has {}",
                    plural_of(r.found, "cell"),
                    r.expected
                );
                if req.strict {
                    let mut d = Diagnostic::error("ragged-row", format!("row has {why}"))
                        .in_file(path)
                        .hint("fix the row in the export, or drop --strict to skip such rows and list them in the review");
                    d.line = r.line;
                    d.column = 1;
                    diags.push(d);
                }
                sr.skipped.push(review::Finding {
                    place: t.place(r.line),
                    what: why,
                    then: "skipped".to_owned(),
                    line: r.line,
                    column: 0,
                });
            }
            if let Some(k) = k {
                let got = records::extract(t, k, &req.map);
                sr.imported = got.servers.len() + got.flows.len() + got.relations.len();
                if req.strict {
                    for f in &got.bad_cells {
                        let mut d = Diagnostic::error("bad-cell", f.what.clone())
                            .in_file(path)
                            .hint(format!("fix the cell, or drop --strict: the import then carries on ({}) and lists it in the review", f.then));
                        d.line = f.line;
                        d.column = f.column;
                        diags.push(d);
                    }
                }
                sr.skipped.extend(got.skipped);
                sr.bad_cells = got.bad_cells;
                servers.extend(got.servers);
                flows.extend(got.flows);
                relations.extend(got.relations);
            }
            on_source(&sr);
            review.sources.push(sr);
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let drafts = estate::build(
        servers,
        &flows,
        &relations,
        &req.map,
        existing,
        &req.settings,
        &mut review,
    );
    for d in &drafts {
        for s in &d.services {
            if s.existing {
                review.existing_services += 1;
            } else {
                review.new_services += 1;
            }
        }
    }
    Ok(Imported { drafts, review })
}

fn unrecognised(path: &std::path::Path, tables: &[table::Table]) -> Diagnostic {
    let headers = tables.first().map_or_else(String::new, |t| {
        let shown: Vec<&str> = t.headers.iter().take(12).map(String::as_str).collect();
        let more = t.headers.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("`{}`{more}", shown.join("`, `"))
    });
    let mut d = Diagnostic::error(
        "import-unrecognised",
        format!("not an export waveplan knows; its header row is {headers}"),
    )
    .in_file(path)
    .hint(format!(
        "known kinds: {KNOWN_KINDS}. For another server list, name its columns in the map file (`columns: {{name: YOUR-HEADER}}`)"
    ));
    d.line = tables.first().map_or(1, |t| t.header_line);
    d.column = 1;
    d
}
