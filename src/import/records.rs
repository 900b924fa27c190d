//! Rows → records: servers, flows and relations, with every cell read as the export wrote
//! it (units, decimal commas, `n/a`) and every row that cannot be used reported.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::kind::{NAME_HEADERS, SourceKind};
use super::quantity::{self, Parsed, Unit};
use super::review::Finding;
use super::table::Table;
use crate::model::{Attribute, ColumnSpec, Field, Grouping, ImportMap};

/// One server (or CMDB item) as one source describes it.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// The name as written.
    pub name: String,
    /// Lowercase, without a DNS domain: how sources are matched with each other.
    pub key: String,
    /// Its IP addresses.
    pub ips: Vec<String>,
    /// vCPUs, when known.
    pub vcpu: Option<f64>,
    /// Memory in GiB, when known.
    pub memory_gib: Option<f64>,
    /// Provisioned storage in GiB, when known.
    pub storage_gib: Option<f64>,
    /// Storage in use (data to copy) in GiB, when known.
    pub data_gib: Option<f64>,
    /// Operating system.
    pub os: Option<String>,
    /// Environment.
    pub environment: Option<String>,
    /// Attributes department rules look at.
    pub attributes: BTreeMap<Attribute, String>,
    /// The application or service it belongs to, when a source says.
    pub application: Option<String>,
    /// Powered off (RVTools) or retired (CMDB).
    pub powered_off: bool,
    /// A CMDB application CI rather than a server.
    pub is_application: bool,
    /// The source file it came from (file name only).
    pub source: String,
    /// `file:line` of its row.
    pub place: String,
}

/// One client → server flow.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Client name (may be empty).
    pub src_name: String,
    /// Client IP (may be empty).
    pub src_ip: String,
    /// Client process.
    pub src_process: String,
    /// Server name (may be empty).
    pub dst_name: String,
    /// Server IP (may be empty).
    pub dst_ip: String,
    /// Server process.
    pub dst_process: String,
    /// Destination port.
    pub port: Option<u32>,
    /// Connections this row stands for.
    pub count: f64,
    /// The file (and sheet) it is in, shared by every row of the table.
    pub origin: Rc<str>,
    /// Its line.
    pub line: u32,
    /// Source file name, shared by every row of the table.
    pub source: Rc<str>,
}

impl Flow {
    /// `file:line` of its row.
    #[must_use]
    pub fn place(&self) -> String {
        format!("{}:{}", self.origin, self.line)
    }
}

/// One CMDB relationship.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The parent CI's name.
    pub parent: String,
    /// The relationship type as written (`Depends on::Used by`).
    pub kind: String,
    /// The child CI's name.
    pub child: String,
    /// `file:line`.
    pub place: String,
    /// Source file name.
    pub source: String,
}

/// What one table gave.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Servers and CMDB items.
    pub servers: Vec<Server>,
    /// Flows.
    pub flows: Vec<Flow>,
    /// Relations.
    pub relations: Vec<Relation>,
    /// Rows skipped, and why.
    pub skipped: Vec<Finding>,
    /// Cells that could not be read.
    pub bad_cells: Vec<Finding>,
}

fn finding(place: String, line: u32, column: Option<usize>, what: String, then: &str) -> Finding {
    Finding {
        place,
        what,
        then: then.to_owned(),
        line,
        column: column.map_or(0, |c| u32::try_from(c + 1).unwrap_or(0)),
    }
}

