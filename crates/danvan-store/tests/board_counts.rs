//! The board's kept counts (migration 0027) against a full recount, on both databases, after
//! random histories: directives created, reports submitted and reviewed, deadlines extended and
//! recomputed after a change of the holiday schedule, agencies added and withdrawn, tasks and
//! directives cancelled, work moved to a successor agency, agencies moved between groups.
//!
//! After every step the counts the board reads for several filters, per agency and per
//! directive, must equal the recount of the assignments themselves; at the end the recount must
//! equal the status rule applied to every assignment read back one by one.

use std::collections::BTreeMap;

use danvan_domain::calendar::Adjustment;
use danvan_domain::directive::Deadline;
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::directive::{AssignmentRecord, BoardFilter, NewDirective, NewReport, NewTask, StatusCounts};
use danvan_store::directive_change::{CancelTarget, Scope};
use danvan_store::{Actor, Store, conformance};
use time::macros::date;
use time::{Date, Duration};

conformance!(kept_counts_agree_with_a_recount_after_random_histories);

/// A small deterministic generator (xorshift64*), so that a failure replays.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn day(&mut self) -> Date {
        date!(2024 - 01 - 02) + Duration::days(self.below(300) as i64)
    }
}

fn actor() -> Actor {
    Actor::system("test")
}

fn unit(code: &str, group_id: Option<i64>) -> NewUnit {
    NewUnit {
        code: code.to_owned(),
        name: format!("Đơn vị {code}"),
        short_name: String::new(),
        kind: UnitKind::Department,
        parent_id: None,
        group_id,
        valid_from: date!(2004 - 01 - 01),
        valid_to: None,
    }
}

async fn assignments(store: &Store, directives: &[i64]) -> Vec<AssignmentRecord> {
    let mut all = Vec::new();
    for id in directives {
        for task in store.directive(*id).await.unwrap().unwrap().tasks {
            all.extend(task.assignments);
        }
    }
    all
}

/// Every filter the kept counts serve, both ways.
async fn check(store: &Store, groups: &[i64], today: Date, step: &str) {
    let mut filters = vec![
        BoardFilter::default(),
        BoardFilter {
            due_from: Some(date!(2024 - 03 - 01)),
            due_to: Some(date!(2024 - 06 - 30)),
            ..BoardFilter::default()
        },
        BoardFilter {
            due_from: Some(today),
            ..BoardFilter::default()
        },
    ];
    // 0 is how the kept counts file agencies in no group; as a filter it is no group's id.
    for group in groups.iter().chain([&0]) {
        filters.push(BoardFilter {
            group_id: Some(*group),
            ..BoardFilter::default()
        });
        filters.push(BoardFilter {
            group_id: Some(*group),
            due_to: Some(today),
            ..BoardFilter::default()
        });
    }
    for filter in &filters {
        for by_directive in [false, true] {
            let kept = store.board_counts(filter, today, by_directive).await.unwrap();
            let recounted = store.board_recount(filter, today, by_directive).await.unwrap();
            assert_eq!(
                kept, recounted,
                "after {step}: filter {filter:?}, by directive {by_directive}"
            );
        }
    }
    assert_eq!(store.check_board_counts().await.unwrap(), None, "after {step}");
}

