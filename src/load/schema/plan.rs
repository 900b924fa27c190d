//! The schema of a plan file (SPEC 6, docs/plan-format.md). Plans are read by serde into
//! `model::Plan`, so each object's property names are the field names serde reads for its
//! struct ([`serde_fields`]); like the reader, the schema lets unknown fields pass (plans may
//! gain fields) and accepts null only where a field is optional.

use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde_json::{Value, json};

use super::parts::{
    Style, boolean, date, float, list, map_of, nullable, object, plan_wave, prop, string,
    u32_value, u64_value,
};
use crate::model::{
    Binding, BoundPart, BoundReason, Plan, PlanGenerator, PlanService, PlanSummary, PlanWave,
    PlanWaveLoad, TargetUsed, TransitionCost, Unscheduled,
};

/// The schema's body (the file object).
pub(super) fn body() -> Value {
    object(
        Style::Serde,
        serde_fields::<Plan>(),
        vec![
            prop(
                "format",
                "The format and its version: `waveplan-plan/1`.",
                string(),
            ),
            prop("scenario", "The scenario's `name`.", string()),
            prop(
                "inventory_sha256",
                "Lowercase hex SHA-256 of the inventory files' bytes, concatenated in file-name order.",
                string(),
            ),
            prop(
                "scenario_sha256",
                "Lowercase hex SHA-256 of the scenario file's bytes, then each file's up its `extends` chain.",
                string(),
            ),
            prop(
                "generator",
                "How to reproduce the file: the program, `--seed` and `--effort`.",
                nullable(generator()),
            ),
            prop(
                "overrides",
                "The `--set KEY=VALUE` strings the plan was made with, in the order applied; absent when none.",
                list(string()),
            ),
            prop("summary", "The headline numbers.", summary()),
            prop(
                "waves",
                "Waves 1 to `summary.waves`, each once, in order, frozen ones included.",
                list(wave()),
            ),
            prop(
                "services",
                "Every scheduled service, sorted by id.",
                list(service()),
            ),
            prop(
                "unscheduled",
                "Every migrating service not scheduled, sorted by id, with the rule that kept it out.",
                list(unscheduled()),
            ),
        ],
        &[
            "format",
            "scenario",
            "inventory_sha256",
            "scenario_sha256",
            "summary",
            "waves",
            "services",
            "unscheduled",
        ],
    )
}

fn generator() -> Value {
    object(
        Style::Serde,
        serde_fields::<PlanGenerator>(),
        vec![
            prop("name", "`waveplan <version>`.", string()),
            prop("seed", "The search's `--seed`.", u64_value()),
            prop(
                "effort",
                "Schedules the search was given (`--effort`).",
                u64_value(),
            ),
        ],
        &["name", "seed", "effort"],
    )
}

fn summary() -> Value {
    object(
        Style::Serde,
        serde_fields::<PlanSummary>(),
        vec![
            prop("services_total", "Services in the inventory.", u64_value()),
            prop(
                "services_migrating",
                "Services that migrate: strategy not retire/retain, status planned, site not production-cloud.",
                u64_value(),
            ),
            prop(
                "services_scheduled",
                "Migrating services that got waves.",
                u64_value(),
            ),
            prop(
                "waves",
                "The makespan: the largest cutover wave (0 when nothing is scheduled).",
                plan_wave(),
            ),
            prop(
                "lower_bound_waves",
                "A proven lower bound on the makespan of any plan scheduling the same services.",
                plan_wave(),
            ),
            prop(
                "lower_bound_reason",
                "Which bound gives `lower_bound_waves`: its rule and one sentence with the numbers.",
                nullable(bound_reason()),
            ),
            prop(
                "lower_bound_parts",
                "What each rule alone forces, largest first.",
                list(bound_part()),
            ),
            prop(
                "binding",
                "Capacity rules full in at least one wave, and in how many.",
                list(binding()),
            ),
            prop(
                "split_cost",
                "Sum of traffic * |cutover(A) - cutover(B)| over the edges counted (docs/plan-format.md).",
                float(),
            ),
            prop(
                "transition_cost",
                "What running both sites costs over the plan's waves, by part, when the scenario has `costs:`.",
                nullable(transition_cost()),
            ),
            prop("start", "First day of wave 1.", date()),
            prop(
                "finish",
                "Last day of wave `waves`; null when `waves` is 0.",
                nullable(date()),
            ),
        ],
        &[
            "services_total",
            "services_migrating",
            "services_scheduled",
            "waves",
            "lower_bound_waves",
            "split_cost",
            "start",
        ],
    )
}

