//! Risk simulation speed: `waveplan risk` on the shipped default (10,000 runs by default),
//! by the real binary, as a planner runs it: load, verify the plan, simulate, render.
//!
//! `cargo bench --bench risk -- [--runs N] [--repeat N] [--replan]`
//! Prints the time of each repeat and the median. Each repeat is a fresh process and
//! computes every run again: nothing is cached between them.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use std::time::Instant;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let (runs, repeat) = (arg("--runs", 10_000), arg("--repeat", 5));
    let replan = std::env::args().any(|a| a == "--replan");
    let root = env!("CARGO_MANIFEST_DIR");
    let mut times = Vec::new();
    for _ in 0..repeat {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_waveplan"));
        cmd.current_dir(root).args([
            "risk",
            "plans/baseline.plan.yaml",
            "--runs",
            &runs.to_string(),
            "--format",
            "json",
        ]);
        if replan {
            cmd.arg("--replan");
        }
        let t = Instant::now();
        let out = cmd.output().unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        println!(
            "risk: {runs} runs{} in {secs:.2} s (P50 wave {}, P95 wave {})",
            if replan { " (--replan)" } else { "" },
            v["finish_wave_p50"],
            v["finish_wave_p95"]
        );
        times.push(secs);
    }
    times.sort_by(f64::total_cmp);
    if let Some(m) = times.get(times.len() / 2) {
        println!("median {m:.2} s over {repeat} repeats");
    }
}
