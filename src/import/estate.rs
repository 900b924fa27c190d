//! Records → services: servers merged across sources, placed in departments, grouped into
//! services; flows and CMDB relations turned into dependencies, with shared platforms and
//! traffic inside a service taken out; unknown endpoints listed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use regex::{Regex, RegexBuilder};

use super::community::{self, WeightedGraph};
use super::ids::IdMaker;
use super::records::{Flow, Relation, Server, server_key};
use super::review::{
    Decision, DepartmentReview, FlowReview, MoveGroupSuggestion, PoweredOff, Provenance, Review,
    SharedPlatform, Unknown,
};
use crate::load::{Existing, ExistingService};
use crate::model::{
    Attribute, DraftDepartment, DraftEdge, DraftResources, DraftService, Grouping, ImportMap,
    MetaValue, Order, Strategy,
};

/// What the estate step is told besides the records.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--department`: the code for servers no rule places.
    pub department: Option<String>,
    /// `--keep-unknown`: import unknown flow endpoints as placeholder services.
    pub keep_unknown: bool,
}

/// A department code: SPEC 2's grammar.
#[must_use]
pub fn is_code(s: &str) -> bool {
    s.len() >= 2
        && s.len() <= 16
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

fn compile(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .ok()
}

/// One server after merging what every source said of it.
#[derive(Debug, Clone)]
struct Merged {
    server: Server,
    /// Field → the source file that gave it, for the review.
    field_from: BTreeMap<&'static str, String>,
    placeholder: bool,
    sources: BTreeSet<String>,
    department: String,
    service: usize,
}

/// A service being built.
#[derive(Debug, Clone)]
struct Group {
    name: String,
    department: String,
    servers: Vec<usize>,
    placeholder: bool,
}

/// Builds the drafts and fills `review`.
#[must_use]
pub fn build(
    servers: Vec<Server>,
    flows: &[Flow],
    relations: &[Relation],
    map: &ImportMap,
    existing: &Existing,
    settings: &Settings,
    review: &mut Review,
) -> Vec<DraftDepartment> {
    let rules: Vec<(Attribute, Regex, Option<String>)> = map
        .departments
        .iter()
        .filter_map(|r| compile(&r.pattern).map(|re| (r.attribute, re, r.code.clone())))
        .collect();
    let names_to_code: BTreeMap<String, String> = map
        .department_names
        .iter()
        .map(|(c, n)| (n.name.to_lowercase(), c.clone()))
        .chain(
            existing
                .departments
                .iter()
                .map(|(c, n)| (n.to_lowercase(), c.clone())),
        )
        .collect();

    let mut merged = merge_servers(servers, review);
    let runs_on = runs_on(relations, &merged);
    for m in &mut merged {
        m.department = department(&m.server, &rules, &names_to_code, map, settings);
        if m.department == map.unknown_department && !m.server.is_application {
            review.unassigned.push(m.server.name.clone());
        }
    }

    // Unknown flow endpoints, resolved before grouping so placeholders become services.
    let index = Index::new(&merged);
    let ignore = Ignore::new(map);
    // Each flow's ends are looked up once (`None`: the map ignores the flow).
    let mut ends: Vec<Option<[Option<usize>; 2]>> = flows
        .iter()
        .map(|f| ignore.reason(f).is_none().then(|| index.ends(f)))
        .collect();
    let mut unknown: BTreeMap<String, Unknown> = BTreeMap::new();
    for (f, e) in flows.iter().zip(&ends) {
        let Some(e) = e else { continue };
        for (found, (name, ip, client)) in e.iter().zip([
            (&f.src_name, &f.src_ip, None),
            (&f.dst_name, &f.dst_ip, Some(&f.src_name)),
        ]) {
            if found.is_some() {
                continue;
            }
            let endpoint = if ip.is_empty() {
                name.clone()
            } else if name.is_empty() {
                ip.clone()
            } else {
                format!("{name} ({ip})")
            };
            let shown = match (client, f.port) {
                (Some(_), Some(p)) => format!("{endpoint}:{p}"),
                _ => endpoint.clone(),
            };
            let label = if name.is_empty() {
                ip.as_str()
            } else {
                name.as_str()
            };
            let e = unknown.entry(shown.clone()).or_insert_with(|| Unknown {
                key: server_key(label).into_owned(),
                endpoint: shown,
                rows: 0,
                first_seen: f.place(),
                example_client: client.map(|c| {
                    if c.is_empty() {
                        f.src_ip.clone()
                    } else {
                        c.clone()
                    }
                }),
                imported_as: None,
            });
            e.rows += 1;
        }
    }
    if settings.keep_unknown && !unknown.is_empty() {
        let mut added = BTreeSet::new();
        for (f, e) in flows.iter().zip(&ends) {
            let Some(e) = e else { continue };
            for (found, (name, ip)) in e
                .iter()
                .zip([(&f.src_name, &f.src_ip), (&f.dst_name, &f.dst_ip)])
            {
                if found.is_some() {
                    continue;
                }
                let label = if name.is_empty() {
                    ip.clone()
                } else {
                    name.clone()
                };
                if !added.insert(server_key(&label).into_owned()) {
                    continue;
                }
                merged.push(Merged {
                    server: Server {
                        key: server_key(&label).into_owned(),
                        name: label,
                        ips: if ip.is_empty() {
                            Vec::new()
                        } else {
                            vec![ip.clone()]
                        },
                        source: f.source.to_string(),
                        place: f.place(),
                        ..Server::default()
                    },
                    sources: BTreeSet::from([f.source.to_string()]),
                    field_from: BTreeMap::new(),
                    department: map.unknown_department.clone(),
                    service: 0,
                    placeholder: true,
                });
            }
        }
        let index = Index::new(&merged);
        for (f, e) in flows.iter().zip(&mut ends) {
            if let Some(e) = e
                && e.iter().any(Option::is_none)
            {
                *e = index.ends(f);
            }
        }
    }

    let groups = group(&mut merged, &runs_on, map);
    // Match groups to services already in the inventory by the servers they were built from.
    // `meta.hosts` holds names as the exports wrote them; match them as servers are matched.
    let host_owner: BTreeMap<String, &ExistingService> = existing
        .services
        .iter()
        .flat_map(|s| s.hosts.iter().map(move |h| (server_key(h).into_owned(), s)))
        .collect();
    let mut ids = IdMaker::new(existing.services.iter().map(|s| s.id.clone()));
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        (
            &groups[a].department,
            groups[a].name.to_lowercase(),
            &groups[a].name,
        )
            .cmp(&(
                &groups[b].department,
                groups[b].name.to_lowercase(),
                &groups[b].name,
            ))
    });
    let mut ids_of = vec![String::new(); groups.len()];
    let mut matched: Vec<Option<&ExistingService>> = vec![None; groups.len()];
    for &g in &order {
        let mut votes: BTreeMap<&str, (usize, &ExistingService)> = BTreeMap::new();
        for &s in &groups[g].servers {
            if let Some(e) = host_owner.get(merged[s].server.key.as_str()) {
                votes.entry(e.id.as_str()).or_insert((0, e)).0 += 1;
            }
        }
        let best = votes
            .iter()
            .filter(|(id, _)| !claimed.contains(*id))
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))
            .map(|(_, (_, e))| *e);
        if let Some(e) = best {
            claimed.insert(e.id.as_str());
            ids.reserve(&e.id);
            ids_of[g].clone_from(&e.id);
            matched[g] = Some(e);
            let fresh = super::ids::base_id(&groups[g].department, &groups[g].name);
            if fresh != e.id {
                review.merge_notes.push(format!(
                    "`{}` is `{}` (matched by its servers in `meta.hosts`)",
                    groups[g].name, e.id
                ));
            }
        }
    }
    for &g in &order {
        if matched[g].is_some() {
            continue;
        }
        let (id, wanted) = ids.make(&groups[g].department, &groups[g].name);
        if let Some(w) = wanted {
            review.renamed.push(format!(
                "`{}` would be `{w}`, which is taken: it is `{id}`",
                groups[g].name
            ));
        }
        ids_of[g] = id;
    }

    let mut flow_review = FlowReview {
        rows: flows.len(),
        ..FlowReview::default()
    };
    flow_review.unknown = unknown.into_values().collect();
    if settings.keep_unknown {
        let placeholder_ids: BTreeMap<&str, &str> = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.placeholder)
            .flat_map(|(i, g)| g.servers.iter().map(move |&s| (s, i)))
            .map(|(s, i)| (merged[s].server.key.as_str(), ids_of[i].as_str()))
            .collect();
        for u in &mut flow_review.unknown {
            u.imported_as = placeholder_ids.get(u.key.as_str()).map(|s| (*s).to_owned());
        }
    }
    let index = Index::new(&merged);
    let (edges, mut dep_from) = dependencies(
        flows,
        &ends,
        relations,
        &merged,
        &index,
        &ignore,
        &mut flow_review,
    );
    // Shared platforms: reached by most client services, so an edge from each says nothing.
    let clients: BTreeSet<usize> = edges.keys().map(|(a, _)| *a).collect();
    let mut reached: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        reached.entry(*b).or_default().insert(*a);
    }
    let threshold = (map.flows.shared_platform_share * clients.len() as f64)
        .max(f64::from(map.flows.shared_platform_min_clients));
    let shared: BTreeMap<usize, usize> = reached
        .iter()
        .filter(|(_, c)| c.len() as f64 >= threshold)
        .map(|(b, c)| (*b, c.len()))
        .collect();
    for (&b, &n) in &shared {
        flow_review.rows_collapsed += flow_review.rows_to.get(&b).copied().unwrap_or(0);
        flow_review.shared_platforms.push(SharedPlatform {
            service: ids_of[b].clone(),
            clients: n,
        });
    }
    let mut out_edges: Vec<Vec<DraftEdge>> = vec![Vec::new(); groups.len()];
    let retired = |g: usize| {
        groups[g]
            .servers
            .iter()
            .all(|&s| merged[s].server.powered_off)
    };
    for (&(a, b), &traffic) in &edges {
        if shared.contains_key(&b) {
            flow_review.collapsed += 1;
            continue;
        }
        let order = if retired(b) {
            Order::Any
        } else {
            map.flows.order
        };
        if retired(b) && map.flows.order != Order::Any {
            flow_review.to_retired += 1;
        }
        out_edges[a].push(DraftEdge {
            service: ids_of[b].clone(),
            order,
            traffic,
        });
        flow_review.kept += 1;
    }
    for e in &mut out_edges {
        e.sort_by(|x, y| x.service.cmp(&y.service));
    }

    let suggestions = if map.suggest_move_groups
        && matches!(map.services, Grouping::Auto | Grouping::PerServer)
    {
        suggest_groups(
            &groups, &edges, &shared, &ids_of, existing, &matched, review,
        )
    } else {
        BTreeMap::new()
    };

    // Drafts, by department then id.
    let mut depts: BTreeMap<String, Vec<DraftService>> = BTreeMap::new();
    for &g in &order {
        let grp = &groups[g];
        let draft = draft(
            grp,
            &merged,
            &ids_of[g],
            matched[g],
            std::mem::take(&mut out_edges[g]),
            suggestions.get(&g).cloned(),
            shared.get(&g).copied(),
            dep_from.remove(&g).unwrap_or_default(),
            map,
            review,
        );
        let dept = matched[g].map_or(grp.department.clone(), |e| e.department.clone());
        depts.entry(dept).or_default().push(draft);
    }
    review.flows = flow_review;
    review.servers = merged.iter().filter(|m| !m.server.is_application).count();
    depts
        .into_iter()
        .map(|(code, mut services)| {
            services.sort_by(|a, b| a.id.cmp(&b.id));
            let (name, local_name) = map.department_names.get(&code).map_or_else(
                || {
                    let name = existing.departments.get(&code).cloned().unwrap_or_else(|| {
                        if code == map.unknown_department {
                            "Servers with no department yet".to_owned()
                        } else {
                            format!("Department {code}")
                        }
                    });
                    (name, None)
                },
                |n| (n.name.clone(), n.local_name.clone()),
            );
            review.departments.push(DepartmentReview {
                code: code.clone(),
                services: services.len(),
                new_file: !existing.departments.contains_key(&code),
            });
            DraftDepartment {
                code,
                name,
                local_name,
                services,
            }
        })
        .collect()
}

