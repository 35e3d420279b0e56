//! Evaluation use cases: appraising an assessment, returning it, finalizing and publishing a
//! cycle, and the results the engine computes from the stored answers.
//!
//! The state machines are the domain's (`danvan_domain::evaluation`); this module decides who
//! may take a step on which assessment, reads the input against the rubric, and hands the
//! store one transaction that compares the state again before it writes.

use std::collections::HashMap;

use danvan_domain::evaluation::{self as flow, AssessmentState, CycleState, Step, Window};
use danvan_domain::rubric::{Checked, Criterion, Mode, Points, Rubric, RubricError, ScoredBy};
use danvan_domain::scoring::{self, Answer};
use danvan_store::evaluation::{Appraisal, AssessmentRecord, CycleRecord, ItemKind, ResultRecord};
use danvan_store::{Store, StoreError};
use time::Date;

use crate::{Refusal, User};

fn step_refusal(error: flow::StepError) -> Refusal {
    match error {
        flow::StepError::Role => Refusal::Forbidden,
        other => Refusal::State(other.message().to_owned()),
    }
}

/// An assessment with what is needed to read and check it.
#[derive(Debug, Clone)]
pub struct Assessed {
    pub cycle: CycleRecord,
    pub assessment: AssessmentRecord,
    pub rubric: Rubric,
    pub sample: bool,
    /// The agency's kind code and its group's code, for `applies_to` and `max_for`.
    pub kinds: Vec<String>,
    pub unit: String,
}

/// Loads an assessment the user may see; another agency's is not found for an officer.
pub async fn assessed(store: &Store, user: &User, id: i64) -> Result<Assessed, Refusal> {
    let assessment = store.assessment(id).await?.ok_or(Refusal::NotFound)?;
    if !user.sees_unit(assessment.unit_id) {
        return Err(Refusal::Forbidden);
    }
    read_assessed(store, assessment).await
}

/// Whether `user` may read an assessment read before (by [`read_assessed_by_id`]): the rule
/// [`assessed`] applies.
pub fn may_read(user: &User, assessed: &Assessed) -> Result<(), Refusal> {
    if user.sees_unit(assessed.assessment.unit_id) {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
    }
}

/// An assessment with what is needed to read it, for no one in particular: a page that keeps it
/// checks each reader with [`may_read`].
pub async fn read_assessed_by_id(store: &Store, id: i64) -> Result<Assessed, Refusal> {
    let assessment = store.assessment(id).await?.ok_or(Refusal::NotFound)?;
    read_assessed(store, assessment).await
}

async fn read_assessed(store: &Store, assessment: AssessmentRecord) -> Result<Assessed, Refusal> {
    let cycle = store.cycle(assessment.cycle_id).await?.ok_or(Refusal::NotFound)?;
    let version = store
        .rubric_version(cycle.rubric_version_id)
        .await?
        .ok_or(Refusal::NotFound)?;
    let unit = store.unit(assessment.unit_id).await?.ok_or(Refusal::NotFound)?;
    let groups = store.list_groups().await?;
    let mut kinds = vec![unit.kind.code().to_owned()];
    kinds.extend(
        unit.group_id
            .and_then(|g| groups.iter().find(|x| x.id == g))
            .map(|g| g.code.clone()),
    );
    Ok(Assessed {
        rubric: version.rubric().map_err(Refusal::Store)?,
        sample: version.sample,
        cycle,
        assessment,
        kinds,
        unit: unit.name,
    })
}

/// The deadline in force for an agency's assessment in one window: the cycle's, or the latest
/// extension for the cycle or for that agency.
pub async fn deadline_for(store: &Store, cycle: &CycleRecord, unit_id: i64, window: Window) -> Result<Date, Refusal> {
    let base = match window {
        Window::SelfScoring => cycle.self_deadline,
        Window::Appraisal => cycle.appraisal_deadline,
    };
    let extensions: Vec<Date> = store
        .deadline_extensions(cycle.id)
        .await?
        .into_iter()
        .filter(|e| e.applies(unit_id, window))
        .map(|e| e.until)
        .collect();
    Ok(flow::deadline_in_force(base, &extensions))
}

