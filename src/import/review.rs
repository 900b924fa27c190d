//! The review: what an import read, made, skipped and left for a planner to decide, as
//! Markdown, JSON, and a short summary for the terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::kind::SourceKind;

/// A row or cell that was not used as written, and why.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Finding {
    /// `file:line` (or `file[sheet]:row`).
    pub place: String,
    /// What is wrong.
    pub what: String,
    /// What the import did about it (`skipped`, `left unknown`).
    pub then: String,
    /// 1-based line.
    #[serde(skip)]
    pub line: u32,
    /// 1-based column, 0 for a whole row.
    #[serde(skip)]
    pub column: u32,
}

impl Finding {
    /// `file:line: what: then`.
    #[must_use]
    pub fn describe(&self) -> String {
        format!("{}: {}: {}", self.place, self.what, self.then)
    }
}

/// One source table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReview {
    /// The file as given.
    pub file: String,
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
    /// What it was recognised as (`None`: not used).
    pub kind: Option<SourceKind>,
    /// The encoding of a text file.
    pub encoding: Option<String>,
    /// Data rows read.
    pub rows: usize,
    /// Rows that gave a record.
    pub imported: usize,
    /// Each row skipped, and why.
    pub skipped: Vec<Finding>,
    /// Cells that could not be read.
    pub bad_cells: Vec<Finding>,
}

/// An endpoint seen in flows but in no inventory source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Unknown {
    /// `name (ip):port` as seen.
    pub endpoint: String,
    /// Flow rows that name it.
    pub rows: usize,
    /// Where it was first seen.
    pub first_seen: String,
    /// A client that talks to it (for a destination).
    pub example_client: Option<String>,
    /// The placeholder service it became (`--keep-unknown`).
    pub imported_as: Option<String>,
    /// Its server key, to find that placeholder.
    #[serde(skip)]
    pub key: String,
}

/// What happened to the flows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FlowReview {
    /// Flow rows read.
    pub rows: usize,
    /// CMDB dependency relations read.
    pub relations: usize,
    /// Dependencies written.
    pub kept: usize,
    /// Flow rows between two services, by the service they reach.
    #[serde(skip)]
    pub rows_to: BTreeMap<usize, usize>,
    /// Flow rows to shared platforms.
    pub rows_collapsed: usize,
    /// Dependencies on shared platforms not written.
    pub collapsed: usize,
    /// Shared platforms and how many client services reach each.
    pub shared_platforms: Vec<SharedPlatform>,
    /// Rows ignored, by reason.
    pub ignored: BTreeMap<String, usize>,
    /// Rows inside one service.
    pub inside: usize,
    /// Flow rows with an end in no inventory source.
    pub unknown_rows: usize,
    /// CMDB relations with an end in no inventory source.
    pub relations_unknown: usize,
    /// Those ends.
    pub unknown: Vec<Unknown>,
    /// Dependencies on powered-off (retired) services, written with `order: any`.
    pub to_retired: usize,
}

/// A service with fields no source knew.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The service.
    pub service: String,
    /// Fields given a default or left unknown.
    pub fields: Vec<String>,
}

/// A service most client services reach.
#[derive(Debug, Clone, Serialize)]
pub struct SharedPlatform {
    /// Its id.
    pub service: String,
    /// How many services reach it.
    pub clients: usize,
}

/// One department of the result.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentReview {
    /// Its code.
    pub code: String,
    /// Services imported into it.
    pub services: usize,
    /// Whether its file is new.
    pub new_file: bool,
}

/// A service whose servers are all powered off.
#[derive(Debug, Clone, Serialize)]
pub struct PoweredOff {
    /// Its id.
    pub service: String,
    /// Its servers.
    pub servers: String,
}

/// Where one service's fields came from.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The service.
    pub service: String,
    /// Field → the source files that gave it.
    pub fields: BTreeMap<String, Vec<String>>,
    /// The files its dependencies were discovered in.
    pub dependencies: Vec<String>,
}

impl Provenance {
    /// `vcpu, memory_gib from vinfo.csv; dependencies from flows.csv`.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut by_files: BTreeMap<Vec<String>, Vec<&str>> = BTreeMap::new();
        for (field, files) in &self.fields {
            by_files.entry(files.clone()).or_default().push(field);
        }
        let mut parts: Vec<String> = by_files
            .iter()
            .map(|(files, fields)| format!("{} from {}", fields.join(", "), files.join(", ")))
            .collect();
        if !self.dependencies.is_empty() {
            parts.push(format!(
                "dependencies from {}",
                self.dependencies.join(", ")
            ));
        }
        if parts.is_empty() {
            parts.push("placeholder: seen only in flows".to_owned());
        }
        format!("`{}`: {}", self.service, parts.join("; "))
    }
}

/// A move group suggested from traffic.
#[derive(Debug, Clone, Serialize)]
pub struct MoveGroupSuggestion {
    /// Its name.
    pub name: String,
    /// Its members.
    pub members: Vec<String>,
    /// Share of the members' traffic that stays inside.
    pub kept_share: f64,
}

