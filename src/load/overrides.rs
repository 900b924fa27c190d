//! `--set KEY=VALUE` overrides: dotted paths into the merged scenario tree and the inventory
//! trees, applied before typed conversion so every value is checked (and located) exactly as
//! if it had been written in a file.
//!
//! Owns the path syntax, the value parsing (a YAML flow value read by our `yaml` module, so
//! types and spans work) and the error for a path that leads nowhere. Must not know what a
//! value means: the typed readers decide that, and their diagnostics name the override as
//! their "file" (`--set capacity.teams.dba:1:1: error: ...`).
//!
//! Paths: `capacity.teams.dba`, `calendar.wave_length_days`, `capacity.target.0.vcpu` (a
//! number indexes a list, from 0), `services.ID.FIELD` (ID is a service id),
//! `departments.CODE.FIELD` (CODE is a department code); a segment containing a dot is
//! quoted: `services."dsi.identity".duration_waves`. Setting a value replaces it whole (a
//! list or mapping too); an empty value is YAML null, which SPEC reads as "absent".

use std::fmt;
use std::path::Path;

use super::diag::Diagnostic;
use super::fields::closest;
use super::yaml::{Kind, Node, Sources};
use super::{inventory, scenario};

/// One `KEY=VALUE` override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The key as written (`services."dsi.identity".duration_waves`).
    pub key: String,
    /// The key's segments, quotes removed.
    pub path: Vec<String>,
    /// The value as written (YAML flow syntax).
    pub value: String,
}

/// Overrides in the order given; later ones win over earlier ones on the same path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides(pub Vec<Override>);

impl Override {
    /// Parses `KEY=VALUE`.
    ///
    /// # Errors
    /// A message when there is no `=`, a segment is empty or a quote is not closed.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (key, value) = split_key(text)?;
        let path = split_path(key)?;
        Ok(Self {
            key: key.to_owned(),
            path,
            value: value.to_owned(),
        })
    }

    /// The same override with another value (used by sweeps).
    #[must_use]
    pub fn with_value(&self, value: String) -> Self {
        Self {
            value,
            ..self.clone()
        }
    }

    /// Whether it changes the inventory (`services.…`, `departments.…`) not the scenario.
    #[must_use]
    pub fn is_inventory(&self) -> bool {
        matches!(
            self.path.first().map(String::as_str),
            Some("services" | "departments")
        )
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

impl Overrides {
    /// Parses every `KEY=VALUE`.
    ///
    /// # Errors
    /// The first malformed one, with its text.
    pub fn parse<S: AsRef<str>>(texts: &[S]) -> Result<Self, String> {
        texts
            .iter()
            .map(|t| Override::parse(t.as_ref()))
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Splits at the first `=` outside double quotes.
fn split_key(text: &str) -> Result<(&str, &str), String> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '=' if !quoted => return Ok((&text[..i], &text[i + 1..])),
            _ => {}
        }
    }
    Err(format!(
        "`{text}` is not KEY=VALUE (e.g. `capacity.teams.dba=15`)"
    ))
}

/// Splits a key at dots outside double quotes.
fn split_path(key: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    for c in key.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                if cur.is_empty() && !was_quoted {
                    return Err(format!("`{key}` has an empty segment"));
                }
                out.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            _ => cur.push(c),
        }
    }
    if quoted {
        return Err(format!("`{key}` has an unclosed quote"));
    }
    if cur.is_empty() && !was_quoted {
        return Err(format!("`{key}` has an empty segment"));
    }
    out.push(cur);
    Ok(out)
}

/// Which keys a mapping at a (schema) path may hold.
enum Fields {
    /// Exactly these.
    Known(&'static [&'static str]),
    /// Any key (team names, pinned ids, effort teams).
    Free,
}

/// The scenario's top-level fields an override may set: every field but `extends` (the chain
/// is followed before overrides apply).
const SCENARIO: &[&str] = &[
    "name",
    "description",
    "calendar",
    "capacity",
    "sites",
    "rules",
    "pins",
    "risk",
    "costs",
];