/// The deadline in force for the whole cycle in one window: the cycle's, or the latest extension
/// given for the cycle (not for one agency).
async fn cycle_deadline(store: &Store, cycle: &CycleRecord, window: Window) -> Result<Date, Refusal> {
    let base = match window {
        Window::SelfScoring => cycle.self_deadline,
        Window::Appraisal => cycle.appraisal_deadline,
    };
    let extended: Vec<Date> = store
        .deadline_extensions(cycle.id)
        .await?
        .into_iter()
        .filter(|e| e.unit_id.is_none() && e.window == window)
        .map(|e| e.until)
        .collect();
    Ok(flow::deadline_in_force(base, &extended))
}

/// Refuses a step on an assessment taken after its window's deadline in force, on `today`.
pub async fn check_deadline(store: &Store, assessed: &Assessed, step: Step, today: Date) -> Result<(), Refusal> {
    let Some(window) = Window::of(step) else { return Ok(()) };
    let deadline = deadline_for(store, &assessed.cycle, assessed.assessment.unit_id, window).await?;
    flow::within_deadline(step, today, deadline).map_err(Refusal::State)
}

/// The Department extends a deadline of an open cycle, for the whole cycle or one agency, to a
/// later day, with the reason; audited.
/// What the Department asks for when it extends a deadline.
#[derive(Debug, Clone)]
pub struct ExtendInput {
    /// One agency, or the whole cycle.
    pub unit_id: Option<i64>,
    pub window: Window,
    pub until: Date,
    pub reason: String,
}

