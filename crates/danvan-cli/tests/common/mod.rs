//! What the binary's integration tests share: running `danvan` with no setting leaking in from
//! the machine, and a demo server started on a free port.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub fn danvan() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_danvan"));
    // The tests choose every setting on the command line; none may leak in from the machine.
    for var in ["DANVAN_CONFIG", "DANVAN_DATA", "DANVAN_DATABASE_URL", "DANVAN_ADDR"] {
        command.env_remove(var);
    }
    command
}

pub struct Running {
    pub child: Child,
    /// Kept open: closing the pipe would make the server's next `println!` fail and kill it.
    _stdout: BufReader<std::process::ChildStdout>,
    pub lines: Vec<String>,
    pub url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `danvan demo` on a free port with its data in `data` and reads what it prints until
/// the logins are listed.
pub fn start_demo(data: &std::path::Path) -> Running {
    start_demo_with(&["--data".as_ref(), data.as_os_str()])
}

/// Starts `danvan demo` on a free port with the storage arguments given.
pub fn start_demo_with(storage: &[&std::ffi::OsStr]) -> Running {
    let mut child = danvan()
        .args(["demo", "--addr", "127.0.0.1:0"])
        .args(storage)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start danvan demo");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let mut url = String::new();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "demo exited early; printed {lines:?}"
        );
        let line = line.trim_end().to_owned();
        if let Some(rest) = line.trim().strip_prefix("Mở ") {
            url = rest.split("/login").next().unwrap().to_owned();
        }
        let officers_listed = line.contains("Cán bộ từng đơn vị");
        lines.push(line);
        if officers_listed {
            break;
        }
    }
    assert!(!url.is_empty(), "no URL printed: {lines:?}");
    Running {
        child,
        _stdout: reader,
        lines,
        url,
    }
}
