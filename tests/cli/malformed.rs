//! The malformed-input suite (issue 6) beyond the fixture directories: inputs generated at
//! run time because they are large or binary. Rejected inputs must exit 1 with a located
//! message and leave no output behind; accepted ones must give the documented exit code
//! and a plan that verifies.

use std::path::{Path, PathBuf};

use crate::{Ran, run, waveplan};

const SCENARIO: &str = "name: t\ncalendar: {start: 2019-01-07, wave_length_days: 14}\n";
const HEAD: &str = "department: {code: DSI, name: Identification}\nservices:\n";

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(inventory: &[u8]) -> Self {
        Self::with(inventory, SCENARIO)
    }

    fn with(inventory: &[u8], scenario: &str) -> Self {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir(dir.path().join("inv")).expect("mkdir");
        std::fs::write(dir.path().join("inv/dsi.yaml"), inventory).expect("write");
        std::fs::write(dir.path().join("s.yaml"), scenario).expect("write");
        Self { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs `plan` into `out.plan.yaml`.
    fn plan(&self, extra: &[&str]) -> Ran {
        Ran::of(
            waveplan(self.dir.path())
                .args([
                    "plan",
                    "-i",
                    "inv",
                    "-s",
                    "s.yaml",
                    "-o",
                    "out.plan.yaml",
                    "--effort",
                    "100",
                ])
                .args(extra),
        )
    }

    fn assert_rejected(&self, located: &str) {
        let Ran { code, err, .. } = self.plan(&[]);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains(located), "expected `{located}` in:\n{err}");
        assert!(
            !err.contains("panicked") && !err.contains("internal bug"),
            "{err}"
        );
        assert!(
            !self.path("out.plan.yaml").exists(),
            "no output for invalid input"
        );
        assert_no_temp_files(self.dir.path());
    }

    fn assert_verifies(&self) {
        let r = run(
            self.dir.path(),
            &["verify", "-i", "inv", "-s", "s.yaml", "out.plan.yaml"],
        );
        assert_eq!(r.code, Some(0), "{}", r.out);
    }
}

fn assert_no_temp_files(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("readable")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn binary_garbage_is_rejected_with_its_file_named() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    Case::new(&bytes).assert_rejected("dsi.yaml");
}

#[test]
fn an_empty_file_is_rejected() {
    Case::new(b"").assert_rejected("dsi.yaml:1:1");
}

#[test]
fn an_empty_inventory_directory_is_rejected() {
    let case = Case::new(b"");
    std::fs::remove_file(case.path("inv/dsi.yaml")).expect("rm");
    case.assert_rejected("no inventory files");
}

#[test]
fn a_100_mb_file_is_rejected_quickly_and_cleanly() {
    let mut text = String::from(HEAD);
    let line =
        "  - {id: s, name: padding padding padding padding padding padding, site: datacenter}\n";
    while text.len() < 100 * 1024 * 1024 {
        text.push_str(line);
    }
    // Over the per-file limit: refused before parsing, so memory stays bounded.
    Case::new(text.as_bytes()).assert_rejected("the limit is 67108864 bytes (64.0 MiB)");
}

#[test]
fn ten_thousand_deep_nesting_is_rejected() {
    let deep = format!(
        "{HEAD}  - {{id: a, name: A, site: datacenter, tags: {}{}}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    Case::new(deep.as_bytes()).assert_rejected("dsi.yaml:3:");
}

#[test]
fn alias_bombs_are_rejected() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..15 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    Case::new(bomb.as_bytes()).assert_rejected("dsi.yaml:");
}

#[test]
fn merge_key_bombs_are_rejected() {
    let mut bomb = String::from("b0: &b0 {k0: 1}\n");
    for i in 1..40 {
        let p = i - 1;
        bomb.push_str(&format!("b{i}: &b{i} {{<<: [*b{p}, *b{p}], k{i}: 1}}\n"));
    }
    Case::new(bomb.as_bytes()).assert_rejected("dsi.yaml:");
}

#[test]
fn numbers_that_are_too_large_nan_infinite_or_in_exponent_form_are_rejected() {
    for (value, line) in [
        ("1e400", 3),
        (".nan", 3),
        (".inf", 3),
        ("-.inf", 3),
        ("99999999999999999999", 3),
        ("1.5e3", 3),
    ] {
        let text = format!("{HEAD}  - {{id: a, name: A, site: datacenter, data_gib: {value}}}\n");
        Case::new(text.as_bytes()).assert_rejected(&format!("dsi.yaml:{line}:"));
    }
}

#[test]
fn a_duration_too_large_for_a_count_is_rejected() {
    let text =
        format!("{HEAD}  - {{id: a, name: A, site: datacenter, duration_waves: 4294967296}}\n");
    Case::new(text.as_bytes()).assert_rejected("dsi.yaml:3:");
}

