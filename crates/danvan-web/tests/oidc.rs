//! Single sign-on with OpenID Connect (issue 19), against an identity provider this test starts:
//! real HTTP on loopback, real ES256-signed ID tokens, keys rotated; forged, expired, replayed
//! and misdirected tokens refused; accounts linked by a claim; admins' second factor; a
//! confirmation that makes the provider sign the user in again; local passwords turned off.

#[macro_use]
#[allow(dead_code)]
mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use danvan_domain::Role;
use danvan_store::test_support::RawSql;
use danvan_store::{Actor, AuditFilter};
use danvan_web::WebConfig;
use danvan_web::oidc::{LinkField, OidcConfig, Provider};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use support::{PASSWORD, TestApp};

on_both_backends!(
    a_linked_person_signs_in_and_the_callback_cannot_be_replayed,
    forged_expired_and_misdirected_tokens_are_refused,
    rotated_keys_are_fetched_again,
    a_person_without_an_account_is_told_whom_to_ask,
    admins_need_a_second_factor_from_the_provider_or_danvan,
    a_confirmation_makes_the_provider_sign_the_user_in_again,
    local_passwords_can_be_turned_off_but_for_the_break_glass_admin,
    an_email_links_an_account_only_when_the_provider_verified_it,
    a_sensitive_step_sends_an_old_sso_session_to_the_provider_first,
);

const CLIENT_ID: &str = "danvan-test";

/// Makes the ID token the provider will answer an authorization request with.
type TokenFor<'a> = Box<dyn Fn(&Url) -> String + 'a>;

struct Key {
    kid: String,
    pkcs8: Vec<u8>,
    jwk: Value,
}

fn new_key(kid: &str) -> Key {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let point = pair.public_key().as_ref();
    Key {
        kid: kid.to_owned(),
        pkcs8: pkcs8.as_ref().to_vec(),
        jwk: json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        }),
    }
}

/// What the provider will put in the ID token for a code, and what it checks at the exchange.
struct Grant {
    challenge: String,
    redirect_uri: String,
    id_token: String,
}

#[derive(Default)]
struct IdpState {
    issuer: String,
    published: Vec<Value>,
    grants: HashMap<String, Grant>,
}

#[derive(Clone)]
struct Idp {
    state: Arc<Mutex<IdpState>>,
    issuer: String,
}

async fn discovery(State(idp): State<Idp>) -> Json<Value> {
    let issuer = idp.state.lock().unwrap().issuer.clone();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["ES256"],
    }))
}

async fn jwks(State(idp): State<Idp>) -> Json<Value> {
    Json(json!({ "keys": idp.state.lock().unwrap().published }))
}

async fn token(State(idp): State<Idp>, Form(form): Form<HashMap<String, String>>) -> (StatusCode, Json<Value>) {
    let grant = idp
        .state
        .lock()
        .unwrap()
        .grants
        .remove(form.get("code").map_or("", String::as_str));
    let Some(grant) = grant else {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_grant" })));
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let pkce_ok = danvan_web::oidc::challenge(&verifier) == grant.challenge;
    let client_ok = form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && form.get("client_secret").map(String::as_str) == Some("bí mật");
    let redirect_ok = form.get("redirect_uri") == Some(&grant.redirect_uri);
    if !(pkce_ok
        && client_ok
        && redirect_ok
        && form.get("grant_type").map(String::as_str) == Some("authorization_code"))
    {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_grant" })));
    }
    (
        StatusCode::OK,
        Json(json!({ "access_token": "at", "token_type": "Bearer", "id_token": grant.id_token })),
    )
}

impl Idp {
    async fn start() -> Idp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let idp = Idp {
            state: Arc::new(Mutex::new(IdpState {
                issuer: issuer.clone(),
                ..IdpState::default()
            })),
            issuer,
        };
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .with_state(idp.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        idp
    }

    fn publish(&self, keys: &[&Key]) {
        self.state.lock().unwrap().published = keys.iter().map(|k| k.jwk.clone()).collect();
    }

    fn config(&self) -> OidcConfig {
        OidcConfig {
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: Some("bí mật".into()),
            redirect_url: "http://127.0.0.1/auth/oidc/callback".into(),
            link_claim: "preferred_username".into(),
            link_field: LinkField::Username,
            mfa_amr: vec!["mfa".into(), "otp".into()],
            mfa_acr: vec![],
            label: "Đăng nhập bằng tài khoản của tỉnh".into(),
            contact: "Văn phòng Sở Nội vụ (0261 3 123 456)".into(),
            timeout: Duration::from_secs(5),
            jwks_refetch_after: Duration::ZERO,
        }
    }

    /// Signs `claims` with `key` (as the provider does), with the header's `kid`.
    fn sign(key: &Key, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(key.kid.clone());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_ec_der(&key.pkcs8)).unwrap()
    }

    /// The provider's answer to an authorization request: a code whose exchange gives `id_token`.
    fn grant(&self, authorize: &Url, id_token: String) -> String {
        let code = format!(
            "code-{}",
            authorize.get("state").len() + self.state.lock().unwrap().grants.len()
        );
        self.state.lock().unwrap().grants.insert(
            code.clone(),
            Grant {
                challenge: authorize.get("code_challenge").to_owned(),
                redirect_uri: authorize.get("redirect_uri").to_owned(),
                id_token,
            },
        );
        code
    }
}

