//! Fuzzes the inventory reader (and what runs on its output) through `waveplan::fuzzing::inventory`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::inventory(data));
