//! Property test: whatever the exports say, an import that succeeds writes an inventory that
//! loads without error, and importing the same exports again changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;

use super::{Request, import};
use crate::load::{self, Existing};

/// Server names as exports write them: odd characters, domains, case, reserved words.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}-[0-9]{1,2}",
        "[A-Z][a-z]{0,5}[0-9]?\\.corp\\.example",
        Just("yes".to_owned()),
        Just("財政-01".to_owned()),
        Just("a b,c".to_owned()),
        Just("10.0.0.1".to_owned()),
        Just("\"quoted\"".to_owned()),
        Just("-".to_owned()),
        Just("web-01".to_owned()),
        Just("WEB-01.corp.example".to_owned()),
        Just("Web_01".to_owned()),
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,5}",
        Just("n/a".to_owned()),
        Just(String::new()),
        Just("1.024,5".to_owned()),
        Just("16 GB".to_owned()),
        Just("lots".to_owned()),
        Just("-3".to_owned()),
    ]
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn write_inputs(
    dir: &Path,
    servers: &[(String, String, String, String, String)],
    flows: &[(usize, usize, u16)],
) -> Vec<std::path::PathBuf> {
    let mut list = String::from("Hostname,Cores,RAM (MB),Application,Department\n");
    for (n, c, m, app, dept) in servers {
        let _ = writeln!(
            list,
            "{},{},{},{},{}",
            quote(n),
            quote(c),
            quote(m),
            quote(app),
            quote(dept)
        );
    }
    let mut f = String::from(
        "Source server name,Source IP,Destination server name,Destination IP,Destination port\n",
    );
    for &(a, b, port) in flows {
        let name = |i: usize| {
            servers
                .get(i % servers.len().max(1))
                .map_or("ghost", |s| s.0.as_str())
        };
        let _ = writeln!(f, "{},,{},,{port}", quote(name(a)), quote(name(b)));
    }
    let (p1, p2) = (dir.join("list.csv"), dir.join("flows.csv"));
    std::fs::write(&p1, list).unwrap();
    std::fs::write(&p2, f).unwrap();
    vec![p1, p2]
}

fn run(
    dir: &Path,
    out: &Path,
    sources: Vec<std::path::PathBuf>,
) -> Option<BTreeMap<std::path::PathBuf, String>> {
    let existing = Existing::read(out).expect("the previous result loads");
    let req = Request {
        sources,
        ..Request::default()
    };
    let imported = import(&req, &existing, &mut |_| {}).ok()?;
    let rendered = load::render_inventory(out, &existing, &imported.drafts);
    let _ = dir;
    std::fs::create_dir_all(out).unwrap();
    for (p, text) in &rendered.files {
        std::fs::write(p, text).unwrap();
    }
    Some(rendered.files)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_successful_import_loads_and_repeats_byte_for_byte(
        servers in prop::collection::vec(
            (name(), number(), number(), prop_oneof![Just(String::new()), "[A-Za-z ]{1,8}", Just("Tax Portal".to_owned()), Just("tax-portal".to_owned()), Just("dsf tax".to_owned())], prop_oneof![Just(String::new()), Just("DSF".to_owned()), Just("it ops".to_owned())]),
            1..12,
        ),
        flows in prop::collection::vec((0usize..20, 0usize..20, 1u16..2000), 0..40),
    ) {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("inv");
        let sources = write_inputs(t.path(), &servers, &flows);
        if run(t.path(), &out, sources.clone()).is_some() && out.is_dir() {
            let loaded = load::load(&out, None);
            prop_assert!(loaded.is_ok(), "{:?}", loaded.err());
            let again = run(t.path(), &out, sources).expect("the same import succeeds again");
            prop_assert!(again.is_empty(), "a repeated import changed {:?}", again.keys().collect::<Vec<_>>());
        }
    }
}