/// An authorization request's query.
struct Url(HashMap<String, String>);

impl Url {
    fn parse(location: &str) -> Url {
        let query = location.split_once('?').map_or("", |(_, q)| q);
        Url(form_urlencoded::parse(query.as_bytes()).into_owned().collect())
    }

    fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn claims(idp: &Idp, authorize: &Url, username: &str) -> Value {
    json!({
        "iss": idp.issuer, "aud": CLIENT_ID, "sub": format!("sub-{username}"),
        "preferred_username": username, "nonce": authorize.get("nonce"),
        "iat": now(), "exp": now() + 300, "auth_time": now(),
    })
}

fn with_sso(app: &TestApp, idp: &Idp, local_passwords: bool) -> TestApp {
    app.with_web_config(WebConfig {
        require_admin_totp: false,
        sso: Some(Arc::new(Provider::new(idp.config()).unwrap())),
        local_passwords,
        break_glass_admin: Some("admin".into()),
        ..WebConfig::default()
    })
}

/// Begins a sign-in: the browser (a client with cookies) is sent to the provider.
async fn begin(client: &support::Client, path: &str) -> (support::Client, Url) {
    let response = client.get(path).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let location = response.location();
    let url = Url::parse(&location);
    assert!(location.contains("/authorize?"), "{location}");
    assert_eq!(url.get("code_challenge_method"), "S256");
    assert_eq!(url.get("response_type"), "code");
    assert!(url.get("scope").split(' ').any(|s| s == "openid"));
    assert!(!url.get("state").is_empty() && !url.get("nonce").is_empty());
    (client.with_cookies_from(&response), url)
}

async fn come_back(client: &support::Client, authorize: &Url, code: &str) -> support::TestResponse {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("code", code)
        .append_pair("state", authorize.get("state"))
        .finish();
    client.get(&format!("/auth/oidc/callback?{query}")).await
}

async fn a_linked_person_signs_in_and_the_callback_cannot_be_replayed(app: TestApp) {
    let idp = Idp::start().await;
    let key = new_key("k1");
    idp.publish(&[&key]);
    let app = with_sso(&app, &idp, true);
    let login = app.anonymous().get("/login").await;
    assert!(
        login.body.contains("/auth/oidc/start"),
        "the sign-in page offers the provider"
    );
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start?next=/directives").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "lanhdao")));
    let back = come_back(&browser, &authorize, &code).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(back.location(), "/directives");
    let signed_in = browser.with_cookies_from(&back);
    let page = signed_in.get("/directives").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Người thử lanhdao"),
        "signed in as the linked account"
    );
    let audited = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("login_sso".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    // Someone else at the provider who now carries the same username (a renamed user): the
    // account stays with the subject it was first linked to.
    let (browser2, authorize2) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let mut renamed = claims(&idp, &authorize2, "lanhdao");
    renamed["sub"] = json!("sub-someone-else");
    let code2 = idp.grant(&authorize2, Idp::sign(&key, &renamed));
    assert_eq!(
        come_back(&browser2, &authorize2, &code2).await.status,
        StatusCode::FORBIDDEN
    );
    // The same callback again (a replay, or the back button): the attempt is used.
    let again = come_back(&browser, &authorize, &code).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    // A callback in another browser (no attempt cookie): refused, nothing exchanged.
    let (_, other) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&other, Idp::sign(&key, &claims(&idp, &other, "lanhdao")));
    let stranger = come_back(&app.anonymous(), &other, &code).await;
    assert_eq!(stranger.status, StatusCode::BAD_REQUEST);
    assert!(
        idp.state.lock().unwrap().grants.contains_key(&code),
        "the code was never exchanged"
    );
}