async fn kept_counts_agree_with_a_recount_after_random_histories(store: Store) {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let groups = vec![
        store.create_group(&actor(), "G1", "Khối một", 1).await.unwrap(),
        store.create_group(&actor(), "G2", "Khối hai", 2).await.unwrap(),
    ];
    let mut units = Vec::new();
    for i in 0..6 {
        let group = [Some(groups[0]), Some(groups[1]), None][i % 3];
        units.push(
            store
                .create_unit(&actor(), &unit(&format!("U{i}"), group))
                .await
                .unwrap(),
        );
    }
    let officer = danvan_store::test_support::monitor_account(&store, "canbo", "Cán bộ").await;
    let officer = Actor::account(officer, "canbo", None);
    let mut calendar = store.work_calendar().await.unwrap();
    let mut directives = Vec::new();
    let today = date!(2024 - 05 - 15);
    let mut step_names: BTreeMap<&str, usize> = BTreeMap::new();
    for step in 0..200 {
        let all = assignments(&store, &directives).await;
        let open: Vec<&AssignmentRecord> = all
            .iter()
            .filter(|a| a.cancelled.is_none() && a.completed_on.is_none())
            .collect();
        let kind = if directives.is_empty() { 0 } else { random.below(9) };
        let name = match kind {
            0 => {
                let document_date = random.day();
                let tasks = (0..1 + random.below(3))
                    .map(|t| {
                        let mut leads: Vec<i64> = units.iter().copied().filter(|_| random.chance(50)).collect();
                        if leads.is_empty() {
                            leads.push(units[random.below(units.len())]);
                        }
                        let supports = units
                            .iter()
                            .copied()
                            .filter(|u| !leads.contains(u) && random.chance(30))
                            .collect();
                        NewTask {
                            content: format!("Nhiệm vụ {t}"),
                            monitor_unit_id: None,
                            deadline: if random.chance(50) {
                                Deadline::WorkingDaysFromDocument(5 + random.below(40) as u32)
                            } else {
                                Deadline::On(document_date + Duration::days(random.below(120) as i64))
                            },
                            leads,
                            supports,
                        }
                    })
                    .collect();
                let directive = NewDirective {
                    document_id: None,
                    title: format!("Chỉ đạo {step}"),
                    document_date,
                    tasks,
                };
                directives.push(
                    store
                        .create_directive(&actor(), &directive, &mut calendar, document_date + Duration::days(1))
                        .await
                        .unwrap(),
                );
                "create a directive"
            }
            1 | 2 if !open.is_empty() => {
                let assignment = open[random.below(open.len())];
                let report = NewReport {
                    // Half before the deadline, half anywhere after receipt.
                    reported_on: if random.chance(50) {
                        assignment.due_on - Duration::days(random.below(10) as i64)
                    } else {
                        assignment.received_on + Duration::days(random.below(150) as i64)
                    },
                    percent: if random.chance(60) { 100 } else { 40 },
                    content: "Đã triển khai.".into(),
                    attachments: vec![],
                };
                let report = store.submit_report(&officer, assignment.id, &report).await.unwrap();
                if random.chance(80) {
                    let accept = random.chance(80);
                    store.review_report(&officer, report, accept, "").await.unwrap();
                }
                "report and review"
            }
            3 if !open.is_empty() => {
                let assignment = open[random.below(open.len())];
                let scope = if random.chance(50) {
                    Scope::Task(assignment.task_id)
                } else {
                    Scope::Assignment(assignment.id)
                };
                let new_due = assignment.due_on + Duration::days(1 + random.below(60) as i64);
                // A task whose every part is done refuses; the board must not move then either.
                match store.extend_task_deadline(&actor(), scope, new_due, "Gia hạn").await {
                    Ok(_) => "extend a deadline",
                    Err(_) => "refused",
                }
            }
            4 => {
                let live: Vec<&AssignmentRecord> = all.iter().filter(|a| a.cancelled.is_none()).collect();
                if live.is_empty() {
                    continue;
                }
                let assignment = live[random.below(live.len())];
                let target = match random.below(10) {
                    0 => CancelTarget::Directive(assignment.directive_id),
                    1 | 2 => CancelTarget::Task(assignment.task_id),
                    _ => CancelTarget::Assignment(assignment.id),
                };
                match store.cancel(&actor(), target, today, "Không còn phù hợp").await {
                    Ok(_) => "cancel or withdraw",
                    Err(_) => "refused",
                }
            }
            5 => {
                let assignment = &all[random.below(all.len())];
                // An agency with no part in the task yet.
                let free: Vec<i64> = units
                    .iter()
                    .copied()
                    .filter(|u| !all.iter().any(|a| a.task_id == assignment.task_id && a.unit_id == *u))
                    .collect();
                if free.is_empty() {
                    continue;
                }
                let unit = free[random.below(free.len())];
                let due = random.day();
                // Refused when the task is cancelled.
                match store
                    .add_assignment(
                        &actor(),
                        assignment.task_id,
                        unit,
                        random.chance(70),
                        assignment.received_on,
                        due,
                    )
                    .await
                {
                    Ok(_) => "add an agency",
                    Err(_) => "refused",
                }
            }
            6 => {
                let assignment = &all[random.below(all.len())];
                let to = units[random.below(units.len())];
                // Refused when the successor already has a part in the task.
                match store.move_assignment(&actor(), assignment.id, to).await {
                    Ok(_) => "move work to a successor",
                    Err(_) => "refused",
                }
            }
            7 => {
                let id = units[random.below(units.len())];
                let mut moved = unit(&store.unit(id).await.unwrap().unwrap().code, None);
                moved.group_id = [Some(groups[0]), Some(groups[1]), None][random.below(3)];
                store.update_unit(&actor(), id, &moved).await.unwrap();
                "move an agency to another group"
            }
            8 => {
                let mut before = store.work_calendar().await.unwrap();
                let adjustment = Adjustment {
                    date: random.day(),
                    working: false,
                    note: "Nghỉ bù".into(),
                };
                store.set_calendar_adjustment(&actor(), &adjustment).await.unwrap();
                calendar = store.work_calendar().await.unwrap();
                let mut after = store.work_calendar().await.unwrap();
                store
                    .recompute_working_day_deadlines(&actor(), &mut before, &mut after, "Lịch nghỉ mới")
                    .await
                    .unwrap();
                "recompute deadlines after a day off"
            }
            _ => continue,
        };
        *step_names.entry(name).or_default() += 1;
        check(&store, &groups, today, &format!("step {step} ({name})")).await;
    }
    // Every kind of step changed something at least once (refused steps are counted apart).
    step_names.remove("refused");
    assert_eq!(step_names.len(), 8, "{step_names:?}");

    // The recount itself against the status rule, assignment by assignment.
    let all = assignments(&store, &directives).await;
    let expected = danvan_store::test_support::board_by_status_rule(&all, today, |x| x.unit_id);
    // A history that left every status on the board.
    let sum = |status: fn(&StatusCounts) -> i64| expected.iter().map(status).sum::<i64>();
    let statuses = [
        sum(|c| c.not_started),
        sum(|c| c.in_progress),
        sum(|c| c.overdue),
        sum(|c| c.done_on_time),
        sum(|c| c.done_late),
    ];
    assert!(statuses.iter().all(|n| *n >= 3), "{statuses:?}");
    assert_eq!(
        store.board_counts(&BoardFilter::default(), today, false).await.unwrap(),
        expected
    );
}