/// Merges records of one server from several sources: the first source that knows a field
/// gives it (sources in command-line order).
fn merge_servers(servers: Vec<Server>, review: &mut Review) -> Vec<Merged> {
    let mut out: Vec<Merged> = Vec::new();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    for s in servers {
        let key = if s.is_application {
            format!("app:{}", s.name.to_lowercase())
        } else {
            s.key.clone()
        };
        match by_key.get(&key) {
            Some(&i) => {
                let m = &mut out[i];
                m.sources.insert(s.source.clone());
                let t = &mut m.server;
                if t.source == s.source {
                    review.duplicates.push(format!(
                        "{}: `{}` is listed again (first at {}): the first row counts",
                        s.place, s.name, t.place
                    ));
                    continue;
                }
                for f in known_fields(&s) {
                    m.field_from.entry(f).or_insert_with(|| s.source.clone());
                }
                let t = &mut m.server;
                t.vcpu = t.vcpu.or(s.vcpu);
                t.memory_gib = t.memory_gib.or(s.memory_gib);
                t.storage_gib = t.storage_gib.or(s.storage_gib);
                t.data_gib = t.data_gib.or(s.data_gib);
                t.os = t.os.take().or(s.os);
                t.environment = t.environment.take().or(s.environment);
                t.application = t.application.take().or(s.application);
                for (k, v) in s.attributes {
                    t.attributes.entry(k).or_insert(v);
                }
                for ip in s.ips {
                    if !t.ips.contains(&ip) {
                        t.ips.push(ip);
                    }
                }
                t.powered_off |= s.powered_off;
            }
            None => {
                by_key.insert(key, out.len());
                out.push(Merged {
                    sources: BTreeSet::from([s.source.clone()]),
                    field_from: known_fields(&s)
                        .into_iter()
                        .map(|f| (f, s.source.clone()))
                        .collect(),
                    server: s,
                    department: String::new(),
                    service: 0,
                    placeholder: false,
                });
            }
        }
    }
    out
}