async fn forged_expired_and_misdirected_tokens_are_refused(app: TestApp) {
    let idp = Idp::start().await;
    let key = new_key("k1");
    idp.publish(&[&key]);
    let app = with_sso(&app, &idp, true);
    let forger = new_key("k1");
    let cases: Vec<(&str, TokenFor)> = vec![
        (
            "forged: signed with another key under the same kid",
            Box::new(|a: &Url| Idp::sign(&forger, &claims(&idp, a, "lanhdao"))),
        ),
        (
            "expired",
            Box::new(|a: &Url| {
                let mut c = claims(&idp, a, "lanhdao");
                c["iat"] = json!(now() - 7200);
                c["exp"] = json!(now() - 3600);
                Idp::sign(&key, &c)
            }),
        ),
        (
            "another nonce (a token replayed from another sign-in)",
            Box::new(|a: &Url| {
                let mut c = claims(&idp, a, "lanhdao");
                c["nonce"] = json!("một nonce khác");
                Idp::sign(&key, &c)
            }),
        ),
        (
            "for another client",
            Box::new(|a: &Url| {
                let mut c = claims(&idp, a, "lanhdao");
                c["aud"] = json!("another-client");
                Idp::sign(&key, &c)
            }),
        ),
        (
            "from another issuer",
            Box::new(|a: &Url| {
                let mut c = claims(&idp, a, "lanhdao");
                c["iss"] = json!("https://idp.example");
                Idp::sign(&key, &c)
            }),
        ),
        (
            "unsigned (alg none)",
            Box::new(|a: &Url| {
                let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
                let body = URL_SAFE_NO_PAD.encode(claims(&idp, a, "lanhdao").to_string());
                format!("{header}.{body}.")
            }),
        ),
    ];
    for (what, make) in cases {
        let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
        let code = idp.grant(&authorize, make(&authorize));
        let back = come_back(&browser, &authorize, &code).await;
        assert_eq!(back.status, StatusCode::UNAUTHORIZED, "{what}: {}", back.body);
        assert!(
            back.set_cookies()
                .iter()
                .all(|c| !c.contains("danvan_session=") || c.contains("Max-Age=0")),
            "{what}"
        );
    }
    // A code the provider does not know (one already exchanged, say).
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let back = come_back(&browser, &authorize, "code-unknown").await;
    assert_eq!(back.status, StatusCode::UNAUTHORIZED);
}

async fn rotated_keys_are_fetched_again(app: TestApp) {
    let idp = Idp::start().await;
    let first = new_key("k1");
    idp.publish(&[&first]);
    let app = with_sso(&app, &idp, true);
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&first, &claims(&idp, &authorize, "lanhdao")));
    assert_eq!(
        come_back(&browser, &authorize, &code).await.status,
        StatusCode::SEE_OTHER
    );
    // The provider rotates: the old key is withdrawn, a new one signs.
    let second = new_key("k2");
    idp.publish(&[&second]);
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&second, &claims(&idp, &authorize, "lanhdao")));
    assert_eq!(
        come_back(&browser, &authorize, &code).await.status,
        StatusCode::SEE_OTHER
    );
    // A token under the withdrawn key is no longer accepted.
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&first, &claims(&idp, &authorize, "lanhdao")));
    assert_eq!(
        come_back(&browser, &authorize, &code).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn a_person_without_an_account_is_told_whom_to_ask(app: TestApp) {
    let idp = Idp::start().await;
    let key = new_key("k1");
    idp.publish(&[&key]);
    let app = with_sso(&app, &idp, true);
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "nguoila")));
    let back = come_back(&browser, &authorize, &code).await;
    assert_eq!(back.status, StatusCode::FORBIDDEN);
    assert!(back.body.contains("nguoila"), "{}", back.body);
    assert!(
        back.body.contains("Văn phòng Sở Nội vụ (0261 3 123 456)"),
        "{}",
        back.body
    );
}

