//! Training of officials: each agency's yearly plan and headcount, courses, attendance entered
//! by hand or imported from a spreadsheet (.xlsx, .xls, .ods; whole or not at all), and coverage per agency and year.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::StoreError;
use danvan_app::store::training::{CourseRecord, Headcount, NewCourse, TrainingPlan};
use danvan_domain::training::{self, Category, Coverage, RowError};
use danvan_domain::{UnitKind, collation, date};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::attendance::{self, ImportError};
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{XLSX, download, number, render, render_invalid, uploaded_files};
use crate::view::Layout;
use crate::xlsx::{Cell, Sheet, workbook};

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

pub struct CourseRow {
    id: i64,
    title: String,
    organiser: String,
    dates: String,
    place: String,
    attendees: i64,
}

pub struct CoverageRow {
    unit_id: i64,
    unit: String,
    shown: String,
    percent: Option<f64>,
}

#[derive(Template)]
#[template(path = "training/index.html")]
pub struct IndexPage {
    layout: Layout,
    year: i32,
    courses: Vec<CourseRow>,
    coverage: Vec<CoverageRow>,
    units: Vec<(i64, String)>,
    can_add: bool,
    own_unit: Option<i64>,
    errors: Vec<String>,
    form: CourseForm,
}

fn dates(from: time::Date, to: time::Date) -> String {
    if from == to {
        date::format_vn(from)
    } else {
        format!("{} – {}", date::format_vn(from), date::format_vn(to))
    }
}

async fn index_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    errors: Vec<String>,
    form: CourseForm,
) -> Result<IndexPage, AppError> {
    let all = state.store.list_units().await?;
    let names: HashMap<i64, String> = all.iter().map(|u| (u.id, u.name.clone())).collect();
    let courses = state
        .store
        .courses(None, year)
        .await?
        .into_iter()
        .map(|c| CourseRow {
            id: c.id,
            title: c.course.title,
            organiser: c.course.organiser,
            dates: dates(c.course.starts_on, c.course.ends_on),
            place: c.course.place,
            attendees: c.attendees,
        })
        .collect();
    let mut coverage: Vec<CoverageRow> = state
        .store
        .coverage(year)
        .await?
        .into_iter()
        .filter(|c| user.sees_unit(c.unit_id))
        .map(|c| CoverageRow {
            unit_id: c.unit_id,
            unit: names.get(&c.unit_id).cloned().unwrap_or_default(),
            shown: c.coverage.shown(),
            percent: c.coverage.percent(),
        })
        .collect();
    coverage.sort_by(|a, b| collation::compare(&a.unit, &b.unit));
    let today = state.clock.today();
    let mut units: Vec<(i64, String)> = all
        .iter()
        .filter(|u| u.is_active_on(today) && u.kind != UnitKind::ProvincialCommittee)
        .map(|u| (u.id, u.name.clone()))
        .collect();
    units.sort_by(|a, b| collation::compare(&a.1, &b.1));
    Ok(IndexPage {
        layout: Layout::new(state, Some(user), "training"),
        year,
        courses,
        coverage,
        units: if user.role.manages_units() { units } else { vec![] },
        can_add: user.keeps_records(),
        own_unit: user.unit_id,
        errors,
        form,
    })
}

/// A year's courses and the coverage of the agencies the user sees.
pub async fn show_training(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = number(&query.year).unwrap_or(state.clock.today().year());
    render(&index_page(&state, &user, year, vec![], CourseForm::default()).await?)
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CourseForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    trainers: String,
}

pub async fn create_course(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<CourseForm>,
) -> Result<Response, AppError> {
    let unit_id = user.record_unit(&form.unit)?;
    let mut errors = Vec::new();
    let mut text = |value: &str, limit: usize, what: &str| {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > limit {
            errors.push(format!("{what} không được để trống và không quá {limit} ký tự."));
        }
        value.to_owned()
    };
    let title = text(&form.title, 300, "Tên lớp");
    let topic = text(&form.topic, 1000, "Chủ đề");
    let place = text(&form.place, 300, "Địa điểm");
    let organiser = text(&form.organiser, 300, "Đơn vị tổ chức");
    let trainers = text(&form.trainers, 1000, "Báo cáo viên");
    let starts_on = date::parse(&form.starts_on);
    let ends_on = date::parse(&form.ends_on);
    if starts_on.is_none() || ends_on.is_none() {
        errors.push("Ngày bắt đầu, ngày kết thúc phải là ngày hợp lệ (ngày/tháng/năm).".into());
    }
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push("Ngày kết thúc không được trước ngày bắt đầu.".into());
    }
    if unit_id.is_none() {
        errors.push("Chọn cơ quan, đơn vị giữ hồ sơ lớp.".into());
    }
    let year = starts_on.map(|d| d.year()).unwrap_or(state.clock.today().year());
    let (Some(unit_id), Some(starts_on), Some(ends_on), true) = (unit_id, starts_on, ends_on, errors.is_empty()) else {
        return render_invalid(&index_page(&state, &user, year, errors, form).await?);
    };
    let course = NewCourse {
        unit_id,
        title,
        topic,
        starts_on,
        ends_on,
        place,
        organiser,
        trainers,
    };
    let id = danvan_app::training::add_course(&state.store, &user.acting(ip), &course).await?;
    Ok(Redirect::to(&format!("/training/courses/{id}")).into_response())
}