/// The fields a record knows, by their inventory names.
fn known_fields(s: &Server) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (known, name) in [
        (s.vcpu.is_some(), "vcpu"),
        (s.memory_gib.is_some(), "memory_gib"),
        (s.storage_gib.is_some(), "storage_gib"),
        (s.data_gib.is_some(), "data_gib"),
        (s.os.is_some(), "os"),
        (s.environment.is_some(), "environment"),
        (s.attributes.contains_key(&Attribute::Group), "department"),
        (s.application.is_some(), "service"),
        (s.powered_off, "powered_off"),
    ] {
        if known {
            out.push(name);
        }
    }
    out
}

/// Application CI name (lowercase) → the servers it runs on, from CMDB `Runs on` relations.
fn runs_on(relations: &[Relation], merged: &[Merged]) -> BTreeMap<String, String> {
    let apps: BTreeMap<String, &str> = merged
        .iter()
        .filter(|m| m.server.is_application)
        .map(|m| (m.server.name.to_lowercase(), m.server.name.as_str()))
        .collect();
    let mut out = BTreeMap::new();
    for r in relations {
        if r.kind.to_lowercase().starts_with("runs on") {
            let app = apps
                .get(&r.parent.to_lowercase())
                .map_or(r.parent.as_str(), |a| a);
            out.entry(server_key(&r.child).into_owned())
                .or_insert_with(|| app.to_owned());
        }
    }
    out
}