/// Everything an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Review {
    /// Per source table.
    pub sources: Vec<SourceReview>,
    /// Servers after merging sources.
    pub servers: usize,
    /// Departments: code, services, whether the file is new.
    pub departments: Vec<DepartmentReview>,
    /// Services written as new.
    pub new_services: usize,
    /// Services matched to ones already in the inventory (updated where the sources changed).
    pub existing_services: usize,
    /// Flows and relations.
    pub flows: FlowReview,
    /// Ids that had to differ from the name.
    pub renamed: Vec<String>,
    /// Rows naming a server already listed in the same file.
    pub duplicates: Vec<String>,
    /// Per department: fields no source knew.
    pub decisions: BTreeMap<String, Vec<Decision>>,
    /// Services whose servers are all powered off (imported as `retire`).
    pub powered_off: Vec<PoweredOff>,
    /// Servers no rule placed in a department.
    pub unassigned: Vec<String>,
    /// Suggested move groups.
    pub move_groups: Vec<MoveGroupSuggestion>,
    /// What the merge kept or removed.
    pub merge_notes: Vec<String>,
    /// Which source file gave each field of each service.
    pub provenance: Vec<Provenance>,
    /// Files written.
    pub written: Vec<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", group(n), if n == 1 { one } else { many })
}

/// `2114` → `2,114`, as the reports write counts.
fn group(n: usize) -> String {
    crate::report::fmt::num(n as f64)
}

impl Review {
    /// One line per source, as printed while reading (`vm.xlsx: RVTools vInfo, 2,114 rows`).
    #[must_use]
    pub fn source_line(s: &SourceReview) -> String {
        let name = match &s.sheet {
            Some(sheet) => format!("{} [{sheet}]", s.file),
            None => s.file.clone(),
        };
        match s.kind {
            Some(k) => format!("{name}: {}, {}", k.label(), plural(s.rows, "row", "rows")),
            None => format!("{name}: not used (no kind recognised)"),
        }
    }

    /// The summary printed on stderr after every import; `listed` says where the details
    /// are (`listed in review.md`, `--report FILE lists them`).
    #[must_use]
    pub fn summary(&self, listed: &str) -> String {
        let mut s = String::new();
        let skipped: usize = self.sources.iter().map(|s| s.skipped.len()).sum();
        let _ = writeln!(
            s,
            "{} → {} ({} new, {} already in the inventory) in {}",
            plural(self.servers, "server", "servers"),
            plural(
                self.new_services + self.existing_services,
                "service",
                "services"
            ),
            group(self.new_services),
            group(self.existing_services),
            plural(self.departments.len(), "department", "departments"),
        );
        let f = &self.flows;
        if f.rows > 0 {
            let ignored: usize = f.ignored.values().sum();
            let between: usize = f.rows_to.values().sum();
            let _ = writeln!(
                s,
                "flows: {}: {} between services, {} to {} ({} not written), {} inside one service, {} ignored, {} with an end in no inventory",
                plural(f.rows, "row", "rows"),
                group(between - f.rows_collapsed),
                group(f.rows_collapsed),
                plural(
                    f.shared_platforms.len(),
                    "shared platform",
                    "shared platforms"
                ),
                plural(f.collapsed, "dependency", "dependencies"),
                group(f.inside),
                group(ignored),
                group(f.unknown_rows),
            );
        }
        if f.relations > 0 {
            let _ = writeln!(
                s,
                "CMDB: {} read as dependencies, {} with an end in no inventory",
                plural(f.relations, "relationship", "relationships"),
                group(f.relations_unknown)
            );
        }
        if f.rows > 0 || f.relations > 0 {
            let _ = writeln!(
                s,
                "{} written",
                plural(f.kept, "dependency", "dependencies")
            );
        }
        if skipped > 0 {
            let _ = writeln!(s, "{} skipped ({listed})", plural(skipped, "row", "rows"));
        }
        let bad: usize = self.sources.iter().map(|s| s.bad_cells.len()).sum();
        if bad > 0 {
            let _ = writeln!(
                s,
                "{} not read as a number ({listed})",
                plural(bad, "cell", "cells")
            );
        }
        if !self.duplicates.is_empty() {
            let _ = writeln!(
                s,
                "{} listed twice in one file: the first counts ({listed})",
                plural(self.duplicates.len(), "server", "servers")
            );
        }
        let undecided: usize = self.decisions.values().map(Vec::len).sum();
        if undecided > 0 {
            let _ = writeln!(
                s,
                "{} a planner's decision (defaults written; {listed})",
                plural(undecided, "service needs", "services need")
            );
        }
        if !self.powered_off.is_empty() {
            let _ = writeln!(
                s,
                "{} powered off: imported as `retire` ({listed})",
                plural(self.powered_off.len(), "service is", "services are")
            );
        }
        if !self.unassigned.is_empty() {
            let _ = writeln!(
                s,
                "{} in no department: placed in the fallback department (add a rule to the map, or --department)",
                plural(self.unassigned.len(), "server", "servers")
            );
        }
        if !f.unknown.is_empty() {
            let _ = writeln!(
                s,
                "{} not in any inventory ({listed}; --keep-unknown imports them)",
                plural(f.unknown.len(), "flow endpoint", "flow endpoints")
            );
        }
        s
    }