pub struct AttendeeRow {
    name: String,
    position: String,
    unit: String,
    category: &'static str,
}

#[derive(Template)]
#[template(path = "training/course.html")]
pub struct CoursePage {
    layout: Layout,
    course: CourseRecord,
    unit: String,
    dates: String,
    rows: Vec<AttendeeRow>,
    /// Only part of the list is shown (an agency sees its own officials).
    partial: bool,
    can_add: bool,
    categories: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
    errors: Vec<String>,
    row_errors: Vec<RowError>,
    columns: [&'static str; 4],
}

async fn course_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: Vec<String>,
    row_errors: Vec<RowError>,
) -> Result<CoursePage, AppError> {
    let course = state.store.course(id).await?.ok_or(AppError::NotFound)?;
    let all = state.store.list_units().await?;
    let names: HashMap<i64, String> = all.iter().map(|u| (u.id, u.name.clone())).collect();
    // The organiser and those who oversee see the whole list; an agency its own officials.
    let whole = user.role.sees_all() || user.keeps_records_of(course.course.unit_id);
    let attendance = state.store.attendance_of(id).await?;
    let total = attendance.len();
    let rows: Vec<AttendeeRow> = attendance
        .into_iter()
        .filter(|a| whole || user.unit_id == Some(a.unit_id))
        .map(|a| AttendeeRow {
            unit: names.get(&a.unit_id).cloned().unwrap_or_default(),
            name: a.name,
            position: a.position,
            category: a.category.label(),
        })
        .collect();
    let mut units: Vec<(i64, String)> = all
        .iter()
        .filter(|u| u.is_active_on(course.course.starts_on))
        .map(|u| (u.id, u.name.clone()))
        .collect();
    units.sort_by(|a, b| collation::compare(&a.1, &b.1));
    Ok(CoursePage {
        layout: Layout::new(state, Some(user), "training"),
        unit: names.get(&course.course.unit_id).cloned().unwrap_or_default(),
        dates: dates(course.course.starts_on, course.course.ends_on),
        partial: rows.len() < total,
        rows,
        can_add: user.keeps_records_of(course.course.unit_id),
        categories: Category::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        units,
        errors,
        row_errors,
        columns: training::COLUMNS,
        course,
    })
}

pub async fn show_course(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let page = course_page(&state, &user, id, vec![], vec![]).await?;
    if !page.rows.is_empty() {
        danvan_app::security::personal_read(&state.store, &user.acting(ip), "training_course", id).await?;
    }
    render(&page)
}

#[derive(Debug, Default, Deserialize)]
pub struct AttendeeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    category: String,
}

/// Adds one official by hand, checked by the same rules as an imported row.
pub async fn add_attendee(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<AttendeeForm>,
) -> Result<Response, AppError> {
    let course = state.store.course(id).await?.ok_or(AppError::NotFound)?;
    if !user.keeps_records_of(course.course.unit_id) {
        return Err(AppError::Forbidden);
    }
    let unit = match number::<i64>(&form.unit) {
        Some(unit_id) => state.store.unit(unit_id).await?.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let agencies = agencies(&state, course.course.starts_on).await?;
    let category = Category::from_code(&form.category)
        .map(|c| c.label().to_owned())
        .unwrap_or_default();
    let cells = [form.name, form.position, unit, category];
    match training::check_row(1, &cells, &agencies) {
        Ok(attendee) => {
            danvan_app::training::add_attendance(&state.store, &user.acting(ip), id, &[attendee], "nhập tay").await?;
            Ok(Redirect::to(&format!("/training/courses/{id}")).into_response())
        }
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|e| format!("{}: {}.", e.column, e.why))
                .collect();
            render_invalid(&course_page(&state, &user, id, errors, vec![]).await?)
        }
    }
}

