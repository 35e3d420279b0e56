//! Mail through a real SMTP conversation: a small relay started by each test (plain, STARTTLS
//! with a test certificate, implicit TLS, one that stops answering, one that refuses), the
//! outbox sending through lettre, on SQLite and on PostgreSQL.
//!
//! The certificate in `fixtures/smtp-tls` was made for these tests with openssl: a test CA
//! (`ca.pem`, its key discarded) and a certificate for `localhost` signed by it (`server.pem`,
//! `server.key`), valid for a hundred years.

#[allow(dead_code)]
mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use danvan_domain::Role;
use danvan_store::outbox::{MAX_ATTEMPTS, NewMail, OutboxState, retry_delay};
use danvan_web::mail::{Delivery, MailConfig, Mailer, Security, deliver_outbox};
use support::TestApp;

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::TestApp::new(danvan_store::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::TestApp::new(danvan_store::Backend::Postgres).await).await;
                }
            )*
        }
    };
}

on_both_backends!(
    a_mail_goes_through_starttls_then_auth_with_vietnamese_headers,
    implicit_tls_and_a_plain_internal_relay_both_deliver,
    a_relay_that_stops_answering_fails_the_attempt_and_the_mail_waits_for_the_next,
    a_mail_refused_every_time_is_given_up_then_sent_again_by_the_admin,
    several_senders_send_each_mail_once,
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An internal relay: no STARTTLS, no AUTH.
    Plain,
    /// Offers STARTTLS; AUTH only once encrypted.
    StartTls,
    /// TLS from the first byte.
    Wrapper,
    /// Greets, then never answers again.
    Silent,
    /// Refuses every recipient.
    Refusing,
}

/// What the relay saw of one delivered message.
#[derive(Debug, Clone, Default)]
struct Received {
    /// Every command line, in order, after decryption.
    commands: Vec<String>,
    /// Whether the connection was encrypted when AUTH came.
    encrypted_at_auth: Option<bool>,
    data: String,
}

trait Io: Read + Write + Send + std::any::Any {}
impl<T: Read + Write + Send + std::any::Any> Io for T {}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/smtp-tls")
        .join(name)
}

fn tls_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(fixture("server.pem"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    Arc::new(config)
}

fn encrypt(stream: TcpStream, config: &Arc<rustls::ServerConfig>) -> Box<dyn Io> {
    let connection = rustls::ServerConnection::new(config.clone()).unwrap();
    Box::new(rustls::StreamOwned::new(connection, stream))
}

fn read_line(stream: &mut dyn Io) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match stream.read(&mut byte) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {
                line.push(byte[0]);
                if byte[0] == b'\n' {
                    return Some(String::from_utf8_lossy(&line).into_owned());
                }
            }
        }
    }
}

/// Starts a relay on a free port of 127.0.0.1; returns the port and what it received.
fn relay(mode: Mode) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    let config = tls_config();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let sink = sink.clone();
            let config = config.clone();
            std::thread::spawn(move || converse(mode, stream, &config, &sink));
        }
    });
    (port, received)
}

