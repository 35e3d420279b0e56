//! Periodic reports: rounds per kind and period, each agency's filing (texts, figures prefilled
//! from danvan and editable with the change noted, checks, files), the Department's review,
//! completeness and timeliness, and the province's compiled report in Word and Excel.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::report::{FilingRecord, RoundRecord, RoundState};
use danvan_app::store::{Store, StoreError};
use danvan_domain::report::{Period, PeriodType, ReportKind, ValueType, format_number};
use danvan_domain::{Role, Unit, UnitKind, collation, date};
use serde::Deserialize;
use time::Date;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{number, render, render_invalid};
use crate::view::Layout;

/// The report kinds danvan ships (`reports/`): the half-year and annual mobilization-work
/// reports.
pub const SHIPPED_KINDS: &[&str] = &[
    include_str!("../../../../reports/bao-cao-dan-van-6-thang.toml"),
    include_str!("../../../../reports/bao-cao-dan-van-nam.toml"),
];

/// Saves each shipped kind whose code the database does not hold yet; returns how many.
pub async fn install_report_kinds(store: &Store) -> Result<usize, StoreError> {
    let held: Vec<String> = store.report_kinds().await?.into_iter().map(|k| k.code).collect();
    let mut added = 0;
    for source in SHIPPED_KINDS {
        let kind = danvan_domain::report::parse(source)
            .map_err(|e| StoreError::Corrupt(format!("shipped report kind: {}", e[0])))?;
        if !held.contains(&kind.code) {
            let installer = danvan_app::User::system("danvan", Role::Admin, None);
            danvan_app::report::save_kind(store, &installer, source)
                .await
                .map_err(|refusal| match refusal {
                    danvan_app::Refusal::Store(error) => error,
                    other => StoreError::Corrupt(format!("shipped report kind: {other}")),
                })?;
            added += 1;
        }
    }
    Ok(added)
}

/// The agencies that must file a kind's report for a period: alive on the window's last day,
/// of an obliged kind or in an obliged group.
pub async fn obliged_units(store: &Store, kind: &ReportKind, on: Date) -> Result<Vec<i64>, StoreError> {
    let groups: Vec<i64> = store
        .list_groups()
        .await?
        .into_iter()
        .filter(|g| kind.obliged_groups.contains(&g.code))
        .map(|g| g.id)
        .collect();
    let mut ids: Vec<i64> = store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.is_active_on(on))
        .filter(|u| {
            kind.obliged_kinds.iter().any(|k| k == u.kind.code()) || u.group_id.is_some_and(|g| groups.contains(&g))
        })
        .map(|u| u.id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// The figures danvan holds for an agency over a window, by prefill source, as text.
pub async fn prefill(
    store: &Store,
    unit_id: i64,
    (from, to): (Date, Date),
    today: Date,
) -> Result<BTreeMap<&'static str, String>, StoreError> {
    let filter = danvan_app::store::directive::BoardFilter {
        due_from: Some(from),
        due_to: Some(to),
        unit_id: Some(unit_id),
        ..Default::default()
    };
    let counts = store
        .board_counts(&filter, today, false)
        .await?
        .into_iter()
        .find(|c| c.key == unit_id)
        .unwrap_or_default();
    let (registered, recognised) = store.initiative_counts(unit_id, from, to).await?;
    let (courses, people) = store.training_counts(unit_id, from, to).await?;
    let meetings = store.dissemination_count(unit_id, from, to).await?;
    let int = |n: i64| format_number(ValueType::Integer, n as f64);
    Ok(BTreeMap::from([
        ("tasks_due", int(counts.total())),
        ("tasks_done", int(counts.done_on_time + counts.done_late)),
        ("tasks_on_time", int(counts.done_on_time)),
        ("initiatives_registered", int(i64::from(registered))),
        ("initiatives_recognised", int(i64::from(recognised))),
        ("training_courses", int(i64::from(courses))),
        ("people_trained", int(i64::from(people))),
        ("dissemination_meetings", int(i64::from(meetings))),
    ]))
}