fn department(
    s: &Server,
    rules: &[(Attribute, Regex, Option<String>)],
    names: &BTreeMap<String, String>,
    map: &ImportMap,
    settings: &Settings,
) -> String {
    for (attribute, re, code) in rules {
        let Some(value) = s.attributes.get(attribute) else {
            continue;
        };
        if let Some(caps) = re.captures(value) {
            if let Some(c) = code {
                return c.clone();
            }
            if let Some(c) = caps.name("code").map(|m| m.as_str().to_uppercase())
                && is_code(&c)
            {
                return c;
            }
        }
    }
    if let Some(g) = s.attributes.get(&Attribute::Group) {
        if let Some(c) = names.get(&g.to_lowercase()) {
            return c.clone();
        }
        let upper = g.trim().to_uppercase();
        if is_code(&upper) && upper.len() <= 8 {
            return upper;
        }
    }
    settings
        .department
        .clone()
        .unwrap_or_else(|| map.unknown_department.clone())
}

/// Finds servers by name or IP.
/// Lookups only, never iterated: a `HashMap` cannot change the output's order.
struct Index {
    by_key: HashMap<String, usize>,
    by_ip: HashMap<String, usize>,
    by_app: HashMap<String, usize>,
}

impl Index {
    fn new(merged: &[Merged]) -> Self {
        let mut by_key = HashMap::new();
        let mut by_ip = HashMap::new();
        let mut by_app = HashMap::new();
        for (i, m) in merged.iter().enumerate() {
            if m.server.is_application {
                by_app.entry(m.server.name.to_lowercase()).or_insert(i);
                continue;
            }
            by_key.entry(m.server.key.clone()).or_insert(i);
            for ip in &m.server.ips {
                by_ip.entry(ip.clone()).or_insert(i);
            }
        }
        Self {
            by_key,
            by_ip,
            by_app,
        }
    }

