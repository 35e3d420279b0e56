//! Restructuring agencies with their work carried over: what would move is listed first
//! ([`preview`]), each item with the successor it goes to (chosen per item where there are
//! several); [`apply`] does it all in one transaction: the new agency if any, every move, the
//! closings with their successions, each audited. Closed history (completed assignments,
//! submitted reports, past leaders) stays under the agency of its time.

use std::collections::HashMap;

use danvan_domain::date::format_vn;
use danvan_domain::restructure::{self, Moved, RestructureError, Restructuring};
use danvan_domain::role::Access;
use danvan_domain::unit::{NewUnit, Unit};
use danvan_store::directive_change::CancelTarget;
use danvan_store::leader::NewLeader;
use danvan_store::report::{FilingState, RoundState};
use danvan_store::{Store, StoreError};
use time::Date;

use crate::{Refusal, User};

/// The id that stands for the agency a plan creates, before it exists.
pub const NEW_UNIT: i64 = 0;

/// A restructuring as asked.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: Restructuring,
    /// The agencies that end the day before `effective_on`.
    pub sources: Vec<i64>,
    /// Existing agencies that continue their work.
    pub successors: Vec<i64>,
    /// A new agency that continues their work, from `effective_on` (its `valid_from` is set to
    /// it).
    pub new_unit: Option<NewUnit>,
    pub effective_on: Date,
    /// A person's choice of successor for an item (`NEW_UNIT` for the new agency); `None` to
    /// leave it with the agency that ends.
    pub choices: HashMap<(Moved, i64), Option<i64>>,
}

/// One thing that would move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub what: Moved,
    /// The record's id (the agency's own for its group).
    pub record_id: i64,
    pub from_unit: i64,
    /// What it is, in Vietnamese: the task and its deadline, the leader's name, the report.
    pub label: String,
    /// Where it goes; `None` stays with the agency that ends.
    pub to: Option<i64>,
    /// What will happen when it cannot simply move (the successor already has the task).
    pub note: Option<String>,
}

/// What a plan would do.
#[derive(Debug, Clone)]
pub struct Preview {
    pub sources: Vec<Unit>,
    pub successors: Vec<Unit>,
    pub items: Vec<Item>,
}