/// The keys allowed at `schema` (the path with list indices as `#`), `None` when the path
/// is not a mapping of ours.
fn fields_at(schema: &[&str]) -> Option<Fields> {
    Some(match schema {
        [] => Fields::Known(SCENARIO),
        ["calendar"] => Fields::Known(&scenario::CALENDAR_FIELDS),
        ["calendar", "freezes", "#"] => Fields::Known(&scenario::FREEZE_FIELDS),
        ["capacity"] => Fields::Known(&scenario::CAPACITY_FIELDS),
        ["capacity", "teams"] | ["pins"] | ["services", "effort"] => Fields::Free,
        ["capacity", "target", "#"] => Fields::Known(&scenario::TARGET_STEP_FIELDS),
        ["sites"] => Fields::Known(&scenario::SITE_FIELDS),
        ["sites", _] => Fields::Known(&scenario::SITE_RULE_FIELDS),
        ["rules"] => Fields::Known(&scenario::RULE_FIELDS),
        ["risk"] => Fields::Known(&scenario::RISK_FIELDS),
        ["risk", "failure"] => Fields::Known(&scenario::RISK_STRATEGY_FIELDS),
        ["risk", "criticality"] => Fields::Known(&scenario::RISK_CRITICALITY_FIELDS),
        ["risk", "departments" | "services"] => Fields::Free,
        ["risk", "seasons", "#"] => Fields::Known(&scenario::SEASON_FIELDS),
        ["risk", "effort_overrun" | "data_overrun"] => Fields::Known(&scenario::OVERRUN_FIELDS),
        ["costs"] => Fields::Known(&scenario::COST_FIELDS),
        ["costs", "datacenter" | "production"] => Fields::Known(&scenario::SITE_PRICE_FIELDS),
        ["services"] => Fields::Known(&inventory::SERVICE_FIELDS),
        ["services", "resources"] => Fields::Known(&inventory::RESOURCE_FIELDS),
        ["services", "depends_on", "#"] => Fields::Known(&inventory::EDGE_FIELDS),
        ["departments"] => Fields::Known(&inventory::DEPARTMENT_FIELDS),
        ["departments", "blackouts", "#"] => Fields::Known(&inventory::BLACKOUT_FIELDS),
        _ => return None,
    })
}

/// Parses the override's value as a YAML flow value in its own source, named after the key.
///
/// # Errors
/// A located syntax error.
pub(crate) fn parse_value(ov: &Override, sources: &mut Sources) -> Result<Node, Diagnostic> {
    let name = format!("--set {}", ov.key);
    let src = sources.add(Path::new(&name), ov.value.clone());
    sources.parse(src)
}

/// Applies one override to the merged scenario tree.
///
/// # Errors
/// A diagnostic naming the path and what exists there when the path leads nowhere.
pub(crate) fn apply_scenario(
    root: &mut Node,
    ov: &Override,
    value: Node,
) -> Result<(), Diagnostic> {
    if let Some(first) = ov.path.first()
        && first == "extends"
    {
        return Err(bad(
            ov,
            "`extends` is resolved before overrides apply",
            "pass the other scenario with -s or --variant",
        ));
    }
    // Work on a copy so a path that fails half-way leaves the tree as it was.
    let mut copy = root.clone();
    if copy.is_null() {
        copy.kind = Kind::Map(Vec::new());
    }
    set_in(&mut copy, ov, &ov.path, Vec::new(), value)?;
    *root = copy;
    Ok(())
}

/// Refuses an inventory override that names no service or department field.
pub(crate) fn check_inventory_path(ov: &Override) -> Result<(), Diagnostic> {
    let (Some(kind), Some(name)) = (ov.path.first(), ov.path.get(1)) else {
        return Err(bad(
            ov,
            "needs a service id or department code and a field",
            "e.g. `services.dsf-db-tax.duration_waves=3` or `departments.DSF.blackouts=[]`",
        ));
    };
    if ov.path.len() < 3 {
        return Err(bad(
            ov,
            &format!("names `{kind}.{name}` but no field of it"),
            "add the field to change, e.g. `.strategy=retain` to leave a service out",
        ));
    }
    Ok(())
}

/// Applies an inventory override (its path checked by [`check_inventory_path`]) to one
/// file's tree: whether the file holds the service or department it names.
pub(crate) fn apply_to_tree(
    root: &mut Node,
    ov: &Override,
    value: &Node,
) -> Result<bool, Diagnostic> {
    let (Some(kind), Some(name)) = (ov.path.first(), ov.path.get(1)) else {
        return Ok(false);
    };
    let Kind::Map(top) = &mut root.kind else {
        return Ok(false);
    };
    if kind == "services" {
        let Some((_, list)) = top.iter_mut().find(|(k, _)| k.as_str() == Some("services")) else {
            return Ok(false);
        };
        let Kind::Seq(items) = &mut list.kind else {
            return Ok(false);
        };
        for item in items.iter_mut() {
            if item.get("id").and_then(Node::as_str) == Some(name.as_str()) {
                set_on_copy(item, ov, "services", value)?;
                return Ok(true);
            }
        }
    } else if let Some((_, dept)) = top
        .iter_mut()
        .find(|(k, _)| k.as_str() == Some("department"))
        && dept.get("code").and_then(Node::as_str) == Some(name.as_str())
    {
        set_on_copy(dept, ov, "departments", value)?;
        return Ok(true);
    }
    Ok(false)
}

