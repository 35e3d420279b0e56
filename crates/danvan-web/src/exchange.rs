//! Sending the e-office's packages (issue 16): the outbox's `edxml` channel, through a
//! [`Connector`] to the provincial platform (LGSP) or the national axis.
//!
//! A connector sends one package and says whether it was taken. [`HttpConnector`] posts the XML
//! to a configured endpoint with the platform's key headers (each province's platform names
//! them its own way: `X-SystemId`/`X-SecretKey`, `AppName`/`AccessKey`/`SecretKey`, …, so they
//! are configured, not written here). Another platform is another implementation of the trait.
//! [`deliver_packages`] claims packages one at a time under a lease, as the mail sender does, so
//! several servers on one database never send one package twice; a failure is retried with the
//! outbox's back-off.

use std::sync::Arc;
use std::time::Duration;

use danvan_app::store::Store;
use danvan_app::store::edxml::CHANNEL;
use danvan_app::store::outbox::OutboxMessage;

use crate::mail::Delivery;

/// A package leaving: to whom, its identity, its XML.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    /// The receiving body's identifier (`000.00.00.G22`).
    pub organ_id: &'a str,
    /// The package's `DocumentId` (or a status's key).
    pub package_id: &'a str,
    /// `edoc` for a document, `status` for a status message (the axis's message types).
    pub message_type: &'static str,
    pub xml: &'a str,
}

/// Something that delivers packages to an exchange platform.
pub trait Connector: Send + Sync {
    /// Sends one package (blocking: called on a blocking thread); `Err` holds why, for the
    /// outbox page.
    fn send(&self, package: &Outgoing<'_>) -> Result<(), String>;

    /// How long a claim on a package lasts: longer than one send can take.
    fn lease_seconds(&self) -> i64;
}

/// The platform's endpoint and keys (README "Kết nối trục liên thông").
#[derive(Clone, PartialEq, Eq)]
pub struct ExchangeConfig {
    /// `https://lgsp.example.gov.vn/edoc/send`.
    pub endpoint: String,
    /// Headers sent with every package: the platform's system id and key.
    pub headers: Vec<(String, String)>,
    pub timeout: Duration,
}

impl std::fmt::Debug for ExchangeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values are keys: never logged.
        f.debug_struct("ExchangeConfig")
            .field("endpoint", &self.endpoint)
            .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Posts each package's XML to the endpoint.
pub struct HttpConnector {
    agent: ureq::Agent,
    config: ExchangeConfig,
}

impl HttpConnector {
    pub fn new(config: ExchangeConfig) -> Result<HttpConnector, String> {
        if !(config.endpoint.starts_with("https://") || config.endpoint.starts_with("http://")) {
            return Err(format!("exchange endpoint must be an http(s) URL: {}", config.endpoint));
        }
        let agent = http_agent(config.timeout);
        Ok(HttpConnector { agent, config })
    }
}

/// An HTTP client for the province's other systems (the platform, the identity provider): the
/// system's roots, as the mail client uses (a province's own CA is added to the system's
/// store), rustls with ring, a timeout on the whole request, statuses answered as values.
pub(crate) fn http_agent(timeout: Duration) -> ureq::Agent {
    let roots: Vec<ureq::tls::Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(roots)))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build();
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .tls_config(tls)
        .build()
        .into()
}

impl Connector for HttpConnector {
    fn send(&self, package: &Outgoing<'_>) -> Result<(), String> {
        let mut request = self
            .agent
            .post(&self.config.endpoint)
            .header("Content-Type", "application/xml; charset=utf-8")
            .header("servicetype", "eDoc")
            .header("messagetype", package.message_type)
            .header("X-Organ-Id", package.organ_id)
            // Notations hold Vietnamese letters ("BC-TĐ"): percent-encoded, as headers are ASCII.
            .header(
                "X-Document-Id",
                form_urlencoded::byte_serialize(package.package_id.as_bytes()).collect::<String>(),
            );
        for (name, value) in &self.config.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request
            .send(package.xml.as_bytes())
            .map_err(|e| format!("không kết nối được trục: {e}"))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .unwrap_or_default();
        if !(200..300).contains(&status) {
            return Err(format!(
                "trục trả lời {status}: {}",
                body.chars().take(300).collect::<String>()
            ));
        }
        platform_refusal(&body).map_or(Ok(()), Err)
    }

