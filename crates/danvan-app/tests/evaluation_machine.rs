//! The evaluation workflow as a state machine: random sequences of steps by random roles, on
//! both databases, with a fixed generator so every run is the same. After every step:
//! - a refused step changed no official data;
//! - a step out of its state or role never succeeds;
//! - once results are published, each agency's published total is the engine's result on the
//!   answers stored.

use danvan_app::evaluation::{self, AppraisalInput};
use danvan_app::{Refusal, User};
use danvan_domain::Role;
use danvan_domain::evaluation::{AssessmentState, CycleState};
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::evaluation::{ItemKind, NewCycle, SelfItem};
use danvan_store::test_support::{fresh_store, official_state};
use danvan_store::{Backend, Store};
use time::macros::date;

const RUBRIC: &str = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct World {
    store: Store,
    cycle: i64,
    units: Vec<i64>,
    assessments: Vec<i64>,
}

async fn world(backend: Backend) -> World {
    let store = fresh_store(backend).await;
    // The world is set up through the use cases too, by the Department.
    let monitor = user(Role::Monitor, None);
    let version = evaluation::save_rubric(&store, &user(Role::Admin, None), RUBRIC)
        .await
        .unwrap()
        .id;
    let group = danvan_app::unit::create_group(&store, &monitor, "SBN", "Khối sở, ban, ngành", 1)
        .await
        .unwrap();
    let mut units = Vec::new();
    for (code, name) in [("SA", "Sở A"), ("SB", "Sở B"), ("SC", "Sở C")] {
        let unit = NewUnit {
            code: code.into(),
            name: name.into(),
            short_name: code.into(),
            kind: UnitKind::Department,
            parent_id: None,
            group_id: Some(group),
            valid_from: date!(2004 - 01 - 01),
            valid_to: None,
        };
        units.push(danvan_app::unit::create(&store, &monitor, &unit).await.unwrap());
    }
    let cycle = NewCycle {
        year: 2022,
        group_id: group,
        rubric_version_id: version,
        self_deadline: date!(2022 - 12 - 20),
        appraisal_deadline: date!(2022 - 12 - 28),
    };
    let cycle = evaluation::open_cycle(&store, &monitor, &cycle, &units).await.unwrap();
    let assessments = store.assessments(cycle).await.unwrap().iter().map(|a| a.id).collect();
    World {
        store,
        cycle,
        units,
        assessments,
    }
}

/// An answer for every criterion the agency scores itself, at random.
fn self_items(rng: &mut Rng) -> Vec<SelfItem> {
    use danvan_domain::rubric::{Mode, Points};
    use danvan_domain::scoring::Answer;
    let rubric = danvan_domain::rubric::parse(RUBRIC).unwrap();
    rubric
        .all_criteria()
        .into_iter()
        .filter(|c| c.children.is_empty() && c.self_scored())
        .map(|c| {
            let answer = match c.mode {
                Mode::YesNo => Answer::Yes(rng.below(2) == 0),
                Mode::Deduction { .. } => Answer::Occurrences(rng.below(3) as u32),
                _ => Answer::Points(Points(c.max.0 * rng.below(5) as i64 / 4 / 25 * 25)),
            };
            SelfItem {
                kind: ItemKind::Criterion,
                item_id: c.id.clone(),
                value: Some(answer.encode()),
                note: "Quyết định số 1/QĐ".into(),
                evidence: None,
            }
        })
        .collect()
}

fn user(role: Role, unit: Option<i64>) -> User {
    User::system("machine", role, unit)
}

