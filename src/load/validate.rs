//! Cross-file checks that turn raw departments into a valid [`Inventory`]: unique ids and
//! codes, resolved dependencies, and the rule combinations SPEC 4 calls validation errors.
//! Also the warnings for names and dates that are valid but can never matter (issue 10:
//! nothing silently ignored): a capacity for a team no service uses, a one-member move
//! group, a freeze or blackout outside the planning horizon.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::fields::{Reader, closest};
use super::inventory::{RawDepartment, RawEdge, RawRange};
use super::scenario::{RawPin, ScenarioNodes};
use super::yaml::{Loc, Node};
use crate::graph::CutoverUnits;
use crate::model::DeptIx;
use crate::model::words::plural_of;
use crate::model::{
    Blackout, Calendar, Department, Edge, Inventory, Order, Scenario, Service, ServiceIx, Strategy,
};

/// Checks everything that needs the whole inventory (and the scenario's defaults and pins),
/// reporting into `r`, and builds the inventory when nothing is wrong. `complete` says that
/// every inventory file and service could be read: the warnings that count users of a name
/// wait for it, so that a broken service does not also make its team look unused.
pub fn validate(
    r: &mut Reader<'_>,
    depts: &mut [RawDepartment],
    sc: Option<&Scenario>,
    nodes: &ScenarioNodes<'_>,
    complete: bool,
    unloaded: &[String],
) -> Inventory {
    let unloaded: HashSet<&str> = unloaded.iter().map(String::as_str).collect();
    let mut inv = Inventory::default();
    let mut codes: HashMap<&str, Loc> = HashMap::new();
    for d in depts.iter() {
        if let Some(first) = codes.get(d.code.as_str()) {
            let at = r.sources.path(first.src).display().to_string();
            r.error(
                d.code_node,
                "duplicate-department",
                format!(
                    "department code `{}` is used twice (also at {at}:{})",
                    d.code, first.line
                ),
                "each department has one inventory file with its own code",
            );
        } else {
            codes.insert(&d.code, d.code_node);
        }
        if d.listed == 0 {
            r.warn(
                d.code_node,
                "department-without-services",
                format!("department `{}` lists no services", d.code),
                "add its services, or remove the file if the department has none",
            );
        }
    }

    // The model takes the bulky text fields over instead of copying them: at 100,000
    // services two copies of every name and effort map are a large part of peak memory.
    // Every service is built first, in a vector of exactly the right size (growing it by
    // doubling held the old and the new buffer at once, the loader's peak), and the second
    // definition of a duplicated id is dropped once all ids are known.
    let total: usize = depts.iter().map(|d| d.services.len()).sum();
    let mut services: Vec<Service> = Vec::with_capacity(total);
    for (di, d) in depts.iter_mut().enumerate() {
        for s in &mut d.services {
            services.push(Service {
                id: crate::model::ServiceId::new(s.id.clone()),
                name: std::mem::take(&mut s.name),
                department: DeptIx::new(di),
                site: s.site,
                strategy: s.strategy,
                criticality: s.criticality,
                resources: s.resources,
                data_gib: s.data_gib,
                effort: std::mem::take(&mut s.effort),
                duration_waves: s.duration_waves,
                depends_on: Vec::new(),
                move_group: s.move_group.as_ref().map(|(g, _)| g.clone()),
                not_before: s.not_before.map(|(d, _)| d),
                deadline: s.deadline.map(|(d, _)| d),
                status: s.status,
                migrated_on: s.migrated_on,
                tags: std::mem::take(&mut s.tags),
            });
        }
    }
    let depts: &[RawDepartment] = depts;
    // Ids first, so that edges can be resolved in any file order.
    let mut index: HashMap<&str, ServiceIx> = HashMap::with_capacity(total);
    let mut origin: Vec<(&RawDepartment, usize)> = Vec::with_capacity(total);
    let mut keep = Vec::with_capacity(total);
    for d in depts {
        inv.departments.push(Department {
            code: d.code.clone(),
            name: d.name.clone(),
            local_name: d.local_name.clone(),
            max_cutovers_per_wave: d.max_cutovers_per_wave,
            blackouts: d
                .blackouts
                .iter()
                .map(|b| Blackout {
                    range: b.range,
                    reason: b.label.clone(),
                })
                .collect(),
            file: d.file,
        });
        for (si, s) in d.services.iter().enumerate() {
            if let Some(&first) = index.get(s.id.as_str()) {
                keep.push(false);
                let (fd, fs) = origin[first];
                let first_node = fd.services[fs].id_node;
                let here = s.id_node;
                let msg = |other: Loc| {
                    format!(
                        "service id `{}` is defined twice (other definition at {}:{})",
                        s.id,
                        r.sources.path(other.src).display(),
                        other.line
                    )
                };
                let (m1, m2) = (msg(here), msg(first_node));
                r.error(
                    first_node,
                    "duplicate-id",
                    m1,
                    "ids are unique across all inventory files; rename or remove one",
                );
                r.error(
                    here,
                    "duplicate-id",
                    m2,
                    "ids are unique across all inventory files; rename or remove one",
                );
                continue;
            }
            keep.push(true);
            index.insert(&s.id, ServiceIx::new(origin.len()));
            origin.push((d, si));
        }
    }
    let mut kept = keep.into_iter();
    services.retain(|_| kept.next().unwrap_or(false));
    inv.services = services;

    // Without a usable scenario the default order is unknown: checks that need it wait.
    let default = sc.map(|s| s.rules.dependency_order);
    let all_ids: Vec<&str> = index.keys().copied().collect();
    // Where each kept edge was written, in the order of the services' `depends_on` (one
    // flat list rather than a vector per service, which cost 100,000 small allocations).
    let mut edge_nodes: Vec<&RawEdge> = Vec::with_capacity(
        origin
            .iter()
            .map(|&(d, si)| d.services[si].depends_on.len())
            .sum(),
    );
    for (a, &(d, si)) in origin.iter().enumerate() {
        let raw = &d.services[si];
        // Sized once: the model keeps these for the whole run.
        inv.services[a]
            .depends_on
            .reserve_exact(raw.depends_on.len());
        let mut seen: HashMap<ServiceIx, Loc> = HashMap::new();
        for e in &raw.depends_on {
            let Some(&b) = index.get(e.target.as_str()) else {
                if unloaded.contains(e.target.as_str()) {
                    // The target's own entry did not load and says why.
                    continue;
                }
                let hint = closest(&e.target, &all_ids).map_or_else(
                    || "add the service to an inventory file, or remove the dependency".to_owned(),
                    |c| format!("did you mean `{c}`?"),
                );
                r.error(
                    e.node,
                    "dangling-dependency",
                    format!("unknown dependency `{}` in `{}`", e.target, raw.id),
                    &hint,
                );
                continue;
            };
            if b == ServiceIx::new(a) {
                r.error(
                    e.node,
                    "self-dependency",
                    format!("`{}` depends on itself", raw.id),
                    "remove this dependency",
                );
                continue;
            }
            if let Some(first) = seen.get(&b) {
                r.error(
                    e.node,
                    "duplicate-edge",
                    format!(
                        "`{}` depends on `{}` twice (first at line {})",
                        raw.id, e.target, first.line
                    ),
                    "keep one entry; put order, traffic and latency_sensitive on it",
                );
                continue;
            }
            seen.insert(b, e.node);
            let order = e.order.or(default);
            let at = e.order_node.unwrap_or(e.node);
            if e.latency_sensitive && order == Some(Order::StrictlyBefore) {
                r.error(
                    at,
                    "latency-strictly-before",
                    format!("edge `{}` -> `{}` is latency-sensitive and strictly-before", raw.id, e.target),
                    "latency-sensitive ends cut over in the same wave, which strictly-before forbids; drop one",
                );
            }
            if inv.services[b].strategy == Strategy::Retire
                && (order.is_some_and(|o| o != Order::Any) || e.latency_sensitive)
            {
                r.error(
                    at,
                    "edge-to-retired",
                    format!("`{}` depends on `{}`, which is retired, with order `{}`",
                        raw.id,
                        e.target,
                        order.map_or("any", Order::as_str)
                    ),
                    "a retired service never moves: remove the dependency or give it `order: any` (not latency-sensitive)",
                );
            }
            if inv.services[b].strategy == Strategy::Retain && inv.services[a].is_migrating() {
                r.warn(
                    e.node,
                    "edge-to-retained",
                    format!(
                        "`{}` depends on `{}`, which is retained: a permanent cross-site link",
                        raw.id, e.target
                    ),
                    "this link stays split between the clouds for good; it is reported, not scheduled",
                );
            }
            inv.services[a].depends_on.push(Edge {
                target: b,
                order: e.order,
                traffic: e.traffic,
                latency_sensitive: e.latency_sensitive,
            });
            edge_nodes.push(e);
        }
    }

    check_move_groups(r, &inv, &origin, complete);
    if let Some(default) = default {
        check_impossible_orders(r, &inv, &edge_nodes, default);
    }
    check_pins(r, &inv, &index, &nodes.pins, &unloaded);
    check_risk_names(r, &inv, &index, nodes);
    if complete {
        check_team_capacities(r, &inv, &nodes.teams);
        check_effort_teams(r, &inv, &origin, &nodes.teams);
    }
    if let (Some(sc), true) = (sc, nodes.from_file) {
        check_horizon(r, &sc.calendar, depts, &nodes.freezes);
    }
    inv
}

