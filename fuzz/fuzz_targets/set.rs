//! Fuzzes `--set` overrides (one per line) through `waveplan::fuzzing::set`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::set(data));
