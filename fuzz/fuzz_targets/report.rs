//! Fuzzes `report` on an arbitrary plan of the fixed inputs through `waveplan::fuzzing::report`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::report(data));