/// Warns about a `capacity.teams` entry for a team no migrating service's `effort` names:
/// it limits nothing, and is most often a misspelling (`DBA` for `dba`).
fn check_team_capacities(r: &mut Reader<'_>, inv: &Inventory, teams: &[(String, &Node)]) {
    let used: BTreeSet<&str> = inv
        .services
        .iter()
        .filter(|s| s.is_migrating())
        .flat_map(|s| s.effort.keys().map(String::as_str))
        .collect();
    let used_list: Vec<&str> = used.iter().copied().collect();
    for (team, node) in teams {
        if used.contains(team.as_str()) {
            continue;
        }
        let hint = match closest(team, &used_list) {
            Some(c) => format!("did you mean `{c}`?"),
            None if used_list.is_empty() => {
                "no migrating service lists `effort`; remove this entry, or give the services their effort".to_owned()
            }
            None => format!(
                "teams in the migrating services' effort: {}",
                used_list.join(", ")
            ),
        };
        r.warn(
            *node,
            "unused-team-capacity",
            format!(
                "no migrating service has effort for team `{team}`, so this capacity limits nothing"
            ),
            &hint,
        );
    }
}

/// Warns about a team in a migrating service's `effort` that no `capacity.teams` entry
/// names but one does up to case and separators (`DBA` or `d_b_a` beside `dba`): that work
/// would go unlimited, silently.
/// Once per team, at the first service that names it; a team merely left uncapped, with no
/// capacity spelt like it, is the planner's choice and says nothing.
fn check_effort_teams(
    r: &mut Reader<'_>,
    inv: &Inventory,
    origin: &[(&RawDepartment, usize)],
    teams: &[(String, &Node)],
) {
    // A capacity no service uses has its own warning, naming this team: only capacities in
    // use are candidates, or one typo would be reported twice.
    let used: BTreeSet<&str> = inv
        .services
        .iter()
        .filter(|s| s.is_migrating())
        .flat_map(|s| s.effort.iter().map(|(t, _)| t.as_str()))
        .collect();
    let capped: Vec<&str> = teams
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| used.contains(t))
        .collect();
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (ix, s) in inv.indexed() {
        if !s.is_migrating() {
            continue;
        }
        for (team, _) in s.effort.iter() {
            if !teams.iter().any(|(t, _)| t == team) {
                seen.entry(team.as_str()).or_insert((ix.pos(), 0)).1 += 1;
            }
        }
    }
    for (team, (first, count)) in seen {
        // Stricter than `closest`: team names are short, and `qa` two edits from `dba` is
        // a different team, not a slip.
        let plain = |t: &str| {
            t.chars()
                .filter(|c| !matches!(c, '-' | '_' | ' '))
                .collect::<String>()
                .to_lowercase()
        };
        let Some(near) = capped.iter().find(|c| plain(c) == plain(team)) else {
            continue;
        };
        let (d, si) = origin[first];
        let service = &d.services[si];
        let others = match count - 1 {
            0 => String::new(),
            n => format!(" (so do {})", plural_of(n, "other service")),
        };
        r.warn(
            service.id_node,
            "uncapped-team-effort",
            format!(
                "`{}` has effort for team `{team}`{others}, which no capacity limits, so that work is unlimited",
                service.id
            ),
            &format!("did you mean `{near}`?"),
        );
    }
}

