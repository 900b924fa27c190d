//! Import speed: a generated estate of 10,000 VMs and 200,000 flow rows (RVTools vInfo CSV
//! and an Azure Migrate dependency CSV, written at run time), imported by the real binary
//! into a fresh directory each run, the check of the result included.
//!
//! `cargo bench --bench import -- [--vms N] [--flows N] [--runs N] [--keep DIR]`
//! Prints the time of each run and the median; inputs are regenerated for nothing, so no
//! run reuses another's output.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use std::time::Instant;

use waveplan::import::synthetic;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let (vms, flows, runs) = (
        arg("--vms", 10_000),
        arg("--flows", 200_000),
        arg("--runs", 3),
    );
    let scratch = tempfile::tempdir().unwrap();
    // `--keep DIR` leaves the inputs and outputs there, to inspect or time by hand.
    let args: Vec<String> = std::env::args().collect();
    let kept = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let dir_path = kept.unwrap_or_else(|| scratch.path().to_path_buf());
    std::fs::create_dir_all(&dir_path).unwrap();
    let estate = synthetic::estate(vms, 40, flows, 7);
    let vinfo = dir_path.join("vinfo.csv");
    let deps = dir_path.join("dependencies.csv");
    let map = dir_path.join("map.yaml");
    std::fs::write(&vinfo, estate.rvtools_csv()).unwrap();
    std::fs::write(&deps, estate.flows_csv()).unwrap();
    std::fs::write(&map, synthetic::Estate::map_yaml()).unwrap();
    println!(
        "import: {} VMs ({} MB), {} flow rows ({} MB)",
        estate.vms.len(),
        std::fs::metadata(&vinfo).unwrap().len() >> 20,
        estate.flows.len(),
        std::fs::metadata(&deps).unwrap().len() >> 20
    );
    let mut times = Vec::new();
    for i in 0..runs {
        let out = dir_path.join(format!("out-{i}"));
        // The real binary (release, with its allocator), as a planner runs it.
        let t = Instant::now();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_waveplan"))
            .arg("import")
            .arg("--map")
            .arg(&map)
            .arg("-o")
            .arg(&out)
            .arg(&vinfo)
            .arg(&deps)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(status.success(), "the import failed");
        println!("run {}: {secs:.2} s", i + 1);
        times.push(secs);
    }
    times.sort_by(f64::total_cmp);
    println!("median: {:.2} s", times[times.len() / 2]);
}
