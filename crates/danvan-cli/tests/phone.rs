//! Every kind of page fits a 390 px phone and a 1366 px screen, in real Chromium (issue 17): the
//! demo is walked over HTTP as each demo role to find one page of every route the role reaches
//! (each must answer 200), then Chromium (Debian's `chromium`, driven through Debian's
//! `chromedriver`, both installed by `scripts/test`) opens each as that role, once as a phone
//! (390 px wide, mobile emulation) and once on a desktop (1366 px). A page fails when it is wider
//! than the screen (a wide table must scroll inside its own box), or when it has a form field
//! without a label, or, on the desktop, when a chart's labels render under 12 px. A screenshot of
//! every page is saved under `target/screenshots/`.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Browser, start_demo};
use danvan_domain::Role;
use serde_json::{Value, json};

/// A running `chromedriver`, stopped when dropped.
struct Driver {
    port: u16,
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver; scripts/test installs it)");
        let driver = Driver { port, child };
        let started = Instant::now();
        while driver.call("GET", "/status", None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// One WebDriver call; its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> std::io::Result<Value> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes())?;
        // chromedriver keeps the connection open: read the head, then exactly the body it
        // announces (by length, or in chunks).
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        let head_end = loop {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                return Err(std::io::Error::other("connection closed"));
            }
            raw.extend_from_slice(&buf[..n]);
            if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
        };
        let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        let chunked = head.contains("transfer-encoding: chunked");
        loop {
            let have = raw.len() - head_end;
            let done = match length {
                Some(length) => have >= length,
                None if chunked => raw[head_end..].windows(5).any(|w| w == b"0\r\n\r\n"),
                None => false,
            };
            if done {
                break;
            }
            let n = stream.read(&mut buf)?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8_lossy(&raw[head_end..]).into_owned();
        let body = if chunked { dechunk(&text) } else { text };
        let value: Value = serde_json::from_str(&body).map_err(std::io::Error::other)?;
        Ok(value["value"].clone())
    }

    /// A browser session: a phone (390 px, touch, mobile emulation) or a desktop (1366 px).
    fn session(&self, phone: bool) -> Session<'_> {
        let mut options = json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"],
        });
        if phone {
            options["mobileEmulation"] =
                json!({"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1.0, "touch": true}});
        } else {
            options["args"]
                .as_array_mut()
                .unwrap()
                .push(json!("--window-size=1366,900"));
        }
        let value = self
            .call(
                "POST",
                "/session",
                Some(
                    json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}}),
                ),
            )
            .expect("a session");
        let id = value["sessionId"].as_str().expect("a session id").to_owned();
        Session { driver: self, id }
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || tail.len() < size {
            break;
        }
        out.push_str(&tail[..size]);
        rest = tail[size..].trim_start_matches("\r\n");
    }
    out
}

struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.call("DELETE", &format!("/session/{}", self.id), None);
    }
}

impl Session<'_> {
    fn go(&self, url: &str) {
        self.driver
            .call("POST", &format!("/session/{}/url", self.id), Some(json!({"url": url})))
            .expect("navigate");
    }

    fn run(&self, script: &str) -> Value {
        self.run_with(script, json!([]))
    }

    fn run_with(&self, script: &str, args: Value) -> Value {
        self.driver
            .call(
                "POST",
                &format!("/session/{}/execute/sync", self.id),
                Some(json!({"script": script, "args": args})),
            )
            .expect("script")
    }

    fn sign_in(&self, base: &str, username: &str) {
        self.go(&format!("{base}/login"));
        self.run(&format!(
            "document.getElementById('username').value = {};\
             document.getElementById('password').value = 'demo';\
             document.querySelector('form[action=\"/login\"]').submit();",
            json!(username)
        ));
        let started = Instant::now();
        while self.run("return location.pathname;").as_str() == Some("/login") {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{username} did not sign in"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&self, path: &std::path::Path) {
        if let Ok(Value::String(png)) = self
            .driver
            .call("GET", &format!("/session/{}/screenshot", self.id), None)
        {
            let _ = std::fs::write(path, base64_decode(&png));
        }
    }
}