/// Migration 0027 on an installation that already holds work: the counts it fills in agree
/// with a recount, and the triggers carry on from there.
async fn the_migration_counts_the_work_already_there(backend: danvan_store::Backend) {
    // This version's code writes the audit head's data generation (0028).
    let store = danvan_store::test_support::store_migrated_through_and(backend, 26, &[28]).await;
    let group = store.create_group(&actor(), "G1", "Khối một", 1).await.unwrap();
    let a = store.create_unit(&actor(), &unit("A", Some(group))).await.unwrap();
    let b = store.create_unit(&actor(), &unit("B", None)).await.unwrap();
    let officer = danvan_store::test_support::monitor_account(&store, "canbo", "Cán bộ").await;
    let officer = Actor::account(officer, "canbo", None);
    let mut calendar = store.work_calendar().await.unwrap();
    let directive = NewDirective {
        document_id: None,
        title: "Chỉ đạo".into(),
        document_date: date!(2024 - 03 - 01),
        tasks: (0..3)
            .map(|t| NewTask {
                content: format!("Nhiệm vụ {t}"),
                monitor_unit_id: None,
                deadline: Deadline::On(date!(2024 - 04 - 01) + Duration::days(30 * t)),
                leads: vec![a, b],
                supports: vec![],
            })
            .collect(),
    };
    let id = store
        .create_directive(&actor(), &directive, &mut calendar, date!(2024 - 03 - 02))
        .await
        .unwrap();
    let parts = assignments(&store, &[id]).await;
    for (i, part) in parts.iter().enumerate().take(4) {
        let report = NewReport {
            reported_on: part.due_on + Duration::days(i as i64 - 1),
            percent: 100,
            content: "Xong.".into(),
            attachments: vec![],
        };
        let report = store.submit_report(&officer, part.id, &report).await.unwrap();
        store.review_report(&officer, report, true, "").await.unwrap();
    }
    store
        .cancel(
            &actor(),
            CancelTarget::Assignment(parts[5].id),
            date!(2024 - 05 - 01),
            "Rút",
        )
        .await
        .unwrap();
    // Now the migration, then one more change through the triggers.
    // (0027, then the migrations after 0028, which the test applied beforehand.)
    let applied = store.migrate().await.unwrap();
    assert_eq!(applied.first().map(String::as_str), Some("0027_board_counts"));
    assert!(!applied.iter().any(|m| m == "0028_data_generation"));
    let today = date!(2024 - 05 - 15);
    check(&store, &[group], today, "migration").await;
    let kept = store.board_counts(&BoardFilter::default(), today, false).await.unwrap();
    assert_eq!(kept.iter().map(StatusCounts::total).sum::<i64>(), 5);
    store.move_assignment(&actor(), parts[4].id, a).await.ok();
    let mut moved = unit("B", None);
    moved.group_id = Some(group);
    store.update_unit(&actor(), b, &moved).await.unwrap();
    check(&store, &[group], today, "a change after the migration").await;
}

#[tokio::test]
async fn the_migration_counts_the_work_already_there_on_sqlite() {
    the_migration_counts_the_work_already_there(danvan_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn the_migration_counts_the_work_already_there_on_postgres() {
    the_migration_counts_the_work_already_there(danvan_store::Backend::Postgres).await;
}