    /// The review as JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The review as Markdown.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut s = String::from("# Import review\n\n");
        s.push_str(
            &self
                .summary("listed below")
                .lines()
                .map(|l| format!("- {l}\n"))
                .collect::<String>(),
        );
        s.push_str("\n## Sources\n\n| source | kind | encoding | rows | imported | skipped |\n|---|---|---|---:|---:|---:|\n");
        for src in &self.sources {
            let name = src
                .sheet
                .as_ref()
                .map_or_else(|| src.file.clone(), |sh| format!("{} [{sh}]", src.file));
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                md(&name),
                src.kind.map_or("not used", SourceKind::label),
                src.encoding.as_deref().unwrap_or("—"),
                group(src.rows),
                group(src.imported),
                group(src.skipped.len())
            );
        }
        let skipped: Vec<&Finding> = self.sources.iter().flat_map(|s| s.skipped.iter()).collect();
        list(&mut s, "Rows skipped", skipped.iter().map(|f| f.describe()));
        let bad: Vec<&Finding> = self
            .sources
            .iter()
            .flat_map(|s| s.bad_cells.iter())
            .collect();
        list(&mut s, "Cells not read", bad.iter().map(|f| f.describe()));
        list(&mut s, "Rows listed twice", self.duplicates.iter().cloned());
        s.push_str("\n## Departments\n\n| department | services | file |\n|---|---:|---|\n");
        for DepartmentReview {
            code,
            services: n,
            new_file: new,
        } in &self.departments
        {
            let _ = writeln!(
                s,
                "| {code} | {} | {} |",
                group(*n),
                if *new { "new" } else { "updated" }
            );
        }
        let f = &self.flows;
        s.push_str("\n## Flows\n\n");
        let _ = writeln!(
            s,
            "- rows read: {} (and {} CMDB dependency relations)",
            group(f.rows),
            group(f.relations)
        );
        let _ = writeln!(s, "- dependencies written: {}", group(f.kept));
        let _ = writeln!(s, "- inside one service (dropped): {}", group(f.inside));
        let _ = writeln!(
            s,
            "- with an end in no inventory: {}",
            group(f.unknown_rows)
        );
        for (why, n) in &f.ignored {
            let _ = writeln!(s, "- ignored, {why}: {}", group(*n));
        }
        if f.to_retired > 0 {
            let _ = writeln!(
                s,
                "- on powered-off services, written with `order: any`: {}",
                group(f.to_retired)
            );
        }
        list(
            &mut s,
            "Shared platforms (dependencies on them collapsed)",
            f.shared_platforms.iter().map(|p| {
                format!(
                    "`{}`: reached by {}",
                    p.service,
                    plural(p.clients, "service", "services")
                )
            }),
        );
        list(
            &mut s,
            "Endpoints not in any inventory",
            f.unknown.iter().map(|u| {
                let from = u
                    .example_client
                    .as_ref()
                    .map_or(String::new(), |c| format!(" from {c}"));
                let imported = u
                    .imported_as
                    .as_ref()
                    .map_or(String::new(), |i| format!(" (imported as `{i}`)"));
                format!(
                    "{}{from}: not in any inventory ({}, first at {}){imported}",
                    u.endpoint,
                    plural(u.rows, "row", "rows"),
                    u.first_seen
                )
            }),
        );
        list(
            &mut s,
            "Suggested move groups (uncomment `move_group:` in the files to accept)",
            self.move_groups.iter().map(|g| {
                format!(
                    "`{}`: {} keep {:.0}% of their traffic inside",
                    g.name,
                    g.members.join(", "),
                    g.kept_share * 100.0
                )
            }),
        );
        list(&mut s, "Ids renamed", self.renamed.iter().cloned());
        list(
            &mut s,
            "Powered off (imported as `retire`)",
            self.powered_off
                .iter()
                .map(|p| format!("`{}`: {}", p.service, p.servers)),
        );
        list(
            &mut s,
            "Servers in no department",
            self.unassigned.iter().cloned(),
        );
        if !self.decisions.is_empty() {
            s.push_str("\n## Needs a planner's decision\n\nThese fields were given the map's defaults (or left unknown, counted as 0); set them in the files.\n");
            for (dept, items) in &self.decisions {
                let _ = writeln!(s, "\n### {dept}\n");
                for d in items {
                    let _ = writeln!(s, "- `{}`: {}", d.service, d.fields.join(", "));
                }
            }
        }
        list(&mut s, "Merge", self.merge_notes.iter().cloned());
        list(
            &mut s,
            "Where each field came from",
            self.provenance.iter().map(Provenance::describe),
        );
        list(&mut s, "Files written", self.written.iter().cloned());
        s
    }
}

fn md(s: &str) -> String {
    s.replace('|', "\\|")
}

fn list(s: &mut String, title: &str, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## {title}\n");
    for i in items {
        let _ = writeln!(s, "- {}", md(&i));
    }
}