#[test]
fn a_plan_from_another_inventory_is_a_digest_breach() {
    let case = Case::new(format!("{HEAD}  - {{id: a, name: A, site: datacenter}}\n").as_bytes());
    assert_eq!(case.plan(&[]).code, Some(0));
    std::fs::write(
        case.path("inv/dsi.yaml"),
        format!("{HEAD}  - {{id: a, name: B, site: datacenter}}\n"),
    )
    .expect("write");
    let r = run(
        case.dir.path(),
        &["verify", "-i", "inv", "-s", "s.yaml", "out.plan.yaml"],
    );
    assert_eq!(r.code, Some(1));
    assert!(r.out.contains("digest.inventory"));
}

#[test]
fn a_truncated_plan_file_is_rejected_by_verify_with_its_line() {
    let case = Case::new(format!("{HEAD}  - {{id: a, name: A, site: datacenter}}\n").as_bytes());
    assert_eq!(case.plan(&[]).code, Some(0));
    let text = std::fs::read_to_string(case.path("out.plan.yaml")).expect("read");
    std::fs::write(case.path("out.plan.yaml"), &text[..text.len() / 2]).expect("write");
    let r = run(
        case.dir.path(),
        &["verify", "-i", "inv", "-s", "s.yaml", "out.plan.yaml"],
    );
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains("out.plan.yaml"));
}

#[test]
fn bom_and_crlf_are_accepted_and_the_plan_verifies() {
    let text =
        format!("\u{feff}{HEAD}  - {{id: a, name: A, site: datacenter}}\n").replace('\n', "\r\n");
    let case = Case::new(text.as_bytes());
    assert_eq!(case.plan(&[]).code, Some(0));
    case.assert_verifies();
}

#[test]
fn a_200_000_service_chain_plans_without_overflowing_the_stack() {
    let n = 200_000;
    let mut text = String::with_capacity(n * 64);
    text.push_str(HEAD);
    for i in 0..n {
        if i == 0 {
            text.push_str("  - {id: s0, name: S, site: datacenter}\n");
        } else {
            text.push_str(&format!(
                "  - {{id: s{i}, name: S, site: datacenter, depends_on: [s{}]}}\n",
                i - 1
            ));
        }
    }
    let case = Case::new(text.as_bytes());
    let Ran { code, out, err, .. } = case.plan(&[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("200000 of 200000"), "{out}");
    case.assert_verifies();
}

#[test]
fn every_wave_frozen_leaves_everything_unscheduled_with_reasons() {
    let sc = "name: t\ncalendar: {start: 2019-01-07, wave_length_days: 14, max_waves: 5, freezes: [{from: 2019-01-01, to: 2019-12-31}]}\n";
    let case = Case::with(
        format!("{HEAD}  - {{id: a, name: A, site: datacenter}}\n").as_bytes(),
        sc,
    );
    let Ran { code, out, .. } = case.plan(&[]);
    assert_eq!(code, Some(3));
    assert!(out.contains("calendar.freeze"), "{out}");
    case.assert_verifies();
}

#[test]
fn zero_capacities_leave_services_unscheduled_with_reasons() {
    let sc = "name: t\ncalendar: {start: 2019-01-07, wave_length_days: 14, max_waves: 5}\ncapacity: {cutovers: 0, teams: {app: 0}}\n";
    let inv = format!("{HEAD}  - {{id: a, name: A, site: datacenter, effort: {{app: 1}}}}\n");
    let case = Case::with(inv.as_bytes(), sc);
    let Ran { code, out, .. } = case.plan(&[]);
    assert_eq!(code, Some(3));
    assert!(out.contains("capacity."), "{out}");
    case.assert_verifies();
}

#[test]
fn max_waves_1_exits_3_with_reasons() {
    let sc = "name: t\ncalendar: {start: 2019-01-07, wave_length_days: 14, max_waves: 1}\n";
    let inv = format!(
        "{HEAD}  - {{id: a, name: A, site: datacenter}}\n  - {{id: b, name: B, site: datacenter, depends_on: [{{service: a, order: strictly-before}}]}}\n"
    );
    let case = Case::with(inv.as_bytes(), sc);
    let Ran { code, out, .. } = case.plan(&[]);
    assert_eq!(code, Some(3), "{out}");
    assert!(
        out.contains("calendar.max_waves") || out.contains("edge.strictly-before"),
        "{out}"
    );
    case.assert_verifies();
}

#[test]
fn an_unwritable_output_is_a_clear_error() {
    let case = Case::new(format!("{HEAD}  - {{id: a, name: A, site: datacenter}}\n").as_bytes());
    let Ran { code, err, .. } = run(
        case.dir.path(),
        &[
            "plan",
            "-i",
            "inv",
            "-s",
            "s.yaml",
            "-o",
            "no/such/dir/p.plan.yaml",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("cannot write `no/such/dir/p.plan.yaml`"),
        "{err}"
    );
}
