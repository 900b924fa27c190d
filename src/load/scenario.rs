//! Reading a scenario file and its `extends` chain, merged key by key, into a [`Scenario`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::diag::{Diagnostic, Diagnostics};
use super::fields::{MapFields, Reader, is_id};
use super::file_kind::FileKind;
use super::input::ChainFiles;
use super::inventory::{ORDERS, RawRange, hash_text, hex, read_ranges};
use super::yaml::{Kind, Node, Sources};
use crate::model::{
    Calendar, Capacity, Costs, CutoverCap, DateRange, Freeze, Limit, Overrun, RiskModel, Rules,
    Scenario, Season, ServiceId, SiteRules, TargetStep,
};

/// Longest `extends` chain followed before assuming a mistake.
const MAX_CHAIN: usize = 64;

/// A pin as read; checked against the inventory later.
pub struct RawPin {
    /// Service id as written.
    pub id: String,
    /// Pinned cutover wave.
    pub wave: u32,
    /// Where it was written.
    pub node: Node,
}

/// The parts of a scenario that later checks against the inventory point back at.
#[derive(Default)]
pub struct ScenarioNodes<'t> {
    /// Whether a scenario file was read: without one the calendar is the built-in default,
    /// whose horizon says nothing about the dates written in the inventory.
    pub from_file: bool,
    /// The pins, to be resolved against the inventory.
    pub pins: Vec<RawPin>,
    /// Each team of `capacity.teams`, with its key.
    pub teams: Vec<(String, &'t Node)>,
    /// The calendar freezes as read.
    pub freezes: Vec<RawRange>,
    /// The department codes `risk.departments` names, with their keys.
    pub risk_departments: Vec<(String, Node)>,
    /// The service ids `risk.services` names, with their keys.
    pub risk_services: Vec<(String, Node)>,
}

/// The scenario chain as read: merged tree, files, digest.
pub struct ScenarioTree {
    /// The merged tree (child keys over parent keys).
    pub root: Node,
    /// The scenario file then each parent.
    pub files: Vec<PathBuf>,
    /// Digest over the files' bytes in that order.
    pub sha256: String,
}

/// Whether a path names a plan file (never a scenario).
#[must_use]
pub fn is_plan_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with(".plan.yaml") || name.ends_with(".plan.json")
}