fn converse(mode: Mode, stream: TcpStream, config: &Arc<rustls::ServerConfig>, sink: &Mutex<Vec<Received>>) {
    let mut encrypted = mode == Mode::Wrapper;
    let mut io: Box<dyn Io> = if encrypted {
        encrypt(stream, config)
    } else {
        Box::new(stream)
    };
    let reply = |io: &mut Box<dyn Io>, text: &str| {
        let _ = io.write_all(text.as_bytes());
        let _ = io.flush();
    };
    reply(&mut io, "220 relay.test ESMTP\r\n");
    let mut seen = Received::default();
    while let Some(line) = read_line(io.as_mut()) {
        if mode == Mode::Silent {
            continue;
        }
        let command = line.trim_end().to_owned();
        seen.commands.push(command.clone());
        let verb = command.split(' ').next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                let mut text = String::from("250-relay.test\r\n");
                if mode == Mode::StartTls && !encrypted {
                    text.push_str("250-STARTTLS\r\n");
                }
                if mode != Mode::Plain && (encrypted || mode != Mode::StartTls) {
                    text.push_str("250-AUTH PLAIN LOGIN\r\n");
                }
                text.push_str("250 8BITMIME\r\n");
                reply(&mut io, &text);
            }
            "STARTTLS" => {
                reply(&mut io, "220 go ahead\r\n");
                // The plain stream is taken out of its box to be wrapped.
                let plain: Box<dyn Io> = std::mem::replace(&mut io, Box::new(std::io::Cursor::new(Vec::new())));
                let Ok(tcp) = (plain as Box<dyn std::any::Any>).downcast::<TcpStream>() else {
                    return;
                };
                io = encrypt(*tcp, config);
                encrypted = true;
            }
            "AUTH" => {
                seen.encrypted_at_auth = Some(encrypted);
                reply(&mut io, "235 2.7.0 accepted\r\n");
            }
            "RCPT" if mode == Mode::Refusing => reply(&mut io, "550 5.7.1 relaying denied\r\n"),
            "DATA" => {
                reply(&mut io, "354 go on\r\n");
                while let Some(line) = read_line(io.as_mut()) {
                    if line == ".\r\n" {
                        break;
                    }
                    seen.data.push_str(&line);
                }
                reply(&mut io, "250 2.0.0 queued\r\n");
                sink.lock().unwrap().push(seen.clone());
            }
            "QUIT" => {
                reply(&mut io, "221 bye\r\n");
                return;
            }
            _ => reply(&mut io, "250 ok\r\n"),
        }
    }
}

fn config(port: u16, security: Security) -> MailConfig {
    MailConfig {
        host: "localhost".into(),
        port,
        from: "danvan@snv.daknong.gov.vn".into(),
        from_name: "Hệ thống danvan - Sở Nội vụ".into(),
        security,
        user: None,
        password: None,
        timeout: Duration::from_secs(2),
        ca_file: Some(fixture("ca.pem")),
    }
}