/// How a filing stands against its round's deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    OnTime,
    Late,
    Missing,
}

impl Timeliness {
    pub fn of(filing: &FilingRecord, deadline: Date) -> Timeliness {
        match filing.first_submitted_on {
            Some(day) if day <= deadline => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
            None => Timeliness::Missing,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Muộn",
            Timeliness::Missing => "Chưa nộp",
        }
    }
}

/// Reporting rates, as DHIS2 shows them: expected, submitted, on time, late, missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rates {
    pub expected: usize,
    pub on_time: usize,
    pub late: usize,
}

impl Rates {
    pub fn add(&mut self, t: Timeliness) {
        self.expected += 1;
        match t {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::Missing => {}
        }
    }

    pub fn submitted(&self) -> usize {
        self.on_time + self.late
    }

    pub fn missing(&self) -> usize {
        self.expected - self.submitted()
    }

    /// "12/15 (80 %)".
    fn share(part: usize, whole: usize) -> String {
        if whole == 0 {
            return "—".into();
        }
        format!("{part}/{whole} ({} %)", (part * 100 + whole / 2) / whole)
    }

    pub fn completeness(&self) -> String {
        Rates::share(self.submitted(), self.expected)
    }

    pub fn timeliness(&self) -> String {
        Rates::share(self.on_time, self.expected)
    }
}

/// A round's rates from the store's counts, without reading the filings.
pub async fn round_rates(store: &Store, round_id: i64) -> Result<Rates, StoreError> {
    let (expected, on_time, late) = store.round_counts(round_id).await?;
    Ok(Rates {
        expected,
        on_time,
        late,
    })
}

/// An agency's filings, the latest round first, each with its round and its title: three
/// queries whatever the number of rounds.
pub(crate) async fn own_filings(
    store: &Store,
    unit_id: i64,
) -> Result<Vec<(FilingRecord, RoundRecord, String)>, StoreError> {
    let kinds: HashMap<i64, String> = store
        .report_kinds()
        .await?
        .into_iter()
        .map(|k| (k.id, k.name))
        .collect();
    let rounds: HashMap<i64, RoundRecord> = store.rounds().await?.into_iter().map(|r| (r.id, r)).collect();
    Ok(store
        .filings_of(unit_id)
        .await?
        .into_iter()
        .filter_map(|f| {
            let round = rounds.get(&f.round_id)?.clone();
            let title = danvan_domain::report::title(
                kinds.get(&round.kind_id).map(String::as_str).unwrap_or(""),
                round.period,
            );
            Some((f, round, title))
        })
        .collect())
}

