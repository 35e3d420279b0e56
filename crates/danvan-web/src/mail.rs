//! E-mail through `lettre`: the relay's settings, the message danvan writes, and the sender that
//! empties the outbox.
//!
//! lettre's blocking SMTP transport is used on a blocking thread rather than its async one: the
//! blocking transport puts the timeout on the socket, so it bounds the connection *and every
//! command* (a relay that stops answering mid-conversation fails the attempt after `timeout`);
//! the async transport bounds only the connection. A send is a few round trips a minute at most,
//! so a thread for it costs nothing worth saving.
//!
//! Nothing here blocks the reminder job: the job only queues ([`danvan_app::store::outbox`]); the
//! sender ([`deliver_outbox`]) runs on its own loop, claims one message at a time, and records
//! the outcome (sent, or the next attempt after a back-off, or failed after the last).

use std::path::PathBuf;
use std::time::Duration;

use danvan_app::store::Store;
use danvan_app::store::outbox::{OutboxMessage, OutboxState};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Address, SmtpTransport, Transport};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// STARTTLS when the relay offers it; required when a user is configured (a password never
    /// crosses the network in clear).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// Never encrypted, and no AUTH: an internal relay on a trusted network only.
    None,
}

/// The relay and how to reach it (README "Mail").
#[derive(Clone, PartialEq, Eq)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    /// The sender's address, e.g. `danvan@snv.daknong.gov.vn`.
    pub from: String,
    /// The sender's display name.
    pub from_name: String,
    pub security: Security,
    /// AUTH user; the password comes from the environment (`DANVAN_SMTP_PASSWORD`).
    pub user: Option<String>,
    pub password: Option<String>,
    /// For connecting and for every command.
    pub timeout: Duration,
    /// A PEM file of extra roots (a province's own CA), trusted beside the system's.
    pub ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("timeout", &self.timeout)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail settings: {0}")]
    Settings(String),
    #[error("message: {0}")]
    Message(String),
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// A configured relay, checked when the server starts.
#[derive(Clone)]
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    timeout: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// Builds the transport; a wrong setting (bad sender, unreadable CA file, a user without a
    /// password, AUTH without encryption) is refused here, at start-up.
    pub fn new(config: &MailConfig) -> Result<Mailer, MailError> {
        let address: Address = config
            .from
            .trim()
            .parse()
            .map_err(|e| MailError::Settings(format!("sender address {:?}: {e}", config.from)))?;
        let credentials = match (&config.user, &config.password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
            (Some(_), None) => {
                return Err(MailError::Settings(
                    "smtp_user is set but DANVAN_SMTP_PASSWORD is not".into(),
                ));
            }
            (None, _) => None,
        };
        if credentials.is_some() && config.security == Security::None {
            return Err(MailError::Settings(
                "AUTH needs an encrypted connection: smtp_security must be starttls or tls".into(),
            ));
        }
        let mut tls = TlsParameters::builder(config.host.clone());
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| MailError::Settings(format!("smtp_ca_file {}: {e}", path.display())))?;
            tls = tls.add_root_certificate(Certificate::from_pem(&pem)?);
        }
        let tls = tls.build_rustls()?;
        let tls = match (config.security, credentials.is_some()) {
            (Security::Starttls, false) => Tls::Opportunistic(tls),
            (Security::Starttls, true) => Tls::Required(tls),
            (Security::Tls, _) => Tls::Wrapper(tls),
            (Security::None, _) => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(config.host.clone())
            .port(config.port)
            .tls(tls)
            .timeout(Some(config.timeout))
            .hello_name(ClientId::Domain(address.domain().to_owned()));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(Mailer {
            transport: builder.build(),
            from: Mailbox::new(Some(config.from_name.clone()), address),
            timeout: config.timeout,
        })
    }

    /// The message as it goes on the wire: From with the display name, To with each agency's
    /// name, a Vietnamese subject (RFC 2047 encoded words, folded), Date, the outbox's fixed
    /// Message-ID, and a UTF-8 plain-text body.
    pub fn message(&self, queued: &OutboxMessage) -> Result<Message, MailError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(queued.subject.clone())
            .message_id(Some(queued.message_id.clone()))
            .header(ContentType::TEXT_PLAIN);
        let mut any = false;
        for (address, name) in &queued.recipients {
            let Ok(address) = address.trim().parse::<Address>() else {
                continue;
            };
            let name = (!name.trim().is_empty()).then(|| name.trim().to_owned());
            builder = builder.to(Mailbox::new(name, address));
            any = true;
        }
        if !any {
            return Err(MailError::Message("no valid recipient address".into()));
        }
        builder
            .body(queued.body.clone())
            .map_err(|e| MailError::Message(e.to_string()))
    }

    /// The longest a whole send may take before it is given up: a conversation is a dozen
    /// commands at most, each within `timeout`.
    fn guard(&self) -> Duration {
        self.timeout * 20
    }

    /// How long a claim on a message holds: longer than any send can take, so that no other
    /// server takes the message while this one may still be sending it.
    pub fn lease_seconds(&self) -> i64 {
        self.guard().as_secs() as i64 + 120
    }

    /// Sends one message; at most `timeout` per read or write on the socket, the whole within
    /// [`Mailer::lease_seconds`], on a blocking thread.
    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        let transport = self.transport.clone();
        let guard = self.guard();
        let sending = tokio::task::spawn_blocking(move || transport.send(&message));
        match tokio::time::timeout(guard, sending).await {
            Ok(Ok(result)) => result.map(drop).map_err(MailError::from),
            Ok(Err(join)) => Err(MailError::Message(format!("sender thread: {join}"))),
            Err(_) => Err(MailError::Message("the relay did not finish in time".into())),
        }
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