/// Warns about freezes and blackouts wholly outside waves 1 ..= `max_waves`: they can
/// never apply, so the year is probably a typo.
fn check_horizon(
    r: &mut Reader<'_>,
    cal: &Calendar,
    depts: &[RawDepartment],
    freezes: &[RawRange],
) {
    let first = cal.wave_start(1);
    let last = cal.wave_end(cal.max_waves);
    let outside = |r: &mut Reader<'_>, raw: &RawRange, what: String, kind: &'static str| {
        let (node, when) = if raw.range.to < first {
            (raw.to_node, format!("ends before wave 1 starts ({first})"))
        } else if raw.range.from > last {
            (
                raw.from_node,
                format!(
                    "starts after the planning horizon ends ({last}, the end of wave {})",
                    cal.max_waves
                ),
            )
        } else {
            return;
        };
        r.warn(
            node,
            kind,
            format!(
                "{what} ({} to {}) {when}, so it can never apply",
                raw.range.from, raw.range.to
            ),
            "check the year; or move `calendar.start` or `calendar.max_waves` if the plan should reach it",
        );
    };
    for f in freezes {
        let what = match &f.label {
            Some(name) => format!("freeze `{name}`"),
            None => "a freeze".to_owned(),
        };
        outside(r, f, what, "freeze-outside-horizon");
    }
    for d in depts {
        for b in &d.blackouts {
            let what = match &b.label {
                Some(reason) => format!("blackout `{reason}` of department `{}`", d.code),
                None => format!("a blackout of department `{}`", d.code),
            };
            outside(r, b, what, "blackout-outside-horizon");
        }
    }
}

