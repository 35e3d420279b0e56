//! The "Dân vận khéo" registry: registration, the lifecycle steps, files, replication, the
//! monitor's statistics, and the public gallery of recognised initiatives.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::StoreError;
use danvan_app::store::initiative::{InitiativeFilter, InitiativeRecord, NewInitiative, StepInput};
use danvan_domain::initiative::{Field, Kind, Level, Stage, Step, next_steps};
use danvan_domain::{Unit, collation, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::fresh::Kept;
use crate::pages::{number, render, render_invalid, uploaded_files};
use crate::upload_check::{check_files, store_files};
use crate::view::Layout;

/// Files per upload.
const MAX_FILES: usize = 5;

pub(crate) async fn unit_names(state: &AppState) -> Result<HashMap<i64, String>, AppError> {
    Ok(state.store.unit_names().await?)
}

/// Agencies (not the provincial committee) alive today, in Vietnamese order, for choosers: kept
/// while the data and the day have not moved, so hundreds of names are not sorted per request,
/// and shared rather than copied.
pub(crate) async fn chooser(state: &AppState, kept: &Kept<'_>) -> Result<Arc<Vec<(i64, String)>>, AppError> {
    kept.get("chooser".into(), |today| async move {
        let mut units: Vec<Unit> = state
            .store
            .list_units()
            .await?
            .into_iter()
            .filter(|u| u.is_active_on(today) && u.kind != danvan_domain::UnitKind::ProvincialCommittee)
            .collect();
        units.sort_by(|a, b| collation::compare(&a.name, &b.name));
        Ok(units.into_iter().map(|u| (u.id, u.name)).collect::<Vec<_>>())
    })
    .await
}

// ---- The registry -------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    year: String,
}

#[derive(Clone)]
pub struct ListRow {
    id: i64,
    name: String,
    unit: String,
    kind: &'static str,
    field: &'static str,
    stage: &'static str,
    registered_on: String,
    replicated: bool,
}

#[derive(Template)]
#[template(path = "initiatives/list.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<ListRow>,
    units: Arc<Vec<(i64, String)>>,
    fields: Vec<(&'static str, &'static str)>,
    stages: Vec<(&'static str, &'static str)>,
    unit: String,
    field: String,
    stage: String,
    year: String,
    oversees: bool,
    can_register: bool,
}

/// The initiatives a filter lists, as the list shows them.
async fn list_rows(state: &AppState, filter: &InitiativeFilter) -> Result<Vec<ListRow>, AppError> {
    let names = unit_names(state).await?;
    Ok(state
        .store
        .list_initiatives(filter)
        .await?
        .into_iter()
        .map(|i| ListRow {
            id: i.id,
            name: i.name,
            unit: names.get(&i.unit_id).cloned().unwrap_or_default(),
            kind: i.kind.label(),
            field: i.field.label(),
            stage: i.stage.label(),
            registered_on: date::format_vn(i.registered_on),
            replicated: i.replicated_from.is_some(),
        })
        .collect())
}

/// The registry: all agencies' initiatives for those who oversee them, an officer's own agency's
/// otherwise.
pub async fn list_initiatives(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let oversees = user.role.sees_all();
    let filter = InitiativeFilter {
        unit_id: if oversees {
            number(&query.unit)
        } else {
            user.unit_id.or(Some(0))
        },
        field: Field::from_code(&query.field),
        stage: Stage::from_code(&query.stage),
        year: number(&query.year),
    };
    let key = format!("initiatives:{filter:?}");
    let kept = state.kept_now().await?;
    let rows = kept.get(key, |_| list_rows(&state, &filter)).await?.as_ref().clone();
    render(&ListPage {
        layout: Layout::new(&state, Some(&user), "initiatives"),
        rows,
        units: if oversees {
            chooser(&state, &kept).await?
        } else {
            Arc::default()
        },
        fields: Field::ALL.iter().map(|f| (f.code(), f.label())).collect(),
        stages: Stage::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        unit: query.unit,
        field: query.field,
        stage: query.stage,
        year: query.year,
        oversees,
        can_register: user.role.manages_units()
            || (user.role == danvan_domain::Role::Officer && user.unit_id.is_some()),
    })
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    beneficiaries: String,
    #[serde(default)]
    led_by: String,
    #[serde(default)]
    members: String,
    #[serde(default)]
    situation: String,
    #[serde(default)]
    goals: String,
    #[serde(default)]
    criteria: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    resources: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    outputs: String,
    #[serde(default)]
    sustainability: String,
    #[serde(default)]
    people_public: String,
    #[serde(default)]
    registered_on: String,
    #[serde(default)]
    replicated_from: String,
}

