//! Evaluation: an agency's assessment (self-scoring, evidence, appraisal, "không nộp").

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::StoreError;
use danvan_app::store::evaluation::{ItemKind, SelfItem};
use danvan_domain::evaluation::{self as flow, AssessmentState, CycleState, Step, Window};
use danvan_domain::rubric::{Criterion, Mode, Points};
use danvan_domain::scoring::{self, Answer};
use danvan_domain::{Role, date};
use serde::Deserialize;

use super::evaluations::step_error;
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::fresh::Kept;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

/// One scored line of the assessment form.
pub struct ItemRow {
    key: String,
    label: String,
    title: String,
    depth: usize,
    is_leaf: bool,
    max: String,
    /// "points", "yes_no", "occurrences" or "computed".
    input: &'static str,
    agency_scores: bool,
    evidence_required: bool,
    self_value: String,
    note: String,
    submitted: String,
    appraised: String,
    /// The appraised answer as read ("Có", "Không", "2 lần", points).
    appraised_shown: String,
    /// The self-score as read, for a form that is not the viewer's to fill.
    self_shown: String,
    /// For a line counted in occurrences: the points each takes off and the floor, as the
    /// running totals need them (empty otherwise).
    per: String,
    floor: String,
    /// The running-total cells of the criteria this line is part of, space-separated
    /// (`criterion:1 criterion:1.3` for 1.3.2).
    section: String,
    /// What the agency's own answers give this line so far (a section: the sum of its
    /// criteria), recomputed by the engine at every save.
    running: String,
    comment: String,
    changed: bool,
    /// For a computed criterion: the figures used, or why there are none.
    computed: String,
    /// The evidence file's name, when one is attached.
    evidence: Option<String>,
}

#[derive(Template)]
#[template(path = "evaluations/assessment.html")]
pub struct AssessmentPage {
    layout: Layout,
    id: i64,
    cycle_id: i64,
    unit: String,
    state: &'static str,
    return_reason: Option<String>,
    rows: Vec<ItemRow>,
    can_edit: bool,
    can_appraise: bool,
    /// The Department decides that a criterion does not apply to this agency.
    can_rule_out: bool,
    /// "Hoàn thành thẩm định" and "Trả lại cơ quan": only while those steps are allowed.
    can_complete: bool,
    can_return: bool,
    errors: Vec<String>,
    self_total: String,
    appraised_total: String,
    band: String,
    /// The agency's own answers scored as they stand (saved, not necessarily sent).
    running_total: String,
    running_max: String,
    /// The appraisal's columns: once there is an appraisal, or for whoever appraises.
    show_appraisal: bool,
    /// The deadlines in force for this agency.
    deadlines: String,
    /// The Department may mark it "không nộp" (still with the agency after its deadline).
    can_mark_not_submitted: bool,
    not_submitted: Option<String>,
}

fn shown(answer: Option<&str>) -> String {
    match answer.and_then(Answer::decode) {
        Some(Answer::Points(p)) => p.to_string(),
        Some(Answer::Yes(true)) => "Có".into(),
        Some(Answer::Yes(false)) => "Không".into(),
        Some(Answer::Occurrences(n)) => format!("{n} lần"),
        Some(Answer::NotApplicable) => "Không áp dụng".into(),
        None => String::new(),
    }
}

fn input_text(answer: Option<&str>) -> String {
    match answer.and_then(Answer::decode) {
        Some(Answer::Points(p)) => p.to_string(),
        Some(Answer::Yes(yes)) => if yes { "1" } else { "0" }.into(),
        Some(Answer::Occurrences(n)) => n.to_string(),
        // Shown by the ticked "Không áp dụng" box beside an empty score field.
        Some(Answer::NotApplicable) => String::new(),
        None => String::new(),
    }
}

type Loaded = danvan_app::evaluation::Assessed;

async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<Loaded, AppError> {
    Ok(danvan_app::evaluation::assessed(&state.store, &user.acting(String::new()), id).await?)
}

