//! The public gallery of recognised initiatives, readable without signing in (names shown only
//! where the initiative allows it).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use danvan_app::store::initiative::{GALLERY_COUNT_LIMIT, GalleryQuery, InitiativeRecord};
use danvan_domain::date;
use danvan_domain::initiative::Field;
use danvan_domain::search::query_terms;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::{number, render};
use crate::view::Layout;

use super::initiatives::{chooser, unit_names};

/// Lines per gallery page.
const GALLERY_PAGE: i64 = 20;

// ---- The public gallery --------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct GalleryParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    page: String,
}

#[derive(Clone)]
pub struct GalleryRow {
    id: i64,
    name: String,
    unit: String,
    field: &'static str,
    kind: &'static str,
    recognition: String,
}

#[derive(Template)]
#[template(path = "initiatives/gallery.html")]
pub struct GalleryPage {
    layout: Layout,
    rows: Vec<GalleryRow>,
    total_shown: String,
    q: String,
    field: String,
    unit: String,
    year: String,
    units: std::sync::Arc<Vec<(i64, String)>>,
    fields: Vec<(&'static str, &'static str)>,
    page: i64,
    pages: i64,
    /// The query string without the page, for the pager's links.
    base: String,
}

/// Recognised initiatives, open to everyone: search without diacritics, filters by field,
/// agency and year of recognition.
pub async fn show_gallery(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Query(params): Query<GalleryParams>,
) -> Result<Response, AppError> {
    let page = number::<i64>(&params.page).unwrap_or(1).clamp(1, 10_000);
    let query = GalleryQuery {
        text: params.q.chars().take(200).collect(),
        field: Field::from_code(&params.field),
        unit_id: number(&params.unit),
        year: number(&params.year),
        offset: (page - 1) * GALLERY_PAGE,
        limit: GALLERY_PAGE,
    };
    // What a query finds is the same for everyone: kept while the data has not moved, per what
    // the search reads of the query (its folded words, so spellings that fold alike share one
    // value), the filters and the page.
    let key = format!(
        "gallery:{:?}:{:?}:{:?}:{:?}:{}:{}",
        query_terms(&query.text),
        query.field,
        query.unit_id,
        query.year,
        query.offset,
        query.limit
    );
    let kept = state.kept_now().await?;
    let found = kept
        .get(key, |_| async {
            let (total, found) = state.store.gallery(&query).await?;
            let names = unit_names(&state).await?;
            let rows: Vec<GalleryRow> = found
                .into_iter()
                .map(|i| GalleryRow {
                    id: i.id,
                    name: i.public_name,
                    unit: names.get(&i.unit_id).cloned().unwrap_or_default(),
                    field: i.field.label(),
                    kind: i.kind.label(),
                    recognition: i
                        .recognised
                        .map(|r| format!("{}, năm {}", r.level.label(), r.on.year()))
                        .unwrap_or_default(),
                })
                .collect();
            Ok((total, rows))
        })
        .await?;
    let (total, rows) = (found.0, found.1.clone());
    let base: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &params.q)
        .append_pair("field", &params.field)
        .append_pair("unit", &params.unit)
        .append_pair("year", &params.year)
        .finish();
    render(&GalleryPage {
        layout: Layout::new(&state, user.as_ref(), "gallery"),
        rows,
        q: params.q,
        field: params.field,
        unit: params.unit,
        year: params.year,
        units: chooser(&state, &kept).await?,
        fields: Field::ALL.iter().map(|f| (f.code(), f.label())).collect(),
        page,
        // Past the counted matches the pager stops: a narrower search finds the rest.
        pages: (total.min(GALLERY_COUNT_LIMIT) + GALLERY_PAGE - 1) / GALLERY_PAGE,
        total_shown: if total > GALLERY_COUNT_LIMIT {
            format!("Hơn {}.{:03}", GALLERY_COUNT_LIMIT / 1000, GALLERY_COUNT_LIMIT % 1000)
        } else {
            total.to_string()
        },
        base,
    })
}

#[derive(Template)]
#[template(path = "initiatives/public.html")]
pub struct PublicPage {
    layout: Layout,
    record: InitiativeRecord,
    unit: String,
    kind: &'static str,
    field: &'static str,
    stage: &'static str,
    starts_on: String,
    ends_on: String,
    recognition: (&'static str, String, String),
    original: Option<(i64, String, String)>,
    replications: Vec<(i64, String, String)>,
}

/// One recognised initiative, as the public sees it: what it is and what it achieved; who leads
/// and who takes part only when the agency marked them public. Anything not recognised is not
/// found here.
pub async fn show_public_initiative(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut record = state.store.initiative(id).await?.ok_or(AppError::NotFound)?;
    let Some(recognised) = record.recognised.clone().filter(|_| record.stage.is_recognised()) else {
        return Err(AppError::NotFound);
    };
    // Names the agency did not make public are in none of the fields the public reads.
    if !record.details.people_public {
        let d = &mut record.details;
        let people = danvan_domain::initiative::people_named(&[&d.led_by, &d.members]);
        for field in [
            &mut d.name,
            &mut d.area,
            &mut d.beneficiaries,
            &mut d.situation,
            &mut d.goals,
            &mut d.criteria,
            &mut d.content,
            &mut d.resources,
            &mut d.outputs,
            &mut d.sustainability,
        ] {
            *field = danvan_domain::initiative::without_people(field, &people);
        }
        d.led_by.clear();
        d.members.clear();
    }
    let names = unit_names(&state).await?;
    let original = match record.details.replicated_from {
        Some(o) => state
            .store
            .initiative(o)
            .await?
            .filter(|o| o.stage.is_recognised())
            .map(|o| {
                let name = if o.details.people_public {
                    o.details.name
                } else {
                    danvan_domain::initiative::without_people(
                        &o.details.name,
                        &danvan_domain::initiative::people_named(&[&o.details.led_by, &o.details.members]),
                    )
                };
                (o.id, name, names.get(&o.details.unit_id).cloned().unwrap_or_default())
            }),
        None => None,
    };
    let replications = state
        .store
        .replications_of(id)
        .await?
        .into_iter()
        .filter(|r| r.stage.is_recognised())
        .map(|r| (r.id, r.public_name, names.get(&r.unit_id).cloned().unwrap_or_default()))
        .collect();
    let d = &record.details;
    render(&PublicPage {
        layout: Layout::new(&state, user.as_ref(), "gallery"),
        unit: names.get(&d.unit_id).cloned().unwrap_or_default(),
        kind: d.kind.label(),
        field: d.field.label(),
        stage: record.stage.label(),
        starts_on: date::format_vn(d.starts_on),
        ends_on: date::format_vn(d.ends_on),
        recognition: (
            recognised.level.label(),
            recognised.decision,
            date::format_vn(recognised.on),
        ),
        original,
        replications,
        record,
    })
}