async fn admins_need_a_second_factor_from_the_provider_or_danvan(app: TestApp) {
    let idp = Idp::start().await;
    let key = new_key("k1");
    idp.publish(&[&key]);
    let app = with_sso(&app, &idp, true);
    // No second factor anywhere: refused.
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "admin")));
    assert_eq!(
        come_back(&browser, &authorize, &code).await.status,
        StatusCode::FORBIDDEN
    );
    // The provider says it used one.
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let mut with_mfa = claims(&idp, &authorize, "admin");
    with_mfa["amr"] = json!(["pwd", "otp"]);
    let code = idp.grant(&authorize, Idp::sign(&key, &with_mfa));
    assert_eq!(
        come_back(&browser, &authorize, &code).await.status,
        StatusCode::SEE_OTHER
    );
    // danvan's own code, when the admin has one.
    let secret = danvan_domain::totp::new_secret([7; 20]);
    app.store
        .set_totp(&Actor::system("test"), app.fixture.account(Role::Admin), Some(&secret))
        .await
        .unwrap();
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "admin")));
    let back = come_back(&browser, &authorize, &code).await;
    assert_eq!(back.location(), "/auth/oidc/totp");
    let browser = browser.with_cookies_from(&back);
    let form = browser.get("/auth/oidc/totp").await;
    assert_eq!(form.status, StatusCode::OK);
    let browser = browser.with_form_from(&form);
    let wrong = browser
        .post_from("/auth/oidc/totp", "/auth/oidc/totp", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // A wrong code ends the attempt: start again, then the right code.
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "admin")));
    let back = come_back(&browser, &authorize, &code).await;
    let browser = browser.with_cookies_from(&back);
    let form = browser.get("/auth/oidc/totp").await;
    let browser = browser.with_form_from(&form);
    let key_bytes = danvan_domain::totp::decode_base32(&secret).unwrap();
    let right = danvan_domain::totp::code(&key_bytes, danvan_domain::totp::step_of(now()) as u64, 6);
    let signed_in = browser
        .post_from("/auth/oidc/totp", "/auth/oidc/totp", &[("code", &right)])
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.body);
}

async fn a_confirmation_makes_the_provider_sign_the_user_in_again(app: TestApp) {
    let idp = Idp::start().await;
    let key = new_key("k1");
    idp.publish(&[&key]);
    let app = with_sso(&app, &idp, true);
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "sonoivu")));
    let back = come_back(&browser, &authorize, &code).await;
    let monitor = browser.with_cookies_from(&back);
    // The confirmation page offers the provider, not a password.
    let page = monitor.get("/account/confirm?next=/board").await;
    assert!(page.body.contains("/auth/oidc/start?purpose=confirm"), "{}", page.body);
    // The password form cannot confirm such a session: it is sent to the provider.
    let posted = monitor
        .with_form_from(&page)
        .post("/account/confirm", &[("password", "bất kỳ"), ("next", "/board")])
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert!(
        posted.location().starts_with("/auth/oidc/start?purpose=confirm"),
        "{}",
        posted.location()
    );
    // A sign-in the provider did not redo (an old auth_time) does not confirm.
    let (again, authorize) = begin(&monitor, "/auth/oidc/start?purpose=confirm&next=/board").await;
    assert_eq!(authorize.get("max_age"), "0");
    assert_eq!(authorize.get("prompt"), "login");
    let mut stale = claims(&idp, &authorize, "sonoivu");
    stale["auth_time"] = json!(now() - 3600);
    let code = idp.grant(&authorize, Idp::sign(&key, &stale));
    assert_eq!(
        come_back(&again, &authorize, &code).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Another person at the provider does not confirm this session either.
    let (again, authorize) = begin(&monitor, "/auth/oidc/start?purpose=confirm&next=/board").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "lanhdao")));
    assert_eq!(
        come_back(&again, &authorize, &code).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A fresh sign-in does.
    let (again, authorize) = begin(&monitor, "/auth/oidc/start?purpose=confirm&next=/board").await;
    let code = idp.grant(&authorize, Idp::sign(&key, &claims(&idp, &authorize, "sonoivu")));
    let confirmed = come_back(&again, &authorize, &code).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    assert_eq!(confirmed.location(), "/board");
}