    /// Both ends of a flow.
    fn ends(&self, f: &Flow) -> [Option<usize>; 2] {
        [
            self.find(&f.src_name, &f.src_ip),
            self.find(&f.dst_name, &f.dst_ip),
        ]
    }

    fn find(&self, name: &str, ip: &str) -> Option<usize> {
        let key = server_key(name);
        (!key.is_empty())
            .then(|| self.by_key.get(key.as_ref()).copied())
            .flatten()
            .or_else(|| {
                (!ip.is_empty())
                    .then(|| self.by_ip.get(ip.trim()).copied())
                    .flatten()
            })
            .or_else(|| {
                (!ip.is_empty())
                    .then(|| self.by_key.get(ip.trim()).copied())
                    .flatten()
            })
            .or_else(|| {
                (!self.by_app.is_empty() && !name.is_empty())
                    .then(|| self.by_app.get(&name.trim().to_lowercase()).copied())
                    .flatten()
            })
    }
}

/// The map's flow filters, compiled once.
struct Ignore {
    ports: BTreeSet<u32>,
    processes: Vec<Regex>,
    hosts: Vec<Regex>,
}

impl Ignore {
    fn new(map: &ImportMap) -> Self {
        Self {
            ports: map.flows.ignore_ports.iter().copied().collect(),
            processes: map
                .flows
                .ignore_processes
                .iter()
                .filter_map(|p| compile(p))
                .collect(),
            hosts: map
                .flows
                .ignore_hosts
                .iter()
                .filter_map(|p| compile(p))
                .collect(),
        }
    }

    fn reason(&self, f: &Flow) -> Option<&'static str> {
        if self.ports.is_empty() && self.processes.is_empty() && self.hosts.is_empty() {
            return None;
        }
        if f.port.is_some_and(|p| self.ports.contains(&p)) {
            return Some("port ignored by the map");
        }
        if self
            .processes
            .iter()
            .any(|re| re.is_match(&f.src_process) || re.is_match(&f.dst_process))
        {
            return Some("process ignored by the map");
        }
        let ends = [&f.src_name, &f.src_ip, &f.dst_name, &f.dst_ip];
        if self
            .hosts
            .iter()
            .any(|re| ends.iter().any(|e| !e.is_empty() && re.is_match(e)))
        {
            return Some("host ignored by the map");
        }
        None
    }
}

