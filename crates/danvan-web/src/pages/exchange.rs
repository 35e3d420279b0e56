//! The e-office's packages (issue 16): what waits to leave for the provincial platform, and the
//! refusal of a received document.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::edxml::CHANNEL;
use danvan_app::store::outbox::{OutboxMessage, OutboxState};
use danvan_domain::audit::Action;

use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::render;
use crate::view::Layout;
use crate::view::format_instant;

/// A message as the outbox holds it, in words: the packages' page, a document's page and the
/// mail page alike.
pub struct OutboxRow {
    pub id: i64,
    pub created: String,
    pub to: String,
    pub subject: String,
    pub state: &'static str,
    pub failed: bool,
    pub attempts: i64,
    pub when: String,
    pub error: String,
}

impl OutboxRow {
    /// `recipient` words one `(address or organ id, name)` pair.
    pub fn of(m: OutboxMessage, recipient: fn(&(String, String)) -> String) -> OutboxRow {
        OutboxRow {
            id: m.id,
            created: format_instant(m.created_at),
            to: m.recipients.iter().map(recipient).collect::<Vec<_>>().join(", "),
            subject: m.subject,
            state: m.state.label(),
            failed: m.state == OutboxState::Failed,
            attempts: m.attempts,
            when: match m.state {
                OutboxState::Sent => m.sent_at.map(format_instant).unwrap_or_default(),
                OutboxState::Pending => format!("lần tới: {}", format_instant(m.next_attempt_at)),
                OutboxState::Failed => String::new(),
            },
            error: m.last_error.unwrap_or_default(),
        }
    }

    /// A package's row: the receiving body's name and identifier.
    pub fn package(m: OutboxMessage) -> OutboxRow {
        OutboxRow::of(m, |(id, name)| format!("{name} ({id})"))
    }
}

#[derive(Template)]
#[template(path = "documents/exchange.html")]
pub struct ExchangePage {
    layout: Layout,
    rows: Vec<OutboxRow>,
    configured: bool,
}

/// The packages leaving for the e-office, newest first.
pub async fn packages(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let rows = state
        .store
        .list_outbox_on(CHANNEL, 300)
        .await?
        .into_iter()
        .map(OutboxRow::package)
        .collect();
    render(&ExchangePage {
        layout: Layout::new(&state, Some(&user), "documents"),
        rows,
        configured: state.config.exchange_configured,
    })
}

/// Puts a package given up on back in the queue (a package only: mail is the admins' page).
pub async fn retry_package(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let message = state.store.outbox_message(id).await?.ok_or(AppError::NotFound)?;
    if message.channel != CHANNEL {
        return Err(AppError::NotFound);
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if !state.store.outbox_retry(id, now).await? {
        return Err(AppError::Conflict("Chỉ gửi lại được gói tin đã gửi không được."));
    }
    danvan_app::security::record(&state.store, &user.acting(ip), Action::RetryPackage, id).await?;
    Ok(Redirect::to("/documents/exchange").into_response())
}

/// Refuses a document received as a package (status 02 to its sender), with the reason.
pub async fn refuse_package(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let reason = crate::pages::form_field(&form, "reason");
    danvan_app::edxml::refuse(&state.store, &user.acting(ip), id, reason).await?;
    Ok(Redirect::to(&format!("/documents/{id}")).into_response())
}

use crate::AppState;