const VCPU: [&str; 10] = [
    "cpus",
    "vcpu",
    "vcpus",
    "cores",
    "cpu",
    "cpu cores",
    "num cpus",
    "processors",
    "logical processors",
    "cpu count",
];
const MEMORY: [&str; 6] = [
    "memory",
    "ram",
    "mem",
    "memory size",
    "ram size",
    "total memory",
];
const STORAGE: [&str; 10] = [
    "provisioned",
    "disk",
    "disk size",
    "storage",
    "total disk capacity",
    "disk capacity",
    "total storage",
    "total disk",
    "hdd",
    "allocated storage",
];
const DATA: [&str; 9] = [
    "in use",
    "used",
    "used storage",
    "disk used",
    "used space",
    "data",
    "data size",
    "consumed",
    "storage used",
];
const OS: [&str; 7] = [
    "os according to the configuration file",
    "os",
    "operating system",
    "os name",
    "guest os",
    "os according to the vmware tools",
    "platform",
];
const ENVIRONMENT: [&str; 4] = ["environment", "env", "stage", "tier"];
const DEPARTMENT: [&str; 11] = [
    "department",
    "owner",
    "owner group",
    "support group",
    "owned by",
    "managed by group",
    "business unit",
    "group",
    "assignment group",
    "dept",
    "managed by",
];
const APPLICATION: [&str; 7] = [
    "application",
    "app",
    "service",
    "business service",
    "application name",
    "system",
    "app name",
];
const IP: [&str; 6] = [
    "ip",
    "ip address",
    "primary ip address",
    "ipv4",
    "ip addresses",
    "ipv4 address",
];
const STATUS: [&str; 6] = [
    "powerstate",
    "power state",
    "operational status",
    "status",
    "state",
    "install status",
];

/// A header as compared with our spellings: lowercase, units and brackets dropped.
fn normalise(header: &str) -> String {
    let mut s = String::with_capacity(header.len());
    let mut depth = 0u32;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => s.extend(c.to_lowercase()),
            _ => {}
        }
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect();
    let units = ["b", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib"];
    let end = words
        .iter()
        .rposition(|w| !units.contains(w))
        .map_or(0, |i| i + 1);
    words[..end].join(" ")
}

/// Finds the column for one of our fields: the map's name first, then our spellings.
struct Columns<'t> {
    table: &'t Table,
    normalised: Vec<String>,
}

impl<'t> Columns<'t> {
    fn new(table: &'t Table) -> Self {
        Self {
            table,
            normalised: table.headers.iter().map(|h| normalise(h)).collect(),
        }
    }

    fn find(&self, spec: Option<&ColumnSpec>, names: &[&str]) -> Option<usize> {
        if let Some(s) = spec {
            return self.table.column(&[s.column.as_str()]);
        }
        self.table.column(names).or_else(|| {
            names
                .iter()
                .find_map(|n| self.normalised.iter().position(|h| h == n))
        })
    }

    /// The unit of a size column: the map's, else the header's, else `fallback`.
    fn unit(&self, spec: Option<&ColumnSpec>, col: usize, fallback: Unit) -> Unit {
        spec.and_then(|s| s.unit.as_deref())
            .and_then(quantity::header_unit)
            .or_else(|| {
                self.table
                    .headers
                    .get(col)
                    .and_then(|h| quantity::header_unit(h))
            })
            .unwrap_or(fallback)
    }
}

/// The short, lowercase key that matches one server across sources (`web-01.corp` = `WEB-01`).
#[must_use]
pub fn server_key(name: &str) -> std::borrow::Cow<'_, str> {
    let t = name.trim();
    // Most names in an export are already keys; matching millions of flow ends must not
    // allocate for each.
    if t.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return std::borrow::Cow::Borrowed(t);
    }
    let n = t.to_lowercase();
    if n.parse::<std::net::IpAddr>().is_ok() {
        return std::borrow::Cow::Owned(n);
    }
    std::borrow::Cow::Owned(n.split('.').next().unwrap_or("").to_owned())
}

fn cell(row: &[String], col: Option<usize>) -> &str {
    col.and_then(|c| row.get(c)).map_or("", |s| s.trim())
}