pub async fn extend_deadline(
    store: &Store,
    user: &User,
    cycle_id: i64,
    input: &ExtendInput,
    today: Date,
) -> Result<(), Refusal> {
    within!(store, {
        let ExtendInput {
            unit_id,
            window,
            until,
            reason,
        } = input;
        let (unit_id, window, until) = (*unit_id, *window, *until);
        if user.role != danvan_domain::Role::Monitor {
            return Err(Refusal::Forbidden);
        }
        let cycle = store.cycle(cycle_id).await?.ok_or(Refusal::NotFound)?;
        if cycle.state != CycleState::Open {
            return Err(Refusal::State(flow::StepError::CycleClosed.message().to_owned()));
        }
        let mut problems = Vec::new();
        if let Some(unit) = unit_id
            && !store.assessments(cycle_id).await?.iter().any(|a| a.unit_id == unit)
        {
            problems.push("Cơ quan này không có bản đánh giá trong đợt.".to_owned());
        }
        let reason = reason.trim().chars().take(1000).collect::<String>();
        if reason.is_empty() {
            problems.push("Gia hạn phải ghi rõ lý do.".to_owned());
        }
        let current = match unit_id {
            Some(unit) => deadline_for(store, &cycle, unit, window).await?,
            // For the whole cycle: the cycle's deadline or the latest extension for the cycle.
            None => cycle_deadline(store, &cycle, window).await?,
        };
        if until <= current || until < today {
            problems.push(format!(
                "Ngày gia hạn phải sau hạn đang áp dụng ({}) và không trước hôm nay.",
                danvan_domain::date::format_vn(current)
            ));
        }
        // Self-scoring cannot end after the appraisal that follows it.
        if window == Window::SelfScoring {
            let appraisal = match unit_id {
                Some(unit) => deadline_for(store, &cycle, unit, Window::Appraisal).await?,
                None => cycle_deadline(store, &cycle, Window::Appraisal).await?,
            };
            if until > appraisal {
                problems.push(format!(
                    "Hạn tự chấm mới ({}) sau hạn thẩm định ({}): gia hạn thẩm định trước.",
                    danvan_domain::date::format_vn(until),
                    danvan_domain::date::format_vn(appraisal)
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        store
            .extend_deadline(&user.actor(), cycle_id, unit_id, window, until, &reason)
            .await
            .map_err(Refusal::from_step)
    })
}

/// A scored line of an assessment, in rubric order.
#[derive(Debug, Clone)]
pub struct Line {
    pub kind: ItemKind,
    pub id: String,
    pub title: String,
    /// Depth in the criteria tree (0 for bonus, penalty and conditions).
    pub depth: usize,
    /// The criterion, for criteria.
    pub criterion: Option<Criterion>,
    /// The most the line gives or takes (0 for conditions).
    pub max: Points,
    /// Points per occurrence, for bonus and penalty lines entered as a count.
    pub per: Option<Points>,
}

impl Line {
    /// A criterion with children scores the sum of its children; every other line is entered.
    pub fn is_leaf(&self) -> bool {
        self.criterion.as_ref().is_none_or(|c| c.children.is_empty())
    }

    /// How the line is entered: "points", "yes_no", "occurrences" or "computed".
    pub fn input(&self) -> &'static str {
        match (self.kind, self.criterion.as_ref().map(|c| &c.mode)) {
            (ItemKind::Veto, _) => "yes_no",
            (ItemKind::Criterion, Some(Mode::YesNo)) => "yes_no",
            (ItemKind::Criterion, Some(Mode::Deduction { .. })) => "occurrences",
            (ItemKind::Criterion, Some(Mode::Computed { .. })) => "computed",
            (ItemKind::Bonus | ItemKind::Penalty, _) if self.per.is_some() => "occurrences",
            _ => "points",
        }
    }
}

/// The scored lines in rubric order: criteria (depth first), then bonus, penalty and vetoes.
pub fn lines(rubric: &Rubric, kinds: &[&str]) -> Vec<Line> {
    fn walk(list: &[Criterion], kinds: &[&str], depth: usize, out: &mut Vec<Line>) {
        for c in list.iter().filter(|c| c.applies(kinds)) {
            out.push(Line {
                kind: ItemKind::Criterion,
                id: c.id.clone(),
                title: c.title.clone(),
                depth,
                criterion: Some(c.clone()),
                max: c.max_for(kinds),
                per: None,
            });
            walk(&c.children, kinds, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&rubric.criteria, kinds, 0, &mut out);
    for (kind, label, section) in [
        (ItemKind::Bonus, "Điểm cộng", &rubric.bonus),
        (ItemKind::Penalty, "Điểm trừ", &rubric.penalty),
    ] {
        for item in &section.items {
            out.push(Line {
                kind,
                id: item.id.clone(),
                title: match item.per {
                    Some(per) => format!("{label}: {} ({per} điểm mỗi lần, tối đa {})", item.title, item.max),
                    None => format!("{label}: {}", item.title),
                },
                depth: 0,
                criterion: None,
                max: item.max,
                per: item.per,
            });
        }
    }
    for veto in &rubric.vetoes {
        out.push(Line {
            kind: ItemKind::Veto,
            id: veto.id.clone(),
            title: format!("Điều kiện: {}", veto.title),
            depth: 0,
            criterion: None,
            max: Points::ZERO,
            per: None,
        });
    }
    out
}

/// Whether the agency itself enters this line: its own criteria and the bonus it claims.
pub fn agency_scores(kind: ItemKind, criterion: Option<&Criterion>) -> bool {
    match (criterion, kind) {
        (Some(c), _) => c.self_scored(),
        (None, ItemKind::Bonus) => true,
        _ => false,
    }
}

/// Whether only the higher level scores this line, so an appraisal is not complete without it:
/// a leaf criterion scored by the higher level (computed criteria have the system's figure).
pub fn higher_level_scores(criterion: Option<&Criterion>) -> bool {
    criterion.is_some_and(|c| {
        c.children.is_empty() && c.scored_by == ScoredBy::Higher && !matches!(c.mode, Mode::Computed { .. })
    })
}

/// A ruled-out criterion as stored.
const NOT_APPLICABLE_CODE: &str = "x:0";

/// What an appraiser types (or picks) to rule a criterion out for an agency.
pub const NOT_APPLICABLE_TYPED: &str = "không áp dụng";

/// Whether an appraiser's entry rules the criterion out: "x" (the select's value) or the words
/// "không áp dụng", however written.
fn rules_out(text: &str) -> bool {
    let folded = danvan_domain::search::fold(text.trim());
    folded == "x" || folded == danvan_domain::search::fold(NOT_APPLICABLE_TYPED)
}

/// Reads one typed answer for a line entered as `input`; empty is no answer.
pub fn read_value(input: &str, text: &str, max: Points) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let answer = match input {
        "yes_no" => match text {
            "1" => Answer::Yes(true),
            "0" => Answer::Yes(false),
            _ => return Err("chọn Có hoặc Không".into()),
        },
        "occurrences" => match text.parse::<u32>() {
            Ok(n) if n <= 1000 => Answer::Occurrences(n),
            _ => return Err("số lần phải là số nguyên từ 0".into()),
        },
        _ => match Points::parse_vn(text) {
            Some(p) if p <= max => Answer::Points(p),
            Some(_) => return Err(format!("điểm không được vượt quá {max}")),
            None => return Err("điểm phải là số, ví dụ 8 hoặc 8,5".into()),
        },
    };
    Ok(Some(answer.encode()))
}

/// What an appraiser posts: scores and comments by line key (`<kind>:<id>`), only for the
/// lines the form sent (a line left out of the post keeps what it had), and whether the
/// appraisal is complete with this post.
#[derive(Debug, Clone, Default)]
pub struct AppraisalInput {
    pub scores: HashMap<String, String>,
    pub comments: HashMap<String, String>,
    pub complete: bool,
}

/// An appraiser saves scores and comments on a submitted (or already appraised, until the cycle
/// closes) assessment, and with `complete` marks it appraised. All or nothing: a completion
/// refused for its state or for a criterion only the higher level scores left empty keeps
/// none of the changes sent with it.
pub async fn appraise(store: &Store, user: &User, id: i64, input: &AppraisalInput, today: Date) -> Result<(), Refusal> {
    within!(store, {
        let assessed = assessed(store, user, id).await?;
        let (cycle_state, state) = (assessed.cycle.state, assessed.assessment.state);
        flow::assessment_step(cycle_state, state, Step::Appraise, user.role, false).map_err(step_refusal)?;
        if input.complete {
            flow::assessment_step(cycle_state, state, Step::MarkAppraised, user.role, false).map_err(step_refusal)?;
        }
        check_deadline(store, &assessed, Step::Appraise, today).await?;
        let kinds: Vec<&str> = assessed.kinds.iter().map(String::as_str).collect();
        let items = store.assessment_items(id).await?;
        let mut errors = Vec::new();
        let mut changes = Vec::new();
        let mut required = Vec::new();
        for line in lines(&assessed.rubric, &kinds) {
            if !line.is_leaf() {
                continue;
            }
            let entered = line.input();
            let Line {
                kind,
                id: item_id,
                criterion,
                max,
                ..
            } = line;
            if higher_level_scores(criterion.as_ref()) {
                required.push((kind, item_id.clone()));
            }
            let key = format!("{}:{item_id}", kind.code());
            let (score, comment) = (input.scores.get(&key), input.comments.get(&key));
            if score.is_none() && comment.is_none() {
                continue;
            }
            let current = items.iter().find(|i| i.kind == kind && i.item_id == item_id);
            // The Department (the monitor) may rule a criterion out for this agency, with the
            // reason: the comment sent with it, or, when none is sent, the one already kept.
            let ruled_out = score.is_some_and(|text| rules_out(text));
            if ruled_out {
                if kind != ItemKind::Criterion {
                    errors.push(format!("Mục {item_id}: chỉ tiêu chí mới có thể không áp dụng."));
                    continue;
                }
                if user.role != danvan_domain::Role::Monitor {
                    errors.push(format!(
                        "Tiêu chí {item_id}: chỉ Sở Nội vụ quyết định một tiêu chí không áp dụng với cơ quan."
                    ));
                    continue;
                }
                let reason = match comment {
                    Some(sent) => sent.trim().to_owned(),
                    None => current
                        .map(|i| i.appraisal_comment.trim().to_owned())
                        .unwrap_or_default(),
                };
                if reason.is_empty() {
                    errors.push(format!("Tiêu chí {item_id}: ghi lý do không áp dụng vào ô nhận xét."));
                    continue;
                }
            }
            // Only the Department takes a ruling back: another appraiser's empty field keeps it.
            let ruling_kept = user.role != danvan_domain::Role::Monitor
                && current.and_then(|i| i.appraised_value.as_deref()) == Some(NOT_APPLICABLE_CODE)
                && score.is_some_and(|text| text.trim().is_empty());
            let value = match score {
                Some(_) if ruled_out => Some(Answer::NotApplicable.encode()),
                Some(_) if ruling_kept => current.and_then(|i| i.appraised_value.clone()),
                Some(text) => {
                    let input = match entered {
                        "computed" => "points",
                        other => other,
                    };
                    match read_value(input, text, max) {
                        Ok(value) => value,
                        Err(message) => {
                            errors.push(format!("Tiêu chí {item_id}: {message}."));
                            continue;
                        }
                    }
                }
                None => current.and_then(|i| i.appraised_value.clone()),
            };
            let comment = match comment {
                Some(text) => text.trim().chars().take(2000).collect::<String>(),
                None => current.map(|i| i.appraisal_comment.clone()).unwrap_or_default(),
            };
            let unchanged = current.map(|i| (i.appraised_value.clone(), i.appraisal_comment.clone()))
                == Some((value.clone(), comment.clone()))
                || (current.is_none() && value.is_none() && comment.is_empty());
            if !unchanged {
                changes.push(Appraisal {
                    kind,
                    item_id,
                    value,
                    comment,
                });
            }
        }
        if !errors.is_empty() {
            return Err(Refusal::Invalid(errors));
        }
        let actor = user.actor();
        // A completed appraisal stays complete: a later save on it must leave every criterion
        // the higher level scores with a score, as completing it did.
        let keep_complete = input.complete || state == AssessmentState::Appraised;
        match store
            .appraise(&actor, id, state, &changes, keep_complete.then_some(&required[..]))
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::Incomplete(empty)) => Err(Refusal::Invalid(vec![format!(
                "Chưa hoàn thành thẩm định: còn {} tiêu chí do cấp trên chấm chưa có điểm ({}).",
                empty.len(),
                empty.join(", ")
            )])),
            Err(other) => Err(Refusal::from_step(other)),
        }
    })
}

/// An appraiser returns a submitted assessment to the agency with the reasons.
pub async fn return_assessment(store: &Store, user: &User, id: i64, reason: &str, today: Date) -> Result<(), Refusal> {
    within!(store, {
        let assessed = assessed(store, user, id).await?;
        flow::assessment_step(
            assessed.cycle.state,
            assessed.assessment.state,
            Step::Return,
            user.role,
            false,
        )
        .map_err(step_refusal)?;
        check_deadline(store, &assessed, Step::Return, today).await?;
        let reason = reason.trim().chars().take(2000).collect::<String>();
        if reason.is_empty() {
            return Err(Refusal::Invalid(vec![flow::StepError::NoReason.message().to_owned()]));
        }
        store
            .return_assessment(&user.actor(), id, &reason)
            .await
            .map_err(Refusal::from_step)
    })
}

/// The Department marks an agency that did not submit its self-assessment by the deadline in
/// force as "không nộp", with the reason: at finalization it is placed in the lowest band with
/// that reason in its explanation. Only while the assessment is with the agency, after the
/// deadline.
pub async fn mark_not_submitted(store: &Store, user: &User, id: i64, reason: &str, today: Date) -> Result<(), Refusal> {
    within!(store, {
        if user.role != danvan_domain::Role::Monitor {
            return Err(Refusal::Forbidden);
        }
        let assessed = assessed(store, user, id).await?;
        if assessed.cycle.state != CycleState::Open {
            return Err(Refusal::State(flow::StepError::CycleClosed.message().to_owned()));
        }
        if !assessed.assessment.state.editable() {
            return Err(Refusal::State(
                "Cơ quan đã gửi bản tự đánh giá; không đánh dấu không nộp được.".to_owned(),
            ));
        }
        let deadline = deadline_for(store, &assessed.cycle, assessed.assessment.unit_id, Window::SelfScoring).await?;
        if today <= deadline {
            return Err(Refusal::State(format!(
                "Hạn tự chấm của cơ quan còn đến hết ngày {}.",
                danvan_domain::date::format_vn(deadline)
            )));
        }
        let reason = reason.trim().chars().take(1000).collect::<String>();
        if reason.is_empty() {
            return Err(Refusal::Invalid(vec![
                "Đánh dấu không nộp phải ghi rõ lý do.".to_owned(),
            ]));
        }
        store
            .mark_not_submitted(&user.actor(), id, assessed.assessment.state, &reason)
            .await
            .map_err(Refusal::from_step)
    })
}

/// The assessments of a cycle that results cannot be computed without, by agency name: those
/// submitted and not yet appraised, and those returned to the agency and not sent again (unless
/// the Department has marked the agency "không nộp"), whose answers are not final.
pub async fn awaiting_appraisal(store: &Store, cycle_id: i64) -> Result<Vec<(i64, String)>, Refusal> {
    let submitted: Vec<(i64, i64)> = store
        .assessments(cycle_id)
        .await?
        .into_iter()
        .filter(|a| {
            a.state == AssessmentState::Submitted || (a.state == AssessmentState::Returned && a.not_submitted.is_none())
        })
        .map(|a| (a.id, a.unit_id))
        .collect();
    let names = names_of(store, submitted.iter().map(|&(_, unit)| unit)).await?;
    Ok(submitted.into_iter().map(|(id, _)| id).zip(names).collect())
}

/// The agencies' names, in the order given, from one query (none when no agency is asked for).
async fn names_of(store: &Store, units: impl ExactSizeIterator<Item = i64>) -> Result<Vec<String>, Refusal> {
    if units.len() == 0 {
        return Ok(Vec::new());
    }
    let names = store.unit_names().await?;
    Ok(units.map(|u| names.get(&u).cloned().unwrap_or_default()).collect())
}

fn pending_message(names: &[String]) -> String {
    format!(
        "Chưa tổng hợp được kết quả: {} bản đánh giá đã gửi nhưng chưa thẩm định xong, hoặc bị trả lại mà cơ quan chưa gửi lại ({}).",
        names.len(),
        names.join("; ")
    )
}

/// The monitor scores and ranks an open cycle from the stored answers and freezes the results.
/// Refused while any assessment is submitted and not appraised (named in the refusal).
pub async fn finalize(store: &Store, user: &User, cycle_id: i64) -> Result<(), Refusal> {
    within!(store, {
        let cycle = store.cycle(cycle_id).await?.ok_or(Refusal::NotFound)?;
        flow::cycle_step(cycle.state, Step::Finalize, user.role).map_err(step_refusal)?;
        let pending = awaiting_appraisal(store, cycle_id).await?;
        if !pending.is_empty() {
            let names: Vec<String> = pending.into_iter().map(|(_, name)| name).collect();
            return Err(Refusal::State(pending_message(&names)));
        }
        let results = compute_results(store, &cycle).await?;
        match store.finalize_cycle(&user.actor(), cycle_id, &results).await {
            Ok(()) => Ok(()),
            // Submitted between the check above and the transaction: named as well.
            Err(StoreError::Pending(units)) => {
                let names = names_of(store, units.into_iter()).await?;
                Err(Refusal::State(pending_message(&names)))
            }
            Err(other) => Err(Refusal::from_step(other)),
        }
    })
}

/// The leader publishes a finalized cycle. Asking for the password again is the caller's part
/// (it belongs to the session, not to the rule).
pub async fn publish(store: &Store, user: &User, cycle_id: i64) -> Result<(), Refusal> {
    within!(store, {
        let cycle = store.cycle(cycle_id).await?.ok_or(Refusal::NotFound)?;
        flow::cycle_step(cycle.state, Step::Publish, user.role).map_err(step_refusal)?;
        store
            .publish_cycle(&user.actor(), cycle_id)
            .await
            .map_err(Refusal::from_step)
    })
}

/// What an assessment reads as to whoever looks at it: once the cycle's results are published
/// (or frozen), that, whatever step the assessment had reached.
pub fn shown_state(cycle: CycleState, assessment: &AssessmentRecord) -> &'static str {
    match cycle {
        CycleState::Published => "Đã công bố kết quả",
        CycleState::Finalized => "Đã tổng hợp kết quả, chờ công bố",
        CycleState::Open if assessment.state.editable() && assessment.not_submitted.is_some() => "Không nộp",
        CycleState::Open => assessment.state.label(),
    }
}

/// Every agency's result: scored on its final answers when it submitted, else rated on nothing.
/// The self total is the agency's own submitted answers only, never the appraisers' points.
pub async fn compute_results(store: &Store, cycle: &CycleRecord) -> Result<Vec<ResultRecord>, StoreError> {
    let version = store
        .rubric_version(cycle.rubric_version_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let rubric = version.rubric()?;
    let answers = store.cycle_answers(cycle.id).await?;
    let not_submitted: HashMap<i64, String> = store
        .assessments(cycle.id)
        .await?
        .into_iter()
        .filter(|a| a.state.editable())
        .filter_map(|a| a.not_submitted.map(|reason| (a.unit_id, reason)))
        .collect();
    // The lowest band: where an agency marked "không nộp" is placed.
    let lowest = rubric.bands.iter().min_by_key(|b| b.min).map(|b| b.code.clone());
    let mut self_totals = HashMap::new();
    let outcomes = answers
        .iter()
        .map(|a| {
            let kinds: Vec<&str> = a.kinds.iter().map(String::as_str).collect();
            // Sent and not handed back: a returned one reaches here only marked "không nộp".
            let submitted = !a.state.editable();
            if submitted {
                self_totals.insert(a.unit_id, scoring::score(&rubric, &kinds, &a.submitted).total.0);
            }
            let mut outcome = scoring::score(&rubric, &kinds, &a.final_answers);
            if let (Some(reason), false) = (not_submitted.get(&a.unit_id), submitted) {
                if let Some(band) = &lowest {
                    outcome.band = band.clone();
                }
                outcome
                    .explanation
                    .insert(0, format!("Không nộp bản tự đánh giá: {reason}. Xếp ở mức thấp nhất."));
            } else if !submitted {
                outcome
                    .explanation
                    .insert(0, "Cơ quan chưa gửi bản tự đánh giá.".into());
            }
            (a.unit_id, outcome)
        })
        .collect();
    Ok(scoring::rank(&rubric, outcomes)
        .into_iter()
        .map(|r| ResultRecord {
            cycle_id: cycle.id,
            unit_id: r.key,
            self_total: self_totals.get(&r.key).copied(),
            total: r.outcome.total.0,
            band_title: rubric
                .bands
                .iter()
                .find(|b| b.code == r.outcome.band)
                .map(|b| b.title.clone())
                .unwrap_or_default(),
            band: r.outcome.band,
            rank: r.rank as i64,
            explanation: r.outcome.explanation,
        })
        .collect())
}

/// Checks a rubric file against the province's groups and saves it: a new version, or a draft
/// (no decision) replaced under its code; an issued version's code is refused with the store's
/// conflict. The Department and admins.
pub async fn save_rubric(store: &Store, user: &User, source: &str) -> Result<SavedRubric, Refusal> {
    within!(store, {
        user.require(danvan_domain::role::Access::UnitManagers)?;
        let checked = check_rubric(store, source).await?.map_err(|errors| {
            Refusal::Invalid(
                errors
                    .iter()
                    .map(|e| format!("Dòng {}: {}", e.line, e.message))
                    .collect(),
            )
        })?;
        let id = store
            .save_rubric_version(&user.actor(), &checked.rubric, source)
            .await?;
        Ok(SavedRubric {
            id,
            rubric: checked.rubric,
            warnings: checked.warnings,
        })
    })
}

/// A rubric saved: its version, and what the check warned about.
#[derive(Debug, Clone)]
pub struct SavedRubric {
    pub id: i64,
    pub rubric: Rubric,
    pub warnings: Vec<RubricError>,
}

/// Checks a rubric file against this province's groups: the rubric with its warnings, or every
/// problem with its line.
pub async fn check_rubric(store: &Store, source: &str) -> Result<Result<Checked, Vec<RubricError>>, Refusal> {
    let groups = store.list_groups().await?;
    let codes: Vec<&str> = groups.iter().map(|g| g.code.as_str()).collect();
    Ok(danvan_domain::rubric::check(source, Some(&codes)))
}

/// Opens an evaluation cycle for a group's agencies (`unit_ids`, those alive in the year) with
/// its deadlines. The Department and admins; one cycle per group and year (the store's
/// conflict otherwise).
pub async fn open_cycle(
    store: &Store,
    user: &User,
    cycle: &danvan_store::evaluation::NewCycle,
    unit_ids: &[i64],
) -> Result<i64, Refusal> {
    within!(store, {
        user.require(danvan_domain::role::Access::UnitManagers)?;
        let mut problems = Vec::new();
        if cycle.appraisal_deadline < cycle.self_deadline {
            problems.push("Hạn thẩm định không được trước hạn tự chấm.".to_owned());
        }
        if unit_ids.is_empty() {
            problems.push("Khối này không có đơn vị nào trong năm đánh giá.".to_owned());
        }
        match store.rubric_version(cycle.rubric_version_id).await? {
            None => problems.push("Không có bộ tiêu chí đã chọn.".to_owned()),
            Some(version) if version.decision.trim().is_empty() => problems.push(
                "Bộ tiêu chí này còn là dự thảo (chưa có số quyết định ban hành); ghi số quyết định rồi mới dùng cho đợt đánh giá."
                    .to_owned(),
            ),
            Some(_) => {}
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        Ok(store.open_cycle(&user.actor(), cycle, unit_ids).await?)
    })
}

/// An agency's officer saves its self-scores (`items`: the lines the form sent, each checked by
/// the page against the rubric) and, with `submit`, sends the assessment for appraisal: every
/// criterion the agency scores must then have a score. Only the agency's own officers, while the
/// cycle and the assessment allow it and before the self-scoring deadline.
pub async fn self_assess(
    store: &Store,
    user: &User,
    id: i64,
    items: &[danvan_store::evaluation::SelfItem],
    submit: bool,
    today: Date,
) -> Result<(), Refusal> {
    within!(store, {
        let loaded = assessed(store, user, id).await?;
        let own = user.role == danvan_domain::Role::Officer && user.unit_id == Some(loaded.assessment.unit_id);
        let step = if submit { Step::Submit } else { Step::SaveDraft };
        flow::assessment_step(loaded.cycle.state, loaded.assessment.state, step, user.role, own)
            .map_err(step_refusal)?;
        check_deadline(store, &loaded, step, today).await?;
        // Every line sent is one the agency scores (or the system computes), with an answer of
        // the line's kind within its maximum.
        let kinds: Vec<&str> = loaded.kinds.iter().map(String::as_str).collect();
        let all_lines = lines(&loaded.rubric, &kinds);
        let mut wrong = Vec::new();
        for item in items {
            let line = all_lines
                .iter()
                .find(|line| line.kind == item.kind && line.id == item.item_id);
            let Some(line) = line else {
                wrong.push(format!(
                    "Tiêu chí {} không có trong bộ tiêu chí của cơ quan.",
                    item.item_id
                ));
                continue;
            };
            let (item_id, criterion, max) = (&line.id, &line.criterion, line.max);
            let computed = line.input() == "computed";
            let agency_line = line.is_leaf() && agency_scores(line.kind, criterion.as_ref());
            if !(computed || agency_line) {
                wrong.push(format!("Tiêu chí {item_id} do cấp trên chấm, cơ quan không tự chấm."));
                continue;
            }
            let fits = match (item.value.as_deref().map(Answer::decode), line.input()) {
                (None, _) => true,
                (Some(None), _) => false,
                (Some(Some(Answer::Points(p))), "points" | "computed") => p.0 >= 0 && p <= max,
                (Some(Some(Answer::Yes(_))), "yes_no") => true,
                (Some(Some(Answer::Occurrences(n))), "occurrences") => n <= 1_000,
                (Some(Some(_)), _) => false,
            };
            if !fits {
                wrong.push(format!(
                    "Tiêu chí {item_id}: câu trả lời không hợp lệ hoặc vượt quá điểm tối đa."
                ));
            }
        }
        if !wrong.is_empty() {
            return Err(Refusal::Invalid(wrong));
        }
        if submit {
            let stored = store.assessment_items(id).await?;
            let missing: Vec<String> = all_lines
                .iter()
                .filter(|line| {
                    line.kind == ItemKind::Criterion
                        && line.is_leaf()
                        && agency_scores(line.kind, line.criterion.as_ref())
                })
                .filter(|line| {
                    let sent = items.iter().find(|i| i.kind == line.kind && i.item_id == line.id);
                    match sent {
                        Some(item) => item.value.is_none(),
                        None => !stored
                            .iter()
                            .any(|i| i.kind == line.kind && i.item_id == line.id && i.self_value.is_some()),
                    }
                })
                .map(|line| line.id.clone())
                .collect();
            let mut problems = Vec::new();
            if !missing.is_empty() {
                problems.push(format!("Chưa chấm các tiêu chí: {}.", missing.join(", ")));
            }
            // A criterion that needs evidence, scored, needs a file or a note naming it.
            for Line {
                kind,
                id: item_id,
                criterion,
                ..
            } in &all_lines
            {
                let (kind, item_id) = (*kind, item_id.as_str());
                if !criterion.as_ref().is_some_and(|c| c.evidence_required) {
                    continue;
                }
                let stored_item = stored.iter().find(|i| i.kind == kind && i.item_id == item_id);
                let stored_file = stored_item.is_some_and(|i| i.evidence.is_some());
                let (value, note, file) = match items.iter().find(|i| i.kind == kind && i.item_id == item_id) {
                    Some(item) => (
                        item.value.is_some(),
                        item.note.trim().to_owned(),
                        item.evidence.is_some() || stored_file,
                    ),
                    None => match stored_item {
                        Some(i) => (i.self_value.is_some(), i.self_note.trim().to_owned(), stored_file),
                        None => (false, String::new(), false),
                    },
                };
                if value && note.is_empty() && !file {
                    problems.push(format!(
                        "Tiêu chí {item_id} cần minh chứng: đính kèm tệp, hoặc ghi số, ký hiệu văn bản minh chứng hay lý do không có."
                    ));
                }
            }
            if !problems.is_empty() {
                return Err(Refusal::Invalid(problems));
            }
        }
        let from = loaded.assessment.state;
        store
            .save_self_items(&user.actor(), id, from, items)
            .await
            .map_err(Refusal::from_step)?;
        if submit {
            store
                .submit_assessment(&user.actor(), id, from)
                .await
                .map_err(Refusal::from_step)?;
        }
        Ok(())
    })
}
