//! The schema of a department file (`inventories/*.yaml`, docs/inventory-format.md), built on
//! `load::inventory`'s field lists and word tables.

use serde_json::{Value, json};

use super::parts::{
    Style, anything, boolean, choice, code, count_capacity, date, id, list, map_of, name,
    name_keys, number, object, prop, text, wave_count, with,
};
use crate::load::inventory::{
    BLACKOUT_FIELDS, CRITICALITIES, DEPARTMENT_FIELDS, EDGE_FIELDS, FILE_FIELDS, ORDERS,
    RESOURCE_FIELDS, SERVICE_FIELDS, SITES, STATUSES, STRATEGIES,
};
use crate::model::{Order, Status};

/// The schema's body (the file object).
pub(super) fn body() -> Value {
    object(
        Style::Loader,
        &FILE_FIELDS,
        vec![
            prop(
                "department",
                "The department this file describes: one department per file.",
                department(),
            ),
            prop(
                "services",
                "The department's services. May be left out or empty (a warning).",
                list(service()),
            ),
        ],
        &["department"],
    )
}

fn department() -> Value {
    object(
        Style::Loader,
        &DEPARTMENT_FIELDS,
        vec![
            prop(
                "code",
                "Department code: an uppercase letter, then 1-15 of A-Z, 0-9, `-`; not a reserved word; unique across all files.",
                code(),
            ),
            prop("name", "The department's name.", text()),
            prop(
                "local_name",
                "The department's name in the local language (any UTF-8).",
                text(),
            ),
            prop(
                "max_cutovers_per_wave",
                "Most cutovers of this department in one wave, or `unlimited`; replaces the scenario's `capacity.per_department` for it (0 forbids any cutover).",
                count_capacity(),
            ),
            prop(
                "blackouts",
                "Date ranges in which none of the department's services may occupy a wave (both days included).",
                list(blackout()),
            ),
            prop(
                "meta",
                "Free-form facts no rule reads (provenance for planners); not checked.",
                anything(),
            ),
        ],
        &["code", "name"],
    )
}

fn blackout() -> Value {
    object(
        Style::Loader,
        &BLACKOUT_FIELDS,
        vec![
            prop("from", "First day of the blackout (YYYY-MM-DD).", date()),
            prop(
                "to",
                "Last day of the blackout (YYYY-MM-DD), not before `from`.",
                date(),
            ),
            prop(
                "reason",
                "Why the department is closed to migrations.",
                text(),
            ),
        ],
        &["from", "to"],
    )
}

fn service() -> Value {
    let s = object(
        Style::Loader,
        &SERVICE_FIELDS,
        vec![
            prop(
                "id",
                "Service id: a lowercase letter, then up to 63 of a-z, 0-9, `.`, `_`, `-`; not a reserved word; unique across all files.",
                id(),
            ),
            prop("name", "The service's name.", text()),
            prop("site", "Where the service runs today.", choice(&SITES)),
            prop(
                "strategy",
                "How it moves (default `rehost`); `retire` and `retain` services do not migrate.",
                choice(&STRATEGIES),
            ),
            prop(
                "criticality",
                "Default `medium`; critical services wait for `rules.critical_not_before_wave`.",
                choice(&CRITICALITIES),
            ),
            prop(
                "resources",
                "Held on the production cloud from the start wave on, against `capacity.target` (each default 0).",
                resources(),
            ),
            prop(
                "data_gib",
                "GiB copied over the whole migration, spread evenly over its waves (default 0).",
                number(),
            ),
            prop(
                "effort",
                "Person-days per team over the whole migration, spread evenly over its waves; team names are free but not reserved words.",
                map_of(name_keys(), number()),
            ),
            prop(
                "duration_waves",
                "Consecutive waves the migration occupies, at least 1 (default 1).",
                wave_count(),
            ),
            prop(
                "depends_on",
                "The services this one needs: a bare id, or a mapping with `service`, `order`, `traffic`, `latency_sensitive`.",
                list(json!({"anyOf": [id(), edge()]})),
            ),
            prop(
                "move_group",
                "Name of a move group: every migrating member cuts over in one wave. Names are global across files.",
                name(),
            ),
            prop(
                "not_before",
                "The start wave must begin on or after this day (YYYY-MM-DD).",
                date(),
            ),
            prop(
                "deadline",
                "The cutover wave must end on or before this day (YYYY-MM-DD).",
                date(),
            ),
            prop(
                "status",
                "`migrated` services are already in production (default `planned`).",
                choice(&STATUSES),
            ),
            prop(
                "migrated_on",
                "The day a `migrated` service moved (YYYY-MM-DD); required with `status: migrated`, not allowed otherwise.",
                date(),
            ),
            prop("tags", "Free labels.", list(text())),
            prop(
                "meta",
                "Free-form facts no rule reads (hosts, source of an import, notes); not checked.",
                anything(),
            ),
        ],
        &["id", "name", "site"],
    );
    // `migrated_on` exactly when `status: migrated` (`missing-migrated-on`,
    // `unexpected-migrated-on`); null is absent, as everywhere.
    let migrated = status_word(Status::Migrated);
    let s = with(
        s,
        "if",
        json!({"required": ["status"], "properties": {"status": {"const": migrated}}}),
    );
    let s = with(
        s,
        "then",
        json!({"required": ["migrated_on"], "properties": {"migrated_on": {"type": "string"}}}),
    );
    with(
        s,
        "else",
        json!({"properties": {"migrated_on": {
            "type": "null",
            "errorMessage": "`migrated_on` goes only with `status: migrated`"
        }}}),
    )
}

fn status_word(status: Status) -> &'static str {
    STATUSES
        .iter()
        .find(|(_, s)| *s == status)
        .map_or("", |(w, _)| w)
}

fn resources() -> Value {
    let what = [
        ("vcpu", "vCPUs (a decimal)."),
        ("memory_gib", "Memory, GiB."),
        ("storage_gib", "Storage, GiB."),
    ];
    object(
        Style::Loader,
        &RESOURCE_FIELDS,
        what.into_iter()
            .map(|(n, d)| prop(n, d, number()))
            .collect(),
        &[],
    )
}

fn edge() -> Value {
    let e = object(
        Style::Loader,
        &EDGE_FIELDS,
        vec![
            prop(
                "service",
                "The id of the service depended on (any file).",
                id(),
            ),
            prop(
                "order",
                "`together-or-before`: it cuts over in this one's cutover wave or earlier; `strictly-before`: before this one's start wave; `any`: no order. Default: the scenario's `rules.dependency_order`.",
                choice(&ORDERS),
            ),
            prop(
                "traffic",
                "Weight of the link in the split cost (default 1).",
                number(),
            ),
            prop(
                "latency_sensitive",
                "Both ends must cut over in the same wave (default false).",
                boolean(),
            ),
        ],
        &["service"],
    );
    // An explicit `strictly-before` on a latency-sensitive edge can never hold
    // (`latency-strictly-before`); the scenario's default order is the loader's to check.
    // The other words are listed rather than this one refused, so the editor names them.
    let mut others: Vec<Value> = ORDERS
        .iter()
        .filter(|(_, o)| *o != Order::StrictlyBefore)
        .map(|(w, _)| json!(w))
        .collect();
    others.push(Value::Null);
    let e = with(
        e,
        "if",
        json!({"required": ["latency_sensitive"], "properties": {"latency_sensitive": {"const": true}}}),
    );
    with(
        e,
        "then",
        json!({"properties": {"order": {"enum": others}}}),
    )
}
