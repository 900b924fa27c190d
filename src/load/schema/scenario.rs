//! The schema of a scenario file (`plans/*.yaml`, docs/inventory-format.md, docs/costs.md,
//! docs/risk.md), built on `load::scenario`'s field lists.
//!
//! A scenario that `extends` a parent may leave out what the parent gives (`calendar` and
//! its `start` and `wave_length_days`, the only required fields of mappings, which merge key
//! by key); lists replace the parent's whole, so their entries keep their required fields.

use serde_json::{Value, json};

use super::parts::{
    Prop, Style, capacity, choice, code_keys, count, count_capacity, date, id, id_keys, list,
    map_of, name_keys, non_empty_list, number, object, positive_count, positive_number,
    probability, prop, text, wave_count, with,
};
use crate::load::inventory::ORDERS;
use crate::load::scenario::{
    CALENDAR_FIELDS, CAPACITY_FIELDS, COST_FIELDS, FREEZE_FIELDS, OVERRUN_FIELDS,
    RISK_CRITICALITY_FIELDS, RISK_FIELDS, RISK_STRATEGY_FIELDS, RULE_FIELDS, SEASON_FIELDS,
    SITE_FIELDS, SITE_PRICE_FIELDS, SITE_RULE_FIELDS, TARGET_STEP_FIELDS, TOP_FIELDS,
};
use crate::model::{Overrun, RiskModel, Rules};

/// The schema's body (the file object).
pub(super) fn body() -> Value {
    let top = object(
        Style::Loader,
        &TOP_FIELDS,
        vec![
            prop(
                "name",
                "The scenario's name, never inherited; the plan is written to plans/<name>.plan.yaml. A lowercase letter, then up to 63 of a-z, 0-9, `.`, `_`, `-`; not a reserved word.",
                id(),
            ),
            prop(
                "description",
                "What the scenario is about (never inherited).",
                text(),
            ),
            prop(
                "extends",
                "Path of a parent scenario, relative to this file's directory: mappings merge key by key, lists and values replace, null changes nothing.",
                json!({"type": "string"}),
            ),
            prop(
                "calendar",
                "The waves: start, length, horizon, freezes. Required unless `extends` gives it.",
                calendar(),
            ),
            prop(
                "capacity",
                "Per-wave limits; a capacity left out is unlimited.",
                capacity_section(),
            ),
            prop(
                "sites",
                "Decommission dates of the sites services leave.",
                sites(),
            ),
            prop(
                "rules",
                "Edge defaults and the critical-service rule.",
                rules(),
            ),
            prop(
                "pins",
                "Service id -> the wave it must cut over in (if it is scheduled).",
                map_of(id_keys(), wave_count()),
            ),
            prop(
                "risk",
                "The uncertainty model `waveplan risk` simulates a plan under (docs/risk.md); never changes which plans are valid.",
                risk(),
            ),
            prop(
                "costs",
                "Prices of the transition, reported in the plan summary (docs/costs.md); never changes which plan is chosen.",
                costs(),
            ),
        ],
        &["name"],
    );
    // Without a parent the file itself must give the calendar's required fields.
    let top = with(
        top,
        "if",
        json!({"required": ["extends"], "properties": {"extends": {"type": "string"}}}),
    );
    with(
        top,
        "else",
        json!({
            "required": ["calendar"],
            "properties": {
                "calendar": {
                    "type": "object",
                    "required": ["start", "wave_length_days"],
                    "properties": {
                        "start": {"type": "string"},
                        "wave_length_days": {"type": "integer"}
                    }
                }
            }
        }),
    )
}

fn calendar() -> Value {
    object(
        Style::Loader,
        &CALENDAR_FIELDS,
        vec![
            prop("start", "First day of wave 1 (YYYY-MM-DD).", date()),
            prop(
                "wave_length_days",
                "Days in a wave, at least 1: wave k runs from start + (k-1)*length to start + k*length - 1.",
                positive_count(),
            ),
            prop(
                "max_waves",
                "The horizon: no service may occupy a later wave (default 520).",
                wave_count(),
            ),
            prop(
                "today",
                "No planned service may occupy a wave that starts before this day (YYYY-MM-DD).",
                date(),
            ),
            prop(
                "freezes",
                "Date ranges no service may occupy a wave overlapping (both days included).",
                list(freeze()),
            ),
        ],
        &[],
    )
}

