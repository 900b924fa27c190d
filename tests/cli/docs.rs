//! Examples in the docs, run: what a page says an input does is what the planner does.

use crate::{root, waveplan};

/// The YAML block after `heading` in docs/inventory-format.md.
fn example_after(heading: &str) -> String {
    let doc =
        std::fs::read_to_string(root().join("docs/inventory-format.md")).expect("the format doc");
    let section = doc.split(heading).nth(1).expect("the heading");
    let block = section.split("```yaml\n").nth(1).expect("a YAML block");
    block.split("```").next().unwrap_or("").to_owned()
}

/// Issue 15, item 8: docs/inventory-format.md's example of a latency-sensitive dependency
/// and a move group together plans as the page says: one cutover wave for all three, the
/// two-wave application starting a wave earlier.
#[test]
fn the_latency_and_move_group_example_plans_as_documented() {
    let services = example_after("### Latency-sensitive dependency or move group?");
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join("inv")).expect("mkdir");
    std::fs::write(
        dir.path().join("inv/tst.yaml"),
        format!("department: {{code: TST, name: Test}}\nservices:\n{services}"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("s.yaml"),
        "name: t\ncalendar: {start: 2019-01-07, wave_length_days: 14}\n",
    )
    .expect("write");
    waveplan(dir.path())
        .args([
            "plan",
            "-i",
            "inv",
            "-s",
            "s.yaml",
            "-o",
            "p.plan.yaml",
            "-q",
        ])
        .assert()
        .code(0);
    let plan = waveplan::load::plan_file::read(&dir.path().join("p.plan.yaml")).expect("plan");
    let wave = |id: &str| {
        let s = plan
            .services
            .iter()
            .find(|s| s.id.as_str() == id)
            .expect("scheduled");
        (s.start_wave, s.cutover_wave)
    };
    let (start, cutover) = wave("tst-tax-core");
    assert_eq!(wave("tst-db-tax-primary"), (cutover, cutover));
    assert_eq!(wave("tst-db-tax-standby"), (cutover, cutover));
    assert_eq!(start + 1, cutover);
}