/// What the system knows of an agency's year for computed criteria. Directive tasks and
/// responsible leaders are held; training, initiatives and periodic reports are not yet, and say
/// so.
pub async fn facts_for(
    store: &danvan_app::store::Store,
    unit_id: i64,
    year: i32,
    today: time::Date,
) -> Result<danvan_domain::computed::Facts, StoreError> {
    let Some((first, last)) = date::year_bounds(year) else {
        return Ok(Default::default());
    };
    let filter = danvan_app::store::directive::BoardFilter {
        due_from: Some(first),
        due_to: Some(last),
        unit_id: Some(unit_id),
        ..Default::default()
    };
    let counts = store.board_counts(&filter, today, false).await?;
    let c = counts.into_iter().find(|c| c.key == unit_id).unwrap_or_default();
    // Due in the year and past its deadline: done (on time or late) or overdue.
    let due = c.done_on_time + c.done_late + c.overdue;
    // The leader in charge at the end of the year, or today while the year runs.
    let leader = store.leader_on(unit_id, last.min(today)).await?;
    Ok(danvan_domain::computed::Facts {
        tasks_on_time: Some((c.done_on_time as u32, due as u32)),
        leader: Some(leader.map(|l| format!("{}, {} ({})", l.name, l.position, l.decision))),
        training_courses: Some(store.training_courses_for(unit_id, year).await?),
        initiatives_recognised: Some(store.initiatives_recognised(unit_id, year).await?),
        ..Default::default()
    })
}

fn computation(
    criterion: Option<&Criterion>,
    max: Points,
    facts: &danvan_domain::computed::Facts,
) -> Option<danvan_domain::computed::Computation> {
    match criterion.map(|c| &c.mode) {
        Some(Mode::Computed { rule, params }) => Some(danvan_domain::computed::compute(rule, params, max, facts)),
        _ => None,
    }
}

use danvan_app::evaluation::{Line, agency_scores, lines, read_value};