/// Reads every row of `table` as `kind`.
#[must_use]
pub fn extract(table: &mut Table, kind: SourceKind, map: &ImportMap) -> Extracted {
    let mut out = Extracted::default();
    let source = table.path.file_name().map_or_else(
        || table.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match kind {
        SourceKind::FlowsClassic | SourceKind::FlowsCounted => flows(table, &source, &mut out),
        SourceKind::CmdbRelations => relations(table, &source, &mut out),
        _ => servers(table, kind, map, &source, &mut out),
    }
    out
}

fn servers(table: &Table, kind: SourceKind, map: &ImportMap, source: &str, out: &mut Extracted) {
    let c = Columns::new(table);
    let spec = |f: Field| map.columns.get(&f);
    let rv = kind == SourceKind::RvtoolsVinfo;
    let name = if rv {
        c.find(None, &["vm"])
    } else {
        c.find(spec(Field::Name), &NAME_HEADERS)
    };
    let vcpu = c.find(spec(Field::Vcpu), &VCPU);
    let memory = c.find(spec(Field::Memory), &MEMORY);
    let storage = c.find(spec(Field::Storage), &STORAGE);
    let data = c.find(spec(Field::Data), &DATA);
    let os = c.find(spec(Field::Os), &OS);
    let env = c.find(spec(Field::Environment), &ENVIRONMENT);
    let dept = c.find(spec(Field::Department), &DEPARTMENT);
    let app = match &map.services {
        Grouping::Column(col) => table.column(&[col.as_str()]),
        _ => c.find(spec(Field::Application), &APPLICATION),
    };
    let ip = c.find(spec(Field::Ip), &IP);
    let status = c.find(spec(Field::Status), &STATUS);
    let template = rv.then(|| table.column(&["template"])).flatten();
    let class = (kind == SourceKind::CmdbItems)
        .then(|| table.column(&["class", "sys_class_name", "ci class"]))
        .flatten();
    let attrs: Vec<(Attribute, Option<usize>)> = [
        (Attribute::Folder, "folder"),
        (Attribute::ResourcePool, "resource pool"),
        (Attribute::Annotation, "annotation"),
        (Attribute::Datacenter, "datacenter"),
        (Attribute::Cluster, "cluster"),
    ]
    .into_iter()
    .map(|(a, h)| (a, table.column(&[h])))
    .collect();
    // RVTools writes MiB; a plain list without a unit in header or cell is read as GiB.
    let size_unit = if rv { Unit::MiB } else { Unit::GiB };
    let units = [memory, storage, data].map(|col| {
        col.map(|col| {
            let s = match () {
                () if Some(col) == memory => spec(Field::Memory),
                () if Some(col) == storage => spec(Field::Storage),
                () => spec(Field::Data),
            };
            c.unit(s, col, size_unit)
        })
    });
    // A file whose numbers show decimal commas (`1.024,5`) uses `.` between thousands: one
    // export, one locale.
    let number_columns: Vec<usize> = [vcpu, memory, storage, data]
        .into_iter()
        .flatten()
        .collect();
    let european = table.rows.iter().any(|r| {
        number_columns
            .iter()
            .any(|&c| decimal_comma(cell(&r.cells, Some(c))))
    });
    let numeric = |_col: usize, text: &str| -> String {
        if european {
            text.replace('.', "")
        } else {
            text.to_owned()
        }
    };
    let Some(name_col) = name else {
        out.skipped.push(finding(
            table.place(table.header_line),
            table.header_line,
            None,
            "no name column".to_owned(),
            "table skipped",
        ));
        return;
    };
    for row in &table.rows {
        let place = table.place(row.line);
        let cells = &row.cells;
        let server_name = cell(cells, Some(name_col));
        if server_name.is_empty() {
            out.skipped.push(finding(
                place,
                row.line,
                Some(name_col),
                "the name is empty".to_owned(),
                "skipped",
            ));
            continue;
        }
        if template.is_some_and(|t| cell(cells, Some(t)).eq_ignore_ascii_case("true")) {
            out.skipped.push(finding(
                place,
                row.line,
                template,
                format!("`{server_name}` is a template"),
                "skipped",
            ));
            continue;
        }
        let header = |col: usize| table.headers.get(col).map_or("", String::as_str);
        // One reading for every numeric cell: a value, unknown, or a finding for the review.
        let mut read = |col: Option<usize>, parse: &dyn Fn(&str) -> Parsed, kind: &str| {
            let col = col?;
            let text = cell(cells, Some(col));
            match parse(&numeric(col, text)) {
                Parsed::Value(v) if v >= 0.0 => Some(v),
                Parsed::Unknown => None,
                _ => {
                    out.bad_cells.push(finding(
                        place.clone(),
                        row.line,
                        Some(col),
                        format!(
                            "`{}` of `{server_name}` is `{text}`, not {kind}",
                            header(col)
                        ),
                        "left unknown",
                    ));
                    None
                }
            }
        };
        let size_in =
            |unit: Option<Unit>| move |t: &str| quantity::gib(t, unit.unwrap_or(Unit::GiB));
        let memory_gib = read(memory, &size_in(units[0]), "a size");
        let storage_gib = read(storage, &size_in(units[1]), "a size");
        let data_gib = read(data, &size_in(units[2]), "a size");
        let vcpu = read(vcpu, &quantity::count, "a whole number");
        let text = |col: Option<usize>| {
            let t = cell(cells, col);
            (!t.is_empty() && !is_unknown(t)).then(|| t.to_owned())
        };
        let mut attributes = BTreeMap::new();
        attributes.insert(Attribute::Name, server_name.to_owned());
        for (a, col) in &attrs {
            if let Some(v) = text(*col) {
                attributes.insert(*a, v);
            }
        }
        if let Some(v) = text(dept) {
            attributes.insert(Attribute::Group, v);
        }
        let state = cell(cells, status).to_lowercase();
        let powered_off = matches!(
            state.as_str(),
            "poweredoff"
                | "powered off"
                | "off"
                | "retired"
                | "non-operational"
                | "decommissioned"
                | "disposed"
                | "absent"
        );
        let class_text = cell(cells, class).to_lowercase();
        let is_application = ["appl", "application", "service", "business"]
            .iter()
            .any(|w| class_text.contains(w));
        let ips = text(ip)
            .map(|t| {
                t.split([',', ';', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        out.servers.push(Server {
            name: server_name.to_owned(),
            key: server_key(server_name).into_owned(),
            ips,
            vcpu,
            memory_gib,
            storage_gib,
            data_gib,
            os: text(os),
            environment: text(env),
            attributes,
            application: text(app),
            powered_off,
            is_application,
            source: source.to_owned(),
            place,
        });
    }
}

/// Whether a cell shows a decimal comma: `1.024,5`, `12,5`, `0,75 GB` (not `16,384`).
fn decimal_comma(text: &str) -> bool {
    let number = text.trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace());
    match number.rsplit_once(',') {
        Some((int, frac)) => {
            !int.is_empty()
                && !frac.is_empty()
                && frac.len() != 3
                && frac.bytes().all(|b| b.is_ascii_digit())
                && int.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        }
        None => false,
    }
}

/// `n/a` and friends.
fn is_unknown(t: &str) -> bool {
    matches!(quantity::number(t), Parsed::Unknown) && !t.chars().any(char::is_alphanumeric)
        || ["n/a", "na", "unknown", "none", "null", "tbd", "-"]
            .iter()
            .any(|u| t.eq_ignore_ascii_case(u))
}

fn flows(table: &mut Table, source: &str, out: &mut Extracted) {
    let col = |names: &[&str]| table.column(names);
    let src_name = col(&["source server name"]);
    let src_ip = col(&["source ip"]);
    let src_process = col(&["source process"]);
    let dst_name = col(&["destination server name"]);
    let dst_ip = col(&["destination ip"]);
    let dst_process = col(&["destination process"]);
    let port = col(&["destination port"]);
    let count = col(&["connection count"]);
    let rows = std::mem::take(&mut table.rows);
    let origin: Rc<str> = match &table.sheet {
        Some(sheet) => format!("{}[{sheet}]", table.path.display()).into(),
        None => table.path.display().to_string().into(),
    };
    let source: Rc<str> = source.into();
    for mut row in rows {
        // Only a row that is reported needs its place spelt out.
        let place = || format!("{origin}:{}", row.line);
        // Cells move out of the table: 200,000 rows must not be copied string by string.
        let mut c = |i: Option<usize>| {
            i.and_then(|i| row.cells.get_mut(i))
                .map(|s| {
                    let t = std::mem::take(s);
                    if t.len() == t.trim().len() {
                        t
                    } else {
                        t.trim().to_owned()
                    }
                })
                .unwrap_or_default()
        };
        let (sn, si, dn, di) = (c(src_name), c(src_ip), c(dst_name), c(dst_ip));
        if (sn.is_empty() && si.is_empty()) || (dn.is_empty() && di.is_empty()) {
            out.skipped.push(finding(
                place(),
                row.line,
                None,
                "a flow without a source or a destination".to_owned(),
                "skipped",
            ));
            continue;
        }
        let (src_process, dst_process) = (c(src_process), c(dst_process));
        let port_text = c(port);
        let port = match quantity::count(&port_text) {
            Parsed::Value(v) if v <= 65535.0 => Some(v as u32),
            Parsed::Unknown => None,
            _ => {
                out.bad_cells.push(finding(
                    place(),
                    row.line,
                    port,
                    format!("port `{port_text}` is not a port number"),
                    "left unknown",
                ));
                None
            }
        };
        let count_text = count.map(|i| c(Some(i)));
        let count = match count_text.as_deref() {
            None => 1.0,
            Some(text) => match quantity::number(text) {
                Parsed::Value(v) if v >= 0.0 => v,
                Parsed::Unknown => 1.0,
                _ => {
                    out.bad_cells.push(finding(
                        place(),
                        row.line,
                        count,
                        format!("connection count `{text}` is not a number"),
                        "counted as 1",
                    ));
                    1.0
                }
            },
        };
        out.flows.push(Flow {
            src_name: sn,
            src_ip: si,
            src_process,
            dst_name: dn,
            dst_ip: di,
            dst_process,
            port,
            count,
            origin: Rc::clone(&origin),
            line: row.line,
            source: Rc::clone(&source),
        });
    }
}

fn relations(table: &Table, source: &str, out: &mut Extracted) {
    let parent = table.column(&["parent"]);
    let kind = table.column(&["type", "relationship type"]);
    let child = table.column(&["child"]);
    for row in &table.rows {
        let place = table.place(row.line);
        let (p, k, ch) = (
            cell(&row.cells, parent),
            cell(&row.cells, kind),
            cell(&row.cells, child),
        );
        if p.is_empty() || ch.is_empty() {
            out.skipped.push(finding(
                place,
                row.line,
                None,
                "a relationship without a parent or a child".to_owned(),
                "skipped",
            ));
            continue;
        }
        out.relations.push(Relation {
            parent: p.to_owned(),
            kind: k.to_owned(),
            child: ch.to_owned(),
            place,
            source: source.to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_compared_without_units_and_case() {
        assert_eq!(normalise("RAM (MB)"), "ram");
        assert_eq!(normalise("Provisioned MiB"), "provisioned");
        assert_eq!(normalise("In Use MiB"), "in use");
        assert_eq!(normalise("Disk [GB]"), "disk");
        assert_eq!(normalise("Operating_System"), "operating system");
    }

    #[test]
    fn decimal_commas_are_told_from_thousands_separators() {
        assert!(decimal_comma("1.024,5"));
        assert!(decimal_comma("12,5 GB"));
        assert!(!decimal_comma("16,384"));
        assert!(!decimal_comma("1,234.5"));
        assert!(!decimal_comma("n/a"));
    }

    #[test]
    fn server_keys_drop_the_domain_but_not_an_ip() {
        assert_eq!(server_key(" WEB-01.corp.example "), "web-01");
        assert_eq!(server_key("10.20.5.77"), "10.20.5.77");
    }
}