fn freeze() -> Value {
    object(
        Style::Loader,
        &FREEZE_FIELDS,
        vec![
            prop("from", "First day of the freeze (YYYY-MM-DD).", date()),
            prop(
                "to",
                "Last day of the freeze (YYYY-MM-DD), not before `from`.",
                date(),
            ),
            prop("name", "What the freeze is for.", text()),
        ],
        &["from", "to"],
    )
}

fn capacity_section() -> Value {
    object(
        Style::Loader,
        &CAPACITY_FIELDS,
        vec![
            prop(
                "cutovers",
                "Most services cutting over in a wave: a count, `unlimited`, or a ramp (a non-empty list whose entry k limits wave k, the last repeating).",
                json!({"anyOf": [count(), {"const": "unlimited"}, non_empty_list(count_capacity())]}),
            ),
            prop(
                "per_department",
                "Most cutovers of one department in a wave (a department's `max_cutovers_per_wave` overrides it).",
                count_capacity(),
            ),
            prop(
                "transfer_gib",
                "Most data copied per wave, GiB, summed over the services occupying it.",
                capacity(),
            ),
            prop(
                "teams",
                "Team name -> person-days per wave, or `unlimited`; a team not listed is unlimited. Names match `effort` exactly.",
                map_of(name_keys(), capacity()),
            ),
            prop(
                "target",
                "The production cloud's capacity in steps, in strictly increasing `from` order; before the first step every resource is zero.",
                non_empty_list(target_step()),
            ),
        ],
        &[],
    )
}

fn target_step() -> Value {
    let resource = |name, description| prop(name, description, capacity());
    object(
        Style::Loader,
        &TARGET_STEP_FIELDS,
        vec![
            prop(
                "from",
                "The day the step takes effect (YYYY-MM-DD).",
                date(),
            ),
            resource("vcpu", "vCPUs available from `from` (left out: unlimited)."),
            resource("memory_gib", "Memory, GiB (left out: unlimited)."),
            resource("storage_gib", "Storage, GiB (left out: unlimited)."),
        ],
        &["from"],
    )
}

fn sites() -> Value {
    let site = |name, description| {
        prop(
            name,
            description,
            object(
                Style::Loader,
                &SITE_RULE_FIELDS,
                vec![prop(
                    "decommission_by",
                    "Every migrating service on this site must cut over in a wave that ends on or before this day (YYYY-MM-DD).",
                    date(),
                )],
                &[],
            ),
        )
    };
    object(
        Style::Loader,
        &SITE_FIELDS,
        vec![
            site("pilot-cloud", "The pilot cloud."),
            site("datacenter", "The data centre."),
        ],
        &[],
    )
}

fn rules() -> Value {
    let defaults = Rules::default();
    let order = ORDERS
        .iter()
        .find(|(_, o)| *o == defaults.dependency_order)
        .map_or("", |(w, _)| w);
    object(
        Style::Loader,
        &RULE_FIELDS,
        vec![
            prop(
                "dependency_order",
                "The order of every edge that names none.",
                with(choice(&ORDERS), "default", json!(order)),
            ),
            prop(
                "critical_not_before_wave",
                "Critical services may not cut over before this wave.",
                with(
                    wave_count(),
                    "default",
                    json!(defaults.critical_not_before_wave),
                ),
            ),
        ],
        &[],
    )
}

