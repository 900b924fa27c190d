//! `waveplan import` (issue 9): every kind of export, every rule, merges and a round trip.
//! All inputs are synthetic and written by the tests.

use std::path::{Path, PathBuf};

use waveplan::import::synthetic::{self, RVTOOLS_HEADER};
use waveplan::load::schema::Format;

use crate::{Ran, root, waveplan};

/// One RVTools vInfo row with only the columns the importer reads filled in.
struct Vm<'a> {
    name: &'a str,
    power: &'a str,
    template: bool,
    cpus: &'a str,
    memory_mib: &'a str,
    provisioned_mib: &'a str,
    in_use_mib: &'a str,
    folder: &'a str,
    ip: &'a str,
}

fn vm<'a>(name: &'a str, folder: &'a str, ip: &'a str) -> Vm<'a> {
    Vm {
        name,
        power: "poweredOn",
        template: false,
        cpus: "4",
        memory_mib: "8192",
        provisioned_mib: "102400",
        in_use_mib: "51200",
        folder,
        ip,
    }
}

fn vinfo_row(v: &Vm<'_>) -> Vec<String> {
    RVTOOLS_HEADER
        .split(',')
        .map(|c| {
            match c {
                "VM" => v.name,
                "Powerstate" => v.power,
                "Template" => {
                    if v.template {
                        "True"
                    } else {
                        "False"
                    }
                }
                "CPUs" => v.cpus,
                "Memory" => v.memory_mib,
                "Provisioned MiB" => v.provisioned_mib,
                "In Use MiB" => v.in_use_mib,
                "Folder" => v.folder,
                "Primary IP Address" => v.ip,
                "OS according to the configuration file" => "Red Hat Enterprise Linux 8 (64-bit)",
                _ => "",
            }
            .to_owned()
        })
        .collect()
}

