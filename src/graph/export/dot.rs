//! Graphviz DOT: one cluster per department, node style by site and strategy, edge style by
//! order.

use std::fmt::Write as _;

use crate::model::{Inventory, Order, Site, Strategy};

use super::{DependencyGraph, by_department, id_of, sorted_edges};

/// The graph as a Graphviz `digraph`: a `cluster_<CODE>` per department, pilot-cloud nodes
/// filled blue, production nodes filled green, services in production with a double border,
/// retired dashed, retained grey; `strictly-before` edges bold, `any` dotted,
/// latency-sensitive red.
#[must_use]
pub fn to_dot(g: &DependencyGraph, inv: &Inventory) -> String {
    let mut out = String::new();
    out.push_str("// waveplan dependency graph: A -> B means A depends on B\n");
    out.push_str("digraph waveplan {\n");
    // Right to left puts dependencies on the left: reading order is migration order.
    out.push_str(
        "  graph [rankdir=RL, fontname=\"Helvetica\", fontsize=11, nodesep=0.15, ranksep=0.5];\n",
    );
    out.push_str(
        "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=9, height=0.3];\n",
    );
    out.push_str("  edge [color=\"#555555\", arrowsize=0.6];\n");
    for (dept, members) in by_department(g, inv) {
        let indent = if let Some(d) = dept.and_then(|d| inv.departments.get(d)) {
            let _ = writeln!(
                out,
                "  subgraph {} {{",
                quote(&format!("cluster_{}", d.code))
            );
            let _ = writeln!(
                out,
                "    label={};",
                quote(&format!("{} — {}", d.code, d.name))
            );
            out.push_str("    style=rounded;\n    color=\"#999999\";\n");
            "    "
        } else {
            "  "
        };
        for s in members {
            let Some(svc) = inv.services.get(s.pos()) else {
                continue;
            };
            let mut styles = vec!["rounded"];
            let mut attrs = vec![format!(
                "label={}",
                quote(&format!("{}\n{}", svc.id, svc.name))
            )];
            match svc.site {
                Site::PilotCloud => {
                    styles.push("filled");
                    attrs.push("fillcolor=\"#dbeafe\"".to_owned());
                }
                Site::ProductionCloud => {
                    styles.push("filled");
                    attrs.push("fillcolor=\"#dcfce7\"".to_owned());
                }
                Site::Datacenter => {}
            }
            match svc.strategy {
                Strategy::Retire => styles.push("dashed"),
                Strategy::Retain => {
                    attrs.push("color=\"grey55\"".to_owned());
                    attrs.push("fontcolor=\"grey40\"".to_owned());
                }
                _ => {}
            }
            if g.in_production(s) {
                attrs.push("peripheries=2".to_owned());
            }
            // `rounded` alone is the node default: say nothing, keep 350-node files short.
            if styles.len() > 1 {
                attrs.insert(1, format!("style={}", quote(&styles.join(","))));
            }
            let _ = writeln!(
                out,
                "{indent}{} [{}];",
                quote(svc.id.as_str()),
                attrs.join(", ")
            );
        }
        if indent.len() > 2 {
            out.push_str("  }\n");
        }
    }
    for e in sorted_edges(g) {
        let mut attrs = Vec::new();
        match e.order {
            Order::StrictlyBefore => attrs.push("style=bold"),
            Order::Any => attrs.push("style=dotted"),
            Order::TogetherOrBefore => {}
        }
        if e.latency_sensitive {
            attrs.push("color=red");
        }
        let _ = write!(
            out,
            "  {} -> {}",
            quote(id_of(inv, e.from)),
            quote(id_of(inv, e.to))
        );
        if !attrs.is_empty() {
            let _ = write!(out, " [{}]", attrs.join(", "));
        }
        out.push_str(";\n");
    }
    out.push_str("}\n");
    out
}

/// A DOT double-quoted string. Backslashes are doubled because DOT gives `\n`, `\l`, `\N`
/// meanings inside labels; a user's backslash must stay a backslash.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\r' => {}
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::{Inv, scenario};
    use crate::model::DeptIx;

    #[test]
    fn quote_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(quote("a.b-c"), "\"a.b-c\"");
        assert_eq!(quote("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\"");
    }

    #[test]
    fn ids_with_dots_and_dashes_are_quoted_and_styled() {
        let inv = Inv::new()
            .svcs(&["web.front-end", "db.main-1", "old-app", "ldap", "cloud.x"])
            .with("db.main-1", |s| s.site = Site::PilotCloud)
            .with("old-app", |s| s.strategy = Strategy::Retire)
            .with("ldap", |s| {
                s.strategy = Strategy::Retain;
                s.department = DeptIx::new(1);
            })
            .with("cloud.x", |s| s.site = Site::ProductionCloud)
            .edge(
                "web.front-end",
                "db.main-1",
                Some(Order::StrictlyBefore),
                false,
            )
            .edge("web.front-end", "old-app", Some(Order::Any), false)
            .edge("web.front-end", "cloud.x", None, true)
            .dep("db.main-1", "ldap")
            .build();
        let dot = to_dot(&DependencyGraph::build(&inv, &scenario()), &inv);
        assert!(dot.starts_with("// waveplan"));
        assert!(dot.contains("digraph waveplan {"));
        assert!(dot.contains("subgraph \"cluster_ADM\" {"));
        assert!(dot.contains("subgraph \"cluster_FIN-2\" {"));
        assert!(dot.contains("label=\"FIN-2 — Finance \\\"two\\\"\";"));
        assert!(dot.contains(
            "\"db.main-1\" [label=\"db.main-1\\nService db.main-1\", style=\"rounded,filled\", fillcolor=\"#dbeafe\"];"
        ));
        assert!(dot.contains(
            "\"old-app\" [label=\"old-app\\nService old-app\", style=\"rounded,dashed\"];"
        ));
        assert!(dot.contains("color=\"grey55\""));
        assert!(dot.contains("peripheries=2"));
        assert!(dot.contains("\"web.front-end\" -> \"db.main-1\" [style=bold];"));
        assert!(dot.contains("\"web.front-end\" -> \"old-app\" [style=dotted];"));
        assert!(dot.contains("\"web.front-end\" -> \"cloud.x\" [color=red];"));
        assert!(dot.contains("\"db.main-1\" -> \"ldap\";"));
        assert!(dot.ends_with("}\n"));
        // Balanced braces: every cluster is closed.
        assert_eq!(dot.matches('{').count(), dot.matches('}').count());
    }
}
