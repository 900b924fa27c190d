//! Integration tests: run the real `waveplan` binary.