#[derive(Template)]
#[template(path = "initiatives/new.html")]
pub struct NewPage {
    layout: Layout,
    form: RegistrationForm,
    errors: Vec<String>,
    units: Arc<Vec<(i64, String)>>,
    kinds: Vec<(&'static str, &'static str)>,
    fields: Vec<(&'static str, &'static str)>,
    original: Option<(i64, String)>,
}

async fn new_page(
    state: &AppState,
    user: &CurrentUser,
    form: RegistrationForm,
    errors: Vec<String>,
) -> Result<NewPage, AppError> {
    let original = match number::<i64>(&form.replicated_from) {
        Some(id) => state.store.initiative(id).await?.map(|o| (o.id, o.details.name)),
        None => None,
    };
    Ok(NewPage {
        layout: Layout::new(state, Some(user), "initiatives"),
        form,
        errors,
        units: if user.role.manages_units() {
            chooser(state, &state.kept_now().await?).await?
        } else {
            Arc::default()
        },
        kinds: Kind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        fields: Field::ALL.iter().map(|f| (f.code(), f.label())).collect(),
        original,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    from: String,
}

/// The registration form; `?from=ID` starts a replication of a recognised initiative, with its
/// plan copied for the new agency to adapt.
pub async fn new_initiative_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let mut form = RegistrationForm {
        registered_on: date::format_vn(state.clock.today()),
        kind: Kind::Collective.code().into(),
        ..Default::default()
    };
    if let Some(id) = number::<i64>(&query.from)
        && let Some(original) = state.store.initiative(id).await?
        && original.stage.is_recognised()
    {
        let d = original.details;
        form = RegistrationForm {
            kind: d.kind.code().into(),
            field: d.field.code().into(),
            name: d.name,
            beneficiaries: d.beneficiaries,
            situation: d.situation,
            goals: d.goals,
            criteria: d.criteria,
            content: d.content,
            resources: d.resources,
            outputs: d.outputs,
            sustainability: d.sustainability,
            replicated_from: id.to_string(),
            ..form
        };
    }
    render(&new_page(&state, &user, form, vec![]).await?)
}

/// Checks a registration form; every problem is reported at once.
fn check_registration(form: &RegistrationForm, unit_id: Option<i64>) -> Result<NewInitiative, Vec<String>> {
    let mut errors = Vec::new();
    let mut text = |value: &str, limit: usize, what: &str| {
        let value = value.trim();
        if value.is_empty() {
            errors.push(format!("{what}: không được để trống."));
        } else if value.chars().count() > limit {
            errors.push(format!("{what}: không quá {limit} ký tự."));
        }
        value.to_owned()
    };
    let name = text(&form.name, 300, "Tên mô hình, điển hình");
    let area = text(&form.area, 1000, "Địa bàn");
    let beneficiaries = text(&form.beneficiaries, 2000, "Đối tượng thụ hưởng");
    let led_by = text(&form.led_by, 500, "Người (tổ chức) chủ trì");
    let members = text(&form.members, 2000, "Người (tổ chức) tham gia");
    let situation = text(&form.situation, 10_000, "Thực trạng, lý do");
    let goals = text(&form.goals, 5000, "Mục tiêu");
    let criteria = text(&form.criteria, 5000, "Tiêu chí đo lường");
    let content = text(&form.content, 20_000, "Nội dung, cách làm");
    let resources = text(&form.resources, 5000, "Nguồn lực");
    let outputs = text(&form.outputs, 5000, "Kết quả dự kiến");
    let sustainability = text(&form.sustainability, 5000, "Khả năng duy trì, nhân rộng");
    let kind = Kind::from_code(&form.kind);
    if kind.is_none() {
        errors.push("Chọn loại: mô hình (tập thể) hay điển hình (cá nhân).".into());
    }
    let field = Field::from_code(&form.field);
    if field.is_none() {
        errors.push("Chọn lĩnh vực.".into());
    }
    if unit_id.is_none() {
        errors.push("Chọn cơ quan, đơn vị đăng ký.".into());
    }
    let mut day = |value: &str, what: &str| {
        let parsed = date::parse(value);
        if parsed.is_none() {
            errors.push(format!("{what}: nhập ngày hợp lệ (ngày/tháng/năm)."));
        }
        parsed
    };
    let starts_on = day(&form.starts_on, "Ngày bắt đầu");
    let ends_on = day(&form.ends_on, "Ngày kết thúc");
    let registered_on = day(&form.registered_on, "Ngày đăng ký");
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push("Ngày kết thúc không được trước ngày bắt đầu.".into());
    }
    let replicated_from = number::<i64>(&form.replicated_from);
    match (
        kind,
        field,
        unit_id,
        starts_on,
        ends_on,
        registered_on,
        errors.is_empty(),
    ) {
        (Some(kind), Some(field), Some(unit_id), Some(starts_on), Some(ends_on), Some(registered_on), true) => {
            Ok(NewInitiative {
                unit_id,
                kind,
                field,
                name,
                area,
                beneficiaries,
                led_by,
                members,
                situation,
                goals,
                criteria,
                content,
                resources,
                starts_on,
                ends_on,
                outputs,
                sustainability,
                people_public: form.people_public == "on",
                registered_on,
                replicated_from,
            })
        }
        _ => Err(errors),
    }
}

