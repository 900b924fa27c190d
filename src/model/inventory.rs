//! The validated inventory: departments, services and their dependency edges.

use std::path::PathBuf;

use jiff::civil::Date;

use super::{DateRange, DeptIx, ServiceId, ServiceIx};

/// Where a service runs today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Site {
    /// The government data centre.
    Datacenter,
    /// The temporary pilot cloud.
    PilotCloud,
    /// The production cloud (the migration's target).
    ProductionCloud,
}

/// The migration strategy of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strategy {
    /// Lift and shift.
    Rehost,
    /// Move with light changes.
    Replatform,
    /// Rebuild for the cloud.
    Refactor,
    /// Replace with a bought product.
    Repurchase,
    /// Switch off; never migrates.
    Retire,
    /// Keep on premises; never migrates.
    Retain,
}

/// How important a service is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Criticality {
    /// Must not cut over before `critical_not_before_wave`.
    Critical,
    /// High.
    High,
    /// Medium (the default).
    Medium,
    /// Low.
    Low,
}

/// Whether a service still has to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Not yet moved.
    Planned,
    /// Already moved (on `migrated_on`).
    Migrated,
}

/// The order an edge imposes between the cutovers of its ends (SPEC 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Order {
    /// `cutover(B) <= cutover(A)`.
    TogetherOrBefore,
    /// `cutover(B) < start(A)`.
    StrictlyBefore,
    /// No order.
    Any,
}

/// Resources a service holds on the target once started.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Resources {
    /// Virtual CPUs.
    pub vcpu: f64,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// Storage in GiB.
    pub storage_gib: f64,
}

/// `A depends_on B`: the edge stored on A, pointing at B.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// B, the service depended upon.
    pub target: ServiceIx,
    /// The edge's own order; `None` means the scenario's default applies.
    pub order: Option<Order>,
    /// Cross-site traffic weight for the split cost (default 1).
    pub traffic: f64,
    /// Both ends must cut over in the same wave.
    pub latency_sensitive: bool,
}

/// A department and its calendar rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    /// Unique code, e.g. `SAFP`.
    pub code: String,
    /// English name.
    pub name: String,
    /// Name in the local language, if given.
    pub local_name: Option<String>,
    /// Its own cutover limit per wave, which may lift the scenario's; `None`: the
    /// scenario's `per_department` applies.
    pub max_cutovers_per_wave: Option<crate::model::Limit<u32>>,
    /// Periods in which none of its services may occupy a wave.
    pub blackouts: Vec<Blackout>,
    /// Index of the file that defined it, in [`Inventory::files`].
    pub file: usize,
}

impl Department {
    /// Its cutover limit per wave (SPEC 4.3): its own `max_cutovers_per_wave` (which may lift
    /// the limit), else the scenario's `per_department`; `None` is unlimited.
    #[must_use]
    pub fn cutover_limit(&self, capacity: &crate::model::Capacity) -> Option<u32> {
        self.max_cutovers_per_wave
            .map_or(capacity.per_department, crate::model::Limit::value)
    }
}

/// A department blackout.
#[derive(Debug, Clone, PartialEq)]
pub struct Blackout {
    /// The blocked days.
    pub range: DateRange,
    /// Why, e.g. `tax season`.
    pub reason: Option<String>,
}

/// Person-days per team, in team-name order: a map's interface over a short sorted list.
///
/// A service names two or three teams; a `BTreeMap` node holds room for eleven (about 370
/// bytes), which at 100,000 services was 35 MB of the loader's peak memory (issue 12).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effort(Vec<(String, f64)>);

