//! The province's report compiled from a round's filings: the Department's texts for each
//! section, and the Word report and Excel annex.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::report::{FilingRecord, RoundRecord};
use danvan_domain::report::ReportKind;
use danvan_domain::{Unit, collation};
use time::Date;

use super::filings::SectionRow;
use super::reports::{group_of, kind_of, names};
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::compiled::{self, AgencyFiling, Heading};
use crate::error::AppError;
use crate::pages::{DOCX, XLSX, download, render};
use crate::view::Layout;

// ---- The compiled report -------------------------------------------------------------------

struct Compiled {
    round: RoundRecord,
    kind_name: String,
    kind: ReportKind,
    filings: Vec<FilingRecord>,
    units: HashMap<i64, Unit>,
    groups: HashMap<i64, String>,
}

impl Compiled {
    async fn load(state: &AppState, id: i64) -> Result<Compiled, AppError> {
        let round = state.store.round(id).await?.ok_or(AppError::NotFound)?;
        let (kind_name, kind) = kind_of(state, &round).await?;
        let filings = state.store.filings(id).await?;
        let (units, groups) = names(state).await?;
        Ok(Compiled {
            round,
            kind_name,
            kind,
            filings,
            units,
            groups,
        })
    }

    /// Agencies by group then name, in Vietnamese order.
    fn agencies(&self) -> Vec<AgencyFiling<'_>> {
        let mut out: Vec<AgencyFiling> = self
            .filings
            .iter()
            .map(|f| AgencyFiling {
                unit: self.units.get(&f.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                group: group_of(&self.units, &self.groups, f.unit_id),
                filing: f,
            })
            .collect();
        out.sort_by(|a, b| collation::compare(&a.group, &b.group).then(collation::compare(&a.unit, &b.unit)));
        out
    }

    /// The People's Committee that issues and signs the report on `day`.
    fn committee(&self, day: Date) -> Option<&Unit> {
        danvan_domain::unit::province_committee(self.units.values(), day)
    }

    fn province(&self, day: Date) -> String {
        self.committee(day).map(Unit::province_name).unwrap_or_default()
    }

    fn province_id(&self, day: Date) -> Option<i64> {
        self.committee(day).map(|u| u.id)
    }
}

#[derive(Template)]
#[template(path = "reports/compile.html")]
pub struct CompilePage {
    layout: Layout,
    round_id: i64,
    title: String,
    counted: usize,
    expected: usize,
    sections: Vec<SectionRow>,
    figures: Vec<(String, String, String, String)>,
    saved: bool,
    /// Who signs the Word report, from the leader register; `None`: the name is left blank.
    signer: Option<String>,
}

pub async fn show_compilation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let c = Compiled::load(&state, id).await?;
    let agencies = c.agencies();
    let saved = state.store.compilation(id).await?;
    let gathered = compiled::gathered(&c.kind, &agencies);
    let text = saved.clone().unwrap_or(gathered);
    let figures = compiled::figures(&c.kind, &agencies)
        .iter()
        .map(|f| {
            (
                f.indicator.name.clone(),
                f.indicator.unit.clone(),
                f.shown(),
                format!("{} ({} đơn vị)", f.indicator.aggregate.label(), f.reported_by),
            )
        })
        .collect();
    let signer = match c.province_id(state.clock.today()) {
        Some(province) => crate::pages::committee_signer(&state, province)
            .await?
            .map(|s| format!("{}, {}", s.name, s.position)),
        None => None,
    };
    render(&CompilePage {
        layout: Layout::new(&state, Some(&user), "reports"),
        signer,
        round_id: id,
        title: danvan_domain::report::title(&c.kind_name, c.round.period),
        counted: agencies.iter().filter(|a| a.counts()).count(),
        expected: agencies.len(),
        sections: c
            .kind
            .sections
            .iter()
            .map(|s| SectionRow {
                id: s.id.clone(),
                title: s.title.clone(),
                guidance: s.guidance.clone(),
                text: text.get(&s.id).cloned().unwrap_or_default(),
            })
            .collect(),
        figures,
        saved: saved.is_some(),
    })
}

/// The Department saves the province's text, section by section.
pub async fn save_compilation(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let c = Compiled::load(&state, id).await?;
    let mut sections = BTreeMap::new();
    for s in &c.kind.sections {
        let key = format!("s_{}", s.id);
        let text = form
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default();
        if text.chars().count() > 200_000 {
            return Err(AppError::BadRequest("Nội dung một phần không quá 200.000 ký tự."));
        }
        sections.insert(s.id.clone(), text);
    }
    danvan_app::report::save_compilation(&state.store, &user.acting(ip), id, &sections).await?;
    Ok(Redirect::to(&format!("/reports/{id}/compile")).into_response())
}

/// The compiled report as a Word or Excel file, computed and written on the heavy pool.
async fn compiled_files(state: &AppState, id: i64, word: bool) -> Result<Vec<u8>, AppError> {
    let c = Compiled::load(state, id).await?;
    let edited = if word { state.store.compilation(id).await? } else { None };
    let today = state.clock.today();
    let year_of_issue = today.year();
    let signer = match (word, c.province_id(today)) {
        (true, Some(province)) => crate::pages::committee_signer(state, province).await?,
        _ => None,
    };
    let bytes = state
        .heavy
        .run(move || {
            let agencies = c.agencies();
            let figures = compiled::figures(&c.kind, &agencies);
            if word {
                let text = edited.unwrap_or_else(|| compiled::gathered(&c.kind, &agencies));
                let heading = Heading {
                    province: c.province(today),
                    period: c.round.period,
                    year_of_issue,
                    signer,
                };
                let counted = agencies.iter().filter(|a| a.counts()).count();
                compiled::docx(&c.kind, &heading, &text, &figures, agencies.len(), counted)
            } else {
                compiled::xlsx(&c.kind, c.round.state, &agencies, &figures)
            }
        })
        .await?;
    bytes.map_err(|e| AppError::Internal(format!("compiled report: {e}")))
}

pub async fn export_report(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let bytes = compiled_files(&state, id, true).await?;
    Ok(download(DOCX, &format!("bao-cao-tong-hop-{id}.docx"), bytes))
}

pub async fn export_annex(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let bytes = compiled_files(&state, id, false).await?;
    Ok(download(XLSX, &format!("phu-luc-so-lieu-{id}.xlsx"), bytes))
}