impl Delivery {
    /// Records one attempt's outcome under the lease it was made with (sent, or the next attempt
    /// after the back-off, or failed after the last) and counts it; `what` names the channel in
    /// the log. Shared by the mail and the e-office's packages.
    pub async fn record(
        &mut self,
        store: &Store,
        queued: &OutboxMessage,
        outcome: Result<(), String>,
        now: i64,
        what: &str,
    ) -> Result<(), danvan_app::store::StoreError> {
        match outcome {
            Ok(()) => {
                if store.outbox_sent(queued, now).await? {
                    self.sent += 1;
                } else {
                    tracing::error!(message = queued.id, what, "sent after its lease ran out");
                }
            }
            Err(error) => {
                tracing::warn!(%error, message = queued.id, attempt = queued.attempts + 1, what, "not sent");
                match store.outbox_failed(queued, &error, now).await? {
                    Some(OutboxState::Failed) => self.failed += 1,
                    Some(_) => self.retried += 1,
                    None => tracing::warn!(
                        message = queued.id,
                        what,
                        "lease ran out before the failure was recorded"
                    ),
                }
            }
        }
        Ok(())
    }
}

/// Sent messages (and those given up on) are deleted after 30 days: they hold addresses.
pub const KEEP_SENT_SECONDS: i64 = 30 * 24 * 3600;

/// Sends every message due, one claim at a time, until none is left (or `limit` is reached);
/// `now` gives the time (Unix seconds) read afresh for every claim and every outcome. Safe to
/// run on every server at once: a claim is a lease, and an outcome is recorded only under the
/// lease it was sent with.
pub async fn deliver_outbox(
    store: &Store,
    mailer: &Mailer,
    now: &(dyn Fn() -> i64 + Sync),
    limit: usize,
) -> Result<Delivery, danvan_app::store::StoreError> {
    let mut delivery = Delivery::default();
    for _ in 0..limit {
        let Some(queued) = store.claim_outbox(now(), mailer.lease_seconds()).await? else {
            break;
        };
        let outcome = match mailer.message(&queued) {
            Ok(message) => mailer.send(message).await,
            Err(error) => Err(error),
        };
        delivery
            .record(store, &queued, outcome.map_err(|e| e.to_string()), now(), "mail")
            .await?;
    }
    Ok(delivery)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> MailConfig {
        MailConfig {
            host: "mail.example.vn".into(),
            port: 587,
            from: "danvan@snv.example.vn".into(),
            from_name: "Hệ thống danvan - Sở Nội vụ".into(),
            security: Security::Starttls,
            user: None,
            password: None,
            timeout: Duration::from_secs(5),
            ca_file: None,
        }
    }

    #[test]
    fn settings_that_would_leak_or_fail_are_refused_at_start() {
        assert!(Mailer::new(&config()).is_ok());
        let mut c = config();
        c.user = Some("danvan".into());
        assert!(
            Mailer::new(&c)
                .unwrap_err()
                .to_string()
                .contains("DANVAN_SMTP_PASSWORD")
        );
        c.password = Some("secret".into());
        c.security = Security::None;
        assert!(Mailer::new(&c).unwrap_err().to_string().contains("encrypted"));
        assert!(!format!("{c:?}").contains("secret"), "the password is never printed");
        let mut c = config();
        c.from = "not an address".into();
        assert!(Mailer::new(&c).is_err());
    }

    #[test]
    fn a_vietnamese_message_has_its_headers_encoded_within_the_limits() {
        let mailer = Mailer::new(&config()).unwrap();
        let queued = OutboxMessage {
            id: 1,
            channel: "mail".into(),
            dedup_key: "k".into(),
            recipients: vec![
                ("vanthu@sct.example.vn".into(), "Sở Công Thương tỉnh Đắk Nông".into()),
                ("bad address".into(), "ignored".into()),
            ],
            subject: "[danvan] Nhiệm vụ quá hạn từ 15/12/2022: đề nghị khẩn trương thực hiện và báo cáo tiến độ".into(),
            body: "Kính gửi đơn vị,\n\nĐã quá hạn nhiệm vụ sau.".into(),
            message_id: "<1.abc@snv.example.vn>".into(),
            state: OutboxState::Pending,
            lease: None,
            attempts: 0,
            next_attempt_at: 0,
            last_error: None,
            sent_at: None,
            created_at: 0,
        };
        let wire = String::from_utf8(mailer.message(&queued).unwrap().formatted()).unwrap();
        let (head, _) = wire.split_once("\r\n\r\n").unwrap();
        for name in [
            "From:",
            "To:",
            "Subject:",
            "Date:",
            "Message-ID: <1.abc@snv.example.vn>",
            "Content-Type: text/plain; charset=utf-8",
        ] {
            assert!(head.contains(name), "{name} missing in\n{head}");
        }
        assert!(head.is_ascii(), "headers are ASCII on the wire");
        for line in head.split("\r\n") {
            assert!(line.len() <= 998, "a header line over RFC 5322's limit: {line}");
            if line.starts_with("Subject:") || line.starts_with(' ') {
                assert!(line.len() <= 78, "the subject is folded: {line}");
            }
            for word in line.split_whitespace().filter(|w| w.starts_with("=?")) {
                assert!(word.len() <= 75, "an encoded word over 75 characters: {word}");
            }
        }
        assert!(!head.contains("ignored"), "an invalid address is left out");
    }
}