async fn assessment_page(
    state: &AppState,
    user: &CurrentUser,
    loaded: &Loaded,
    errors: Vec<String>,
    kept: Option<&Kept<'_>>,
) -> Result<AssessmentPage, AppError> {
    // The answers and the system's facts are the same for every viewer allowed this far (the
    // use case above checked who may read): kept while the data and the day have not moved.
    let owned;
    let kept = match kept {
        Some(kept) => kept,
        None => {
            owned = state.kept_now().await?;
            &owned
        }
    };
    let today = kept.today();
    let assessment_id = loaded.assessment.id;
    let record = kept
        .get(format!("assessment:{assessment_id}"), |today| async move {
            let items = state.store.assessment_items(assessment_id).await?;
            let facts = facts_for(&state.store, loaded.assessment.unit_id, loaded.cycle.year, today).await?;
            let answers = state.store.assessment_answers(assessment_id).await?;
            let mut deadlines = Vec::new();
            for window in [Window::SelfScoring, Window::Appraisal] {
                let due = danvan_app::evaluation::deadline_for(
                    &state.store,
                    &loaded.cycle,
                    loaded.assessment.unit_id,
                    window,
                )
                .await?;
                deadlines.push((window, due));
            }
            Ok((items, facts, answers, deadlines))
        })
        .await?;
    let (items, facts, mine, deadlines) = record.as_ref();
    // Whether a step's deadline in force still allows it today (the rule
    // `evaluation::check_deadline` applies, on the deadlines kept above).
    let in_time = |step: Step| match Window::of(step) {
        Some(window) => deadlines
            .iter()
            .find(|(w, _)| *w == window)
            .is_some_and(|(_, due)| flow::within_deadline(step, today, *due).is_ok()),
        None => true,
    };
    let find = |kind: ItemKind, id: &str| items.iter().find(|i| i.kind == kind && i.item_id == id);
    let kinds: Vec<&str> = loaded.kinds.iter().map(String::as_str).collect();
    // The agency's own answers as saved, scored by the engine: the running totals.
    let mut draft = scoring::Answers::default();
    for i in items {
        match (i.kind, i.self_value.as_deref().and_then(Answer::decode)) {
            (ItemKind::Criterion, Some(answer)) => {
                draft.criteria.insert(i.item_id.clone(), answer);
            }
            (ItemKind::Bonus, Some(Answer::Points(points))) => {
                draft.bonus.insert(i.item_id.clone(), points);
            }
            (ItemKind::Bonus, Some(Answer::Occurrences(n))) => {
                draft.bonus_counts.insert(i.item_id.clone(), n);
            }
            _ => {}
        }
    }
    let running = scoring::score(&loaded.rubric, &kinds, &draft);
    // The criteria above each line, from the tree as `lines` walks it (depth first).
    let mut ancestors: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for line in lines(&loaded.rubric, &kinds) {
        let (is_leaf, input, per_occurrence) = (line.is_leaf(), line.input(), line.per);
        let Line {
            kind,
            id,
            title,
            depth,
            criterion,
            max,
            ..
        } = line;
        let item = find(kind, &id);
        let agency_scores = is_leaf && agency_scores(kind, criterion.as_ref());
        rows.push(ItemRow {
            key: format!("{}:{id}", kind.code()),
            label: id.clone(),
            title,
            depth,
            is_leaf,
            max: if kind == ItemKind::Veto {
                String::new()
            } else {
                max.to_string()
            },
            input,
            agency_scores,
            evidence_required: criterion.as_ref().is_some_and(|c| c.evidence_required),
            self_value: input_text(item.and_then(|i| i.self_value.as_deref())),
            note: item.map(|i| i.self_note.clone()).unwrap_or_default(),
            submitted: shown(item.and_then(|i| i.submitted_value.as_deref())),
            appraised: input_text(item.and_then(|i| i.appraised_value.as_deref())),
            appraised_shown: shown(item.and_then(|i| i.appraised_value.as_deref())),
            self_shown: shown(item.and_then(|i| i.self_value.as_deref())),
            per: match criterion.as_ref().map(|c| &c.mode) {
                Some(Mode::Deduction { per, .. }) => per.to_string(),
                _ => per_occurrence.map(|p| p.to_string()).unwrap_or_default(),
            },
            floor: match criterion.as_ref().map(|c| &c.mode) {
                Some(Mode::Deduction { floor, .. }) => floor.to_string(),
                _ => String::new(),
            },
            section: match kind {
                ItemKind::Criterion => {
                    ancestors.truncate(depth);
                    let above = ancestors.join(" ");
                    ancestors.push(format!("criterion:{id}"));
                    above
                }
                _ => String::new(),
            },
            running: match kind {
                ItemKind::Criterion => running.criteria.get(&id).map(|p| p.to_string()).unwrap_or_default(),
                ItemKind::Bonus => match per_occurrence {
                    Some(per) => draft
                        .bonus_counts
                        .get(&id)
                        .map(|n| {
                            Points(per.0.saturating_mul(i64::from(*n)))
                                .clamp(Points::ZERO, max)
                                .to_string()
                        })
                        .unwrap_or_default(),
                    None => draft.bonus.get(&id).map(|p| p.to_string()).unwrap_or_default(),
                },
                _ => String::new(),
            },
            comment: item.map(|i| i.appraisal_comment.clone()).unwrap_or_default(),
            changed: item.is_some_and(|i| i.changed_since_last_submission(loaded.assessment.submissions)),
            evidence: item.and_then(|i| i.evidence.as_ref()).map(|(_, name)| name.clone()),
            computed: match (
                item.filter(|i| i.submitted_value.is_some() || !i.self_note.is_empty()),
                input,
            ) {
                (Some(i), "computed") => i.self_note.clone(),
                (_, "computed") => computation(criterion.as_ref(), max, facts)
                    .map(|c| c.shown)
                    .unwrap_or_default(),
                _ => String::new(),
            },
        });
    }
    let (self_total, appraised_total, band) = match mine {
        Some(a) if a.state != AssessmentState::Drafting => {
            // The agency's own submitted points only; the appraisers' stand in the other figure.
            let own = scoring::score(&loaded.rubric, &kinds, &a.submitted);
            let fin = scoring::score(&loaded.rubric, &kinds, &a.final_answers);
            let band = loaded.rubric.band_title(&fin.band);
            (own.total.to_string(), fin.total.to_string(), band)
        }
        _ => (String::new(), String::new(), String::new()),
    };
    let own = user.role == Role::Officer && user.unit_id == Some(loaded.assessment.unit_id);
    let allowed =
        |step: Step| flow::assessment_step(loaded.cycle.state, loaded.assessment.state, step, user.role, own).is_ok();
    Ok(AssessmentPage {
        layout: Layout::new(state, Some(user), "evaluations"),
        id: loaded.assessment.id,
        cycle_id: loaded.cycle.id,
        unit: loaded.unit.clone(),
        state: danvan_app::evaluation::shown_state(loaded.cycle.state, &loaded.assessment),
        return_reason: loaded.assessment.return_reason.clone(),
        rows,
        // No form is offered that its deadline would refuse.
        can_edit: allowed(Step::SaveDraft) && in_time(Step::SaveDraft),
        can_appraise: allowed(Step::Appraise) && in_time(Step::Appraise),
        can_rule_out: user.role == Role::Monitor,
        can_complete: allowed(Step::MarkAppraised),
        can_return: allowed(Step::Return),
        deadlines: deadlines
            .iter()
            .map(|(window, due)| format!("{} {}", window.label(), date::format_vn(*due)))
            .collect::<Vec<_>>()
            .join("; "),
        can_mark_not_submitted: user.role == Role::Monitor
            && loaded.cycle.state == CycleState::Open
            && loaded.assessment.state.editable()
            && loaded.assessment.not_submitted.is_none()
            && !in_time(Step::SaveDraft),
        not_submitted: loaded.assessment.not_submitted.clone(),
        running_total: running.total.to_string(),
        running_max: running.max.to_string(),
        show_appraisal: items
            .iter()
            .any(|i| i.appraised_value.is_some() || !i.appraisal_comment.is_empty())
            || allowed(Step::Appraise),
        errors,
        self_total,
        appraised_total,
        band,
    })
}

