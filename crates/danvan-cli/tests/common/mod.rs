//! What the binary's integration tests share: running `danvan` with no setting leaking in from
//! the machine, and a demo server started on a free port.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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

/// An answer: status and body.
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// The body as sent (a download).
    pub bytes: Vec<u8>,
}

/// A minimal browser for the test: one connection per request, cookies kept.
#[derive(Clone, Default)]
pub struct Browser {
    cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn send(&mut self, base: &str, method: &str, path: &str, form: &[(&str, &str)]) -> std::io::Result<Answer> {
        let host = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host)?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        if !cookie.is_empty() {
            request.push_str(&format!("Cookie: {}\r\n", cookie.join("; ")));
        }
        if method == "POST" {
            request.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(&body);
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(raw.len(), |at| at + 4);
        let bytes = raw[split..].to_vec();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("no status line in {head:?}")))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        for (_, value) in headers.iter().filter(|(k, _)| k == "set-cookie") {
            let pair = value.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        Ok(Answer {
            status,
            body: body.to_owned(),
            bytes,
        })
    }

    /// Posts `form` as `multipart/form-data` (no files), as a form with file inputs is sent.
    pub fn post_multipart(&mut self, base: &str, path: &str, form: &[(&str, &str)]) -> std::io::Result<Answer> {
        const BOUNDARY: &str = "----danvan-test-boundary";
        let mut body = String::new();
        for (name, value) in form {
            body.push_str(&format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        let host = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host)?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nCookie: {}\r\n\
             Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n{body}",
            cookie.join("; "),
            body.len()
        );
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .lines()
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("no status line in {head:?}")))?;
        Ok(Answer {
            status,
            body: body.to_owned(),
            bytes: Vec::new(),
        })
    }

    pub fn get(&mut self, base: &str, path: &str) -> Answer {
        self.send(base, "GET", path, &[]).expect("GET")
    }

    pub fn sign_in(&mut self, base: &str, username: &str) {
        let page = self.get(base, "/login");
        let csrf = hidden_csrf(&page.body).expect("the login form's token");
        let answer = self
            .send(
                base,
                "POST",
                "/login",
                &[("username", username), ("password", "demo"), ("csrf", &csrf)],
            )
            .expect("POST /login");
        assert_eq!(answer.status, 303, "{username} signs in: {}", answer.body);
    }
}

pub fn hidden_csrf(body: &str) -> Option<String> {
    let start = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

/// The route of the table a request falls under (`{id}` segments match anything).
pub fn route_of(method: &str, path: &str) -> Option<&'static danvan_web::routes::RouteSpec> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let parts: Vec<&str> = path.split('/').collect();
    danvan_web::routes::ROUTES.iter().find(|r| {
        let pattern: Vec<&str> = r.path.split('/').collect();
        r.method == method
            && pattern.len() == parts.len()
            && pattern.iter().zip(&parts).all(|(p, s)| p.starts_with('{') || p == s)
    })
}
