//! `waveplan graph` (issue 15, item 8): the text summary tells what the JSON holds, and
//! docs/graph.md documents every key of the JSON.

use std::collections::BTreeMap;

use crate::{root, run};

/// `waveplan graph` in `format`, on the shipped default: standard output.
fn graph(format: &str) -> String {
    let r = run(&root(), &["graph", "--format", format]);
    assert_eq!(r.code, Some(0));
    String::from_utf8(r.out_bytes).expect("utf-8")
}

/// Issue 15, item 8: `graph --format text` summarises the graph for people, with the same
/// numbers as the JSON.
#[test]
fn graph_text_of_the_default_tells_the_json_summary_in_words() {
    let text = graph("text");
    let v: serde_json::Value = serde_json::from_str(&graph("json")).expect("graph JSON parses");
    let s = &v["summary"];
    let n = |k: &str| s[k].as_u64().expect("a count");
    let hub = &v["hubs"][0];
    let chain = v["critical_path"].as_array().expect("critical path");
    let first = chain.first().and_then(|x| x.as_str()).expect("a chain");
    for want in [
        format!(
            "{} services ({} migrating), {} dependencies\n",
            n("services"),
            n("migrating"),
            n("edges")
        ),
        format!("\ncycles: {} (", n("components")),
        format!("\ncut-over units: {} (", n("units")),
        format!("\nlayers: {} (", n("layers")),
        format!(
            "\ncritical chain: {} services, at least {} waves (",
            chain.len(),
            n("longest_chain_waves")
        ),
        format!("\n  {first}\n  → "),
    ] {
        assert!(text.contains(&want), "{want:?} in\n{text}");
    }
    let top = text
        .split("\nmost depended on: ")
        .nth(1)
        .and_then(|rest| rest.lines().nth(1))
        .expect("a hub line");
    let words: Vec<&str> = top.split_whitespace().collect();
    assert_eq!(
        words,
        [
            hub["id"].as_str().expect("id"),
            &hub["dependants"].to_string(),
            "direct",
            &hub["transitive_dependants"].to_string(),
            "in",
            "all"
        ]
    );
    for component in v["components"].as_array().expect("components") {
        let ids: Vec<&str> = component
            .as_array()
            .expect("members")
            .iter()
            .filter_map(|x| x.as_str())
            .collect();
        assert!(
            text.contains(&format!("\n  {}\n", ids.join(", "))),
            "{ids:?}"
        );
    }
}

/// The keys docs/graph.md lists under each `### ` heading of its JSON section: the heading's
/// backticked path (`nodes[]`, `summary`), or the empty path for "The document".
fn documented_keys() -> BTreeMap<String, Vec<String>> {
    let doc = std::fs::read_to_string(root().join("docs/graph.md")).expect("docs/graph.md");
    let json = doc
        .split("\n## JSON")
        .nth(1)
        .expect("a JSON section")
        .split("\n## ")
        .next()
        .unwrap_or("");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut path: Option<String> = None;
    for line in json.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            let named = heading.split('`').nth(1).unwrap_or("").to_owned();
            out.entry(named.clone()).or_default();
            path = Some(named);
        } else if let (Some(p), Some(row)) = (&path, line.strip_prefix("| `")) {
            let key = row.split('`').next().unwrap_or("").to_owned();
            out.entry(p.clone()).or_default().push(key);
        }
    }
    out
}

/// Every object in the JSON by the path the doc uses: `` for the document, `nodes[]` for
/// the objects of a list, `summary` for an object; with its keys in order.
fn json_keys(v: &serde_json::Value) -> BTreeMap<String, Vec<String>> {
    let keys = |o: &serde_json::Map<String, serde_json::Value>| o.keys().cloned().collect();
    let top = v.as_object().expect("an object");
    let mut out = BTreeMap::from([(String::new(), keys(top))]);
    for (k, x) in top {
        if let Some(o) = x.as_object() {
            out.insert(k.clone(), keys(o));
        } else if let Some(o) = x
            .as_array()
            .and_then(|a| a.first())
            .and_then(|f| f.as_object())
        {
            out.insert(format!("{k}[]"), keys(o));
        }
    }
    out
}

/// docs/graph.md lists exactly the keys `graph --format json` writes on the shipped default,
/// in its order, for the document and each object in it.
#[test]
fn docs_graph_md_lists_every_key_of_the_json() {
    let v: serde_json::Value = serde_json::from_str(&graph("json")).expect("graph JSON parses");
    let want = json_keys(&v);
    assert!(want.len() >= 5, "{want:?}");
    assert_eq!(documented_keys(), want);
}
