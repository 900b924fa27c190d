//! Fuzzes `--set` overrides applied while loading (parse and validate, no planning) through `waveplan::fuzzing::set_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waveplan::fuzzing::set_parse(data));