/// Reads what would move under `plan`, checked as [`apply`] checks it.
pub async fn preview(store: &Store, user: &User, plan: &Plan) -> Result<Preview, Refusal> {
    user.require(Access::UnitManagers)?;
    let all_units = store.list_units().await?;
    let units: HashMap<i64, Unit> = all_units.iter().map(|u| (u.id, u.clone())).collect();
    let find = |id: &i64| units.get(id).cloned().ok_or(Refusal::NotFound);
    let mut source_ids = plan.sources.clone();
    source_ids.sort_unstable();
    source_ids.dedup();
    let mut successor_ids = plan.successors.clone();
    successor_ids.sort_unstable();
    successor_ids.dedup();
    let sources: Vec<Unit> = source_ids.iter().map(find).collect::<Result<_, _>>()?;
    let successors: Vec<Unit> = successor_ids.iter().map(find).collect::<Result<_, _>>()?;
    let refuse = |e: RestructureError| Refusal::Invalid(vec![e.vi().to_owned()]);
    restructure::check(
        plan.kind,
        &sources.iter().collect::<Vec<_>>(),
        &successors.iter().collect::<Vec<_>>(),
        plan.new_unit.is_some(),
        plan.effective_on,
    )
    .map_err(refuse)?;
    // Agencies under an agency that ends would be left without a parent: they are restructured
    // (or given another parent) first.
    let day_before = plan.effective_on.previous_day().ok_or(Refusal::NotFound)?;
    let children: Vec<String> = all_units
        .iter()
        .filter(|u| {
            u.parent_id.is_some_and(|p| source_ids.contains(&p))
                && !source_ids.contains(&u.id)
                && u.valid_to.is_none_or(|to| to > day_before)
        })
        .map(|u| u.name.clone())
        .collect();
    if !children.is_empty() {
        return Err(Refusal::Invalid(vec![format!(
            "Đơn vị cần sắp xếp còn đơn vị trực thuộc đang hoạt động: {}. Hãy sắp xếp hoặc chuyển các đơn vị này trước.",
            children.join("; ")
        )]));
    }
    let admin = user.require(Access::Admins).is_ok();
    let mut targets: Vec<i64> = successor_ids.clone();
    if plan.new_unit.is_some() {
        targets.push(NEW_UNIT);
    }
    let default = restructure::default_successor(&targets);
    let to_of = |what: Moved, id: i64| -> Result<Option<i64>, Refusal> {
        match plan.choices.get(&(what, id)) {
            Some(Some(chosen)) if !targets.contains(chosen) => Err(refuse(RestructureError::ChoiceNotASuccessor)),
            Some(chosen) => Ok(*chosen),
            None => Ok(default),
        }
    };
    let mut items = Vec::new();
    let mut successor_tasks: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut successor_rounds: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut led: Vec<i64> = Vec::new();
    for id in &successor_ids {
        successor_rounds.insert(*id, store.filings_of(*id).await?.iter().map(|f| f.round_id).collect());
        if store.leader_on(*id, plan.effective_on).await?.is_some() {
            led.push(*id);
        }
        let tasks = store
            .assignments_of_unit(*id)
            .await?
            .into_iter()
            .filter(|a| a.cancelled.is_none())
            .map(|a| a.task_id)
            .collect();
        successor_tasks.insert(*id, tasks);
    }
    let accounts = store.list_accounts().await?;
    let groups: HashMap<i64, String> = store.list_groups().await?.into_iter().map(|g| (g.id, g.name)).collect();
    let kinds: HashMap<i64, String> = store
        .report_kinds()
        .await?
        .into_iter()
        .map(|k| (k.id, k.name))
        .collect();
    let rounds: HashMap<i64, String> = store
        .rounds()
        .await?
        .into_iter()
        .filter(|r| r.state == RoundState::Open)
        .map(|r| {
            let kind = kinds.get(&r.kind_id).cloned().unwrap_or_default();
            (
                r.id,
                format!("{kind} {} (hạn {})", r.period.label(), format_vn(r.deadline)),
            )
        })
        .collect();
    for source in &sources {
        for assignment in store.assignments_of_unit(source.id).await? {
            if assignment.completed_on.is_some() || assignment.cancelled.is_some() {
                continue;
            }
            let to = to_of(Moved::Assignment, assignment.id)?;
            // The successor already has a part in the task (its own, or one moved to it just
            // before): this part is withdrawn rather than doubled.
            let note = to.and_then(|t| {
                    let tasks = successor_tasks.entry(t).or_default();
                    if tasks.contains(&assignment.task_id) {
                        Some("Đơn vị tiếp nhận đã được giao nhiệm vụ này: phần việc này được rút khỏi nhiệm vụ, báo cáo đã gửi vẫn được lưu.".to_owned())
                    } else {
                        tasks.push(assignment.task_id);
                        None
                    }
                });
            items.push(Item {
                what: Moved::Assignment,
                record_id: assignment.id,
                from_unit: source.id,
                label: format!(
                    "{} — {} (hạn {})",
                    assignment.directive_title,
                    assignment.task_content,
                    format_vn(assignment.due_on)
                ),
                to,
                note,
            });
        }
        if let Some(leader) = store.leader_on(source.id, day_before).await? {
            let to = to_of(Moved::Leader, leader.id)?;
            // One leader per successor: the one it has, or the first given.
            let note = match to {
                Some(t) if led.contains(&t) => Some(
                    "Đơn vị tiếp nhận đã có lãnh đạo phụ trách: người này thôi phụ trách, giữ người phụ trách của đơn vị tiếp nhận."
                        .to_owned(),
                ),
                Some(t) => {
                    led.push(t);
                    None
                }
                None => None,
            };
            items.push(Item {
                what: Moved::Leader,
                record_id: leader.id,
                from_unit: source.id,
                label: format!("{} ({})", leader.name, leader.position),
                to,
                note,
            });
        }
        for filing in store.filings_of(source.id).await? {
            let Some(round) = rounds.get(&filing.round_id) else {
                continue;
            };
            if !matches!(filing.state, FilingState::Draft | FilingState::Returned) {
                continue;
            }
            let mut to = to_of(Moved::Filing, filing.id)?;
            let mut note = None;
            if let Some(t) = to {
                let rounds = successor_rounds.entry(t).or_default();
                if rounds.contains(&filing.round_id) {
                    to = None;
                    note = Some("Đơn vị tiếp nhận đã có báo cáo của đợt này: báo cáo này giữ ở đơn vị cũ.".to_owned());
                } else {
                    rounds.push(filing.round_id);
                }
            }
            items.push(Item {
                what: Moved::Filing,
                record_id: filing.id,
                from_unit: source.id,
                label: round.clone(),
                to,
                note,
            });
        }
        if let Some(group) = source.group_id {
            let name = groups.get(&group).cloned().unwrap_or_default();
            items.push(Item {
                what: Moved::Group,
                record_id: source.id,
                from_unit: source.id,
                label: name,
                to: to_of(Moved::Group, source.id)?,
                note: None,
            });
        }
        for account in accounts.iter().filter(|a| a.unit_id == Some(source.id) && !a.disabled) {
            // Only an admin changes an account's agency (as in the account pages).
            let (to, note) = if admin {
                (
                    to_of(Moved::Account, account.id)?,
                    "Tài khoản được chuyển sang đơn vị tiếp nhận; người dùng đăng nhập lại.",
                )
            } else {
                (
                    None,
                    "Chỉ quản trị viên chuyển tài khoản sang đơn vị khác; tài khoản giữ ở đơn vị cũ.",
                )
            };
            items.push(Item {
                what: Moved::Account,
                record_id: account.id,
                from_unit: source.id,
                label: format!("{} ({})", account.display_name, account.username),
                to,
                note: Some(note.to_owned()),
            });
        }
    }
    Ok(Preview {
        sources,
        successors,
        items,
    })
}