/// The pair iterator of [`Effort`], shaped like a map's: `(&team, &days)`.
pub type EffortIter<'a> = std::iter::Map<
    std::slice::Iter<'a, (String, f64)>,
    fn(&'a (String, f64)) -> (&'a String, &'a f64),
>;

impl Effort {
    /// No effort.
    #[must_use]
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Sets the days of `team`, returning its previous days.
    pub fn insert(&mut self, team: String, days: f64) -> Option<f64> {
        match self.0.binary_search_by(|(t, _)| t.as_str().cmp(&team)) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, days)),
            Err(i) => {
                self.0.insert(i, (team, days));
                None
            }
        }
    }

    /// The days of `team`.
    #[must_use]
    pub fn get(&self, team: &str) -> Option<&f64> {
        self.0
            .binary_search_by(|(t, _)| t.as_str().cmp(team))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Whether `team` has an entry.
    #[must_use]
    pub fn contains_key(&self, team: &str) -> bool {
        self.get(team).is_some()
    }

    /// `(team, days)` in team-name order.
    pub fn iter(&self) -> EffortIter<'_> {
        self.0.iter().map(|(t, d)| (t, d))
    }

    /// The teams in name order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(t, _)| t)
    }

    /// The days, in team-name order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &f64> + ExactSizeIterator {
        self.0.iter().map(|(_, d)| d)
    }

    /// How many teams have an entry.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no team has an entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Effort {
    type Item = (&'a String, &'a f64);
    type IntoIter = EffortIter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl FromIterator<(String, f64)> for Effort {
    /// Sorted by team; for a team given twice the last days win, as a map's `collect` does.
    fn from_iter<I: IntoIterator<Item = (String, f64)>>(iter: I) -> Self {
        let mut v: Vec<(String, f64)> = iter.into_iter().collect();
        // Stable, so equal teams keep their order and the last one can be kept.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, f64)> = Vec::with_capacity(v.len());
        for (t, d) in v {
            match out.last_mut() {
                Some(last) if last.0 == t => last.1 = d,
                _ => out.push((t, d)),
            }
        }
        out.shrink_to_fit();
        Self(out)
    }
}

impl<const N: usize> From<[(String, f64); N]> for Effort {
    fn from(pairs: [(String, f64); N]) -> Self {
        pairs.into_iter().collect()
    }
}

/// One service of the inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Unique id.
    pub id: ServiceId,
    /// Human name.
    pub name: String,
    /// Owning department.
    pub department: DeptIx,
    /// Where it runs now.
    pub site: Site,
    /// How it moves.
    pub strategy: Strategy,
    /// How important it is.
    pub criticality: Criticality,
    /// Resources held on the target.
    pub resources: Resources,
    /// Data copied during the migration, in GiB.
    pub data_gib: f64,
    /// Person-days per team over the whole migration.
    pub effort: Effort,
    /// Consecutive waves the migration occupies (>= 1).
    pub duration_waves: u32,
    /// Outgoing dependency edges.
    pub depends_on: Vec<Edge>,
    /// Members of one move group share a cutover wave.
    pub move_group: Option<String>,
    /// The start wave must begin on or after this day.
    pub not_before: Option<Date>,
    /// The cutover wave must end on or before this day.
    pub deadline: Option<Date>,
    /// Planned or already migrated.
    pub status: Status,
    /// When it was migrated (iff `status` is migrated).
    pub migrated_on: Option<Date>,
    /// Free-text tags.
    pub tags: Vec<String>,
}

impl Service {
    /// A planned rehost of `department` in the data centre, named after its id, with no
    /// resources, effort, edges or dates: where hand-made examples and tests start.
    #[must_use]
    pub fn planned(id: &str, department: DeptIx) -> Self {
        Self {
            id: ServiceId::new(id),
            name: format!("Service {id}"),
            department,
            site: Site::Datacenter,
            strategy: Strategy::Rehost,
            criticality: Criticality::Medium,
            resources: Resources::default(),
            data_gib: 0.0,
            effort: Effort::new(),
            duration_waves: 1,
            depends_on: Vec::new(),
            move_group: None,
            not_before: None,
            deadline: None,
            status: Status::Planned,
            migrated_on: None,
            tags: Vec::new(),
        }
    }

    /// Whether the service gets waves: not retired or retained, planned, not yet in production.
    #[must_use]
    pub fn is_migrating(&self) -> bool {
        !matches!(self.strategy, Strategy::Retire | Strategy::Retain)
            && self.status == Status::Planned
            && self.site != Site::ProductionCloud
    }

    /// Whether the service already runs in production (site or status says so).
    #[must_use]
    pub fn in_production(&self) -> bool {
        self.site == Site::ProductionCloud || self.status == Status::Migrated
    }

    /// This service's end of a split-cost edge (SPEC 5) when it cuts over in `cutover`
    /// (`None`: not scheduled): that wave, 0 when it already runs in production, `None` when
    /// it does not count (retired, retained, or left unscheduled).
    #[must_use]
    pub fn split_end(&self, cutover: Option<u32>) -> Option<u32> {
        if matches!(self.strategy, Strategy::Retire | Strategy::Retain) {
            return None;
        }
        cutover.or_else(|| self.in_production().then_some(0))
    }
}

