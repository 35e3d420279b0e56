//! The working-day calendar's adjustments, and an agency's reminders (its inbox).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::calendar::Adjustment;
use danvan_domain::{Role, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

pub struct AdjustmentRow {
    iso: String,
    date: String,
    working: bool,
    note: String,
}

pub struct HolidayRow {
    date: String,
    name: String,
}

#[derive(Template)]
#[template(path = "directives/calendar.html")]
pub struct CalendarPage {
    layout: Layout,
    year: i32,
    holidays: Vec<HolidayRow>,
    /// Where the year's days off come from: the decided schedule's source, or the law.
    source: String,
    worked: Vec<String>,
    adjustments: Vec<AdjustmentRow>,
    can_edit: bool,
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    #[serde(default)]
    year: Option<i32>,
}

async fn calendar_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    errors: Vec<String>,
) -> Result<CalendarPage, AppError> {
    let holidays = danvan_domain::calendar::holidays(year)
        .into_iter()
        .map(|(d, name)| HolidayRow {
            date: date::format_vn(d),
            name,
        })
        .collect();
    let adjustments = state
        .store
        .calendar_adjustments()
        .await?
        .into_iter()
        .filter(|a| a.date.year() == year)
        .map(|a| AdjustmentRow {
            iso: date::format_iso(a.date),
            date: date::format_vn(a.date),
            working: a.working,
            note: a.note,
        })
        .collect();
    Ok(CalendarPage {
        layout: Layout::new(state, Some(user), "calendar"),
        year,
        holidays,
        source: match danvan_domain::calendar::decided_schedules().get(&year) {
            Some(decided) => format!("Lịch nghỉ đã quyết định cho cơ quan nhà nước: {}.", decided.source),
            None => "Chưa có lịch nghỉ đã quyết định cho năm này: tính theo Bộ luật Lao động 2019 (Điều 112); quản trị nhập lịch khi Chính phủ công bố.".to_owned(),
        },
        worked: danvan_domain::calendar::decided_schedules()
            .get(&year)
            .map(|d| d.worked.iter().map(|day| date::format_vn(*day)).collect())
            .unwrap_or_default(),
        adjustments,
        can_edit: user.role == Role::Admin,
        errors,
    })
}

pub async fn show_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    let year = query
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| state.clock.today().year());
    render(&calendar_page(&state, &user, year, vec![]).await?)
}

#[derive(Debug, Deserialize)]
pub struct AdjustmentForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    working: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    remove: String,
}

pub async fn change_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<AdjustmentForm>,
) -> Result<Response, AppError> {
    let Some(day) = date::parse(&form.day) else {
        let year = state.clock.today().year();
        return render_invalid(
            &calendar_page(
                &state,
                &user,
                year,
                vec!["Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm.".to_owned()],
            )
            .await?,
        );
    };
    let who = user.acting(ip);
    if form.remove == "1" {
        danvan_app::calendar::remove_adjustment(&state.store, &who, day).await?;
    } else {
        let note = form.note.trim();
        if note.is_empty() || note.chars().count() > 200 {
            return render_invalid(
                &calendar_page(
                    &state,
                    &user,
                    day.year(),
                    vec!["Ghi chú (căn cứ thông báo) không được để trống và không quá 200 ký tự.".to_owned()],
                )
                .await?,
            );
        }
        let adjustment = Adjustment {
            date: day,
            working: form.working == "1",
            note: note.to_owned(),
        };
        danvan_app::calendar::set_adjustment(&state.store, &who, &adjustment).await?;
    }
    Ok(Redirect::to(&format!("/calendar?year={}", day.year())).into_response())
}

pub struct InboxRow {
    assignment_id: i64,
    day: String,
    overdue: bool,
    task: String,
    due: String,
    emailed: bool,
}

#[derive(Template)]
#[template(path = "directives/inbox.html")]
pub struct InboxPage {
    layout: Layout,
    rows: Vec<InboxRow>,
    has_unit: bool,
}

/// An agency's reminders.
pub async fn show_inbox(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let mut rows = Vec::new();
    if let Some(unit_id) = user.unit_id {
        for reminder in state.store.reminders_of_unit(unit_id).await? {
            let Some(assignment) = state.store.assignment(reminder.assignment_id).await? else {
                continue;
            };
            rows.push(InboxRow {
                assignment_id: assignment.id,
                day: date::format_vn(reminder.for_day),
                overdue: reminder.kind == "overdue",
                task: assignment.task_content,
                due: date::format_vn(assignment.due_on),
                emailed: reminder.emailed,
            });
        }
    }
    render(&InboxPage {
        layout: Layout::new(&state, Some(&user), "inbox"),
        rows,
        has_unit: user.unit_id.is_some(),
    })
}

/// The largest schedule file accepted (a year is well under 2 KB).
pub const MAX_SCHEDULE_BYTES: usize = 64 * 1024;

/// An admin uploads a newly announced schedule (the format of the shipped schedules): the days
/// it changes become adjustments and the open working-day deadlines are recomputed.
pub async fn import_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let year = state.clock.today().year();
    let file = crate::pages::uploaded_files(&mut multipart, "file")
        .await?
        .into_iter()
        .next();
    let refuse = |errors: Vec<String>| async { render_invalid(&calendar_page(&state, &user, year, errors).await?) };
    let Some((_, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refuse(vec!["Chọn tệp lịch nghỉ (.toml).".to_owned()]).await;
    };
    if bytes.len() > MAX_SCHEDULE_BYTES {
        return refuse(vec![format!("Tệp lớn hơn {} KB.", MAX_SCHEDULE_BYTES / 1024)]).await;
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refuse(vec!["Tệp không phải văn bản UTF-8.".to_owned()]).await;
    };
    match danvan_app::calendar::import_schedule(&state.store, &user.acting(ip), text).await {
        Ok(_) => {
            let first = danvan_domain::calendar::parse_schedules(text)
                .ok()
                .and_then(|years| years.keys().next().copied())
                .unwrap_or(year);
            Ok(Redirect::to(&format!("/calendar?year={first}")).into_response())
        }
        Err(danvan_app::Refusal::Invalid(errors)) => refuse(errors).await,
        Err(other) => Err(other.into()),
    }
}