fn mail(key: &str) -> NewMail {
    NewMail {
        dedup_key: key.into(),
        recipients: vec![("vanthu@sct.daknong.gov.vn".into(), "Văn thư Sở Công Thương".into())],
        subject: "[danvan] Nhiệm vụ quá hạn từ 30/12/2022: đề nghị khẩn trương thực hiện và báo cáo tiến độ".into(),
        body: "Kính gửi đơn vị,\n\nĐã quá hạn nhiệm vụ sau.\n".into(),
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Runs a pass of the outbox on a blocking-friendly runtime thread, bounded so that a hung send
/// fails the test instead of hanging it.
async fn pass(app: &TestApp, mailer: &Mailer, at: i64) -> Delivery {
    tokio::time::timeout(Duration::from_secs(60), deliver_outbox(&app.store, mailer, &|| at, 100))
        .await
        .expect("an outbox pass ends")
        .unwrap()
}

async fn a_mail_goes_through_starttls_then_auth_with_vietnamese_headers(app: TestApp) {
    let (port, received) = relay(Mode::StartTls);
    let mut settings = config(port, Security::Starttls);
    settings.user = Some("danvan".into());
    settings.password = Some("s3cret-relay".into());
    let mailer = Mailer::new(&settings).unwrap();
    let id = app
        .store
        .queue_mail(&mail("m1"), "snv.daknong.gov.vn")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.store.queue_mail(&mail("m1"), "snv.daknong.gov.vn").await.unwrap(),
        None,
        "queued once per key"
    );
    let delivery = pass(&app, &mailer, now()).await;
    assert_eq!(
        delivery,
        Delivery {
            sent: 1,
            retried: 0,
            failed: 0
        }
    );
    let queued = app.store.outbox_message(id).await.unwrap().unwrap();
    assert_eq!(queued.state, OutboxState::Sent);
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let seen = &received[0];
    let verbs: Vec<&str> = seen.commands.iter().map(|c| c.split(' ').next().unwrap()).collect();
    let starttls = verbs
        .iter()
        .position(|v| *v == "STARTTLS")
        .expect("STARTTLS used when offered");
    let auth = verbs
        .iter()
        .position(|v| *v == "AUTH")
        .expect("AUTH used when a user is set");
    assert!(starttls < auth, "{verbs:?}");
    assert_eq!(seen.encrypted_at_auth, Some(true));
    assert_eq!(
        seen.commands[auth], "AUTH PLAIN AGRhbnZhbgBzM2NyZXQtcmVsYXk=",
        "user and password from the settings"
    );
    assert!(
        seen.commands
            .contains(&"RCPT TO:<vanthu@sct.daknong.gov.vn>".to_owned())
    );
    let (head, body) = seen.data.split_once("\r\n\r\n").unwrap();
    assert!(head.is_ascii());
    for header in [
        "From: ",
        "To: ",
        "Subject: ",
        "Date: ",
        "Content-Type: text/plain; charset=utf-8",
    ] {
        assert!(head.contains(header), "{header} missing:\n{head}");
    }
    assert!(head.contains(&format!("Message-ID: {}", queued.message_id)), "{head}");
    assert!(queued.message_id.ends_with("@snv.daknong.gov.vn>"));
    // RFC 5322: a line MUST stay within 998 characters; the subject, the long one, is folded
    // within 78. RFC 2047: an encoded word within 75.
    for line in head.split("\r\n") {
        assert!(line.len() <= 998, "header line too long: {line}");
        if line.starts_with("Subject:") || line.starts_with(' ') {
            assert!(line.len() <= 78, "subject line not folded: {line}");
        }
        for word in line.split_whitespace().filter(|w| w.starts_with("=?")) {
            assert!(word.len() <= 75, "encoded word too long: {word}");
        }
    }
    assert!(!body.is_empty());
    // The administrator sees what was sent.
    let admin = app.login_as(Role::Admin).await;
    let page = admin.get("/admin/outbox").await;
    assert!(
        page.body.contains("Đã gửi") && page.body.contains("Văn thư Sở Công Thương"),
        "{}",
        page.body
    );
}

async fn implicit_tls_and_a_plain_internal_relay_both_deliver(app: TestApp) {
    for (mode, security) in [(Mode::Wrapper, Security::Tls), (Mode::Plain, Security::Starttls)] {
        let (port, received) = relay(mode);
        let mailer = Mailer::new(&config(port, security)).unwrap();
        app.store
            .queue_mail(&mail(&format!("{mode:?}")), "snv.daknong.gov.vn")
            .await
            .unwrap();
        assert_eq!(pass(&app, &mailer, now()).await.sent, 1, "{mode:?}");
        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 1, "{mode:?}");
        assert!(
            !received[0]
                .commands
                .iter()
                .any(|c| c.starts_with("STARTTLS") || c.starts_with("AUTH")),
            "{mode:?}: {:?}",
            received[0].commands
        );
    }
    // Without a user, STARTTLS is still taken when the relay offers it, and no AUTH is sent.
    let (port, received) = relay(Mode::StartTls);
    let mailer = Mailer::new(&config(port, Security::Starttls)).unwrap();
    app.store
        .queue_mail(&mail("opportunistic"), "snv.daknong.gov.vn")
        .await
        .unwrap();
    assert_eq!(pass(&app, &mailer, now()).await.sent, 1);
    let received = received.lock().unwrap().clone();
    assert!(
        received[0].commands.iter().any(|c| c == "STARTTLS"),
        "{:?}",
        received[0].commands
    );
    assert!(!received[0].commands.iter().any(|c| c.starts_with("AUTH")));
}