/// Reads the scenario file and every file up its `extends` chain from `files`, merging them.
///
/// # Errors
/// Diagnostics for unreadable files, syntax errors, a missing parent or a cycle.
pub fn read_chain(
    path: &Path,
    files: &mut ChainFiles,
    sources: &mut Sources,
) -> Result<ScenarioTree, Diagnostics> {
    use sha2::{Digest, Sha256};
    let mut diags = Diagnostics::default();
    let mut chain: Vec<(usize, Node)> = Vec::new();
    let mut read: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut hasher = Sha256::new();
    let mut next = Some((path.to_path_buf(), None::<Node>));
    while let Some((file, from)) = next.take() {
        let locate = |d: Diagnostic, sources: &Sources| match &from {
            Some(node) => {
                let mut at = sources.at(node, d.kind, d.message.clone());
                at.hint = d.hint.clone();
                at
            }
            None => d,
        };
        if is_plan_path(&file) {
            let d = Diagnostic::error(
                "plan-as-scenario",
                format!("`{}` is a plan file, not a scenario", file.display()),
            )
            .hint("scenarios are the plans/*.yaml files that do not end in .plan.yaml");
            diags.push(locate(d, sources));
            break;
        }
        let identity = files.identity(&file);
        if seen.contains(&identity) {
            let d = Diagnostic::error(
                "extends-cycle",
                format!(
                    "`extends` goes round in a circle back to `{}`",
                    file.display()
                ),
            )
            .hint(
                "a scenario may extend a parent, which may extend its own parent, but never back",
            );
            diags.push(locate(d, sources));
            break;
        }
        if seen.len() >= MAX_CHAIN {
            diags.push(locate(
                Diagnostic::error("extends-cycle", "`extends` chain is longer than 64 files"),
                sources,
            ));
            break;
        }
        seen.push(identity);
        let (text, bom) = match files.text(&file) {
            Ok(x) => x,
            Err(mut d) => {
                if from.is_some() {
                    d.message = format!(
                        "`extends` names `{}`, which cannot be read: {}",
                        file.display(),
                        d.message
                    );
                    d.hint = Some(
                        "the path is relative to the scenario file that extends it".to_owned(),
                    );
                }
                diags.push(locate(d, sources));
                break;
            }
        };
        hash_text(&mut hasher, &text, bom);
        read.push(file.clone());
        let src = sources.add(&file, text);
        let root = match sources.parse(src) {
            Ok(n) => n,
            Err(mut d) => {
                // A parent may be any file `extends` was pointed at (a key, a binary): give
                // its position but never echo its content.
                if from.is_some() {
                    d.source_line = None;
                }
                diags.push(d);
                break;
            }
        };
        // An inventory (or a renamed plan) given as the scenario gets one error naming its
        // kind, not an unknown-field error for each of its keys.
        if let Kind::Map(entries) = &root.kind
            && let Some(kind @ (FileKind::Inventory | FileKind::Plan)) =
                FileKind::of_keys(entries.iter().filter_map(|(k, _)| k.as_str()))
        {
            let d = Diagnostic::error(
                "wrong-kind-scenario",
                format!("`{}` is {}, not a scenario", file.display(), kind.name()),
            )
            .hint(if kind == FileKind::Inventory {
                "inventory files are read from the inventory directory (-i); scenarios are the plans/*.yaml files that do not end in .plan.yaml"
            } else {
                "scenarios are the plans/*.yaml files that do not end in .plan.yaml"
            });
            diags.push(locate(d, sources));
            break;
        }
        // A parent needs no `name` (docs/inventory-format.md, rule 10): its `name` and
        // `description` are dropped before merging anyway. But it must be a mapping, or the
        // child silently loses everything it meant to inherit; the mistake is the child's
        // `extends`, so it is reported there and the file's content is never echoed.
        if from.is_some() && !matches!(root.kind, Kind::Map(_)) && !root.is_null() {
            let d = Diagnostic::error(
                "extends-not-scenario",
                format!(
                    "`extends` names `{}`, which is not a scenario (not a YAML mapping of settings)",
                    file.display()
                ),
            )
            .hint("`extends` must name another scenario file; the path is relative to the scenario file that extends it");
            diags.push(locate(d, sources));
            break;
        }
        if let Kind::Map(entries) = &root.kind {
            if let Some((_, parent)) = entries
                .iter()
                .find(|(k, v)| k.as_str() == Some("extends") && !v.is_null())
            {
                match parent.as_str() {
                    Some(rel) => {
                        let base = file.parent().unwrap_or(Path::new(""));
                        next = Some((base.join(rel), Some(parent.clone())));
                    }
                    None => diags.push(sources.at(
                        parent,
                        "wrong-type",
                        "`extends` must be a file path",
                    )),
                }
            }
        } else if root.is_null() {
            diags.push(
                sources
                    .at(&root, "empty-file", "scenario file is empty")
                    .hint("a scenario needs at least `name:` and `calendar:`"),
            );
        }
        chain.push((src, root));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    // Merge from the root ancestor down, so each child overrides its parent.
    let mut merged: Option<Node> = None;
    for (_, node) in chain.into_iter().rev() {
        merged = Some(match merged {
            None => node,
            Some(parent) => merge_child(parent, node),
        });
    }
    let root = merged.unwrap_or(Node {
        kind: Kind::Null,
        src: 0,
        line: 0,
        column: 0,
        raw: None,
    });
    Ok(ScenarioTree {
        root,
        files: read,
        sha256: hex(&hasher.finalize()),
    })
}

/// Applies a child file over its parent: `name` and `description` are never inherited.
fn merge_child(parent: Node, child: Node) -> Node {
    let parent = match parent.kind {
        Kind::Map(entries) => Node {
            kind: Kind::Map(
                entries
                    .into_iter()
                    .filter(|(k, _)| !matches!(k.as_str(), Some("name" | "description")))
                    .collect(),
            ),
            ..parent
        },
        other => Node {
            kind: other,
            ..parent
        },
    };
    merge(parent, child)
}

/// Maps merge key by key; lists and scalars replace; null changes nothing.
#[must_use]
pub fn merge(parent: Node, child: Node) -> Node {
    match (parent.kind, child.kind) {
        (pk, Kind::Null) => Node { kind: pk, ..parent },
        (Kind::Map(mut pe), Kind::Map(ce)) => {
            for (ck, cv) in ce {
                match pe
                    .iter()
                    .position(|(pk, _)| pk.as_str() == ck.as_str() && ck.as_str().is_some())
                {
                    Some(i) => {
                        let (pk, pv) = pe.remove(i);
                        let _ = pk;
                        pe.insert(i, (ck, merge(pv, cv)));
                    }
                    None => pe.push((ck, cv)),
                }
            }
            Node {
                kind: Kind::Map(pe),
                ..child
            }
        }
        (_, ck) => Node { kind: ck, ..child },
    }
}

/// The top-level fields of a scenario file (SPEC 3).
pub(crate) const TOP_FIELDS: [&str; 10] = [
    "name",
    "description",
    "extends",
    "calendar",
    "capacity",
    "sites",
    "rules",
    "pins",
    "risk",
    "costs",
];

/// Converts a merged scenario tree into a [`Scenario`] plus the nodes of what is checked
/// against the inventory later.
pub fn read_scenario<'t>(
    r: &mut Reader<'_>,
    tree: &'t ScenarioTree,
) -> (Option<Scenario>, ScenarioNodes<'t>) {
    let mut nodes = ScenarioNodes {
        from_file: true,
        ..ScenarioNodes::default()
    };
    let scenario = read_fields(r, tree, &mut nodes);
    (scenario, nodes)
}

