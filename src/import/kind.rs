//! Which kind of export a table is, recognised from its header row alone.

use super::table::Table;

/// The kinds of export `waveplan import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// RVTools `vInfo`: one row per VM.
    RvtoolsVinfo,
    /// Azure Migrate dependency export, classic layout (one row per flow seen in a slot).
    FlowsClassic,
    /// Azure Migrate dependency export with a `Connection Count` column.
    FlowsCounted,
    /// CMDB configuration items.
    CmdbItems,
    /// CMDB relationships (`parent`, `type`, `child`).
    CmdbRelations,
    /// Any other server or service list.
    Servers,
}

impl SourceKind {
    /// How the kind is named to a planner.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::RvtoolsVinfo => "RVTools vInfo",
            Self::FlowsClassic => "dependency flows (Azure Migrate, classic)",
            Self::FlowsCounted => "dependency flows (Azure Migrate, with connection counts)",
            Self::CmdbItems => "CMDB configuration items",
            Self::CmdbRelations => "CMDB relationships",
            Self::Servers => "server list",
        }
    }
}

/// What each kind needs, for the error that lists them.
pub const KNOWN_KINDS: &str = "RVTools vInfo (VM, Powerstate, CPUs, Memory …); dependency flows \
(Source server name or Source IP, Destination server name or Destination IP, Destination port); \
CMDB items (Name, Class …); CMDB relationships (Parent, Type, Child); a server list (a name \
column such as Hostname, Server or Name, named in the map file if it is spelt otherwise)";

/// Header spellings of a server's name, shared by every kind that lists servers.
pub const NAME_HEADERS: [&str; 14] = [
    "hostname",
    "host name",
    "host",
    "server",
    "server name",
    "servername",
    "name",
    "computer name",
    "computer",
    "machine",
    "machine name",
    "vm name",
    "device name",
    "ci name",
];

/// Recognises a table's kind from its headers; `name_column` is the map's name column.
#[must_use]
pub fn recognise(table: &Table, name_column: Option<&str>) -> Option<SourceKind> {
    let has = |names: &[&str]| table.column(names).is_some();
    if has(&["vm"]) && has(&["powerstate"]) && (has(&["cpus"]) || has(&["memory"])) {
        return Some(SourceKind::RvtoolsVinfo);
    }
    let source = has(&["source server name", "source ip"]);
    let destination = has(&["destination server name", "destination ip"]);
    if source && destination && has(&["destination port"]) {
        return Some(if has(&["connection count"]) {
            SourceKind::FlowsCounted
        } else {
            SourceKind::FlowsClassic
        });
    }
    if has(&["parent"]) && has(&["child"]) && has(&["type", "relationship type"]) {
        return Some(SourceKind::CmdbRelations);
    }
    if has(&["class", "sys_class_name", "ci class"]) && has(&["name", "ci name"]) {
        return Some(SourceKind::CmdbItems);
    }
    let named = name_column.is_some_and(|c| has(&[c]));
    if named || has(&NAME_HEADERS) {
        return Some(SourceKind::Servers);
    }
    None
}