async fn a_relay_that_stops_answering_fails_the_attempt_and_the_mail_waits_for_the_next(app: TestApp) {
    let (port, _) = relay(Mode::Silent);
    let mut settings = config(port, Security::Starttls);
    settings.timeout = Duration::from_secs(1);
    let mailer = Mailer::new(&settings).unwrap();
    let id = app
        .store
        .queue_mail(&mail("silent"), "snv.daknong.gov.vn")
        .await
        .unwrap()
        .unwrap();
    let at = now();
    assert_eq!(
        pass(&app, &mailer, at).await,
        Delivery {
            sent: 0,
            retried: 1,
            failed: 0
        }
    );
    let queued = app.store.outbox_message(id).await.unwrap().unwrap();
    assert_eq!((queued.state, queued.attempts), (OutboxState::Pending, 1));
    assert_eq!(queued.next_attempt_at, at + retry_delay(1));
    assert!(queued.last_error.is_some_and(|e| !e.is_empty()));
    // Not before its time; then once more.
    assert_eq!(pass(&app, &mailer, at + 30).await, Delivery::default());
    assert_eq!(pass(&app, &mailer, at + retry_delay(1)).await.retried, 1);
    assert_eq!(app.store.outbox_message(id).await.unwrap().unwrap().attempts, 2);
}

async fn a_mail_refused_every_time_is_given_up_then_sent_again_by_the_admin(app: TestApp) {
    let (port, _) = relay(Mode::Refusing);
    let mailer = Mailer::new(&config(port, Security::Starttls)).unwrap();
    let id = app
        .store
        .queue_mail(&mail("refused"), "snv.daknong.gov.vn")
        .await
        .unwrap()
        .unwrap();
    let mut at = now();
    for attempt in 1..=MAX_ATTEMPTS {
        let delivery = pass(&app, &mailer, at).await;
        if attempt < MAX_ATTEMPTS {
            assert_eq!(delivery.retried, 1, "attempt {attempt}");
        } else {
            assert_eq!(delivery.failed, 1, "attempt {attempt}");
        }
        at += retry_delay(attempt);
    }
    let queued = app.store.outbox_message(id).await.unwrap().unwrap();
    assert_eq!((queued.state, queued.attempts), (OutboxState::Failed, MAX_ATTEMPTS));
    assert!(queued.last_error.as_deref().unwrap_or("").contains("550"), "{queued:?}");
    assert_eq!(
        pass(&app, &mailer, at + 10 * 86_400).await,
        Delivery::default(),
        "given up"
    );

    let admin = app.login_as(Role::Admin).await;
    let page = admin.get("/admin/outbox").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["Gửi không được", "Văn thư Sở Công Thương", "relaying denied", "Gửi lại"] {
        assert!(page.body.contains(text), "{text} missing: {}", page.body);
    }
    let retried = admin.post(&format!("/admin/outbox/{id}/retry"), &[]).await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER, "{}", retried.body);
    let queued = app.store.outbox_message(id).await.unwrap().unwrap();
    assert_eq!((queued.state, queued.attempts), (OutboxState::Pending, 0));
    let again = admin.post(&format!("/admin/outbox/{id}/retry"), &[]).await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "only a mail given up on is sent again"
    );
}

async fn several_senders_send_each_mail_once(app: TestApp) {
    let (port, received) = relay(Mode::Plain);
    let mailer = Mailer::new(&config(port, Security::Starttls)).unwrap();
    for n in 0..8 {
        app.store
            .queue_mail(&mail(&format!("many-{n}")), "snv.daknong.gov.vn")
            .await
            .unwrap();
    }
    let clock = now;
    let (a, b, c) = tokio::join!(
        deliver_outbox(&app.store, &mailer, &clock, 100),
        deliver_outbox(&app.store, &mailer, &clock, 100),
        deliver_outbox(&app.store, &mailer, &clock, 100),
    );
    let sent = a.unwrap().sent + b.unwrap().sent + c.unwrap().sent;
    assert_eq!(sent, 8);
    let received = received.lock().unwrap().clone();
    let mut ids: Vec<String> = received
        .iter()
        .filter_map(|r| r.data.lines().find(|l| l.starts_with("Message-ID:")).map(str::to_owned))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((received.len(), ids.len()), (8, 8), "each mail once");
    assert_eq!(app.store.outbox_counts().await.unwrap().sent, 8);
}