/// The scenario's fields, filling `nodes` as it goes: the pins and names they hold are
/// checked against the inventory even when another field is wrong.
fn read_fields<'t>(
    r: &mut Reader<'_>,
    tree: &'t ScenarioTree,
    nodes: &mut ScenarioNodes<'t>,
) -> Option<Scenario> {
    let root = &tree.root;
    let mut m = r.map(root, "the scenario")?;
    let name_node = r.required(&mut m, "name");
    let name = name_node.and_then(|n| r.text(n, "scenario name"));
    if let (Some(name), Some(node)) = (&name, name_node) {
        if super::fields::is_reserved(name) {
            r.error(
                node,
                "reserved-word",
                format!("scenario name `{name}` is a reserved word"),
                "null, true, false, yes, no, on and off are read as other types by YAML 1.1 tools; choose another name",
            );
        } else if !is_id(name) {
            r.error(
                node,
                "bad-name",
                format!("scenario name `{name}` is not a valid name"),
                "plan files are named after it: use lowercase letters, digits, `.`, `_`, `-`",
            );
        }
    }
    let description = m.get("description").and_then(|n| r.text(n, "description"));
    let _ = m.get("extends");
    let calendar = r
        .required(&mut m, "calendar")
        .and_then(|n| read_calendar(r, n, &mut nodes.freezes));
    let capacity = m.get("capacity").map_or(Some(Capacity::default()), |n| {
        read_capacity(r, n, &mut nodes.teams)
    });
    let sites = m
        .get("sites")
        .map_or(Some(SiteRules::default()), |n| read_sites(r, n));
    let rules = m
        .get("rules")
        .map_or(Some(Rules::default()), |n| read_rules(r, n));
    nodes.pins = m.get("pins").map(|n| read_pins(r, n)).unwrap_or_default();
    let risk = m.get("risk").map(|n| read_risk(r, n, nodes));
    let costs = m.get("costs").map(|n| read_costs(r, n));
    r.finish(m, &TOP_FIELDS);
    let scenario = Scenario {
        name: name?,
        description,
        calendar: calendar?,
        capacity: capacity?,
        sites: sites?,
        rules: rules?,
        pins: BTreeMap::new(),
        costs: costs.map_or(Some(None), |c| c.map(Some))?,
        risk: risk.map_or(Some(None), |x| x.map(Some))?,
        files: tree.files.clone(),
        sha256: tree.sha256.clone(),
    };
    Some(scenario)
}