fn vinfo_csv(vms: &[Vm<'_>]) -> String {
    let mut s = format!("{RVTOOLS_HEADER}\n");
    for v in vms {
        s.push_str(&vinfo_row(v).join(","));
        s.push('\n');
    }
    s
}

/// Classic Azure Migrate layout: (client, client ip, server, server ip, port).
fn flows_csv(rows: &[(&str, &str, &str, &str, u32)]) -> String {
    let mut s = String::from(
        "Time slot,Source server name,Source IP,Source application,Source process,Destination server name,Destination IP,Destination application,Destination process,Destination port\n",
    );
    for (a, ai, b, bi, port) in rows {
        s.push_str(&format!(
            "2019-03-01 10:00,{a},{ai},,app.exe,{b},{bi},,svc.exe,{port}\n"
        ));
    }
    s
}

/// The small estate most tests use: tax (web + db), id, a DNS every service talks to, an
/// old powered-off VM and a template.
fn estate(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let mut vms = vec![
        vm("dsf-tax-web-01", "/DSF/tax", "192.0.2.1"),
        vm("dsf-tax-db-01", "/DSF/tax", "192.0.2.2"),
        vm("dsf-pay-app-01", "/DSF/pay", "192.0.2.3"),
        vm("dsi-id-app-01", "/DSI/id", "192.0.2.4"),
        vm("dsi-card-app-01", "/DSI/card", "192.0.2.5"),
        vm("dsi-web-app-01", "/DSI/web", "192.0.2.6"),
        vm("core-dns-01", "/CORE/dns", "192.0.2.9"),
    ];
    vms.push(Vm {
        power: "poweredOff",
        ..vm("dsi-old-app-01", "/DSI/old", "192.0.2.7")
    });
    vms.push(Vm {
        template: true,
        ..vm("tmpl-rhel8", "/Templates", "")
    });
    let vinfo = dir.join("vinfo.csv");
    std::fs::write(&vinfo, vinfo_csv(&vms)).unwrap();
    let mut flows = vec![
        (
            "dsf-tax-web-01",
            "192.0.2.1",
            "dsf-tax-db-01",
            "192.0.2.2",
            1521,
        ),
        (
            "dsf-tax-web-01",
            "192.0.2.1",
            "dsf-tax-db-01",
            "192.0.2.2",
            1521,
        ),
        (
            "dsf-tax-web-01",
            "192.0.2.1",
            "dsi-id-app-01",
            "192.0.2.4",
            443,
        ),
        (
            "dsf-pay-app-01",
            "192.0.2.3",
            "dsf-tax-web-01",
            "192.0.2.1",
            443,
        ),
        (
            "dsi-card-app-01",
            "192.0.2.5",
            "dsi-id-app-01",
            "192.0.2.4",
            443,
        ),
        ("dsi-id-app-01", "192.0.2.4", "", "198.51.100.77", 1521),
        (
            "dsi-web-app-01",
            "192.0.2.6",
            "dsi-id-app-01",
            "192.0.2.4",
            8443,
        ),
        (
            "dsi-web-app-01",
            "192.0.2.6",
            "dsi-id-app-01",
            "192.0.2.4",
            123,
        ),
    ];
    for (c, ci) in [
        ("dsf-tax-web-01", "192.0.2.1"),
        ("dsf-tax-db-01", "192.0.2.2"),
        ("dsf-pay-app-01", "192.0.2.3"),
        ("dsi-id-app-01", "192.0.2.4"),
        ("dsi-card-app-01", "192.0.2.5"),
        ("dsi-web-app-01", "192.0.2.6"),
    ] {
        flows.push((c, ci, "core-dns-01", "192.0.2.9", 53));
    }
    let deps = dir.join("dependencies.csv");
    std::fs::write(&deps, flows_csv(&flows)).unwrap();
    let map = dir.join("map.yaml");
    std::fs::write(
        &map,
        "departments:\n  - {folder: '^/(?P<code>[A-Z]+)/'}\ndepartment_names:\n  DSF: Financial Services Bureau\n  DSI: {name: Identification Services Bureau, local_name: 身份證明局}\nservices:\n  pattern: '^(?P<service>[a-z]+-[a-z]+)-'\nflows:\n  ignore_ports: [123]\n  shared_platform_share: 0.5\n  shared_platform_min_clients: 4\n",
    )
    .unwrap();
    (vinfo, deps, map)
}

fn import(dir: &Path, args: &[&str]) -> Ran {
    Ran::of(waveplan(dir).arg("import").args(args))
}

/// Runs an import that must succeed; returns what it printed on stderr.
fn import_ok(dir: &Path, args: &[&str]) -> String {
    let Ran { code, err, .. } = import(dir, args);
    assert_eq!(code, Some(0), "{err}");
    err
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn json(p: impl AsRef<Path>) -> serde_json::Value {
    serde_json::from_str(&read(p)).unwrap()
}

fn all_files(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                read(&p),
            )
        })
        .collect();
    v.sort();
    v
}

fn validate(dir: &Path, inventory: &Path) {
    let r = Ran::of(waveplan(dir).args(["validate", "-i"]).arg(inventory));
    assert_eq!(r.code, Some(0), "{}", r.err);
}

