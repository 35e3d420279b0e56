//! The storage conformance suite: every store method, the same tests on SQLite and PostgreSQL.
//!
//! Each test is an `async fn(Store)`; the `conformance!` macro runs it once per backend on a
//! fresh database, so a behaviour that differs between the two shows as a failure on one side.

use danvan_domain::calendar::Adjustment;
use danvan_domain::directive::{Deadline, TaskStatus};
use danvan_domain::unit::{NewUnit, SuccessionKind, UnitInput, UnitKind};
use danvan_domain::{Password, Role, UnitError, Username};
use danvan_store::audit::ChainCheck;
use danvan_store::directive::{Attachment, BoardFilter, NewDirective, NewReport, NewTask, StatusCounts};
use danvan_store::directive_change::Scope;
use danvan_store::document::NewCitation;
use danvan_store::outbox::{MAX_ATTEMPTS, NewMail, OutboxState, retry_delay};
use danvan_store::test_support::RawSql;
use danvan_store::test_support::fresh_store;
use danvan_store::{
    Actor, AuditFilter, Backend, DocumentFilter, NewAccount, NewDocument, SaveOutcome, SessionRecord, Store, StoreError,
};
use time::macros::date;

use danvan_store::conformance;

conformance!(
    a_scope_commits_its_changes_as_one,
    a_scope_dropped_without_commit_keeps_nothing,
    a_failed_change_inside_a_scope_is_undone_alone,
    a_step_rolled_back_to_its_savepoint_leaves_the_rest_of_the_scope,
    migrations_apply_once_and_record_their_checksums,
    statistics_can_be_refreshed,
    meta_values_are_upserted,
    units_round_trip_with_dates_and_optional_fields,
    unit_codes_are_unique,
    a_child_needs_a_parent_alive_on_its_start_date,
    updating_a_unit_records_before_and_after,
    closing_a_unit_links_successors_in_one_transaction,
    a_failed_closing_changes_nothing,
    groups_are_listed_in_their_order,
    accounts_round_trip_and_usernames_are_unique,
    five_failures_lock_an_account_and_success_clears_the_count,
    failures_are_counted_per_address,
    setting_a_password_ends_every_session,
    disabling_an_account_ends_its_sessions,
    changing_an_accounts_role_ends_its_sessions_and_is_audited,
    sessions_round_trip_touch_and_expire,
    every_change_leaves_a_chained_audit_record,
    audit_log_refuses_updates_and_deletes,
    audit_filters_select_by_actor_object_and_time,
    files_are_stored_once_by_digest_and_checked_when_read,
    a_saved_document_round_trips_with_its_lists,
    citations_make_citation_only_entries_that_the_full_text_upgrades,
    a_full_document_cannot_be_saved_twice,
    citations_resolve_both_ways,
    search_ignores_diacritics_and_d_bar_and_ranks,
    many_matches_come_newest_first,
    full_text_indexes_take_new_rows_at_once,
    search_reads_the_start_of_each_text_and_says_whether_it_is_whole,
    the_data_generation_moves_with_every_change_of_data_and_with_no_access,
    documents_are_listed_with_filters_and_facets,
    addressee_mappings_are_remembered,
    a_directive_assigns_tasks_with_working_day_deadlines,
    working_day_deadlines_follow_a_changed_schedule_unless_set_by_hand,
    reports_drive_the_status_and_lock_after_review,
    the_board_counts_by_status_per_agency_and_directive,
    the_board_agrees_with_the_status_rule_for_every_filter,
    calendar_adjustments_round_trip_and_shape_deadlines,
    jobs_are_claimed_once_per_day_and_reminders_are_idempotent,
    the_outbox_leases_each_message_to_one_sender_and_backs_off_until_it_gives_up,
    rubric_versions_are_kept_whole_and_never_replaced,
    a_draft_rubric_is_replaced_until_its_decision_is_named,
    an_evaluation_cycle_runs_from_drafts_to_published_results,
    leaders_are_assigned_with_history_and_gaps_are_found,
    dissemination_meetings_record_their_documents,
    initiatives_follow_their_lifecycle_with_history_and_replication,
    initiative_files_are_kept_with_their_initiative,
    training_records_attendance_whole_and_measures_coverage,
    report_rounds_run_from_drafts_to_accepted_filings,
    window_counts_feed_report_prefills,
    accounts_unused_for_45_days_are_disabled,
    table_digests_tell_equal_databases_and_sqlite_copies_online,
    acknowledged_writes_are_synced_to_disk,
    stored_bytes_no_record_refers_to_are_swept_after_their_grace,
    reads_of_personal_data_are_logged_without_values,
    a_second_factor_is_set_audited_and_its_codes_used_once,
    records_past_their_retention_period_are_deleted_or_anonymised_with_an_audit_record,
);

fn actor() -> Actor {
    Actor::system("test")
}

fn new_unit(code: &str, name: &str, kind: UnitKind, parent_id: Option<i64>) -> NewUnit {
    NewUnit::parse(&UnitInput {
        code,
        name,
        short_name: "",
        kind: kind.code(),
        parent_id,
        group_id: None,
        valid_from: "01/01/2004",
        valid_to: "",
    })
    .unwrap()
}

/// The province with two departments, Sở Nội vụ and Sở Tài chính.
async fn two_departments(store: &Store) -> (i64, i64) {
    let province = province(store).await;
    let mut ids = Vec::new();
    for (code, name) in [("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính")] {
        let unit = new_unit(code, name, UnitKind::Department, Some(province));
        ids.push(store.create_unit(&actor(), &unit).await.unwrap());
    }
    (ids[0], ids[1])
}

async fn province(store: &Store) -> i64 {
    store
        .create_unit(
            &actor(),
            &new_unit("UBND-DN", "UBND tỉnh Đắk Nông", UnitKind::ProvincialCommittee, None),
        )
        .await
        .unwrap()
}

async fn account(store: &Store, username: &str, role: Role, unit_id: Option<i64>) -> i64 {
    store
        .create_account(
            &actor(),
            &NewAccount {
                username: Username::parse(username).unwrap(),
                display_name: format!("Người dùng {username}"),
                role,
                unit_id,
                password_hash: Password::unchecked_for_demo("demo").hash(),
                must_change_password: false,
                email: None,
            },
        )
        .await
        .unwrap()
}

async fn migrations_apply_once_and_record_their_checksums(store: Store) {
    // fresh_store already migrated; a second run applies nothing.
    assert!(store.migrate().await.unwrap().is_empty());
    assert!(store.ping().await);
}

async fn statistics_can_be_refreshed(store: Store) {
    store.optimize().await.unwrap();
    assert!(store.ping().await);
}

async fn meta_values_are_upserted(store: Store) {
    assert_eq!(store.meta("demo").await.unwrap(), None);
    store.set_meta("demo", "2022-12-15").await.unwrap();
    store.set_meta("demo", "2022-12-16").await.unwrap();
    assert_eq!(store.meta("demo").await.unwrap().as_deref(), Some("2022-12-16"));
}

async fn units_round_trip_with_dates_and_optional_fields(store: Store) {
    let group = store
        .create_group(&actor(), "SBN", "Khối sở, ban, ngành", 1)
        .await
        .unwrap();
    let province = province(&store).await;
    let mut snv = new_unit("SNV", "Sở Nội vụ", UnitKind::Department, Some(province));
    snv.group_id = Some(group);
    snv.valid_to = Some(date!(2030 - 12 - 31));
    let id = store.create_unit(&actor(), &snv).await.unwrap();
    let stored = store.unit(id).await.unwrap().unwrap();
    assert_eq!(stored.name, "Sở Nội vụ");
    assert_eq!(stored.parent_id, Some(province));
    assert_eq!(stored.group_id, Some(group));
    assert_eq!(stored.valid_from, date!(2004 - 01 - 01));
    assert_eq!(stored.valid_to, Some(date!(2030 - 12 - 31)));
    assert_eq!(store.unit_by_code("SNV").await.unwrap().unwrap().id, id);
    assert_eq!(store.unit(id + 1000).await.unwrap(), None);
    let top = store.unit(province).await.unwrap().unwrap();
    assert_eq!((top.parent_id, top.group_id, top.valid_to), (None, None, None));
    assert_eq!(store.list_units().await.unwrap().len(), 2);
    let names = store.unit_names().await.unwrap();
    assert_eq!(names.len(), store.list_units().await.unwrap().len());
    assert!(store.list_units().await.unwrap().iter().all(|u| names[&u.id] == u.name));
}