fn read_calendar(
    r: &mut Reader<'_>,
    node: &Node,
    freeze_nodes: &mut Vec<RawRange>,
) -> Option<Calendar> {
    let mut m = r.map(node, "`calendar`")?;
    let start = r
        .required(&mut m, "start")
        .and_then(|n| r.date(n, "calendar.start"));
    let m_len = m.get("wave_length_days");
    let m_max = m.get("max_waves");
    let len = r
        .required(&mut m, "wave_length_days")
        .and_then(|n| r.positive_count(n, "wave_length_days"));
    let max_waves = m
        .get("max_waves")
        .map_or(Some(520), |n| r.wave_count(n, "max_waves"));
    let today = m.get("today").and_then(|n| r.date(n, "today"));
    *freeze_nodes = m
        .get("freezes")
        .map(|n| read_ranges(r, n, "freezes", &FREEZE_FIELDS))
        .unwrap_or_default();
    let freezes = freeze_nodes
        .iter()
        .map(|f| Freeze {
            name: f.label.clone(),
            range: f.range,
        })
        .collect();
    r.finish(m, &CALENDAR_FIELDS);
    let (start, len, max_waves) = (start?, len?, max_waves?);
    // Every wave date must exist: past 9999-12-31 dates would clamp and then wrap.
    let last_day = i64::from(max_waves) * i64::from(len) - 1;
    let fits = jiff::Span::new()
        .try_days(last_day)
        .ok()
        .and_then(|span| start.checked_add(span).ok())
        .is_some();
    if !fits {
        let at = m_len.or(m_max).unwrap_or(node);
        r.error(
            at,
            "calendar-too-long",
            format!(
                "the calendar runs past 9999-12-31: {max_waves} waves of {len} days from {start}"
            ),
            "shorten `wave_length_days` or `max_waves`; no plan needs to reach that far",
        );
        return None;
    }
    Some(Calendar {
        start,
        wave_length_days: len,
        max_waves,
        today,
        freezes,
    })
}

fn read_capacity<'t>(
    r: &mut Reader<'_>,
    node: &'t Node,
    team_keys: &mut Vec<(String, &'t Node)>,
) -> Option<Capacity> {
    let mut m = r.map(node, "`capacity`")?;
    let mut ok = true;
    let cutovers = match m.get("cutovers") {
        None => CutoverCap::default(),
        Some(n) => match &n.kind {
            Kind::Seq(items) => {
                if items.is_empty() {
                    r.error(
                        n,
                        "empty-ramp",
                        "`cutovers` ramp is empty".to_owned(),
                        "give at least one number, e.g. [3, 5, 8]",
                    );
                    ok = false;
                }
                let ramp: Vec<Option<Limit<u32>>> = items
                    .iter()
                    .map(|i| r.count_capacity(i, "cutovers ramp entry"))
                    .collect();
                ok &= ramp.iter().all(Option::is_some);
                CutoverCap {
                    ramp: ramp.into_iter().flatten().map(Limit::value).collect(),
                }
            }
            _ => match r.count_capacity(n, "cutovers") {
                Some(Limit::At(c)) => CutoverCap {
                    ramp: vec![Some(c)],
                },
                Some(Limit::Unlimited) => CutoverCap::default(),
                None => {
                    ok = false;
                    CutoverCap::default()
                }
            },
        },
    };
    let per_department = m.get("per_department").and_then(|n| {
        let v = r.count_capacity(n, "per_department");
        ok &= v.is_some();
        v.and_then(Limit::value)
    });
    let transfer_gib = m.get("transfer_gib").and_then(|n| {
        let v = r.capacity(n, "transfer_gib");
        ok &= v.is_some();
        v.and_then(Limit::value)
    });
    let mut teams = BTreeMap::new();
    if let Some(n) = m.get("teams") {
        if let Some(mut tm) = r.map(n, "`capacity.teams`") {
            for (_, k, v) in tm.rest() {
                match (r.name(k, "team name"), r.capacity(v, "team capacity")) {
                    (Some(t), Some(c)) => {
                        team_keys.push((t.clone(), k));
                        teams.insert(t, c.value());
                    }
                    _ => ok = false,
                }
            }
        } else {
            ok = false;
        }
    }
    let target = match m.get("target") {
        None => None,
        Some(n) => {
            let steps = read_target(r, n);
            ok &= steps.is_some();
            steps
        }
    };
    r.finish(m, &CAPACITY_FIELDS);
    ok.then_some(Capacity {
        cutovers,
        per_department,
        transfer_gib,
        teams,
        target,
    })
}

