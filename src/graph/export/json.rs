//! JSON: nodes, edges and every analysis, for tools.
//!
//! Node `dependants` is the transitive count (`direct_dependants` the in-degree); hub
//! `dependants` is the direct count (`transitive_dependants` the other). Node `unit` indexes
//! `units` (null when the service cuts over alone); `layer` is null for services that do not
//! migrate.

use serde::Serialize;
use serde_json::Value;

use crate::graph::HUB_MIN_DEPENDANTS;
use crate::model::{Inventory, ServiceIx};

use super::{DependencyGraph, id_of, sorted_edges};

/// The graph and its analyses as one JSON document (keys in a fixed order): `nodes`, `edges`,
/// `components`, `units`, `layers`, `hubs` (at least [`HUB_MIN_DEPENDANTS`] direct
/// dependants), `critical_path`, `summary`.
#[must_use]
pub fn to_json(g: &DependencyGraph, inv: &Inventory) -> Value {
    // Every field is a string, number, bool or list of them: serialising cannot fail.
    serde_json::to_value(document(g, inv)).unwrap_or(Value::Null)
}

/// [`to_json`] written straight to `w` as pretty-printed text, without building a [`Value`]
/// tree first (a 100,000-service graph is a ~100 MB document).
///
/// # Errors
/// When writing to `w` fails.
pub fn write_json(
    g: &DependencyGraph,
    inv: &Inventory,
    w: impl std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(w, &document(g, inv)).map_err(std::io::Error::from)
}

#[derive(Serialize)]
struct Document<'a> {
    nodes: Vec<Node<'a>>,
    edges: Vec<EdgeOut<'a>>,
    components: Vec<Vec<&'a str>>,
    units: Vec<Vec<&'a str>>,
    layers: Vec<Vec<&'a str>>,
    hubs: Vec<Hub<'a>>,
    critical_path: Vec<&'a str>,
    summary: Summary,
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    name: &'a str,
    department: &'a str,
    site: &'static str,
    strategy: &'static str,
    criticality: &'static str,
    migrating: bool,
    in_production: bool,
    layer: Option<usize>,
    unit: Option<usize>,
    dependants: usize,
    direct_dependants: usize,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    from: &'a str,
    to: &'a str,
    order: &'static str,
    traffic: f64,
    latency_sensitive: bool,
    cross_site: bool,
}

#[derive(Serialize)]
struct Hub<'a> {
    id: &'a str,
    dependants: usize,
    transitive_dependants: usize,
}

#[derive(Serialize)]
struct Summary {
    services: usize,
    migrating: usize,
    edges: usize,
    components: usize,
    units: usize,
    layers: usize,
    hubs: usize,
    longest_chain_waves: u32,
}

