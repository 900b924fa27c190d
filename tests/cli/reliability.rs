//! Issue 6 guarantees: output files are never half-written, and every command gives the same
//! bytes whatever the thread count.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::{Ran, root, waveplan};

/// A generated inventory big enough that planning takes a noticeable time.
fn big_inventory(dir: &Path, services: usize) {
    let inv = dir.join("inv");
    std::fs::create_dir_all(&inv).expect("mkdir");
    for d in 0..10 {
        let mut text = format!("department: {{code: D{d}, name: Department {d}}}\nservices:\n");
        for i in 0..services / 10 {
            let dep = if i > 0 {
                format!(", depends_on: [d{d}-s{}]", i / 2)
            } else {
                String::new()
            };
            text.push_str(&format!(
                "  - {{id: d{d}-s{i}, name: S, site: datacenter, effort: {{app: {}}}, data_gib: {}{dep}}}\n",
                1 + i % 5,
                10 * (i % 7)
            ));
        }
        std::fs::write(inv.join(format!("d{d}.yaml")), text).expect("write");
    }
    std::fs::write(
        dir.join("s.yaml"),
        "name: big\ncalendar: {start: 2019-01-07, wave_length_days: 14, max_waves: 400}\ncapacity: {teams: {app: 400}, transfer_gib: 20000}\n",
    )
    .expect("write");
}

#[test]
fn a_killed_run_leaves_the_previous_plan_intact() {
    let tmp = tempfile::tempdir().expect("tmp");
    big_inventory(tmp.path(), 20_000);
    let out = tmp.path().join("out.plan.yaml");
    std::fs::write(&out, "previous plan\n").expect("write");
    let bin = assert_cmd::cargo::cargo_bin("waveplan");
    for delay_ms in [50, 200, 500, 1000, 2000] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(tmp.path())
            .args([
                "plan",
                "-i",
                "inv",
                "-s",
                "s.yaml",
                "-o",
                "out.plan.yaml",
                "--effort",
                "50",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&out).expect("the plan file is always there");
        assert!(
            text == "previous plan\n"
                || (text.starts_with("format: waveplan-plan/1")
                    && text.ends_with('\n')
                    && text.contains("\nunscheduled:")),
            "killed after {delay_ms} ms: the file is neither the old plan nor a whole new one ({} bytes)",
            text.len()
        );
    }
}

#[test]
fn two_runs_writing_one_file_never_mix() {
    let tmp = tempfile::tempdir().expect("tmp");
    big_inventory(tmp.path(), 4_000);
    let bin = assert_cmd::cargo::cargo_bin("waveplan");
    let run = |seed: &str| {
        std::process::Command::new(&bin)
            .current_dir(tmp.path())
            .args([
                "plan",
                "-i",
                "inv",
                "-s",
                "s.yaml",
                "-o",
                "out.plan.yaml",
                "--effort",
                "40",
                "--seed",
                seed,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns")
    };
    let (mut a, mut b) = (run("1"), run("2"));
    assert!(
        a.wait()
            .expect("waits")
            .code()
            .is_some_and(|c| c == 0 || c == 3)
    );
    assert!(
        b.wait()
            .expect("waits")
            .code()
            .is_some_and(|c| c == 0 || c == 3)
    );
    let text = std::fs::read_to_string(tmp.path().join("out.plan.yaml")).expect("written");
    // Whichever finished last, the file is one whole plan: one header, one generator seed.
    assert_eq!(text.matches("format: waveplan-plan/1").count(), 1);
    assert_eq!(text.matches("\n  seed: ").count(), 1);
    waveplan(tmp.path())
        .args(["verify", "-i", "inv", "-s", "s.yaml", "out.plan.yaml"])
        .assert()
        .code(0);
}

fn output_with_threads(threads: &str, args: &[&str]) -> Vec<u8> {
    let r = Ran::of(
        waveplan(&root())
            .env("RAYON_NUM_THREADS", threads)
            .args(args),
    );
    assert!(r.code.is_some_and(|c| c == 0 || c == 3), "{}", r.err);
    r.out_bytes
}

#[test]
fn plan_report_whatif_and_graph_are_byte_identical_at_1_2_and_8_threads() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plan = tmp.path().join("p.plan.yaml");
    let plan_s = plan.to_string_lossy().into_owned();
    let mut plans = Vec::new();
    for t in ["1", "2", "8"] {
        output_with_threads(
            t,
            &["plan", "--effort", "400", "--seed", "5", "-o", &plan_s],
        );
        plans.push(std::fs::read(&plan).expect("written"));
    }
    assert!(
        plans.windows(2).all(|w| w[0] == w[1]),
        "plan differs across thread counts"
    );
    for args in [
        vec!["report", plan_s.as_str(), "--format", "html"],
        vec!["report", plan_s.as_str(), "--format", "json"],
        vec!["graph", "--format", "json"],
        vec![
            "whatif",
            "--effort",
            "150",
            "--sweep",
            "capacity.cutovers=10..16:3",
            "--format",
            "json",
        ],
    ] {
        let outs: Vec<_> = ["1", "2", "8"]
            .iter()
            .map(|t| output_with_threads(t, &args))
            .collect();
        assert!(!outs[0].is_empty());
        assert!(
            outs.windows(2).all(|w| w[0] == w[1]),
            "`{}` differs across thread counts",
            args.join(" ")
        );
    }
}
