//! The `danvan` binary's library: command-line interface, settings, the demo province.
//!
//! `main.rs` only calls [`cli::main`]. Each subcommand is one module with its options and `run`.
//! Errors here are `anyhow` with context: this is the outermost tier, where a message is printed
//! for the operator rather than matched on.

pub mod backup;
pub mod cli;
pub mod demo;
pub mod settings;