pub async fn show_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    // Read for no one in particular and kept while the data and the day have not moved; each
    // reader is checked by the use case's rule.
    let kept = state.kept_now().await?;
    let loaded = kept
        .get(format!("assessed:{id}"), |_| async {
            Ok(danvan_app::evaluation::read_assessed_by_id(&state.store, id).await?)
        })
        .await?;
    danvan_app::evaluation::may_read(&user.acting(String::new()), &loaded)?;
    render(&assessment_page(&state, &user, &loaded, vec![], Some(&kept)).await?)
}

/// The largest evidence file accepted, and the most per save.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
const MAX_EVIDENCE_FILES: usize = 10;

/// The agency saves its draft (`action=save`) or submits it (`action=submit`); the form is a
/// file upload, each criterion's evidence in `file_<kind>:<id>`.
pub async fn save_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, id).await?;
    let mut form: Vec<(String, String)> = Vec::new();
    let mut files: Vec<(String, String, axum::body::Bytes)> = Vec::new();
    let mut upload_errors = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu gửi lên không hợp lệ hoặc tệp quá lớn."))?
    {
        let name = field.name().unwrap_or("").to_owned();
        match name.strip_prefix("file_") {
            Some(key) => {
                let key = key.to_owned();
                let file_name = field.file_name().unwrap_or("").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("Tệp minh chứng quá lớn hoặc bị lỗi."))?;
                if bytes.is_empty() {
                    continue;
                }
                if bytes.len() > MAX_EVIDENCE_BYTES {
                    upload_errors.push(format!("Tệp {file_name}: lớn hơn {} MB.", MAX_EVIDENCE_BYTES >> 20));
                } else if files.len() >= MAX_EVIDENCE_FILES {
                    upload_errors.push(format!("Mỗi lần lưu nhận tối đa {MAX_EVIDENCE_FILES} tệp minh chứng."));
                } else {
                    files.push((key, file_name, bytes));
                }
            }
            None => {
                let value = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest("Dữ liệu gửi lên không hợp lệ."))?;
                form.push((name, value));
            }
        }
    }
    let own = user.role == Role::Officer && user.unit_id == Some(loaded.assessment.unit_id);
    let submit = form.iter().any(|(k, v)| k == "action" && v == "submit");
    let step = if submit { Step::Submit } else { Step::SaveDraft };
    flow::assessment_step(loaded.cycle.state, loaded.assessment.state, step, user.role, own).map_err(step_error)?;
    danvan_app::evaluation::check_deadline(&state.store, &loaded, step, state.clock.today()).await?;
    let field = |name: String| {
        form.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let kinds: Vec<&str> = loaded.kinds.iter().map(String::as_str).collect();
    let facts = facts_for(
        &state.store,
        loaded.assessment.unit_id,
        loaded.cycle.year,
        state.clock.today(),
    )
    .await?;
    let stored = state.store.assessment_items(id).await?;
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for line in lines(&loaded.rubric, &kinds) {
        let (is_leaf, input) = (line.is_leaf(), line.input());
        let Line {
            kind,
            id: item_id,
            criterion,
            max,
            ..
        } = line;
        // Computed criteria take the system's figures, kept with the answer as its evidence.
        if let Some(computed) = computation(criterion.as_ref(), max, &facts) {
            let value = computed.score.map(|p| Answer::Points(p).encode());
            items.push(SelfItem {
                kind,
                item_id,
                value,
                note: computed.shown,
                evidence: None,
            });
            continue;
        }
        let agency_scores = is_leaf && agency_scores(kind, criterion.as_ref());
        if !agency_scores {
            continue;
        }
        let key = format!("{}:{item_id}", kind.code());
        // Only the fields the form sent change: a line left out keeps what is stored.
        let sent = |name: &str| form.iter().any(|(k, _)| k == name);
        let (value_sent, note_sent) = (sent(&format!("v_{key}")), sent(&format!("note_{key}")));
        let kept = stored.iter().find(|i| i.kind == kind && i.item_id == item_id);
        if !value_sent && !note_sent && !files.iter().any(|(k, _, _)| *k == key) {
            if kind == ItemKind::Criterion && kept.is_none_or(|i| i.self_value.is_none()) {
                missing.push(item_id.clone());
            }
            continue;
        }
        let note = if note_sent {
            field(format!("note_{key}"))
                .trim()
                .chars()
                .take(2000)
                .collect::<String>()
        } else {
            kept.map(|i| i.self_note.clone()).unwrap_or_default()
        };
        let value = if value_sent {
            match read_value(input, &field(format!("v_{key}")), max) {
                Ok(value) => value,
                Err(message) => {
                    errors.push(format!("Tiêu chí {item_id}: {message}."));
                    continue;
                }
            }
        } else {
            kept.and_then(|i| i.self_value.clone())
        };
        if kind == ItemKind::Criterion && value.is_none() {
            missing.push(item_id.clone());
        }
        let has_file = files.iter().any(|(k, _, _)| *k == key)
            || stored
                .iter()
                .any(|i| i.kind == kind && i.item_id == item_id && i.evidence.is_some());
        if criterion.as_ref().is_some_and(|c| c.evidence_required)
            && note.is_empty()
            && !has_file
            && value.is_some()
            && submit
        {
            errors.push(format!(
                "Tiêu chí {item_id} cần minh chứng: đính kèm tệp, hoặc ghi số, ký hiệu văn bản minh chứng hay lý do không có."
            ));
        }
        items.push(SelfItem {
            kind,
            item_id,
            value,
            note,
            evidence: None,
        });
    }
    if submit && !missing.is_empty() {
        errors.push(format!("Chưa chấm các tiêu chí: {}.", missing.join(", ")));
    }
    errors.extend(upload_errors);
    let mut evidence = Vec::new();
    for (key, file_name, bytes) in &files {
        let Some(item) = items
            .iter()
            .position(|i| format!("{}:{}", i.kind.code(), i.item_id) == *key)
        else {
            continue;
        };
        let sent = bytes.clone();
        match state.heavy.run(move || crate::upload_check::check(&sent)).await? {
            Ok((kept, content_type)) => evidence.push((item, file_name.clone(), kept, content_type)),
            Err(crate::upload_check::Refused::Hazard(reason)) => errors.push(format!("Tệp {file_name}: {reason}")),
            Err(crate::upload_check::Refused::UnknownType) => errors.push(format!(
                "Tệp {file_name}: chỉ nhận minh chứng dạng PDF, Word (.docx), Excel (.xlsx), JPEG hoặc PNG."
            )),
        }
    }
    let incoming = evidence.iter().map(|(_, _, b, _)| b.len()).sum();
    crate::pages::check_quota(&state, loaded.assessment.unit_id, incoming, &mut errors).await?;
    if !errors.is_empty() {
        return render_invalid(&assessment_page(&state, &user, &loaded, errors, None).await?);
    }
    for (item, file_name, bytes, content_type) in evidence {
        let sha = state.store.put_file(&bytes, content_type).await?;
        // The name is kept for the download only, never used as a path.
        items[item].evidence = Some((sha, crate::upload_check::safe_file_name(&file_name, "minh-chung")));
    }
    // "Gửi" saves what was typed as a draft, then asks on its own page before the submission.
    match danvan_app::evaluation::self_assess(&state.store, &user.acting(ip), id, &items, false, state.clock.today())
        .await
    {
        Ok(()) => {}
        Err(danvan_app::Refusal::Invalid(errors)) => {
            return render_invalid(&assessment_page(&state, &user, &loaded, errors, None).await?);
        }
        Err(other) => return Err(other.into()),
    }
    let next = if submit {
        format!("/assessments/{id}/submit")
    } else {
        format!("/assessments/{id}")
    };
    Ok(Redirect::to(&next).into_response())
}

