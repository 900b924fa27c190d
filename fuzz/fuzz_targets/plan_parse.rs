//! Fuzzes the plan-file reader alone (parse and shape checks, no verify) through `waveplan::fuzzing::plan_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::plan_parse(data));
