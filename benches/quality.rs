//! Plan quality on PSPLIB (j30, j60, j120): a wave plan with strictly-before edges and team
//! capacities is exactly an RCPSP, so the known optima and bounds measure the planner.
//!
//! `cargo bench --bench quality -- [--sets j30,j60] [--limit N] [--time-limit SECS] [--effort N]`
//! Data: `$WAVEPLAN_BENCH_DATA` or `../shared/benchmarks` (the `psplib/` folder in it).
//! Prints, per set: mean % above the best known makespan (the optimum for j30), mean % above
//! the critical-path bound (the literature's measure for j60/j120), how many reach the best
//! known value, and the lower bound against `cpm_lb` and `best_lb`.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use waveplan::schedule::{self, NoProgress, Options, psplib};

struct Bounds {
    cpm: f64,
    best_lb: f64,
    best_ub: f64,
}

struct Args {
    sets: Vec<String>,
    limit: usize,
    time_limit: Option<f64>,
    effort: u64,
}

fn args() -> Args {
    let mut a = Args {
        sets: vec!["j30".into()],
        limit: usize::MAX,
        time_limit: Some(1.0),
        effort: 1_000_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().unwrap_or_default();
        match flag.as_str() {
            "--sets" => a.sets = val().split(',').map(str::to_owned).collect(),
            "--limit" => a.limit = val().parse().unwrap_or(usize::MAX),
            "--time-limit" => a.time_limit = val().parse().ok().filter(|t: &f64| *t > 0.0),
            "--effort" => {
                a.effort = val().parse().unwrap_or(a.effort);
                a.time_limit = None;
            }
            _ => {}
        }
    }
    a
}

fn main() {
    let a = args();
    let data = std::env::var_os("WAVEPLAN_BENCH_DATA")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks"),
            PathBuf::from,
        )
        .join("psplib");
    let Ok(bounds_csv) = std::fs::read_to_string(data.join("solutions/psplib_bounds.csv")) else {
        println!(
            "no PSPLIB data at {}; set WAVEPLAN_BENCH_DATA",
            data.display()
        );
        return;
    };
    let mut bounds: BTreeMap<String, Bounds> = BTreeMap::new();
    for line in bounds_csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() >= 8 {
            let num = |i: usize| f[i].parse::<f64>().unwrap_or(f64::NAN);
            bounds.insert(
                f[1].to_owned(),
                Bounds {
                    cpm: num(5),
                    best_lb: num(6),
                    best_ub: num(7),
                },
            );
        }
    }
    println!(
        "{:<5} {:>4} {:>9} {:>9} {:>7} {:>9} {:>8} {:>8} {:>7}",
        "set", "n", "%>best", "%>cpm", "=best", "lb/bestlb", "lb<cpm", "lb>best", "s/inst"
    );
    for set in &a.sets {
        let mut files: Vec<_> = std::fs::read_dir(data.join(set))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let (
            mut n,
            mut dev_best,
            mut dev_cpm,
            mut at_best,
            mut lb_ratio,
            mut lb_below_cpm,
            mut lb_above_best,
        ) = (0usize, 0.0, 0.0, 0usize, 0.0, 0usize, 0usize);
        let started = Instant::now();
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "sm"))
            .take(a.limit)
        {
            let name = f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (Some(b), Ok(text)) = (bounds.get(&name), std::fs::read_to_string(f)) else {
                continue;
            };
            let Ok(inst) = psplib::parse(&text) else {
                continue;
            };
            let (inv, sc) = inst.to_model(&name);
            let opts = Options {
                seed: 1,
                effort: Some(a.effort),
                time_limit: a.time_limit.map(Duration::from_secs_f64),
            };
            let out = schedule::plan(&inv, &sc, &opts, &NoProgress);
            let ms = f64::from(out.plan.summary.waves);
            let lb = f64::from(out.plan.summary.lower_bound_waves);
            n += 1;
            dev_best += 100.0 * (ms - b.best_ub) / b.best_ub;
            dev_cpm += 100.0 * (ms - b.cpm) / b.cpm;
            at_best += usize::from(ms <= b.best_ub);
            lb_ratio += lb / b.best_lb;
            lb_below_cpm += usize::from(lb < b.cpm);
            lb_above_best += usize::from(lb > b.best_ub);
        }
        if n == 0 {
            continue;
        }
        #[expect(clippy::cast_precision_loss, reason = "instance counts are small")]
        let k = n as f64;
        println!(
            "{set:<5} {n:>4} {:>9.3} {:>9.2} {at_best:>7} {:>9.4} {lb_below_cpm:>8} {lb_above_best:>8} {:>7.3}",
            dev_best / k,
            dev_cpm / k,
            lb_ratio / k,
            started.elapsed().as_secs_f64() / k
        );
    }
}