fn read_target(r: &mut Reader<'_>, node: &Node) -> Option<Vec<TargetStep>> {
    let items = r.list(node, "`capacity.target`")?;
    if items.is_empty() {
        r.error(node, "empty-target", "`capacity.target` has no step".to_owned(), "give at least one `{from: DATE, vcpu: N, ...}` step, or leave `target` out for unlimited");
        return None;
    }
    let mut steps: Vec<TargetStep> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(mut m) = r.map(item, "a target step") else {
            ok = false;
            continue;
        };
        let from_node = r.required(&mut m, "from");
        let from = from_node.and_then(|n| r.date(n, "target `from`"));
        let mut res = [None, None, None];
        for (slot, key) in res.iter_mut().zip(["vcpu", "memory_gib", "storage_gib"]) {
            if let Some(n) = m.get(key) {
                match r.capacity(n, key) {
                    Some(v) => *slot = v.value(),
                    None => ok = false,
                }
            }
        }
        r.finish(m, &TARGET_STEP_FIELDS);
        let (Some(from), Some(from_node)) = (from, from_node) else {
            ok = false;
            continue;
        };
        if let Some(prev) = steps.last()
            && from <= prev.from
        {
            r.error(
                from_node,
                "target-order",
                format!(
                    "target step from {from} is not after the previous step's {}",
                    prev.from
                ),
                "list the steps in strictly increasing `from` order",
            );
            ok = false;
        }
        steps.push(TargetStep {
            from,
            vcpu: res[0],
            memory_gib: res[1],
            storage_gib: res[2],
        });
    }
    ok.then_some(steps)
}

fn read_sites(r: &mut Reader<'_>, node: &Node) -> Option<SiteRules> {
    let mut m = r.map(node, "`sites`")?;
    let mut out = SiteRules::default();
    for (key, slot) in [
        ("pilot-cloud", &mut out.pilot_cloud_decommission_by),
        ("datacenter", &mut out.datacenter_decommission_by),
    ] {
        if let Some(n) = m.get(key)
            && let Some(mut sm) = r.map(n, &format!("`sites.{key}`"))
        {
            *slot = sm
                .get("decommission_by")
                .and_then(|d| r.date(d, "decommission_by"));
            r.finish(sm, &SITE_RULE_FIELDS);
        }
    }
    r.finish(m, &SITE_FIELDS);
    Some(out)
}

/// The transition-cost model (docs/costs.md): every amount a non-negative number.
fn read_costs(r: &mut Reader<'_>, node: &Node) -> Option<Costs> {
    let mut m = r.map(node, "`costs`")?;
    let mut out = Costs {
        currency: m.get("currency").and_then(|n| r.text(n, "costs.currency")),
        ..Costs::default()
    };
    let mut ok = true;
    for (key, slot) in [
        ("datacenter", &mut out.datacenter),
        ("production", &mut out.production),
    ] {
        let Some(n) = m.get(key) else { continue };
        let Some(mut sm) = r.map(n, &format!("`costs.{key}`")) else {
            ok = false;
            continue;
        };
        ok &= amounts(
            r,
            &mut sm,
            &format!("costs.{key}"),
            [
                ("per_service", &mut slot.per_service),
                ("per_vcpu", &mut slot.per_vcpu),
                ("per_memory_gib", &mut slot.per_memory_gib),
                ("per_storage_gib", &mut slot.per_storage_gib),
            ],
        );
        r.finish(sm, &SITE_PRICE_FIELDS);
    }
    ok &= amounts(
        r,
        &mut m,
        "costs",
        [
            ("pilot_cloud_per_wave", &mut out.pilot_cloud_per_wave),
            ("split_traffic_per_wave", &mut out.split_traffic_per_wave),
            ("per_cutover", &mut out.per_cutover),
        ],
    );
    r.finish(m, &COST_FIELDS);
    ok.then_some(out)
}

