//! A small builder for test inventories: services by id, edges by id, a few knobs.

use jiff::civil::date;

use crate::model::DeptIx;
use crate::model::{Department, Edge, Inventory, Order, Scenario, Service, ServiceIx, Site};

/// Builds an [`Inventory`] a line per service or edge.
pub(crate) struct Inv {
    pub(crate) inv: Inventory,
}

impl Inv {
    /// Two departments, `ADM` and `FIN-2`, and no services.
    pub(crate) fn new() -> Self {
        let dept = |code: &str, name: &str| Department {
            code: code.to_owned(),
            name: name.to_owned(),
            local_name: None,
            max_cutovers_per_wave: None,
            blackouts: Vec::new(),
            file: 0,
        };
        let inv = Inventory {
            departments: vec![
                dept("ADM", "Administration"),
                dept("FIN-2", "Finance \"two\""),
            ],
            ..Inventory::default()
        };
        Self { inv }
    }

    /// Adds migrating data-centre services of department 0, duration 1.
    pub(crate) fn svcs(mut self, ids: &[&str]) -> Self {
        for id in ids {
            self.inv.services.push(Service::planned(id, DeptIx::new(0)));
        }
        self
    }

    /// Changes one service.
    pub(crate) fn with(mut self, id: &str, f: impl FnOnce(&mut Service)) -> Self {
        let s = self.ix(id);
        f(&mut self.inv.services[s]);
        self
    }

    /// `a depends_on b` with the scenario's default order.
    pub(crate) fn dep(self, a: &str, b: &str) -> Self {
        self.edge(a, b, None, false)
    }

    /// `a depends_on b` with an explicit order and latency flag.
    pub(crate) fn edge(mut self, a: &str, b: &str, order: Option<Order>, latency: bool) -> Self {
        let (a, b) = (self.ix(a), self.ix(b));
        self.inv.services[a].depends_on.push(Edge {
            target: b,
            order,
            traffic: 1.0,
            latency_sensitive: latency,
        });
        self
    }

    /// A latency-sensitive `a depends_on b` with order `any`.
    pub(crate) fn latency(self, a: &str, b: &str) -> Self {
        self.edge(a, b, Some(Order::Any), true)
    }

    /// Puts `id` in move group `g`.
    pub(crate) fn group(self, id: &str, g: &str) -> Self {
        self.with(id, |s| s.move_group = Some(g.to_owned()))
    }

    /// Moves `id` to the production cloud, so it no longer migrates.
    pub(crate) fn in_production(self, id: &str) -> Self {
        self.with(id, |s| s.site = Site::ProductionCloud)
    }

    /// Edges `a -> b`, `b -> c`, ... along `ids`.
    pub(crate) fn chain(mut self, ids: &[&str]) -> Self {
        for w in ids.windows(2) {
            self = self.dep(w[0], w[1]);
        }
        self
    }

    /// The index of `id`.
    pub(crate) fn ix(&self, id: &str) -> ServiceIx {
        self.inv
            .find(id)
            .unwrap_or_else(|| panic!("no service {id}"))
    }

    /// The finished inventory.
    pub(crate) fn build(self) -> Inventory {
        self.inv
    }
}

/// The default scenario.
pub(crate) fn scenario() -> Scenario {
    Scenario::defaults(date(2019, 1, 7))
}

/// Service ids of a list of indices.
pub(crate) fn ids(inv: &Inventory, v: &[ServiceIx]) -> Vec<String> {
    v.iter().map(|&s| inv.services[s].id.to_string()).collect()
}

/// Service ids of a list of lists.
pub(crate) fn idss(inv: &Inventory, v: &[Vec<ServiceIx>]) -> Vec<Vec<String>> {
    v.iter().map(|g| ids(inv, g)).collect()
}