async fn local_passwords_can_be_turned_off_but_for_the_break_glass_admin(app: TestApp) {
    let idp = Idp::start().await;
    idp.publish(&[&new_key("k1")]);
    let app = with_sso(&app, &idp, false);
    let refused = app.anonymous().login("lanhdao", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("tài khoản của tỉnh"), "{}", refused.body);
    let admin = app.anonymous().login("ADMIN", PASSWORD).await;
    assert_eq!(
        admin.status,
        StatusCode::SEE_OTHER,
        "the break-glass admin still signs in"
    );
    // A break-glass name that is not an admin's keeps no password.
    let misnamed = app.with_web_config(WebConfig {
        require_admin_totp: false,
        sso: Some(Arc::new(Provider::new(idp.config()).unwrap())),
        local_passwords: false,
        break_glass_admin: Some("lanhdao".into()),
        ..WebConfig::default()
    });
    assert_eq!(
        misnamed.anonymous().login("lanhdao", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn an_email_links_an_account_only_when_the_provider_verified_it(app: TestApp) {
    let idp = Idp::start().await;
    let key = new_key("k1");
    idp.publish(&[&key]);
    let mut config = idp.config();
    config.link_claim = "email".into();
    config.link_field = LinkField::Email;
    app.store
        .execute_raw_for_tests(&format!(
            "update account set email = 'lanhdao@daknong.gov.vn' where account_id = {}",
            app.fixture.account(Role::Leader)
        ))
        .await
        .unwrap();
    let app = app.with_web_config(WebConfig {
        require_admin_totp: false,
        sso: Some(Arc::new(Provider::new(config).unwrap())),
        ..WebConfig::default()
    });
    for (verified, expected) in [(None, StatusCode::FORBIDDEN), (Some(true), StatusCode::SEE_OTHER)] {
        let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
        let mut c = claims(&idp, &authorize, "khac");
        c["email"] = json!("LanhDao@daknong.gov.vn");
        if let Some(verified) = verified {
            c["email_verified"] = json!(verified);
        }
        let code = idp.grant(&authorize, Idp::sign(&key, &c));
        assert_eq!(
            come_back(&browser, &authorize, &code).await.status,
            expected,
            "{verified:?}"
        );
    }
}

async fn a_sensitive_step_sends_an_old_sso_session_to_the_provider_first(app: TestApp) {
    let idp = Idp::start().await;
    let key = new_key("k1");
    idp.publish(&[&key]);
    let app = with_sso(&app, &idp, true);
    let (browser, authorize) = begin(&app.anonymous(), "/auth/oidc/start").await;
    let mut with_mfa = claims(&idp, &authorize, "admin");
    with_mfa["amr"] = json!(["otp"]);
    let code = idp.grant(&authorize, Idp::sign(&key, &with_mfa));
    let back = come_back(&browser, &authorize, &code).await;
    let admin = browser.with_cookies_from(&back);
    // Signed in an hour ago: no longer recent.
    app.store
        .execute_raw_for_tests("update session set created_at = created_at - 3600")
        .await
        .unwrap();
    let leader = app.fixture.account(Role::Leader);
    let page = admin.get(&format!("/admin/accounts/{leader}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(r#"name="password""#),
        "no password field for an SSO session"
    );
    let admin = admin.with_form_from(&page);
    let before = app
        .store
        .account_by_username("lanhdao")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    let reset = admin.post(&format!("/admin/accounts/{leader}/password"), &[]).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    let location = reset.location();
    let next = format!("next=%2Fadmin%2Faccounts%2F{leader}");
    assert!(
        location.starts_with("/auth/oidc/start?purpose=confirm") && location.contains(&next),
        "{location}"
    );
    let after = app
        .store
        .account_by_username("lanhdao")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert_eq!(before, after, "nothing done before the confirmation");
    // Confirmed at the provider, the step goes through.
    let (again, authorize) = begin(&admin, &location).await;
    let mut fresh = claims(&idp, &authorize, "admin");
    fresh["amr"] = json!(["otp"]);
    let code = idp.grant(&authorize, Idp::sign(&key, &fresh));
    let confirmed = come_back(&again, &authorize, &code).await;
    assert_eq!(confirmed.location(), format!("/admin/accounts/{leader}"));
    let reset = admin.post(&format!("/admin/accounts/{leader}/password"), &[]).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let after = app
        .store
        .account_by_username("lanhdao")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert_ne!(before, after);
}
