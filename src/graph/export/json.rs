//! JSON: nodes, edges and every analysis, for tools.
//!
//! Node `dependants` is the transitive count (`direct_dependants` the in-degree); hub
//! `dependants` is the direct count (`transitive_dependants` the other).

use serde_json::{Value, json};

use crate::graph::HUB_MIN_DEPENDANTS;
use crate::model::{Inventory, ServiceIx};

use super::{DependencyGraph, id_of, sorted_edges};

/// The graph and its analyses as one JSON document (keys in a fixed order): `nodes`, `edges`,
/// `components`, `units`, `layers`, `hubs` (at least [`HUB_MIN_DEPENDANTS`] direct
/// dependants), `critical_path`, `summary`.
#[must_use]
pub fn to_json(g: &DependencyGraph, inv: &Inventory) -> Value {
    let ids = |v: &[ServiceIx]| -> Value { v.iter().map(|&s| id_of(inv, s)).collect() };
    let idss = |v: &[Vec<ServiceIx>]| -> Value { v.iter().map(|g| ids(g)).collect() };
    let counts = g.dependant_counts();

    let nodes: Vec<Value> = g
        .by_id()
        .into_iter()
        .filter_map(|s| {
            let svc = inv.services.get(s)?;
            let dept = inv
                .departments
                .get(svc.department)
                .map_or("", |d| d.code.as_str());
            Some(json!({
                "id": svc.id.as_str(),
                "name": svc.name,
                "department": dept,
                "site": svc.site.as_str(),
                "strategy": svc.strategy.as_str(),
                "criticality": svc.criticality.as_str(),
                "migrating": g.is_migrating(s),
                "in_production": g.in_production(s),
                "layer": g.layer_of(s),
                "unit": g.unit_of(s),
                "dependants": counts.get(s).copied().unwrap_or(0),
                "direct_dependants": g.direct_dependants(s),
            }))
        })
        .collect();
    let edges: Vec<Value> = sorted_edges(g)
        .into_iter()
        .map(|e| {
            json!({
                "from": id_of(inv, e.from),
                "to": id_of(inv, e.to),
                "order": e.order.as_str(),
                "traffic": e.traffic,
                "latency_sensitive": e.latency_sensitive,
                "cross_site": g.in_production(e.from) != g.in_production(e.to),
            })
        })
        .collect();
    let hubs = g.hubs(HUB_MIN_DEPENDANTS);
    let hub_values: Vec<Value> = hubs
        .iter()
        .map(|&(s, direct)| {
            json!({
                "id": id_of(inv, s),
                "dependants": direct,
                "transitive_dependants": counts.get(s).copied().unwrap_or(0),
            })
        })
        .collect();
    let layers = g.layers();
    json!({
        "nodes": nodes,
        "edges": edges,
        "components": idss(g.components()),
        "units": idss(g.units()),
        "layers": idss(&layers),
        "hubs": hub_values,
        "critical_path": ids(&g.critical_path()),
        "summary": {
            "services": g.service_count(),
            "migrating": (0..g.service_count()).filter(|&s| g.is_migrating(s)).count(),
            "edges": g.edges().len(),
            "components": g.components().len(),
            "units": g.units().len(),
            "layers": layers.len(),
            "hubs": hubs.len(),
            "longest_chain_waves": g.longest_chain_waves(),
        },
    })
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests build their own data")]
mod tests {
    use super::*;
    use crate::graph::testing::{Inv, scenario};
    use crate::model::{Order, Site, Status};

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
        assert_eq!(
            v["summary"],
            json!({"services": 4, "migrating": 2, "edges": 4, "components": 1, "units": 1,
                   "layers": 1, "hubs": 0, "longest_chain_waves": 1})
        );
    }
}
