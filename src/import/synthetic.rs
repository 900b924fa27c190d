//! A synthetic estate and its exports (RVTools vInfo CSV, Azure Migrate flows CSV), for the
//! round-trip tests and the import benchmark. Invented names only: no real organisation's data.

use std::fmt::Write as _;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The RVTools vInfo header (93 columns), as RVTools writes it.
pub const RVTOOLS_HEADER: &str = "VM,Powerstate,Template,SRM Placeholder,Config status,DNS Name,Connection state,Guest state,Heartbeat,Consolidation Needed,PowerOn,Suspended To Memory,Suspend time,Suspend Interval,Creation date,Change Version,CPUs,Overall Cpu Readiness,Memory,Active Memory,NICs,Disks,Total disk capacity MiB,Fixed Passthru HotPlug,min Required EVC Mode Key,Latency Sensitivity,Op Notification Timeout,EnableUUID,CBT,Primary IP Address,Network #1,Network #2,Network #3,Network #4,Network #5,Network #6,Network #7,Network #8,Num Monitors,Video Ram KiB,Resource pool,Folder ID,Folder,vApp,DAS protection,FT State,FT Role,FT Latency,FT Bandwidth,FT Sec. Latency,Vm Failover In Progress,Provisioned MiB,In Use MiB,Unshared MiB,HA Restart Priority,HA Isolation Response,HA VM Monitoring,Cluster rule(s),Cluster rule name(s),Boot Required,Boot delay,Boot retry delay,Boot retry enabled,Boot BIOS setup,Reboot PowerOff,EFI Secure boot,Firmware,HW version,HW upgrade status,HW upgrade policy,HW target,Path,Log directory,Snapshot directory,Suspend directory,Annotation,Backup status,ClusterInvariantVMMId,Last backup,Datacenter,Cluster,Host,OS according to the configuration file,OS according to the VMware Tools,Customization Info,Guest Detailed Data,VM ID,SMBIOS UUID,VM UUID,VI SDK Server type,VI SDK API Version,VI SDK Server,VI SDK UUID";

/// The newer Azure Migrate dependency header, with connection counts.
pub const FLOWS_HEADER: &str = "Date,Source Appliance Name,Source Machine ARM ID,Source Server Name,Source IP,Source Application,Source Process,Destination Machine ARM ID,Destination Server Name,Destination IP,Destination Application,Destination Process,Destination Port,Connection Count";

/// One synthetic VM.
#[derive(Debug, Clone)]
pub struct Vm {
    /// Name, `<dept>-<app>-NN` in lowercase.
    pub name: String,
    /// Department code (upper case).
    pub department: String,
    /// Application (the service it belongs to).
    pub app: String,
    /// vCPUs.
    pub cpus: u32,
    /// Memory in MiB.
    pub memory_mib: u64,
    /// Provisioned MiB.
    pub provisioned_mib: u64,
    /// In-use MiB.
    pub in_use_mib: u64,
    /// Powered on.
    pub on: bool,
    /// IPv4 address in the documentation range.
    pub ip: String,
}

/// A synthetic estate: VMs and client → server flows between them.
#[derive(Debug, Clone)]
pub struct Estate {
    /// The VMs; the first is the shared DNS server every VM talks to.
    pub vms: Vec<Vm>,
    /// Flows as (client VM, server VM, port, connections).
    pub flows: Vec<(usize, usize, u32, u32)>,
}

