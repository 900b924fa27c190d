//! Mermaid `flowchart`: one subgraph per department, sanitised node ids, edge labels for
//! orders other than the scenario's default.

use std::fmt::Write as _;

use crate::model::{Inventory, Order, Site, Strategy};

use super::{DependencyGraph, by_department, sorted_edges};

/// The graph as a Mermaid `flowchart RL`. Mermaid ids cannot hold `.` or `-`, so service k in
/// id order is `n<k>`, labelled with its id; departments are `d<k>`. Edges: `-->` for
/// `together-or-before`, `==>` strictly-before, `-.->` any, labelled when the order is not the
/// scenario's default; latency-sensitive edges are labelled `latency` and drawn red.
#[must_use]
pub fn to_mermaid(g: &DependencyGraph, inv: &Inventory) -> String {
    let mut node = vec![String::new(); g.service_count()];
    for (k, s) in g.by_id().into_iter().enumerate() {
        node[s] = format!("n{k}");
    }
    let mut out = String::new();
    out.push_str("%% waveplan dependency graph: A --> B means A depends on B\n");
    out.push_str("flowchart RL\n");
    let mut classes: [(&str, Vec<&str>); 4] = [
        ("pilot", Vec::new()),
        ("prod", Vec::new()),
        ("retire", Vec::new()),
        ("retain", Vec::new()),
    ];
    for (dept, members) in by_department(g, inv) {
        let indent = if let Some(d) = dept.and_then(|d| inv.departments.get(d)) {
            let di = dept.unwrap_or_default();
            let _ = writeln!(
                out,
                "  subgraph d{di} [\"{}\"]",
                label(&format!("{}: {}", d.code, d.name))
            );
            "    "
        } else {
            "  "
        };
        for s in members {
            let Some(svc) = inv.services.get(s.pos()) else {
                continue;
            };
            let _ = writeln!(out, "{indent}{}[\"{}\"]", node[s], label(svc.id.as_str()));
            let class = match (svc.strategy, svc.site) {
                (Strategy::Retire, _) => Some(2),
                (Strategy::Retain, _) => Some(3),
                _ if g.in_production(s) => Some(1),
                (_, Site::PilotCloud) => Some(0),
                _ => None,
            };
            if let Some(c) = class {
                classes[c].1.push(&node[s]);
            }
        }
        if indent.len() > 2 {
            out.push_str("  end\n");
        }
    }
    let mut red = Vec::new();
    for (k, e) in sorted_edges(g).into_iter().enumerate() {
        let arrow = match e.order {
            Order::TogetherOrBefore => "-->",
            Order::StrictlyBefore => "==>",
            Order::Any => "-.->",
        };
        let mut text = Vec::new();
        if e.order != g.default_order() {
            text.push(e.order.as_str());
        }
        if e.latency_sensitive {
            text.push("latency");
            red.push(k.to_string());
        }
        let text = if text.is_empty() {
            String::new()
        } else {
            format!("|{}|", text.join(" "))
        };
        let _ = writeln!(out, "  {} {arrow}{text} {}", node[e.from], node[e.to]);
    }
    out.push_str("  classDef pilot fill:#dbeafe\n");
    out.push_str("  classDef prod fill:#dcfce7,stroke-width:3px\n");
    out.push_str("  classDef retire stroke-dasharray:4 3\n");
    out.push_str("  classDef retain fill:#eeeeee,color:#777777,stroke:#999999\n");
    for (name, members) in &classes {
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {name}", members.join(","));
        }
    }
    if !red.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:red", red.join(","));
    }
    out
}

/// Text safe inside a Mermaid `"..."` label: quotes, `#`, `<`, `>` and `&` become entity
/// codes (Mermaid would otherwise end the label, read an entity, or take HTML); line breaks
/// become spaces.
fn label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::{Inv, scenario};
    use crate::model::DeptIx;

    #[test]
    fn label_escapes_what_mermaid_would_misread() {
        assert_eq!(label("a.b-c"), "a.b-c");
        assert_eq!(
            label("say \"hi\" #1 <b>&"),
            "say #quot;hi#quot; #35;1 #lt;b#gt;#amp;"
        );
    }

    #[test]
    fn ids_are_sanitised_and_edges_labelled() {
        let inv = Inv::new()
            .svcs(&["web.front-end", "db.main-1", "ldap", "cache"])
            .with("db.main-1", |s| s.site = Site::PilotCloud)
            .with("ldap", |s| s.department = DeptIx::new(1))
            .edge(
                "web.front-end",
                "db.main-1",
                Some(Order::StrictlyBefore),
                false,
            )
            .edge("web.front-end", "cache", Some(Order::Any), false)
            .edge("db.main-1", "ldap", None, true)
            .build();
        let mm = to_mermaid(&DependencyGraph::build(&inv, &scenario()), &inv);
        // id order: cache n0, db.main-1 n1, ldap n2, web.front-end n3
        assert!(mm.contains("flowchart RL\n"));
        assert!(mm.contains("  subgraph d0 [\"ADM: Administration\"]\n"));
        assert!(mm.contains(
            "  subgraph d1 [\"FIN-2: Finance #quot;two#quot;\"]\n    n2[\"ldap\"]\n  end\n"
        ));
        assert!(mm.contains("    n3[\"web.front-end\"]\n"));
        assert!(mm.contains("  n1 -->|latency| n2\n"));
        assert!(mm.contains("  n3 -.->|any| n0\n"));
        assert!(mm.contains("  n3 ==>|strictly-before| n1\n"));
        assert!(mm.contains("  class n1 pilot\n"));
        assert!(mm.contains("  linkStyle 0 stroke:red\n"));
        // No raw id with a dot or dash is used as a Mermaid node id.
        for line in mm
            .lines()
            .filter(|l| l.contains("-->") || l.contains("==>") || l.contains("-.->"))
        {
            assert!(!line.contains('.') || line.contains("-.->"), "{line}");
        }
    }
}