/// Whether [`apply_to_tree`] would find what `ov` names in `root` (and so change the tree or
/// report an error there), without changing it: a shared tree is cloned only for the files
/// an override touches. Looks where [`apply_to_tree`] looks, in the same order.
pub(crate) fn touches(root: &Node, ov: &Override) -> bool {
    let (Some(kind), Some(name)) = (ov.path.first(), ov.path.get(1)) else {
        return false;
    };
    let Kind::Map(top) = &root.kind else {
        return false;
    };
    if kind == "services" {
        let Some((_, list)) = top.iter().find(|(k, _)| k.as_str() == Some("services")) else {
            return false;
        };
        let Kind::Seq(items) = &list.kind else {
            return false;
        };
        items
            .iter()
            .any(|item| item.get("id").and_then(Node::as_str) == Some(name.as_str()))
    } else {
        top.iter()
            .find(|(k, _)| k.as_str() == Some("department"))
            .is_some_and(|(_, dept)| dept.get("code").and_then(Node::as_str) == Some(name.as_str()))
    }
}

/// Sets the override's value inside `node` (a service or department under `schema`) on a
/// copy, so that a path leading nowhere leaves the tree as it was.
fn set_on_copy(
    node: &mut Node,
    ov: &Override,
    schema: &str,
    value: &Node,
) -> Result<(), Diagnostic> {
    let mut copy = node.clone();
    set_in(
        &mut copy,
        ov,
        &ov.path[2..],
        vec![schema.to_owned()],
        value.clone(),
    )?;
    *node = copy;
    Ok(())
}

/// The error for an inventory override no file matched, with the closest of `known` (every
/// service id or department code written in the inventory) as a suggestion.
pub(crate) fn not_found(ov: &Override, known: &[String]) -> Diagnostic {
    let service = ov.path.first().is_some_and(|k| k == "services");
    let name = ov.path.get(1).map_or("", String::as_str);
    let (what, general) = if service {
        (
            format!("there is no service with id `{name}` in the inventory"),
            "ids are case-sensitive; quote an id containing dots: services.\"a.b\".field",
        )
    } else {
        (
            format!("there is no department with code `{name}` in the inventory"),
            "department codes are the `code:` of each inventory file's `department:`, in capitals",
        )
    };
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let hint = closest(name, &known)
        .map_or_else(|| general.to_owned(), |c| format!("did you mean `{c}`?"));
    bad(ov, &what, &hint)
}

/// Applies an inventory override to the first of `trees` that holds what it names.
#[cfg(test)]
fn apply_inventory(
    trees: &mut [(usize, Node)],
    ov: &Override,
    value: Node,
) -> Result<(), Diagnostic> {
    check_inventory_path(ov)?;
    for (_, root) in trees.iter_mut() {
        if apply_to_tree(root, ov, &value)? {
            return Ok(());
        }
    }
    let service = ov.path.first().is_some_and(|k| k == "services");
    let known: Vec<String> = trees
        .iter()
        .flat_map(|(_, t)| names_in(t, service))
        .collect();
    Err(not_found(ov, &known))
}

