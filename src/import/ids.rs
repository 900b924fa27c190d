//! Service ids made from names: SPEC 2's grammar, department prefix, collisions resolved the
//! same way on every run.

use std::collections::BTreeSet;

/// Longest id SPEC 2 allows.
const MAX_ID: usize = 64;

/// `Tax Portal (web)` → `tax-portal-web`: lowercase ASCII, other runs become one `-`.
#[must_use]
pub fn slug(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_') {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches(|c| matches!(c, '-' | '.' | '_')).to_owned()
}

/// Hands out unique ids; `taken` starts with the ids already in the inventory.
#[derive(Debug, Default)]
pub struct IdMaker {
    taken: BTreeSet<String>,
}

impl IdMaker {
    /// A maker that will not reuse any of `taken`.
    #[must_use]
    pub fn new(taken: impl IntoIterator<Item = String>) -> Self {
        Self {
            taken: taken.into_iter().collect(),
        }
    }

    /// Reserves an id the caller already has (a matched existing service).
    pub fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    /// The id for `name` in department `code`, and the id it would have had when that was
    /// taken (for the review).
    pub fn make(&mut self, code: &str, name: &str) -> (String, Option<String>) {
        let base = base_id(code, name);
        if self.taken.insert(base.clone()) {
            return (base, None);
        }
        for n in 2.. {
            let suffix = format!("-{n}");
            let id = format!("{}{suffix}", truncate(&base, MAX_ID - suffix.len()));
            if self.taken.insert(id.clone()) {
                return (id, Some(base));
            }
        }
        unreachable_id()
    }
}

/// The id a name gets when nothing else has taken it.
#[must_use]
pub fn base_id(code: &str, name: &str) -> String {
    let prefix = code.to_lowercase();
    let body = slug(name);
    // A name that already carries the department (`fin-ledger`, `fin_batch`) keeps it once.
    let body = ['-', '_', '.']
        .iter()
        .find_map(|sep| body.strip_prefix(&format!("{prefix}{sep}")))
        .unwrap_or(body.as_str());
    let base = if body.is_empty() {
        format!("{prefix}-service")
    } else {
        format!("{prefix}-{body}")
    };
    truncate(&base, MAX_ID)
}

fn truncate(s: &str, max: usize) -> String {
    // Ids are ASCII by construction, so a byte cut is a character cut.
    let cut = s.get(..max.min(s.len())).unwrap_or(s);
    cut.trim_end_matches(['-', '.', '_']).to_owned()
}

#[cold]
fn unreachable_id() -> (String, Option<String>) {
    // `2..` never runs out before memory does; this keeps the function total without a panic.
    (String::from("x-unreachable"), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_id_grammar() {
        assert_eq!(slug("Tax Portal (web)"), "tax-portal-web");
        assert_eq!(slug("  --DB_01.prod--"), "db_01.prod");
        assert_eq!(slug("財政局"), "");
    }

    #[test]
    fn ids_carry_the_department_once_and_collide_deterministically() {
        let mut m = IdMaker::new(["dsf-tax".to_owned()]);
        assert_eq!(
            m.make("DSF", "tax"),
            ("dsf-tax-2".to_owned(), Some("dsf-tax".to_owned()))
        );
        assert_eq!(m.make("DSF", "dsf-portal"), ("dsf-portal".to_owned(), None));
        assert_eq!(
            m.make("DSF", "DSF Portal"),
            ("dsf-portal-2".to_owned(), Some("dsf-portal".to_owned()))
        );
        assert_eq!(m.make("DSF", "財政"), ("dsf-service".to_owned(), None));
        assert_eq!(
            m.make("DSF", "dsf_batch_01"),
            ("dsf-batch_01".to_owned(), None)
        );
        let long = "a".repeat(100);
        let (id, _) = m.make("DSF", &long);
        assert_eq!(id.len(), 64);
        let (id2, _) = m.make("DSF", &long);
        assert_eq!(id2.len(), 64);
        assert!(id2.ends_with("-2"));
        assert!(crate::load::is_id(&id2));
    }
}
