//! What `waveplan import` is told (the map file) and what it hands to the writer (drafts).
//!
//! Plain data: `load` reads the map file into [`ImportMap`] and renders [`DraftDepartment`]s
//! as inventory files; `import` turns exports into drafts. Patterns are kept as text here
//! (`load` checks that they compile, so an error points at the map file's line).

use std::collections::BTreeMap;

use super::{Criticality, Order, Site, Strategy};

/// The map file: what a source cannot say about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportMap {
    /// Rules that give a server its department; the first that matches wins.
    pub departments: Vec<DepartmentRule>,
    /// Names for department codes, used when a new department file is written.
    pub department_names: BTreeMap<String, DepartmentName>,
    /// How servers group into services.
    pub services: Grouping,
    /// Our field → the header a source uses for it (plain tables and CMDB lists).
    pub columns: BTreeMap<Field, ColumnSpec>,
    /// Which flows to ignore and how the rest become dependencies.
    pub flows: FlowRules,
    /// Values for the fields no source knows.
    pub defaults: Defaults,
    /// Department of servers no rule places and of placeholder services.
    pub unknown_department: String,
    /// Whether move groups are suggested from traffic when grouping is per server.
    pub suggest_move_groups: bool,
}

impl Default for ImportMap {
    fn default() -> Self {
        Self {
            departments: Vec::new(),
            department_names: BTreeMap::new(),
            services: Grouping::Auto,
            columns: BTreeMap::new(),
            flows: FlowRules::default(),
            defaults: Defaults::default(),
            unknown_department: "UNASSIGNED".to_owned(),
            suggest_move_groups: true,
        }
    }
}

/// Which server attribute a department rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attribute {
    /// The server's name.
    Name,
    /// RVTools `Folder`.
    Folder,
    /// RVTools `Resource pool`.
    ResourcePool,
    /// RVTools `Annotation`.
    Annotation,
    /// RVTools `Datacenter`.
    Datacenter,
    /// RVTools `Cluster`.
    Cluster,
    /// A CMDB group or a table's department/owner column.
    Group,
}

impl Attribute {
    /// Every attribute with its map-file key.
    pub const ALL: [(&'static str, Attribute); 7] = [
        ("name", Attribute::Name),
        ("folder", Attribute::Folder),
        ("resource_pool", Attribute::ResourcePool),
        ("annotation", Attribute::Annotation),
        ("datacenter", Attribute::Datacenter),
        ("cluster", Attribute::Cluster),
        ("group", Attribute::Group),
    ];

    /// The map-file key.
    #[must_use]
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("name", |(k, _)| k)
    }
}

/// `{folder: '^/DSF/', code: DSF}`: a pattern on one attribute, and the code it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentRule {
    /// What it looks at.
    pub attribute: Attribute,
    /// A regular expression (case-insensitive); a named group `code` may give the code.
    pub pattern: String,
    /// The code, unless the pattern's `code` group gives it.
    pub code: Option<String>,
    /// Line of the rule in the map file, for the review.
    pub line: u32,
}

/// A department's names for a new file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentName {
    /// English name.
    pub name: String,
    /// Local-language name.
    pub local_name: Option<String>,
}

/// How servers group into services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    /// An application column or CMDB `Runs on` relation when a source has one, else one
    /// service per server.
    Auto,
    /// One service per server.
    PerServer,
    /// The value of this column names the service.
    Column(String),
    /// A regular expression on the server name whose `service` group names the service.
    Pattern(String),
}

/// Fields a source column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// Server name.
    Name,
    /// Virtual CPUs.
    Vcpu,
    /// Memory.
    Memory,
    /// Provisioned storage.
    Storage,
    /// Data to copy (storage in use).
    Data,
    /// Operating system.
    Os,
    /// Environment (production, test …).
    Environment,
    /// Department or owner group.
    Department,
    /// Application / service name.
    Application,
    /// IP address.
    Ip,
    /// Power state or operational status.
    Status,
}