/// Every service id (or department code) written in one inventory tree, for suggestions.
pub(crate) fn names_in(root: &Node, services: bool) -> Vec<String> {
    if services {
        match root.get("services").map(|n| &n.kind) {
            Some(Kind::Seq(items)) => items
                .iter()
                .filter_map(|s| s.get("id").and_then(Node::as_str).map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    } else {
        root.get("department")
            .and_then(|d| d.get("code"))
            .and_then(Node::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect()
    }
}

/// Walks `rest` from `node` (whose schema path is `schema`) and sets the value at its end.
fn set_in(
    node: &mut Node,
    ov: &Override,
    rest: &[String],
    schema: Vec<String>,
    value: Node,
) -> Result<(), Diagnostic> {
    let mut node = node;
    let mut schema = schema;
    let mut walked: Vec<&str> = ov.path[..ov.path.len() - rest.len()]
        .iter()
        .map(String::as_str)
        .collect();
    for (i, seg) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let here = if walked.is_empty() {
            "the scenario".to_owned()
        } else {
            format!("`{}`", walked.join("."))
        };
        let schema_refs: Vec<&str> = schema.iter().map(String::as_str).collect();
        let type_name = node.type_name();
        let shown = node.raw.clone().unwrap_or_else(|| type_name.to_owned());
        match &mut node.kind {
            Kind::Map(entries) => {
                let allowed = fields_at(&schema_refs);
                let pos = entries.iter().position(|(k, _)| k.as_str() == Some(seg));
                let known = match &allowed {
                    Some(Fields::Known(f)) => f.contains(&seg.as_str()),
                    Some(Fields::Free) => true,
                    None => pos.is_some(),
                };
                if !known {
                    let existing: Vec<String> = match &allowed {
                        Some(Fields::Known(f)) => f.iter().map(|s| (*s).to_owned()).collect(),
                        _ => entries
                            .iter()
                            .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                            .collect(),
                    };
                    let names: Vec<&str> = existing.iter().map(String::as_str).collect();
                    let guess = closest(seg, &names)
                        .map(|c| format!("did you mean `{c}`? "))
                        .unwrap_or_default();
                    return Err(bad(
                        ov,
                        &format!("{here} has no field `{seg}`"),
                        &format!("{guess}fields there: {}", existing.join(", ")),
                    ));
                }
                if last {
                    match (pos, value.is_null()) {
                        (Some(p), true) => {
                            entries.remove(p);
                        }
                        (None, true) => {}
                        (Some(p), false) => entries[p].1 = value,
                        (None, false) => entries.push((key_node(seg, &value), value)),
                    }
                    return Ok(());
                }
                let p = if let Some(p) = pos {
                    p
                } else {
                    let mut child_schema = schema_refs.clone();
                    child_schema.push(seg);
                    if fields_at(&child_schema).is_none() {
                        return Err(bad(
                            ov,
                            &format!("{here} has no `{seg}` to look into"),
                            &format!("set `{}` itself", ov.path[..=walked.len()].join(".")),
                        ));
                    }
                    let child = Node {
                        kind: Kind::Map(Vec::new()),
                        ..value.clone()
                    };
                    entries.push((key_node(seg, &value), child));
                    entries.len() - 1
                };
                if entries[p].1.is_null() {
                    entries[p].1.kind = Kind::Map(Vec::new());
                }
                node = &mut entries[p].1;
                schema.push(seg.clone());
            }
            Kind::Seq(items) => {
                let n = items.len();
                let Some(ix) = seg.parse::<usize>().ok().filter(|&ix| ix < n) else {
                    let range = if n == 0 {
                        "it is empty".to_owned()
                    } else {
                        format!("indices are 0..{}", n - 1)
                    };
                    return Err(bad(
                        ov,
                        &format!("{here} is a list of {n} entries and `{seg}` is not one of them"),
                        &format!("{range}; to replace the whole list, set {here} itself"),
                    ));
                };
                if last {
                    if value.is_null() {
                        items.remove(ix);
                    } else {
                        items[ix] = value;
                    }
                    return Ok(());
                }
                node = &mut items[ix];
                schema.push("#".to_owned());
            }
            _ => {
                return Err(bad(
                    ov,
                    &format!("{here} is {type_name} (`{shown}`), so it has no `{seg}`"),
                    &format!("set {here} itself"),
                ));
            }
        }
        walked.push(seg);
    }
    // An empty `rest` would replace the root; the callers never pass one.
    let _ = value;
    Err(bad(ov, "names no field", "e.g. `capacity.cutovers=12`"))
}

fn key_node(seg: &str, at: &Node) -> Node {
    Node {
        kind: Kind::Str(seg.to_owned()),
        raw: Some(seg.to_owned()),
        ..at.clone()
    }
}

fn bad(ov: &Override, what: &str, hint: &str) -> Diagnostic {
    Diagnostic::error("bad-override", format!("`--set {ov}`: {what}")).hint(hint)
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_at_dots_outside_quotes() {
        let o = Override::parse("services.\"dsi.identity\".duration_waves=3").unwrap();
        assert_eq!(o.path, ["services", "dsi.identity", "duration_waves"]);
        assert_eq!(o.value, "3");
        let o = Override::parse("departments.DSF.blackouts=[{from: 2019-01-01, to: 2019-05-31}]")
            .unwrap();
        assert_eq!(o.path, ["departments", "DSF", "blackouts"]);
        assert!(o.value.starts_with("[{from"));
        assert!(Override::parse("capacity..x=1").is_err());
        assert!(Override::parse("capacity.cutovers").is_err());
        assert!(Override::parse("a.\"b=1").is_err());
    }

    fn tree(text: &str, sources: &mut Sources) -> Node {
        let src = sources.add(Path::new("t.yaml"), text.to_owned());
        sources.parse(src).unwrap()
    }

    fn set(root: &mut Node, kv: &str, sources: &mut Sources) -> Result<(), Diagnostic> {
        let ov = Override::parse(kv).unwrap();
        let v = parse_value(&ov, sources).unwrap();
        apply_scenario(root, &ov, v)
    }

    #[test]
    fn scenario_paths_replace_insert_and_index() {
        let mut s = Sources::default();
        let mut root = tree(
            "name: x\ncapacity:\n  teams: {dba: 20}\n  target:\n    - {from: 2019-01-01, vcpu: 10}\n",
            &mut s,
        );
        set(&mut root, "capacity.teams.dba=15", &mut s).unwrap();
        set(&mut root, "capacity.cutovers=unlimited", &mut s).unwrap();
        set(&mut root, "capacity.target.0.vcpu=300", &mut s).unwrap();
        set(&mut root, "calendar.wave_length_days=7", &mut s).unwrap();
        let cap = &root.get("capacity").unwrap();
        let dba = cap.get("teams").unwrap().get("dba").unwrap();
        assert!(matches!(dba.kind, Kind::Number(n) if n == 15.0));
        assert_eq!(cap.get("cutovers").unwrap().as_str(), Some("unlimited"));
        let cal = &root.get("calendar").unwrap();
        assert!(matches!(cal.get("wave_length_days").unwrap().kind, Kind::Number(n) if n == 7.0));
    }

    #[test]
    fn bad_paths_name_the_path_and_what_is_there() {
        let mut s = Sources::default();
        let mut root = tree(
            "name: x\ncapacity:\n  cutovers: 16\n  target:\n    - {from: 2019-01-01, vcpu: 10}\n",
            &mut s,
        );
        let e = set(&mut root, "capacity.cutover=5", &mut s).unwrap_err();
        assert!(
            e.message.contains("`capacity` has no field `cutover`"),
            "{}",
            e.message
        );
        assert!(e.hint.unwrap().contains("cutovers"));
        let e = set(&mut root, "capacity.target.3.vcpu=5", &mut s).unwrap_err();
        assert!(e.message.contains("list of 1 entries"), "{}", e.message);
        let e = set(&mut root, "capacity.cutovers.x=5", &mut s).unwrap_err();
        assert!(
            e.message.contains("`capacity.cutovers` is a number (`16`)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn inventory_paths_find_services_and_departments() {
        let mut s = Sources::default();
        let root = tree(
            "department: {code: DSF, name: F}\nservices:\n  - {id: dsi.identity, name: I, site: datacenter}\n",
            &mut s,
        );
        let mut trees = vec![(0, root)];
        let ov = Override::parse("services.\"dsi.identity\".duration_waves=3").unwrap();
        let v = parse_value(&ov, &mut s).unwrap();
        apply_inventory(&mut trees, &ov, v).unwrap();
        let ov = Override::parse("departments.DSF.blackouts=[{from: 2019-01-01, to: 2019-05-31}]")
            .unwrap();
        let v = parse_value(&ov, &mut s).unwrap();
        apply_inventory(&mut trees, &ov, v).unwrap();
        let ov = Override::parse("services.nope.duration_waves=3").unwrap();
        let v = parse_value(&ov, &mut s).unwrap();
        let e = apply_inventory(&mut trees, &ov, v).unwrap_err();
        assert!(e.message.contains("no service with id `nope`"));
        let ov = Override::parse("services.\"dsi.identiy\".duration_waves=3").unwrap();
        let v = parse_value(&ov, &mut s).unwrap();
        let e = apply_inventory(&mut trees, &ov, v).unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `dsi.identity`?"));
        // Issue 10: a department code in the wrong case gets the right one suggested.
        let ov = Override::parse("departments.dsf.max_cutovers_per_wave=2").unwrap();
        let v = parse_value(&ov, &mut s).unwrap();
        let e = apply_inventory(&mut trees, &ov, v).unwrap_err();
        assert!(
            e.message.contains("no department with code `dsf`"),
            "{}",
            e.message
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean `DSF`?"));
        let ov = Override::parse("services.\"dsi.identity\".durations=3").unwrap();
        let v = parse_value(&ov, &mut s).unwrap();
        let e = apply_inventory(&mut trees, &ov, v).unwrap_err();
        assert!(
            e.message
                .contains("`services.dsi.identity` has no field `durations`"),
            "{}",
            e.message
        );
    }
}