/// Agencies alive on a day by the keys an official may write them under: the full name, the
/// short name and the code.
async fn agencies(state: &AppState, on: time::Date) -> Result<HashMap<String, i64>, AppError> {
    let mut map = HashMap::new();
    for unit in state.store.list_units().await? {
        if !unit.is_active_on(on) {
            continue;
        }
        for key in [&unit.name, &unit.short_name, &unit.code] {
            if !key.trim().is_empty() {
                map.insert(training::agency_key(key), unit.id);
            }
        }
    }
    Ok(map)
}

/// Imports an attendance list from a spreadsheet (.xlsx, .xls, .ods): every row is checked
/// first; any bad row refuses the whole file with every error listed, and nothing is stored.
pub async fn import_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let course = state.store.course(id).await?.ok_or(AppError::NotFound)?;
    if !user.keeps_records_of(course.course.unit_id) {
        return Err(AppError::Forbidden);
    }
    let upload = uploaded_files(&mut multipart, "file").await?.into_iter().next();
    let refuse =
        |message: String| async { render_invalid(&course_page(&state, &user, id, vec![message], vec![]).await?) };
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return refuse("Chọn tệp bảng tính (.xlsx, .xls hoặc .ods) danh sách học viên.".into()).await;
    };
    if bytes.len() > attendance::MAX_BYTES {
        return refuse("Tệp lớn hơn 10 MB.".into()).await;
    }
    let agencies = agencies(&state, course.course.starts_on).await?;
    // Read off the request threads, a few files at once.
    let read = {
        let bytes = bytes.clone();
        state.heavy.run(move || attendance::read(&bytes, &agencies)).await?
    };
    match read {
        Ok(attendees) => {
            let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            let safe: String = name.chars().filter(|c| !c.is_control()).take(120).collect();
            let source = format!("{safe} (sha256 {digest})");
            danvan_app::training::add_attendance(&state.store, &user.acting(ip), id, &attendees, &source).await?;
            Ok(Redirect::to(&format!("/training/courses/{id}")).into_response())
        }
        Err(ImportError::File(message)) => refuse(message).await,
        Err(ImportError::Rows(errors)) => {
            let summary = format!(
                "Không nhập tệp “{}”: {} lỗi. Sửa các dòng dưới đây rồi tải lại; chưa có dòng nào được lưu.",
                name.chars().take(120).collect::<String>(),
                errors.len()
            );
            render_invalid(&course_page(&state, &user, id, vec![summary], errors).await?)
        }
    }
}

/// An empty attendance list with the expected header, to fill in.
pub async fn attendance_template(_user: CurrentUser) -> Result<Response, AppError> {
    let example: Vec<Vec<Cell>> = vec![vec![
        "Nguyễn Văn A".into(),
        "Chuyên viên".into(),
        "Sở Nội vụ".into(),
        Category::CongChuc.label().into(),
    ]];
    // No title row: the import reads the first row as the header.
    let sheet = Sheet::new("Danh sách học viên", None, &training::COLUMNS, example);
    let bytes = workbook(&[sheet]).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(XLSX, "mau-danh-sach-hoc-vien.xlsx", bytes))
}

// ---- One agency's plan and headcount -------------------------------------------------------

#[derive(Debug, Default, Clone, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    planned_courses: String,
    #[serde(default)]
    planned_people: String,
    #[serde(default)]
    can_bo: String,
    #[serde(default)]
    cong_chuc: String,
    #[serde(default)]
    vien_chuc: String,
}