pub async fn register_initiative(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<RegistrationForm>,
) -> Result<Response, AppError> {
    // An officer registers for their own agency; the Department for any.
    let unit_id = user.record_unit(&form.unit)?;
    let initiative = match check_registration(&form, unit_id) {
        Ok(initiative) => initiative,
        Err(errors) => return render_invalid(&new_page(&state, &user, form, errors).await?),
    };
    match danvan_app::initiative::register(&state.store, &user.acting(ip), &initiative).await {
        Ok(id) => Ok(Redirect::to(&format!("/initiatives/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&new_page(&state, &user, form, errors).await?),
        Err(danvan_app::Refusal::Store(StoreError::Conflict("replicated_from"))) => {
            let error = "Chỉ nhân rộng được mô hình, điển hình đã được công nhận.".to_owned();
            render_invalid(&new_page(&state, &user, form, vec![error]).await?)
        }
        Err(danvan_app::Refusal::Store(StoreError::NotFound)) => {
            let error = "Cơ quan, đơn vị không có trong danh sách.".to_owned();
            render_invalid(&new_page(&state, &user, form, vec![error]).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub struct EventRow {
    step: String,
    stage: &'static str,
    on: String,
    note: String,
    decision: String,
    by: String,
}

pub struct FileRow {
    id: i64,
    name: String,
    kind: &'static str,
    size: String,
}

#[derive(Template)]
#[template(path = "initiatives/show.html")]
pub struct ShowPage {
    layout: Layout,
    record: InitiativeRecord,
    unit: String,
    kind: &'static str,
    field: &'static str,
    stage: &'static str,
    starts_on: String,
    ends_on: String,
    registered_on: String,
    recognition: Option<(&'static str, String, String)>,
    original: Option<(i64, String, String)>,
    replications: Vec<(i64, String, String, &'static str)>,
    events: Vec<EventRow>,
    files: Vec<FileRow>,
    steps: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    can_record: bool,
    can_decide: bool,
    can_replicate: bool,
    errors: Vec<String>,
}

fn step_label(code: &str) -> String {
    match code {
        "register" => "Đăng ký".into(),
        other => [
            Step::Launch,
            Step::FollowUp,
            Step::InterimReview,
            Step::FinalReview,
            Step::Recognise(Level::Commune),
            Step::Commend,
            Step::Stop,
        ]
        .into_iter()
        .find(|s| s.code() == other)
        .map(|s| s.label().to_owned())
        .unwrap_or_else(|| other.to_owned()),
    }
}

fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0).replace('.', ",")
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

async fn show_page(state: &AppState, user: &CurrentUser, id: i64, errors: Vec<String>) -> Result<ShowPage, AppError> {
    let record = state.store.initiative(id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(record.details.unit_id) {
        return Err(AppError::Forbidden);
    }
    let names = unit_names(state).await?;
    let unit = names.get(&record.details.unit_id).cloned().unwrap_or_default();
    let original = match record.details.replicated_from {
        Some(o) => state.store.initiative(o).await?.map(|o| {
            (
                o.id,
                o.details.name,
                names.get(&o.details.unit_id).cloned().unwrap_or_default(),
            )
        }),
        None => None,
    };
    let replications = state
        .store
        .replications_of(id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.name,
                names.get(&r.unit_id).cloned().unwrap_or_default(),
                r.stage.label(),
            )
        })
        .collect();
    let events = state
        .store
        .initiative_events(id)
        .await?
        .into_iter()
        .map(|e| EventRow {
            step: match e.level {
                Some(level) => format!("{} ({})", step_label(&e.step), level.label().to_lowercase()),
                None => step_label(&e.step),
            },
            stage: e.stage_after.label(),
            on: date::format_vn(e.happened_on),
            note: e.note,
            decision: e.decision.unwrap_or_default(),
            by: e.created_by,
        })
        .collect();
    let files = state
        .store
        .initiative_files(id)
        .await?
        .into_iter()
        .map(|(id, f)| FileRow {
            id,
            kind: if f.content_type.starts_with("image/") {
                "Ảnh"
            } else {
                "Tài liệu"
            },
            size: size_label(f.size_bytes),
            name: f.file_name,
        })
        .collect();
    let can_record = user.keeps_records_of(record.details.unit_id);
    let can_decide = user.role.manages_units();
    let steps = next_steps(record.stage)
        .into_iter()
        .filter(|s| if s.needs_decision() { can_decide } else { can_record })
        .map(|s| (s.code(), s.label()))
        .collect();
    let d = &record.details;
    Ok(ShowPage {
        layout: Layout::new(state, Some(user), "initiatives"),
        unit,
        kind: d.kind.label(),
        field: d.field.label(),
        stage: record.stage.label(),
        starts_on: date::format_vn(d.starts_on),
        ends_on: date::format_vn(d.ends_on),
        registered_on: date::format_vn(d.registered_on),
        recognition: record
            .recognised
            .as_ref()
            .map(|r| (r.level.label(), r.decision.clone(), date::format_vn(r.on))),
        original,
        replications,
        events,
        files,
        steps,
        levels: Level::ALL.iter().map(|l| (l.code(), l.label())).collect(),
        can_record,
        can_decide,
        can_replicate: record.stage.is_recognised()
            && (user.role.manages_units() || user.role == danvan_domain::Role::Officer),
        errors,
        record,
    })
}

pub async fn show_initiative(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let page = show_page(&state, &user, id, vec![]).await?;
    // Who leads and who takes part are shown here whether public or not.
    danvan_app::security::personal_read(&state.store, &user.acting(ip), "initiative", id).await?;
    render(&page)
}

#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    happened_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    decision: String,
}

/// Records a lifecycle step. The agency records its own steps; recognition and commendation
/// are recorded by the Department, with the deciding document.
pub async fn record_step(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<StepForm>,
) -> Result<Response, AppError> {
    let record = state.store.initiative(id).await?.ok_or(AppError::NotFound)?;
    let Some(step) = Step::parse(&form.step, Level::from_code(&form.level)) else {
        let error = "Chọn bước cần ghi nhận (và cấp công nhận khi công nhận).".to_owned();
        return render_invalid(&show_page(&state, &user, id, vec![error]).await?);
    };
    let allowed = if step.needs_decision() {
        user.role.manages_units()
    } else {
        user.keeps_records_of(record.details.unit_id)
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let happened_on = date::parse(&form.happened_on);
    if happened_on.is_none() {
        errors.push("Ngày thực hiện phải là ngày hợp lệ (ngày/tháng/năm).".to_owned());
    }
    if matches!(step, Step::InterimReview | Step::FinalReview | Step::Stop) && form.note.trim().is_empty() {
        errors.push("Sơ kết, tổng kết hay dừng thực hiện cần ghi kết quả hoặc lý do.".to_owned());
    }
    if form.note.chars().count() > 10_000 {
        errors.push("Kết quả, ghi chú không quá 10.000 ký tự.".to_owned());
    }
    let decision = form.decision.trim();
    if step.needs_decision() && (decision.is_empty() || decision.chars().count() > 100) {
        errors.push("Ghi số, ký hiệu quyết định công nhận hoặc khen thưởng (không quá 100 ký tự).".to_owned());
    }
    let (Some(happened_on), true) = (happened_on, errors.is_empty()) else {
        return render_invalid(&show_page(&state, &user, id, errors).await?);
    };
    let input = StepInput {
        step,
        happened_on,
        note: form.note.trim().to_owned(),
        decision: step.needs_decision().then(|| decision.to_owned()),
    };
    match danvan_app::initiative::advance(&state.store, &user.acting(ip), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/initiatives/{id}")).into_response()),
        Err(danvan_app::Refusal::State(error)) => render_invalid(&show_page(&state, &user, id, vec![error]).await?),
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&show_page(&state, &user, id, errors).await?),
        Err(other) => Err(other.into()),
    }
}

/// Adds photos and documents to an initiative (type sniffed, 10 MB each, five at a time).
pub async fn upload_initiative_files(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let record = state.store.initiative(id).await?.ok_or(AppError::NotFound)?;
    if !user.keeps_records_of(record.details.unit_id) {
        return Err(AppError::Forbidden);
    }
    let files = uploaded_files(&mut multipart, "file").await?;
    let mut errors = Vec::new();
    if files.is_empty() {
        errors.push("Chọn ít nhất một tệp.".to_owned());
    }
    if files.len() > MAX_FILES {
        errors.push(format!("Tối đa {MAX_FILES} tệp mỗi lần tải lên."));
    }
    let checked = check_files(&state.heavy, &files, &mut errors).await?;
    let incoming = files.iter().map(|(_, b)| b.len()).sum();
    crate::pages::check_quota(&state, record.details.unit_id, incoming, &mut errors).await?;
    if !errors.is_empty() {
        return render_invalid(&show_page(&state, &user, id, errors).await?);
    }
    let stored = store_files(&state.store, checked).await?;
    danvan_app::initiative::add_files(&state.store, &user.acting(ip), id, &stored).await?;
    Ok(Redirect::to(&format!("/initiatives/{id}")).into_response())
}

pub async fn download_initiative_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (initiative_id, attachment) = state.store.initiative_file(id).await?.ok_or(AppError::NotFound)?;
    let record = state.store.initiative(initiative_id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(record.details.unit_id) {
        return Err(AppError::Forbidden);
    }
    crate::pages::send_attachment(&state.store, &attachment, &format!("mo-hinh-{initiative_id}-tep-{id}")).await
}