fn group(merged: &mut [Merged], runs_on: &BTreeMap<String, String>, map: &ImportMap) -> Vec<Group> {
    let pattern = match &map.services {
        Grouping::Pattern(p) => compile(p),
        _ => None,
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut by_name: BTreeMap<(String, bool), usize> = BTreeMap::new();
    // Application CIs first, so a CMDB application names the group of its servers.
    let mut order: Vec<usize> = (0..merged.len()).collect();
    order.sort_by_key(|&i| !merged[i].server.is_application);
    for i in order {
        let s = &merged[i].server;
        let placeholder = merged[i].placeholder;
        let name = match &map.services {
            Grouping::PerServer => s.name.clone(),
            Grouping::Column(_) => s.application.clone().unwrap_or_else(|| s.name.clone()),
            Grouping::Pattern(_) => pattern
                .as_ref()
                .and_then(|re| re.captures(&s.name))
                .and_then(|c| c.name("service").map(|m| m.as_str().to_owned()))
                .unwrap_or_else(|| s.name.clone()),
            Grouping::Auto => s
                .application
                .clone()
                .or_else(|| runs_on.get(&s.key).cloned())
                .unwrap_or_else(|| s.name.clone()),
        };
        let key = (name.to_lowercase(), false);
        let g = *by_name.entry(key).or_insert_with(|| {
            groups.push(Group {
                name: name.clone(),
                department: merged[i].department.clone(),
                servers: Vec::new(),
                placeholder,
            });
            groups.len() - 1
        });
        groups[g].servers.push(i);
        merged[i].service = g;
    }
    for g in &mut groups {
        g.servers
            .sort_by(|&a, &b| merged[a].server.key.cmp(&merged[b].server.key));
        // A group takes the department of most of its servers (ties: the smallest code).
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for &s in &g.servers {
            if !merged[s].server.is_application || g.servers.len() == 1 {
                *count.entry(merged[s].department.as_str()).or_default() += 1;
            }
        }
        if let Some((d, _)) = count.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            g.department = (*d).to_owned();
        }
    }
    groups
}

/// Service → service edges with their summed traffic.
type Edges = BTreeMap<(usize, usize), f64>;

/// Service → service edges with summed traffic, from flows and CMDB dependencies, and for
/// each client service the files they were found in.
fn dependencies(
    flows: &[Flow],
    ends: &[Option<[Option<usize>; 2]>],
    relations: &[Relation],
    merged: &[Merged],
    index: &Index,
    ignore: &Ignore,
    review: &mut FlowReview,
) -> (Edges, BTreeMap<usize, BTreeSet<String>>) {
    let mut edges: Edges = BTreeMap::new();
    let mut dep_from: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    // Flows come file by file: note a client's file once per run of the same file.
    let mut last: Option<(usize, *const u8)> = None;
    for (f, e) in flows.iter().zip(ends) {
        let Some(e) = e else {
            let why = ignore.reason(f).unwrap_or("ignored by the map");
            *review.ignored.entry(why.to_owned()).or_default() += 1;
            continue;
        };
        let [Some(a), Some(b)] = *e else {
            review.unknown_rows += 1;
            continue;
        };
        let (sa, sb) = (merged[a].service, merged[b].service);
        if sa == sb {
            review.inside += 1;
            continue;
        }
        *edges.entry((sa, sb)).or_default() += f.count;
        *review.rows_to.entry(sb).or_default() += 1;
        if last != Some((sa, f.source.as_ptr())) {
            last = Some((sa, f.source.as_ptr()));
            dep_from.entry(sa).or_default().insert(f.source.to_string());
        }
    }
    for r in relations {
        let kind = r.kind.to_lowercase();
        let is_dep = [
            "depends on",
            "uses",
            "connects to",
            "sends data to",
            "consumes",
        ]
        .iter()
        .any(|k| kind.starts_with(k));
        if !is_dep {
            if !kind.starts_with("runs on") {
                *review
                    .ignored
                    .entry(format!("CMDB relationship `{}`", r.kind))
                    .or_default() += 1;
            }
            continue;
        }
        review.relations += 1;
        let (Some(a), Some(b)) = (index.find(&r.parent, ""), index.find(&r.child, "")) else {
            review.relations_unknown += 1;
            continue;
        };
        let (sa, sb) = (merged[a].service, merged[b].service);
        if sa != sb {
            // A CMDB relation says a dependency exists, not how much traffic it carries.
            edges.entry((sa, sb)).or_insert(0.0);
            dep_from.entry(sa).or_default().insert(r.source.clone());
        }
    }
    (edges, dep_from)
}