fn risk() -> Value {
    let d = RiskModel::default();
    let f = d.failure;
    let failure = |name, p: f64| {
        prop(
            name,
            "Probability that a first cutover attempt fails, 0..1.",
            with(probability(), "default", json!(p)),
        )
    };
    let c = d.criticality;
    let multiplier = |name, m: f64| {
        prop(
            name,
            "Failure multiplier, at least 0.",
            with(number(), "default", json!(m)),
        )
    };
    object(
        Style::Loader,
        &RISK_FIELDS,
        vec![
            prop(
                "failure",
                "First-attempt failure probability by strategy.",
                object(
                    Style::Loader,
                    &RISK_STRATEGY_FIELDS,
                    vec![
                        failure("rehost", f.rehost),
                        failure("replatform", f.replatform),
                        failure("refactor", f.refactor),
                        failure("repurchase", f.repurchase),
                    ],
                    &[],
                ),
            ),
            prop(
                "criticality",
                "Failure multiplier by criticality.",
                object(
                    Style::Loader,
                    &RISK_CRITICALITY_FIELDS,
                    vec![
                        multiplier("critical", c.critical),
                        multiplier("high", c.high),
                        multiplier("medium", c.medium),
                        multiplier("low", c.low),
                    ],
                    &[],
                ),
            ),
            prop(
                "departments",
                "Department code -> failure multiplier (1 for a department not listed).",
                map_of(code_keys(), number()),
            ),
            prop(
                "services",
                "Service id -> its own first-attempt failure probability, replacing the computed one.",
                map_of(id_keys(), probability()),
            ),
            prop(
                "retry",
                "Multiplier on the probability for each retry: attempt n fails with p * retry^n.",
                with(number(), "default", json!(d.retry)),
            ),
            prop(
                "seasons",
                "Attempts in a wave overlapping a season get its multiplier (overlapping seasons multiply).",
                list(season()),
            ),
            prop(
                "effort_overrun",
                "Log-normal factor on each service's team effort.",
                overrun(d.effort_overrun),
            ),
            prop(
                "data_overrun",
                "Log-normal factor on each service's data transfer.",
                overrun(d.data_overrun),
            ),
        ],
        &[],
    )
}

fn season() -> Value {
    object(
        Style::Loader,
        &SEASON_FIELDS,
        vec![
            prop("name", "What the season is.", text()),
            prop("from", "First day of the season (YYYY-MM-DD).", date()),
            prop(
                "to",
                "Last day of the season (YYYY-MM-DD), not before `from`.",
                date(),
            ),
            prop(
                "multiplier",
                "Failure multiplier in the waves it overlaps, at least 0.",
                number(),
            ),
        ],
        &["from", "to", "multiplier"],
    )
}

fn overrun(default: Overrun) -> Value {
    object(
        Style::Loader,
        &OVERRUN_FIELDS,
        vec![
            prop(
                "median",
                "Half the services take at most this times the estimate; above 0.",
                with(positive_number(), "default", json!(default.median)),
            ),
            prop(
                "p90",
                "Nine in ten take at most this times the estimate; not below `median` (equal: no spread).",
                with(number(), "default", json!(default.p90)),
            ),
        ],
        &[],
    )
}

fn costs() -> Value {
    let amount = |name, description| prop(name, description, number());
    let site = |name, description| prop(name, description, site_price());
    object(
        Style::Loader,
        &COST_FIELDS,
        vec![
            prop(
                "currency",
                "The currency the amounts are in, named in reports.",
                text(),
            ),
            site(
                "datacenter",
                "What a service costs per wave while it runs in the data centre.",
            ),
            site(
                "production",
                "What a service costs per wave once it runs on the production cloud.",
            ),
            amount(
                "pilot_cloud_per_wave",
                "The pilot cloud as a whole, per wave while a service still runs there.",
            ),
            amount(
                "split_traffic_per_wave",
                "Per unit of `traffic` and wave that a dependency's ends run at different sites.",
            ),
            amount("per_cutover", "One-off cost of each cutover."),
        ],
        &[],
    )
}

fn site_price() -> Value {
    let amount = |name, description| prop(name, description, number());
    let prices: Vec<Prop> = vec![
        amount("per_service", "Per service and wave."),
        amount("per_vcpu", "Per vCPU of `resources` and wave."),
        amount("per_memory_gib", "Per GiB of memory and wave."),
        amount("per_storage_gib", "Per GiB of storage and wave."),
    ];
    object(Style::Loader, &SITE_PRICE_FIELDS, prices, &[])
}