/// Reads each present amount of `fields` from `m` into its slot; false when one is not a
/// non-negative number (the error is reported).
fn amounts<const N: usize>(
    r: &mut Reader<'_>,
    m: &mut MapFields<'_>,
    at: &str,
    fields: [(&str, &mut f64); N],
) -> bool {
    values(r, m, at, fields, Reader::number)
}

/// Reads each present field of `fields` from `m` with `read` into its slot; false when one
/// is wrong (the error is reported).
fn values<'s, const N: usize>(
    r: &mut Reader<'s>,
    m: &mut MapFields<'_>,
    at: &str,
    fields: [(&str, &mut f64); N],
    read: fn(&mut Reader<'s>, &Node, &str) -> Option<f64>,
) -> bool {
    let mut ok = true;
    for (field, slot) in fields {
        if let Some(x) = m.get(field) {
            match read(r, x, &format!("{at}.{field}")) {
                Some(x) => *slot = x,
                None => ok = false,
            }
        }
    }
    ok
}

/// The uncertainty model (docs/risk.md): probabilities within 0..=1, multipliers not
/// negative, overruns a positive median and a 90th percentile not below it. The department
/// codes and service ids it names are checked against the inventory later.
fn read_risk(r: &mut Reader<'_>, node: &Node, nodes: &mut ScenarioNodes<'_>) -> Option<RiskModel> {
    let mut m = r.map(node, "`risk`")?;
    let mut out = RiskModel::default();
    let mut ok = true;
    let f = &mut out.failure;
    ok &= sub_values(
        r,
        &mut m,
        ("failure", &RISK_STRATEGY_FIELDS),
        [
            ("rehost", &mut f.rehost),
            ("replatform", &mut f.replatform),
            ("refactor", &mut f.refactor),
            ("repurchase", &mut f.repurchase),
        ],
        probability,
    );
    let c = &mut out.criticality;
    ok &= sub_values(
        r,
        &mut m,
        ("criticality", &RISK_CRITICALITY_FIELDS),
        [
            ("critical", &mut c.critical),
            ("high", &mut c.high),
            ("medium", &mut c.medium),
            ("low", &mut c.low),
        ],
        Reader::number,
    );
    if let Some(n) = m.get("departments") {
        ok &= r.map(n, "`risk.departments`").is_some_and(|mut dm| {
            let mut read = true;
            for (_, k, v) in dm.rest() {
                let code = r.code(k, "department code in risk.departments");
                let x = r.number(v, "department multiplier");
                match (code, x) {
                    (Some(code), Some(x)) => {
                        nodes.risk_departments.push((code.clone(), k.clone()));
                        out.departments.insert(code, x);
                    }
                    _ => read = false,
                }
            }
            read
        });
    }
    if let Some(n) = m.get("services") {
        ok &= r.map(n, "`risk.services`").is_some_and(|mut sm| {
            let mut read = true;
            for (_, k, v) in sm.rest() {
                let id = r.id(k, "service in risk.services");
                let what = format!("risk.services.{}", id.as_deref().unwrap_or("(service)"));
                let p = probability(r, v, &what);
                match (id, p) {
                    (Some(id), Some(p)) => {
                        nodes.risk_services.push((id.clone(), k.clone()));
                        out.services.insert(ServiceId::new(id), p);
                    }
                    _ => read = false,
                }
            }
            read
        });
    }
    ok &= amounts(r, &mut m, "risk", [("retry", &mut out.retry)]);
    if let Some(n) = m.get("seasons") {
        match seasons(r, n) {
            Some(v) => out.seasons = v,
            None => ok = false,
        }
    }
    for (key, slot) in [
        ("effort_overrun", &mut out.effort_overrun),
        ("data_overrun", &mut out.data_overrun),
    ] {
        if let Some(n) = m.get(key) {
            match overrun(r, n, key) {
                Some(o) => *slot = o,
                None => ok = false,
            }
        }
    }
    r.finish(m, &RISK_FIELDS);
    ok.then_some(out)
}

