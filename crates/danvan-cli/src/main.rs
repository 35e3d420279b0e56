//! The `danvan` binary; everything it does lives in the library so that tests can call it.

fn main() -> std::process::ExitCode {
    danvan::cli::main()
}