fn bound_reason() -> Value {
    object(
        Style::Serde,
        serde_fields::<BoundReason>(),
        vec![
            prop(
                "rule",
                "A rule name, `dependency chain` or `duration_waves`.",
                string(),
            ),
            prop("detail", "One sentence with the numbers.", string()),
        ],
        &["rule", "detail"],
    )
}

fn bound_part() -> Value {
    object(
        Style::Serde,
        serde_fields::<BoundPart>(),
        vec![
            prop("rule", "A rule name, as in `lower_bound_reason`.", string()),
            prop("waves", "The bound by that rule alone.", u32_value()),
        ],
        &["rule", "waves"],
    )
}

fn binding() -> Value {
    object(
        Style::Serde,
        serde_fields::<Binding>(),
        vec![
            prop("rule", "A capacity rule name.", string()),
            prop("waves", "Waves in which it is full.", u32_value()),
        ],
        &["rule", "waves"],
    )
}

fn transition_cost() -> Value {
    let part = |name, description| prop(name, description, float());
    object(
        Style::Serde,
        serde_fields::<TransitionCost>(),
        vec![
            prop(
                "currency",
                "`costs.currency`, when the scenario names one.",
                nullable(string()),
            ),
            part("total", "The sum of the parts."),
            part("datacenter", "Services in the data centre."),
            part("production", "Services on the production cloud."),
            part("pilot_cloud", "The pilot cloud while it runs."),
            part(
                "split_traffic",
                "Traffic between services at different sites.",
            ),
            part("cutovers", "One-off cutover costs."),
        ],
        &[
            "total",
            "datacenter",
            "production",
            "pilot_cloud",
            "split_traffic",
            "cutovers",
        ],
    )
}

fn wave() -> Value {
    object(
        Style::Serde,
        serde_fields::<PlanWave>(),
        vec![
            prop("wave", "The wave number.", plan_wave()),
            prop("start", "First day of the wave.", date()),
            prop("end", "Last day of the wave.", date()),
            prop(
                "frozen",
                "Whether the wave overlaps a calendar freeze.",
                boolean(),
            ),
            prop(
                "cutovers",
                "Ids of the services cutting over in this wave, sorted.",
                list(string()),
            ),
            prop("load", "The wave's load against the capacities.", load()),
            prop(
                "target_used",
                "Resources held by the services started by this wave.",
                target_used(),
            ),
        ],
        &[
            "wave",
            "start",
            "end",
            "frozen",
            "cutovers",
            "load",
            "target_used",
        ],
    )
}

fn load() -> Value {
    object(
        Style::Serde,
        serde_fields::<PlanWaveLoad>(),
        vec![
            prop("cutovers", "How many services cut over.", u32_value()),
            prop(
                "transfer_gib",
                "Data copied, GiB: sum of data_gib / duration_waves over the services occupying the wave.",
                float(),
            ),
            prop(
                "teams",
                "Person-days per team, every team named in capacity.teams or any effort.",
                map_of(json!({}), float()),
            ),
        ],
        &["cutovers", "transfer_gib", "teams"],
    )
}

fn target_used() -> Value {
    let used = |name, description| prop(name, description, float());
    object(
        Style::Serde,
        serde_fields::<TargetUsed>(),
        vec![
            used("vcpu", "vCPUs."),
            used("memory_gib", "Memory, GiB."),
            used("storage_gib", "Storage, GiB."),
        ],
        &["vcpu", "memory_gib", "storage_gib"],
    )
}

fn service() -> Value {
    object(
        Style::Serde,
        serde_fields::<PlanService>(),
        vec![
            prop("id", "Service id.", string()),
            prop("department", "Its department's code.", string()),
            prop("start_wave", "First wave it occupies.", plan_wave()),
            prop(
                "cutover_wave",
                "The wave it cuts over in: start_wave + duration_waves - 1.",
                plan_wave(),
            ),
        ],
        &["id", "department", "start_wave", "cutover_wave"],
    )
}

fn unscheduled() -> Value {
    object(
        Style::Serde,
        serde_fields::<Unscheduled>(),
        vec![
            prop("id", "Service id.", string()),
            prop(
                "rule",
                "The rule that made placement impossible (docs/plan-format.md lists them).",
                string(),
            ),
            prop("reason", "Why, with the numbers.", string()),
        ],
        &["id", "rule", "reason"],
    )
}

/// The field names serde reads for `T`, in declaration order: what serde's derive passes
/// to `deserialize_struct`, caught by a deserializer that reads nothing else. Empty for a
/// type that is not a plain struct (the tests compare every object with its fields).
pub(crate) fn serde_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that records the field list of the struct asked for and stops.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

/// Why [`FieldNames`] stops: it never yields a value.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("only field names are read")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Self
    }
}

impl<'de> de::Deserializer<'de> for FieldNames<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = fields;
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}
