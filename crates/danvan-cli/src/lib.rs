//! The `danvan` binary's library: command-line interface, settings, the demo province.
//!
//! `main.rs` only calls [`cli::main`]. Each subcommand is one module with its options and `run`.
//! Errors here are `anyhow` with context: this is the outermost tier, where a message is printed
//! for the operator rather than matched on.

/// `println!` and `print!` for the command line: when the reader of the output has gone (`danvan
/// rubric check FILE | head`), the command ends quietly instead of panicking on the closed pipe.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(error) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::output_failed(error);
        }
    }};
}

macro_rules! print {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(error) = write!(std::io::stdout().lock(), $($arg)*) {
            $crate::output_failed(error);
        }
    }};
}

/// Writing to standard output failed: a closed pipe ends the command quietly, anything else
/// with a message.
pub fn output_failed(error: std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: writing the output: {error}");
    std::process::exit(1);
}

/// The largest file the command line reads as a document, a rubric or a report kind.
pub const MAX_INPUT_BYTES: u64 = 10 * 1024 * 1024;

/// Reads a file given on the command line: a regular file only (not a directory, a device such
/// as `/dev/zero` behind a link, or a named pipe, which would never end), within
/// [`MAX_INPUT_BYTES`]. The error is the reason, in Vietnamese.
pub fn read_input(path: &std::path::Path) -> Result<Vec<u8>, String> {
    read_input_within(path, MAX_INPUT_BYTES)
}

/// [`read_input`] within `limit` bytes: the import reads edXML packages, which carry their
/// attachments in base64, up to the package cap (a document alone is still held to 10 MB by
/// the library).
pub fn read_input_within(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let meta = std::fs::metadata(path).map_err(|e| format!("không đọc được tệp: {e}"))?;
    if !meta.is_file() {
        return Err("không phải tệp thông thường (thư mục, thiết bị hay đường ống); chỉ đọc tệp văn bản".into());
    }
    let too_large = || format!("tệp lớn hơn {} MB", limit >> 20);
    if meta.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("không đọc được tệp: {e}"))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("không đọc được tệp: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

pub mod backup;
pub mod cli;
pub mod demo;
pub mod demo_2025;
pub mod settings;
pub mod units;