/// What the page shows that does not fit: how much wider than the screen it is, the elements
/// that stick out (outside boxes that scroll on their own), and fields without a label.
const CHECK: &str = r#"
// On a phone the browser widens its layout to hold what does not fit (and zooms out), so the
// screen's own width is given, not read from the page.
const width = arguments[0] || window.innerWidth;
const over = Math.max(document.documentElement.scrollWidth, window.innerWidth) - width;
const wide = [];
if (over > 1) {
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    let scrolls = false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX;
      if (s === 'auto' || s === 'scroll' || s === 'hidden') { scrolls = true; break; }
    }
    if (r.right > width + 1 && !scrolls) {
      wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(r.right) + 'px');
      if (wide.length >= 4) break;
    }
  }
}
const unlabeled = [...document.querySelectorAll('input, select, textarea')]
  .filter(e => !['hidden', 'submit', 'button', 'reset'].includes(e.type))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !e.title)
  .map(e => e.name || e.id || e.tagName);
// On a desktop, a chart's labels render at 12 px or more (the drawing scales with its box).
const small = arguments[0] ? [] : [...document.querySelectorAll('svg.chart')]
  .map(svg => parseFloat(svg.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)
  .filter(px => px < 12)
  .map(px => px.toFixed(1) + ' px');
const charts = document.querySelectorAll('svg.chart').length;
return {over, wide, unlabeled, small, charts};
"#;

/// One page of every route the role reaches from its home page (breadth-first, over HTTP).
fn pages_of(base: &str, username: &str, problems: &mut Vec<String>) -> BTreeMap<&'static str, String> {
    let mut browser = Browser::default();
    browser.sign_in(base, username);
    let mut found: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    while let Some(path) = queue.pop_front() {
        if seen.len() >= 300 || !seen.insert(path.clone()) {
            continue;
        }
        let Some(route) = common::route_of("GET", &path).map(|r| r.path) else {
            continue;
        };
        let page = browser.get(base, &path);
        if page.status != 200 {
            problems.push(format!("{username}: {path} answers {}", page.status));
            continue;
        }
        found.entry(route).or_insert_with(|| path.clone());
        for link in page.body.split("href=\"").skip(1).filter_map(|s| s.split('"').next()) {
            let link = link.replace("&amp;", "&").replace("&#38;", "&");
            let bare = link.split('#').next().unwrap_or("");
            let file = bare.split('?').next().unwrap_or("");
            if !bare.starts_with('/')
                || bare.starts_with("//")
                || bare.starts_with("/static/")
                || [".xlsx", ".docx", ".json", ".csv", "/file"]
                    .iter()
                    .any(|e| file.ends_with(e))
                || ["/attachments/", "/filing-files/", "/evidence"]
                    .iter()
                    .any(|p| file.contains(p))
            {
                continue;
            }
            // Only the first page of a kind is opened in the browser; the walk goes on to find
            // the other kinds.
            if common::route_of("GET", bare)
                .map(|r| r.path)
                .is_some_and(|r| !found.contains_key(r) || seen.len() < 120)
            {
                queue.push_back(bare.to_owned());
            }
        }
    }
    found
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(chunk.len().saturating_sub(1))
        })
        .collect()
}