impl Field {
    /// Every field with its map-file key.
    pub const ALL: [(&'static str, Field); 11] = [
        ("name", Field::Name),
        ("vcpu", Field::Vcpu),
        ("memory", Field::Memory),
        ("storage", Field::Storage),
        ("data", Field::Data),
        ("os", Field::Os),
        ("environment", Field::Environment),
        ("department", Field::Department),
        ("application", Field::Application),
        ("ip", Field::Ip),
        ("status", Field::Status),
    ];
}

/// A column name and, for sizes, the unit its numbers are in when the cells carry none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The header, matched without regard to case.
    pub column: String,
    /// `B`, `KB`, `MB`, `GB`, `TB` (or the `iB` spellings).
    pub unit: Option<String>,
}

/// Which flows count and how they become dependencies.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowRules {
    /// Destination ports whose flows are ignored.
    pub ignore_ports: Vec<u32>,
    /// Regular expressions on the source or destination process.
    pub ignore_processes: Vec<String>,
    /// Regular expressions on either end's server name or IP.
    pub ignore_hosts: Vec<String>,
    /// A destination reached by at least this share of the client services is a shared
    /// platform (directory, DNS, monitoring, backup).
    pub shared_platform_share: f64,
    /// ... and by at least this many of them.
    pub shared_platform_min_clients: u32,
    /// The order written on discovered dependencies.
    pub order: Order,
}

impl Default for FlowRules {
    fn default() -> Self {
        Self {
            ignore_ports: Vec::new(),
            ignore_processes: Vec::new(),
            ignore_hosts: Vec::new(),
            shared_platform_share: 0.5,
            shared_platform_min_clients: 5,
            order: Order::Any,
        }
    }
}

/// Values written for what no source knows.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    /// Where imported services run now.
    pub site: Site,
    /// How they move.
    pub strategy: Strategy,
    /// How important they are.
    pub criticality: Criticality,
    /// Waves a migration occupies.
    pub duration_waves: u32,
    /// Person-days per team for each server of a service.
    pub effort_per_server: BTreeMap<String, f64>,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            site: Site::Datacenter,
            strategy: Strategy::Rehost,
            criticality: Criticality::Medium,
            duration_waves: 1,
            effort_per_server: BTreeMap::from([("app".to_owned(), 2.0)]),
        }
    }
}

/// A value in a service's `meta` mapping.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A list of texts.
    List(Vec<String>),
}

/// A dependency the importer discovered.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftEdge {
    /// The service depended on.
    pub service: String,
    /// The order to write.
    pub order: Order,
    /// Summed connection count (or flow rows).
    pub traffic: f64,
}

/// Resources as far as the sources know them (`None`: unknown, keep what is there).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DraftResources {
    /// Virtual CPUs.
    pub vcpu: Option<f64>,
    /// Memory in GiB.
    pub memory_gib: Option<f64>,
    /// Storage in GiB.
    pub storage_gib: Option<f64>,
}

/// One service to write: new, or an update of a service already in the inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftService {
    /// Its id (for an update, the id the planner gave it).
    pub id: String,
    /// Whether it updates a service already in the inventory.
    pub existing: bool,
    /// Human name (new services only).
    pub name: String,
    /// Where it runs (new services only).
    pub site: Site,
    /// How it moves (new services only).
    pub strategy: Strategy,
    /// How important it is (new services only).
    pub criticality: Criticality,
    /// Resources the sources know.
    pub resources: DraftResources,
    /// Data in use, when known.
    pub data_gib: Option<f64>,
    /// Person-days per team (new services only).
    pub effort: BTreeMap<String, f64>,
    /// Waves the migration occupies (new services only).
    pub duration_waves: u32,
    /// Discovered dependencies, sorted by target.
    pub depends_on: Vec<DraftEdge>,
    /// A move group suggested from traffic, with the comment that explains it.
    pub suggested_move_group: Option<(String, String)>,
    /// Tags (new services only).
    pub tags: Vec<String>,
    /// Provenance: the keys the importer owns in `meta`.
    pub meta: Vec<(String, MetaValue)>,
}

/// One department file to write or update.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftDepartment {
    /// Its code.
    pub code: String,
    /// English name (new files only).
    pub name: String,
    /// Local-language name (new files only).
    pub local_name: Option<String>,
    /// Its services, in id order.
    pub services: Vec<DraftService>,
}

/// The meta keys the importer writes and owns; others in `meta` belong to the planner.
pub const IMPORTED_META_KEYS: [&str; 8] = [
    "hosts",
    "ips",
    "os",
    "environment",
    "sources",
    "powered_off",
    "unknown",
    "shared_platform_clients",
];
