//! Fuzzes the scenario reader and its `extends` chain alone (parse and validate, no planning) through `waveplan::fuzzing::scenario_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::scenario_parse(data));
