//! Reads the import map file (`waveplan import --map FILE`, docs/import.md) into an
//! [`ImportMap`], every problem located like an inventory's.

use std::collections::BTreeMap;
use std::path::Path;

use super::Diagnostics;
use super::fields::Reader;
use super::inventory::{CRITICALITIES, ORDERS, SITES, STRATEGIES, read_effort, read_text};
use super::yaml::{Kind, Node, Sources};
use crate::model::{
    Attribute, ColumnSpec, DepartmentName, DepartmentRule, Field, FlowRules, Grouping, ImportMap,
};

const TOP: [&str; 8] = [
    "departments",
    "department_names",
    "services",
    "columns",
    "flows",
    "defaults",
    "unknown_department",
    "suggest_move_groups",
];
const FLOW_FIELDS: [&str; 6] = [
    "ignore_ports",
    "ignore_processes",
    "ignore_hosts",
    "shared_platform_share",
    "shared_platform_min_clients",
    "order",
];
const DEFAULT_FIELDS: [&str; 5] = [
    "site",
    "strategy",
    "criticality",
    "duration_waves",
    "effort_per_server",
];
const UNITS: [&str; 9] = ["B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"];

/// Reads and checks a map file.
///
/// # Errors
/// Every problem found, located at its line and column.
pub fn read_import_map(path: &Path) -> Result<ImportMap, Diagnostics> {
    let mut sources = Sources::default();
    let (text, _) = read_text(path).map_err(|d| Diagnostics(vec![d]))?;
    let src = sources.add(path, text);
    let root = sources.parse(src).map_err(|d| Diagnostics(vec![d]))?;
    let mut r = Reader::new(&sources);
    let mut map = ImportMap::default();
    if !root.is_null()
        && let Some(mut top) = r.map(&root, "the map file")
    {
        if let Some(n) = top.get("departments") {
            map.departments = read_rules(&mut r, n);
        }
        if let Some(n) = top.get("department_names") {
            map.department_names = read_names(&mut r, n);
        }
        if let Some(n) = top.get("services") {
            map.services = read_grouping(&mut r, n).unwrap_or(Grouping::Auto);
        }
        if let Some(n) = top.get("columns") {
            map.columns = read_columns(&mut r, n);
        }
        if let Some(n) = top.get("flows") {
            map.flows = read_flows(&mut r, n);
        }
        if let Some(n) = top.get("defaults") {
            read_defaults(&mut r, n, &mut map);
        }
        if let Some(code) = top
            .get("unknown_department")
            .and_then(|n| r.code(n, "unknown_department"))
        {
            map.unknown_department = code;
        }
        if let Some(b) = top
            .get("suggest_move_groups")
            .and_then(|n| r.boolean(n, "suggest_move_groups"))
        {
            map.suggest_move_groups = b;
        }
        r.finish(top, &TOP);
    }
    if r.diags.has_errors() {
        let mut d = r.diags;
        d.sort();
        return Err(d);
    }
    Ok(map)
}

/// A regular expression as the importer compiles it (case-insensitive).
fn check_pattern(
    r: &mut Reader<'_>,
    node: &Node,
    what: &str,
    group: Option<&str>,
) -> Option<String> {
    let text = r.text(node, what)?;
    match regex::RegexBuilder::new(&text)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
    {
        Ok(re) => {
            if let Some(g) = group
                && !re.capture_names().any(|n| n == Some(g))
            {
                r.error(
                    node,
                    "map-pattern",
                    format!("{what} `{text}` has no group named `{g}`"),
                    &format!("mark the part that names it with `(?P<{g}>...)`"),
                );
                return None;
            }
            Some(text)
        }
        Err(e) => {
            let msg = e.to_string();
            let last = msg.lines().last().unwrap_or("").trim();
            let last = last.strip_prefix("error: ").unwrap_or(last).to_owned();
            r.error(
                node,
                "map-pattern",
                format!("{what} `{text}` is not a valid regular expression: {last}"),
                "patterns use Rust regex syntax (like Perl's without look-around); quote them with single quotes",
            );
            None
        }
    }
}