/// Does what [`preview`] lists, in one transaction; returns the successors' ids (the new
/// agency's among them).
pub async fn apply(store: &Store, user: &User, plan: &Plan) -> Result<Vec<i64>, Refusal> {
    within!(store, {
        let preview = preview(store, user, plan).await?;
        let actor = user.actor();
        let new_id = match &plan.new_unit {
            Some(unit) => {
                let unit = NewUnit {
                    valid_from: plan.effective_on,
                    valid_to: None,
                    ..unit.clone()
                };
                Some(store.create_unit(&actor, &unit).await?)
            }
            None => None,
        };
        let resolve = |id: i64| if id == NEW_UNIT { new_id.unwrap_or(NEW_UNIT) } else { id };
        let day_before = plan.effective_on.previous_day().ok_or(Refusal::NotFound)?;
        // Read once: a restructuring moves an account's agency, never its role.
        let accounts = store.list_accounts().await?;
        let mut groups_given: Vec<i64> = Vec::new();
        for item in &preview.items {
            let Some(to) = item.to.map(resolve) else {
                continue;
            };
            match item.what {
                Moved::Assignment => match store.move_assignment(&actor, item.record_id, to).await {
                    Err(StoreError::Conflict(_)) => {
                        let target = store.unit(to).await?.map_or_else(String::new, |u| u.name);
                        store
                            .cancel(
                                &actor,
                                CancelTarget::Assignment(item.record_id),
                                plan.effective_on,
                                &format!(
                                    "{}: {target} tiếp nhận và đã được giao nhiệm vụ này.",
                                    plan.kind.label()
                                ),
                            )
                            .await?
                    }
                    other => other?,
                },
                Moved::Leader => {
                    let Some(leader) = store.leader_on(item.from_unit, day_before).await? else {
                        continue;
                    };
                    store.end_leader(&actor, leader.id, day_before).await?;
                    if store.leader_on(to, plan.effective_on).await?.is_none() {
                        store
                            .assign_leader(
                                &actor,
                                &NewLeader {
                                    unit_id: to,
                                    name: leader.name,
                                    position: leader.position,
                                    decision: leader.decision,
                                    valid_from: plan.effective_on,
                                },
                            )
                            .await?;
                    }
                }
                Moved::Filing => store.move_filing(&actor, item.record_id, to).await?,
                Moved::Group => {
                    let source = store.unit(item.from_unit).await?.ok_or(Refusal::NotFound)?;
                    let target = store.unit(to).await?.ok_or(Refusal::NotFound)?;
                    if target.group_id.is_none() && !groups_given.contains(&to) {
                        groups_given.push(to);
                        let unit = NewUnit {
                            code: target.code.clone(),
                            name: target.name.clone(),
                            short_name: target.short_name.clone(),
                            kind: target.kind,
                            parent_id: target.parent_id,
                            group_id: source.group_id,
                            valid_from: target.valid_from,
                            valid_to: target.valid_to,
                        };
                        store.update_unit(&actor, to, &unit).await?;
                    }
                }
                Moved::Account => {
                    let account = accounts
                        .iter()
                        .find(|a| a.id == item.record_id)
                        .ok_or(Refusal::NotFound)?;
                    store
                        .set_account_role(&actor, account.id, account.role, Some(to))
                        .await?;
                }
            }
        }
        let successors: Vec<i64> = preview.successors.iter().map(|u| u.id).chain(new_id).collect();
        for source in &preview.sources {
            store
                .close_unit(&actor, source.id, day_before, plan.kind.succession(), &successors)
                .await?;
        }
        Ok(successors)
    })
}