    fn lease_seconds(&self) -> i64 {
        self.config.timeout.as_secs() as i64 * 2 + 30
    }
}

/// A refusal the platform gives inside a successful HTTP answer: the exchange's JSON answers
/// carry `status` ("OK" or an error) with `ErrorCode` and `ErrorDesc` (egov.md §1.6). Any other
/// answer to a 2xx is taken as accepted.
fn platform_refusal(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
    let object = value.as_object()?;
    let field = |name: &str| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let status_ok = match field("status") {
        None => true,
        Some(serde_json::Value::String(s)) => {
            matches!(s.to_ascii_lowercase().as_str(), "ok" | "success" | "200" | "true")
        }
        Some(serde_json::Value::Number(n)) => n.as_i64().is_some_and(|n| n == 0 || n == 200),
        Some(serde_json::Value::Bool(b)) => *b,
        Some(_) => false,
    };
    let code_ok = match field("errorcode") {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::String(s)) => s.is_empty() || s == "0",
        Some(serde_json::Value::Number(n)) => n.as_i64() == Some(0),
        Some(_) => false,
    };
    if status_ok && code_ok {
        return None;
    }
    let description = field("errordesc")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect::<String>();
    Some(format!(
        "trục từ chối gói tin: {} {description}",
        field("errorcode").map(|v| v.to_string()).unwrap_or_default()
    ))
}

fn message_type(message: &OutboxMessage) -> &'static str {
    if message.dedup_key.contains(":status:") {
        "status"
    } else {
        "edoc"
    }
}

/// Sends every package due, one claim at a time (at most `limit`), as
/// [`crate::mail::deliver_outbox`] sends mail.
pub async fn deliver_packages(
    store: &Store,
    connector: Arc<dyn Connector>,
    now: &(dyn Fn() -> i64 + Sync),
    limit: usize,
) -> Result<Delivery, danvan_app::store::StoreError> {
    let mut delivery = Delivery::default();
    for _ in 0..limit {
        let Some(queued) = store.claim_outbox_on(CHANNEL, now(), connector.lease_seconds()).await? else {
            break;
        };
        let outcome = {
            let connector = connector.clone();
            let message = queued.clone();
            tokio::task::spawn_blocking(move || {
                let organ_id = message.recipients.first().map(|(id, _)| id.as_str()).unwrap_or("");
                // Stamped with the moment it was queued: every attempt sends the same package.
                let xml = danvan_edxml::stamp(&message.body, &danvan_edxml::timestamp_of(message.created_at));
                connector.send(&Outgoing {
                    organ_id,
                    package_id: &message.message_id,
                    message_type: message_type(&message),
                    xml: &xml,
                })
            })
            .await
            .unwrap_or_else(|e| Err(format!("gửi bị gián đoạn: {e}")))
        };
        delivery.record(store, &queued, outcome, now(), "edxml").await?;
    }
    Ok(delivery)
}

#[cfg(test)]
mod tests {
    use super::platform_refusal;

    #[test]
    fn a_platform_refusal_inside_a_success_is_a_failure() {
        assert_eq!(platform_refusal("OK"), None);
        assert_eq!(platform_refusal(r#"{"status":"OK","ErrorCode":"0"}"#), None);
        assert_eq!(platform_refusal(r#"{"status":"OK"}"#), None);
        let refused = platform_refusal(r#"{"status":"FAIL","ErrorCode":"E102","ErrorDesc":"Sai mã đơn vị"}"#).unwrap();
        assert!(
            refused.contains("E102") && refused.contains("Sai mã đơn vị"),
            "{refused}"
        );
        assert!(platform_refusal(r#"{"status":"OK","ErrorCode":"12"}"#).is_some());
    }
}
