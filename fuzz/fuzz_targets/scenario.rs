//! Fuzzes the scenario reader (and what runs on its output) through `waveplan::fuzzing::scenario`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::scenario(data));