pub(crate) async fn kind_of(state: &AppState, round: &RoundRecord) -> Result<(String, ReportKind), AppError> {
    let record = state
        .store
        .report_kind(round.kind_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((record.name.clone(), record.kind()?))
}

// ---- The list -----------------------------------------------------------------------------

#[derive(Clone)]
pub struct RoundRow {
    id: i64,
    title: String,
    window: String,
    deadline: String,
    open: bool,
    rates: Rates,
}

pub struct OwnRow {
    filing_id: i64,
    title: String,
    deadline: String,
    state: &'static str,
    timeliness: &'static str,
}

#[derive(Template)]
#[template(path = "reports/list.html")]
pub struct ListPage {
    layout: Layout,
    rounds: Vec<RoundRow>,
    own: Vec<OwnRow>,
    kinds: Vec<(i64, String, &'static str)>,
    can_open: bool,
    errors: Vec<String>,
    this_year: i32,
}

async fn list_page(state: &AppState, user: &CurrentUser, errors: Vec<String>) -> Result<ListPage, AppError> {
    // The kinds, and every round with its rates for those who oversee, the same for every
    // viewer: kept while the data and the day have not moved (the rates are a count per round).
    let kept = state.kept_now().await?;
    let kinds = kept
        .get("report-kinds".into(), |_| async {
            Ok(state
                .store
                .report_kinds()
                .await?
                .into_iter()
                .map(|k| (k.id, k.name, k.period.label()))
                .collect::<Vec<(i64, String, &'static str)>>())
        })
        .await?;
    let rows = if user.role.sees_all() {
        kept.get("report-rounds".into(), |_| async {
            let names: HashMap<i64, &str> = kinds.iter().map(|(id, name, _)| (*id, name.as_str())).collect();
            let mut rows = Vec::new();
            for r in state.store.rounds().await? {
                rows.push(RoundRow {
                    id: r.id,
                    title: danvan_domain::report::title(names.get(&r.kind_id).copied().unwrap_or(""), r.period),
                    window: format!("{} – {}", date::format_vn(r.window.0), date::format_vn(r.window.1)),
                    deadline: date::format_vn(r.deadline),
                    open: r.state == RoundState::Open,
                    rates: round_rates(&state.store, r.id).await?,
                });
            }
            Ok(rows)
        })
        .await?
        .as_ref()
        .clone()
    } else {
        Vec::new()
    };
    let mut own = Vec::new();
    if let Some(unit_id) = user.unit_id {
        let filings = kept
            .get(format!("own-filings:{unit_id}"), |_| async move {
                Ok(own_filings(&state.store, unit_id).await?)
            })
            .await?;
        for (f, r, title) in filings.iter() {
            own.push(OwnRow {
                filing_id: f.id,
                title: title.clone(),
                deadline: date::format_vn(r.deadline),
                state: f.state.label_in(r.state),
                timeliness: Timeliness::of(f, r.deadline).label(),
            });
        }
    }
    Ok(ListPage {
        layout: Layout::new(state, Some(user), "reports"),
        rounds: rows,
        own,
        kinds: kinds.as_ref().clone(),
        can_open: user.role.manages_units(),
        errors,
        this_year: kept.today().year(),
    })
}

pub async fn list_reports(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&list_page(&state, &user, vec![]).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    kind_id: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    index: String,
}

/// Opens a round: the window from the period, the deadline that many working days after it,
/// a draft for every obliged agency.
pub async fn open_round(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<OpenForm>,
) -> Result<Response, AppError> {
    let kind_record = match number::<i64>(&form.kind_id) {
        Some(id) => state.store.report_kind(id).await?,
        None => None,
    };
    let Some(kind_record) = kind_record else {
        let errors = vec!["Chọn loại báo cáo.".to_owned()];
        return render_invalid(&list_page(&state, &user, errors).await?);
    };
    let kind = kind_record.kind()?;
    let index = number::<u8>(&form.index).unwrap_or(1);
    let Some(period) = number::<i32>(&form.year).and_then(|y| Period::new(kind.period, y, index)) else {
        let errors = vec![format!(
            "Kỳ báo cáo không hợp lệ: năm từ 2000 đến 2100{}.",
            match kind.period {
                PeriodType::Month => ", tháng từ 1 đến 12",
                PeriodType::Quarter => ", quý từ 1 đến 4",
                _ => "",
            }
        )];
        return render_invalid(&list_page(&state, &user, errors).await?);
    };
    let (_, last) = period.window();
    let deadline = state
        .store
        .work_calendar()
        .await?
        .add_working_days(last, kind.deadline_working_days);
    let units = obliged_units(&state.store, &kind, last).await?;
    match danvan_app::report::open_round(&state.store, &user.acting(ip), kind_record.id, period, deadline, &units).await
    {
        Ok(id) => Ok(Redirect::to(&format!("/reports/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&list_page(&state, &user, errors).await?),
        Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
            let errors = vec![format!("Đã mở kỳ báo cáo {} cho loại báo cáo này.", period.label())];
            render_invalid(&list_page(&state, &user, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

// ---- One round: completeness and timeliness ------------------------------------------------

#[derive(Clone)]
pub struct AgencyRow {
    filing_id: i64,
    unit: String,
    group: String,
    state: &'static str,
    submitted: String,
    timeliness: Timeliness,
}

#[derive(Template)]
#[template(path = "reports/round.html")]
pub struct RoundPage {
    layout: Layout,
    round: RoundRecord,
    title: String,
    window: String,
    deadline: String,
    total: Rates,
    groups: Vec<(String, Rates)>,
    agencies: Vec<AgencyRow>,
    missing: Vec<String>,
    can_manage: bool,
}

/// Units by id, and group names by group id.
pub(crate) async fn names(state: &AppState) -> Result<(HashMap<i64, Unit>, HashMap<i64, String>), AppError> {
    let units = state.store.list_units().await?.into_iter().map(|u| (u.id, u)).collect();
    let groups = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok((units, groups))
}

pub(crate) fn group_of(units: &HashMap<i64, Unit>, groups: &HashMap<i64, String>, unit_id: i64) -> String {
    units
        .get(&unit_id)
        .and_then(|u| u.group_id)
        .and_then(|g| groups.get(&g).cloned())
        .unwrap_or_else(|| "Khác".into())
}

/// A round's page as every viewer allowed to open it sees it, kept while the data has not moved.
#[derive(Clone)]
struct RoundView {
    round: RoundRecord,
    title: String,
    window: String,
    deadline: String,
    total: Rates,
    groups: Vec<(String, Rates)>,
    agencies: Vec<AgencyRow>,
    missing: Vec<String>,
}

async fn round_view(state: &AppState, id: i64) -> Result<Option<RoundView>, AppError> {
    let Some(round) = state.store.round(id).await? else {
        return Ok(None);
    };
    let (kind_name, _) = kind_of(state, &round).await?;
    let filings = state.store.filings(id).await?;
    let (units, groups) = names(state).await?;
    let mut total = Rates::default();
    let mut by_group: BTreeMap<String, Rates> = BTreeMap::new();
    let mut agencies = Vec::new();
    for f in &filings {
        let t = Timeliness::of(f, round.deadline);
        let group = group_of(&units, &groups, f.unit_id);
        total.add(t);
        by_group.entry(group.clone()).or_default().add(t);
        agencies.push(AgencyRow {
            filing_id: f.id,
            unit: units.get(&f.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            group,
            state: f.state.label_in(round.state),
            submitted: f.first_submitted_on.map(date::format_vn).unwrap_or_default(),
            timeliness: t,
        });
    }
    agencies.sort_by(|a, b| collation::compare(&a.group, &b.group).then(collation::compare(&a.unit, &b.unit)));
    let missing = agencies
        .iter()
        .filter(|a| a.timeliness == Timeliness::Missing)
        .map(|a| a.unit.clone())
        .collect();
    let mut groups: Vec<(String, Rates)> = by_group.into_iter().collect();
    groups.sort_by(|a, b| collation::compare(&a.0, &b.0));
    Ok(Some(RoundView {
        title: danvan_domain::report::title(&kind_name, round.period),
        window: format!(
            "{} – {}",
            date::format_vn(round.window.0),
            date::format_vn(round.window.1)
        ),
        deadline: date::format_vn(round.deadline),
        total,
        groups,
        agencies,
        missing,
        round,
    }))
}

pub async fn show_round(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let kept = state
        .kept_found(format!("round:{id}"), |_| round_view(&state, id))
        .await?;
    let view = kept.ok_or(AppError::NotFound)?.as_ref().clone();
    render(&RoundPage {
        layout: Layout::new(&state, Some(&user), "reports"),
        title: view.title,
        window: view.window,
        deadline: view.deadline,
        total: view.total,
        groups: view.groups,
        agencies: view.agencies,
        missing: view.missing,
        can_manage: user.role.manages_units(),
        round: view.round,
    })
}

pub async fn close_round(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    danvan_app::report::close_round(&state.store, &user.acting(ip), id).await?;
    Ok(Redirect::to(&format!("/reports/{id}")).into_response())
}

// ---- Report kinds ----------------------------------------------------------------------------

/// The largest report kind file accepted.
pub const MAX_KIND_BYTES: usize = 256 * 1024;

pub struct KindRow {
    id: i64,
    code: String,
    name: String,
    period: &'static str,
    deadline: u32,
    obliged: String,
    sections: usize,
    indicators: usize,
}

#[derive(Template)]
#[template(path = "reports/kinds.html")]
pub struct KindsPage {
    layout: Layout,
    kinds: Vec<KindRow>,
    can_upload: bool,
    errors: Vec<String>,
}

async fn kinds_page(state: &AppState, user: &CurrentUser, errors: Vec<String>) -> Result<KindsPage, AppError> {
    let mut kinds = Vec::new();
    for record in state.store.report_kinds().await? {
        let kind = record.kind()?;
        let mut obliged: Vec<String> = kind
            .obliged_kinds
            .iter()
            .filter_map(|k| UnitKind::from_code(k).map(|k| k.label().to_owned()))
            .collect();
        obliged.extend(kind.obliged_groups.iter().map(|g| format!("khối {g}")));
        kinds.push(KindRow {
            id: record.id,
            code: record.code,
            name: record.name,
            period: record.period.label(),
            deadline: kind.deadline_working_days,
            obliged: obliged.join(", "),
            sections: kind.sections.len(),
            indicators: kind.indicators.len(),
        });
    }
    Ok(KindsPage {
        layout: Layout::new(state, Some(user), "reports"),
        kinds,
        can_upload: user.role.manages_units(),
        errors,
    })
}

pub async fn list_kinds(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&kinds_page(&state, &user, vec![]).await?)
}

/// An admin adds a report kind from its TOML file: checked whole, every problem with its line;
/// a code is never reused.
pub async fn upload_kind(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let file = crate::pages::uploaded_files(&mut multipart, "file")
        .await?
        .into_iter()
        .next();
    let refuse = |errors: Vec<String>| async { render_invalid(&kinds_page(&state, &user, errors).await?) };
    let Some((_, bytes)) = file else {
        return refuse(vec!["Chọn tệp loại báo cáo (.toml).".into()]).await;
    };
    if bytes.len() > MAX_KIND_BYTES {
        return refuse(vec!["Tệp lớn hơn 256 KB.".into()]).await;
    }
    let Ok(source) = std::str::from_utf8(&bytes) else {
        return refuse(vec!["Tệp không phải văn bản UTF-8.".into()]).await;
    };
    match danvan_app::report::save_kind(&state.store, &user.acting(ip), source).await {
        Ok((id, _)) => Ok(Redirect::to(&format!("/reports/kinds/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => refuse(errors).await,
        Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
            let code = danvan_domain::report::parse(source).map(|k| k.code).unwrap_or_default();
            refuse(vec![format!("Đã có loại báo cáo mã \"{code}\"; loại mới cần mã mới.")]).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "reports/kind.html")]
pub struct KindPage {
    layout: Layout,
    id: i64,
    /// The viewer may start a new kind from this one.
    can_edit: bool,
    code: String,
    kind: ReportKind,
    period: &'static str,
    example: String,
}

/// A kind's outline and data table, and the window of its latest period as an example.
pub async fn show_kind(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let record = state.store.report_kind(id).await?.ok_or(AppError::NotFound)?;
    let kind = record.kind()?;
    let year = state.clock.today().year();
    let example = Period::new(kind.period, year, 1)
        .map(|p| {
            let (from, to) = p.window();
            format!(
                "Kỳ {}: số liệu từ {} đến {}",
                p.label(),
                date::format_vn(from),
                date::format_vn(to)
            )
        })
        .unwrap_or_default();
    render(&KindPage {
        layout: Layout::new(&state, Some(&user), "reports"),
        id,
        can_edit: user.role.manages_units(),
        code: record.code,
        period: record.period.label(),
        kind,
        example,
    })
}