/// What submitting the self-assessment does, before it is done: the agency's own officers,
/// while the cycle and the assessment allow it.
pub async fn confirm_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, id).await?;
    let own = user.role == Role::Officer && user.unit_id == Some(loaded.assessment.unit_id);
    flow::assessment_step(
        loaded.cycle.state,
        loaded.assessment.state,
        Step::Submit,
        user.role,
        own,
    )
    .map_err(step_error)?;
    let kinds: Vec<&str> = loaded.kinds.iter().map(String::as_str).collect();
    let stored = state.store.assessment_items(id).await?;
    let scored: Vec<String> = lines(&loaded.rubric, &kinds)
        .into_iter()
        .filter(|line| {
            line.kind == ItemKind::Criterion && line.is_leaf() && agency_scores(line.kind, line.criterion.as_ref())
        })
        .map(|line| line.id)
        .collect();
    let done = scored
        .iter()
        .filter(|item_id| stored.iter().any(|i| i.item_id == **item_id && i.self_value.is_some()))
        .count();
    let deadline = danvan_app::evaluation::deadline_for(
        &state.store,
        &loaded.cycle,
        loaded.assessment.unit_id,
        Window::SelfScoring,
    )
    .await?;
    render(&crate::pages::ConfirmPage {
        layout: Layout::new(&state, Some(&user), "evaluations"),
        heading: "Gửi bản tự đánh giá".into(),
        lines: vec![
            format!(
                "Bản tự đánh giá năm {} của {} được gửi đến Hội đồng thẩm định.",
                loaded.cycle.year, loaded.unit
            ),
            format!("Đã chấm {done}/{} tiêu chí đơn vị tự chấm.", scored.len()),
            format!("Hạn tự chấm: {}.", date::format_vn(deadline)),
        ],
        warning: "Sau khi gửi, đơn vị không sửa được bản tự đánh giá cho đến khi Hội đồng thẩm định trả lại.",
        action: format!("/assessments/{id}/submit"),
        button: "Xác nhận gửi bản tự đánh giá",
        back: format!("/assessments/{id}"),
    })
}