fn document<'a>(g: &DependencyGraph, inv: &'a Inventory) -> Document<'a> {
    let ids = |v: &[ServiceIx]| -> Vec<&'a str> { v.iter().map(|&s| id_of(inv, s)).collect() };
    let idss = |v: &[Vec<ServiceIx>]| -> Vec<Vec<&'a str>> { v.iter().map(|g| ids(g)).collect() };
    let counts = g.dependant_counts();
    let count = |s: ServiceIx| counts.get(s.pos()).copied().unwrap_or(0);

    let nodes = g
        .by_id()
        .into_iter()
        .filter_map(|s| {
            let svc = inv.services.get(s.pos())?;
            Some(Node {
                id: svc.id.as_str(),
                name: &svc.name,
                department: inv
                    .departments
                    .get(svc.department.pos())
                    .map_or("", |d| d.code.as_str()),
                site: svc.site.as_str(),
                strategy: svc.strategy.as_str(),
                criticality: svc.criticality.as_str(),
                migrating: g.is_migrating(s),
                in_production: g.in_production(s),
                layer: g.layer_of(s),
                unit: g.unit_of(s),
                dependants: count(s),
                direct_dependants: g.direct_dependants(s),
            })
        })
        .collect();
    let edges = sorted_edges(g)
        .into_iter()
        .map(|e| EdgeOut {
            from: id_of(inv, e.from),
            to: id_of(inv, e.to),
            order: e.order.as_str(),
            traffic: e.traffic,
            latency_sensitive: e.latency_sensitive,
            cross_site: g.in_production(e.from) != g.in_production(e.to),
        })
        .collect();
    let hubs: Vec<Hub<'a>> = g
        .hubs(HUB_MIN_DEPENDANTS)
        .into_iter()
        .map(|(s, direct)| Hub {
            id: id_of(inv, s),
            dependants: direct,
            transitive_dependants: count(s),
        })
        .collect();
    let layers = g.layers();
    let summary = Summary {
        services: g.service_count(),
        migrating: (0..g.service_count())
            .filter(|&s| g.is_migrating(ServiceIx::new(s)))
            .count(),
        edges: g.edges().len(),
        components: g.components().len(),
        units: g.units().len(),
        layers: layers.len(),
        hubs: hubs.len(),
        longest_chain_waves: g.longest_chain_waves(),
    };
    Document {
        nodes,
        edges,
        components: idss(g.components()),
        units: idss(g.units()),
        layers: idss(&layers),
        hubs,
        critical_path: ids(&g.critical_path()),
        summary,
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests build their own data")]
mod tests {
    use super::*;
    use crate::graph::testing::{Inv, scenario};
    use crate::model::{Order, Site, Status};
    use serde_json::json;

    #[test]
    fn shape_and_key_order() {
        let inv = Inv::new()
            .svcs(&["app", "db", "idp", "old"])
            .with("idp", |s| s.site = Site::ProductionCloud)
            .with("old", |s| s.status = Status::Migrated)
            .dep("app", "db")
            .dep("db", "app")
            .edge("app", "idp", Some(Order::Any), false)
            .dep("db", "old")
            .build();
        let v = to_json(&DependencyGraph::build(&inv, &scenario()), &inv);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "nodes",
                "edges",
                "components",
                "units",
                "layers",
                "hubs",
                "critical_path",
                "summary"
            ]
        );
        let node_keys: Vec<&str> = v["nodes"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            node_keys,
            [
                "id",
                "name",
                "department",
                "site",
                "strategy",
                "criticality",
                "migrating",
                "in_production",
                "layer",
                "unit",
                "dependants",
                "direct_dependants"
            ]
        );
        assert_eq!(v["nodes"][0]["id"], "app");
        assert_eq!(v["nodes"][0]["unit"], 0);
        assert_eq!(v["nodes"][0]["layer"], 0);
        assert_eq!(v["nodes"][0]["dependants"], 1);
        assert_eq!(v["nodes"][2]["id"], "idp");
        assert_eq!(v["nodes"][2]["layer"], Value::Null);
        assert_eq!(v["nodes"][2]["dependants"], 2);
        assert_eq!(
            v["edges"][0],
            json!({"from": "app", "to": "db", "order": "together-or-before", "traffic": 1.0,
                   "latency_sensitive": false, "cross_site": false})
        );
        assert_eq!(v["edges"][1]["to"], "idp");
        assert_eq!(v["edges"][1]["cross_site"], true);
        assert_eq!(v["components"], json!([["app", "db"]]));
        assert_eq!(v["units"], json!([["app", "db"]]));
        assert_eq!(v["layers"], json!([["app", "db"]]));
        assert_eq!(v["hubs"], json!([]));
        let mut text = Vec::new();
        write_json(&DependencyGraph::build(&inv, &scenario()), &inv, &mut text).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&text).unwrap(), v);
        assert_eq!(
            v["summary"],
            json!({"services": 4, "migrating": 2, "edges": 4, "components": 1, "units": 1,
                   "layers": 1, "hubs": 0, "longest_chain_waves": 1})
        );
    }
}
