//! Fuzzes `explain` on an arbitrary plan of the fixed inputs through `waveplan::fuzzing::explain`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::explain(data));
