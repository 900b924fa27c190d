//! The `waveplan` binary: all the work happens in [`waveplan::cli`].

// Loading, importing and planning make millions of small allocations (YAML nodes, CSV
// cells); mimalloc serves them markedly faster than the system allocator (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    waveplan::cli::main()
}
