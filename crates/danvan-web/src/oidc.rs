//! Single sign-on through the province's identity provider with OpenID Connect (issue 19).
//!
//! The authorization-code flow with PKCE (S256): `/auth/oidc/start` keeps a one-use record of
//! the attempt (a hash of its `state`, its `nonce`, the PKCE verifier, where to go next, and
//! why: signing in or confirming the signed-in user again) in the database, so that any app
//! server can finish it, binds it to the browser with a short-lived cookie, and sends the
//! browser to the provider. `/auth/oidc/callback` takes the record (once: a replayed callback
//! finds nothing), checks the cookie, exchanges the code with the verifier, and verifies the ID
//! token: its signature against the provider's published keys (fetched again when a token names
//! a key not yet seen, so rotated keys work), an asymmetric algorithm only, the issuer, the
//! audience, the expiry and the nonce. The account is the one whose username or e-mail equals
//! the claim the settings name; a person without one is refused with a message naming whom to
//! ask. Admins need a second factor: the provider's `amr`/`acr` saying so, or danvan's own TOTP
//! code asked next. A confirmation (`purpose = confirm`) sends the user to the provider with
//! `max_age=0` and `prompt=login` and accepts only an `auth_time` after the attempt began.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// What the settings say about the provider.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// The provider's issuer URL; its discovery document is at
    /// `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// Sent with `client_secret_post` when set (a public client with PKCE only otherwise).
    pub client_secret: Option<String>,
    /// This site's callback as the provider knows it: `https://…/auth/oidc/callback`.
    pub redirect_url: String,
    /// The claim that names the account (`preferred_username`, `email`, or another).
    pub link_claim: String,
    /// What the claim is compared with.
    pub link_field: LinkField,
    /// `amr` values that mean a second factor was used at the provider.
    pub mfa_amr: Vec<String>,
    /// `acr` values that mean the same.
    pub mfa_acr: Vec<String>,
    /// The button's text on the sign-in page.
    pub label: String,
    /// Whom a person without an account should ask (shown when refused).
    pub contact: String,
    /// Seconds allowed for each request to the provider.
    pub timeout: Duration,
    /// The shortest time between two fetches of the provider's keys.
    pub jwks_refetch_after: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkField {
    Username,
    Email,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

/// The provider as danvan talks to it: its settings, discovery document and keys (cached).
pub struct Provider {
    pub config: OidcConfig,
    agent: ureq::Agent,
    discovery: Mutex<Option<(Instant, Discovery)>>,
    keys: Mutex<Option<(Instant, Arc<JwkSet>)>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.config.issuer)
            .finish_non_exhaustive()
    }
}

/// Why a sign-in through the provider did not complete, in the user's words; the log gets
/// the technical reason.
#[derive(Debug)]
pub struct Failed {
    pub log: String,
}

impl Failed {
    fn new(log: impl Into<String>) -> Failed {
        Failed { log: log.into() }
    }
}

/// The verified claims of an ID token.
#[derive(Debug, Clone)]
pub struct Identity {
    pub subject: String,
    /// The value of the linking claim.
    pub link: Option<String>,
    pub auth_time: Option<i64>,
    /// A second factor was used at the provider (`amr` or `acr`).
    pub mfa: bool,
    /// The provider says the e-mail address is the person's (`email_verified`).
    pub email_verified: bool,
}

/// Algorithms an ID token may be signed with: asymmetric ones only (never `none`, never a
/// shared secret an attacker could guess from the client id).
const ALLOWED: [Algorithm; 7] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
];