#[derive(Template)]
#[template(path = "training/unit.html")]
pub struct UnitPage {
    layout: Layout,
    unit_id: i64,
    unit: String,
    year: i32,
    plan: Option<TrainingPlan>,
    headcount: Option<Headcount>,
    coverage: String,
    by_category: Vec<(&'static str, String)>,
    courses: Vec<CourseRow>,
    can_edit: bool,
    errors: Vec<String>,
    form: PlanForm,
}

async fn unit_page(
    state: &AppState,
    user: &CurrentUser,
    unit_id: i64,
    year: i32,
    errors: Vec<String>,
    form: Option<PlanForm>,
) -> Result<UnitPage, AppError> {
    if !user.sees_unit(unit_id) {
        return Err(AppError::Forbidden);
    }
    let unit = state.store.unit(unit_id).await?.ok_or(AppError::NotFound)?;
    let plan = state.store.training_plan(unit_id, year).await?;
    let headcount = state.store.headcount(unit_id, year).await?;
    let coverage = state
        .store
        .coverage(year)
        .await?
        .into_iter()
        .find(|c| c.unit_id == unit_id)
        .map(|c| c.coverage)
        .unwrap_or(Coverage {
            trained: 0,
            headcount: headcount.map(|h| h.total() as u32),
        });
    let by_category = state
        .store
        .trained_by_category(unit_id, year)
        .await?
        .into_iter()
        .map(|(category, trained)| {
            let headcount = headcount.map(|h| match category {
                Category::CanBo => h.can_bo,
                Category::CongChuc => h.cong_chuc,
                Category::VienChuc => h.vien_chuc,
            } as u32);
            (category.label(), Coverage { trained, headcount }.shown())
        })
        .collect();
    let courses = state
        .store
        .courses(Some(unit_id), year)
        .await?
        .into_iter()
        .map(|c| CourseRow {
            id: c.id,
            title: c.course.title,
            organiser: c.course.organiser,
            dates: dates(c.course.starts_on, c.course.ends_on),
            place: c.course.place,
            attendees: c.attendees,
        })
        .collect();
    let form = form.unwrap_or_else(|| PlanForm {
        year: year.to_string(),
        content: plan.as_ref().map(|p| p.content.clone()).unwrap_or_default(),
        planned_courses: plan.as_ref().map(|p| p.planned_courses.to_string()).unwrap_or_default(),
        planned_people: plan.as_ref().map(|p| p.planned_people.to_string()).unwrap_or_default(),
        can_bo: headcount.map(|h| h.can_bo.to_string()).unwrap_or_default(),
        cong_chuc: headcount.map(|h| h.cong_chuc.to_string()).unwrap_or_default(),
        vien_chuc: headcount.map(|h| h.vien_chuc.to_string()).unwrap_or_default(),
    });
    Ok(UnitPage {
        layout: Layout::new(state, Some(user), "training"),
        unit_id,
        unit: unit.name,
        year,
        plan,
        headcount,
        coverage: coverage.shown(),
        by_category,
        courses,
        can_edit: user.keeps_records_of(unit_id),
        errors,
        form,
    })
}

pub async fn show_unit_training(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = number(&query.year).unwrap_or(state.clock.today().year());
    render(&unit_page(&state, &user, id, year, vec![], None).await?)
}

/// Saves an agency's plan and headcount for a year, together.
pub async fn save_unit_training(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<PlanForm>,
) -> Result<Response, AppError> {
    if !user.keeps_records_of(id) {
        return Err(AppError::Forbidden);
    }
    state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let year: Option<i32> = number(&form.year).filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.push("Năm phải là năm hợp lệ (ví dụ 2022).".to_owned());
    }
    let mut count = |value: &str, what: &str| {
        let parsed: Option<i64> = number(value).filter(|n| (0..=1_000_000).contains(n));
        if parsed.is_none() {
            errors.push(format!("{what} phải là số nguyên không âm."));
        }
        parsed.unwrap_or(0)
    };
    let planned_courses = count(&form.planned_courses, "Số lớp dự kiến");
    let planned_people = count(&form.planned_people, "Số lượt người dự kiến");
    let can_bo = count(&form.can_bo, "Số cán bộ");
    let cong_chuc = count(&form.cong_chuc, "Số công chức");
    let vien_chuc = count(&form.vien_chuc, "Số viên chức");
    let content = form.content.trim().to_owned();
    if content.is_empty() || content.chars().count() > 10_000 {
        errors.push("Nội dung kế hoạch không được để trống và không quá 10.000 ký tự.".to_owned());
    }
    let Some(year) = year.filter(|_| errors.is_empty()) else {
        let shown = year.unwrap_or(state.clock.today().year());
        return render_invalid(&unit_page(&state, &user, id, shown, errors, Some(form)).await?);
    };
    let plan = TrainingPlan {
        unit_id: id,
        year,
        content,
        planned_courses,
        planned_people,
    };
    let headcount = Headcount {
        unit_id: id,
        year,
        can_bo,
        cong_chuc,
        vien_chuc,
    };
    match danvan_app::training::save_year(&state.store, &user.acting(ip), &plan, &headcount).await {
        Ok(()) => {}
        Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
            return Err(AppError::BadRequest("Số liệu kế hoạch, biên chế không hợp lệ."));
        }
        Err(other) => return Err(other.into()),
    }
    Ok(Redirect::to(&format!("/units/{id}/training?year={year}")).into_response())
}