fn suggest_groups(
    groups: &[Group],
    edges: &BTreeMap<(usize, usize), f64>,
    shared: &BTreeMap<usize, usize>,
    ids: &[String],
    existing: &Existing,
    matched: &[Option<&ExistingService>],
    review: &mut Review,
) -> BTreeMap<usize, (String, String)> {
    let _ = existing;
    let mut g = WeightedGraph::new(groups.len());
    for (&(a, b), &w) in edges {
        if !shared.contains_key(&a) && !shared.contains_key(&b) && w > 0.0 {
            g.add(a, b, w);
        }
    }
    let partition = community::louvain(&g);
    let mut out = BTreeMap::new();
    for c in community::communities(&g, &partition) {
        if c.members.len() < 2 || c.internal <= 0.0 {
            continue;
        }
        let mut member_ids: Vec<&str> = c.members.iter().map(|&m| ids[m].as_str()).collect();
        member_ids.sort_unstable();
        let first = member_ids.first().copied().unwrap_or("group");
        let name = format!(
            "{}-group",
            first.get(..58).unwrap_or(first).trim_end_matches('-')
        );
        let share = (c.kept_share * 100.0).round();
        let why = format!(
            "{} services keep {share}% of their traffic inside",
            c.members.len()
        );
        review.move_groups.push(MoveGroupSuggestion {
            name: name.clone(),
            members: member_ids.iter().map(|s| (*s).to_owned()).collect(),
            kept_share: c.kept_share,
        });
        for &m in &c.members {
            if matched[m].is_some_and(|e| e.has_move_group) {
                continue;
            }
            out.insert(m, (name.clone(), why.clone()));
        }
    }
    out
}