async fn a_scope_commits_its_changes_as_one(store: Store) {
    let scoped = store.begin_scope().await.unwrap();
    assert!(scoped.is_scoped() && !store.is_scoped());
    let a = scoped
        .create_unit(&actor(), &new_unit("SA", "Sở A", UnitKind::Department, None))
        .await
        .unwrap();
    scoped
        .create_unit(&actor(), &new_unit("SB", "Sở B", UnitKind::Department, None))
        .await
        .unwrap();
    // Inside, the scope reads its own changes; outside, nothing is there until it commits.
    assert_eq!(scoped.unit(a).await.unwrap().unwrap().code, "SA");
    assert!(store.unit_by_code("SA").await.unwrap().is_none());
    scoped.commit_scope().await.unwrap();
    let codes: Vec<String> = store.list_units().await.unwrap().into_iter().map(|u| u.code).collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
    assert_eq!(
        store
            .audit_entries(&AuditFilter {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn a_scope_dropped_without_commit_keeps_nothing(store: Store) {
    {
        let scoped = store.begin_scope().await.unwrap();
        scoped
            .create_unit(&actor(), &new_unit("SA", "Sở A", UnitKind::Department, None))
            .await
            .unwrap();
    }
    assert!(store.list_units().await.unwrap().is_empty());
    assert!(
        store
            .audit_entries(&AuditFilter {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .is_empty()
    );
    // The store works on after the abandoned scope.
    store
        .create_unit(&actor(), &new_unit("SA", "Sở A", UnitKind::Department, None))
        .await
        .unwrap();
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

async fn a_failed_change_inside_a_scope_is_undone_alone(store: Store) {
    let scoped = store.begin_scope().await.unwrap();
    scoped
        .create_unit(&actor(), &new_unit("SA", "Sở A", UnitKind::Department, None))
        .await
        .unwrap();
    // The duplicate fails inside its own savepoint, after its insert was tried.
    let again = scoped
        .create_unit(&actor(), &new_unit("SA", "Trùng mã", UnitKind::Other, None))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict("code"))), "{again:?}");
    scoped
        .create_unit(&actor(), &new_unit("SB", "Sở B", UnitKind::Department, None))
        .await
        .unwrap();
    scoped.commit_scope().await.unwrap();
    let mut codes: Vec<String> = store.list_units().await.unwrap().into_iter().map(|u| u.code).collect();
    codes.sort();
    assert_eq!(codes, ["SA", "SB"]);
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
    assert_eq!(
        store
            .audit_entries(&AuditFilter {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn a_step_rolled_back_to_its_savepoint_leaves_the_rest_of_the_scope(store: Store) {
    assert_eq!(store.savepoint().await.unwrap(), None, "no savepoint outside a scope");
    let scoped = store.begin_scope().await.unwrap();
    scoped
        .create_unit(&actor(), &new_unit("SA", "Sở A", UnitKind::Department, None))
        .await
        .unwrap();
    let step = scoped.savepoint().await.unwrap().expect("a savepoint in a scope");
    scoped
        .create_unit(&actor(), &new_unit("SB", "Sở B", UnitKind::Department, None))
        .await
        .unwrap();
    scoped.rollback_to(&step).await.unwrap();
    let kept = scoped.savepoint().await.unwrap().unwrap();
    scoped
        .create_unit(&actor(), &new_unit("SC", "Sở C", UnitKind::Department, None))
        .await
        .unwrap();
    scoped.release(&kept).await.unwrap();
    scoped.commit_scope().await.unwrap();
    let mut codes: Vec<String> = store.list_units().await.unwrap().into_iter().map(|u| u.code).collect();
    codes.sort();
    assert_eq!(codes, ["SA", "SC"]);
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { records: 2 }
    ));
}

async fn unit_codes_are_unique(store: Store) {
    province(&store).await;
    let again = store
        .create_unit(&actor(), &new_unit("UBND-DN", "Trùng mã", UnitKind::Other, None))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict("code"))), "{again:?}");
}

async fn a_child_needs_a_parent_alive_on_its_start_date(store: Store) {
    let province = province(&store).await;
    let mut early = new_unit("SYT", "Sở Y tế", UnitKind::Department, Some(province));
    early.valid_from = date!(2000 - 01 - 01);
    let result = store.create_unit(&actor(), &early).await;
    assert!(
        matches!(result, Err(StoreError::Unit(UnitError::ParentNotActive))),
        "{result:?}"
    );
    let missing = store
        .create_unit(
            &actor(),
            &new_unit("SXD", "Sở Xây dựng", UnitKind::Department, Some(9999)),
        )
        .await;
    assert!(
        matches!(missing, Err(StoreError::Unit(UnitError::ParentNotActive))),
        "{missing:?}"
    );
}

async fn updating_a_unit_records_before_and_after(store: Store) {
    let province = province(&store).await;
    let id = store
        .create_unit(
            &actor(),
            &new_unit("STTTT", "Sở Thông tin", UnitKind::Department, Some(province)),
        )
        .await
        .unwrap();
    let renamed = new_unit(
        "STTTT",
        "Sở Thông tin và Truyền thông",
        UnitKind::Department,
        Some(province),
    );
    store.update_unit(&actor(), id, &renamed).await.unwrap();
    assert_eq!(
        store.unit(id).await.unwrap().unwrap().name,
        "Sở Thông tin và Truyền thông"
    );
    let entries = store
        .audit_entries(&AuditFilter {
            object_type: Some("unit".into()),
            object_id: Some(id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].action, "update");
    assert!(entries[0].before.as_deref().unwrap().contains("\"Sở Thông tin\""));
    assert!(
        entries[0]
            .after
            .as_deref()
            .unwrap()
            .contains("Sở Thông tin và Truyền thông")
    );
    let self_parent = new_unit("STTTT", "Sở Thông tin và Truyền thông", UnitKind::Department, Some(id));
    let result = store.update_unit(&actor(), id, &self_parent).await;
    assert!(
        matches!(result, Err(StoreError::Unit(UnitError::SelfReference))),
        "{result:?}"
    );
    let result = store.update_unit(&actor(), 9999, &renamed).await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
}

async fn closing_a_unit_links_successors_in_one_transaction(store: Store) {
    let province = province(&store).await;
    let ldtbxh = store
        .create_unit(
            &actor(),
            &new_unit(
                "SLDTBXH",
                "Sở Lao động - Thương binh và Xã hội",
                UnitKind::Department,
                Some(province),
            ),
        )
        .await
        .unwrap();
    let snv = store
        .create_unit(
            &actor(),
            &new_unit("SNV", "Sở Nội vụ", UnitKind::Department, Some(province)),
        )
        .await
        .unwrap();
    let syt = store
        .create_unit(
            &actor(),
            &new_unit("SYT", "Sở Y tế", UnitKind::Department, Some(province)),
        )
        .await
        .unwrap();
    store
        .close_unit(
            &actor(),
            ldtbxh,
            date!(2025 - 02 - 28),
            SuccessionKind::Split,
            &[snv, syt],
        )
        .await
        .unwrap();
    let closed = store.unit(ldtbxh).await.unwrap().unwrap();
    assert_eq!(closed.valid_to, Some(date!(2025 - 02 - 28)));
    let links = store.successions_of(ldtbxh).await.unwrap();
    assert_eq!(links.len(), 2);
    assert!(
        links
            .iter()
            .all(|l| l.predecessor_id == ldtbxh && l.effective_on == date!(2025 - 03 - 01))
    );
    assert_eq!(store.successions_of(snv).await.unwrap()[0].predecessor_id, ldtbxh);
    let again = store
        .close_unit(&actor(), ldtbxh, date!(2025 - 03 - 28), SuccessionKind::Merger, &[snv])
        .await;
    assert!(
        matches!(again, Err(StoreError::Unit(UnitError::AlreadyClosed))),
        "{again:?}"
    );
}

async fn a_failed_closing_changes_nothing(store: Store) {
    let province = province(&store).await;
    let a = store
        .create_unit(&actor(), &new_unit("SA", "Sở A", UnitKind::Department, Some(province)))
        .await
        .unwrap();
    let b = store
        .create_unit(&actor(), &new_unit("SB", "Sở B", UnitKind::Department, Some(province)))
        .await
        .unwrap();
    // The second successor does not exist: the whole closing is refused.
    let result = store
        .close_unit(&actor(), a, date!(2025 - 02 - 28), SuccessionKind::Split, &[b, 9999])
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(store.unit(a).await.unwrap().unwrap().valid_to, None);
    assert!(store.successions_of(a).await.unwrap().is_empty());
}

async fn groups_are_listed_in_their_order(store: Store) {
    store
        .create_group(&actor(), "HUYEN", "Khối UBND cấp huyện", 3)
        .await
        .unwrap();
    store
        .create_group(&actor(), "SBN", "Khối sở, ban, ngành", 1)
        .await
        .unwrap();
    let codes: Vec<_> = store.list_groups().await.unwrap().into_iter().map(|g| g.code).collect();
    assert_eq!(codes, ["SBN", "HUYEN"]);
    let again = store.create_group(&actor(), "SBN", "Trùng", 2).await;
    assert!(matches!(again, Err(StoreError::Conflict("code"))));
}

async fn accounts_round_trip_and_usernames_are_unique(store: Store) {
    let province = province(&store).await;
    let id = account(&store, "snv", Role::Officer, Some(province)).await;
    let stored = store.account_by_username("snv").await.unwrap().unwrap();
    assert_eq!(
        (stored.id, stored.role, stored.unit_id),
        (id, Role::Officer, Some(province))
    );
    assert!(!stored.disabled && !stored.must_change_password);
    assert!(danvan_domain::account::verify_password("demo", &stored.password_hash));
    let again = store
        .create_account(
            &actor(),
            &NewAccount {
                username: Username::parse("SNV").unwrap(),
                display_name: "Trùng".into(),
                role: Role::Leader,
                unit_id: None,
                password_hash: "x".into(),
                must_change_password: true,
                email: None,
            },
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict("username"))), "{again:?}");
    assert_eq!(store.list_accounts().await.unwrap().len(), 1);
}

async fn five_failures_lock_an_account_and_success_clears_the_count(store: Store) {
    let id = account(&store, "lanhdao", Role::Leader, None).await;
    let now = 1_700_000_000;
    for attempt in 1..=5 {
        let locked = store.record_login_failure("lanhdao", "10.0.0.1", now).await.unwrap();
        assert_eq!(locked, attempt == 5, "attempt {attempt}");
    }
    let account = store.account_by_username("lanhdao").await.unwrap().unwrap();
    assert!(account.is_locked(now + 60));
    assert!(!account.is_locked(now + 15 * 60 + 1));
    store.unlock_account(&actor(), id).await.unwrap();
    let account = store.account_by_username("lanhdao").await.unwrap().unwrap();
    assert!(!account.is_locked(now) && account.failed_logins == 0);
    store.record_login_failure("lanhdao", "10.0.0.1", now).await.unwrap();
    store.record_login_success(id, now).await.unwrap();
    let account = store.account_by_username("lanhdao").await.unwrap().unwrap();
    assert_eq!((account.failed_logins, account.last_login_at), (0, Some(now)));
    // Failures for a name that does not exist are counted for the address only.
    assert!(!store.record_login_failure("khongco", "10.0.0.1", now).await.unwrap());
}

async fn failures_are_counted_per_address(store: Store) {
    for _ in 0..3 {
        store.record_login_failure("x", "10.0.0.1", 100).await.unwrap();
    }
    store.record_login_failure("x", "10.0.0.2", 100).await.unwrap();
    store.record_login_failure("x", "10.0.0.1", 10).await.unwrap();
    assert_eq!(store.login_failures_from("10.0.0.1", 50).await.unwrap(), 3);
    assert_eq!(store.login_failures_from("10.0.0.2", 50).await.unwrap(), 1);
}

async fn records_past_their_retention_period_are_deleted_or_anonymised_with_an_audit_record(store: Store) {
    use danvan_domain::retention::{Kind, Retention};
    use danvan_domain::training::{Attendee, Category};
    use danvan_store::retention::ANONYMISED;
    use danvan_store::training::NewCourse;

    const DAY: i64 = 86_400;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let policy = Retention::default();
    let (snv, _) = two_departments(&store).await;
    // Failed sign-ins: one past 90 days, one recent.
    store
        .record_login_failure("x", "10.0.0.1", now - 91 * DAY)
        .await
        .unwrap();
    store.record_login_failure("x", "10.0.0.1", now - DAY).await.unwrap();
    // Training: a course of 2019 and one of 2024; in 2026, five whole years after 2019 have passed.
    let course = |year: i32| NewCourse {
        unit_id: snv,
        title: format!("Lớp dân vận {year}"),
        topic: "Kỹ năng dân vận".into(),
        starts_on: time::Date::from_calendar_date(year, time::Month::May, 10).unwrap(),
        ends_on: time::Date::from_calendar_date(year, time::Month::May, 12).unwrap(),
        place: "Gia Nghĩa".into(),
        organiser: "Sở Nội vụ".into(),
        trainers: "Ban Dân vận Tỉnh ủy".into(),
    };
    let people = |names: &[&str]| -> Vec<Attendee> {
        names
            .iter()
            .map(|name| Attendee {
                name: (*name).into(),
                position: "Chuyên viên".into(),
                unit_id: snv,
                category: Category::CongChuc,
            })
            .collect()
    };
    let old = store.add_course(&actor(), &course(2019)).await.unwrap();
    store
        .add_attendance(
            &actor(),
            old,
            &people(&["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]),
            "nhập tay",
        )
        .await
        .unwrap();
    let recent = store.add_course(&actor(), &course(2024)).await.unwrap();
    store
        .add_attendance(&actor(), recent, &people(&["Phạm Thị Dung"]), "nhập tay")
        .await
        .unwrap();
    let trained_2019 = store.trained_by_category(snv, 2019).await.unwrap();
    // Accounts: one disabled (long unused, as `now` two years and more ahead sees it), one open.
    let gone = account(&store, "nguyenvana", Role::Officer, Some(snv)).await;
    let open = account(&store, "tranthib", Role::Officer, Some(snv)).await;
    store.set_account_disabled(&actor(), gone, true).await.unwrap();
    let later = now + 731 * DAY;

    let due = store.retention_due(&policy, later, 2026).await.unwrap();
    assert_eq!(
        due,
        vec![
            (Kind::LoginFailures, 2),
            (Kind::TrainingAttendance, 3),
            (Kind::DisabledAccounts, 1)
        ]
    );
    assert_eq!(
        store.retention_due(&policy, now, 2026).await.unwrap()[0],
        (Kind::LoginFailures, 1),
        "only the failure past 90 days is due today"
    );
    let audit_before = store.verify_audit_chain().await.unwrap();
    let done = store.apply_retention(&actor(), &policy, now, 2026).await.unwrap();
    assert_eq!(
        done,
        vec![
            (Kind::LoginFailures, 1),
            (Kind::TrainingAttendance, 3),
            (Kind::DisabledAccounts, 0)
        ]
    );
    assert_eq!(
        store.login_failures_from("10.0.0.1", 0).await.unwrap(),
        1,
        "the recent failure stays"
    );
    let anonymised = store.attendance_of(old).await.unwrap();
    assert_eq!(anonymised.len(), 3);
    assert!(anonymised.iter().all(|a| a.name == ANONYMISED && a.position.is_empty()));
    assert_eq!(
        store.trained_by_category(snv, 2019).await.unwrap(),
        trained_2019,
        "counts of people trained stay"
    );
    assert_eq!(store.attendance_of(recent).await.unwrap()[0].name, "Phạm Thị Dung");
    assert!(store.attendance_named("Nguyễn Văn An").await.unwrap().is_empty());

    // Two years on: the other failure and the disabled account are past their periods too.
    let done = store.apply_retention(&actor(), &policy, later, 2026).await.unwrap();
    assert_eq!(
        done,
        vec![
            (Kind::LoginFailures, 1),
            (Kind::TrainingAttendance, 0),
            (Kind::DisabledAccounts, 1)
        ]
    );
    let accounts = store.list_accounts().await.unwrap();
    let gone = accounts.iter().find(|a| a.id == gone).unwrap();
    assert_eq!(gone.display_name, ANONYMISED);
    assert_eq!(gone.username, format!("~{}", gone.id));
    assert!(gone.email.is_none() && gone.disabled);
    assert_eq!(accounts.iter().find(|a| a.id == open).unwrap().username, "tranthib");

    // Nothing is left due; every step has its audit record and the chain still verifies.
    assert!(
        store
            .retention_due(&policy, later, 2026)
            .await
            .unwrap()
            .iter()
            .all(|(_, n)| *n == 0)
    );
    let records = store
        .audit_entries(&AuditFilter {
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = records
        .iter()
        .filter(|r| r.action.starts_with("retention_"))
        .map(|r| r.action.as_str())
        .collect();
    assert_eq!(
        actions.len(),
        4,
        "a record for each run that changed something: {actions:?}"
    );
    assert!(matches!(audit_before, ChainCheck::Intact { .. }));
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

fn session(token: &str, account_id: i64, at: i64) -> SessionRecord {
    SessionRecord {
        token_hash: token.into(),
        account_id,
        csrf_token: format!("csrf-{token}"),
        ip: Some("127.0.0.1".into()),
        created_at: at,
        last_seen_at: at,
    }
}

async fn setting_a_password_ends_every_session(store: Store) {
    let id = account(&store, "admin", Role::Admin, None).await;
    store.create_session(&session("a", id, 100)).await.unwrap();
    store.create_session(&session("b", id, 100)).await.unwrap();
    store
        .set_password(&actor(), id, &Password::unchecked_for_demo("another").hash(), true)
        .await
        .unwrap();
    assert!(store.sessions_of(id).await.unwrap().is_empty());
    assert!(
        store
            .account_by_username("admin")
            .await
            .unwrap()
            .unwrap()
            .must_change_password
    );
    assert!(matches!(
        store.set_password(&actor(), 9999, "x", false).await,
        Err(StoreError::NotFound)
    ));
}

async fn disabling_an_account_ends_its_sessions(store: Store) {
    let id = account(&store, "sonoivu", Role::Monitor, None).await;
    store.create_session(&session("a", id, 100)).await.unwrap();
    store.set_account_disabled(&actor(), id, true).await.unwrap();
    assert!(store.session("a").await.unwrap().is_none());
    assert!(store.account_by_username("sonoivu").await.unwrap().unwrap().disabled);
    store.set_account_disabled(&actor(), id, false).await.unwrap();
    assert!(!store.account_by_username("sonoivu").await.unwrap().unwrap().disabled);
}

async fn changing_an_accounts_role_ends_its_sessions_and_is_audited(store: Store) {
    let province = province(&store).await;
    let id = account(&store, "canbo", Role::Officer, Some(province)).await;
    store.create_session(&session("a", id, 100)).await.unwrap();
    store.create_session(&session("b", id, 100)).await.unwrap();
    store.set_account_role(&actor(), id, Role::Monitor, None).await.unwrap();
    assert!(store.session("a").await.unwrap().is_none() && store.session("b").await.unwrap().is_none());
    let changed = store.account_by_username("canbo").await.unwrap().unwrap();
    assert_eq!((changed.role, changed.unit_id), (Role::Monitor, None));
    let entries = store
        .audit_entries(&AuditFilter {
            action: Some("set_role".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].before.as_deref().unwrap_or("").contains("officer"),
        "{:?}",
        entries[0]
    );
    assert!(matches!(
        store.set_account_role(&actor(), 9_999, Role::Admin, None).await,
        Err(StoreError::NotFound)
    ));
    store.create_session(&session("c", id, 100)).await.unwrap();
    assert_eq!(store.end_account_sessions(&actor(), id).await.unwrap(), 1);
    assert!(store.session("c").await.unwrap().is_none());
}

async fn sessions_round_trip_touch_and_expire(store: Store) {
    let id = account(&store, "admin", Role::Admin, None).await;
    store.create_session(&session("old", id, 100)).await.unwrap();
    store.create_session(&session("new", id, 1000)).await.unwrap();
    let (found, account) = store.session("new").await.unwrap().unwrap();
    assert_eq!(
        (found.csrf_token.as_str(), account.username.as_str()),
        ("csrf-new", "admin")
    );
    store.touch_session("new", 2000).await.unwrap();
    assert_eq!(store.session_authenticated_at("new").await.unwrap(), Some(1000));
    store.confirm_session("new", 1500).await.unwrap();
    store.confirm_session("new", 1600).await.unwrap();
    assert_eq!(store.session_authenticated_at("new").await.unwrap(), Some(1600));
    assert_eq!(store.session_authenticated_at("none").await.unwrap(), None);
    assert_eq!(store.session("new").await.unwrap().unwrap().0.last_seen_at, 2000);
    assert_eq!(store.delete_expired_sessions(500, 0).await.unwrap(), 1);
    assert!(store.session("old").await.unwrap().is_none());
    store.delete_session("new").await.unwrap();
    assert!(store.session("new").await.unwrap().is_none());
}

async fn every_change_leaves_a_chained_audit_record(store: Store) {
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { records: 0 }
    );
    let province = province(&store).await;
    let id = account(&store, "snv", Role::Officer, Some(province)).await;
    store.set_account_disabled(&actor(), id, true).await.unwrap();
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { records: 3 }
    );
    let actions: Vec<_> = store
        .audit_entries(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["disable", "create", "create"]);
    // Passwords and hashes never reach the audit log.
    let all = store.audit_entries(&AuditFilter::default()).await.unwrap();
    assert!(all.iter().all(|e| !e.after.as_deref().unwrap_or("").contains("argon2")));
}

async fn audit_log_refuses_updates_and_deletes(store: Store) {
    province(&store).await;
    let update = sqlx_execute(&store, "update audit_log set actor = 'someone else'").await;
    assert!(update.is_err(), "update of audit_log was allowed");
    let delete = sqlx_execute(&store, "delete from audit_log").await;
    assert!(delete.is_err(), "delete from audit_log was allowed");
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { records: 1 }
    );
}

async fn sqlx_execute(store: &Store, sql: &str) -> Result<(), StoreError> {
    store.execute_raw_for_tests(sql).await
}

async fn audit_filters_select_by_actor_object_and_time(store: Store) {
    let province = province(&store).await;
    let other = Actor::account(7, "sonoivu", Some("10.1.1.1".into()));
    store
        .create_unit(
            &other,
            &new_unit("SNV", "Sở Nội vụ", UnitKind::Department, Some(province)),
        )
        .await
        .unwrap();
    let by_actor = store
        .audit_entries(&AuditFilter {
            actor: Some("sonoivu".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_actor.len(), 1);
    assert_eq!(by_actor[0].ip.as_deref(), Some("10.1.1.1"));
    let by_object = store
        .audit_entries(&AuditFilter {
            object_type: Some("unit".into()),
            object_id: Some(province.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_object.len(), 1);
    let future = store
        .audit_entries(&AuditFilter {
            from: Some(i64::MAX / 2),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(future.is_empty());
    let limited = store
        .audit_entries(&AuditFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    let _ = Backend::Sqlite;
    let _ = fresh_store;
}

fn dispatch(number: &str, symbol: &str, date: time::Date, subject: &str, citations: Vec<NewCitation>) -> NewDocument {
    NewDocument {
        doc_type: Some("Công văn".into()),
        number: Some(number.into()),
        symbol: Some(symbol.into()),
        issuer: Some("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG".into()),
        issued_on: Some(date),
        subject: Some(subject.into()),
        recipients: vec![
            "Các Sở, Ban, ngành".into(),
            "UBND các huyện, thành phố Gia Nghĩa".into(),
        ],
        tasks: vec!["Tiếp tục thực hiện.".into()],
        distribution: vec!["Như trên".into()],
        body_text: format!("{subject}. Tập trung nhân rộng các mô hình “Dân vận khéo” trên địa bàn tỉnh Đắk Nông."),
        citations,
        ..NewDocument::default()
    }
}

fn cite(doc_type: &str, number: &str, symbol: &str, date: Option<time::Date>) -> NewCitation {
    NewCitation {
        doc_type: Some(doc_type.into()),
        number: number.into(),
        symbol: symbol.into(),
        cited_on: date,
        issuer_text: Some("Tỉnh ủy".into()),
        carried_out_by: None,
    }
}

async fn files_are_stored_once_by_digest_and_checked_when_read(store: Store) {
    let sha = store
        .put_file("Số: 2071/UBND-NC".as_bytes(), "text/plain")
        .await
        .unwrap();
    assert_eq!(sha.len(), 64);
    assert_eq!(
        store
            .put_file("Số: 2071/UBND-NC".as_bytes(), "text/plain")
            .await
            .unwrap(),
        sha
    );
    let file = store.file(&sha).await.unwrap().unwrap();
    assert_eq!(file.content, "Số: 2071/UBND-NC".as_bytes());
    assert!(store.file(&"0".repeat(64)).await.unwrap().is_none());
    // A file altered behind the store's back is refused, not served.
    store
        .execute_raw_for_tests(&format!(
            "update stored_file set sha256 = '{}' where sha256 = '{sha}'",
            "f".repeat(64)
        ))
        .await
        .unwrap();
    assert!(matches!(store.file(&"f".repeat(64)).await, Err(StoreError::Corrupt(_))));
}

async fn a_saved_document_round_trips_with_its_lists(store: Store) {
    let sha = store.put_file(b"original", "text/plain").await.unwrap();
    let mut doc = dispatch(
        "2071",
        "UBND-NC",
        date!(2022 - 04 - 25),
        "nâng cao hiệu quả công tác dân vận",
        vec![],
    );
    doc.file = Some((sha.clone(), "2071.txt".into()));
    doc.warnings = vec!["signer not found".into()];
    let id = store.save_document(&actor(), &doc).await.unwrap();
    assert!(matches!(id, SaveOutcome::Created(_)));
    let record = store.document(id.id()).await.unwrap().unwrap();
    assert_eq!(
        record.summary.subject.as_deref(),
        Some("nâng cao hiệu quả công tác dân vận")
    );
    assert_eq!(record.summary.issued_on, Some(date!(2022 - 04 - 25)));
    assert!(record.summary.has_full_text);
    assert_eq!(record.recipients, doc.recipients);
    assert_eq!(record.tasks, doc.tasks);
    assert_eq!(record.warnings, doc.warnings);
    assert_eq!(record.file_sha256.as_deref(), Some(sha.as_str()));
    let audit = store
        .audit_entries(&AuditFilter {
            object_type: Some("document".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit[0].action, "create");
}

async fn citations_make_citation_only_entries_that_the_full_text_upgrades(store: Store) {
    let doc = dispatch(
        "2071",
        "UBND-NC",
        date!(2022 - 04 - 25),
        "dân vận",
        vec![
            cite("Chỉ thị", "14", "CT-TU", Some(date!(2022 - 03 - 16))),
            NewCitation {
                carried_out_by: Some(0),
                ..cite("Nghị quyết", "25", "NQ/TW", None)
            },
        ],
    );
    let id = store.save_document(&actor(), &doc).await.unwrap().id();
    let placeholder = store
        .document_by_number("14", "CT-TU", Some(2022))
        .await
        .unwrap()
        .unwrap();
    assert!(!placeholder.has_full_text);
    assert_eq!(placeholder.doc_type.as_deref(), Some("Chỉ thị"));
    // The directive itself arrives: the same row receives its text.
    let mut directive = dispatch(
        "14",
        "CT-TU",
        date!(2022 - 03 - 16),
        "nâng cao hiệu quả công tác dân vận",
        vec![],
    );
    directive.doc_type = Some("Chỉ thị".into());
    let outcome = store.save_document(&actor(), &directive).await.unwrap();
    assert_eq!(outcome, SaveOutcome::Upgraded(placeholder.id));
    let citations = store.citations_of(id).await.unwrap();
    assert_eq!(citations.len(), 2);
    assert!(citations[0].target.as_ref().unwrap().has_full_text);
    assert!(!citations[1].target.as_ref().unwrap().has_full_text);
    assert_eq!(
        (citations[0].carried_out_by, citations[1].carried_out_by),
        (None, Some(0))
    );
}

async fn a_full_document_cannot_be_saved_twice(store: Store) {
    let doc = dispatch("2071", "UBND-NC", date!(2022 - 04 - 25), "dân vận", vec![]);
    store.save_document(&actor(), &doc).await.unwrap();
    let again = store.save_document(&actor(), &doc).await;
    assert!(matches!(again, Err(StoreError::Conflict("document"))), "{again:?}");
    // A document without a number is known by its file.
    let sha = store.put_file(b"thu ngo", "text/plain").await.unwrap();
    let letter = NewDocument {
        subject: Some("Thư ngỏ".into()),
        file: Some((sha.clone(), "thu.txt".into())),
        ..NewDocument::default()
    };
    let id = store.save_document(&actor(), &letter).await.unwrap().id();
    assert_eq!(store.document_by_file(&sha).await.unwrap(), Some(id));
    assert!(matches!(
        store.save_document(&actor(), &letter).await,
        Err(StoreError::Conflict("document"))
    ));
    // The same number in another year is another document.
    let next_year = dispatch("2071", "UBND-NC", date!(2023 - 04 - 25), "dân vận", vec![]);
    assert!(store.save_document(&actor(), &next_year).await.is_ok());
}

async fn citations_resolve_both_ways(store: Store) {
    let plan = dispatch("411", "KH/UBND", date!(2015 - 09 - 21), "kế hoạch", vec![]);
    let plan_id = store.save_document(&actor(), &plan).await.unwrap().id();
    let seed = dispatch(
        "2071",
        "UBND-NC",
        date!(2022 - 04 - 25),
        "dân vận",
        vec![cite("Kế hoạch", "411", "KH-UBND", Some(date!(2015 - 09 - 21)))],
    );
    let seed_id = store.save_document(&actor(), &seed).await.unwrap().id();
    assert_eq!(
        store.citations_of(seed_id).await.unwrap()[0]
            .target
            .as_ref()
            .map(|t| t.id),
        Some(plan_id)
    );
    let citing = store.cited_by(plan_id).await.unwrap();
    assert_eq!(citing.iter().map(|d| d.id).collect::<Vec<_>>(), [seed_id]);
}

async fn search_ignores_diacritics_and_d_bar_and_ranks(store: Store) {
    store
        .save_document(
            &actor(),
            &dispatch(
                "2071",
                "UBND-NC",
                date!(2022 - 04 - 25),
                "nâng cao hiệu quả công tác dân vận",
                vec![],
            ),
        )
        .await
        .unwrap();
    let mut other = dispatch("99", "BYT-KCB", date!(2022 - 05 - 01), "phòng chống dịch", vec![]);
    other.doc_type = Some("Quyết định".into());
    other.issuer = Some("BỘ Y TẾ".into());
    other.body_text = "Phòng chống dịch bệnh tại Gia Nghĩa.".into();
    store.save_document(&actor(), &other).await.unwrap();
    for query in ["dan van kheo", "DÂN VẬN", "dak nong", "Đắk Nông", "2071"] {
        let hits = store.search_documents(query, 10).await.unwrap();
        assert_eq!(hits.len(), 1, "{query}");
        assert_eq!(hits[0].0.number.as_deref(), Some("2071"), "{query}");
    }
    assert_eq!(
        store.search_documents("gia nghia", 10).await.unwrap()[0]
            .0
            .number
            .as_deref(),
        Some("99")
    );
    assert!(store.search_documents("không có từ này", 10).await.unwrap().is_empty());
    // More of the words ranks higher.
    let mut dense = dispatch("100", "UBND-VX", date!(2022 - 06 - 01), "phòng chống dịch bệnh", vec![]);
    dense.issuer = Some("BỘ Y TẾ".into());
    dense.body_text = "Phòng chống dịch. Dịch bệnh, dịch tễ, dịch vụ phòng dịch.".into();
    store.save_document(&actor(), &dense).await.unwrap();
    let ranked = store.search_documents("dịch", 10).await.unwrap();
    assert_eq!(
        ranked
            .iter()
            .map(|(d, _)| d.number.clone().unwrap())
            .collect::<Vec<_>>(),
        ["100", "99"]
    );
    assert!(store.search_documents("  ;; ", 10).await.unwrap().is_empty());
    // Fewer matches than the search window: the first results are those of a ranking over
    // every match, ties by id.
    let words = ["dân vận", "chính quyền", "dịch bệnh", "cải cách", "tiếp công dân"];
    for i in 0..40usize {
        let mut doc = dispatch(
            &format!("{}", 200 + i),
            "UBND-NC",
            date!(2023 - 01 - 02),
            "văn bản",
            vec![],
        );
        doc.body_text = (0..=i % 7)
            .map(|k| words[(i + k) % words.len()])
            .collect::<Vec<_>>()
            .join(", ");
        store.save_document(&actor(), &doc).await.unwrap();
    }
    for query in ["dân vận", "dich benh", "chinh quyen cai cach", "tiếp công dân"] {
        let (matches, fully_ranked) = store.search_fully_ranked(query, 8).await.unwrap();
        assert!(matches > 8, "{query}: {matches}");
        let ids: Vec<i64> = store
            .search_documents(query, 8)
            .await
            .unwrap()
            .iter()
            .map(|(d, _)| d.id)
            .collect();
        assert_eq!(ids, fully_ranked, "{query}");
    }
}

async fn search_reads_the_start_of_each_text_and_says_whether_it_is_whole(store: Store) {
    use danvan_store::document::TEXT_START_CHARS;
    // A long text in Vietnamese (multi-byte characters) whose last word is the only match, and
    // a short one.
    let mut long = dispatch("501", "UBND-VP", date!(2023 - 01 - 05), "báo cáo dài", vec![]);
    long.body_text = format!("{} tiếp công dân", "ủy ban ".repeat(TEXT_START_CHARS / 5));
    store.save_document(&actor(), &long).await.unwrap();
    let mut short = dispatch("502", "UBND-VP", date!(2023 - 01 - 06), "báo cáo ngắn", vec![]);
    short.body_text = "Lịch tiếp công dân tháng 1.".into();
    store.save_document(&actor(), &short).await.unwrap();
    let hits = store.search_documents("tiep cong dan", 10).await.unwrap();
    assert_eq!(hits.len(), 2);
    for (summary, start) in hits {
        let whole = store.document(summary.id).await.unwrap().unwrap().body_text;
        if summary.number.as_deref() == Some("501") {
            assert!(!start.whole);
            assert_eq!(start.text.chars().count(), TEXT_START_CHARS);
            assert!(whole.starts_with(&start.text));
        } else {
            assert!(start.whole);
            assert_eq!(start.text, whole);
        }
    }
}

async fn the_data_generation_moves_with_every_change_of_data_and_with_no_access(store: Store) {
    use danvan_domain::audit::Action;
    let at_start = store.data_generation().await.unwrap().expect("a store outside a scope");
    // Sign-ins, reads and exports leave their records but change no data.
    for action in [
        Action::Login,
        Action::LoginFailed,
        Action::ReadPersonalData,
        Action::ExportBoard,
    ] {
        store.record_security_event(&actor(), action, 1).await.unwrap();
    }
    assert_eq!(store.data_generation().await.unwrap().unwrap(), at_start);
    // A document saved is a change; so is an agency created (which also moves the agencies').
    let doc = dispatch("601", "UBND-VP", date!(2023 - 02 - 01), "thông báo", vec![]);
    store.save_document(&actor(), &doc).await.unwrap();
    let after_document = store.data_generation().await.unwrap().unwrap();
    assert_eq!(after_document.records, at_start.records + 1);
    assert_ne!(after_document.head, at_start.head);
    assert_eq!(after_document.agencies, at_start.agencies);
    province(&store).await;
    let after_unit = store.data_generation().await.unwrap().unwrap();
    assert_eq!(after_unit.records, after_document.records + 1);
    assert_ne!(after_unit.agencies, after_document.agencies);
    // Inside a caller's transaction nothing is kept.
    let scoped = store.begin_scope().await.unwrap();
    assert!(scoped.data_generation().await.unwrap().is_none());
}

/// PostgreSQL's full-text indexes keep no pending list that every search would read whole, and
/// its search vectors stay in their rows (migration 0030); SQLite's FTS5 tables have neither.
async fn full_text_indexes_take_new_rows_at_once(store: Store) {
    use danvan_store::test_support::RawSql;
    if store.backend() == Backend::Postgres {
        store
            .execute_raw_for_tests(
                "do $$ begin
                   if (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                       where n.nspname = current_schema()
                         and c.relname in ('document_search_idx', 'initiative_search_idx')
                         and coalesce(c.reloptions @> array['fastupdate=off'], false)) <> 2 then
                     raise exception 'a full-text index keeps a pending list';
                   end if;
                   if (select count(*) from pg_attribute a join pg_class c on c.oid = a.attrelid
                       join pg_namespace n on n.oid = c.relnamespace
                       where n.nspname = current_schema() and c.relname in ('document', 'initiative')
                         and a.attname = 'search_vector' and a.attstorage = 'm') <> 2 then
                     raise exception 'a search vector is kept out of its row';
                   end if;
                 end $$",
            )
            .await
            .expect("both full-text indexes take new rows at once");
    }
    let found = store.search_documents("dan van", 20).await.unwrap();
    assert!(found.is_empty());
}

async fn many_matches_come_newest_first(store: Store) {
    // 520 documents name "tiếp dân", the oldest ones many times: more than the search window
    // (500) match, so the newest come first rather than those a ranking would put first.
    for i in 0..520usize {
        let mut doc = dispatch(
            &format!("{}", 1000 + i),
            "UBND-NC",
            date!(2023 - 03 - 01),
            "văn bản",
            vec![],
        );
        doc.body_text = if i < 20 {
            ["tiếp dân"; 12].join(", ")
        } else {
            "tiếp dân định kỳ".to_owned()
        };
        store.save_document(&actor(), &doc).await.unwrap();
    }
    let (matches, fully_ranked) = store.search_fully_ranked("tiep dan", 20).await.unwrap();
    assert_eq!(matches, 520);
    let ids: Vec<i64> = store
        .search_documents("tiep dan", 20)
        .await
        .unwrap()
        .iter()
        .map(|(d, _)| d.id)
        .collect();
    // The library's documents are these 520, numbered from 1 as they were added.
    let newest: Vec<i64> = (501..=520).rev().collect();
    assert_eq!(ids, newest);
    assert_ne!(
        ids, fully_ranked,
        "a ranking would put the oldest, denser documents first"
    );
}

async fn documents_are_listed_with_filters_and_facets(store: Store) {
    store
        .save_document(
            &actor(),
            &dispatch("2071", "UBND-NC", date!(2022 - 04 - 25), "a", vec![]),
        )
        .await
        .unwrap();
    let mut decision = dispatch("729", "QĐ-UBND", date!(2018 - 05 - 17), "b", vec![]);
    decision.doc_type = Some("Quyết định".into());
    store.save_document(&actor(), &decision).await.unwrap();
    let all = store.list_documents(&DocumentFilter::default()).await.unwrap();
    assert_eq!(
        all.iter().map(|d| d.number.clone().unwrap()).collect::<Vec<_>>(),
        ["2071", "729"]
    );
    let decisions = store
        .list_documents(&DocumentFilter {
            doc_type: Some("Quyết định".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(decisions.len(), 1);
    let in_2022 = store
        .list_documents(&DocumentFilter {
            year: Some(2022),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(in_2022.len(), 1);
    let (types, issuers, years) = store.document_facets().await.unwrap();
    assert_eq!((types.len(), issuers.len()), (2, 1));
    assert_eq!(years, [2022, 2018]);
}

async fn addressee_mappings_are_remembered(store: Store) {
    store
        .save_document(
            &actor(),
            &dispatch("2071", "UBND-NC", date!(2022 - 04 - 25), "a", vec![]),
        )
        .await
        .unwrap();
    let lines = store.addressee_lines().await.unwrap();
    assert_eq!(lines.len(), 2);
    let province = province(&store).await;
    assert_eq!(store.addressee_mapping("Các Sở, Ban, ngành").await.unwrap(), None);
    store
        .set_addressee_mapping(&actor(), "Các Sở, Ban, ngành", Some(province), None)
        .await
        .unwrap();
    store
        .set_addressee_mapping(&actor(), "CÁC SỞ, BAN, NGÀNH", Some(province), None)
        .await
        .unwrap();
    let mapping = store.addressee_mapping("các sở, ban, ngành").await.unwrap().unwrap();
    assert_eq!(mapping.unit_id, Some(province));
}

/// Two agencies and a directive of two tasks: one due on a date, one in working days.
async fn directive_fixture(store: &Store) -> (i64, i64, i64) {
    let province = province(store).await;
    let a = store
        .create_unit(&actor(), &new_unit("SA", "Sở A", UnitKind::Department, Some(province)))
        .await
        .unwrap();
    let b = store
        .create_unit(&actor(), &new_unit("SB", "Sở B", UnitKind::Department, Some(province)))
        .await
        .unwrap();
    let mut calendar = store.work_calendar().await.unwrap();
    let directive = NewDirective {
        document_id: None,
        title: "Công văn 2071/UBND-NC".into(),
        document_date: date!(2022 - 04 - 25),
        tasks: vec![
            NewTask {
                content: "Phổ biến, quán triệt.".into(),
                monitor_unit_id: None,
                deadline: Deadline::On(date!(2022 - 06 - 30)),
                leads: vec![a, b],
                supports: vec![],
            },
            NewTask {
                content: "Báo cáo kết quả.".into(),
                monitor_unit_id: Some(a),
                deadline: Deadline::WorkingDaysFromDocument(10),
                leads: vec![a],
                supports: vec![b],
            },
        ],
    };
    let id = store
        .create_directive(&actor(), &directive, &mut calendar, date!(2022 - 04 - 26))
        .await
        .unwrap();
    (id, a, b)
}

async fn a_directive_assigns_tasks_with_working_day_deadlines(store: Store) {
    let (id, a, b) = directive_fixture(&store).await;
    let directive = store.directive(id).await.unwrap().unwrap();
    assert_eq!(directive.tasks.len(), 2);
    assert_eq!(directive.tasks[0].assignments.len(), 2);
    // 10 working days from Monday 25/4/2022, with 2 and 3 May off: Wednesday 11/5.
    let second = &directive.tasks[1];
    assert_eq!(second.due_on, Some(date!(2022 - 05 - 11)));
    assert_eq!(second.monitor_unit_id, Some(a));
    let roles: Vec<(i64, bool)> = second.assignments.iter().map(|x| (x.unit_id, x.lead)).collect();
    assert_eq!(roles, [(a, true), (b, false)]);
    assert_eq!(store.assignments_of_unit(b).await.unwrap().len(), 2);
    assert_eq!(store.list_directives().await.unwrap()[0].assignments, 4);
    assert_eq!(store.list_directives().await.unwrap()[0].document_id, None);
    assert_eq!(
        store.directive_titles().await.unwrap(),
        [(id, "Công văn 2071/UBND-NC".to_owned())].into()
    );
    let audit = store
        .audit_entries(&AuditFilter {
            object_type: Some("directive".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}

async fn working_day_deadlines_follow_a_changed_schedule_unless_set_by_hand(store: Store) {
    let (id, _, _) = directive_fixture(&store).await;
    let directive = store.directive(id).await.unwrap().unwrap();
    let (dated, counted) = (&directive.tasks[0], &directive.tasks[1]);
    assert_eq!(counted.due_on, Some(date!(2022 - 05 - 11)));
    // Friday 6/5/2022 declared a day off: the parts counted in working days move a day.
    let mut before = store.work_calendar().await.unwrap();
    store
        .set_calendar_adjustment(
            &actor(),
            &Adjustment {
                date: date!(2022 - 05 - 06),
                working: false,
                note: "Thông báo nghỉ".into(),
            },
        )
        .await
        .unwrap();
    let mut calendar = store.work_calendar().await.unwrap();
    let moved = store
        .recompute_working_day_deadlines(&actor(), &mut before, &mut calendar, "Lịch nghỉ mới")
        .await
        .unwrap();
    assert_eq!(moved, 2);
    let after = store.directive(id).await.unwrap().unwrap();
    assert!(
        after.tasks[1]
            .assignments
            .iter()
            .all(|a| a.due_on == date!(2022 - 05 - 12))
    );
    assert_eq!(after.tasks[1].due_on, Some(date!(2022 - 05 - 12)));
    assert!(
        after.tasks[0]
            .assignments
            .iter()
            .all(|a| a.due_on == dated.assignments[0].due_on),
        "dates never move"
    );
    let history = store.deadline_changes(counted.assignments[0].id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].old_due_on, history[0].new_due_on),
        (date!(2022 - 05 - 11), date!(2022 - 05 - 12))
    );
    assert_eq!(history[0].reason, "Lịch nghỉ mới");
    // Nothing changed since: nothing moves again.
    let mut same = store.work_calendar().await.unwrap();
    assert_eq!(
        store
            .recompute_working_day_deadlines(&actor(), &mut same, &mut calendar, "x")
            .await
            .unwrap(),
        0
    );
    // One part extended by hand keeps its date at the next change; the other moves again.
    let by_hand = counted.assignments[1].id;
    store
        .extend_task_deadline(
            &actor(),
            Scope::Assignment(by_hand),
            date!(2022 - 05 - 20),
            "Xin gia hạn",
        )
        .await
        .unwrap();
    let mut before = store.work_calendar().await.unwrap();
    store
        .set_calendar_adjustment(
            &actor(),
            &Adjustment {
                date: date!(2022 - 05 - 09),
                working: false,
                note: "Thông báo nghỉ thêm".into(),
            },
        )
        .await
        .unwrap();
    let mut calendar = store.work_calendar().await.unwrap();
    assert_eq!(
        store
            .recompute_working_day_deadlines(&actor(), &mut before, &mut calendar, "Lịch nghỉ mới 2")
            .await
            .unwrap(),
        1
    );
    let after = store.directive(id).await.unwrap().unwrap();
    let due = |assignment: i64| {
        after.tasks[1]
            .assignments
            .iter()
            .find(|a| a.id == assignment)
            .unwrap()
            .due_on
    };
    assert_eq!(due(counted.assignments[0].id), date!(2022 - 05 - 13));
    assert_eq!(due(by_hand), date!(2022 - 05 - 20));
    let audit = store
        .audit_entries(&AuditFilter {
            object_type: Some("assignment".into()),
            action: Some("recompute_deadline".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 3);
}

async fn reports_drive_the_status_and_lock_after_review(store: Store) {
    let (id, a, _) = directive_fixture(&store).await;
    let officer = account(&store, "canboa", Role::Officer, Some(a)).await;
    let officer = Actor::account(officer, "canboa", None);
    let monitor = Actor::account(account(&store, "sonoivu", Role::Monitor, None).await, "sonoivu", None);
    let assignment = store.directive(id).await.unwrap().unwrap().tasks[0].assignments[0].clone();
    assert_eq!(assignment.status(date!(2022 - 05 - 01)), TaskStatus::NotStarted);
    let sha = store.put_file(b"%PDF-1.4 bien ban", "application/pdf").await.unwrap();
    let attachment = Attachment {
        file_sha256: sha,
        file_name: "bien-ban.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: 17,
    };
    let first = store
        .submit_report(
            &officer,
            assignment.id,
            &NewReport {
                reported_on: date!(2022 - 05 - 10),
                percent: 50,
                content: "Đã phổ biến".into(),
                attachments: vec![attachment],
            },
        )
        .await
        .unwrap();
    let now = store.assignment(assignment.id).await.unwrap().unwrap();
    assert_eq!(now.status(date!(2022 - 05 - 20)), TaskStatus::InProgress);
    store
        .update_report(&officer, first, 60, "Đã phổ biến 60%")
        .await
        .unwrap();
    store.review_report(&monitor, first, true, "Đồng ý").await.unwrap();
    // Reviewed: no more changes, no second review.
    assert!(matches!(
        store.update_report(&officer, first, 70, "sửa").await,
        Err(StoreError::Conflict("report_reviewed"))
    ));
    assert!(matches!(
        store.review_report(&monitor, first, false, "x").await,
        Err(StoreError::Conflict("report_reviewed"))
    ));
    let done = store
        .submit_report(
            &officer,
            assignment.id,
            &NewReport {
                reported_on: date!(2022 - 07 - 02),
                percent: 100,
                content: "Hoàn thành".into(),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    let returned = store
        .submit_report(
            &officer,
            assignment.id,
            &NewReport {
                reported_on: date!(2022 - 06 - 01),
                percent: 100,
                content: "Nhầm".into(),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    store
        .review_report(&monitor, returned, false, "Chưa đủ hồ sơ")
        .await
        .unwrap();
    assert_eq!(
        store.assignment(assignment.id).await.unwrap().unwrap().completed_on,
        None
    );
    store.review_report(&monitor, done, true, "").await.unwrap();
    let finished = store.assignment(assignment.id).await.unwrap().unwrap();
    assert_eq!(finished.status(date!(2022 - 12 - 15)), TaskStatus::DoneLate);
    let history = store.reports_of(assignment.id).await.unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!((history[0].percent, history[0].attachments.len()), (60, 1));
    assert_eq!(history[2].review_comment.as_deref(), Some("Chưa đủ hồ sơ"));
    let (owner, _) = store.attachment(history[0].attachments[0].0).await.unwrap().unwrap();
    assert_eq!(owner, assignment.id);
}

async fn the_board_counts_by_status_per_agency_and_directive(store: Store) {
    let (id, a, b) = directive_fixture(&store).await;
    let monitor = Actor::account(account(&store, "sonoivu", Role::Monitor, None).await, "sonoivu", None);
    let officer = Actor::account(account(&store, "canboa", Role::Officer, Some(a)).await, "canboa", None);
    let directive = store.directive(id).await.unwrap().unwrap();
    let a_first = directive.tasks[0]
        .assignments
        .iter()
        .find(|x| x.unit_id == a)
        .unwrap()
        .id;
    let report = store
        .submit_report(
            &officer,
            a_first,
            &NewReport {
                reported_on: date!(2022 - 06 - 15),
                percent: 100,
                content: "Xong".into(),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    store.review_report(&monitor, report, true, "").await.unwrap();
    let today = date!(2022 - 06 - 01);
    let by_unit = store.board_counts(&BoardFilter::default(), today, false).await.unwrap();
    let unit_a = by_unit.iter().find(|c| c.key == a).unwrap();
    // A: task 1 done on time (15/6 ≤ 30/6); task 2 due 11/5, overdue on 1/6.
    assert_eq!((unit_a.done_on_time, unit_a.overdue, unit_a.total()), (1, 1, 2));
    let unit_b = by_unit.iter().find(|c| c.key == b).unwrap();
    assert_eq!((unit_b.not_started, unit_b.total()), (1, 1));
    let by_directive = store.board_counts(&BoardFilter::default(), today, true).await.unwrap();
    assert_eq!((by_directive[0].key, by_directive[0].total()), (id, 3));
    // One done on time of the two that have come due: the overdue one counts against it.
    assert_eq!(unit_a.on_time_rate(), Some(50.0));
    let june = BoardFilter {
        due_from: Some(date!(2022 - 06 - 01)),
        due_to: Some(date!(2022 - 06 - 30)),
        ..Default::default()
    };
    let in_june = store.board_counts(&june, today, false).await.unwrap();
    assert_eq!(in_june.iter().map(StatusCounts::total).sum::<i64>(), 2);
    let only_b = BoardFilter {
        unit_id: Some(b),
        ..Default::default()
    };
    assert_eq!(store.board_counts(&only_b, today, false).await.unwrap().len(), 1);
    let overdue = store
        .overdue_assignments(&BoardFilter::default(), today, 10)
        .await
        .unwrap();
    assert_eq!(
        overdue.iter().map(|x| (x.unit_id, x.due_on)).collect::<Vec<_>>(),
        [(a, date!(2022 - 05 - 11))]
    );
}

async fn calendar_adjustments_round_trip_and_shape_deadlines(store: Store) {
    let day = Adjustment {
        date: date!(2025 - 04 - 26),
        working: true,
        note: "Làm bù ngày 2/5".into(),
    };
    store.set_calendar_adjustment(&actor(), &day).await.unwrap();
    store
        .set_calendar_adjustment(
            &actor(),
            &Adjustment {
                date: date!(2025 - 05 - 02),
                working: false,
                note: "Nghỉ hoán đổi".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(store.calendar_adjustments().await.unwrap().len(), 2);
    let mut calendar = store.work_calendar().await.unwrap();
    assert!(calendar.is_working_day(date!(2025 - 04 - 26)));
    assert!(!calendar.is_working_day(date!(2025 - 05 - 02)));
    store
        .delete_calendar_adjustment(&actor(), date!(2025 - 05 - 02))
        .await
        .unwrap();
    assert!(matches!(
        store.delete_calendar_adjustment(&actor(), date!(2025 - 05 - 02)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.calendar_adjustments().await.unwrap(), [day]);
}

async fn jobs_are_claimed_once_per_day_and_reminders_are_idempotent(store: Store) {
    let day = date!(2022 - 12 - 15);
    assert!(store.claim_job("reminders", day, 1800).await.unwrap());
    assert!(!store.claim_job("reminders", day, 1800).await.unwrap());
    assert!(store.claim_job("reminders", date!(2022 - 12 - 16), 1800).await.unwrap());
    // A run whose server stopped before it finished can be taken over once it is stale.
    assert!(store.claim_job("reminders", day, -1).await.unwrap());
    store.finish_job("reminders", day).await.unwrap();
    assert!(!store.claim_job("reminders", day, -1).await.unwrap());
    let (id, a, _) = directive_fixture(&store).await;
    let assignment = store.directive(id).await.unwrap().unwrap().tasks[0].assignments[0].id;
    let mail = NewMail {
        dedup_key: format!("reminder:{assignment}:overdue:2022-12-15"),
        recipients: vec![("vanthu@a.example".into(), "Văn thư".into())],
        subject: "Nhiệm vụ quá hạn".into(),
        body: "Kính gửi đơn vị".into(),
    };
    let first = store
        .create_reminder_and_mail(assignment, "overdue", day, Some(&mail), "snv.example")
        .await
        .unwrap();
    assert!(first.is_some());
    assert_eq!(
        store
            .create_reminder_and_mail(assignment, "overdue", day, Some(&mail), "snv.example")
            .await
            .unwrap(),
        None
    );
    assert!(
        !store.reminders_of_unit(a).await.unwrap()[0].emailed,
        "queued, not sent"
    );
    // The mail was queued with its reminder; sending it marks the reminder e-mailed.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let queued = store
        .claim_outbox(now, 600)
        .await
        .unwrap()
        .expect("the reminder's mail");
    assert_eq!(
        (queued.subject.as_str(), queued.recipients.len()),
        ("Nhiệm vụ quá hạn", 1)
    );
    assert!(store.outbox_sent(&queued, now).await.unwrap());
    let inbox = store.reminders_of_unit(a).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].emailed);
    let due = store.open_assignments_due_by(date!(2022 - 05 - 31)).await.unwrap();
    assert_eq!(due.len(), 1);
    // Pages of one walk the same open work in the same order (deadline, then id), once each.
    let until = date!(2022 - 12 - 31);
    let all = store.open_assignments_due_by(until).await.unwrap();
    assert!(all.len() >= 2, "{all:?}");
    let mut paged = Vec::new();
    let mut after = None;
    while let Some(last) = store.open_assignments_due_by_page(until, after, 1).await.unwrap().pop() {
        after = Some((last.due_on, last.id));
        paged.push(last);
    }
    assert_eq!(paged, all);
}

async fn the_outbox_leases_each_message_to_one_sender_and_backs_off_until_it_gives_up(store: Store) {
    let mail = |key: &str| NewMail {
        dedup_key: key.into(),
        recipients: vec![("a@b.example".into(), "Đơn vị".into())],
        subject: "Thư".into(),
        body: "Nội dung".into(),
    };
    let first = store.queue_mail(&mail("one"), "snv.example").await.unwrap().unwrap();
    assert_eq!(store.queue_mail(&mail("one"), "snv.example").await.unwrap(), None);
    let second = store.queue_mail(&mail("two"), "snv.example").await.unwrap().unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    // Two senders at once get two different messages; a third gets none while the leases hold.
    let a = store.claim_outbox(now, 600).await.unwrap().unwrap();
    let b = store.claim_outbox(now, 600).await.unwrap().unwrap();
    assert_ne!(a.id, b.id);
    assert!(store.claim_outbox(now + 599, 600).await.unwrap().is_none());
    // A sender that died: its lease runs out and the message is claimed again; the first
    // sender, come back late, can no longer record an outcome for it.
    let again = store.claim_outbox(now + 601, 600).await.unwrap().unwrap();
    assert!(again.id == first || again.id == second);
    assert_ne!(a.message_id, b.message_id);
    let (stale, other) = if again.id == a.id { (&a, &b) } else { (&b, &a) };
    assert!(
        !store.outbox_sent(stale, now + 602).await.unwrap(),
        "a lost lease records nothing"
    );
    assert_eq!(store.outbox_failed(stale, "late", now + 602).await.unwrap(), None);
    assert!(store.outbox_sent(&again, now + 603).await.unwrap());
    assert!(store.outbox_sent(other, now + 603).await.unwrap());
    assert!(
        store.claim_outbox(now + 10_000, 600).await.unwrap().is_none(),
        "sent once"
    );
    // A message that keeps failing waits longer each time, then is given up.
    let failing = store.queue_mail(&mail("three"), "snv.example").await.unwrap().unwrap();
    // Queued "now" by the real clock, which may have passed a second since `now` was read.
    let mut at = time::OffsetDateTime::now_utc().unix_timestamp();
    for attempt in 1..=MAX_ATTEMPTS {
        let claimed = store.claim_outbox(at, 600).await.unwrap().unwrap();
        assert_eq!(claimed.id, failing);
        let state = store.outbox_failed(&claimed, "550 refused", at).await.unwrap().unwrap();
        let expected = if attempt == MAX_ATTEMPTS {
            OutboxState::Failed
        } else {
            OutboxState::Pending
        };
        assert_eq!(state, expected, "attempt {attempt}");
        assert!(
            store
                .claim_outbox(at + retry_delay(attempt) - 1, 600)
                .await
                .unwrap()
                .is_none()
        );
        at += retry_delay(attempt);
    }
    assert!(store.claim_outbox(at + 86_400, 600).await.unwrap().is_none());
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.sent, counts.pending, counts.failed), (2, 0, 1));
    assert!(store.outbox_retry(failing, at).await.unwrap());
    assert!(!store.outbox_retry(failing, at).await.unwrap(), "only a failed one");
    assert_eq!(store.claim_outbox(at, 600).await.unwrap().unwrap().attempts, 0);
    // Sent messages go after their period; pending ones stay.
    assert_eq!(store.delete_finished_outbox_before(now + 10_000).await.unwrap(), 2);
    assert_eq!(store.list_outbox(10).await.unwrap().len(), 1);
}

/// The board's SQL must agree with `TaskStatus::derive` for every assignment, whatever the
/// filter and grouping (several directives, so that split counts are exercised too).
async fn the_board_agrees_with_the_status_rule_for_every_filter(store: Store) {
    let (first, a, b) = directive_fixture(&store).await;
    let group = store.create_group(&actor(), "G", "Khối thử", 9).await.unwrap();
    let mut moved = store.unit(b).await.unwrap().unwrap();
    moved.group_id = Some(group);
    let update = NewUnit::parse(&UnitInput {
        code: &moved.code,
        name: &moved.name,
        short_name: "",
        kind: moved.kind.code(),
        parent_id: moved.parent_id,
        group_id: Some(group),
        valid_from: "01/01/2004",
        valid_to: "",
    })
    .unwrap();
    store.update_unit(&actor(), b, &update).await.unwrap();
    let mut calendar = store.work_calendar().await.unwrap();
    let mut directives = vec![first];
    for (i, due) in [date!(2022 - 03 - 31), date!(2022 - 09 - 30), date!(2023 - 01 - 15)]
        .into_iter()
        .enumerate()
    {
        let directive = NewDirective {
            document_id: None,
            title: format!("Chỉ đạo {i}"),
            document_date: date!(2022 - 01 - 10),
            tasks: vec![NewTask {
                content: "Việc".into(),
                monitor_unit_id: None,
                deadline: Deadline::On(due),
                leads: vec![a, b],
                supports: vec![],
            }],
        };
        directives.push(
            store
                .create_directive(&actor(), &directive, &mut calendar, date!(2022 - 01 - 11))
                .await
                .unwrap(),
        );
    }
    let officer = Actor::account(account(&store, "canboa", Role::Officer, Some(a)).await, "canboa", None);
    let monitor = Actor::account(account(&store, "sonoivu", Role::Monitor, None).await, "sonoivu", None);
    let mut all = Vec::new();
    for id in &directives {
        for task in store.directive(*id).await.unwrap().unwrap().tasks {
            all.extend(task.assignments);
        }
    }
    // Progress of every kind on unit A's assignments.
    for (i, assignment) in all.iter().filter(|x| x.unit_id == a && x.lead).enumerate() {
        let day = if i % 2 == 0 {
            assignment.due_on
        } else {
            assignment.due_on + time::Duration::days(3)
        };
        let report = store
            .submit_report(
                &officer,
                assignment.id,
                &NewReport {
                    reported_on: day,
                    percent: if i % 3 == 2 { 50 } else { 100 },
                    content: "x".into(),
                    attachments: vec![],
                },
            )
            .await
            .unwrap();
        store.review_report(&monitor, report, true, "").await.unwrap();
    }
    let all: Vec<_> = {
        let mut fresh = Vec::new();
        for x in &all {
            fresh.push(store.assignment(x.id).await.unwrap().unwrap());
        }
        fresh
    };
    let today = date!(2022 - 10 - 01);
    let filters = [
        BoardFilter::default(),
        BoardFilter {
            group_id: Some(group),
            ..BoardFilter::default()
        },
        BoardFilter {
            due_from: Some(date!(2022 - 04 - 01)),
            due_to: Some(date!(2022 - 12 - 31)),
            ..BoardFilter::default()
        },
        BoardFilter {
            unit_id: Some(a),
            ..BoardFilter::default()
        },
        BoardFilter {
            directive_id: Some(directives[1]),
            ..BoardFilter::default()
        },
    ];
    for filter in &filters {
        for by_directive in [false, true] {
            let in_filter = all.iter().filter(|x| {
                filter.due_from.is_none_or(|f| x.due_on >= f)
                    && filter.due_to.is_none_or(|t| x.due_on <= t)
                    && filter.unit_id.is_none_or(|u| x.unit_id == u)
                    && filter.directive_id.is_none_or(|d| x.directive_id == d)
                    && filter.group_id.is_none_or(|_| x.unit_id == b)
            });
            let expected = danvan_store::test_support::board_by_status_rule(in_filter, today, |x| {
                if by_directive { x.directive_id } else { x.unit_id }
            });
            let got = store.board_counts(filter, today, by_directive).await.unwrap();
            assert_eq!(got, expected, "filter {filter:?}, by directive {by_directive}");
        }
    }
}

async fn a_draft_rubric_is_replaced_until_its_decision_is_named(store: Store) {
    let issued = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");
    let draft = issued.replace("decision = \"729/QĐ-UBND\"\n", "");
    let rubric = danvan_domain::rubric::parse(&draft).unwrap();
    assert!(rubric.is_draft());
    let id = store.save_rubric_version(&actor(), &rubric, &draft).await.unwrap();
    let retitled = draft.replace("(mẫu)\"", "(mẫu, lần 2)\"");
    let again = danvan_domain::rubric::parse(&retitled).unwrap();
    assert_eq!(
        store.save_rubric_version(&actor(), &again, &retitled).await.unwrap(),
        id
    );
    let stored = store.rubric_version(id).await.unwrap().unwrap();
    assert_eq!(
        (stored.source.as_str(), stored.decision.as_str()),
        (retitled.as_str(), "")
    );
    // Named, it is issued under the same id; from then on it is never replaced.
    let named = danvan_domain::rubric::parse(issued).unwrap();
    assert_eq!(store.save_rubric_version(&actor(), &named, issued).await.unwrap(), id);
    assert!(matches!(
        store.save_rubric_version(&actor(), &named, issued).await,
        Err(StoreError::Conflict("code"))
    ));
    assert_eq!(store.rubric_versions().await.unwrap().len(), 1);
    let audit = store
        .audit_entries(&AuditFilter {
            object_type: Some("rubric_version".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["update_draft", "update_draft", "create"]
    );
}

async fn rubric_versions_are_kept_whole_and_never_replaced(store: Store) {
    let source = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");
    let rubric = danvan_domain::rubric::parse(source).unwrap();
    let id = store.save_rubric_version(&actor(), &rubric, source).await.unwrap();
    let stored = store.rubric_version(id).await.unwrap().unwrap();
    assert_eq!(stored.code, "MAU-DVCQ-729");
    assert!(stored.sample);
    assert_eq!(stored.decision, "729/QĐ-UBND");
    assert_eq!(stored.valid_from, date!(2018 - 05 - 17));
    assert_eq!(stored.valid_to, None);
    assert_eq!(stored.source, source, "the file is kept byte for byte");
    assert_eq!(stored.source_sha256.len(), 64);
    assert_eq!(stored.rubric().unwrap(), rubric);

    // A change is a new version: the same code is refused, a new code is a second row.
    let changed = source.replace("percent = 20", "percent = 25");
    let mut edited = danvan_domain::rubric::parse(&changed).unwrap();
    assert!(matches!(
        store.save_rubric_version(&actor(), &edited, &changed).await,
        Err(StoreError::Conflict("code"))
    ));
    edited.code = "MAU-DVCQ-2023".into();
    edited.valid_from = date!(2023 - 01 - 01);
    let second = store.save_rubric_version(&actor(), &edited, &changed).await.unwrap();
    let all = store.rubric_versions().await.unwrap();
    assert_eq!(
        all.iter().map(|v| v.id).collect::<Vec<_>>(),
        [second, id],
        "newest validity first"
    );
    assert_eq!(
        store.rubric_version(id).await.unwrap().unwrap().source,
        source,
        "the first is unchanged"
    );
    assert_eq!(store.rubric_version(9_999).await.unwrap(), None);

    let entries = store
        .audit_entries(&AuditFilter {
            object_type: Some("rubric_version".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        entries.len(),
        2,
        "one record per saved version, none for the refused one"
    );
    assert!(entries.iter().all(|e| e.action == "create"));
}

async fn an_evaluation_cycle_runs_from_drafts_to_published_results(store: Store) {
    use danvan_domain::evaluation::{AssessmentState as A, CycleState};
    use danvan_domain::rubric::Points;
    use danvan_domain::scoring::Answer;
    use danvan_store::evaluation::{Appraisal, ItemKind, NewCycle, ResultRecord, SelfItem};

    let source = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");
    let rubric = danvan_domain::rubric::parse(source).unwrap();
    let rubric_id = store.save_rubric_version(&actor(), &rubric, source).await.unwrap();
    let group = store
        .create_group(&actor(), "SBN", "Khối sở, ban, ngành", 1)
        .await
        .unwrap();
    let province = province(&store).await;
    let in_group = |code, name| {
        let mut unit = new_unit(code, name, UnitKind::Department, Some(province));
        unit.group_id = Some(group);
        unit
    };
    let snv = store
        .create_unit(&actor(), &in_group("SNV", "Sở Nội vụ"))
        .await
        .unwrap();
    let stc = store
        .create_unit(&actor(), &in_group("STC", "Sở Tài chính"))
        .await
        .unwrap();
    let new = NewCycle {
        year: 2022,
        group_id: group,
        rubric_version_id: rubric_id,
        self_deadline: date!(2022 - 12 - 05),
        appraisal_deadline: date!(2022 - 12 - 20),
    };
    let cycle = store.open_cycle(&actor(), &new, &[snv, stc]).await.unwrap();
    assert!(matches!(
        store.open_cycle(&actor(), &new, &[snv]).await,
        Err(StoreError::Conflict("cycle"))
    ));
    let stored = store.cycle(cycle).await.unwrap().unwrap();
    assert_eq!(
        (stored.year, stored.state, stored.self_deadline),
        (2022, CycleState::Open, date!(2022 - 12 - 05))
    );
    assert_eq!(store.cycles().await.unwrap().len(), 1);
    let assessments = store.assessments(cycle).await.unwrap();
    assert_eq!(
        assessments.iter().map(|a| (a.unit_id, a.state)).collect::<Vec<_>>(),
        [(snv, A::Drafting), (stc, A::Drafting)]
    );
    let ours = assessments[0].id;

    // A draft, saved twice: the second replaces the first value and keeps the evidence.
    let sha = store.put_file(b"ke hoach", "text/plain").await.unwrap();
    let item = |id: &str, value: &str, evidence: Option<(String, String)>| SelfItem {
        kind: ItemKind::Criterion,
        item_id: id.into(),
        value: Some(value.into()),
        note: String::new(),
        evidence,
    };
    store
        .save_self_items(
            &actor(),
            ours,
            A::Drafting,
            &[
                item("1.1", "y:1", Some((sha.clone(), "ke-hoach.txt".into()))),
                item("1.3", "p:800", None),
            ],
        )
        .await
        .unwrap();
    store
        .save_self_items(&actor(), ours, A::Drafting, &[item("1.1", "y:0", None)])
        .await
        .unwrap();
    let items = store.assessment_items(ours).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].self_value.as_deref(), Some("y:0"));
    assert_eq!(items[0].evidence, Some((sha, "ke-hoach.txt".into())));

    // A draft saved against a stale state changes nothing.
    assert!(matches!(
        store
            .save_self_items(&actor(), ours, A::Returned, &[item("1.3", "p:0", None)])
            .await,
        Err(StoreError::Conflict("state"))
    ));
    store.submit_assessment(&actor(), ours, A::Drafting).await.unwrap();
    assert!(matches!(
        store.submit_assessment(&actor(), ours, A::Drafting).await,
        Err(StoreError::Conflict("state"))
    ));
    assert!(
        store
            .save_self_items(&actor(), ours, A::Drafting, &[item("1.3", "p:0", None)])
            .await
            .is_err(),
        "locked"
    );

    // Returned, corrected, submitted again: the change shows.
    store
        .return_assessment(&actor(), ours, "Thiếu minh chứng tiêu chí 1.3")
        .await
        .unwrap();
    let returned = store.assessment(ours).await.unwrap().unwrap();
    assert_eq!(
        (returned.state, returned.return_reason.as_deref()),
        (A::Returned, Some("Thiếu minh chứng tiêu chí 1.3"))
    );
    store
        .save_self_items(&actor(), ours, A::Returned, &[item("1.3", "p:1000", None)])
        .await
        .unwrap();
    store.submit_assessment(&actor(), ours, A::Returned).await.unwrap();
    let submitted = store.cycle_answers(cycle).await.unwrap();
    assert_eq!(
        submitted[0].submitted.criteria["1.3"],
        Answer::Points(Points(1_000)),
        "a submission is read for scoring at once"
    );
    let again = store.assessment(ours).await.unwrap().unwrap();
    assert_eq!(
        (again.state, again.submissions, again.return_reason),
        (A::Submitted, 2, None)
    );
    let items = store.assessment_items(ours).await.unwrap();
    let changed: Vec<&str> = items
        .iter()
        .filter(|i| i.changed_since_last_submission(again.submissions))
        .map(|i| i.item_id.as_str())
        .collect();
    assert_eq!(changed, ["1.3"]);

    store
        .appraise_item(
            &actor(),
            ours,
            A::Submitted,
            &Appraisal {
                kind: ItemKind::Criterion,
                item_id: "1.3".into(),
                value: Some("p:900".into()),
                comment: "Minh chứng chưa đủ".into(),
            },
        )
        .await
        .unwrap();
    // Completing the appraisal with an item the higher level must score still empty is refused,
    // and the item change sent with it is not kept.
    let digest = store.table_digests().await.unwrap();
    let bonus = Appraisal {
        kind: ItemKind::Bonus,
        item_id: "CONG1".into(),
        value: Some("p:200".into()),
        comment: String::new(),
    };
    let required = [
        (ItemKind::Criterion, "1.3".to_owned()),
        (ItemKind::Criterion, "2.1".to_owned()),
    ];
    assert!(matches!(
        store
            .appraise(&actor(), ours, A::Submitted, std::slice::from_ref(&bonus), Some(&required))
            .await,
        Err(StoreError::Incomplete(empty)) if empty == ["2.1"]
    ));
    assert_eq!(
        store.table_digests().await.unwrap(),
        digest,
        "a refused completion changes nothing"
    );
    store
        .appraise(&actor(), ours, A::Submitted, &[], Some(&required[..1]))
        .await
        .unwrap();
    // Completing again, from the appraised state, is refused and keeps nothing either.
    let digest = store.table_digests().await.unwrap();
    assert!(matches!(
        store
            .appraise(
                &actor(),
                ours,
                A::Submitted,
                std::slice::from_ref(&bonus),
                Some(&required[..1])
            )
            .await,
        Err(StoreError::Conflict("state"))
    ));
    assert_eq!(store.table_digests().await.unwrap(), digest);
    let items = store.assessment_items(ours).await.unwrap();
    assert_eq!(items[1].appraised_value.as_deref(), Some("p:900"));
    assert_eq!(items[1].appraisal_comment, "Minh chứng chưa đủ");

    let answers = store.cycle_answers(cycle).await.unwrap();
    assert_eq!(answers.len(), 2, "every agency, answered or not");
    assert_eq!(answers[0].kinds, ["department", "SBN"].map(String::from));
    assert_eq!(answers[0].state, A::Appraised);
    assert_eq!(answers[0].submitted.criteria["1.3"], Answer::Points(Points(1_000)));
    assert_eq!(
        answers[0].final_answers.criteria["1.3"],
        Answer::Points(Points(900)),
        "the appraisal wins"
    );
    assert_eq!(answers[0].final_answers.criteria["1.1"], Answer::Yes(false));
    assert_eq!(
        answers[0].as_submitted().criteria["1.3"],
        Answer::Points(Points(1_000)),
        "the agency's own value"
    );
    assert_eq!((answers[1].unit_id, answers[1].state), (stc, A::Drafting));
    assert_eq!(answers[1].final_answers, Default::default());
    assert_eq!(
        store.assessment_answers(ours).await.unwrap().as_ref(),
        Some(&answers[0])
    );
    assert_eq!(store.assessment_answers(9_999_999).await.unwrap(), None);
    assert_eq!(store.repack_cycle(&actor(), cycle).await.unwrap(), 2);
    assert_eq!(
        store.cycle_answers(cycle).await.unwrap(),
        answers,
        "the packed copy agrees with the item rows"
    );
    assert_eq!(
        store.cycle_submitted_sums(cycle).await.unwrap(),
        [(snv, 1_000)],
        "1.3's points; 1.1 is a yes/no"
    );

    // Publishing needs finalizing first; results are frozen by the finalization.
    assert!(matches!(
        store.publish_cycle(&actor(), cycle).await,
        Err(StoreError::Conflict("state"))
    ));
    let result = |unit_id, total, rank| ResultRecord {
        cycle_id: cycle,
        unit_id,
        self_total: Some(total + 100),
        total,
        band: "tot".into(),
        band_title: "Hoàn thành tốt nhiệm vụ".into(),
        rank,
        explanation: vec!["Tổng điểm đạt ngưỡng 70.".into()],
    };
    // An assessment submitted and not yet appraised blocks the finalization, which names it and
    // freezes nothing.
    let theirs = assessments[1].id;
    store.submit_assessment(&actor(), theirs, A::Drafting).await.unwrap();
    let digest = store.table_digests().await.unwrap();
    assert!(matches!(
        store.finalize_cycle(&actor(), cycle, &[result(snv, 8_500, 1), result(stc, 7_000, 2)]).await,
        Err(StoreError::Pending(units)) if units == [stc]
    ));
    assert_eq!(store.table_digests().await.unwrap(), digest);
    store
        .appraise(&actor(), theirs, A::Submitted, &[], Some(&[]))
        .await
        .unwrap();
    store
        .finalize_cycle(&actor(), cycle, &[result(snv, 8_500, 1), result(stc, 7_000, 2)])
        .await
        .unwrap();
    assert!(store.unit_history(snv).await.unwrap().is_empty(), "not published yet");
    store.publish_cycle(&actor(), cycle).await.unwrap();
    let results = store.cycle_results(cycle).await.unwrap();
    assert_eq!(results, [result(snv, 8_500, 1), result(stc, 7_000, 2)]);
    let history = store.unit_history(snv).await.unwrap();
    assert_eq!((history.len(), history[0].0.year, history[0].1.total), (1, 2022, 8_500));
    assert_eq!(store.cycle(cycle).await.unwrap().unwrap().state, CycleState::Published);

    let actions: Vec<String> = store
        .audit_entries(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            matches!(
                e.object_type.as_str(),
                "evaluation_cycle" | "assessment" | "assessment_item"
            )
        })
        .map(|e| e.action)
        .collect();
    for step in [
        "open",
        "save_draft",
        "submit",
        "return",
        "appraise",
        "mark_appraised",
        "finalize",
        "publish",
    ] {
        assert!(actions.iter().any(|a| a == step), "{step} not audited: {actions:?}");
    }
}

async fn leaders_are_assigned_with_history_and_gaps_are_found(store: Store) {
    use danvan_store::leader::NewLeader;

    let (snv, stc) = two_departments(&store).await;
    let leader = |name: &str, from| NewLeader {
        unit_id: snv,
        name: name.into(),
        position: "Phó Giám đốc".into(),
        decision: "15/QĐ-SNV".into(),
        valid_from: from,
    };
    assert_eq!(
        store.units_without_leader(date!(2022 - 06 - 01)).await.unwrap(),
        [snv, stc]
    );
    let first = store
        .assign_leader(&actor(), &leader("Nguyễn Văn An", date!(2021 - 03 - 01)))
        .await
        .unwrap();
    let second = store
        .assign_leader(&actor(), &leader("Trần Thị Bình", date!(2022 - 07 - 01)))
        .await
        .unwrap();
    assert!(matches!(
        store
            .assign_leader(&actor(), &leader("Lê Văn Cường", date!(2022 - 07 - 01)))
            .await,
        Err(StoreError::Conflict("valid_from"))
    ));
    let history = store.leaders_of(snv).await.unwrap();
    assert_eq!(history.iter().map(|l| l.id).collect::<Vec<_>>(), [second, first]);
    assert_eq!(
        history[1].valid_to,
        Some(date!(2022 - 06 - 30)),
        "the former ends the day before"
    );
    assert_eq!(history[0].valid_to, None);
    assert_eq!(
        store.leader_on(snv, date!(2022 - 06 - 30)).await.unwrap().unwrap().name,
        "Nguyễn Văn An"
    );
    assert_eq!(
        store.leader_on(snv, date!(2022 - 07 - 01)).await.unwrap().unwrap().name,
        "Trần Thị Bình"
    );
    assert_eq!(store.leader_on(snv, date!(2021 - 02 - 28)).await.unwrap(), None);
    let named = store.leaders_named("nguyen van an").await.unwrap();
    assert_eq!(named.iter().map(|l| l.id).collect::<Vec<_>>(), [first]);
    assert_eq!(store.units_without_leader(date!(2022 - 06 - 01)).await.unwrap(), [stc]);
    assert_eq!(
        store.units_without_leader(date!(2021 - 01 - 01)).await.unwrap(),
        [snv, stc]
    );
    let entries = store
        .audit_entries(&AuditFilter {
            object_type: Some("responsible_leader".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert!(
        entries[0].before.as_deref().unwrap().contains("Nguyễn Văn An"),
        "the replaced leader is recorded"
    );
}

async fn dissemination_meetings_record_their_documents(store: Store) {
    use danvan_store::dissemination::NewDissemination;

    let (snv, stc) = two_departments(&store).await;
    let a = store
        .save_document(
            &actor(),
            &dispatch("14", "CT-TU", date!(2021 - 05 - 03), "Về công tác dân vận", vec![]),
        )
        .await
        .unwrap()
        .id();
    let b = store
        .save_document(
            &actor(),
            &dispatch("411", "KH-UBND", date!(2021 - 08 - 10), "Kế hoạch thực hiện", vec![]),
        )
        .await
        .unwrap()
        .id();
    let meeting = |unit_id, held_on, document_ids: Vec<i64>| NewDissemination {
        unit_id,
        held_on,
        form: "Hội nghị cán bộ, công chức".into(),
        participants: 45,
        document_ids,
    };
    let first = store
        .record_dissemination(&actor(), &meeting(snv, date!(2022 - 03 - 10), vec![a, b, a]))
        .await
        .unwrap();
    let second = store
        .record_dissemination(&actor(), &meeting(snv, date!(2022 - 09 - 01), vec![b]))
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_dissemination(&actor(), &meeting(stc, date!(2022 - 03 - 10), vec![]))
            .await,
        Err(StoreError::Conflict("documents"))
    ));
    assert!(
        store
            .record_dissemination(&actor(), &meeting(stc, date!(2022 - 03 - 10), vec![a, 999_999]))
            .await
            .is_err()
    );
    assert!(
        store.disseminations_of(stc).await.unwrap().is_empty(),
        "a failed record leaves nothing"
    );
    let records = store.disseminations_of(snv).await.unwrap();
    assert_eq!(records.iter().map(|r| r.id).collect::<Vec<_>>(), [second, first]);
    assert_eq!(records[1].document_ids, [a, b], "each document once");
    assert_eq!(
        (records[1].participants, records[1].held_on),
        (45, date!(2022 - 03 - 10))
    );
    assert_eq!(store.disseminated(&[a, b]).await.unwrap(), [(a, snv), (b, snv)]);
    assert_eq!(store.disseminated(&[]).await.unwrap(), []);
    let entries = store
        .audit_entries(&AuditFilter {
            object_type: Some("dissemination".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
}

fn registration(
    unit_id: i64,
    name: &str,
    field: danvan_domain::initiative::Field,
) -> danvan_store::initiative::NewInitiative {
    use danvan_domain::initiative::Kind;
    danvan_store::initiative::NewInitiative {
        unit_id,
        kind: Kind::Collective,
        field,
        name: name.into(),
        area: "Xã Đắk Ha, huyện Đắk Glong".into(),
        beneficiaries: "Đồng bào dân tộc thiểu số tại chỗ".into(),
        led_by: "Nguyễn Văn Hòa".into(),
        members: "Công chức Văn phòng, Đoàn Thanh niên".into(),
        situation: "Thủ tục hành chính còn chậm".into(),
        goals: "Giải quyết đúng hạn mọi hồ sơ".into(),
        criteria: "100 % hồ sơ đúng hạn".into(),
        content: "Hướng dẫn tận nhà, tiếp nhận hồ sơ ngoài giờ".into(),
        resources: "Ngân sách xã".into(),
        starts_on: date!(2022 - 03 - 01),
        ends_on: date!(2022 - 11 - 30),
        outputs: "Người dân hài lòng".into(),
        sustainability: "Nhân rộng ra các thôn".into(),
        people_public: false,
        registered_on: date!(2022 - 02 - 15),
        replicated_from: None,
    }
}

async fn initiatives_follow_their_lifecycle_with_history_and_replication(store: Store) {
    use danvan_domain::initiative::{Field, Level, Stage, Step};
    use danvan_store::initiative::{GalleryQuery, InitiativeFilter, StepInput};

    let (snv, stc) = two_departments(&store).await;
    let id = store
        .register_initiative(
            &actor(),
            &registration(snv, "Một cửa thân thiện", Field::PoliticalSystem),
        )
        .await
        .unwrap();
    let step = |step, on, decision: Option<&str>| StepInput {
        step,
        happened_on: on,
        note: "Kết quả: 98 % hồ sơ đúng hạn".into(),
        decision: decision.map(str::to_owned),
    };
    // Nothing skips ahead, and a refused step writes nothing.
    assert!(matches!(
        store
            .advance_initiative(&actor(), id, &step(Step::FinalReview, date!(2022 - 03 - 01), None))
            .await,
        Err(StoreError::Conflict("stage"))
    ));
    assert_eq!(store.initiative(id).await.unwrap().unwrap().stage, Stage::Registered);
    // An original that is not recognised cannot be replicated.
    let mut copy = registration(stc, "Một cửa thân thiện (nhân rộng)", Field::PoliticalSystem);
    copy.replicated_from = Some(id);
    assert!(matches!(
        store.register_initiative(&actor(), &copy).await,
        Err(StoreError::Conflict("replicated_from"))
    ));
    for (s, on) in [
        (Step::Launch, date!(2022 - 03 - 01)),
        (Step::FollowUp, date!(2022 - 04 - 01)),
        (Step::InterimReview, date!(2022 - 06 - 30)),
        (Step::FinalReview, date!(2022 - 11 - 30)),
    ] {
        store
            .advance_initiative(&actor(), id, &step(s, on, None))
            .await
            .unwrap();
    }
    // A recognition needs its decision.
    assert!(matches!(
        store
            .advance_initiative(
                &actor(),
                id,
                &step(Step::Recognise(Level::Province), date!(2022 - 12 - 10), None)
            )
            .await,
        Err(StoreError::Conflict("decision"))
    ));
    let recognised = store
        .advance_initiative(
            &actor(),
            id,
            &step(
                Step::Recognise(Level::Province),
                date!(2022 - 12 - 10),
                Some("1890/QĐ-UBND"),
            ),
        )
        .await
        .unwrap();
    assert_eq!(recognised, Stage::Recognised);
    let record = store.initiative(id).await.unwrap().unwrap();
    let recognition = record.recognised.unwrap();
    assert_eq!(
        (recognition.level, recognition.on, recognition.decision.as_str()),
        (Level::Province, date!(2022 - 12 - 10), "1890/QĐ-UBND")
    );
    assert_eq!(
        record.details,
        registration(snv, "Một cửa thân thiện", Field::PoliticalSystem)
    );
    let history = store.initiative_events(id).await.unwrap();
    assert_eq!(
        history.iter().map(|e| e.step.as_str()).collect::<Vec<_>>(),
        [
            "register",
            "launch",
            "follow_up",
            "interim_review",
            "final_review",
            "recognise"
        ]
    );
    assert_eq!(history[3].note, "Kết quả: 98 % hồ sơ đúng hạn");
    assert_eq!(history[5].level, Some(Level::Province));
    // Recognised: it can be stopped no more, replicated now.
    assert!(matches!(
        store
            .advance_initiative(&actor(), id, &step(Step::Stop, date!(2022 - 12 - 11), None))
            .await,
        Err(StoreError::Conflict("stage"))
    ));
    let copy_id = store.register_initiative(&actor(), &copy).await.unwrap();
    let replications = store.replications_of(id).await.unwrap();
    assert_eq!(replications.iter().map(|r| r.id).collect::<Vec<_>>(), [copy_id]);
    assert_eq!(replications[0].replicated_from, Some(id));
    // Lists and figures.
    let of_stc = store
        .list_initiatives(&InitiativeFilter {
            unit_id: Some(stc),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(of_stc.iter().map(|i| i.id).collect::<Vec<_>>(), [copy_id]);
    assert_eq!(store.initiatives_recognised(snv, 2022).await.unwrap(), 1);
    assert_eq!(store.initiatives_recognised(snv, 2021).await.unwrap(), 0);
    assert_eq!(store.initiatives_recognised(stc, 2022).await.unwrap(), 0);
    let stats = store.initiative_stats().await.unwrap();
    let snv_stat = stats.iter().find(|s| s.unit_id == snv).unwrap();
    assert_eq!((snv_stat.year, snv_stat.registered, snv_stat.recognised), (2022, 1, 1));
    // The gallery shows recognised ones only, found without diacritics.
    let (total, found) = store
        .gallery(&GalleryQuery {
            text: "mot cua than thien".into(),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((total, found.iter().map(|i| i.id).collect::<Vec<_>>()), (1, vec![id]));
    // The agency's name is searchable; people's names are not, unless public.
    let by = |text: &str| GalleryQuery {
        text: text.into(),
        limit: 20,
        ..Default::default()
    };
    assert_eq!(store.gallery(&by("so noi vu")).await.unwrap().0, 1);
    assert_eq!(store.gallery(&by("Nguyễn Văn Hòa")).await.unwrap().0, 0);
    let filtered = |field, year| GalleryQuery {
        field: Some(field),
        year: Some(year),
        limit: 20,
        ..Default::default()
    };
    assert_eq!(
        store.gallery(&filtered(Field::PoliticalSystem, 2022)).await.unwrap().0,
        1
    );
    assert_eq!(store.gallery(&filtered(Field::Economy, 2022)).await.unwrap().0, 0);
    assert_eq!(
        store.gallery(&filtered(Field::PoliticalSystem, 2021)).await.unwrap().0,
        0
    );
    // Every change is in the audit log.
    let entries = store
        .audit_entries(&AuditFilter {
            object_type: Some("initiative".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1 + 5 + 1, "two registrations and five steps");
}

async fn initiative_files_are_kept_with_their_initiative(store: Store) {
    use danvan_domain::initiative::Field;
    use danvan_store::directive::Attachment;

    let (snv, _) = two_departments(&store).await;
    let id = store
        .register_initiative(
            &actor(),
            &registration(snv, "Dân vận khéo trong cải cách", Field::Economy),
        )
        .await
        .unwrap();
    let sha = store.put_file(b"\x89PNG\r\n\x1a\nphoto", "image/png").await.unwrap();
    let file = Attachment {
        file_sha256: sha,
        file_name: "anh-hoi-nghi.png".into(),
        content_type: "image/png".into(),
        size_bytes: 13,
    };
    assert_eq!(store.unit_upload_bytes(snv).await.unwrap(), 0);
    let file_id = store.add_initiative_file(&actor(), id, &file).await.unwrap();
    assert_eq!(store.unit_upload_bytes(snv).await.unwrap(), 13, "counted for the quota");
    assert_eq!(store.initiative_files(id).await.unwrap(), [(file_id, file.clone())]);
    assert_eq!(store.initiative_file(file_id).await.unwrap(), Some((id, file)));
    assert_eq!(store.initiative_file(file_id + 1).await.unwrap(), None);
}

async fn training_records_attendance_whole_and_measures_coverage(store: Store) {
    use danvan_domain::training::{Attendee, Category};
    use danvan_store::training::{Headcount, NewCourse, TrainingPlan};

    let (snv, stc) = two_departments(&store).await;
    let plan = TrainingPlan {
        unit_id: snv,
        year: 2022,
        content: "Bồi dưỡng kỹ năng dân vận cho công chức".into(),
        planned_courses: 2,
        planned_people: 80,
    };
    store.save_training_plan(&actor(), &plan).await.unwrap();
    let replaced = TrainingPlan {
        planned_courses: 3,
        ..plan.clone()
    };
    store.save_training_plan(&actor(), &replaced).await.unwrap();
    assert_eq!(store.training_plan(snv, 2022).await.unwrap(), Some(replaced));
    assert_eq!(store.training_plan(snv, 2021).await.unwrap(), None);
    let headcount = Headcount {
        unit_id: stc,
        year: 2022,
        can_bo: 2,
        cong_chuc: 5,
        vien_chuc: 1,
    };
    store.save_headcount(&actor(), &headcount).await.unwrap();
    assert_eq!(store.headcount(stc, 2022).await.unwrap(), Some(headcount));
    // A plan and a headcount saved together: a bad headcount leaves the plan as it was.
    let other_plan = TrainingPlan {
        unit_id: stc,
        ..plan.clone()
    };
    let bad = Headcount {
        can_bo: -1,
        ..headcount
    };
    assert!(matches!(
        store.save_training_year(&actor(), &other_plan, &bad).await,
        Err(StoreError::Conflict("headcount"))
    ));
    assert_eq!(store.training_plan(stc, 2022).await.unwrap(), None);
    store
        .save_training_year(&actor(), &other_plan, &headcount)
        .await
        .unwrap();
    assert_eq!(store.training_plan(stc, 2022).await.unwrap(), Some(other_plan));
    let course = NewCourse {
        unit_id: snv,
        title: "Tập huấn công tác dân vận chính quyền năm 2022".into(),
        topic: "Quy chế dân chủ ở cơ sở".into(),
        starts_on: date!(2022 - 08 - 15),
        ends_on: date!(2022 - 08 - 16),
        place: "Hội trường Sở Nội vụ".into(),
        organiser: "Sở Nội vụ".into(),
        trainers: "Ban Dân vận Tỉnh ủy".into(),
    };
    let course_id = store.add_course(&actor(), &course).await.unwrap();
    let bad = NewCourse {
        ends_on: date!(2022 - 08 - 14),
        ..course.clone()
    };
    assert!(matches!(
        store.add_course(&actor(), &bad).await,
        Err(StoreError::Conflict("ends_on"))
    ));
    let person = |name: &str, unit_id| Attendee {
        name: name.into(),
        position: "Chuyên viên".into(),
        unit_id,
        category: Category::CongChuc,
    };
    // 250 rows go in in batches; one official listed twice is counted once.
    let mut rows: Vec<Attendee> = (0..248).map(|i| person(&format!("Công chức {i}"), snv)).collect();
    rows.push(person("Lê Thị Hoa", stc));
    rows.push(person("LÊ THỊ HOA", stc));
    assert_eq!(
        store
            .add_attendance(&actor(), course_id, &rows, "nhập tay")
            .await
            .unwrap(),
        250
    );
    assert_eq!(store.attendance_of(course_id).await.unwrap(), rows);
    // A person's own rows, by name, marks and case ignored; "Công chức 1" is not "Công chức 10".
    let hoa = store.attendance_named("le thi hoa").await.unwrap();
    assert_eq!(hoa.len(), 2);
    assert_eq!((hoa[0].course_id, hoa[0].unit_id), (course_id, stc));
    assert_eq!(store.attendance_named("CÔNG CHỨC 1").await.unwrap().len(), 1);
    assert!(store.attendance_named("  ").await.unwrap().is_empty());
    assert!(matches!(
        store.add_attendance(&actor(), course_id + 99, &rows, "nhập tay").await,
        Err(StoreError::NotFound)
    ));
    let listed = store.courses(None, 2022).await.unwrap();
    assert_eq!((listed.len(), listed[0].attendees), (1, 250));
    assert!(store.courses(Some(stc), 2022).await.unwrap().is_empty());
    assert!(store.courses(None, 2021).await.unwrap().is_empty());
    let coverage = store.coverage(2022).await.unwrap();
    let of = |unit| coverage.iter().find(|c| c.unit_id == unit).unwrap().coverage;
    assert_eq!((of(snv).trained, of(snv).headcount), (248, None));
    assert_eq!((of(stc).trained, of(stc).headcount), (1, Some(8)));
    assert_eq!(
        store.trained_by_category(snv, 2022).await.unwrap(),
        [(Category::CanBo, 0), (Category::CongChuc, 248), (Category::VienChuc, 0)]
    );
    assert_eq!(
        store.trained_by_category(stc, 2022).await.unwrap()[1],
        (Category::CongChuc, 1)
    );
    assert_eq!(
        store.training_courses_for(stc, 2022).await.unwrap(),
        1,
        "sent an official"
    );
    assert_eq!(store.training_courses_for(snv, 2022).await.unwrap(), 1, "organised it");
    assert_eq!(store.training_courses_for(snv, 2021).await.unwrap(), 0);
    let audited = store
        .audit_entries(&AuditFilter {
            object_type: Some("training_course".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 2, "the course and one record for the whole list");
}

const HALF_YEAR_KIND: &str = include_str!("../../../reports/bao-cao-dan-van-6-thang.toml");

async fn report_rounds_run_from_drafts_to_accepted_filings(store: Store) {
    use danvan_domain::report::{Period, PeriodType};
    use danvan_store::directive::Attachment;
    use danvan_store::report::{Figure, FilingContent, FilingState, RoundState};
    use std::collections::BTreeMap;

    let (snv, stc) = two_departments(&store).await;
    let kind = danvan_domain::report::parse(HALF_YEAR_KIND).unwrap();
    let kind_id = store.save_report_kind(&actor(), &kind, HALF_YEAR_KIND).await.unwrap();
    assert!(matches!(
        store.save_report_kind(&actor(), &kind, HALF_YEAR_KIND).await,
        Err(StoreError::Conflict("code"))
    ));
    let stored = store.report_kind(kind_id).await.unwrap().unwrap();
    assert_eq!((stored.kind().unwrap(), stored.period), (kind, PeriodType::HalfYear));
    let period = Period::new(PeriodType::HalfYear, 2022, 1).unwrap();
    let round_id = store
        .open_round(&actor(), kind_id, period, date!(2022 - 06 - 21), &[snv, stc])
        .await
        .unwrap();
    assert!(matches!(
        store
            .open_round(&actor(), kind_id, period, date!(2022 - 06 - 21), &[snv])
            .await,
        Err(StoreError::Conflict("period"))
    ));
    let round = store.round(round_id).await.unwrap().unwrap();
    assert_eq!(
        (round.window, round.deadline, round.state),
        (
            (date!(2021 - 12 - 15), date!(2022 - 06 - 14)),
            date!(2022 - 06 - 21),
            RoundState::Open
        )
    );
    let filings = store.filings(round_id).await.unwrap();
    assert_eq!(filings.iter().map(|f| f.unit_id).collect::<Vec<_>>(), [snv, stc]);
    assert!(filings.iter().all(|f| f.state == FilingState::Draft));
    let id = filings[0].id;
    let content = FilingContent {
        sections: BTreeMap::from([("I".to_owned(), "Đã ban hành kế hoạch số 12/KH-SNV.".to_owned())]),
        figures: BTreeMap::from([(
            "tasks_due".to_owned(),
            Figure {
                value: "5".into(),
                prefilled: Some("4".into()),
                note: "Thêm một nhiệm vụ giao bằng văn bản giấy.".into(),
            },
        )]),
        warnings_note: String::new(),
    };
    assert_eq!(
        store.save_filing(&actor(), id, &content, None).await.unwrap(),
        FilingState::Draft
    );
    // Submitted late, returned, resubmitted: timeliness stays with the first submission.
    let submitted = store
        .save_filing(&actor(), id, &content, Some(date!(2022 - 06 - 23)))
        .await
        .unwrap();
    assert_eq!(submitted, FilingState::Submitted);
    assert!(matches!(
        store.save_filing(&actor(), id, &content, None).await,
        Err(StoreError::Conflict("state"))
    ));
    store
        .review_filing(&actor(), id, false, "Bổ sung số liệu tiếp công dân.")
        .await
        .unwrap();
    store
        .save_filing(&actor(), id, &content, Some(date!(2022 - 06 - 27)))
        .await
        .unwrap();
    store.review_filing(&actor(), id, true, "").await.unwrap();
    let filing = store.filing(id).await.unwrap().unwrap();
    assert_eq!(
        (filing.state, filing.first_submitted_on, filing.submitted_on),
        (
            FilingState::Accepted,
            Some(date!(2022 - 06 - 23)),
            Some(date!(2022 - 06 - 27))
        )
    );
    assert_eq!(
        (&filing.sections, &filing.figures),
        (&content.sections, &content.figures)
    );
    assert!(filing.figures["tasks_due"].changed());
    assert!(matches!(
        store.review_filing(&actor(), id, true, "").await,
        Err(StoreError::Conflict("state"))
    ));
    // Files, the compiled text, and a closed round refusing changes.
    let sha = store.put_file(b"%PDF-1.4 bao cao", "application/pdf").await.unwrap();
    let file = Attachment {
        file_sha256: sha,
        file_name: "bao-cao.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: 16,
    };
    let file_id = store.add_filing_file(&actor(), id, &file).await.unwrap();
    assert_eq!(store.filing_files(id).await.unwrap(), [(file_id, file.clone())]);
    assert_eq!(store.filing_file(file_id).await.unwrap(), Some((id, file)));
    let text = BTreeMap::from([("I".to_owned(), "Các cơ quan đã ban hành kế hoạch.".to_owned())]);
    store.save_compilation(&actor(), round_id, &text).await.unwrap();
    assert_eq!(store.compilation(round_id).await.unwrap(), Some(text));
    // Sở Nội vụ first sent on 23/06, after the 21/06 deadline; Sở Tài chính never did.
    assert_eq!(store.round_counts(round_id).await.unwrap(), (2, 0, 1));
    store.close_round(&actor(), round_id).await.unwrap();
    assert!(matches!(
        store.save_filing(&actor(), filings[1].id, &content, None).await,
        Err(StoreError::Conflict("state"))
    ));
    assert_eq!(store.filings_of(stc).await.unwrap().len(), 1);
    assert_eq!(store.rounds().await.unwrap().len(), 1);
}

async fn window_counts_feed_report_prefills(store: Store) {
    use danvan_domain::initiative::Field;

    let (snv, _) = two_departments(&store).await;
    store
        .register_initiative(
            &actor(),
            &registration(snv, "Một cửa thân thiện", Field::PoliticalSystem),
        )
        .await
        .unwrap();
    // Registered 15/02/2022 (see `registration`).
    assert_eq!(
        store
            .initiative_counts(snv, date!(2021 - 12 - 15), date!(2022 - 06 - 14))
            .await
            .unwrap(),
        (1, 0)
    );
    assert_eq!(
        store
            .initiative_counts(snv, date!(2022 - 06 - 15), date!(2022 - 12 - 14))
            .await
            .unwrap(),
        (0, 0)
    );
    let by_field = store
        .initiatives_by_field(date!(2022 - 01 - 01), date!(2022 - 12 - 31))
        .await
        .unwrap();
    assert_eq!(by_field.len(), 4);
    assert_eq!(by_field[3], (Field::PoliticalSystem, 1, 0));
    assert_eq!(by_field[0], (Field::Economy, 0, 0));
    assert_eq!(
        store
            .training_counts(snv, date!(2021 - 12 - 15), date!(2022 - 12 - 14))
            .await
            .unwrap(),
        (0, 0)
    );
    assert_eq!(
        store
            .dissemination_count(snv, date!(2021 - 12 - 15), date!(2022 - 12 - 14))
            .await
            .unwrap(),
        0
    );
}

async fn accounts_unused_for_45_days_are_disabled(store: Store) {
    use danvan_store::account::INACTIVE_SECONDS;

    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let day = 86_400;
    let ids = [
        account(&store, "taikhoancu", Role::Officer, None).await,
        account(&store, "taikhoanmoi", Role::Officer, None).await,
        account(&store, "chuadung", Role::Officer, None).await,
        account(&store, "dakhoa", Role::Officer, None).await,
        account(&store, "vuamo", Role::Officer, None).await,
    ];
    // Last signed in 50 days ago; 10 days ago; never, created 46 days ago; already disabled;
    // never signed in but re-enabled by an admin 2 days ago.
    for (id, last_login, updated, disabled) in [
        (ids[0], Some(now - 50 * day), now - 60 * day, false),
        (ids[1], Some(now - 10 * day), now - 60 * day, false),
        (ids[2], None, now - 46 * day, false),
        (ids[3], Some(now - 90 * day), now - 90 * day, true),
        (ids[4], None, now - 2 * day, false),
    ] {
        let login = last_login.map(|t| t.to_string()).unwrap_or_else(|| "null".into());
        store
            .execute_raw_for_tests(&format!(
                "update account set last_login_at = {login}, updated_at = {updated}, disabled = {disabled} \
                 where account_id = {id}"
            ))
            .await
            .unwrap();
    }
    store.create_session(&session("a", ids[0], now)).await.unwrap();
    let found = store.inactive_accounts(now - INACTIVE_SECONDS).await.unwrap();
    assert_eq!(
        found,
        [(ids[0], "taikhoancu".to_owned()), (ids[2], "chuadung".to_owned())]
    );
    let disabled = store
        .disable_inactive_accounts(&actor(), now - INACTIVE_SECONDS)
        .await
        .unwrap();
    assert_eq!(disabled, ["taikhoancu", "chuadung"]);
    assert!(store.account_by_username("taikhoancu").await.unwrap().unwrap().disabled);
    assert!(
        !store
            .account_by_username("taikhoanmoi")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    assert!(store.session("a").await.unwrap().is_none(), "its sessions end");
    let audited = store
        .audit_entries(&AuditFilter {
            action: Some("disable_inactive".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 2);
    assert!(
        store
            .disable_inactive_accounts(&actor(), now - INACTIVE_SECONDS)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn stored_bytes_no_record_refers_to_are_swept_after_their_grace(store: Store) {
    // A document's file stays; a preview's file nobody saved goes, after its grace.
    let kept = store.put_file(b"van ban da luu", "text/plain").await.unwrap();
    let mut doc = dispatch("15", "UBND-VX", date!(2022 - 05 - 02), "kế hoạch", vec![]);
    doc.file = Some((kept.clone(), "15.txt".into()));
    store.save_document(&actor(), &doc).await.unwrap();
    let orphan = store.put_file(b"ban xem truoc bo do", "text/plain").await.unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(
        store.orphaned_files(now - 86_400).await.unwrap(),
        (0, 0),
        "within its grace"
    );
    assert_eq!(store.orphaned_files(now + 10).await.unwrap(), (1, 19));
    assert_eq!(store.delete_orphaned_files(&actor(), now - 86_400).await.unwrap(), 0);
    assert_eq!(store.delete_orphaned_files(&actor(), now + 10).await.unwrap(), 1);
    assert!(store.file(&orphan).await.unwrap().is_none());
    assert!(store.file(&kept).await.unwrap().is_some());
    let audit = store
        .audit_entries(&AuditFilter {
            action: Some("delete_orphaned_files".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

async fn acknowledged_writes_are_synced_to_disk(store: Store) {
    // SQLite in WAL mode with `synchronous = full` syncs the log at every commit; PostgreSQL's
    // default (`synchronous_commit = on`) does the same.
    match store.backend() {
        Backend::Sqlite => assert_eq!(store.sqlite_synchronous().await.unwrap(), Some(2)),
        Backend::Postgres => assert_eq!(store.sqlite_synchronous().await.unwrap(), None),
    }
}

async fn table_digests_tell_equal_databases_and_sqlite_copies_online(store: Store) {
    let (snv, _) = two_departments(&store).await;
    account(&store, "sonoivu", Role::Monitor, Some(snv)).await;
    let before = store.table_digests().await.unwrap();
    assert!(before["unit"].rows >= 3 && before.contains_key("audit_log") && before.contains_key("stored_file"));
    assert!(!before.keys().any(|t| t.contains("_fts")));
    assert_eq!(store.table_digests().await.unwrap(), before, "stable");
    let copy = std::env::temp_dir().join(format!("danvan-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&copy);
    match store.backend() {
        Backend::Sqlite => {
            store.backup_sqlite(&copy).await.unwrap();
            assert!(matches!(
                store.backup_sqlite(&copy).await,
                Err(StoreError::Conflict("file"))
            ));
            let restored = Store::connect(&format!("sqlite://{}", copy.display()), 1)
                .await
                .unwrap();
            assert_eq!(restored.table_digests().await.unwrap(), before);
            restored.close().await;
            std::fs::remove_file(&copy).unwrap();
        }
        Backend::Postgres => {
            assert!(matches!(
                store.backup_sqlite(&copy).await,
                Err(StoreError::Conflict("backend"))
            ));
        }
    }
    store.set_meta("changed", "yes").await.unwrap();
    let after = store.table_digests().await.unwrap();
    let changed: Vec<&String> = after.keys().filter(|t| after[*t] != before[*t]).collect();
    assert_eq!(changed, ["install_meta"], "only the changed table differs");
}

async fn reads_of_personal_data_are_logged_without_values(store: Store) {
    store
        .record_personal_read(&actor(), "training_course", 7)
        .await
        .unwrap();
    let entries = store
        .audit_entries(&AuditFilter {
            object_type: Some("personal_data".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0].action.as_str(),
            entries[0].object_id.as_str(),
            entries[0].after.as_deref()
        ),
        ("read", "training_course/7", None)
    );
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

async fn a_second_factor_is_set_audited_and_its_codes_used_once(store: Store) {
    let id = account(&store, "quantri", Role::Admin, None).await;
    let stored = |store: &Store| {
        let store = store.clone();
        async move { store.account_by_username("quantri").await.unwrap().unwrap() }
    };
    assert_eq!(stored(&store).await.totp_secret, None);
    store
        .set_totp(&actor(), id, Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        .await
        .unwrap();
    assert_eq!(
        stored(&store).await.totp_secret.as_deref(),
        Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    );
    assert!(store.use_totp_step(id, 100).await.unwrap());
    assert!(!store.use_totp_step(id, 100).await.unwrap(), "the same step twice");
    assert!(!store.use_totp_step(id, 99).await.unwrap(), "an earlier step");
    assert!(store.use_totp_step(id, 101).await.unwrap());
    assert_eq!(stored(&store).await.totp_last_step, Some(101));
    store.set_totp(&actor(), id, None).await.unwrap();
    let off = stored(&store).await;
    assert_eq!((off.totp_secret, off.totp_last_step), (None, None));
    let entries = store
        .audit_entries(&AuditFilter {
            object_type: Some("account".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"totp_on") && actions.contains(&"totp_off"));
    assert!(
        entries
            .iter()
            .all(|e| !e.after.as_deref().unwrap_or("").contains("GEZD"))
    );
    assert!(matches!(
        store.set_totp(&actor(), 9999, None).await,
        Err(StoreError::NotFound)
    ));
}