fn check_move_groups(
    r: &mut Reader<'_>,
    inv: &Inventory,
    origin: &[(&RawDepartment, usize)],
    complete: bool,
) {
    let mut members: BTreeMap<&str, Vec<ServiceIx>> = BTreeMap::new();
    for (i, s) in inv.services.iter().enumerate() {
        if let Some(g) = &s.move_group {
            members.entry(g).or_default().push(ServiceIx::new(i));
        }
        if let (Some(g), false) = (&s.move_group, s.is_migrating()) {
            let (d, si) = origin[i];
            if let Some((_, node)) = &d.services[si].move_group {
                r.warn(
                    node,
                    "move-group-member-not-migrating",
                    format!(
                        "`{}` is in move group `{g}` but does not migrate; it is ignored there",
                        s.id
                    ),
                    "remove it from the move group, or change its strategy or status",
                );
            }
        }
    }
    // A group only one service names ties nothing together: most often the other members
    // spell it differently. A lone member that does not migrate is reported above.
    // Only real groups are suggested: two lone names may be each other's typo, but neither
    // is the group the service was meant to join.
    let groups: Vec<&str> = members
        .iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(g, _)| *g)
        .collect();
    if !complete {
        return;
    }
    for (g, m) in &members {
        let [i] = m.as_slice() else { continue };
        let s = &inv.services[*i];
        let (d, si) = origin[*i];
        let (true, Some((_, node))) = (s.is_migrating(), &d.services[si].move_group) else {
            continue;
        };
        let hint = closest(g, &groups).map_or_else(
            || {
                "give the services that must cut over with it the same `move_group`, or remove it"
                    .to_owned()
            },
            |c| {
                let n = members.get(c).map_or(0, Vec::len);
                format!("did you mean `{c}` (a group of {n})?")
            },
        );
        r.warn(
            node,
            "single-member-move-group",
            format!("move group `{g}` has only one member, `{}`", s.id),
            &hint,
        );
    }
}

/// Rejects strictly-before edges that ordered edges, latency links and move groups make
/// impossible (SPEC 4). Such an edge A -> B is impossible exactly when A and B share a
/// cut-over unit (`graph` owns that rule), since the edge itself already forces B to cut over
/// no later than A.
fn check_impossible_orders(
    r: &mut Reader<'_>,
    inv: &Inventory,
    edge_nodes: &[&RawEdge],
    default: Order,
) {
    let all: Vec<ServiceIx> = ServiceIx::all(inv.services.len()).collect();
    let units = CutoverUnits::of(inv, default, &all);
    let comp = units.units();
    let migrating: Vec<bool> = inv.services.iter().map(Service::is_migrating).collect();
    // `edge_nodes` lists the edges of every service in turn, as `depends_on` holds them.
    let mut raws = edge_nodes.iter();
    for (a, s) in inv.indexed() {
        for (e, raw) in s
            .depends_on
            .iter()
            .zip(raws.by_ref().take(s.depends_on.len()))
        {
            // A latency-sensitive strictly-before edge is already reported as such.
            if e.effective_order(default) != Order::StrictlyBefore
                || e.latency_sensitive
                || !(migrating[a] && migrating[e.target])
            {
                continue;
            }
            if comp[a] == comp[e.target] {
                let chain = units
                    .chain(e.target.pos(), a.pos())
                    .iter()
                    .map(|&i| format!("`{}`", inv.services[i].id))
                    .collect::<Vec<_>>()
                    .join(" -> ");
                r.error(
                    raw.order_node.unwrap_or(raw.node),
                    "impossible-strictly-before",
                    format!(
                        "`{}` must start after `{}` cuts over, but {chain} forces `{}` to cut over no later than `{}`",
                        s.id, inv.services[e.target].id, s.id, inv.services[e.target].id
                    ),
                    "these rules can never hold together: relax this edge's order, or break the chain",
                );
            }
        }
    }
}