fn read_rules(r: &mut Reader<'_>, node: &Node) -> Vec<DepartmentRule> {
    let mut out = Vec::new();
    let Some(items) = r.list(node, "`departments`") else {
        return out;
    };
    let mut known: Vec<&str> = Attribute::ALL.iter().map(|(k, _)| *k).collect();
    known.push("code");
    for item in items {
        let Some(mut m) = r.map(item, "a department rule") else {
            continue;
        };
        let mut found = Vec::new();
        for (key, attribute) in Attribute::ALL {
            if let Some(n) = m.get(key) {
                found.push((attribute, n));
            }
        }
        let code = m.get("code").and_then(|n| r.code(n, "department code"));
        let has_code = code.is_some();
        r.finish(m, &known);
        let keys = match &item.kind {
            Kind::Map(entries) => entries.len(),
            _ => 0,
        };
        let unknown_keys = keys > found.len() + usize::from(has_code);
        let [(attribute, pattern_node)] = found.as_slice() else {
            if found.is_empty() && unknown_keys {
                // The misspelt key is already reported, with its "did you mean".
                continue;
            }
            r.error(
                item,
                "map-rule",
                format!(
                    "a department rule must look at exactly one of {}, found {}",
                    Attribute::ALL.map(|(k, _)| k).join(", "),
                    found.len()
                ),
                "write one rule per attribute, e.g. `{folder: '^/DSF/', code: DSF}`",
            );
            continue;
        };
        let group = (!has_code).then_some("code");
        if let Some(pattern) = check_pattern(r, pattern_node, "the pattern", group) {
            out.push(DepartmentRule {
                attribute: *attribute,
                pattern,
                code,
                line: item.line,
            });
        }
    }
    out
}

fn read_names(r: &mut Reader<'_>, node: &Node) -> BTreeMap<String, DepartmentName> {
    let mut out = BTreeMap::new();
    let Some(mut m) = r.map(node, "`department_names`") else {
        return out;
    };
    for (_, key, value) in m.rest() {
        let Some(code) = r.code(key, "department code") else {
            continue;
        };
        let name = match &value.kind {
            Kind::Map(_) => r.map(value, "a department name").and_then(|mut f| {
                let name = r
                    .required(&mut f, "name")
                    .and_then(|n| r.text(n, "department name"));
                let local_name = f.get("local_name").and_then(|n| r.text(n, "local_name"));
                r.finish(f, &["name", "local_name"]);
                name.map(|name| DepartmentName { name, local_name })
            }),
            _ => r.text(value, "department name").map(|name| DepartmentName {
                name,
                local_name: None,
            }),
        };
        if let Some(n) = name {
            out.insert(code, n);
        }
    }
    out
}

fn read_grouping(r: &mut Reader<'_>, node: &Node) -> Option<Grouping> {
    if let Kind::Str(s) = &node.kind {
        return match s.as_str() {
            "auto" => Some(Grouping::Auto),
            "per-server" => Some(Grouping::PerServer),
            other => {
                r.error(
                    node,
                    "bad-choice",
                    format!("`services` must be `auto`, `per-server`, `{{column: NAME}}` or `{{pattern: REGEX}}`, found `{other}`"),
                    "see docs/import.md, section \"services\"",
                );
                None
            }
        };
    }
    let mut m = r.map(node, "`services`")?;
    let column = m.get("column").and_then(|n| r.text(n, "the column"));
    let pattern = m
        .get("pattern")
        .and_then(|n| check_pattern(r, n, "the service pattern", Some("service")));
    r.finish(m, &["column", "pattern"]);
    match (column, pattern) {
        (Some(c), None) => Some(Grouping::Column(c)),
        (None, Some(p)) => Some(Grouping::Pattern(p)),
        (Some(_), Some(_)) => {
            r.error(
                node,
                "map-rule",
                "`services` gives both a column and a pattern".to_owned(),
                "keep one of them",
            );
            None
        }
        (None, None) => None,
    }
}