/// One random step; returns its name and whether it succeeded.
async fn step(w: &World, rng: &mut Rng, today: time::Date) -> (String, Result<(), Refusal>) {
    let roles = [Role::Admin, Role::Monitor, Role::Leader, Role::Officer, Role::Appraiser];
    let role = roles[rng.below(roles.len() as u64) as usize];
    let which = rng.below(w.assessments.len() as u64) as usize;
    let id = w.assessments[which];
    // An officer of the agency, or of another one.
    let unit = if rng.below(4) == 0 {
        Some(w.units[(which + 1) % w.units.len()])
    } else {
        Some(w.units[which])
    };
    let acting = user(role, (role == Role::Officer).then_some(unit).flatten());
    match rng.below(7) {
        // The agency's own draft or submission, through its use case.
        0 | 1 => {
            let submit = rng.below(2) == 0;
            let step = if submit {
                danvan_domain::evaluation::Step::Submit
            } else {
                danvan_domain::evaluation::Step::SaveDraft
            };
            let items = self_items(rng);
            let outcome = evaluation::self_assess(&w.store, &acting, id, &items, submit, today).await;
            (format!("{step:?} by {role:?}"), outcome)
        }
        2 => {
            let mut input = AppraisalInput {
                complete: rng.below(2) == 0,
                ..Default::default()
            };
            for item in ["3.1", "5"] {
                if rng.below(3) > 0 {
                    input
                        .scores
                        .insert(format!("criterion:{item}"), (rng.below(6) + 1).to_string());
                }
            }
            if rng.below(2) == 0 {
                input.scores.insert("bonus:T2".into(), rng.below(3).to_string());
            }
            let outcome = evaluation::appraise(&w.store, &acting, id, &input, today).await;
            (format!("appraise(complete={}) by {role:?}", input.complete), outcome)
        }
        3 => {
            let reason = if rng.below(4) == 0 { "" } else { "Thiếu minh chứng" };
            let outcome = evaluation::return_assessment(&w.store, &acting, id, reason, today).await;
            (format!("return by {role:?}"), outcome)
        }
        4 => (
            format!("finalize by {role:?}"),
            evaluation::finalize(&w.store, &acting, w.cycle).await,
        ),
        5 => (
            format!("publish by {role:?}"),
            evaluation::publish(&w.store, &acting, w.cycle).await,
        ),
        _ => {
            let outcome = evaluation::mark_not_submitted(&w.store, &acting, id, "Không nộp", today).await;
            (format!("mark not submitted by {role:?}"), outcome)
        }
    }
}

async fn run(backend: Backend, seed: u64) -> CycleState {
    let w = world(backend).await;
    let mut rng = Rng(seed);
    let today = date!(2022 - 12 - 15);
    for n in 0..40 {
        let before = official_state(&w.store).await;
        let cycle_before = w.store.cycle(w.cycle).await.unwrap().unwrap().state;
        let (name, outcome) = step(&w, &mut rng, today).await;
        match &outcome {
            Err(Refusal::Store(e)) if !matches!(e, danvan_store::StoreError::Conflict(_)) => {
                panic!("seed {seed} step {n} {name}: the store failed: {e}")
            }
            Err(_) => assert_eq!(
                official_state(&w.store).await,
                before,
                "seed {seed} step {n} {name}: a refused step changed official data"
            ),
            Ok(()) => {
                // What succeeded was allowed: publishing only a finalized cycle, by a leader;
                // finalizing only an open one with nothing waiting, by the Department.
                if name.starts_with("publish") {
                    assert!(
                        name.ends_with("Leader") && cycle_before == CycleState::Finalized,
                        "{name}"
                    );
                }
                if name.starts_with("finalize") {
                    assert!(name.ends_with("Monitor") && cycle_before == CycleState::Open, "{name}");
                    let waiting = w.store.assessments(w.cycle).await.unwrap();
                    assert!(waiting.iter().all(|a| a.state != AssessmentState::Submitted));
                }
            }
        }
    }
    // Published results are the engine's on the answers stored.
    let cycle = w.store.cycle(w.cycle).await.unwrap().unwrap();
    if cycle.state != CycleState::Open {
        let frozen = w.store.cycle_results(w.cycle).await.unwrap();
        let mut computed = evaluation::compute_results(&w.store, &cycle).await.unwrap();
        let mut frozen_sorted = frozen.clone();
        frozen_sorted.sort_by_key(|r| r.unit_id);
        computed.sort_by_key(|r| r.unit_id);
        assert_eq!(frozen_sorted, computed, "seed {seed}: frozen results are the engine's");
    }
    cycle.state
}

/// Runs the seeds and checks they went the whole way at least once.
async fn machine(backend: Backend, seeds: u64) {
    let mut ends = Vec::new();
    for seed in 1..=seeds {
        ends.push(run(backend, seed * 0x9e37_79b9).await);
    }
    assert!(
        ends.contains(&CycleState::Published),
        "no sequence reached publication: {ends:?}"
    );
}

#[tokio::test]
async fn random_steps_by_random_roles_keep_the_invariants_on_sqlite() {
    machine(Backend::Sqlite, 10).await;
}

#[tokio::test]
async fn random_steps_by_random_roles_keep_the_invariants_on_postgres() {
    machine(Backend::Postgres, 6).await;
}
