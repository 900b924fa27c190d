//! Fuzzes the plan reader (and what runs on its output) through `waveplan::fuzzing::plan`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::plan(data));