/// Submits the saved self-assessment, after its confirmation page.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match danvan_app::evaluation::self_assess(&state.store, &user.acting(ip), id, &[], true, state.clock.today()).await
    {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => {
            let loaded = load(&state, &user, id).await?;
            render_invalid(&assessment_page(&state, &user, &loaded, errors, None).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The appraiser saves scores and comments (`action=save`), returns the assessment with a
/// reason (`action=return`) or completes the appraisal (`action=done`). Only the lines the form
/// sends change.
pub async fn appraise_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let acting = user.acting(ip);
    let action = crate::pages::form_field(&form, "action");
    let outcome = if action == "return" {
        let reason = crate::pages::form_field(&form, "reason");
        danvan_app::evaluation::return_assessment(&state.store, &acting, id, reason, state.clock.today()).await
    } else {
        let mut input = danvan_app::evaluation::AppraisalInput {
            complete: action == "done",
            ..Default::default()
        };
        for (name, value) in &form {
            if let Some(key) = name.strip_prefix("a_") {
                input.scores.entry(key.to_owned()).or_insert_with(|| value.clone());
            } else if let Some(key) = name.strip_prefix("c_") {
                input.comments.insert(key.to_owned(), value.clone());
            } else if let Some(key) = name.strip_prefix("na_") {
                // "Không áp dụng" ticked: the criterion is ruled out, whatever its score field holds.
                input.scores.insert(key.to_owned(), "x".to_owned());
            }
        }
        danvan_app::evaluation::appraise(&state.store, &acting, id, &input, state.clock.today()).await
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => {
            let loaded = load(&state, &user, id).await?;
            render_invalid(&assessment_page(&state, &user, &loaded, errors, None).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NotSubmittedForm {
    #[serde(default)]
    reason: String,
}

/// The Department marks an assessment "không nộp" with the reason.
pub async fn mark_not_submitted(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<NotSubmittedForm>,
) -> Result<Response, AppError> {
    match danvan_app::evaluation::mark_not_submitted(
        &state.store,
        &user.acting(ip),
        id,
        &form.reason,
        state.clock.today(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => {
            let loaded = load(&state, &user, id).await?;
            render_invalid(&assessment_page(&state, &user, &loaded, errors, None).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct EvidenceQuery {
    #[serde(default)]
    item: String,
}

/// Downloads one item's evidence file, for those who may see the assessment.
pub async fn download_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    axum::extract::Query(query): axum::extract::Query<EvidenceQuery>,
) -> Result<Response, AppError> {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

    let assessment = state.store.assessment(id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(assessment.unit_id) {
        return Err(AppError::Forbidden);
    }
    let (sha, name) = state
        .store
        .assessment_items(id)
        .await?
        .into_iter()
        .find(|i| format!("{}:{}", i.kind.code(), i.item_id) == query.item)
        .and_then(|i| i.evidence)
        .ok_or(AppError::NotFound)?;
    let file = state.store.file(&sha).await?.ok_or(AppError::NotFound)?;
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"minh-chung-{id}\"; filename*=UTF-8''{encoded}");
    Ok((
        [(CONTENT_TYPE, file.content_type), (CONTENT_DISPOSITION, disposition)],
        file.content,
    )
        .into_response())
}