/// "did you mean" the migrating service closest to an unknown `id`, else `fallback`.
fn migrating_hint(inv: &Inventory, id: &str, fallback: &str) -> String {
    let migrating: Vec<&str> = inv
        .services
        .iter()
        .filter(|s| s.is_migrating())
        .map(|s| s.id.as_str())
        .collect();
    closest(id, &migrating).map_or_else(|| fallback.to_owned(), |c| format!("did you mean `{c}`?"))
}

/// `risk.departments` and `risk.services` should name departments and migrating services.
/// A name they lack is a warning, not an error: the model never changes which plans are
/// valid, and one scenario may serve inventories that lack a department it prices in.
fn check_risk_names(
    r: &mut Reader<'_>,
    inv: &Inventory,
    index: &HashMap<&str, ServiceIx>,
    nodes: &ScenarioNodes<'_>,
) {
    let codes: Vec<&str> = inv.departments.iter().map(|d| d.code.as_str()).collect();
    for (code, node) in &nodes.risk_departments {
        if !codes.contains(&code.as_str()) {
            let hint = closest(code, &codes).map_or_else(
                || "risk.departments names departments by their code".to_owned(),
                |c| format!("did you mean `{c}`?"),
            );
            r.warn(
                node,
                "unknown-risk-name",
                format!("risk.departments names unknown department `{code}`; its multiplier applies to nothing"),
                &hint,
            );
        }
    }
    for (id, node) in &nodes.risk_services {
        match index.get(id.as_str()) {
            Some(&s) if inv.services[s].is_migrating() => {}
            Some(_) => r.warn(
                node,
                "unknown-risk-name",
                format!("risk.services names `{id}`, which does not migrate; its probability applies to nothing"),
                "only migrating services cut over; remove the entry",
            ),
            None => {
                let hint = migrating_hint(inv, id, "risk.services names migrating services by id");
                r.warn(
                    node,
                    "unknown-risk-name",
                    format!("risk.services names unknown service `{id}`; its probability applies to nothing"),
                    &hint,
                );
            }
        }
    }
}

fn check_pins(
    r: &mut Reader<'_>,
    inv: &Inventory,
    index: &HashMap<&str, ServiceIx>,
    pins: &[RawPin],
    unloaded: &HashSet<&str>,
) {
    let mut group_pins: BTreeMap<&str, (u32, &RawPin)> = BTreeMap::new();
    for p in pins {
        let Some(&s) = index.get(p.id.as_str()) else {
            if unloaded.contains(p.id.as_str()) {
                continue;
            }
            let hint = migrating_hint(inv, &p.id, "pins name migrating services by id");
            r.error(
                &p.node,
                "bad-pin",
                format!("pin names unknown service `{}`", p.id),
                &hint,
            );
            continue;
        };
        let svc = &inv.services[s];
        if !svc.is_migrating() {
            r.error(
                &p.node,
                "bad-pin",
                format!("pin names `{}`, which does not migrate", p.id),
                "only migrating services get waves; remove the pin",
            );
            continue;
        }
        if let Some(g) = &svc.move_group {
            match group_pins.get(g.as_str()) {
                Some((w, first)) if *w != p.wave => r.error(
                    &p.node,
                    "bad-pin",
                    format!(
                        "move group `{g}` is pinned to wave {w} (`{}`) and to wave {} (`{}`)",
                        first.id, p.wave, p.id
                    ),
                    "members of a move group share one cutover wave; pin them to the same wave",
                ),
                Some(_) => {}
                None => {
                    group_pins.insert(g, (p.wave, p));
                }
            }
        }
    }
}