#[test]
fn rvtools_and_flows_become_a_valid_inventory_with_a_review() {
    let t = tempfile::tempdir().unwrap();
    let (vinfo, deps, map) = estate(t.path());
    let err = import_ok(
        t.path(),
        &[
            "--map",
            "map.yaml",
            "-o",
            "inv",
            "--report",
            "review.json",
            "vinfo.csv",
            "dependencies.csv",
        ],
    );
    assert!(err.contains("vinfo.csv: RVTools vInfo, 9 rows"), "{err}");
    assert!(
        err.contains("dependencies.csv: dependency flows (Azure Migrate, classic), 14 rows"),
        "{err}"
    );
    // Outside the project's own inventories/, the next step needs the estate's scenario.
    assert!(
        err.contains("next: waveplan validate -i inv -s YOUR-SCENARIO.yaml"),
        "{err}"
    );
    let _ = (vinfo, deps, map);
    let inv = t.path().join("inv");
    validate(t.path(), &inv);
    let dsf = read(inv.join("dsf.yaml"));
    let dsi = read(inv.join("dsi.yaml"));
    // Two VMs, one service: sums in GiB; the flow inside it vanished.
    assert!(dsf.contains("  - id: dsf-tax\n"), "{dsf}");
    assert!(
        dsf.contains("resources: {vcpu: 8, memory_gib: 16, storage_gib: 200}"),
        "{dsf}"
    );
    assert!(dsf.contains("data_gib: 100\n"), "{dsf}");
    assert!(
        dsf.contains("hosts: [dsf-tax-db-01, dsf-tax-web-01]"),
        "{dsf}"
    );
    assert!(
        dsf.contains("- {service: dsi-id, order: any, traffic: 1}"),
        "{dsf}"
    );
    assert!(dsi.contains("local_name: 身份證明局"), "{dsi}");
    // Powered off: retire, never dropped; the template is skipped.
    assert!(dsi.contains("  - id: dsi-old\n"), "{dsi}");
    assert!(dsi.contains("strategy: retire"), "{dsi}");
    // New files name their schema on their first line and pass it (docs/editors.md).
    let schema_line = Format::Inventory.modeline(1) + "\n";
    for (name, text) in all_files(&inv) {
        assert!(text.starts_with(&schema_line), "{name}: {text}");
        crate::schemas::assert_passes(Format::Inventory, &inv.join(name));
    }
    let all: String = all_files(&inv).into_iter().map(|(_, t)| t).collect();
    assert!(!all.contains("tmpl"), "{all}");
    // DNS is reached by every service: a shared platform, not an edge from each.
    assert!(!all.contains("service: core-dns"), "{all}");
    assert!(read(inv.join("core.yaml")).contains("shared-platform"));
    let review = json(t.path().join("review.json"));
    let flows = &review["flows"];
    assert_eq!(flows["shared_platforms"][0]["service"], "core-dns");
    assert_eq!(flows["collapsed"], 5, "{flows}");
    assert_eq!(flows["inside"], 2, "{flows}");
    assert_eq!(flows["ignored"]["port ignored by the map"], 1, "{flows}");
    let unknown = &flows["unknown"][0];
    assert_eq!(unknown["endpoint"], "198.51.100.77:1521");
    assert_eq!(unknown["example_client"], "dsi-id-app-01");
    assert!(
        review["sources"][0]["skipped"][0]["what"]
            .as_str()
            .unwrap()
            .contains("template")
    );
    assert!(review["decisions"]["DSF"].as_array().unwrap().len() == 2);
    let tax = review["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["service"] == "dsf-tax")
        .unwrap();
    assert_eq!(tax["fields"]["memory_gib"][0], "vinfo.csv", "{tax}");
    assert_eq!(tax["dependencies"][0], "dependencies.csv", "{tax}");
    // The same inputs give the same bytes.
    let before = all_files(&inv);
    let Ran { code, err, .. } = import(
        t.path(),
        &[
            "--map",
            "map.yaml",
            "-o",
            "inv",
            "vinfo.csv",
            "dependencies.csv",
        ],
    );
    assert_eq!(code, Some(0));
    assert!(err.contains("nothing changed"));
    assert_eq!(before, all_files(&inv));
}

#[test]
fn a_re_import_keeps_what_the_planner_wrote() {
    let t = tempfile::tempdir().unwrap();
    estate(t.path());
    let args = [
        "--map",
        "map.yaml",
        "-o",
        "inv",
        "vinfo.csv",
        "dependencies.csv",
    ];
    import_ok(t.path(), &args);
    let dsf_path = t.path().join("inv/dsf.yaml");
    let dsf = read(&dsf_path)
        .replacen("  - id: dsf-tax\n", "  - id: dsf-tax-system   # renamed by hand\n", 1)
        .replacen("    strategy: rehost\n", "    # decided with the bureau\n    strategy: replatform\n", 1)
        .replacen("    effort: {app: 4}\n", "    effort: {app: 20, dba: 5}\n", 1)
        .replacen(
            "      - {service: dsi-id, order: any, traffic: 1}\n",
            "      - {service: dsi-id, order: strictly-before, traffic: 1}\n      - dsf-pay   # hand-added\n",
            1,
        )
        .replacen("      sources: [vinfo.csv]\n", "      sources: [vinfo.csv]\n      owner: \"Ana (DBA)\"\n", 1)
        .replace("{service: dsf-tax,", "{service: dsf-tax-system,");
    std::fs::write(&dsf_path, &dsf).unwrap();
    // The sources change: the tax web server has more memory now.
    let vinfo = read(t.path().join("vinfo.csv"));
    let mut lines: Vec<String> = vinfo.lines().map(str::to_owned).collect();
    let header: Vec<&str> = RVTOOLS_HEADER.split(',').collect();
    let mem = header.iter().position(|h| *h == "Memory").unwrap();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    cells[mem] = "16384".to_owned();
    lines[1] = cells.join(",");
    std::fs::write(t.path().join("vinfo.csv"), lines.join("\n") + "\n").unwrap();

    import_ok(t.path(), &[&args[..], &["--report", "merge.md"]].concat());
    let merged = read(&dsf_path);
    assert!(
        merged.contains("  - id: dsf-tax-system   # renamed by hand\n"),
        "{merged}"
    );
    assert!(
        merged.contains("    # decided with the bureau\n    strategy: replatform\n"),
        "{merged}"
    );
    assert!(merged.contains("effort: {app: 20, dba: 5}"), "{merged}");
    assert!(merged.contains("memory_gib: 24"), "{merged}");
    assert!(
        merged.contains("{service: dsi-id, order: strictly-before, traffic: 1}"),
        "{merged}"
    );
    assert!(merged.contains("- dsf-pay   # hand-added"), "{merged}");
    assert!(merged.contains("owner: \"Ana (DBA)\""), "{merged}");
    assert_eq!(
        merged.matches("id: dsf-tax").count(),
        1,
        "no second service: {merged}"
    );
    let review = read(t.path().join("merge.md"));
    assert!(review.contains("kept the planner's order"), "{review}");
    assert!(
        review.contains("`dsf-tax` is `dsf-tax-system` (matched by its servers in `meta.hosts`)"),
        "{review}"
    );
    // What the planner decided is no longer listed; what still holds the default is (the
    // strategy edit above lands on `dsf-pay`, the file's first service; the effort on tax).
    assert!(
        review.contains("- `dsf-tax-system`: strategy, criticality, duration_waves\n"),
        "{review}"
    );
    assert!(
        review.contains("- `dsf-pay`: effort, criticality, duration_waves\n"),
        "{review}"
    );
    validate(t.path(), &t.path().join("inv"));
    // And again: nothing moves.
    let once = all_files(&t.path().join("inv"));
    import_ok(t.path(), &args);
    assert_eq!(once, all_files(&t.path().join("inv")));
}

#[test]
fn an_xlsx_workbook_is_read_from_its_vinfo_sheet() {
    let t = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let vcpu = wb.add_worksheet();
    vcpu.set_name("vCPU").unwrap();
    vcpu.write_row(0, 0, ["VM", "CPUs", "Sockets"]).unwrap();
    let sheet = wb.add_worksheet();
    sheet.set_name("vInfo").unwrap();
    let header: Vec<&str> = RVTOOLS_HEADER.split(',').collect();
    sheet.write_row(0, 0, header.clone()).unwrap();
    let rows = [
        vm("web-01", "/X/y", "192.0.2.1"),
        vm("db-01", "/X/y", "192.0.2.2"),
    ];
    for (r, v) in rows.iter().enumerate() {
        let row = u32::try_from(r + 1).unwrap();
        for (c, value) in vinfo_row(v).iter().enumerate() {
            let col = u16::try_from(c).unwrap();
            // Numbers as Excel numbers, the rest as text, as RVTools writes them.
            match value.parse::<f64>() {
                Ok(n) => sheet.write_number(row, col, n).unwrap(),
                Err(_) if !value.is_empty() => sheet.write_string(row, col, value).unwrap(),
                Err(_) => sheet,
            };
        }
    }
    wb.save(t.path().join("RVTools_export.xlsx")).unwrap();
    let err = import_ok(
        t.path(),
        &["--department", "APP", "-o", "inv", "RVTools_export.xlsx"],
    );
    assert!(
        err.contains("RVTools_export.xlsx [vInfo]: RVTools vInfo, 2 rows"),
        "{err}"
    );
    let app = read(t.path().join("inv/app.yaml"));
    assert!(app.contains("  - id: app-web-01\n"), "{app}");
    assert!(
        app.contains("resources: {vcpu: 4, memory_gib: 8, storage_gib: 100}"),
        "{app}"
    );
    validate(t.path(), &t.path().join("inv"));
}

#[test]
fn a_plain_table_is_read_as_exports_write_it() {
    let t = tempfile::tempdir().unwrap();
    // Windows-1252, semicolons, decimal commas, thousands separators, units in the header
    // and in cells, `n/a`, a ragged row, a quoted cell with a newline.
    let text = "Hostname;Cores;RAM (MB);Disk (GB);Used;Operating System;Environment;Department\r\n\
web-01;4;16.384;100;\"12,5 GB\";Windows;Production;DSF\r\n\
db-01;8;32768;1.024,5;n/a;\"Red Hat\nEnterprise\";Production;DSF\r\n\
caf\u{e9}-01;2;4096;50;10;Linux;Test;DSF\r\n\
broken-01;2;4096\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(t.path().join("servers.csv"), bytes).unwrap();
    let err = import_ok(
        t.path(),
        &["-o", "inv", "--report", "r.json", "servers.csv"],
    );
    assert!(err.contains("servers.csv: server list, 4 rows"), "{err}");
    let dsf = read(t.path().join("inv/dsf.yaml"));
    assert!(dsf.contains("  - id: dsf-web-01\n"), "{dsf}");
    assert!(
        dsf.contains("resources: {vcpu: 4, memory_gib: 16, storage_gib: 100}"),
        "{dsf}"
    );
    assert!(dsf.contains("data_gib: 12.5\n"), "{dsf}");
    assert!(dsf.contains("storage_gib: 1024.5}"), "{dsf}");
    assert!(dsf.contains("unknown: [data_gib]"), "{dsf}");
    assert!(dsf.contains("hosts: [café-01]"), "{dsf}");
    assert!(dsf.contains("  - id: dsf-caf-01\n"), "{dsf}");
    let review = json(t.path().join("r.json"));
    let skipped = review["sources"][0]["skipped"].to_string();
    assert!(skipped.contains("servers.csv:6"), "{skipped}");
    assert!(
        skipped.contains("3 cells where the header has 8"),
        "{skipped}"
    );
    assert_eq!(review["sources"][0]["encoding"], "Windows-1252");
    validate(t.path(), &t.path().join("inv"));

    // --strict turns the ragged row into an error at its line, and writes nothing.
    let Ran { code, err, .. } = import(t.path(), &["--strict", "-o", "strict", "servers.csv"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("servers.csv:6:1: error:"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!t.path().join("strict").exists());
    // A cell that is no number is located at its column, named by its header.
    std::fs::write(
        t.path().join("cpus.csv"),
        "Hostname,vCPU,RAM (GB)\nweb-01,lots,8\n",
    )
    .unwrap();
    let Ran { code, err, .. } = import(
        t.path(),
        &[
            "--strict",
            "--department",
            "DSF",
            "-o",
            "strict",
            "cpus.csv",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("cpus.csv:2:2: error: `vCPU` of `web-01` is `lots`, not a whole number"),
        "{err}"
    );
}

#[test]
fn utf16_unicode_text_from_excel_is_read() {
    let t = tempfile::tempdir().unwrap();
    let text = "Server\tvCPU\tMemory GB\r\napp-01\t2\t8\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(t.path().join("list.txt"), bytes).unwrap();
    import_ok(t.path(), &["--department", "IT", "-o", "inv", "list.txt"]);
    let it = read(t.path().join("inv/it.yaml"));
    assert!(it.contains("resources: {vcpu: 2, memory_gib: 8}"), "{it}");
}

#[test]
fn a_cmdb_export_gives_applications_departments_and_dependencies() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("cmdb_ci.csv"),
        "Name,Class,Support group,Environment,Operational status\n\
Tax Filing,Application,Financial Services Bureau,Production,Operational\n\
Identity,Business Service,DSI,Production,Operational\n\
taxweb01,Linux Server,Financial Services Bureau,Production,Operational\n\
taxdb01,Database Server,Financial Services Bureau,Production,Operational\n\
idsrv01,Windows Server,DSI,Production,Operational\n\
oldsrv01,Windows Server,DSI,Production,Retired\n",
    )
    .unwrap();
    std::fs::write(
        t.path().join("cmdb_rel_ci.csv"),
        "Parent,Type,Child\n\
Tax Filing,Runs on::Runs,taxweb01\n\
Tax Filing,Runs on::Runs,taxdb01\n\
Identity,Runs on::Runs,idsrv01\n\
Tax Filing,Depends on::Used by,Identity\n\
taxweb01,Members::Member of,cluster-9\n",
    )
    .unwrap();
    std::fs::write(
        t.path().join("map.yaml"),
        "department_names:\n  DSF: Financial Services Bureau\n",
    )
    .unwrap();
    let err = import_ok(
        t.path(),
        &[
            "--map",
            "map.yaml",
            "-o",
            "inv",
            "--report",
            "r.json",
            "cmdb_ci.csv",
            "cmdb_rel_ci.csv",
        ],
    );
    assert!(
        err.contains("cmdb_ci.csv: CMDB configuration items, 6 rows"),
        "{err}"
    );
    assert!(
        err.contains("cmdb_rel_ci.csv: CMDB relationships, 5 rows"),
        "{err}"
    );
    let dsf = read(t.path().join("inv/dsf.yaml"));
    assert!(dsf.contains("  - id: dsf-tax-filing\n"), "{dsf}");
    assert!(dsf.contains("hosts: [taxdb01, taxweb01]"), "{dsf}");
    assert!(
        dsf.contains("- {service: dsi-identity, order: any, traffic: 0}"),
        "{dsf}"
    );
    let dsi = read(t.path().join("inv/dsi.yaml"));
    assert!(dsi.contains("  - id: dsi-oldsrv01\n"), "{dsi}");
    assert!(dsi.contains("strategy: retire"), "{dsi}");
    let review = json(t.path().join("r.json"));
    assert_eq!(
        review["flows"]["ignored"]["CMDB relationship `Members::Member of`"],
        1
    );
    validate(t.path(), &t.path().join("inv"));
}

#[test]
fn an_unknown_file_names_the_kinds_and_its_headers_and_writes_nothing() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("budget.csv"),
        "Year,Amount,Currency\n2019,10,MOP\n",
    )
    .unwrap();
    let Ran { code, err, .. } = import(t.path(), &["-o", "inv", "budget.csv"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("budget.csv:1:1: error: not an export waveplan knows"),
        "{err}"
    );
    assert!(err.contains("`Year`, `Amount`, `Currency`"), "{err}");
    assert!(err.contains("RVTools vInfo"), "{err}");
    assert!(!t.path().join("inv").exists());
    // A corrupt workbook is a clear error too.
    let mut junk = b"PK\x03\x04".to_vec();
    junk.extend(std::iter::repeat_n(7u8, 300));
    std::fs::write(t.path().join("vms.xlsx"), junk).unwrap();
    let Ran { code, err, .. } = import(t.path(), &["-o", "inv", "vms.xlsx"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("vms.xlsx"), "{err}");
    assert!(!t.path().join("inv").exists());
}

#[test]
fn a_bad_map_file_is_located() {
    let t = tempfile::tempdir().unwrap();
    estate(t.path());
    std::fs::write(
        t.path().join("bad.yaml"),
        "departments:\n  - {folder: '^(/DSF', code: DSF}\nflows:\n  shared_platfrom_share: 0.5\n",
    )
    .unwrap();
    let Ran { code, err, .. } = import(t.path(), &["--map", "bad.yaml", "-o", "inv", "vinfo.csv"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("bad.yaml:2:14: error:"), "{err}");
    assert!(err.contains("not a valid regular expression"), "{err}");
    assert!(
        err.contains("did you mean `shared_platform_share`?"),
        "{err}"
    );
    assert!(!t.path().join("inv").exists());
}

#[test]
fn colliding_names_get_distinct_ids_and_the_review_says_so() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("list.csv"),
        "Server,Application,vCPU\nweb1,Tax Portal,2\nweb2,tax_portal,2\nweb3,Tax  Portal!,2\n",
    )
    .unwrap();
    import_ok(
        t.path(),
        &[
            "--department",
            "DSF",
            "-o",
            "inv",
            "--report",
            "r.json",
            "list.csv",
        ],
    );
    let dsf = read(t.path().join("inv/dsf.yaml"));
    // `Tax Portal` and `Tax  Portal!` slug alike; `tax_portal` keeps its underscore.
    assert!(dsf.contains("  - id: dsf-tax-portal\n"), "{dsf}");
    assert!(dsf.contains("  - id: dsf-tax-portal-2\n"), "{dsf}");
    assert!(dsf.contains("  - id: dsf-tax_portal\n"), "{dsf}");
    let review = json(t.path().join("r.json"));
    assert_eq!(review["renamed"].as_array().unwrap().len(), 1, "{review}");
}

#[test]
fn move_groups_are_suggested_from_traffic_and_can_be_accepted() {
    let t = tempfile::tempdir().unwrap();
    let names = ["a1", "a2", "a3", "b1", "b2", "b3"];
    let mut list = String::from("Server,vCPU,Memory GB,IP\n");
    for (i, n) in names.iter().enumerate() {
        list.push_str(&format!("{n},2,4,192.0.2.{}\n", i + 1));
    }
    std::fs::write(t.path().join("list.csv"), list).unwrap();
    let mut flows = Vec::new();
    // Two chatty triangles, one light link between them.
    for (a, b) in [
        ("a1", "a2"),
        ("a2", "a3"),
        ("a1", "a3"),
        ("b1", "b2"),
        ("b2", "b3"),
        ("b1", "b3"),
    ] {
        for _ in 0..5 {
            flows.push((a, "", b, "", 443));
        }
    }
    flows.push(("a1", "", "b1", "", 443));
    std::fs::write(t.path().join("flows.csv"), flows_csv(&flows)).unwrap();
    import_ok(
        t.path(),
        &[
            "--department",
            "APP",
            "-o",
            "inv",
            "--report",
            "r.json",
            "list.csv",
            "flows.csv",
        ],
    );
    let app = read(t.path().join("inv/app.yaml"));
    assert_eq!(
        app.matches("# move_group: app-a1-group").count(),
        3,
        "{app}"
    );
    assert_eq!(
        app.matches("# move_group: app-b1-group").count(),
        3,
        "{app}"
    );
    let review = json(t.path().join("r.json"));
    let share = review["move_groups"][0]["kept_share"].as_f64().unwrap();
    assert!((share - 15.0 / 16.0).abs() < 1e-9, "{share}");
    // A re-import leaves the suggestions where they are.
    import_ok(
        t.path(),
        &["--department", "APP", "-o", "inv", "list.csv", "flows.csv"],
    );
    assert_eq!(app, read(t.path().join("inv/app.yaml")));
    // Accepting the suggestions is uncommenting them.
    std::fs::write(
        t.path().join("inv/app.yaml"),
        app.replace("# move_group:", "move_group:"),
    )
    .unwrap();
    validate(t.path(), &t.path().join("inv"));
    // A re-import keeps the accepted groups and writes no new suggestion beside them.
    import_ok(
        t.path(),
        &["--department", "APP", "-o", "inv", "list.csv", "flows.csv"],
    );
    let again = read(t.path().join("inv/app.yaml"));
    assert_eq!(
        again.matches("move_group: app-a1-group").count(),
        3,
        "{again}"
    );
    assert!(!again.contains("# move_group:"), "{again}");
}

#[test]
fn unknown_endpoints_can_be_kept_as_placeholders() {
    let t = tempfile::tempdir().unwrap();
    estate(t.path());
    import_ok(
        t.path(),
        &[
            "--map",
            "map.yaml",
            "--keep-unknown",
            "-o",
            "inv",
            "--report",
            "r.json",
            "vinfo.csv",
            "dependencies.csv",
        ],
    );
    let unassigned = read(t.path().join("inv/unassigned.yaml"));
    assert!(
        unassigned.contains("  - id: unassigned-198.51.100.77\n"),
        "{unassigned}"
    );
    assert!(unassigned.contains("placeholder"), "{unassigned}");
    let dsi = read(t.path().join("inv/dsi.yaml"));
    assert!(
        dsi.contains("{service: unassigned-198.51.100.77, order: any, traffic: 1}"),
        "{dsi}"
    );
    let review = json(t.path().join("r.json"));
    assert_eq!(
        review["flows"]["unknown"][0]["imported_as"],
        "unassigned-198.51.100.77"
    );
    validate(t.path(), &t.path().join("inv"));
}

#[test]
fn round_trip_generated_estate_to_a_verified_plan() {
    let t = tempfile::tempdir().unwrap();
    let estate = synthetic::estate(400, 8, 4000, 3);
    std::fs::write(t.path().join("vinfo.csv"), estate.rvtools_csv()).unwrap();
    std::fs::write(t.path().join("deps.csv"), estate.flows_csv()).unwrap();
    std::fs::write(t.path().join("map.yaml"), synthetic::Estate::map_yaml()).unwrap();
    import_ok(
        t.path(),
        &[
            "--map",
            "map.yaml",
            "-o",
            "inv",
            "--report",
            "review.md",
            "vinfo.csv",
            "deps.csv",
        ],
    );
    validate(t.path(), &t.path().join("inv"));
    let plan = t.path().join("p.plan.yaml");
    let made = Ran::of(
        waveplan(t.path())
            .args(["plan", "--effort", "200", "-i", "inv", "-s"])
            .arg(root().join("plans/imported-estate.yaml"))
            .arg("-o")
            .arg(&plan),
    );
    assert!(matches!(made.code, Some(0 | 3)), "{}", made.err);
    let verified = Ran::of(
        waveplan(t.path())
            .args(["verify", "-i", "inv", "-s"])
            .arg(root().join("plans/imported-estate.yaml"))
            .arg(&plan),
    );
    assert_eq!(verified.code, Some(0), "{}", verified.out);
    // Every VM is accounted for: in a service's hosts, or skipped with a reason.
    let inv: String = all_files(&t.path().join("inv"))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    for vm in &estate.vms {
        assert!(inv.contains(&vm.name), "{} is missing", vm.name);
    }
}

#[test]
fn sources_about_the_same_servers_are_merged_and_the_review_says_which_gave_what() {
    let t = tempfile::tempdir().unwrap();
    let vms = [
        vm("taxweb01", "/x", "192.0.2.1"),
        vm("taxdb01", "/x", "192.0.2.2"),
    ];
    std::fs::write(t.path().join("vinfo.csv"), vinfo_csv(&vms)).unwrap();
    // The CMDB spells the names with their domain and in capitals, and knows the owners.
    std::fs::write(
        t.path().join("cmdb_ci.csv"),
        "Name,Class,Support group,Environment\n\
TAXWEB01.gov.example,Linux Server,DSF,Production\n\
taxdb01.gov.example,Database Server,DSF,Production\n",
    )
    .unwrap();
    import_ok(
        t.path(),
        &[
            "-o",
            "inv",
            "--report",
            "r.json",
            "vinfo.csv",
            "cmdb_ci.csv",
        ],
    );
    let dsf = read(t.path().join("inv/dsf.yaml"));
    assert_eq!(dsf.matches("  - id: ").count(), 2, "{dsf}");
    assert!(dsf.contains("  - id: dsf-taxweb01\n"), "{dsf}");
    assert!(dsf.contains("environment: [Production]"), "{dsf}");
    assert!(dsf.contains("sources: [cmdb_ci.csv, vinfo.csv]"), "{dsf}");
    let review = json(t.path().join("r.json"));
    let p = review["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["service"] == "dsf-taxweb01")
        .unwrap();
    assert_eq!(p["fields"]["vcpu"][0], "vinfo.csv", "{p}");
    assert_eq!(p["fields"]["environment"][0], "cmdb_ci.csv", "{p}");
    assert_eq!(p["fields"]["department"][0], "cmdb_ci.csv", "{p}");
}

#[test]
fn a_dry_run_writes_nothing_and_a_column_can_name_the_services() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("list.csv"),
        "Server,System,vCPU\nweb1,Ledger,2\nweb2,Ledger,4\ndb1,Payroll,8\n",
    )
    .unwrap();
    std::fs::write(t.path().join("map.yaml"), "services: {column: System}\n").unwrap();
    let Ran { code, err, .. } = import(
        t.path(),
        &[
            "--map",
            "map.yaml",
            "--department",
            "FIN",
            "--dry-run",
            "-o",
            "inv",
            "list.csv",
        ],
    );
    assert_eq!(code, Some(0));
    assert!(err.contains("would write inv/fin.yaml"), "{err}");
    assert!(!t.path().join("inv").exists());
    let Ran { code, .. } = import(
        t.path(),
        &[
            "--map",
            "map.yaml",
            "--department",
            "FIN",
            "-o",
            "inv",
            "list.csv",
        ],
    );
    assert_eq!(code, Some(0));
    let fin = read(t.path().join("inv/fin.yaml"));
    assert!(fin.contains("  - id: fin-ledger\n"), "{fin}");
    assert!(fin.contains("resources: {vcpu: 6}"), "{fin}");
    assert!(fin.contains("hosts: [web1, web2]"), "{fin}");
    assert!(fin.contains("  - id: fin-payroll\n"), "{fin}");
}