/// `risk.seasons`: a list of `{name, from, to, multiplier}`.
fn seasons(r: &mut Reader<'_>, node: &Node) -> Option<Vec<Season>> {
    let items = r.list(node, "`risk.seasons`")?;
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(mut m) = r.map(item, "a risk.seasons entry") else {
            ok = false;
            continue;
        };
        let name = m.get("name").and_then(|n| r.text(n, "season name"));
        let from = r.required(&mut m, "from").and_then(|n| r.date(n, "`from`"));
        let to_node = r.required(&mut m, "to");
        let to = to_node.and_then(|n| r.date(n, "`to`"));
        let multiplier = r
            .required(&mut m, "multiplier")
            .and_then(|n| r.number(n, "risk.seasons multiplier"));
        r.finish(m, &SEASON_FIELDS);
        match (from, to, multiplier, to_node) {
            (Some(from), Some(to), Some(multiplier), Some(to_node)) => {
                if from > to {
                    r.error(
                        to_node,
                        "bad-range",
                        format!("`to` {to} is before `from` {from}"),
                        "swap the two dates",
                    );
                    ok = false;
                    continue;
                }
                out.push(Season {
                    name,
                    range: DateRange { from, to },
                    multiplier,
                });
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// A number within 0..=1.
fn probability(r: &mut Reader<'_>, node: &Node, what: &str) -> Option<f64> {
    let p = r.number(node, what)?;
    if p > 1.0 {
        r.error(
            node,
            "bad-probability",
            format!(
                "{what} is a probability, at most 1; found {}",
                super::fields::fmt_num(p)
            ),
            "write a share between 0 and 1, e.g. 0.05 for 5%",
        );
        return None;
    }
    Some(p)
}

/// `risk.<key>`, when present: a mapping of the `known` fields, those in `fields` read by
/// `read` into their slots; false when one is wrong.
fn sub_values<'s, const N: usize>(
    r: &mut Reader<'s>,
    m: &mut MapFields<'_>,
    (key, known): (&str, &[&str]),
    fields: [(&str, &mut f64); N],
    read: fn(&mut Reader<'s>, &Node, &str) -> Option<f64>,
) -> bool {
    let Some(n) = m.get(key) else {
        return true;
    };
    let at = format!("risk.{key}");
    let Some(mut sm) = r.map(n, &format!("`{at}`")) else {
        return false;
    };
    let ok = values(r, &mut sm, &at, fields, read);
    r.finish(sm, known);
    ok
}

/// `risk.<key>`: `{median, p90}`, each defaulting to the model's default.
fn overrun(r: &mut Reader<'_>, node: &Node, key: &str) -> Option<Overrun> {
    let mut m = r.map(node, &format!("`risk.{key}`"))?;
    let default = if key == "effort_overrun" {
        RiskModel::default().effort_overrun
    } else {
        RiskModel::default().data_overrun
    };
    let mut out = default;
    let median_node = m.get("median");
    let p90_node = m.get("p90");
    let mut ok = amounts(
        r,
        &mut m,
        &format!("risk.{key}"),
        [("median", &mut out.median), ("p90", &mut out.p90)],
    );
    r.finish(m, &OVERRUN_FIELDS);
    if let (true, Some(n)) = (ok && out.median <= 0.0, median_node) {
        r.error(
            n,
            "bad-overrun",
            format!("risk.{key}.median must be above 0"),
            "it multiplies the estimate: 1 means half the services take no more than estimated",
        );
        ok = false;
    }
    if ok && out.p90 < out.median {
        let at = p90_node.or(median_node).unwrap_or(node);
        r.error(
            at,
            "bad-overrun",
            format!(
                "risk.{key}.p90 ({}) is below its median ({})",
                super::fields::fmt_num(out.p90),
                super::fields::fmt_num(out.median)
            ),
            "the 90th percentile is at least the median; equal values mean no spread",
        );
        ok = false;
    }
    ok.then_some(out)
}

/// The fields of `calendar`.
pub(crate) const CALENDAR_FIELDS: [&str; 5] =
    ["start", "wave_length_days", "max_waves", "today", "freezes"];

/// The fields of a calendar freeze; the third is its label.
pub(crate) const FREEZE_FIELDS: [&str; 3] = ["from", "to", "name"];

/// The fields of `capacity`.
pub(crate) const CAPACITY_FIELDS: [&str; 5] = [
    "cutovers",
    "per_department",
    "transfer_gib",
    "teams",
    "target",
];

/// The fields of a `capacity.target` step.
pub(crate) const TARGET_STEP_FIELDS: [&str; 4] = ["from", "vcpu", "memory_gib", "storage_gib"];

/// The fields of `sites`: the sites a service can leave.
pub(crate) const SITE_FIELDS: [&str; 2] = ["pilot-cloud", "datacenter"];

/// The fields of `sites.pilot-cloud` and `sites.datacenter`.
pub(crate) const SITE_RULE_FIELDS: [&str; 1] = ["decommission_by"];

/// The fields of `rules`.
pub(crate) const RULE_FIELDS: [&str; 2] = ["dependency_order", "critical_not_before_wave"];

/// The fields of `risk`.
pub(crate) const RISK_FIELDS: [&str; 8] = [
    "failure",
    "criticality",
    "departments",
    "services",
    "retry",
    "seasons",
    "effort_overrun",
    "data_overrun",
];

/// The fields of `risk.failure`.
pub(crate) const RISK_STRATEGY_FIELDS: [&str; 4] =
    ["rehost", "replatform", "refactor", "repurchase"];

/// The fields of `risk.criticality`.
pub(crate) const RISK_CRITICALITY_FIELDS: [&str; 4] = ["critical", "high", "medium", "low"];

/// The fields of a `risk.seasons` entry.
pub(crate) const SEASON_FIELDS: [&str; 4] = ["name", "from", "to", "multiplier"];

/// The fields of `risk.effort_overrun` and `risk.data_overrun`.
pub(crate) const OVERRUN_FIELDS: [&str; 2] = ["median", "p90"];

/// The fields of `costs.datacenter` and `costs.production`.
pub(crate) const SITE_PRICE_FIELDS: [&str; 4] = [
    "per_service",
    "per_vcpu",
    "per_memory_gib",
    "per_storage_gib",
];

/// The fields of `costs`.
pub(crate) const COST_FIELDS: [&str; 6] = [
    "currency",
    "datacenter",
    "production",
    "pilot_cloud_per_wave",
    "split_traffic_per_wave",
    "per_cutover",
];

fn read_rules(r: &mut Reader<'_>, node: &Node) -> Option<Rules> {
    let mut m = r.map(node, "`rules`")?;
    let order = m
        .get("dependency_order")
        .map_or(Some(Rules::default().dependency_order), |n| {
            r.choice(n, "dependency_order", &ORDERS)
        });
    let cnb = m
        .get("critical_not_before_wave")
        .map_or(Some(1), |n| r.wave_count(n, "critical_not_before_wave"));
    r.finish(m, &RULE_FIELDS);
    Some(Rules {
        dependency_order: order?,
        critical_not_before_wave: cnb?,
    })
}

fn read_pins(r: &mut Reader<'_>, node: &Node) -> Vec<RawPin> {
    let Some(mut m) = r.map(node, "`pins`") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, k, v) in m.rest() {
        if let (Some(id), Some(wave)) = (r.id(k, "pinned service"), r.wave_count(v, "pinned wave"))
        {
            out.push(RawPin {
                id,
                wave,
                node: k.clone(),
            });
        }
    }
    out
}

/// Pins resolved to ids (after the inventory check).
#[must_use]
pub fn pins_map(pins: &[RawPin]) -> BTreeMap<ServiceId, u32> {
    pins.iter()
        .map(|p| (ServiceId::new(p.id.clone()), p.wave))
        .collect()
}
