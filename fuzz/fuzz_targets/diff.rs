//! Fuzzes `diff`'s plan reading, comparison and rendering through `waveplan::fuzzing::diff`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::diff(data));