/// The PKCE challenge of a verifier (RFC 7636, S256).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A random URL-safe string of 32 bytes.
pub fn random() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("random bytes");
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Provider {
    /// Checks the settings (an `https` issuer and callback, except on this machine) and builds
    /// the HTTP client on the TLS stack the mail client uses.
    pub fn new(config: OidcConfig) -> Result<Provider, String> {
        for (what, url) in [
            ("oidc_issuer", &config.issuer),
            ("oidc_redirect_url", &config.redirect_url),
        ] {
            let local = url.starts_with("http://127.0.0.1")
                || url.starts_with("http://localhost")
                || url.starts_with("http://[::1]");
            if !(url.starts_with("https://") || local) {
                return Err(format!("{what} must be an https URL: {url}"));
            }
        }
        if config.client_id.trim().is_empty() {
            return Err("oidc_client_id is empty".into());
        }
        let agent = crate::exchange::http_agent(config.timeout);
        Ok(Provider {
            config,
            agent,
            discovery: Mutex::new(None),
            keys: Mutex::new(None),
        })
    }

    /// GETs a JSON document from the provider (on a blocking thread).
    async fn get_json<T: serde::de::DeserializeOwned + Send + 'static>(&self, url: &str) -> Result<T, Failed> {
        let agent = self.agent.clone();
        let url = url.to_owned();
        tokio::task::spawn_blocking(move || {
            let response = agent
                .get(&url)
                .call()
                .map_err(|e| Failed::new(format!("GET {url}: {e}")))?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .with_config()
                .limit(1024 * 1024)
                .read_to_string()
                .map_err(|e| Failed::new(format!("GET {url}: {e}")))?;
            if status != 200 {
                return Err(Failed::new(format!("GET {url}: status {status}")));
            }
            serde_json::from_str(&body).map_err(|e| Failed::new(format!("GET {url}: {e}")))
        })
        .await
        .map_err(|e| Failed::new(e.to_string()))?
    }

    /// The discovery document, fetched at most once an hour; its issuer must be the one set.
    pub async fn discovery(&self) -> Result<Discovery, Failed> {
        if let Some((at, found)) = self.discovery.lock().expect("discovery cache").as_ref()
            && at.elapsed() < Duration::from_secs(3600)
        {
            return Ok(found.clone());
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.config.issuer.trim_end_matches('/')
        );
        let found: Discovery = self.get_json(&url).await?;
        if found.issuer.trim_end_matches('/') != self.config.issuer.trim_end_matches('/') {
            return Err(Failed::new(format!("discovery names issuer {}", found.issuer)));
        }
        *self.discovery.lock().expect("discovery cache") = Some((Instant::now(), found.clone()));
        Ok(found)
    }

    /// The provider's keys; fetched again when `kid` is not among them (a rotation), no more
    /// often than the settings allow.
    async fn key_for(&self, kid: Option<&str>) -> Result<DecodingKey, Failed> {
        let cached = self.keys.lock().expect("key cache").clone();
        let find = |set: &JwkSet| match kid {
            Some(kid) => set.find(kid).cloned(),
            None if set.keys.len() == 1 => set.keys.first().cloned(),
            None => None,
        };
        if let Some((_, set)) = &cached
            && let Some(jwk) = find(set)
        {
            return DecodingKey::from_jwk(&jwk).map_err(|e| Failed::new(format!("key {kid:?}: {e}")));
        }
        if let Some((at, _)) = &cached
            && at.elapsed() < self.config.jwks_refetch_after
        {
            return Err(Failed::new(format!(
                "no key {kid:?}, keys fetched too recently to fetch again"
            )));
        }
        let discovery = self.discovery().await?;
        let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
        let set = Arc::new(set);
        *self.keys.lock().expect("key cache") = Some((Instant::now(), set.clone()));
        let jwk = find(&set).ok_or_else(|| Failed::new(format!("the provider has no key {kid:?}")))?;
        DecodingKey::from_jwk(&jwk).map_err(|e| Failed::new(format!("key {kid:?}: {e}")))
    }

    /// Exchanges the code for tokens and verifies the ID token against `nonce`.
    pub async fn finish(&self, code: &str, verifier: &str, nonce: &str) -> Result<Identity, Failed> {
        let discovery = self.discovery().await?;
        let agent = self.agent.clone();
        let mut form: Vec<(String, String)> = vec![
            ("grant_type".into(), "authorization_code".into()),
            ("code".into(), code.to_owned()),
            ("redirect_uri".into(), self.config.redirect_url.clone()),
            ("client_id".into(), self.config.client_id.clone()),
            ("code_verifier".into(), verifier.to_owned()),
        ];
        if let Some(secret) = &self.config.client_secret {
            form.push(("client_secret".into(), secret.clone()));
        }
        let endpoint = discovery.token_endpoint.clone();
        let body: serde_json::Value = tokio::task::spawn_blocking(move || {
            let response = agent
                .post(&endpoint)
                .header("Accept", "application/json")
                .send_form(form.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .map_err(|e| Failed::new(format!("token endpoint: {e}")))?;
            let status = response.status().as_u16();
            let text = response
                .into_body()
                .with_config()
                .limit(1024 * 1024)
                .read_to_string()
                .map_err(|e| Failed::new(format!("token endpoint: {e}")))?;
            if status != 200 {
                return Err(Failed::new(format!(
                    "token endpoint: status {status}: {}",
                    text.chars().take(300).collect::<String>()
                )));
            }
            serde_json::from_str(&text).map_err(|e| Failed::new(format!("token endpoint: {e}")))
        })
        .await
        .map_err(|e| Failed::new(e.to_string()))??;
        let id_token = body
            .get("id_token")
            .and_then(|t| t.as_str())
            .ok_or_else(|| Failed::new("the token endpoint sent no id_token"))?;
        self.verify(id_token, nonce).await
    }

    /// Verifies an ID token: signature, algorithm, issuer, audience, expiry, nonce.
    pub async fn verify(&self, id_token: &str, nonce: &str) -> Result<Identity, Failed> {
        let header = jsonwebtoken::decode_header(id_token).map_err(|e| Failed::new(format!("id_token header: {e}")))?;
        if !ALLOWED.contains(&header.alg) {
            return Err(Failed::new(format!("id_token signed with {:?}", header.alg)));
        }
        let key = self.key_for(header.kid.as_deref()).await?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[self.config.issuer.trim_end_matches('/'), self.config.issuer.as_str()]);
        validation.set_audience(&[self.config.client_id.as_str()]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 60;
        let claims = jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(id_token, &key, &validation)
            .map_err(|e| Failed::new(format!("id_token: {e}")))?
            .claims;
        if claims.get("nonce").and_then(|n| n.as_str()) != Some(nonce) {
            return Err(Failed::new("id_token nonce differs from the one sent"));
        }
        // Several audiences: the authorised party must be this client; an authorised party
        // named at all must be this client.
        let audiences = claims.get("aud").and_then(|a| a.as_array()).map_or(1, Vec::len);
        let azp = claims.get("azp").and_then(|a| a.as_str());
        if (audiences > 1 && azp.is_none()) || azp.is_some_and(|azp| azp != self.config.client_id) {
            return Err(Failed::new("id_token's authorised party is not this client"));
        }
        // Issued now, not in the future (the library does not check `iat`).
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match claims.get("iat").and_then(serde_json::Value::as_i64) {
            Some(iat) if iat <= now + 60 && iat >= now - 86_400 => {}
            other => return Err(Failed::new(format!("id_token issued at {other:?}"))),
        }
        let text = |name: &str| claims.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let amr: Vec<String> = claims
            .get("amr")
            .and_then(|a| a.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        let acr = text("acr");
        let mfa = amr.iter().any(|m| self.config.mfa_amr.contains(m))
            || acr.as_ref().is_some_and(|a| self.config.mfa_acr.contains(a));
        Ok(Identity {
            subject: text("sub").unwrap_or_default(),
            link: text(&self.config.link_claim),
            auth_time: claims.get("auth_time").and_then(serde_json::Value::as_i64),
            mfa,
            email_verified: claims.get("email_verified").and_then(serde_json::Value::as_bool) == Some(true),
        })
    }

    /// Where to send the browser for an attempt: the provider's authorization endpoint with the
    /// state, nonce and PKCE challenge; a confirmation asks the provider to sign the user in
    /// again.
    pub async fn authorization_url(
        &self,
        state: &str,
        nonce: &str,
        verifier: &str,
        confirm: bool,
    ) -> Result<String, Failed> {
        let discovery = self.discovery().await?;
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.config.redirect_url)
            .append_pair("scope", "openid profile email")
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", &challenge(verifier))
            .append_pair("code_challenge_method", "S256");
        if confirm {
            query.append_pair("max_age", "0").append_pair("prompt", "login");
        }
        let separator = if discovery.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(format!(
            "{}{separator}{}",
            discovery.authorization_endpoint,
            query.finish()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