#[test]
fn every_kind_of_page_fits_a_phone_and_a_desktop_for_every_role() {
    let data = tempfile::tempdir().unwrap();
    let demo = start_demo(data.path());
    let driver = Driver::start();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let officer = danvan::demo::UNITS_2022.iter().find_map(|u| u.officer).unwrap();
    let logins = [
        ("admin", Role::Admin),
        ("sonoivu", Role::Monitor),
        ("lanhdao", Role::Leader),
        ("hoidong", Role::Appraiser),
        (officer, Role::Officer),
    ];
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut charts = 0;
    for (username, _) in logins {
        let pages = pages_of(&demo.url, username, &mut problems);
        assert!(pages.len() > 5, "{username} reached only {} kinds of page", pages.len());
        for (phone, label) in [(true, "390px"), (false, "1366px")] {
            let session = driver.session(phone);
            session.sign_in(&demo.url, username);
            for (route, path) in &pages {
                session.go(&format!("{}{path}", demo.url));
                let found = session.run_with(CHECK, json!([if phone { 390 } else { 0 }]));
                checked += 1;
                let slug: String = route
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                session.screenshot(&shots.join(format!("{username}-{label}{slug}.png")));
                let over = found["over"].as_i64().unwrap_or(0);
                if over > 1 {
                    problems.push(format!(
                        "{username} at {label}: {path} is {over} px wider than the screen: {}",
                        found["wide"]
                    ));
                }
                charts += found["charts"].as_u64().unwrap_or(0);
                if let Some(small) = found["small"].as_array().filter(|s| !s.is_empty()) {
                    problems.push(format!(
                        "{username} at {label}: {path} has chart labels of {}",
                        Value::Array(small.clone())
                    ));
                }
                let unlabeled = found["unlabeled"].as_array().cloned().unwrap_or_default();
                if !unlabeled.is_empty() {
                    problems.push(format!(
                        "{username} at {label}: {path} has fields without a label: {}",
                        Value::Array(unlabeled)
                    ));
                }
            }
        }
    }
    // The self-assessment on a phone, end to end: an agency still drafting types a score and the
    // running totals follow (the project's own script), then saves, and the server's figures
    // agree.
    filled_in_on_a_phone(&driver, &demo.url, data.path());
    assert!(checked > 50, "only {checked} pages checked");
    assert!(charts > 0, "no chart was seen, so none was measured");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// An agency whose 2022 self-assessment is still a draft fills one criterion in on a phone.
fn filled_in_on_a_phone(driver: &Driver, base: &str, data: &std::path::Path) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (id, cycle_id, unit_id, username) = runtime.block_on(async {
        let url = format!("sqlite://{}?mode=ro", data.join("danvan.db").display());
        let store = danvan_store::Store::connect(&url, 1).await.unwrap();
        let units = store.list_units().await.unwrap();
        for cycle in store.cycles().await.unwrap().into_iter().filter(|c| c.year == 2022) {
            for a in store.assessments(cycle.id).await.unwrap() {
                if a.state != danvan_domain::evaluation::AssessmentState::Drafting {
                    continue;
                }
                let code = units
                    .iter()
                    .find(|u| u.id == a.unit_id)
                    .map(|u| u.code.clone())
                    .unwrap_or_default();
                let officer = danvan::demo::UNITS_2022
                    .iter()
                    .find(|u| u.code == code)
                    .and_then(|u| u.officer);
                if let Some(officer) = officer {
                    return (a.id, cycle.id, a.unit_id, officer);
                }
            }
        }
        panic!("the demo has an agency still drafting its 2022 self-assessment");
    });
    // Past its deadline on the demo's day: the Department gives the agency a week more first.
    let mut department = Browser::default();
    department.sign_in(base, "sonoivu");
    let page = department.get(base, &format!("/evaluations/{cycle_id}"));
    let csrf = common::hidden_csrf(&page.body).expect("a form on the cycle page");
    let unit = unit_id.to_string();
    // The appraisal first (self-scoring cannot end after it), then the self-scoring.
    for (window, until) in [("appraisal", "30/12/2022"), ("self", "22/12/2022")] {
        let extended = department
            .send(
                base,
                "POST",
                &format!("/evaluations/{cycle_id}/extend"),
                &[
                    ("csrf", csrf.as_str()),
                    ("window", window),
                    ("unit", unit.as_str()),
                    ("until", until),
                    ("reason", "Đơn vị đề nghị gia hạn do thay đổi cán bộ phụ trách."),
                ],
            )
            .unwrap();
        assert_eq!(
            extended.status, 303,
            "the Department extends {window}: {}",
            extended.body
        );
    }
    let session = driver.session(true);
    session.sign_in(base, username);
    session.go(&format!("{base}/assessments/{id}"));
    let typed = session.run(
        r#"
const total = document.querySelector('[data-running-total]');
const before = total.textContent;
const input = [...document.querySelectorAll('input[data-live][data-kind="points"]')].find(i => i.value === '');
if (!input) { return {missing: true}; }
input.focus();
input.value = input.getAttribute('data-max');
input.dispatchEvent(new Event('input', {bubbles: true}));
const cell = document.querySelector('[data-running="' + input.getAttribute('data-live') + '"]');
const result = {before, after: total.textContent, cell: cell.textContent, max: input.getAttribute('data-max'), key: input.getAttribute('data-live')};
// A line counted in occurrences: one occurrence takes its points off the maximum.
const occ = document.querySelector('input[data-live][data-kind="occurrences"]');
if (occ) {
  const was = occ.value;
  occ.value = '1';
  occ.dispatchEvent(new Event('input', {bubbles: true}));
  const c = document.querySelector('[data-running="' + occ.getAttribute('data-live') + '"]');
  result.occurrence = {cell: c.textContent, max: occ.getAttribute('data-max'), per: occ.getAttribute('data-per'), floor: occ.getAttribute('data-floor')};
  occ.value = was;
  occ.dispatchEvent(new Event('input', {bubbles: true}));
}
return result;
"#,
    );
    assert!(typed["missing"].is_null(), "an empty criterion to score: {typed}");
    let number = |v: &Value| {
        v.as_str()
            .unwrap_or("")
            .replace('.', "")
            .replace(',', ".")
            .parse::<f64>()
            .unwrap_or(-1.0)
    };
    assert_eq!(
        number(&typed["after"]) - number(&typed["before"]),
        number(&typed["max"]),
        "{typed}"
    );
    assert_eq!(number(&typed["cell"]), number(&typed["max"]), "{typed}");
    // The sample rubric has a line counted in occurrences: one takes its points off.
    let occurrence = &typed["occurrence"];
    assert!(occurrence.is_object(), "a line counted in occurrences: {typed}");
    let expected = (number(&occurrence["max"]) - number(&occurrence["per"])).max(number(&occurrence["floor"]));
    assert_eq!(number(&occurrence["cell"]), expected, "{typed}");
    // Saved with a tap on "Lưu nháp": the score is kept and the server's line shows it; its
    // total counts it (with the system's figures for computed criteria, kept at the first save).
    // The page before the save is marked, so only the page the server sends back is read.
    session.run("window.beforeSave = true; document.querySelector('button[value=\"save\"]').click();");
    let key = typed["key"].as_str().unwrap_or("").to_owned();
    let read = format!(
        "if (window.beforeSave || document.readyState !== 'complete') {{ return null; }}\
         const c = document.querySelector('[data-running=\"{key}\"]');\
         const t = document.querySelector('[data-running-total]');\
         const i = document.querySelector('[data-live=\"{key}\"]');\
         return c && t && i && i.value !== '' && !i.matches(':focus') ? [c.textContent, t.textContent] : null;"
    );
    let started = Instant::now();
    loop {
        let shown = session.run(&read);
        if let Some(pair) = shown.as_array()
            && number(&pair[0]) == number(&typed["max"])
        {
            assert!(
                number(&pair[1]) >= number(&typed["after"]),
                "saved: {shown}, typed {typed}"
            );
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "after saving: {shown}, typed {typed}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    session
        .screenshot(&PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../screenshots/self-assessment-390px-saved.png"));
}
