//! The `waveplan` binary: all the work happens in [`waveplan::cli`].

fn main() -> std::process::ExitCode {
    waveplan::cli::main()
}