/// Makes an estate of `vms` VMs in `departments` departments and about `flows` flow rows.
#[must_use]
pub fn estate(vms: usize, departments: usize, flows: usize, seed: u64) -> Estate {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let departments = departments.max(1);
    let mut out = Vec::with_capacity(vms);
    out.push(Vm {
        name: "core-dns-01".to_owned(),
        department: "CORE".to_owned(),
        app: "dns".to_owned(),
        cpus: 2,
        memory_mib: 4096,
        provisioned_mib: 40960,
        in_use_mib: 8192,
        on: true,
        ip: "198.18.0.1".to_owned(),
    });
    let mut app = 0usize;
    while out.len() < vms {
        let dept = format!("D{:02}", rng.random_range(0..departments));
        let size = rng.random_range(1..=4usize).min(vms - out.len());
        let on = rng.random_range(0..40) != 0;
        for k in 0..size {
            let i = out.len();
            out.push(Vm {
                name: format!("{}-app{app}-{:02}", dept.to_lowercase(), k + 1),
                department: dept.clone(),
                app: format!("app{app}"),
                cpus: 1 << rng.random_range(0..4),
                memory_mib: 1024 << rng.random_range(1..6),
                provisioned_mib: 10240 * rng.random_range(2..50u64),
                in_use_mib: 1024 * rng.random_range(5..400u64),
                on,
                ip: format!("198.18.{}.{}", 1 + i / 250, 1 + i % 250),
            });
        }
        app += 1;
    }
    let n = out.len();
    let mut flows_out = Vec::with_capacity(flows);
    // Everyone asks DNS; then traffic mostly inside an application and to a few neighbours.
    for c in 1..n {
        if flows_out.len() < flows {
            flows_out.push((c, 0, 53, rng.random_range(1..500)));
        }
    }
    while flows_out.len() < flows && n > 2 {
        let c = rng.random_range(1..n);
        let s = if rng.random_range(0..3) == 0 {
            rng.random_range(1..n)
        } else {
            (c + rng.random_range(1..6)).min(n - 1)
        };
        if s != c {
            flows_out.push((
                c,
                s,
                [443, 1521, 5432, 8080][rng.random_range(0..4)],
                rng.random_range(1..200),
            ));
        }
    }
    Estate {
        vms: out,
        flows: flows_out,
    }
}

impl Estate {
    /// The RVTools vInfo export as CSV.
    #[must_use]
    pub fn rvtools_csv(&self) -> String {
        let columns: Vec<&str> = RVTOOLS_HEADER.split(',').collect();
        let mut s = String::with_capacity(self.vms.len() * 400);
        s.push_str(RVTOOLS_HEADER);
        s.push('\n');
        for vm in &self.vms {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| match *c {
                    "VM" | "DNS Name" => vm.name.clone(),
                    "Powerstate" => if vm.on { "poweredOn" } else { "poweredOff" }.to_owned(),
                    "Template" => "False".to_owned(),
                    "CPUs" => vm.cpus.to_string(),
                    "Memory" => vm.memory_mib.to_string(),
                    "Provisioned MiB" | "Total disk capacity MiB" => vm.provisioned_mib.to_string(),
                    "In Use MiB" => vm.in_use_mib.to_string(),
                    "Primary IP Address" => vm.ip.clone(),
                    "Folder" => format!("/{}/{}", vm.department, vm.app),
                    "Resource pool" => format!("Resources/{}", vm.department),
                    "Datacenter" => "DC-A".to_owned(),
                    "Cluster" => "CL-1".to_owned(),
                    "OS according to the configuration file" => {
                        "Red Hat Enterprise Linux 8 (64-bit)".to_owned()
                    }
                    _ => String::new(),
                })
                .collect();
            s.push_str(&cells.join(","));
            s.push('\n');
        }
        s
    }

    /// The dependency export (newer Azure Migrate layout) as CSV.
    #[must_use]
    pub fn flows_csv(&self) -> String {
        let mut s = String::with_capacity(self.flows.len() * 160);
        s.push_str(FLOWS_HEADER);
        s.push('\n');
        for &(c, v, port, count) in &self.flows {
            let (a, b) = (&self.vms[c], &self.vms[v]);
            let _ = writeln!(
                s,
                "2019-03-01,appliance-1,,{},{},{},proc-{},,{},{},{},svc-{},{port},{count}",
                a.name, a.ip, a.app, a.app, b.name, b.ip, b.app, b.app
            );
        }
        s
    }

    /// A map file that places VMs by folder and groups them by application name.
    #[must_use]
    pub fn map_yaml() -> &'static str {
        "departments:\n  - {folder: '^/(?P<code>[A-Z][A-Z0-9]+)/'}\nservices:\n  pattern: '^(?P<service>[a-z0-9]+-app[0-9]+)-[0-9]+$'\n"
    }
}
