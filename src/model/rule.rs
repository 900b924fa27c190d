//! SPEC 4's hard rules by name: one vocabulary for everything that reports a rule (the
//! scheduler's unscheduled reasons, `verify`'s breaches, `explain`'s findings) or matches one
//! (`explain`'s relaxations, report tallies), so a misspelt name is a compile error rather
//! than a rule that silently never matches.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Resources;

/// A target-capacity resource (SPEC 4.4), in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    /// `vcpu`.
    Vcpu,
    /// `memory_gib`.
    MemoryGib,
    /// `storage_gib`.
    StorageGib,
}

impl Resource {
    /// Every resource, in file order (the order of `[vcpu, memory_gib, storage_gib]` arrays).
    pub const ALL: [Self; 3] = [Self::Vcpu, Self::MemoryGib, Self::StorageGib];

    /// The field name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Vcpu => "vcpu",
            Self::MemoryGib => "memory_gib",
            Self::StorageGib => "storage_gib",
        }
    }

    /// This resource's amount in `r`.
    #[must_use]
    pub const fn of(self, r: &Resources) -> f64 {
        match self {
            Self::Vcpu => r.vcpu,
            Self::MemoryGib => r.memory_gib,
            Self::StorageGib => r.storage_gib,
        }
    }

    /// The resource at position `i` of a `[vcpu, memory_gib, storage_gib]` array.
    #[must_use]
    pub fn at(i: usize) -> Option<Self> {
        Self::ALL.get(i).copied()
    }
}

/// One hard rule of SPEC 4, named as plans and breaches write it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// `edge.together-or-before` (4.1).
    TogetherOrBefore,
    /// `edge.strictly-before` (4.1).
    StrictlyBefore,
    /// `edge.latency_sensitive` (4.2).
    LatencySensitive,
    /// `move_group` (4.2): members share one cutover and are scheduled whole.
    MoveGroup,
    /// `dependency.unscheduled` (4.7): a scheduled service relies on an unscheduled one.
    DependencyUnscheduled,
    /// `capacity.cutovers` (4.3).
    Cutovers,
    /// `capacity.per_department` (4.3).
    PerDepartment,
    /// `capacity.transfer_gib` (4.3).
    Transfer,
    /// `capacity.teams.<team>` (4.3).
    Team(String),
    /// `capacity.target.<resource>` (4.4).
    Target(Resource),
    /// `calendar.freeze` (4.5).
    Freeze,
    /// `calendar.blackout` (4.5).
    Blackout,
    /// `calendar.today` (4.5).
    Today,
    /// `calendar.max_waves` (4.5).
    MaxWaves,
    /// `window.not_before` (4.6).
    NotBefore,
    /// `window.deadline` (4.6).
    Deadline,
    /// `window.decommission_by` (4.6).
    DecommissionBy,
    /// `rules.critical_not_before_wave` (4.8).
    CriticalNotBeforeWave,
    /// `pin` (4.8).
    Pin,
}

impl Rule {
    /// The rules without a parameter, in SPEC order.
    pub const FIXED: [Self; 17] = [
        Self::TogetherOrBefore,
        Self::StrictlyBefore,
        Self::LatencySensitive,
        Self::MoveGroup,
        Self::DependencyUnscheduled,
        Self::Cutovers,
        Self::PerDepartment,
        Self::Transfer,
        Self::Freeze,
        Self::Blackout,
        Self::Today,
        Self::MaxWaves,
        Self::NotBefore,
        Self::Deadline,
        Self::DecommissionBy,
        Self::CriticalNotBeforeWave,
        Self::Pin,
    ];

    /// The name of a rule without a parameter; `None` for a team or target rule.
    const fn fixed_name(&self) -> Option<&'static str> {
        Some(match self {
            Self::TogetherOrBefore => "edge.together-or-before",
            Self::StrictlyBefore => "edge.strictly-before",
            Self::LatencySensitive => "edge.latency_sensitive",
            Self::MoveGroup => "move_group",
            Self::DependencyUnscheduled => "dependency.unscheduled",
            Self::Cutovers => "capacity.cutovers",
            Self::PerDepartment => "capacity.per_department",
            Self::Transfer => "capacity.transfer_gib",
            Self::Freeze => "calendar.freeze",
            Self::Blackout => "calendar.blackout",
            Self::Today => "calendar.today",
            Self::MaxWaves => "calendar.max_waves",
            Self::NotBefore => "window.not_before",
            Self::Deadline => "window.deadline",
            Self::DecommissionBy => "window.decommission_by",
            Self::CriticalNotBeforeWave => "rules.critical_not_before_wave",
            Self::Pin => "pin",
            Self::Team(_) | Self::Target(_) => return None,
        })
    }

    /// The rule's name as plans and breaches write it (`capacity.teams.dba`, `pin`, ...).
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Team(t) => format!("capacity.teams.{t}"),
            Self::Target(r) => format!("capacity.target.{}", r.name()),
            fixed => fixed.fixed_name().unwrap_or_default().to_owned(),
        }
    }

    /// The rule a name denotes; `None` for anything else (`format.*`, a typo, ...).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        if let Some(team) = name.strip_prefix("capacity.teams.") {
            return (!team.is_empty()).then(|| Self::Team(team.to_owned()));
        }
        if let Some(r) = name.strip_prefix("capacity.target.") {
            return Resource::ALL
                .into_iter()
                .find(|x| x.name() == r)
                .map(Self::Target);
        }
        Self::FIXED
            .into_iter()
            .find(|rule| rule.fixed_name() == Some(name))
    }

    /// Whether `name` is this rule's name, without building a string.
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        match self {
            Self::Team(t) => name.strip_prefix("capacity.teams.") == Some(t.as_str()),
            Self::Target(r) => name.strip_prefix("capacity.target.") == Some(r.name()),
            fixed => fixed.fixed_name() == Some(name),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fixed_name() {
            Some(n) => f.write_str(n),
            None => f.write_str(&self.name()),
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_rule() {
        let mut all: Vec<Rule> = Rule::FIXED.to_vec();
        all.push(Rule::Team("dba".to_owned()));
        all.extend(Resource::ALL.map(Rule::Target));
        for r in &all {
            assert_eq!(Rule::parse(&r.name()).as_ref(), Some(r), "{r}");
            assert!(r.is(&r.name()));
            assert_eq!(r.to_string(), r.name());
        }
        let mut names: Vec<String> = all.iter().map(Rule::name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len(), "names are distinct");
    }

    #[test]
    fn other_names_are_not_rules() {
        for n in [
            "format.coverage.missing",
            "capacity.teams.",
            "capacity.target.disk",
            "edge.latency-sensitive",
            "",
        ] {
            assert_eq!(Rule::parse(n), None, "{n}");
        }
        assert!(!Rule::Team("dba".to_owned()).is("capacity.teams.db"));
    }
}