/// The default effort of a service of `servers` servers.
fn effort_for(map: &ImportMap, servers: f64) -> BTreeMap<String, f64> {
    map.defaults
        .effort_per_server
        .iter()
        .map(|(t, v)| (t.clone(), v * servers))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn draft(
    grp: &Group,
    merged: &[Merged],
    id: &str,
    matched: Option<&ExistingService>,
    depends_on: Vec<DraftEdge>,
    suggestion: Option<(String, String)>,
    shared_clients: Option<usize>,
    dependencies_from: BTreeSet<String>,
    map: &ImportMap,
    review: &mut Review,
) -> DraftService {
    let servers: Vec<&Merged> = grp.servers.iter().map(|&s| &merged[s]).collect();
    let hosts: Vec<&Merged> = servers
        .iter()
        .copied()
        .filter(|m| !m.server.is_application)
        .collect();
    let sum = |f: fn(&Server) -> Option<f64>| -> (Option<f64>, bool) {
        let mut total = None;
        let mut missing = false;
        for m in &hosts {
            match f(&m.server) {
                Some(v) => *total.get_or_insert(0.0) += v,
                None => missing = true,
            }
        }
        (total, missing || hosts.is_empty())
    };
    let (vcpu, vcpu_missing) = sum(|s| s.vcpu);
    let (memory, memory_missing) = sum(|s| s.memory_gib);
    let (storage, storage_missing) = sum(|s| s.storage_gib);
    let (data, data_missing) = sum(|s| s.data_gib);
    let mut unknown = Vec::new();
    for (missing, field) in [
        (vcpu_missing, "vcpu"),
        (memory_missing, "memory_gib"),
        (storage_missing, "storage_gib"),
        (data_missing, "data_gib"),
    ] {
        if missing {
            unknown.push(field.to_owned());
        }
    }
    let all_off = !hosts.is_empty() && hosts.iter().all(|m| m.server.powered_off);
    let powered_off: Vec<String> = hosts
        .iter()
        .filter(|m| m.server.powered_off)
        .map(|m| m.server.name.clone())
        .collect();
    let uniq = |f: fn(&Server) -> Option<&String>| -> Vec<String> {
        let set: BTreeSet<String> = servers
            .iter()
            .filter_map(|m| f(&m.server).cloned())
            .collect();
        set.into_iter().collect()
    };
    let mut meta = vec![(
        "hosts".to_owned(),
        MetaValue::List(hosts.iter().map(|m| m.server.name.clone()).collect()),
    )];
    let ips: BTreeSet<String> = hosts
        .iter()
        .flat_map(|m| m.server.ips.iter().cloned())
        .collect();
    if !ips.is_empty() {
        meta.push(("ips".to_owned(), MetaValue::List(ips.into_iter().collect())));
    }
    let os = uniq(|s| s.os.as_ref());
    if !os.is_empty() {
        meta.push(("os".to_owned(), MetaValue::List(os)));
    }
    let env = uniq(|s| s.environment.as_ref());
    if !env.is_empty() {
        meta.push(("environment".to_owned(), MetaValue::List(env)));
    }
    let sources: BTreeSet<String> = servers
        .iter()
        .flat_map(|m| m.sources.iter().cloned())
        .collect();
    meta.push((
        "sources".to_owned(),
        MetaValue::List(sources.iter().cloned().collect()),
    ));
    if !powered_off.is_empty() {
        meta.push((
            "powered_off".to_owned(),
            MetaValue::List(powered_off.clone()),
        ));
    }
    if !unknown.is_empty() {
        meta.push(("unknown".to_owned(), MetaValue::List(unknown.clone())));
    }
    if let Some(n) = shared_clients {
        meta.push((
            "shared_platform_clients".to_owned(),
            MetaValue::Number(n as f64),
        ));
    }
    let mut tags = Vec::new();
    if all_off {
        tags.push("powered-off".to_owned());
        review.powered_off.push(PoweredOff {
            service: id.to_owned(),
            servers: powered_off.join(", "),
        });
    }
    if shared_clients.is_some() {
        tags.push("shared-platform".to_owned());
    }
    if grp.placeholder {
        tags.push("placeholder".to_owned());
    }
    let n_servers = hosts.len().max(1) as f64;
    let effort = effort_for(map, n_servers);
    let strategy = if all_off {
        Strategy::Retire
    } else {
        map.defaults.strategy
    };
    let dept = matched.map_or(grp.department.as_str(), |e| e.department.as_str());
    let mut decided = Vec::new();
    let default_effort: BTreeMap<String, f64> = effort_for(map, n_servers);
    match matched {
        None => {
            decided.push("effort");
            if !all_off {
                decided.push("strategy");
            }
            decided.push("criticality");
            decided.push("duration_waves");
        }
        // A field still holding the import's default has not been decided yet.
        Some(e) => {
            if e.effort == default_effort {
                decided.push("effort");
            }
            if e.strategy == map.defaults.strategy {
                decided.push("strategy");
            }
            if e.criticality == map.defaults.criticality {
                decided.push("criticality");
            }
            if e.duration_waves == map.defaults.duration_waves {
                decided.push("duration_waves");
            }
        }
    }
    for u in &unknown {
        decided.push(match u.as_str() {
            "vcpu" => "vcpu (unknown)",
            "memory_gib" => "memory_gib (unknown)",
            "storage_gib" => "storage_gib (unknown)",
            _ => "data_gib (unknown)",
        });
    }
    if !decided.is_empty() {
        review
            .decisions
            .entry(dept.to_owned())
            .or_default()
            .push(Decision {
                service: id.to_owned(),
                fields: decided.iter().map(|s| (*s).to_owned()).collect(),
            });
    }
    let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &servers {
        for (f, file) in &m.field_from {
            fields
                .entry((*f).to_owned())
                .or_default()
                .insert(file.clone());
        }
    }
    review.provenance.push(Provenance {
        service: id.to_owned(),
        fields: fields
            .into_iter()
            .map(|(f, files)| (f, files.into_iter().collect()))
            .collect(),
        dependencies: dependencies_from.into_iter().collect(),
    });
    DraftService {
        id: id.to_owned(),
        existing: matched.is_some(),
        name: grp.name.clone(),
        site: map.defaults.site,
        strategy,
        criticality: map.defaults.criticality,
        resources: DraftResources {
            vcpu,
            memory_gib: memory,
            storage_gib: storage,
        },
        data_gib: data,
        effort,
        duration_waves: map.defaults.duration_waves,
        depends_on,
        suggested_move_group: suggestion.filter(|_| !all_off),
        tags,
        meta,
    }
}
