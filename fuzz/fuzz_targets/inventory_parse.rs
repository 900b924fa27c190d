//! Fuzzes the inventory reader alone (parse and validate, no planning) through `waveplan::fuzzing::inventory_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::inventory_parse(data));