impl Edge {
    /// The split cost (SPEC 5) of this edge between ends at waves `a` and `b` (see
    /// [`Service::split_end`]): traffic times the waves apart; nothing when both ends
    /// already run in production.
    #[must_use]
    pub fn split_cost(&self, a: u32, b: u32) -> f64 {
        if a == 0 && b == 0 {
            return 0.0;
        }
        self.traffic * f64::from(a.abs_diff(b))
    }

    /// The order this edge imposes, given the scenario's default.
    #[must_use]
    pub fn effective_order(&self, default: Order) -> Order {
        self.order.unwrap_or(default)
    }
}

/// A validated inventory: ids unique, every edge resolved, every rule combination possible.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Departments in file order.
    pub departments: Vec<Department>,
    /// Services in file order, then document order.
    pub services: Vec<Service>,
    /// The inventory files, in the order they were read (file-name bytes).
    pub files: Vec<PathBuf>,
    /// SHA-256 (lowercase hex) of the files' bytes concatenated in that order.
    pub sha256: String,
}

impl Inventory {
    /// The index of the service with this id.
    #[must_use]
    pub fn find(&self, id: &str) -> Option<ServiceIx> {
        // Linear search is fine for the few look-ups callers make; hot paths keep their own maps.
        self.services
            .iter()
            .position(|s| s.id.as_str() == id)
            .map(ServiceIx::new)
    }

    /// Every service with its index, in inventory order.
    pub fn indexed(&self) -> impl DoubleEndedIterator<Item = (ServiceIx, &Service)> + '_ {
        self.services
            .iter()
            .enumerate()
            .map(|(i, s)| (ServiceIx::new(i), s))
    }

    /// Indices of the services that migrate.
    pub fn migrating(&self) -> impl Iterator<Item = ServiceIx> + '_ {
        self.indexed()
            .filter(|(_, s)| s.is_migrating())
            .map(|(i, _)| i)
    }

    /// The department a service belongs to.
    #[must_use]
    pub fn department_of(&self, s: ServiceIx) -> &Department {
        &self.departments[self.services[s].department]
    }
}

impl Site {
    /// The spelling used in files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Site::Datacenter => "datacenter",
            Site::PilotCloud => "pilot-cloud",
            Site::ProductionCloud => "production-cloud",
        }
    }
}

impl Strategy {
    /// The spelling used in files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Rehost => "rehost",
            Strategy::Replatform => "replatform",
            Strategy::Refactor => "refactor",
            Strategy::Repurchase => "repurchase",
            Strategy::Retire => "retire",
            Strategy::Retain => "retain",
        }
    }
}

impl Criticality {
    /// The spelling used in files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::Critical => "critical",
            Criticality::High => "high",
            Criticality::Medium => "medium",
            Criticality::Low => "low",
        }
    }
}

impl Order {
    /// The spelling used in files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Order::TogetherOrBefore => "together-or-before",
            Order::StrictlyBefore => "strictly-before",
            Order::Any => "any",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Effort;
    use std::collections::BTreeMap;

    /// `Effort` answers like the `BTreeMap` it replaced: the same order, the same look-ups,
    /// the last value winning for a team given twice.
    #[test]
    fn effort_behaves_like_a_map() {
        let pairs = [("net", 1.0), ("app", 2.5), ("dba", 3.0), ("app", 4.0)]
            .map(|(t, d)| (t.to_owned(), d));
        let map: BTreeMap<String, f64> = pairs.iter().cloned().collect();
        let effort: Effort = pairs.iter().cloned().collect();
        let as_map = |e: &Effort| e.iter().map(|(t, d)| (t.clone(), *d)).collect::<Vec<_>>();
        assert_eq!(as_map(&effort), map.clone().into_iter().collect::<Vec<_>>());
        assert_eq!(effort.len(), 3);
        assert_eq!(effort.get("app"), Some(&4.0));
        assert_eq!(effort.get("web"), None);
        assert!(effort.contains_key("dba"));
        assert_eq!(
            effort.keys().collect::<Vec<_>>(),
            map.keys().collect::<Vec<_>>()
        );
        assert_eq!(effort.values().sum::<f64>(), map.values().sum::<f64>());

        let mut built = Effort::new();
        assert!(built.is_empty());
        for (t, d) in pairs {
            built.insert(t, d);
        }
        assert_eq!(built, effort);
        assert_eq!(built.insert("app".to_owned(), 1.0), Some(4.0));
        assert_eq!(built.insert("aaa".to_owned(), 1.0), None);
        assert_eq!(built.keys().next().map(String::as_str), Some("aaa"));
        assert_eq!((&built).into_iter().count(), 4);
    }
}