fn read_columns(r: &mut Reader<'_>, node: &Node) -> BTreeMap<Field, ColumnSpec> {
    let mut out = BTreeMap::new();
    let Some(mut m) = r.map(node, "`columns`") else {
        return out;
    };
    let known: Vec<&str> = Field::ALL.iter().map(|(k, _)| *k).collect();
    for (key, key_node, value) in m.rest() {
        let Some(field) = Field::ALL.iter().find(|(k, _)| *k == key).map(|(_, f)| *f) else {
            let hint = super::fields::closest(key, &known).map_or_else(
                || format!("known fields here: {}", known.join(", ")),
                |c| format!("did you mean `{c}`?"),
            );
            r.error(
                key_node,
                "unknown-field",
                format!("unknown field `{key}` in `columns`"),
                &hint,
            );
            continue;
        };
        let spec = match &value.kind {
            Kind::Map(_) => r.map(value, "a column").and_then(|mut f| {
                let column = r
                    .required(&mut f, "column")
                    .and_then(|n| r.text(n, "the column"));
                let unit = f.get("unit").and_then(|n| read_unit(r, n));
                r.finish(f, &["column", "unit"]);
                column.map(|column| ColumnSpec { column, unit })
            }),
            _ => r
                .text(value, "the column")
                .map(|column| ColumnSpec { column, unit: None }),
        };
        if let Some(s) = spec {
            out.insert(field, s);
        }
    }
    out
}

fn read_unit(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node, "unit")?;
    if let Some(u) = UNITS.iter().find(|u| u.eq_ignore_ascii_case(&text)) {
        return Some((*u).to_owned());
    }
    r.error(
        node,
        "bad-choice",
        format!("unit must be one of {}, found `{text}`", UNITS.join(", ")),
        "MB and GB are read as MiB and GiB, as Windows and VMware tools write them",
    );
    None
}

fn read_flows(r: &mut Reader<'_>, node: &Node) -> FlowRules {
    let mut rules = FlowRules::default();
    let Some(mut m) = r.map(node, "`flows`") else {
        return rules;
    };
    if let Some(items) = m
        .get("ignore_ports")
        .and_then(|n| r.list(n, "ignore_ports"))
    {
        rules.ignore_ports = items.iter().filter_map(|n| r.count(n, "a port")).collect();
    }
    for (key, slot) in [
        ("ignore_processes", &mut rules.ignore_processes),
        ("ignore_hosts", &mut rules.ignore_hosts),
    ] {
        if let Some(items) = m.get(key).and_then(|n| r.list(n, key)) {
            *slot = items
                .iter()
                .filter_map(|n| check_pattern(r, n, "the pattern", None))
                .collect();
        }
    }
    if let Some(n) = m.get("shared_platform_share")
        && let Some(v) = r.number(n, "shared_platform_share")
    {
        if v > 0.0 && v <= 1.0 {
            rules.shared_platform_share = v;
        } else {
            r.error(
                n,
                "out-of-range",
                format!("shared_platform_share must be above 0 and at most 1, found {v}"),
                "0.5 means: reached by half of the client services",
            );
        }
    }
    if let Some(v) = m
        .get("shared_platform_min_clients")
        .and_then(|n| r.positive_count(n, "shared_platform_min_clients"))
    {
        rules.shared_platform_min_clients = v;
    }
    if let Some(o) = m.get("order").and_then(|n| r.choice(n, "order", &ORDERS)) {
        rules.order = o;
    }
    r.finish(m, &FLOW_FIELDS);
    rules
}

fn read_defaults(r: &mut Reader<'_>, node: &Node, map: &mut ImportMap) {
    let Some(mut m) = r.map(node, "`defaults`") else {
        return;
    };
    let d = &mut map.defaults;
    if let Some(v) = m.get("site").and_then(|n| r.choice(n, "site", &SITES)) {
        d.site = v;
    }
    if let Some(v) = m
        .get("strategy")
        .and_then(|n| r.choice(n, "strategy", &STRATEGIES))
    {
        d.strategy = v;
    }
    if let Some(v) = m
        .get("criticality")
        .and_then(|n| r.choice(n, "criticality", &CRITICALITIES))
    {
        d.criticality = v;
    }
    if let Some(v) = m
        .get("duration_waves")
        .and_then(|n| r.wave_count(n, "duration_waves"))
    {
        d.duration_waves = v;
    }
    if let Some(v) = m.get("effort_per_server").and_then(|n| read_effort(r, n)) {
        d.effort_per_server = v;
    }
    r.finish(m, &DEFAULT_FIELDS);
}
