//! Integration tests: the real router, in-process, on a fresh database per test, on SQLite and
//! on PostgreSQL.

#[macro_use]
mod support;

use axum::http::StatusCode;
use danvan_domain::Role;
use danvan_store::AuditFilter;
use danvan_store::audit::ChainCheck;
use danvan_store::test_support::RawSql;
use danvan_store::test_support::official_state;
use danvan_web::routes::{Access, ROUTES};
use support::{Fixture, PASSWORD, TestApp, input_value, textarea_value};

on_both_backends!(
    kept_pages_follow_every_change_made_on_any_server,
    pages_offer_a_skip_link_and_the_sites_own_icon,
    an_admin_manages_accounts_in_the_admin_pages,
    a_directive_is_changed_after_issuing_and_refused_changes_leave_everything_as_it_was,
    typed_text_posted_after_the_session_ended_is_kept_and_given_back_to_its_author,
    uploads_that_would_run_or_hide_something_are_refused_by_their_content,
    after_sign_in_only_this_sites_paths_are_followed,
    each_role_sees_what_waits_for_it_counted_and_listed,
    agencies_record_dissemination_and_the_monitor_sees_who_has_not,
    a_report_round_runs_from_prefilled_filings_to_the_compiled_report,
    dashboards_chart_each_figure_beside_its_table_for_the_chosen_period,
    an_admin_adds_a_report_kind_from_its_file_checked_line_by_line,
    the_department_builds_a_report_kind_in_the_browser_and_exports_it,
    a_user_lists_and_ends_their_other_sessions,
    uploads_past_an_agency_quota_are_refused_and_nothing_is_stored,
    a_bulk_export_asks_for_the_password_when_the_sign_in_is_not_recent,
    a_second_factor_is_enrolled_then_asked_at_login_and_required_of_admins,
    admins_see_the_security_self_check_and_the_personal_data_register,
    an_initiative_is_registered_carried_through_its_lifecycle_and_replicated,
    the_public_gallery_needs_no_login_and_hides_names_not_marked_public,
    attendance_imports_whole_or_reports_every_bad_row_and_coverage_follows,
    an_agency_assigns_its_leader_and_the_monitor_sees_who_has_none,
    an_evaluation_cycle_goes_from_self_scoring_to_published_results,
    an_admin_uploads_a_rubric_previews_it_and_saves_an_immutable_version,
    a_broken_rubric_file_is_refused_with_its_lines,
    the_department_builds_a_rubric_in_the_browser_tries_it_saves_and_exports_it,
    a_draft_rubric_with_every_mechanism_is_previewed_saved_again_then_issued,
    healthz_answers_ok_while_the_database_answers_and_503_after,
    every_route_answers_every_role_as_the_authorization_table_says,
    paths_outside_the_table_are_not_found,
    a_wrong_password_is_refused_and_five_in_a_row_lock_the_account,
    login_makes_a_new_session_and_logout_destroys_it_on_the_server,
    state_changing_forms_without_the_csrf_token_are_refused,
    every_response_carries_the_security_headers,
    error_pages_are_vietnamese_and_show_the_request_id,
    a_unit_created_through_the_form_appears_in_the_tree_and_the_audit_log,
    an_invalid_unit_form_shows_every_error_and_stores_nothing,
    a_duplicate_code_becomes_a_form_error,
    closing_a_unit_links_its_successor_and_keeps_its_history_readable,
    the_tree_lists_agencies_in_vietnamese_order,
    the_audit_page_reads_as_sentences_and_filters_by_person_agency_kind_and_period,
    an_idle_session_expires,
    a_first_password_must_be_changed_before_anything_else,
    names_are_escaped_in_pages,
    malformed_ids_and_queries_never_cause_a_server_error,
    the_demo_date_is_shown_in_the_header,
    an_uploaded_document_is_reviewed_then_saved_with_its_file_and_citations,
    uploads_are_checked_for_type_and_csrf,
    the_library_is_searched_without_diacritics_and_shows_snippets,
    addressees_resolve_by_rule_and_by_remembered_mapping,
    a_directive_from_the_seed_assigns_its_tasks_with_the_monitor_from_the_text,
    an_agency_reports_with_attachments_and_the_monitor_accepts,
    officers_see_and_change_only_their_own_assignments,
    the_board_counts_and_exports_to_excel,
    admins_adjust_the_working_day_calendar,
    reminders_are_created_once_a_day_and_mailed_through_smtp,
);

async fn healthz_answers_ok_while_the_database_answers_and_503_after(app: TestApp) {
    let response = app.anonymous().get("/healthz").await;
    assert_eq!((response.status, response.body.as_str()), (StatusCode::OK, "ok"));
    app.store.close().await;
    let response = app.anonymous().get("/healthz").await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// Walks every route in the table with every role and no login, and checks each answer against
/// the route's rule. The router is built from the same table, so a route cannot escape the walk.
async fn every_route_answers_every_role_as_the_authorization_table_says(app: TestApp) {
    let roles = [
        None,
        Some(Role::Admin),
        Some(Role::Monitor),
        Some(Role::Leader),
        Some(Role::Officer),
        Some(Role::Appraiser),
    ];
    let mut failures = Vec::new();
    for spec in ROUTES {
        let path = spec.path.replace("{id}", &app.fixture.unit_a.to_string());
        for role in roles {
            let client = match role {
                Some(role) => app.login_as(role).await,
                None => app.anonymous(),
            };
            let response = match spec.method {
                "GET" => client.get(&path).await,
                "POST" => {
                    // The sign-in forms are the anonymous POSTs: they need the form's cookie.
                    let client = if role.is_none() && matches!(spec.path, "/login" | "/auth/oidc/totp") {
                        client.with_login_form().await
                    } else {
                        client
                    };
                    client.post(&path, &[]).await
                }
                other => panic!("method {other} not covered by the walk"),
            };
            let location = response.location();
            // Sent to the login page because the request was not signed in (logging out also
            // ends at the login page, with a marker).
            let sent_to_login = location.starts_with("/login") && !location.contains("logged_out");
            let outcome = match (role, spec.access) {
                // A public page of one record answers "not found" for an id it does not show.
                (_, Access::Public) => {
                    response.status.is_success()
                        || response.status.is_redirection()
                        || response.status == StatusCode::UNAUTHORIZED
                        || (spec.path.contains("{id}") && response.status == StatusCode::NOT_FOUND)
                }
                // Reached by address, never by a role: these requests come from no connection.
                (_, Access::Peers) => response.status == StatusCode::FORBIDDEN,
                // The API reads bearer tokens only: a session's cookie is no sign-in there.
                (_, _) if danvan_web::api::is_api(spec.path) => response.status == StatusCode::UNAUTHORIZED,
                (None, _) => {
                    response.status == StatusCode::SEE_OTHER
                        && location.starts_with("/login")
                        && !location.contains("logged_out")
                }
                (Some(role), access) if access.allows(role) => {
                    response.status != StatusCode::FORBIDDEN && !response.status.is_server_error() && !sent_to_login
                }
                (Some(_), _) => response.status == StatusCode::FORBIDDEN,
            };
            if !outcome {
                failures.push(format!(
                    "{} {} as {:?}: {} {}",
                    spec.method, spec.path, role, response.status, location
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "answers that break the table:\n{}",
        failures.join("\n")
    );
}

async fn paths_outside_the_table_are_not_found(app: TestApp) {
    for client in [app.anonymous(), app.login_as(Role::Admin).await] {
        assert_eq!(client.get("/no-such-page").await.status, StatusCode::NOT_FOUND);
        assert_eq!(client.get("/units/1/delete").await.status, StatusCode::NOT_FOUND);
    }
}

async fn a_wrong_password_is_refused_and_five_in_a_row_lock_the_account(app: TestApp) {
    for attempt in 1..=5 {
        let response = app.anonymous().login("lanhdao", "wrong password").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        let expected = if attempt < 5 {
            "Tên đăng nhập hoặc mật khẩu không đúng"
        } else {
            "tạm bị khóa"
        };
        assert!(response.body.contains(expected), "attempt {attempt}: {}", response.body);
    }
    // Locked: even the right password is refused until the cool-down passes or an admin unlocks.
    let response = app.anonymous().login("lanhdao", PASSWORD).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    let events = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("account_locked".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    // An unknown name gets the same answers as an account, lock included: nothing tells which
    // names exist.
    for attempt in 1..=6 {
        let response = app.anonymous().login("khongtontai", "anything at all").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        let expected = if attempt < 5 {
            "Tên đăng nhập hoặc mật khẩu không đúng"
        } else {
            "tạm bị khóa"
        };
        assert!(response.body.contains(expected), "attempt {attempt}: {}", response.body);
    }
}

async fn uploads_that_would_run_or_hide_something_are_refused_by_their_content(app: TestApp) {
    let id = recognised_initiative(&app, app.fixture.unit_a, "Một cửa thân thiện", 2022).await;
    let officer = app.login_as(Role::Officer).await;
    let files = format!("/initiatives/{id}/files");
    let html_behind_png = [WHOLE_PNG, b"<html><script>alert(1)</script></html>"].concat();
    let before = official_state(&app.store).await;
    for (name, bytes, reason) in [
        ("anh.png", html_behind_png, "Tệp ảnh không hợp lệ"),
        (
            "bien-ban.pdf",
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> >> endobj".to_vec(),
            "nội dung tự chạy",
        ),
    ] {
        let refused = officer
            .post_multipart(&files, true, &[("file", Some(name), &bytes)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(refused.body.contains(reason), "{name}: {}", refused.body);
    }
    assert_eq!(official_state(&app.store).await, before, "nothing stored");
}

async fn after_sign_in_only_this_sites_paths_are_followed(app: TestApp) {
    let username = app.fixture.username(Role::Monitor).to_owned();
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\u{0}/x",
        "/\u{7f}/x",
        "/\u{b}/x",
        "/\\evil.example",
        "\\\\evil.example",
        "//evil.example",
        "https://evil.example",
    ] {
        let client = app.anonymous().with_login_form().await;
        let response = client
            .post(
                "/login",
                &[("username", username.as_str()), ("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{next:?}: {}", response.body);
        assert_eq!(response.header("location"), "/", "{next:?}");
        assert!(
            !response.set_cookies().is_empty(),
            "{next:?}: the session cookie is set"
        );
    }
    let client = app.anonymous().with_login_form().await;
    let response = client
        .post(
            "/login",
            &[
                ("username", username.as_str()),
                ("password", PASSWORD),
                ("next", "/units?date=15/12/2022"),
            ],
        )
        .await;
    assert_eq!(response.header("location"), "/units?date=15/12/2022");
}

async fn login_makes_a_new_session_and_logout_destroys_it_on_the_server(app: TestApp) {
    let first = app.login_as(Role::Monitor).await;
    let second = app.login_as(Role::Monitor).await;
    assert_ne!(first.session_token(), second.session_token());
    assert_eq!(
        app.store
            .sessions_of(app.fixture.account(Role::Monitor))
            .await
            .unwrap()
            .len(),
        2
    );
    let response = first.post("/logout", &[]).await;
    assert_eq!(
        (response.status, response.location().as_str()),
        (StatusCode::SEE_OTHER, "/login?logged_out=1")
    );
    assert!(
        response
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("danvan_session=;") && c.contains("Max-Age=0"))
    );
    assert_eq!(
        app.store
            .sessions_of(app.fixture.account(Role::Monitor))
            .await
            .unwrap()
            .len(),
        1
    );
    // The old cookie no longer works.
    let response = first.get("/").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(second.get("/").await.status, StatusCode::OK);
}

async fn state_changing_forms_without_the_csrf_token_are_refused(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let form = [
        ("code", "SXD2"),
        ("name", "Sở mới"),
        ("kind", "department"),
        ("valid_from", "01/01/2022"),
    ];
    let response = admin.post_without_csrf("/units", &form).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body.contains("Biểu mẫu đã hết hạn"));
    let response = admin.post_with_csrf("/units", "wrong-token", &form).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(app.store.unit_by_code("SXD2").await.unwrap().is_none());
    // The login form without its cookie is refused too.
    let response = app
        .anonymous()
        .post_without_csrf("/login", &[("username", "admin"), ("password", PASSWORD)])
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    for response in [
        app.anonymous().get("/login").await,
        admin.get("/units").await,
        admin.get("/missing").await,
    ] {
        let csp = response.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert_eq!(response.header("x-content-type-options"), "nosniff");
        assert_eq!(response.header("referrer-policy"), "same-origin");
        assert_eq!(response.header("cache-control"), "no-store");
        assert_eq!(response.header("x-request-id").len(), 16);
    }
    let login = app.anonymous().get("/login").await;
    let cookie = login
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("danvan_login="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
}

async fn error_pages_are_vietnamese_and_show_the_request_id(app: TestApp) {
    let officer = app.login_as(Role::Officer).await;
    let response = officer.get("/units/new").await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body.contains("Bạn không có quyền thực hiện thao tác này."));
    assert!(response.body.contains(&response.header("x-request-id")));
    assert!(response.body.contains("<html lang=\"vi\">"));
    let response = officer.get("/units/987654").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.body.contains("Không tìm thấy"));
}

async fn a_unit_created_through_the_form_appears_in_the_tree_and_the_audit_log(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    let province = app.fixture.province.to_string();
    let group = app.fixture.group.to_string();
    let response = monitor
        .post(
            "/units",
            &[
                ("code", "stp"),
                ("name", "Sở  Tư pháp"),
                ("short_name", ""),
                ("kind", "department"),
                ("parent_id", &province),
                ("group_id", &group),
                ("valid_from", "01/01/2004"),
                ("valid_to", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let unit = app.store.unit_by_code("STP").await.unwrap().expect("unit stored");
    assert_eq!(response.location(), format!("/units/{}", unit.id));
    assert_eq!(unit.name, "Sở Tư pháp");
    let page = monitor.get(&response.location()).await;
    assert!(page.body.contains("Sở Tư pháp") && page.body.contains("Tạo mới"));
    // The page the user lands on after a change confirms it, once.
    let confirmed = monitor.with_cookies_from(&response);
    let landed = confirmed.get(&response.location()).await;
    assert!(landed.body.contains("Đã lưu thành công."), "{}", landed.body);
    let after = confirmed.with_cookies_from(&landed).get("/units").await;
    assert!(!after.body.contains("Đã lưu thành công."));
    assert!(
        !page.body.contains("Đã lưu thành công."),
        "only with the marker of the change"
    );
    let tree = monitor.get("/units").await;
    assert!(tree.body.contains("Sở Tư pháp"));
    let entry = &app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("unit".into()),
            object_id: Some(unit.id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap()[0];
    assert_eq!((entry.actor.as_str(), entry.action.as_str()), ("sonoivu", "create"));
    assert!(matches!(
        app.store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}

async fn an_invalid_unit_form_shows_every_error_and_stores_nothing(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let before = app.store.list_units().await.unwrap().len();
    let response = admin
        .post(
            "/units",
            &[
                ("code", "x"),
                ("name", ""),
                ("kind", "planet"),
                ("parent_id", "abc"),
                ("valid_from", "31/02/2022"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Tên đơn vị không được để trống",
        "Mã đơn vị gồm",
        "Loại đơn vị không hợp lệ",
        "Ngày không hợp lệ",
        "Đơn vị cấp trên không hợp lệ",
    ] {
        assert!(response.body.contains(message), "missing {message:?}");
    }
    // What was typed is shown again.
    assert!(response.body.contains("value=\"31/02/2022\""));
    assert_eq!(app.store.list_units().await.unwrap().len(), before);
}

async fn a_duplicate_code_becomes_a_form_error(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let response = admin
        .post(
            "/units",
            &[
                ("code", "SA"),
                ("name", "Trùng mã"),
                ("kind", "department"),
                ("valid_from", "01/01/2022"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("Mã đơn vị này đã được dùng"));
}

async fn closing_a_unit_links_its_successor_and_keeps_its_history_readable(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    let a = app.fixture.unit_a;
    let b = app.fixture.unit_b.to_string();
    let response = monitor
        .post(
            &format!("/units/{a}/close"),
            &[("closed_on", "28/02/2025"), ("kind", "merger"), ("successor", &b)],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let page = monitor.get(&format!("/units/{a}")).await;
    assert!(page.body.contains("Đơn vị kế thừa") && page.body.contains("Sở B") && page.body.contains("01/03/2025"));
    let successor = monitor.get(&format!("/units/{b}")).await;
    assert!(successor.body.contains("Kế thừa từ") && successor.body.contains("Sở A"));
    assert!(monitor.get("/units?date=15/12/2022").await.body.contains("Sở A"));
    assert!(!monitor.get("/units?date=01/03/2025").await.body.contains("Sở A"));
    // Closing again is refused with a message, not an error page.
    let again = monitor
        .post(
            &format!("/units/{a}/close"),
            &[("closed_on", "01/03/2025"), ("kind", "merger"), ("successor", &b)],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("đã kết thúc hoạt động"));
    let none = monitor
        .post(
            &format!("/units/{b}/close"),
            &[("closed_on", "01/03/2025"), ("kind", "merger")],
        )
        .await;
    assert!(none.body.contains("Chọn ít nhất một đơn vị kế thừa"));
}

async fn the_tree_lists_agencies_in_vietnamese_order(app: TestApp) {
    for (code, name) in [
        ("GN", "UBND thành phố Gia Nghĩa"),
        ("DM", "UBND huyện Đắk Mil"),
        ("CJ", "UBND huyện Cư Jút"),
    ] {
        app.add_district(code, name).await;
    }
    let body = app.login_as(Role::Leader).await.get("/units").await.body;
    let position = |name: &str| body.find(name).unwrap_or_else(|| panic!("{name} not listed"));
    assert!(position("UBND huyện Cư Jút") < position("UBND huyện Đắk Mil"));
    assert!(position("UBND huyện Đắk Mil") < position("UBND thành phố Gia Nghĩa"));
}

async fn the_audit_page_reads_as_sentences_and_filters_by_person_agency_kind_and_period(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    app.login_as(Role::Officer).await;
    let all = admin.get("/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    // Records as sentences, in Vietnamese: the fixture's units made by the system, sign-ins.
    assert!(all.body.contains("Hệ thống tạo đơn vị Sở A"), "{}", all.body);
    assert!(all.body.contains("Người thử admin (admin)") && all.body.contains("đăng nhập"));
    assert!(!all.body.contains(">create<") && !all.body.contains(">login<"));
    // Created records show their fields, in words.
    assert!(
        all.body.contains("<th scope=\"row\">Tên</th><td></td><td>Sở A</td>"),
        "{}",
        all.body
    );
    // By person and kind: the admin's sign-in, nobody else's, nothing else.
    let admin_id = app.fixture.account(Role::Admin);
    let mine = admin.get(&format!("/audit?person={admin_id}&kind=account.login")).await;
    // The rows only, not the filters' lists of people and kinds.
    let rows = |body: &str| {
        body.split("<table class=\"audit\">")
            .nth(1)
            .unwrap_or_default()
            .to_owned()
    };
    assert!(rows(&mine.body).contains("Người thử admin đăng nhập"), "{}", mine.body);
    assert!(!rows(&mine.body).contains("canboa") && !rows(&mine.body).contains("tạo đơn vị"));
    // By agency: the officer of Sở A signed in; the admin belongs to no agency.
    let unit_a = app.fixture.unit_a;
    let agency = admin.get(&format!("/audit?unit={unit_a}")).await;
    assert!(rows(&agency.body).contains("Sở A đăng nhập"), "{}", agency.body);
    assert!(!rows(&agency.body).contains("Người thử admin"));
    // By period: nothing was done in 2022.
    let old = admin.get("/audit?from=01/01/2022&to=31/12/2022").await;
    assert!(old.body.contains("Không có bản ghi nào."));
    let bad = admin.get("/audit?from=99/99/2022").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("Ngày lọc không hợp lệ"));
    // The raw record, one click away.
    let first = app
        .store
        .audit_entries(&AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let created = first
        .iter()
        .rev()
        .find(|e| e.action == "create" && e.object_type == "unit")
        .unwrap();
    assert!(first.len() < 100, "the fixture's records fit on the first page");
    assert!(all.body.contains(&format!("href=\"/audit/{}\"", created.id)));
    let raw = admin.get(&format!("/audit/{}", created.id)).await;
    assert_eq!(raw.status, StatusCode::OK);
    assert!(raw.body.contains("<code>create</code>") && raw.body.contains("<code>unit</code>"));
    assert!(
        support::unescape(&raw.body).contains("\"name\": \"UBND tỉnh Đắk Nông\""),
        "{}",
        raw.body
    );
    assert_eq!(admin.get("/audit/999999").await.status, StatusCode::NOT_FOUND);
    // The export holds the same sentences, and is itself recorded.
    let export = admin.get(&format!("/audit/export?unit={unit_a}")).await;
    assert_eq!(export.status, StatusCode::OK);
    let sheet = danvan_web::spreadsheet::read_rows(&export.bytes).unwrap();
    assert!(
        sheet
            .values()
            .any(|row| row.iter().any(|cell| cell == "Sở A đăng nhập")),
        "{sheet:?}"
    );
    let exports = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("audit_log".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(exports[0].action, "export");
}

async fn an_idle_session_expires(app: TestApp) {
    let leader = app.login_as(Role::Leader).await;
    assert_eq!(leader.get("/").await.status, StatusCode::OK);
    let token_hash = danvan_web::auth::hash_token(&leader.session_token());
    let sixteen_minutes_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 16 * 60;
    app.store.touch_session(&token_hash, sixteen_minutes_ago).await.unwrap();
    let response = leader.get("/").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert!(response.location().starts_with("/login"));
    // The ended session is kept a while for a form posted with it (`kept`), but it never signs
    // anyone in again: a request does not revive it, and the sweep removes it after its grace.
    let again = leader.get("/units").await;
    assert!(again.location().starts_with("/login"), "still signed out");
    let (kept, _) = app
        .store
        .session(&token_hash)
        .await
        .unwrap()
        .expect("kept for its grace");
    assert_eq!(kept.last_seen_at, sixteen_minutes_ago, "not revived");
    let grace = danvan_web::kept::ENDED_SESSION_GRACE_SECONDS;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    app.store
        .delete_expired_sessions(now - 15 * 60 - grace, now - 12 * 3600 - grace)
        .await
        .unwrap();
    assert!(
        app.store.session(&token_hash).await.unwrap().is_some(),
        "within its grace"
    );
    app.store
        .delete_expired_sessions(now - 60, now - 12 * 3600 - grace)
        .await
        .unwrap();
    assert!(app.store.session(&token_hash).await.unwrap().is_none(), "swept");
}

async fn a_first_password_must_be_changed_before_anything_else(app: TestApp) {
    let id = app.fixture.account(Role::Leader);
    let hash = danvan_domain::Password::unchecked_for_demo(PASSWORD).hash();
    app.store
        .set_password(&danvan_store::Actor::system("test"), id, &hash, true)
        .await
        .unwrap();
    let leader = app.login_as(Role::Leader).await;
    let response = leader.get("/units").await;
    assert_eq!(
        (response.status, response.location().as_str()),
        (StatusCode::SEE_OTHER, "/account/password")
    );
    let weak = leader
        .post(
            "/account/password",
            &[("current", PASSWORD), ("new", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("ít nhất 12 ký tự"));
    let new = "núi-rừng-Tây-Nguyên-2022";
    let done = leader
        .post(
            "/account/password",
            &[("current", PASSWORD), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // The old session ended; the browser got a new one that works.
    assert_eq!(leader.get("/").await.status, StatusCode::SEE_OTHER);
    let renewed = leader.with_cookies_from(&done);
    assert_eq!(renewed.get("/units").await.status, StatusCode::OK);
    assert_eq!(
        app.anonymous().login("lanhdao", new).await.status,
        StatusCode::SEE_OTHER
    );
}

async fn names_are_escaped_in_pages(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let response = admin
        .post(
            "/units",
            &[
                ("code", "XSS"),
                ("name", "<script>alert(1)</script>"),
                ("kind", "other"),
                ("valid_from", "01/01/2022"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let page = admin.get(&response.location()).await;
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(page.body.contains("&#60;script&#62;") || page.body.contains("&lt;script&gt;"));
}

async fn malformed_ids_and_queries_never_cause_a_server_error(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    for path in [
        "/units/abc",
        "/units/99999999999999999999999",
        "/units/-1",
        "/units?date=%FF%FE",
        "/units?date=32/13/2022",
        "/units/abc/edit",
        "/audit?from=2022-13-45&to=x",
        "/login?next=https://evil.example",
    ] {
        let response = admin.get(path).await;
        assert!(!response.status.is_server_error(), "{path}: {}", response.status);
    }
    let response = admin.post("/units/abc/close", &[("successor", "x")]).await;
    assert!(!response.status.is_server_error());
    // The framework's own refusals come as the same Vietnamese page, with the request id.
    let response = admin.get("/units/abc").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.body.contains("Dữ liệu gửi lên không hợp lệ")
            && response.body.contains(&response.header("x-request-id"))
    );
    let response = admin.post("/audit", &[]).await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.body.contains("không được hỗ trợ"));
}

async fn the_demo_date_is_shown_in_the_header(app: TestApp) {
    let body = app.login_as(Role::Officer).await.get("/").await.body;
    assert!(
        body.contains("ngày làm việc giả định: <strong>15/12/2022</strong>"),
        "{body}"
    );
    assert!(body.contains("Đơn vị của bạn") && body.contains("Sở A"));
    let _ = Fixture::default;
}

const SEED: &str = include_str!("../../../../shared/seed/000_dc35e90df97371e2.txt");

/// Uploads the seed and saves it as reviewed; returns the new document's page path.
async fn upload_seed(app: &TestApp) -> (support::Client, String) {
    let monitor = app.login_as(Role::Monitor).await;
    let review = monitor
        .post_multipart(
            "/documents/preview",
            true,
            &[("file", Some("2071.txt"), SEED.as_bytes())],
        )
        .await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.body);
    let fields = [
        "file_sha",
        "file_name",
        "doc_type",
        "number",
        "symbol",
        "issuer",
        "parent_issuer",
        "place",
        "issued_on",
        "signer_authority",
        "signer_title",
        "signer_name",
    ];
    let mut form: Vec<(String, String)> = fields
        .iter()
        .map(|f| (f.to_string(), input_value(&review.body, f)))
        .collect();
    for area in ["subject", "recipients", "tasks", "citations", "distribution"] {
        form.push((area.to_string(), textarea_value(&review.body, area)));
    }
    let form_refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let saved = monitor.post("/documents", &form_refs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    (monitor, saved.location())
}

async fn an_uploaded_document_is_reviewed_then_saved_with_its_file_and_citations(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    let review = monitor
        .post_multipart(
            "/documents/preview",
            true,
            &[("file", Some("2071.txt"), SEED.as_bytes())],
        )
        .await;
    assert_eq!(input_value(&review.body, "number"), "2071");
    assert_eq!(input_value(&review.body, "issued_on"), "25/04/2022");
    assert!(textarea_value(&review.body, "citations").contains("Chỉ thị | 14 | CT-TU | 16/03/2022 | Tỉnh ủy Đắk Nông"));
    let (monitor, path) = upload_seed(&app).await;
    let page = monitor.get(&path).await;
    assert!(page.body.contains("Công văn số 2071/UBND-NC"));
    // The seed's eleven citations are all in the library as citation-only entries.
    assert!(
        page.body.contains("11 văn bản, trong đó 11 chưa có toàn văn"),
        "{}",
        page.body
    );
    // The programme of 2013 that carries out a resolution of 2016 is flagged.
    assert!(
        page.body.contains(
            "Chương trình số 26-CTr/TU ngày 04/09/2013 được ghi là thực hiện Nghị quyết số 25-NQ/TW ngày 03/06/2016"
        ),
        "{}",
        page.body
    );
    let file = monitor.get(&format!("{path}/file")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, SEED);
    assert!(
        file.header("content-disposition")
            .starts_with("attachment; filename=\"2071.txt\"")
    );
    // Saving the same document again is refused with a link to it.
    let (_, again) = (
        monitor.clone(),
        monitor
            .post_multipart(
                "/documents/preview",
                true,
                &[("file", Some("2071.txt"), SEED.as_bytes())],
            )
            .await,
    );
    assert_eq!(again.status, StatusCode::OK);
    let directive = app
        .store
        .document_by_number("14", "CT-TU", Some(2022))
        .await
        .unwrap()
        .unwrap();
    assert!(!directive.has_full_text);
    let cited = monitor.get(&format!("/documents/{}", directive.id)).await;
    assert!(cited.body.contains("chưa có toàn văn") && cited.body.contains("Công văn số 2071/UBND-NC"));
}

async fn uploads_are_checked_for_type_and_csrf(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let refused = monitor
        .post_multipart("/documents/preview", true, &[("file", Some("van-ban.txt"), png)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Chỉ nhận văn bản dạng .txt, .docx (Word) hoặc .pdf")
    );
    let empty = monitor
        .post_multipart("/documents/preview", true, &[("text", None, b"   ")])
        .await;
    assert!(empty.body.contains("Tệp trống"));
    // What holds no readable text is refused with the reason, and nothing is kept of it.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state as u8).max(1)
        })
        .collect();
    let before = official_state(&app.store).await;
    for (name, bytes, reason) in [
        ("nhieu.txt", &noise[..], "Không đọc được chữ nào trong tệp này"),
        (
            "quyet-dinh.pdf",
            &b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"[..],
            "Không mở được tệp PDF này",
        ),
    ] {
        let refused = monitor
            .post_multipart("/documents/preview", true, &[("file", Some(name), bytes)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(refused.body.contains(reason), "{name}: {}", refused.body);
    }
    assert_eq!(
        official_state(&app.store).await,
        before,
        "nothing stored of an unreadable file"
    );
    let no_token = monitor
        .post_multipart("/documents/preview", false, &[("text", None, SEED.as_bytes())])
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let too_big = vec![b'a'; danvan_web::library::MAX_DOCUMENT_BYTES + 1024];
    let response = monitor
        .post_multipart("/documents/preview", true, &[("file", Some("lon.txt"), &too_big)])
        .await;
    assert!(response.status.is_client_error(), "{}", response.status);
    // Leaders read the library but do not add to it.
    let leader = app.login_as(Role::Leader).await;
    assert_eq!(
        leader
            .post_multipart("/documents/preview", true, &[("text", None, SEED.as_bytes())])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn the_library_is_searched_without_diacritics_and_shows_snippets(app: TestApp) {
    let (monitor, _) = upload_seed(&app).await;
    let found = monitor.get("/documents?q=dan+van+kheo").await;
    assert!(found.body.contains("1 kết quả"), "{}", found.body);
    assert!(
        found
            .body
            .contains("<mark>Dân</mark> <mark>vận</mark> <mark>khéo</mark>"),
        "{}",
        found.body
    );
    let by_place = monitor.get("/documents?q=dak%20nong").await;
    assert!(by_place.body.contains("<mark>Đắk</mark>"));
    let listed = monitor.get("/documents?type=C%C3%B4ng%20v%C4%83n").await;
    assert!(listed.body.contains("Công văn số 2071/UBND-NC") && !listed.body.contains("Chỉ thị số 14/CT-TU"));
    // A text whose only match lies past the start a search reads: its snippet is still the
    // match, from the whole text.
    let long = danvan_store::NewDocument {
        doc_type: Some("Báo cáo".into()),
        number: Some("77".into()),
        symbol: Some("BC-UBND".into()),
        subject: Some("Báo cáo dài".into()),
        body_text: format!(
            "{} Tổ chức tiếp công dân định kỳ.",
            "Ủy ban nhân dân huyện. ".repeat(danvan_store::document::TEXT_START_CHARS / 10)
        ),
        ..Default::default()
    };
    app.store
        .save_document(&danvan_store::Actor::system("test"), &long)
        .await
        .unwrap();
    let found = monitor.get("/documents?q=tiep+cong+dan").await;
    assert!(
        found
            .body
            .contains("<mark>tiếp</mark> <mark>công</mark> <mark>dân</mark> định kỳ."),
        "{}",
        found.body
    );
}

async fn addressees_resolve_by_rule_and_by_remembered_mapping(app: TestApp) {
    app.add_district("CJ", "UBND huyện Cư Jút").await;
    let (monitor, path) = upload_seed(&app).await;
    let page = monitor.get(&path).await;
    assert!(page.body.contains("Tự động: Các sở, ban, ngành"), "{}", page.body);
    assert!(page.body.contains("Tự động: UBND cấp huyện"));
    // No public service unit exists in the fixture, so that line waits for a person.
    let list = monitor.get("/addressees").await;
    assert!(list.body.contains("Chưa xác định (1)"), "{}", list.body);
    let target = format!("group:{}", app.fixture.group);
    let mapped = monitor
        .post(
            "/addressees",
            &[("text", "Các đơn vị sự nghiệp cấp tỉnh"), ("target", &target)],
        )
        .await;
    assert_eq!(mapped.status, StatusCode::SEE_OTHER);
    let list = monitor.get("/addressees").await;
    assert!(list.body.contains("Chưa xác định (0)") && list.body.contains("Đã ghi nhớ (khối)"));
    let bad = monitor
        .post("/addressees", &[("text", "x"), ("target", "unit:999999")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

/// Creates a directive by hand: one task for units A and B, due 30/12/2022; returns its id.
async fn each_role_sees_what_waits_for_it_counted_and_listed(app: TestApp) {
    // Today is 15/12/2022: one task of Sở A is past its deadline, one due within five working
    // days, one later.
    let monitor = app.login_as(Role::Monitor).await;
    let a = app.fixture.unit_a.to_string();
    let mut form = vec![
        ("title", "Kế hoạch 15/KH-UBND"),
        ("document_date", "01/12/2022"),
        ("content_0", "Báo cáo sơ kết mô hình dân vận khéo."),
        ("deadline_kind_0", "date"),
        ("deadline_date_0", "10/12/2022"),
        ("deadline_days_0", ""),
        ("monitor_0", ""),
        ("lead_0", a.as_str()),
    ];
    // A deadline already past asks for confirmation; one before the document's date is refused.
    let before = official_state(&app.store).await;
    let unconfirmed = monitor.post("/directives", &form).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.body.contains("hạn 10/12/2022 đã qua") && unconfirmed.body.contains("name=\"confirm_past\""));
    form[4].1 = "20/11/2022";
    let early = monitor.post("/directives", &form).await;
    assert!(
        early.body.contains("hạn 20/11/2022 trước ngày văn bản 01/12/2022"),
        "{}",
        early.body
    );
    assert_eq!(official_state(&app.store).await, before, "nothing saved");
    let created = monitor
        .post(
            "/directives",
            &[
                ("confirm_past", "1"),
                ("title", "Kế hoạch 15/KH-UBND"),
                ("document_date", "01/12/2022"),
                ("content_0", "Báo cáo sơ kết mô hình dân vận khéo."),
                ("deadline_kind_0", "date"),
                ("deadline_date_0", "10/12/2022"),
                ("deadline_days_0", ""),
                ("monitor_0", ""),
                ("lead_0", &a),
                ("content_1", "Tổ chức đối thoại với nhân dân."),
                ("deadline_kind_1", "date"),
                ("deadline_date_1", "20/12/2022"),
                ("deadline_days_1", ""),
                ("monitor_1", ""),
                ("lead_1", &a),
                ("content_2", "Tổng kết năm."),
                ("deadline_kind_2", "date"),
                ("deadline_date_2", "30/01/2023"),
                ("deadline_days_2", ""),
                ("monitor_2", ""),
                ("lead_2", &a),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let officer = app.login_as(Role::Officer).await;
    let home = officer.get("/").await;
    for line in [
        "Việc cần làm",
        "<strong>1</strong> nhiệm vụ quá hạn",
        "<strong>1</strong> nhiệm vụ đến hạn trong 5 ngày làm việc",
        "<strong>0</strong> việc bị trả lại cần bổ sung",
    ] {
        assert!(home.body.contains(line), "{line}: {}", home.body);
    }
    let overdue = officer.get("/queue/qua-han").await;
    assert_eq!(overdue.status, StatusCode::OK);
    assert!(overdue.body.contains("Báo cáo sơ kết mô hình dân vận khéo.") && overdue.body.contains("10/12/2022"));
    assert!(!overdue.body.contains("Tổ chức đối thoại"), "only what is overdue");
    // A line that is not the officer's is not theirs to open; an unknown one does not exist.
    assert_eq!(officer.get("/queue/tham-dinh").await.status, StatusCode::FORBIDDEN);
    assert_eq!(officer.get("/queue/khong-co").await.status, StatusCode::NOT_FOUND);
    // A progress report sent goes to the monitor's queue.
    let link = overdue.body.split("href=\"/assignments/").nth(1).unwrap();
    let assignment: i64 = link[..link.find('"').unwrap()].parse().unwrap();
    let sent = officer
        .post_multipart(
            &format!("/assignments/{assignment}/reports"),
            true,
            &[
                ("percent", None, b"50"),
                ("content", None, "Đã tổ chức sơ kết".as_bytes()),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let home = monitor.get("/").await;
    assert!(
        home.body.contains("<strong>1</strong> báo cáo tiến độ chờ xem xét"),
        "{}",
        home.body
    );
    // The navigation shows what waits, on every page.
    assert!(
        monitor
            .get("/units")
            .await
            .body
            .contains("Việc cần làm: <strong>1</strong>")
    );
    let waiting = monitor.get("/queue/bao-cao-tien-do").await;
    assert!(waiting.body.contains(&format!("href=\"/assignments/{assignment}\"")) && waiting.body.contains("Sở A"));
    // The admin has no queue of this kind; the leader's line is the results to publish.
    assert!(
        !app.login_as(Role::Admin)
            .await
            .get("/")
            .await
            .body
            .contains("Việc cần làm")
    );
    let leader_home = app.login_as(Role::Leader).await.get("/").await;
    assert!(
        leader_home
            .body
            .contains("<strong>0</strong> kết quả đánh giá chờ phê duyệt, công bố")
    );
}

async fn pages_offer_a_skip_link_and_the_sites_own_icon(app: TestApp) {
    for page in [
        app.anonymous().get("/login").await,
        app.login_as(Role::Officer).await.get("/").await,
    ] {
        assert!(
            page.body.contains(r##"<a class="skip" href="#noi-dung">"##),
            "{}",
            page.body
        );
        assert!(page.body.contains(r#"<main id="noi-dung""#));
        assert!(page.body.contains(r#"<link rel="icon" href="/static/favicon.svg""#));
    }
    let icon = app.anonymous().get("/static/favicon.svg").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert!(icon.body.starts_with("<svg"));
}

/// The one-time password a page shows once.
fn shown_password(body: &str) -> String {
    let start = body.find("<code>").expect("a password shown") + "<code>".len();
    body[start..start + body[start..].find("</code>").unwrap()].to_owned()
}

async fn an_admin_manages_accounts_in_the_admin_pages(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let list = admin.get("/admin/accounts").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(app.fixture.username(Role::Monitor)) && list.body.contains("Đang hoạt động"));
    // Refused: an officer without an agency, nothing stored.
    let before = official_state(&app.store).await;
    let refused = admin
        .post(
            "/admin/accounts",
            &[
                ("username", "canbo.moi"),
                ("display_name", "Nguyễn Thị Mới"),
                ("role", "officer"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("phải thuộc một đơn vị") && refused.body.contains("Nguyễn Thị Mới"));
    assert_eq!(official_state(&app.store).await, before);
    // Created with a one-time password, shown once; the first sign-in must change it.
    let unit = app.fixture.unit_a.to_string();
    let created = admin
        .post(
            "/admin/accounts",
            &[
                ("username", "canbo.moi"),
                ("display_name", "Nguyễn Thị Mới"),
                ("role", "officer"),
                ("unit", &unit),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let once = shown_password(&created.body);
    let account = app.store.account_by_username("canbo.moi").await.unwrap().unwrap();
    assert!(account.must_change_password && account.unit_id == Some(app.fixture.unit_a));
    let first = app.anonymous().login("canbo.moi", &once).await;
    assert_eq!(first.location(), "/account/password");
    let path = format!("/admin/accounts/{}", account.id);
    let page = admin.get(&path).await;
    assert!(page.body.contains("Chờ đổi mật khẩu lần đầu") && page.body.contains("Sở A"));
    // A role change asks for the admin's password again; a wrong one changes nothing but the
    // security log and the admin's count of failures.
    let wrong = admin
        .post(&format!("{path}/role"), &[("role", "monitor"), ("password", "sai")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Mật khẩu của bạn không đúng"));
    let unchanged = app.store.account_by_username("canbo.moi").await.unwrap().unwrap();
    assert_eq!(
        (unchanged.role, unchanged.unit_id),
        (Role::Officer, Some(app.fixture.unit_a))
    );
    let failures = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("reauth_failed:change_role".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failures.len(), 1);
    let changed = admin
        .post(&format!("{path}/role"), &[("role", "monitor"), ("password", PASSWORD)])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let account = app.store.account_by_username("canbo.moi").await.unwrap().unwrap();
    assert_eq!((account.role, account.unit_id), (Role::Monitor, None));
    // A new one-time password, then disabled and enabled, then signed out everywhere.
    assert_eq!(
        admin.post(&format!("{path}/password"), &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the admin's password is asked again"
    );
    let reset = admin.post(&format!("{path}/password"), &[("password", PASSWORD)]).await;
    assert_eq!(reset.status, StatusCode::OK);
    let again = shown_password(&reset.body);
    assert_ne!(again, once);
    assert_eq!(
        app.anonymous().login("canbo.moi", &once).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        admin
            .post(&format!("{path}/disabled"), &[("disabled", "1")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(admin.get(&path).await.body.contains("Đã khóa"));
    assert_ne!(
        app.anonymous().login("canbo.moi", &again).await.status,
        StatusCode::SEE_OTHER
    );
    admin.post(&format!("{path}/disabled"), &[("disabled", "0")]).await;
    assert_eq!(
        app.anonymous().login("canbo.moi", &again).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        admin.post(&format!("{path}/sessions"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(app.store.sessions_of(account.id).await.unwrap().is_empty());
    // An admin does not change or lock their own account here.
    let own = app
        .store
        .account_by_username(app.fixture.username(Role::Admin))
        .await
        .unwrap()
        .unwrap();
    let own_page = admin.get(&format!("/admin/accounts/{}", own.id)).await;
    assert!(!own_page.body.contains("/role\"") && own_page.body.contains("tài khoản của bạn"));
    let locked_out = admin
        .post(&format!("/admin/accounts/{}/disabled", own.id), &[("disabled", "1")])
        .await;
    assert_eq!(locked_out.status, StatusCode::CONFLICT);
    let audited: Vec<String> = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("account".into()),
            object_id: Some(account.id.to_string()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "create",
        "set_role",
        "set_password",
        "disable",
        "enable",
        "end_sessions",
    ] {
        assert!(audited.iter().any(|a| a == action), "{action}: {audited:?}");
    }
}

fn str_pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A server on the same database that has kept nothing yet.
fn unkept(app: &TestApp) -> TestApp {
    app.with_web_config(danvan_web::WebConfig {
        require_admin_totp: false,
        ..danvan_web::WebConfig::default()
    })
}

/// The page's own content (the navigation's waiting count is refreshed on its own schedule).
fn main_of(body: &str) -> &str {
    let start = body.find("<main").expect("a main element");
    let end = body.find("</main>").expect("the main element's end");
    &body[start..end]
}

/// Every page shows through `kept` what a server that has kept nothing works out.
async fn assert_kept_pages_are_current(app: &TestApp, kept: &support::Client, pages: &[String]) {
    let fresh = kept.on(&unkept(app));
    for page in pages {
        let (seen, worked_out) = (kept.get(page).await, fresh.get(page).await);
        assert_eq!(seen.status, worked_out.status, "{page}");
        // (A refusal names its request, which differs.)
        if seen.status == StatusCode::OK {
            assert_eq!(main_of(&seen.body), main_of(&worked_out.body), "{page}");
        }
    }
}

/// Pages keep what they work out from official data while it has not changed (issue 18): a
/// change made through one app server shows at once on another on the same database, and on the
/// server that made it.
async fn kept_pages_follow_every_change_made_on_any_server(app: TestApp) {
    let other = unkept(&app);
    let here = app.login_as(Role::Monitor).await;
    let there = other.login_as(Role::Monitor).await;
    let officer = other.login_as(Role::Officer).await;
    let mut pages: Vec<String> = [
        "/",
        "/?period=2022-6T",
        "/board",
        "/directives",
        "/initiatives",
        "/evaluations",
        "/units",
        "/documents",
        "/documents?q=dan+van",
        "/reports",
        "/gallery",
        "/gallery?q=mot+cua",
    ]
    .map(String::from)
    .to_vec();
    // Each server works out, and keeps, its pages before the change.
    for monitor in [&here, &there] {
        assert_kept_pages_are_current(&app, monitor, &pages).await;
        assert!(!monitor.get("/board").await.body.contains("Công văn 2071/UBND-NC"));
    }
    // A directive issued through the first server...
    let directive = simple_directive(&app).await;
    pages.push(format!("/directives/{directive}"));
    // ...is on the second server's board and pages at once.
    let board = there.get("/board").await.body;
    assert!(board.contains("Công văn 2071/UBND-NC"), "{board}");
    for client in [&here, &there, &officer] {
        assert_kept_pages_are_current(&app, client, &pages).await;
    }
    // An officer's progress report sent through the second server waits in the first
    // server's queue at once.
    let waiting_before = here.get("/").await.body;
    assert!(
        waiting_before.contains("<strong>0</strong> báo cáo tiến độ chờ xem xét"),
        "{waiting_before}"
    );
    let mine = officer.get(&format!("/directives/{directive}")).await.body;
    let link = mine
        .split("href=\"/assignments/")
        .nth(1)
        .expect("the officer's assignment");
    let assignment: i64 = link[..link.find('"').unwrap()].parse().unwrap();
    let sent = officer
        .post_multipart(
            &format!("/assignments/{assignment}/reports"),
            true,
            &[("percent", None, b"50"), ("content", None, "Đã phổ biến".as_bytes())],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let home = here.get("/").await.body;
    assert!(
        home.contains("<strong>1</strong> báo cáo tiến độ chờ xem xét"),
        "{home}"
    );
    for client in [&here, &there, &officer] {
        assert_kept_pages_are_current(&app, client, &pages).await;
    }
    // A directive cancelled through the first server, seen through the second.
    let cancelled = here
        .post(
            &format!("/directives/{directive}/cancel"),
            &[("reason", "Ban hành nhầm")],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER, "{}", cancelled.body);
    let page = there.get(&format!("/directives/{directive}")).await.body;
    assert!(page.contains("Đã hủy"), "{page}");
    for client in [&here, &there, &officer] {
        assert_kept_pages_are_current(&app, client, &pages).await;
    }
    // A document added through the first server is found through the second at once.
    assert!(!there.get("/documents?q=dan+van").await.body.contains("2071/UBND-NC"));
    upload_seed(&app).await;
    let found = there.get("/documents?q=dan+van").await.body;
    assert!(found.contains("2071/UBND-NC"), "{found}");
    // An evaluation cycle opened and a report round opened through the second server, then an
    // agency's draft saved through the first, each seen on the other.
    let rubric = danvan_domain::rubric::parse(SAMPLE_RUBRIC).unwrap();
    let actor = danvan_store::Actor::system("test");
    let rubric_id = app
        .store
        .save_rubric_version(&actor, &rubric, SAMPLE_RUBRIC)
        .await
        .unwrap()
        .to_string();
    let group = app.fixture.group.to_string();
    let opened = there
        .post(
            "/evaluations",
            &[
                ("year", "2022"),
                ("group_id", group.as_str()),
                ("rubric_version_id", rubric_id.as_str()),
                ("self_deadline", "05/12/2022"),
                ("appraisal_deadline", "20/12/2022"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let cycle = opened.location();
    danvan_web::install_report_kinds(&app.store).await.unwrap();
    let kinds = app.store.report_kinds().await.unwrap();
    let half = kinds.iter().find(|k| k.code == "BC-DVCQ-6T").unwrap().id.to_string();
    let round = there
        .post(
            "/reports",
            &[("kind_id", half.as_str()), ("year", "2022"), ("index", "1")],
        )
        .await;
    assert_eq!(round.status, StatusCode::SEE_OTHER, "{}", round.body);
    pages.push(cycle.clone());
    pages.push(round.location());
    let cycle_page = here.get(&cycle).await.body;
    let assessment_link = cycle_page
        .split("href=\"/assessments/")
        .nth(1)
        .expect("an assessment on the cycle's page");
    let assessment = format!(
        "/assessments/{}",
        &assessment_link[..assessment_link.find('"').unwrap()]
    );
    pages.push(assessment);
    for client in [&here, &there, &officer] {
        assert_kept_pages_are_current(&app, client, &pages).await;
    }
    // An initiative recognised (through the store, as the command line would) is in the
    // public gallery's search at once.
    assert!(
        !there
            .get("/gallery?q=mot+cua")
            .await
            .body
            .contains("Một cửa thân thiện")
    );
    recognised_initiative(&app, app.fixture.unit_a, "Một cửa thân thiện", 2022).await;
    let gallery = there.get("/gallery?q=mot+cua").await.body;
    assert!(gallery.contains("Một cửa thân thiện"), "{gallery}");
    for client in [&here, &there, &officer] {
        assert_kept_pages_are_current(&app, client, &pages).await;
    }
}

async fn simple_directive(app: &TestApp) -> i64 {
    let monitor = app.login_as(Role::Monitor).await;
    let (a, b) = (app.fixture.unit_a.to_string(), app.fixture.unit_b.to_string());
    let response = monitor
        .post(
            "/directives",
            &[
                ("title", "Công văn 2071/UBND-NC"),
                ("document_date", "25/04/2022"),
                ("content_0", "Phổ biến, quán triệt các chủ trương về công tác dân vận."),
                ("deadline_kind_0", "date"),
                ("deadline_date_0", "30/12/2022"),
                ("deadline_days_0", ""),
                ("monitor_0", ""),
                ("lead_0", &a),
                ("lead_0", &b),
                ("content_1", ""),
                ("deadline_kind_1", "document"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn a_directive_from_the_seed_assigns_its_tasks_with_the_monitor_from_the_text(app: TestApp) {
    app.add_district("SNV", "Sở Nội vụ").await;
    let (monitor, path) = upload_seed(&app).await;
    let id = path.rsplit('/').next().unwrap();
    // The document's page leads to the form, for those who may issue a directive only.
    let link = format!("href=\"/directives/new?document={id}\">Tạo nhiệm vụ từ văn bản này");
    assert!(monitor.get(&path).await.body.contains(&link));
    assert!(
        !app.login_as(Role::Officer)
            .await
            .get(&path)
            .await
            .body
            .contains("Tạo nhiệm vụ")
    );
    let form = monitor.get(&format!("/directives/new?document={id}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Công văn số 2071/UBND-NC"));
    assert!(form.body.contains("name=\"content_4\""), "five tasks");
    // Task 5 names the Department of Home Affairs as its monitor.
    let monitor_select = &form.body[form.body.find("name=\"monitor_4\"").unwrap()..];
    let monitor_select = &monitor_select[..monitor_select.find("</select>").unwrap()];
    assert!(monitor_select.contains("selected>Sở Nội vụ"), "{monitor_select}");
    // The addressees ("Các Sở, Ban, ngành") are preselected as leads.
    let leads = &form.body[form.body.find("name=\"lead_0\"").unwrap()..];
    let leads = &leads[..leads.find("</select>").unwrap()];
    assert!(leads.contains("selected>Sở A"), "{leads}");
    // "Giao Sở Nội vụ theo dõi …" is the Department's task alone, not every addressee's.
    let leads = &form.body[form.body.find("name=\"lead_4\"").unwrap()..];
    let leads = &leads[..leads.find("</select>").unwrap()];
    assert!(
        leads.contains("selected>Sở Nội vụ") && !leads.contains("selected>Sở A"),
        "{leads}"
    );
    // "Thêm nhiệm vụ" gives the form back as typed with one more task, saving nothing; a
    // sixth task typed there is issued with the others.
    let unit_a = app.fixture.unit_a.to_string();
    let mut typed: Vec<(String, String)> = vec![
        ("title".into(), "Công văn số 2071/UBND-NC".into()),
        ("document_date".into(), "25/04/2022".into()),
    ];
    for i in 0..5 {
        typed.push((format!("content_{i}"), format!("Nhiệm vụ thứ {}.", i + 1)));
        typed.push((format!("deadline_kind_{i}"), "date".into()));
        typed.push((format!("deadline_date_{i}"), "30/12/2022".into()));
        typed.push((format!("lead_{i}"), unit_a.clone()));
    }
    let mut more = typed.clone();
    more.push(("more".into(), "1".into()));
    let grown = monitor.post("/directives", &str_pairs(&more)).await;
    assert_eq!(grown.status, StatusCode::OK, "{}", grown.body);
    assert!(grown.body.contains("name=\"content_5\"") && grown.body.contains("Nhiệm vụ thứ 5."));
    assert!(app.store.list_directives().await.unwrap().is_empty(), "nothing saved");
    typed.push(("content_5".into(), "Nhiệm vụ thứ 6, thêm trên biểu mẫu.".into()));
    typed.push(("deadline_kind_5".into(), "date".into()));
    typed.push(("deadline_date_5".into(), "30/12/2022".into()));
    typed.push(("lead_5".into(), unit_a.clone()));
    let issued = monitor.post("/directives", &str_pairs(&typed)).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
    let directives = app.store.list_directives().await.unwrap();
    assert_eq!(directives[0].tasks, 6);
    let bad = monitor
        .post(
            "/directives",
            &[
                ("title", ""),
                ("document_date", "31/02/2022"),
                ("content_0", "x"),
                ("deadline_kind_0", "document"),
                ("deadline_days_0", "0"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Tên chỉ đạo không được để trống",
        "Ngày văn bản không hợp lệ",
        "thời hạn không hợp lệ",
        "chọn ít nhất một đơn vị chủ trì",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
}

async fn an_agency_reports_with_attachments_and_the_monitor_accepts(app: TestApp) {
    let directive = simple_directive(&app).await;
    let record = app.store.directive(directive).await.unwrap().unwrap();
    let own = record.tasks[0]
        .assignments
        .iter()
        .find(|a| a.unit_id == app.fixture.unit_a)
        .unwrap()
        .id;
    let officer = app.login_as(Role::Officer).await;
    let page = officer.get(&format!("/assignments/{own}")).await;
    assert!(page.body.contains("Chưa triển khai") && page.body.contains("Gửi báo cáo"));
    let pdf = b"%PDF-1.4 bien ban hoi nghi";
    let exe = b"MZ\x90\x00 not allowed";
    let refused = officer
        .post_multipart(
            &format!("/assignments/{own}/reports"),
            true,
            &[
                ("percent", None, b"50"),
                ("content", None, "Đã tổ chức hội nghị".as_bytes()),
                ("attachment", Some("virus.pdf"), exe),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("không phải PDF, Word, Excel, JPG hay PNG"));
    let sent = officer
        .post_multipart(
            &format!("/assignments/{own}/reports"),
            true,
            &[
                ("percent", None, b"100"),
                ("content", None, "Đã tổ chức hội nghị quán triệt".as_bytes()),
                ("attachment", Some("bien-ban.pdf"), pdf),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = officer.get(&format!("/assignments/{own}")).await;
    assert!(page.body.contains("Chờ xem xét") && page.body.contains("bien-ban.pdf"));
    let report = app.store.reports_of(own).await.unwrap()[0].clone();
    let file = officer.get(&format!("/attachments/{}", report.attachments[0].0)).await;
    assert_eq!(file.body.as_bytes(), pdf);
    let monitor = app.login_as(Role::Monitor).await;
    let no_reason = monitor
        .post(
            &format!("/reports/{}/review", report.id),
            &[("decision", "return"), ("comment", "")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let accepted = monitor
        .post(
            &format!("/reports/{}/review", report.id),
            &[("decision", "accept"), ("comment", "Đạt")],
        )
        .await;
    assert_eq!(
        (accepted.status, accepted.location()),
        (StatusCode::SEE_OTHER, format!("/assignments/{own}"))
    );
    let page = officer.get(&format!("/assignments/{own}")).await;
    assert!(page.body.contains("Hoàn thành đúng hạn") && page.body.contains("Đã chấp nhận"));
    // Accepted reports are final: a second review is refused for the report's state.
    let again = monitor
        .post(
            &format!("/reports/{}/review", report.id),
            &[("decision", "return"), ("comment", "x")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("Báo cáo này đã được xem xét."));
    let audit = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("progress_report".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["accept", "submit"]
    );
    // The log reads the review as a sentence naming who reviewed whose report.
    let log = app
        .login_as(Role::Admin)
        .await
        .get("/audit?kind=progress_report.accept")
        .await;
    assert!(
        log.body
            .contains("Người thử sonoivu chấp nhận báo cáo tiến độ của Sở A"),
        "{}",
        log.body
    );
    assert!(
        log.body
            .contains("<th scope=\"row\">Nhận xét</th><td></td><td>Đạt</td>")
    );
}

async fn officers_see_and_change_only_their_own_assignments(app: TestApp) {
    let directive = simple_directive(&app).await;
    let record = app.store.directive(directive).await.unwrap().unwrap();
    let other = record.tasks[0]
        .assignments
        .iter()
        .find(|a| a.unit_id == app.fixture.unit_b)
        .unwrap()
        .id;
    let officer = app.login_as(Role::Officer).await;
    assert_eq!(
        officer.get(&format!("/assignments/{other}")).await.status,
        StatusCode::FORBIDDEN
    );
    let post = officer
        .post_multipart(
            &format!("/assignments/{other}/reports"),
            true,
            &[("percent", None, b"10"), ("content", None, b"x")],
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    // The directive page shows the officer's own row only.
    let page = officer.get(&format!("/directives/{directive}")).await;
    assert!(
        page.body.contains("Sở A") && !page.body.contains(">Sở B<"),
        "{}",
        page.body
    );
    // A leader sees everything and reports nothing.
    let leader = app.login_as(Role::Leader).await;
    assert_eq!(
        leader.get(&format!("/assignments/{other}")).await.status,
        StatusCode::OK
    );
    let post = leader
        .post_multipart(
            &format!("/assignments/{other}/reports"),
            true,
            &[("percent", None, b"10"), ("content", None, b"x")],
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
}

async fn the_board_counts_and_exports_to_excel(app: TestApp) {
    simple_directive(&app).await;
    let leader = app.login_as(Role::Leader).await;
    let board = leader.get("/board").await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("Sở A") && board.body.contains("Công văn 2071/UBND-NC"));
    // One vocabulary: the statuses as the domain names them, the rate's definition beside it.
    for status in danvan_domain::directive::TaskStatus::ALL {
        assert!(board.body.contains(status.label()), "{}", status.label());
    }
    assert!(!board.body.contains("Quá hạn mới xong") && !board.body.contains("Xong muộn"));
    assert!(
        board
            .body
            .contains("Tỷ lệ đúng hạn = số nhiệm vụ hoàn thành đúng hạn / số nhiệm vụ đã đến hạn")
    );
    let filtered = leader.get(&format!("/board?unit={}", app.fixture.unit_b)).await;
    assert!(filtered.body.contains("Sở B") && !filtered.body.contains("<td>Sở A</td>"));
    let export = leader.get("/board.xlsx").await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(support::assert_export_layout(&export.bytes).len(), 3);
    assert_eq!(
        export.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    // One table per sheet, named in Vietnamese, each under its title; rates are numbers.
    {
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(export.bytes.clone())).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Theo đơn vị", "Theo văn bản chỉ đạo", "Nhiệm vụ quá hạn"]
        );
        let by_unit = book.worksheet_range("Theo đơn vị").unwrap();
        let title = by_unit.get_value((0, 0)).unwrap().to_string();
        assert!(
            title.starts_with("Tình hình thực hiện nhiệm vụ theo đơn vị, đến ngày "),
            "{title}"
        );
        assert_eq!(by_unit.get_value((2, 8)).unwrap().to_string(), "Tỷ lệ đúng hạn");
        // Counts and rates are numbers (a rate is empty while nothing has come due).
        let agencies = (3..by_unit.height() as u32).filter(|r| {
            by_unit
                .get_value((*r, 0))
                .is_some_and(|v| v.to_string().starts_with("Sở"))
        });
        let mut seen = 0;
        for r in agencies {
            seen += 1;
            assert!(
                matches!(by_unit.get_value((r, 2)), Some(calamine::Data::Float(_))),
                "row {r}"
            );
            assert!(matches!(
                by_unit.get_value((r, 8)),
                Some(calamine::Data::Float(_) | calamine::Data::Empty) | None
            ));
        }
        assert!(seen >= 2, "the agencies' rows");
    }
    let officer = app.login_as(Role::Officer).await;
    assert_eq!(officer.get("/board").await.status, StatusCode::FORBIDDEN);
    let events = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("export_board".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
}

async fn admins_adjust_the_working_day_calendar(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let page = admin.get("/calendar?year=2025").await;
    assert!(page.body.contains("29/01/2025") && page.body.contains("Tết Nguyên đán"));
    let saved = admin
        .post(
            "/calendar",
            &[
                ("day", "26/04/2025"),
                ("working", "1"),
                ("note", "Thông báo số 6150/TB-BNV"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = admin.get("/calendar?year=2025").await;
    assert!(page.body.contains("Thông báo số 6150/TB-BNV") && page.body.contains("Ngày làm việc"));
    let bad = admin
        .post("/calendar", &[("day", "32/13/2025"), ("working", "1"), ("note", "x")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed = admin.post("/calendar", &[("day", "2025-04-26"), ("remove", "1")]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(app.store.calendar_adjustments().await.unwrap().is_empty());
    // The decided schedule and its source; a year without one says it follows the law.
    let decided = admin.get("/calendar?year=2024").await.body;
    assert!(
        decided.contains("2450/VPCP-KGVX") && decided.contains("Thứ Bảy làm bù: 04/05/2024"),
        "{decided}"
    );
    assert!(
        admin
            .get("/calendar?year=2030")
            .await
            .body
            .contains("tính theo Bộ luật Lao động 2019")
    );

    // A directive of 2031 counted in working days: a day off declared later moves its deadline,
    // with a line in the assignment's history; a task dated by hand does not move.
    let mut calendar = app.store.work_calendar().await.unwrap();
    let directive = app
        .store
        .create_directive(
            &danvan_store::Actor::system("test"),
            &danvan_store::directive::NewDirective {
                document_id: None,
                title: "Kế hoạch 12/KH-UBND".into(),
                document_date: time::macros::date!(2031 - 03 - 03),
                tasks: vec![
                    danvan_store::directive::NewTask {
                        content: "Báo cáo kết quả.".into(),
                        monitor_unit_id: None,
                        deadline: danvan_domain::directive::Deadline::WorkingDaysFromDocument(5),
                        leads: vec![app.fixture.unit_a],
                        supports: vec![],
                    },
                    danvan_store::directive::NewTask {
                        content: "Tổ chức hội nghị.".into(),
                        monitor_unit_id: None,
                        deadline: danvan_domain::directive::Deadline::On(time::macros::date!(2031 - 03 - 14)),
                        leads: vec![app.fixture.unit_a],
                        supports: vec![],
                    },
                ],
            },
            &mut calendar,
            time::macros::date!(2031 - 03 - 03),
        )
        .await
        .unwrap();
    let tasks = app.store.directive(directive).await.unwrap().unwrap().tasks;
    let (counted, dated) = (tasks[0].assignments[0].id, tasks[1].assignments[0].id);
    assert_eq!(tasks[0].due_on, Some(time::macros::date!(2031 - 03 - 10)));
    let declared = admin
        .post(
            "/calendar",
            &[
                ("day", "05/03/2031"),
                ("working", "0"),
                ("note", "Thông báo nghỉ đột xuất"),
            ],
        )
        .await;
    assert_eq!(declared.status, StatusCode::SEE_OTHER, "{}", declared.body);
    let due = |id: i64| {
        let store = app.store.clone();
        async move { store.assignment(id).await.unwrap().unwrap().due_on }
    };
    assert_eq!(due(counted).await, time::macros::date!(2031 - 03 - 11));
    assert_eq!(due(dated).await, time::macros::date!(2031 - 03 - 14));
    let history = app
        .login_as(Role::Monitor)
        .await
        .get(&format!("/assignments/{counted}"))
        .await
        .body;
    assert!(
        support::unescape(&history)
            .contains("Tính lại theo lịch nghỉ mới: 05/03/2031 là ngày nghỉ (Thông báo nghỉ đột xuất)"),
        "{history}"
    );
    // A newly announced schedule, from a file: its days become adjustments in one step, and the
    // deadline counted in working days follows (6/3/2031 declared off).
    let schedule = "[[year]]\nyear = 2031\nsource = \"Thông báo lịch nghỉ năm 2031\"\ndays_off = [\"01/01\", \"05/03\", \"06/03\"]\nworked = []\n";
    let imported = admin
        .post_multipart(
            "/calendar/import",
            true,
            &[("file", Some("2031.toml"), schedule.as_bytes())],
        )
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    assert_eq!(due(counted).await, time::macros::date!(2031 - 03 - 12));
    assert!(
        app.store
            .calendar_adjustments()
            .await
            .unwrap()
            .iter()
            .any(|a| a.date == time::macros::date!(2031 - 03 - 06) && !a.working)
    );
    let wrong = admin
        .post_multipart(
            "/calendar/import",
            true,
            &[("file", Some("sai.toml"), schedule.replace("05/03", "35/03").as_bytes())],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        support::unescape(&wrong.body).contains("\"35/03\" không phải ngày/tháng hợp lệ"),
        "{}",
        wrong.body
    );
    admin.post("/calendar", &[("day", "2031-03-06"), ("remove", "1")]).await;
    // Taken back: the deadline returns, again with its line.
    admin.post("/calendar", &[("day", "2031-03-05"), ("remove", "1")]).await;
    assert_eq!(due(counted).await, time::macros::date!(2031 - 03 - 10));
    assert_eq!(app.store.deadline_changes(counted).await.unwrap().len(), 4);
}

/// A local SMTP server that accepts every message and keeps what it was sent.
async fn smtp_sink() -> (u16, std::sync::Arc<tokio::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let sink = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                reader.get_mut().write_all(b"220 sink ready\r\n").await.unwrap();
                let mut transcript = String::new();
                let mut in_data = false;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    transcript.push_str(&line);
                    let reply: &[u8] = if in_data {
                        if line == ".\r\n" {
                            in_data = false;
                            b"250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else if line.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if line.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if line.starts_with("QUIT") {
                        reader.get_mut().write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    reader.get_mut().write_all(reply).await.unwrap();
                }
                sink.lock().await.push(transcript);
            });
        }
    });
    (port, received)
}

async fn reminders_are_created_once_a_day_and_mailed_through_smtp(app: TestApp) {
    simple_directive(&app).await;
    // An officer of unit A with an address; unit B has none and gets the reminder in its inbox only.
    app.store
        .create_account(
            &danvan_store::Actor::system("test"),
            &danvan_store::NewAccount {
                username: danvan_domain::Username::parse("vanthu.sa").unwrap(),
                display_name: "Văn thư Sở A".into(),
                role: Role::Officer,
                unit_id: Some(app.fixture.unit_a),
                password_hash: "x".into(),
                must_change_password: false,
                email: Some("vanthu.sa@so-a.example".into()),
            },
        )
        .await
        .unwrap();
    let (port, received) = smtp_sink().await;
    let mailer = danvan_web::mail::Mailer::new(&danvan_web::mail::MailConfig {
        host: "127.0.0.1".into(),
        port,
        from: "danvan@snv.example".into(),
        from_name: "Hệ thống danvan".into(),
        security: danvan_web::mail::Security::Starttls,
        user: None,
        password: None,
        timeout: std::time::Duration::from_secs(5),
        ca_file: None,
    })
    .unwrap();
    // Due 30/12/2022: within three working days of 27/12.
    let today = time::macros::date!(2022 - 12 - 27);
    let run = danvan_web::jobs::run_reminders(&app.store, today, Some("snv.example"))
        .await
        .unwrap();
    assert_eq!((run.ran, run.created, run.queued), (true, 2, 1));
    // The same day again, on this server or another: nothing more.
    let again = danvan_web::jobs::run_reminders(&app.store, today, Some("snv.example"))
        .await
        .unwrap();
    assert!(!again.ran);
    // The job only queued; the outbox sends.
    assert!(received.lock().await.is_empty());
    let now = || time::OffsetDateTime::now_utc().unix_timestamp();
    let delivery = danvan_web::mail::deliver_outbox(&app.store, &mailer, &now, 10)
        .await
        .unwrap();
    assert_eq!(delivery.sent, 1);
    let transcripts = received.lock().await.clone();
    assert_eq!(transcripts.len(), 1);
    let mail = &transcripts[0];
    assert!(mail.contains("RCPT TO:<vanthu.sa@so-a.example>"), "{mail}");
    assert!(mail.contains("Subject: [danvan] =?utf-8?b?"), "{mail}");
    // Overdue the next week.
    let later = danvan_web::jobs::run_reminders(&app.store, time::macros::date!(2023 - 01 - 03), None)
        .await
        .unwrap();
    assert_eq!((later.ran, later.created, later.queued), (true, 2, 0));
    let officer = app.login_as(Role::Officer).await;
    let inbox = officer.get("/inbox").await;
    assert!(
        inbox.body.contains("Quá hạn") && inbox.body.contains("Sắp đến hạn") && inbox.body.contains("Đã gửi"),
        "{}",
        inbox.body
    );
}

const SAMPLE_RUBRIC: &str = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");

async fn an_admin_uploads_a_rubric_previews_it_and_saves_an_immutable_version(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let preview = admin
        .post_multipart(
            "/evaluations/rubrics/preview",
            true,
            &[("file", Some("mau.toml"), SAMPLE_RUBRIC.as_bytes())],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains("<strong>MẪU</strong>"),
        "the sample is labelled as one"
    );
    assert!(preview.body.contains("<strong>2.1.</strong> Hoàn thành đúng hạn"));
    assert!(preview.body.contains("Hệ thống tự tính: Tỷ lệ nhiệm vụ được giao"));
    assert!(preview.body.contains("Đơn vị sự nghiệp"), "{}", preview.body);
    assert!(
        preview.body.contains(">85</td>"),
        "service units' maximum: {}",
        preview.body
    );
    assert!(preview.body.contains(r##"fill="#1b7f3b""##));
    assert!(preview.body.contains("Hoàn thành xuất sắc nhiệm vụ"));
    assert!(
        app.store.rubric_versions().await.unwrap().is_empty(),
        "a preview saves nothing"
    );

    let source = support::unescape(&textarea_value(&preview.body, "source"));
    assert_eq!(source, SAMPLE_RUBRIC, "the preview carries the file unchanged");
    let saved = admin.post("/evaluations/rubrics", &[("source", &source)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = admin.get(&saved.location()).await;
    assert!(page.body.contains("MAU-DVCQ-729"));

    // Everyone signed in reads it; nobody can replace it.
    let officer = app.login_as(Role::Officer).await;
    let list = officer.get("/evaluations/rubrics").await;
    assert!(list.body.contains("MAU-DVCQ-729") && list.body.contains("MẪU"));
    assert!(!list.body.contains("Tải lên phiên bản mới"), "officers do not upload");
    let again = admin.post("/evaluations/rubrics", &[("source", &source)]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Phiên bản đã lưu không sửa được"), "{}", again.body);
    let entries = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("rubric_version".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, app.fixture.username(Role::Admin));
}

const MECHANISMS_RUBRIC: &str = include_str!("../../../rubrics/examples/co-che-day-du.toml");

async fn a_draft_rubric_with_every_mechanism_is_previewed_saved_again_then_issued(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let preview = admin
        .post_multipart(
            "/evaluations/rubrics/preview",
            true,
            &[("file", Some("vd.toml"), MECHANISMS_RUBRIC.as_bytes())],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let body = support::unescape(&preview.body);
    for shown in [
        "<strong>Dự thảo</strong>: chưa có số quyết định ban hành",
        "Mức \"Hoàn thành xuất sắc nhiệm vụ\" tối đa 20% số cơ quan được xếp từ mức \"Hoàn thành tốt nhiệm vụ\" trở lên",
        "Mức \"Hoàn thành tốt nhiệm vụ\" tối đa 50% số cơ quan trong nhóm",
        "Không đủ điều kiện xếp loại",
        "1 điểm mỗi lần, tối đa 3",
        "UBND cấp xã: từ 85 điểm",
        "mỗi tiêu chí đạt ít nhất 70% số điểm",
        "tiêu chí C đạt ít nhất 50% số điểm",
        "quy đổi về thang 100 điểm",
    ] {
        assert!(body.contains(shown), "{shown}: {body}");
    }
    assert!(!body.contains("Cần xem lại"), "no warning for the example");
    let saved = admin
        .post("/evaluations/rubrics", &[("source", MECHANISMS_RUBRIC)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // A draft saved again under its code is replaced, not duplicated.
    let edited = MECHANISMS_RUBRIC.replace("(mẫu)\"", "(mẫu, sửa lần 2)\"");
    let again = admin.post("/evaluations/rubrics", &[("source", &edited)]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let versions = app.store.rubric_versions().await.unwrap();
    assert_eq!(versions.len(), 1);
    assert!(versions[0].title.ends_with("(mẫu, sửa lần 2)") && versions[0].decision.is_empty());
    // Its decision named, it is issued; from then on it is never changed.
    let issued = edited.replace("sample = true", "sample = true\ndecision = \"15/QĐ-UBND\"");
    assert_eq!(
        admin.post("/evaluations/rubrics", &[("source", &issued)]).await.status,
        StatusCode::SEE_OTHER
    );
    let refused = admin.post("/evaluations/rubrics", &[("source", &issued)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Phiên bản đã lưu không sửa được"));
    let actions: Vec<String> = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("rubric_version".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["update_draft", "update_draft", "create"]);
    // Sums that do not match are shown as warnings; a misspelt kind is an error with its line.
    let uneven = SAMPLE_RUBRIC.replace(
        "max_for = { service_unit = 10, provincial_committee = 10, commune_committee = 10, other = 10 }",
        "max_for = { service_unit = 10, district_committee = 30 }",
    );
    let warned = admin
        .post_multipart(
            "/evaluations/rubrics/preview",
            true,
            &[("file", Some("a.toml"), uneven.as_bytes())],
        )
        .await;
    assert_eq!(warned.status, StatusCode::OK);
    assert!(
        support::unescape(&warned.body).contains("Cần xem lại"),
        "{}",
        warned.body
    );
    let misspelt = SAMPLE_RUBRIC.replace("\"district_committee\"]", "\"district_comittee\"]");
    let refused = admin
        .post_multipart(
            "/evaluations/rubrics/preview",
            true,
            &[("file", Some("b.toml"), misspelt.as_bytes())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        support::unescape(&refused.body).contains("\"district_comittee\" không phải loại cơ quan hay mã nhóm nào"),
        "{}",
        refused.body
    );
}

async fn the_department_builds_a_rubric_in_the_browser_tries_it_saves_and_exports_it(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    let blank = monitor.get("/evaluations/rubrics/editor").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.body.contains("name=\"c0_id\"") && blank.body.contains("Kiểm tra và chấm thử"));
    let mut form: Vec<(&str, &str)> = vec![
        ("code", "TS-2026"),
        ("title", "Bộ tiêu chí thử nghiệm"),
        ("valid_from", "01/01/2026"),
        ("bonus_cap", "0"),
        ("penalty_cap", "0"),
        ("c0_order", "1"),
        ("c0_id", "1"),
        ("c0_title", "Lãnh đạo, chỉ đạo"),
        ("c0_max", "60"),
        ("c0_mode", "manual"),
        ("c0_scoredby", "agency"),
        ("c1_order", "2"),
        ("c1_id", "1.1"),
        ("c1_parent", "1"),
        ("c1_title", "Kế hoạch năm"),
        ("c1_max", "30"),
        ("c1_mode", "manual"),
        ("c1_scoredby", "agency"),
        ("c1_trial", "30"),
        ("c2_order", "3"),
        ("c2_id", "1.2"),
        ("c2_parent", "1"),
        ("c2_title", "Kiểm tra"),
        ("c2_max", "30"),
        ("c2_mode", "manual"),
        ("c2_scoredby", "agency"),
        ("c2_trial", "20"),
        ("c3_order", "4"),
        ("c3_id", "2"),
        ("c3_title", "Đối thoại với nhân dân"),
        ("c3_max", "40"),
        ("c3_mode", "yes_no"),
        ("c3_scoredby", "agency"),
        ("c3_trial", "có"),
        ("c4_order", "5"),
        ("c4_id", ""),
        ("c4_title", ""),
        ("c4_max", ""),
        ("b0_code", "tot"),
        ("b0_title", "Hoàn thành tốt"),
        ("b0_min", "70"),
        ("b1_code", "dat"),
        ("b1_title", "Hoàn thành"),
        ("b1_min", "0"),
        ("trial_kind", "department"),
    ];
    form.push(("action", "check"));
    let checked = monitor.post("/evaluations/rubrics/editor", &form).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    let body = support::unescape(&checked.body);
    assert!(
        body.contains("Tổng điểm <strong>90/100</strong>") && body.contains("Xếp loại <strong>Hoàn thành tốt</strong>"),
        "{body}"
    );
    assert!(body.contains("Điểm tối đa theo loại cơ quan"));
    assert!(
        app.store.rubric_versions().await.unwrap().is_empty(),
        "a check saves nothing"
    );
    // A row naming a parent that does not exist: refused, and what was typed comes back.
    let mut wrong = form.clone();
    wrong.retain(|(k, _)| *k != "c2_parent" && *k != "action");
    wrong.push(("c2_parent", "9"));
    wrong.push(("action", "save"));
    let refused = monitor.post("/evaluations/rubrics/editor", &wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        support::unescape(&refused.body).contains("Tiêu chí 1.2: không có tiêu chí cấp trên \"9\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"Kiểm tra\""), "nothing typed is lost");
    // Saved without a decision: a draft.
    form.retain(|(k, _)| *k != "action");
    form.push(("action", "save"));
    let saved = monitor.post("/evaluations/rubrics/editor", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = monitor.get(&saved.location()).await;
    assert!(page.body.contains("<strong>Dự thảo</strong>") && page.body.contains("Sửa tiếp dự thảo"));
    let id = saved.location().rsplit('/').next().unwrap().parse::<i64>().unwrap();
    let stored = app.store.rubric_version(id).await.unwrap().unwrap().rubric().unwrap();
    assert_eq!(stored.criteria[0].children.len(), 2);
    assert!(stored.is_draft());
    // Exported as TOML, it reads back as the same rubric, and imports through the upload.
    let export = monitor.get(&format!("/evaluations/rubrics/{id}/export")).await;
    assert_eq!(export.status, StatusCode::OK);
    let text = String::from_utf8(export.bytes.clone()).unwrap();
    assert_eq!(danvan_domain::rubric::parse(&text).unwrap(), stored);
    let imported = monitor
        .post_multipart(
            "/evaluations/rubrics/preview",
            true,
            &[("file", Some("ts.toml"), text.as_bytes())],
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    // Started again from the draft: the editor holds its rows; moved, one removed, saved in place.
    let again = monitor.get(&format!("/evaluations/rubrics/editor?from={id}")).await;
    assert!(again.body.contains("value=\"TS-2026\"") && again.body.contains("value=\"Kế hoạch năm\""));
    let mut edited: Vec<(&str, &str)> = form
        .iter()
        .filter(|(k, _)| !k.starts_with("c3_") && *k != "action")
        .copied()
        .collect();
    edited.push(("action", "save"));
    for (k, v) in edited.iter_mut() {
        if *k == "c0_max" {
            *v = "100";
        }
        if *k == "c1_max" {
            *v = "50";
        }
        if *k == "c2_max" {
            *v = "50";
        }
    }
    let replaced = monitor.post("/evaluations/rubrics/editor", &edited).await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER, "{}", replaced.body);
    assert_eq!(
        app.store.rubric_versions().await.unwrap().len(),
        1,
        "a draft is replaced"
    );
    let stored = app.store.rubric_version(id).await.unwrap().unwrap().rubric().unwrap();
    assert_eq!(stored.criteria.len(), 1);
    // Officers neither open the editor nor see the link to it.
    let officer = app.login_as(Role::Officer).await;
    assert_eq!(
        officer.get("/evaluations/rubrics/editor").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !officer
            .get(&format!("/evaluations/rubrics/{id}"))
            .await
            .body
            .contains("Sửa tiếp dự thảo")
    );
}

async fn a_broken_rubric_file_is_refused_with_its_lines(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let broken = SAMPLE_RUBRIC.replace("min = 70", "min = 90");
    let refused = admin
        .post_multipart(
            "/evaluations/rubrics/preview",
            true,
            &[("file", Some("sai.toml"), broken.as_bytes())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let line = broken.lines().position(|l| l == "code = \"tot\"").unwrap() + 1;
    assert!(
        support::unescape(&refused.body).contains(&format!(
            "Dòng {line}: hai mức \"xuat_sac\" và \"tot\" có cùng ngưỡng 90"
        )),
        "{}",
        refused.body
    );
    let binary = admin
        .post_multipart(
            "/evaluations/rubrics/preview",
            true,
            &[("file", Some("a.toml"), b"\xff\xfe\x00x")],
        )
        .await;
    assert_eq!(binary.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(binary.body.contains("không phải văn bản UTF-8"));
    let no_token = admin
        .post_multipart(
            "/evaluations/rubrics/preview",
            false,
            &[("file", Some("mau.toml"), SAMPLE_RUBRIC.as_bytes())],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    // The Department and admins build rubrics; agencies' officers do not.
    let officer = app.login_as(Role::Officer).await;
    let forbidden = officer.post("/evaluations/rubrics", &[("source", SAMPLE_RUBRIC)]).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    // A file posted straight to the save route is checked again.
    let forged = admin.post("/evaluations/rubrics", &[("source", &broken)]).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store.rubric_versions().await.unwrap().is_empty());
}

async fn an_evaluation_cycle_goes_from_self_scoring_to_published_results(app: TestApp) {
    let rubric = danvan_domain::rubric::parse(SAMPLE_RUBRIC).unwrap();
    let actor = danvan_store::Actor::system("test");
    let rubric_id = app
        .store
        .save_rubric_version(&actor, &rubric, SAMPLE_RUBRIC)
        .await
        .unwrap();
    // What the computed criteria 4.1 and 4.2 read: one initiative of Sở A recognised in 2022,
    // one 2022 course one of its officials attended.
    recognised_initiative(&app, app.fixture.unit_a, "Một cửa thân thiện", 2022).await;
    let course = danvan_store::training::NewCourse {
        unit_id: app.fixture.unit_b,
        title: "Tập huấn công tác dân vận".into(),
        topic: "Quy chế dân chủ ở cơ sở".into(),
        starts_on: time::macros::date!(2022 - 08 - 15),
        ends_on: time::macros::date!(2022 - 08 - 15),
        place: "Hội trường Sở B".into(),
        organiser: "Sở B".into(),
        trainers: "Ban Dân vận Tỉnh ủy".into(),
    };
    let course_id = app.store.add_course(&actor, &course).await.unwrap();
    let attendee = danvan_domain::training::Attendee {
        name: "Nguyễn Văn An".into(),
        position: "Chuyên viên".into(),
        unit_id: app.fixture.unit_a,
        category: danvan_domain::training::Category::CongChuc,
    };
    app.store
        .add_attendance(&actor, course_id, &[attendee], "nhập tay")
        .await
        .unwrap();
    let monitor = app.login_as(Role::Monitor).await;
    let group = app.fixture.group.to_string();
    let rubric_field = rubric_id.to_string();
    let open = [
        ("year", "2022"),
        ("group_id", group.as_str()),
        ("rubric_version_id", rubric_field.as_str()),
        ("self_deadline", "05/12/2022"),
        ("appraisal_deadline", "20/12/2022"),
    ];
    let opened = monitor.post("/evaluations", &open).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let cycle_path = opened.location();
    let twice = monitor.post("/evaluations", &open).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("Đã có đợt đánh giá năm 2022"), "{}", twice.body);

    // The officer sees only its own agency's assessment.
    let officer = app.login_as(Role::Officer).await;
    let cycle_page = officer.get(&cycle_path).await;
    assert!(
        cycle_page.body.contains("Sở A") && !cycle_page.body.contains("Sở B"),
        "{}",
        cycle_page.body
    );
    let cycle_id: i64 = cycle_path.rsplit('/').next().unwrap().parse().unwrap();
    let assessments = app.store.assessments(cycle_id).await.unwrap();
    let ours = assessments.iter().find(|a| a.unit_id == app.fixture.unit_a).unwrap().id;
    let theirs = assessments.iter().find(|a| a.unit_id == app.fixture.unit_b).unwrap().id;
    assert_eq!(
        officer.get(&format!("/assessments/{theirs}")).await.status,
        StatusCode::FORBIDDEN
    );
    let path = format!("/assessments/{ours}");

    // Self-scoring closed on 05/12/2022: refused, and no form is offered, until the Department
    // extends it for the agency, with a reason.
    let before = official_state(&app.store).await;
    let late = post_parts(&officer, &path, &[("action", "save"), ("v_criterion:1.3", "8,5")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert!(
        late.body.contains("Hạn tự chấm đã hết ngày 05/12/2022"),
        "{}",
        late.body
    );
    assert_eq!(official_state(&app.store).await, before);
    assert!(!officer.get(&path).await.body.contains("value=\"submit\""));
    let extend = format!("{cycle_path}/extend");
    let unit_a = app.fixture.unit_a.to_string();
    let no_reason = monitor
        .post(
            &extend,
            &[
                ("window", "self"),
                ("unit", &unit_a),
                ("until", "20/12/2022"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Gia hạn phải ghi rõ lý do."));
    let earlier = monitor
        .post(
            &extend,
            &[
                ("window", "self"),
                ("unit", &unit_a),
                ("until", "01/12/2022"),
                ("reason", "x"),
            ],
        )
        .await;
    assert!(
        earlier.body.contains("phải sau hạn đang áp dụng (05/12/2022)"),
        "{}",
        earlier.body
    );
    assert_eq!(
        officer
            .post(
                &extend,
                &[("window", "self"), ("until", "20/12/2022"), ("reason", "Tự gia hạn")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let extended = monitor
        .post(
            &extend,
            &[
                ("window", "self"),
                ("unit", &unit_a),
                ("until", "20/12/2022"),
                ("reason", "Thay đổi nhân sự phụ trách"),
            ],
        )
        .await;
    assert_eq!(extended.status, StatusCode::SEE_OTHER, "{}", extended.body);
    assert!(
        monitor
            .get(&cycle_path)
            .await
            .body
            .contains("Hạn tự chấm đến 20/12/2022 cho Sở A: Thay đổi nhân sự phụ trách")
    );
    assert!(officer.get(&path).await.body.contains("Hạn tự chấm 20/12/2022"));
    let running = |body: &str| -> String {
        let start = body.find("data-running-total>").expect("a running total") + "data-running-total>".len();
        body[start..start + body[start..].find('<').unwrap()].to_owned()
    };
    // A save with nothing typed keeps the system's figures for the computed criteria only.
    let computed_only = post_parts(&officer, &path, &[("action", "save")]).await;
    assert_eq!(computed_only.status, StatusCode::SEE_OTHER);
    let first = officer.get(&path).await;
    let total_before = running(&first.body);
    // No appraisal yet: no appraisal columns for the agency; the rubric's badge is not here.
    assert!(!first.body.contains(">Thẩm định</th>") && !first.body.contains(">MẪU<"));

    let draft = post_parts(
        &officer,
        &path,
        &[
            ("action", "save"),
            ("v_criterion:1.3", "8,5"),
            ("note_criterion:1.3", "Quyết định số 12/QĐ-SA"),
        ],
    )
    .await;
    assert_eq!(draft.status, StatusCode::SEE_OTHER, "{}", draft.body);
    // The running total follows the saved answers: 8,5 points more for criterion 1.3, and its
    // section's subtotal shows them.
    let saved = officer.get(&path).await;
    let as_number = |text: &str| text.replace('.', "").replace(',', ".").parse::<f64>().unwrap();
    assert_eq!(
        as_number(&running(&saved.body)) - as_number(&total_before),
        8.5,
        "{} then {}",
        total_before,
        running(&saved.body)
    );
    assert!(
        saved
            .body
            .contains(r#"data-running="criterion:1.3" data-max="10">8,5<"#),
        "{}",
        saved.body
    );
    assert!(officer.get(&path).await.body.contains(r#"value="8,5""#));
    let bad = post_parts(&officer, &path, &[("action", "save"), ("v_criterion:1.3", "12")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Tiêu chí 1.3: điểm không được vượt quá 10."),
        "{}",
        bad.body
    );
    let incomplete = post_parts(&officer, &path, &[("action", "submit"), ("v_criterion:1.3", "8,5")]).await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.body.contains("Chưa chấm các tiêu chí: 1.1, 3.2."),
        "{}",
        incomplete.body
    );
    let mut full = vec![
        ("action", "submit"),
        ("v_criterion:1.1", "1"),
        ("note_criterion:1.1", "Kế hoạch số 05/KH-SA"),
        ("v_criterion:1.3", "8,5"),
        ("note_criterion:1.3", "Quyết định số 12/QĐ-SA"),
        ("v_criterion:3.2", "1"),
        ("v_bonus:T2", "2"),
    ];
    let no_evidence = post_parts(&officer, &path, &full).await;
    assert!(
        no_evidence.body.contains("Tiêu chí 3.2 cần minh chứng"),
        "{}",
        no_evidence.body
    );
    let refused = post_parts_with_file(&officer, &path, &full, "criterion:3.2", "virus.exe", b"MZ\x90\x00").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Tệp virus.exe: chỉ nhận minh chứng dạng PDF"),
        "{}",
        refused.body
    );
    let with_file = post_parts_with_file(
        &officer,
        &path,
        &[("action", "save")],
        "criterion:3.2",
        "bien-ban.pdf",
        b"%PDF-1.4 bien ban",
    )
    .await;
    assert_eq!(with_file.status, StatusCode::SEE_OTHER, "{}", with_file.body);
    let evidence = monitor.get(&format!("{path}/evidence?item=criterion%3A3.2")).await;
    assert_eq!(
        (evidence.status, evidence.bytes.as_slice()),
        (StatusCode::OK, &b"%PDF-1.4 bien ban"[..])
    );
    assert_eq!(
        app.login_as(Role::Leader)
            .await
            .get(&format!("{path}/evidence?item=criterion%3A1.1"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // "Gửi" keeps what was typed as a draft and asks on a page that says what follows.
    let asked = post_parts(&officer, &path, &full).await;
    assert_eq!(
        (asked.status, asked.location()),
        (StatusCode::SEE_OTHER, format!("{path}/submit"))
    );
    assert!(officer.get(&path).await.body.contains(r#"value="8,5""#));
    let confirm = officer.get(&format!("{path}/submit")).await;
    assert!(
        confirm.body.contains("Đã chấm 3/3 tiêu chí đơn vị tự chấm.")
            && confirm
                .body
                .contains("không sửa được bản tự đánh giá cho đến khi Hội đồng thẩm định trả lại"),
        "{}",
        confirm.body
    );
    assert_eq!(
        monitor.get(&format!("{path}/submit")).await.status,
        StatusCode::FORBIDDEN,
        "only the agency submits"
    );
    let submitted = officer.post(&format!("{path}/submit"), &[]).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
    let locked = post_parts(&officer, &path, &[("action", "save"), ("v_criterion:1.3", "10")]).await;
    assert_eq!(locked.status, StatusCode::CONFLICT, "submitted assessments are locked");

    // Returned with a reason, corrected and submitted again: the appraiser sees the change.
    let appraise = format!("{path}/appraise");
    let no_reason = monitor.post(&appraise, &[("action", "return")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    monitor
        .post(
            &appraise,
            &[("action", "return"), ("reason", "Minh chứng 1.3 chưa đính kèm")],
        )
        .await;
    assert!(
        officer
            .get(&path)
            .await
            .body
            .contains("Bị trả lại: Minh chứng 1.3 chưa đính kèm")
    );
    full[4] = ("note_criterion:1.3", "Quyết định số 12/QĐ-SA ngày 02/3/2022");
    full[3] = ("v_criterion:1.3", "9");
    assert_eq!(post_parts(&officer, &path, &full).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        officer.post(&format!("{path}/submit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let review = monitor.get(&path).await;
    assert!(
        review
            .body
            .contains("Hệ thống tự tính: Không có nhiệm vụ nào đến hạn trong năm: đạt điểm tối đa.")
    );
    assert!(
        review
            .body
            .contains("Hệ thống tự tính: Hệ thống chưa có dữ liệu về báo cáo định kỳ")
    );
    for figure in [
        "Hệ thống tự tính: 1 mô hình, điển hình \"Dân vận khéo\" được công nhận trong năm.",
        "Hệ thống tự tính: 1 lớp tập huấn trong năm.",
    ] {
        assert!(
            review.body.contains(&askama_escaped(figure)),
            "{figure}: {}",
            review.body
        );
    }
    assert_eq!(
        review.body.matches("Đã sửa từ lần gửi trước").count(),
        1,
        "{}",
        review.body
    );
    // 44 from the agency's own lines and 10 from the two computed criteria above.
    assert!(review.body.contains("Tự chấm 54 điểm"), "{}", review.body);

    // A council member appraises too; only the Department finalizes.
    let council = app.login_as(Role::Appraiser).await;
    let by_council = council
        .post(
            &appraise,
            &[
                ("action", "save"),
                ("a_criterion:5", "7"),
                ("c_criterion:5", "Đề xuất 7 điểm"),
            ],
        )
        .await;
    assert_eq!(by_council.status, StatusCode::SEE_OTHER, "{}", by_council.body);
    let entries = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("assessment_item".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(entries.iter().any(|e| e.actor == "hoidong" && e.action == "appraise"));
    assert_eq!(
        council.post(&format!("{cycle_path}/finalize"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // The table says what the server does: only the Department finalizes, only leaders publish.
    let admin = app.login_as(Role::Admin).await;
    assert_eq!(
        admin.post(&format!("{cycle_path}/finalize"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    for (role, may) in [
        (Role::Appraiser, false),
        (Role::Monitor, false),
        (Role::Admin, false),
        (Role::Leader, true),
    ] {
        let spec = ROUTES.iter().find(|r| r.path == "/evaluations/{id}/publish").unwrap();
        assert_eq!(spec.access.allows(role), may, "{role:?}");
    }
    assert_eq!(
        council
            .post(&format!("{cycle_path}/publish"), &[("password", PASSWORD)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The council scores what only it scores, and finishes.
    let appraisal = [
        ("action", "done"),
        ("a_criterion:1.2", "5"),
        ("a_criterion:2.1", "18"),
        ("a_criterion:2.2", "10"),
        ("a_criterion:3.1", "12"),
        ("a_criterion:4.1", "5"),
        ("a_criterion:4.2", "5"),
        ("a_criterion:5", "8"),
        ("c_criterion:5", "Chủ động, sáng tạo"),
    ];
    // Completing with a criterion only the council scores left empty is refused, whatever
    // else the post carried, and keeps nothing of it.
    let before = official_state(&app.store).await;
    let early = monitor
        .post(
            &appraise,
            &[("action", "done"), ("a_criterion:1.2", "5"), ("a_bonus:T2", "1")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    assert!(
        early
            .body
            .contains("còn 1 tiêu chí do cấp trên chấm chưa có điểm (3.1)"),
        "{}",
        early.body
    );
    assert_eq!(
        official_state(&app.store).await,
        before,
        "a refused completion keeps nothing"
    );
    let done = monitor.post(&appraise, &appraisal).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // Completing it again with a bonus changed is refused and keeps nothing either.
    let before = official_state(&app.store).await;
    let again = monitor
        .post(&appraise, &[("action", "done"), ("a_bonus:T2", "1")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(official_state(&app.store).await, before, "a refused step keeps nothing");
    // A save that sends one line changes that line only.
    let one = monitor
        .post(&appraise, &[("action", "save"), ("c_criterion:2.1", "Đạt yêu cầu")])
        .await;
    assert_eq!(one.status, StatusCode::SEE_OTHER, "{}", one.body);
    let items = app.store.assessment_items(ours).await.unwrap();
    let item = |id: &str| items.iter().find(|i| i.item_id == id).unwrap();
    assert_eq!(
        (
            item("2.1").appraised_value.as_deref(),
            item("2.1").appraisal_comment.as_str()
        ),
        (Some("p:1800"), "Đạt yêu cầu")
    );
    assert_eq!(
        item("5").appraisal_comment,
        "Chủ động, sáng tạo",
        "lines not sent keep their values"
    );
    assert!(
        monitor
            .get(&path)
            .await
            .body
            .contains("Sau thẩm định 87 điểm (Hoàn thành tốt nhiệm vụ)")
    );
    // The Department rules a criterion out for this agency, with the reason, or not at all.
    let no_reason = monitor
        .post(
            &appraise,
            &[("action", "save"), ("a_criterion:3.1", ""), ("na_criterion:3.1", "1")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .body
            .contains("Tiêu chí 3.1: ghi lý do không áp dụng vào ô nhận xét.")
    );
    let ruled_out = monitor
        .post(
            &appraise,
            &[
                ("action", "save"),
                ("a_criterion:3.1", ""),
                ("na_criterion:3.1", "1"),
                (
                    "c_criterion:3.1",
                    "Sở chưa thuộc diện xếp hạng Chỉ số cải cách hành chính năm 2022",
                ),
            ],
        )
        .await;
    assert_eq!(ruled_out.status, StatusCode::SEE_OTHER, "{}", ruled_out.body);
    let items = app.store.assessment_items(ours).await.unwrap();
    assert_eq!(
        items
            .iter()
            .find(|i| i.item_id == "3.1")
            .unwrap()
            .appraised_value
            .as_deref(),
        Some("x:0")
    );
    let page = monitor.get(&path).await.body;
    // 87 less the 12 of 3.1; the maximum is 85 now.
    assert!(page.contains("Sau thẩm định 75 điểm"), "{page}");
    assert!(page.contains(r#"name="na_criterion:3.1" value="1" checked"#));
    // The council neither rules criteria out nor, saving its page, takes a ruling back.
    let council_rules = council
        .post(
            &appraise,
            &[("action", "save"), ("na_criterion:2.1", "1"), ("c_criterion:2.1", "x")],
        )
        .await;
    assert_eq!(council_rules.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(council_rules.body.contains("chỉ Sở Nội vụ quyết định"));
    let council_saves = council
        .post(&appraise, &[("action", "save"), ("a_criterion:3.1", "")])
        .await;
    assert_eq!(council_saves.status, StatusCode::SEE_OTHER, "{}", council_saves.body);
    let items = app.store.assessment_items(ours).await.unwrap();
    assert_eq!(
        items
            .iter()
            .find(|i| i.item_id == "3.1")
            .unwrap()
            .appraised_value
            .as_deref(),
        Some("x:0")
    );
    // An emptied reason does not stand.
    let emptied = monitor
        .post(
            &appraise,
            &[("action", "save"), ("na_criterion:3.1", "1"), ("c_criterion:3.1", " ")],
        )
        .await;
    assert_eq!(emptied.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Ruled back in, with its score.
    let back = monitor
        .post(&appraise, &[("action", "save"), ("a_criterion:3.1", "12")])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert!(monitor.get(&path).await.body.contains("Sau thẩm định 87 điểm"));

    // Publication: the leader cannot publish before the Department finalizes.
    let leader = app.login_as(Role::Leader).await;
    assert_eq!(
        leader.get(&format!("{cycle_path}/decision.docx")).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        leader.post(&format!("{cycle_path}/publish"), &[]).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        officer.post(&format!("{cycle_path}/finalize"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // Sở B never submitted, and its deadline has passed: the Department marks it "không nộp".
    let mark = format!("/assessments/{theirs}/not-submitted");
    assert_eq!(
        officer.post(&mark, &[("reason", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
    let no_reason = monitor.post(&mark, &[("reason", " ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("phải ghi rõ lý do"), "{}", no_reason.body);
    let marked = monitor
        .post(&mark, &[("reason", "Quá hạn, không có văn bản giải trình")])
        .await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.body);
    assert!(monitor.get(&cycle_path).await.body.contains(">Không nộp<"));
    // Finalizing cannot be undone: a page says what it will do before the button that does it.
    let cycle_page = monitor.get(&cycle_path).await;
    assert!(cycle_page.body.contains(&format!("href=\"{cycle_path}/finalize\"")));
    let confirm = monitor.get(&format!("{cycle_path}/finalize")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    for text in [
        "1 cơ quan đã được thẩm định",
        "1 cơ quan bị đánh dấu không nộp",
        "Bước này không hoàn tác được",
        "Xác nhận tổng hợp kết quả",
    ] {
        assert!(confirm.body.contains(text), "{text}: {}", confirm.body);
    }
    assert_eq!(
        app.login_as(Role::Leader)
            .await
            .get(&format!("{cycle_path}/finalize"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        monitor.post(&format!("{cycle_path}/finalize"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let before_publication = officer.get(&cycle_path).await;
    assert_eq!(
        before_publication.status,
        StatusCode::OK,
        "the officer still sees its own assessment"
    );
    assert!(before_publication.body.contains(&format!("/assessments/{ours}")));
    assert!(
        !before_publication.body.contains("Kết quả"),
        "no results before publication"
    );
    assert_eq!(
        officer.get(&format!("{cycle_path}/results.xlsx")).await.status,
        StatusCode::NOT_FOUND
    );
    let awaiting = leader.get(&cycle_path).await.body;
    assert!(awaiting.contains("chờ phê duyệt công bố"));
    // The page that asks for the password says what publishing does.
    assert!(awaiting.contains("các cơ quan, đơn vị xem được kết quả") && awaiting.contains("không hoàn tác được"));
    // Publishing asks for the password again (security.md 13).
    let unconfirmed = leader.post(&format!("{cycle_path}/publish"), &[]).await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert!(unconfirmed.body.contains("Mật khẩu xác nhận không đúng"));
    assert_eq!(
        leader
            .post(&format!("{cycle_path}/publish"), &[("password", "sai-mat-khau-roi")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert!(!officer.get(&cycle_path).await.body.contains("Kết quả đã công bố"));
    assert_eq!(
        leader
            .post(&format!("{cycle_path}/publish"), &[("password", PASSWORD)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let published = officer.get(&cycle_path).await;
    assert!(published.body.contains("Kết quả đã công bố"), "{}", published.body);
    // The monitor's dashboard shows the bands of 2022, and of the latest year with results while
    // a later one runs.
    let dashboard = monitor.get("/?period=2022").await;
    assert!(
        dashboard
            .body
            .contains("Xếp loại công tác dân vận chính quyền năm 2022 (2 cơ quan)")
    );
    let later = monitor.get("/?period=2023").await;
    assert!(
        later.body.contains("năm 2022 (2 cơ quan; năm 2023 chưa có kết quả)"),
        "{}",
        later.body
    );
    let first = published.body.find("Sở A").unwrap();
    let second = published.body.rfind("Sở B").unwrap();
    assert!(first < second, "Sở A ranks first");
    assert!(
        published
            .body
            .contains("Không nộp bản tự đánh giá: Quá hạn, không có văn bản giải trình. Xếp ở mức thấp nhất.")
    );
    assert!(published.body.contains(r#"data-band="tot""#) && published.body.contains(">87<"));
    assert_eq!(
        monitor.post(&appraise, &appraisal).await.status,
        StatusCode::CONFLICT,
        "closed after finalizing"
    );

    // The results as Excel, and Sở A's history.
    let export = officer.get(&format!("{cycle_path}/results.xlsx")).await;
    assert_eq!(export.status, StatusCode::OK);
    support::assert_export_layout(&export.bytes);
    {
        // Points are numbers, not text.
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(export.bytes.clone())).unwrap();
        let first = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&first).unwrap();
        let numbers = range
            .used_cells()
            .filter(|(_, _, v)| matches!(v, calamine::Data::Float(f) if (*f - 87.0).abs() < 1e-9))
            .count();
        assert!(numbers >= 1, "the total 87 stored as a number");
    }
    let rows = danvan_web::spreadsheet::read_rows(&export.bytes).unwrap();
    let cells: Vec<&str> = rows.values().flatten().map(String::as_str).collect();
    for text in [
        "Hạng",
        "Sở A",
        "Sở B",
        "Hoàn thành tốt nhiệm vụ",
        "87",
        // The agency's own total: its submitted points, none of the council's.
        "54",
    ] {
        assert!(cells.contains(&text), "{text} missing from the sheet: {cells:?}");
    }
    assert!(rows[&1][0].starts_with("Kết quả đánh giá công tác dân vận chính quyền năm"));
    // The draft decision: the official parts, then the results as its appendix.
    assert_eq!(
        officer.get(&format!("{cycle_path}/decision.docx")).await.status,
        StatusCode::FORBIDDEN
    );
    let decision = leader.get(&format!("{cycle_path}/decision.docx")).await;
    assert_eq!(decision.status, StatusCode::OK);
    assert_eq!(
        decision.header("content-type"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(decision.bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let text: String = xml
        .split("<w:t xml:space=\"preserve\">")
        .skip(1)
        .map(|part| part.split("</w:t>").next().unwrap())
        .collect::<Vec<_>>()
        .join("|");
    let in_order = [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:       /QĐ-UBND",
        "QUYẾT ĐỊNH",
        "Về việc công bố kết quả đánh giá, xếp loại công tác dân vận chính quyền năm 2022",
        "Căn cứ Quyết định số 729/QĐ-UBND",
        "QUYẾT ĐỊNH:",
        "Điều 1. ",
        "Điều 3. ",
        "chịu trách nhiệm thi hành Quyết định này./.",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Phụ lục",
        "STT",
        "Sở A",
        "87",
        "Hoàn thành tốt nhiệm vụ",
        "Sở B",
    ];
    let mut from = 0;
    for part in in_order {
        let at = text[from..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} missing or out of order in {text}"));
        from += at + part.len();
    }
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#) && xml.contains(r#"<w:br w:type="page"/>"#));
    assert!(
        xml.contains("<w:tblHeader/>"),
        "the appendix table repeats its header row"
    );
    let history = officer.get(&format!("/units/{}/evaluations", app.fixture.unit_a)).await;
    assert!(
        history.body.contains(">2022</a>") && history.body.contains(">87<"),
        "{}",
        history.body
    );

    let audited: Vec<String> = app
        .store
        .audit_entries(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.action, e.object_type))
        .collect();
    for step in [
        "open evaluation_cycle",
        "submit assessment",
        "return assessment",
        "appraise assessment_item",
        "finalize evaluation_cycle",
        "publish evaluation_cycle",
    ] {
        assert!(audited.iter().any(|a| a == step), "{step}: {audited:?}");
    }
}

/// Posts the assessment form as the page does: a multipart upload with the token in the query.
async fn post_parts(client: &support::Client, path: &str, fields: &[(&str, &str)]) -> support::TestResponse {
    let parts: Vec<(&str, Option<&str>, &[u8])> = fields.iter().map(|(k, v)| (*k, None, v.as_bytes())).collect();
    client.post_multipart(path, true, &parts).await
}

async fn post_parts_with_file(
    client: &support::Client,
    path: &str,
    fields: &[(&str, &str)],
    key: &str,
    file_name: &str,
    content: &[u8],
) -> support::TestResponse {
    let field = format!("file_{key}");
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = fields.iter().map(|(k, v)| (*k, None, v.as_bytes())).collect();
    parts.push((field.as_str(), Some(file_name), content));
    client.post_multipart(path, true, &parts).await
}

async fn an_agency_assigns_its_leader_and_the_monitor_sees_who_has_none(app: TestApp) {
    let officer = app.login_as(Role::Officer).await;
    let path = format!("/units/{}/leaders", app.fixture.unit_a);
    let form = [
        ("name", "Nguyễn Thị Hoa"),
        ("position", "Phó Giám đốc"),
        ("decision", "15/QĐ-SA"),
        ("valid_from", "01/03/2022"),
    ];
    let saved = officer.post(&path, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = officer.get(&path).await;
    assert!(page.body.contains("Nguyễn Thị Hoa") && page.body.contains("01/03/2022") && page.body.contains("nay"));
    // A second assignment ends the first; going back in time is refused with a reason.
    let earlier = [
        ("name", "Lê Văn Nam"),
        ("position", "Giám đốc"),
        ("decision", "20/QĐ-SA"),
        ("valid_from", "01/01/2022"),
    ];
    let refused = officer.post(&path, &earlier).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("lịch sử phân công không sửa lùi được"));
    let invalid = officer.post(&path, &[("name", ""), ("valid_from", "31/02/2022")]).await;
    assert!(invalid.body.contains("Họ và tên không được để trống") && invalid.body.contains("Ngày bắt đầu phụ trách"));
    // Not for another agency.
    let other = format!("/units/{}/leaders", app.fixture.unit_b);
    assert_eq!(officer.post(&other, &form).await.status, StatusCode::FORBIDDEN);
    assert_eq!(officer.get(&other).await.status, StatusCode::FORBIDDEN);
    assert_eq!(officer.get("/leaders").await.status, StatusCode::FORBIDDEN);

    let monitor = app.login_as(Role::Monitor).await;
    let compliance = monitor.get("/leaders?date=15/12/2022").await;
    assert!(
        compliance.body.contains("Sở B") && !compliance.body.contains(">Sở A<"),
        "{}",
        compliance.body
    );
    let before = monitor.get("/leaders?date=28/02/2022").await;
    assert!(
        before.body.contains(">Sở A<") && before.body.contains(">Sở B<"),
        "{}",
        before.body
    );
    let entries = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("responsible_leader".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
}

async fn agencies_record_dissemination_and_the_monitor_sees_who_has_not(app: TestApp) {
    use danvan_store::directive::{NewDirective, NewTask};
    use time::macros::date;

    let (monitor, seed_path) = upload_seed(&app).await;
    let seed_id: i64 = seed_path.rsplit('/').next().unwrap().parse().unwrap();
    let mut calendar = app.store.work_calendar().await.unwrap();
    let directive = NewDirective {
        document_id: Some(seed_id),
        title: "Công văn 2071/UBND-NC".into(),
        document_date: date!(2022 - 04 - 25),
        tasks: vec![NewTask {
            content: "Phổ biến, quán triệt các văn bản.".into(),
            monitor_unit_id: None,
            deadline: danvan_domain::directive::Deadline::On(date!(2022 - 12 - 31)),
            leads: vec![app.fixture.unit_a, app.fixture.unit_b],
            supports: vec![],
        }],
    };
    let actor = danvan_store::Actor::system("test");
    app.store
        .create_directive(&actor, &directive, &mut calendar, date!(2022 - 04 - 25))
        .await
        .unwrap();

    let officer = app.login_as(Role::Officer).await;
    let path = format!("/units/{}/dissemination", app.fixture.unit_a);
    let page = officer.get(&path).await;
    assert!(
        page.body.contains("14/CT-TU"),
        "the seed's cited documents are offered: {}",
        page.body
    );
    let listed = app
        .store
        .document_by_number("14", "CT-TU", Some(2022))
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let refused = officer
        .post(&path, &[("held_on", "10/05/2022"), ("form", ""), ("participants", "0")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for error in [
        "Hình thức phổ biến không được để trống",
        "Số người tham dự phải là số nguyên dương",
        "Chọn ít nhất một văn bản",
    ] {
        assert!(refused.body.contains(error), "{error}");
    }
    let saved = officer
        .post(
            &path,
            &[
                ("held_on", "10/05/2022"),
                ("form", "Hội nghị cán bộ, công chức"),
                ("participants", "42"),
                ("document", &listed),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = officer.get(&path).await;
    assert!(
        page.body.contains("10/05/2022")
            && page.body.contains("Hội nghị cán bộ, công chức")
            && page.body.contains(">42<")
    );
    assert_eq!(
        officer
            .post(
                &format!("/units/{}/dissemination", app.fixture.unit_b),
                &[("held_on", "10/05/2022")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(officer.get("/dissemination").await.status, StatusCode::FORBIDDEN);

    let overview = monitor.get("/dissemination").await;
    assert_eq!(overview.status, StatusCode::OK);
    let row = overview
        .body
        .split("<tr>")
        .find(|r| r.contains("14/CT-TU"))
        .unwrap()
        .to_owned();
    assert!(
        row.contains("1/2") && row.contains("Sở B") && !row.contains("<li>Sở A</li>"),
        "{row}"
    );
}

fn registration_form<'a>(name: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", name),
        ("kind", "collective"),
        ("field", "political_system"),
        ("area", "Phường Nghĩa Đức, thành phố Gia Nghĩa"),
        ("beneficiaries", "Người dân đến làm thủ tục hành chính"),
        ("led_by", "Phạm Thị Thu Hà"),
        ("members", "Công chức bộ phận một cửa"),
        ("situation", "Người dân phải đi lại nhiều lần"),
        ("goals", "Trả kết quả đúng hẹn"),
        ("criteria", "100 % hồ sơ trả đúng hẹn"),
        ("content", "Nhắn tin báo kết quả, hướng dẫn một lần"),
        ("resources", "Kinh phí thường xuyên"),
        ("starts_on", "01/03/2022"),
        ("ends_on", "30/11/2022"),
        ("outputs", "Không còn hồ sơ trễ hẹn"),
        ("sustainability", "Duy trì hằng năm, nhân rộng toàn tỉnh"),
        ("registered_on", "15/02/2022"),
    ];
    // A field given again replaces the default (a form field may appear once).
    form.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    form.extend_from_slice(extra);
    form
}

fn created_id(response: &support::TestResponse, prefix: &str) -> i64 {
    response
        .location()
        .strip_prefix(prefix)
        .and_then(|rest| rest.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "expected a redirect to {prefix}…, got {} {}",
                response.status, response.body
            )
        })
}

async fn an_initiative_is_registered_carried_through_its_lifecycle_and_replicated(app: TestApp) {
    let officer = app.login_as(Role::Officer).await;
    let monitor = app.login_as(Role::Monitor).await;
    let invalid = officer
        .post(
            "/initiatives",
            &[("name", ""), ("starts_on", "01/03/2022"), ("ends_on", "01/02/2022")],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "Tên mô hình, điển hình: không được để trống.",
        "Chọn lĩnh vực.",
        "Ngày kết thúc không được trước ngày bắt đầu.",
    ] {
        assert!(invalid.body.contains(expected), "{expected}: {}", invalid.body);
    }
    let saved = officer
        .post("/initiatives", &registration_form("Một cửa thân thiện", &[]))
        .await;
    let id = created_id(&saved, "/initiatives/");
    let path = format!("/initiatives/{id}");
    let steps = format!("{path}/steps");
    // Nothing skips ahead: the server refuses with the rule.
    let early = officer
        .post(
            &steps,
            &[("step", "final_review"), ("happened_on", "01/04/2022"), ("note", "Tốt")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.body.contains("Chỉ sơ kết, tổng kết mô hình đang thực hiện"),
        "{}",
        early.body
    );
    for (step, on, note) in [
        ("launch", "01/03/2022", ""),
        ("follow_up", "01/04/2022", ""),
        ("interim_review", "30/06/2022", "Sơ kết 6 tháng: 97 % hồ sơ đúng hẹn"),
        ("final_review", "30/11/2022", "Tổng kết: 100 % hồ sơ đúng hẹn"),
    ] {
        let r = officer
            .post(&steps, &[("step", step), ("happened_on", on), ("note", note)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{step}: {}", r.body);
    }
    // The agency does not recognise its own initiative; the Department does, with a decision.
    let recognise = [
        ("step", "recognise"),
        ("level", "province"),
        ("happened_on", "10/12/2022"),
        ("decision", "1890/QĐ-UBND"),
    ];
    assert_eq!(officer.post(&steps, &recognise).await.status, StatusCode::FORBIDDEN);
    let no_decision = monitor.post(&steps, &recognise[..3]).await;
    assert_eq!(no_decision.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(monitor.post(&steps, &recognise).await.status, StatusCode::SEE_OTHER);
    let page = officer.get(&path).await;
    for expected in [
        "Được công nhận",
        "Cấp tỉnh, 1890/QĐ-UBND ngày 10/12/2022",
        "Sơ kết 6 tháng: 97 % hồ sơ đúng hẹn",
        "Tổng kết: 100 % hồ sơ đúng hẹn",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    // Photos and documents: type sniffed, anything else refused.
    let files = format!("{path}/files");
    let png = WHOLE_PNG;
    let uploaded = officer
        .post_multipart(&files, true, &[("file", Some("hoi-nghi.png"), png)])
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let refused = officer
        .post_multipart(&files, true, &[("file", Some("virus.exe"), b"MZ\x90\x00")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("không phải PDF, Word, Excel, JPG hay PNG"));
    let page = officer.get(&path).await;
    assert!(page.body.contains("hoi-nghi.png") && !page.body.contains("virus.exe"));
    let at = page.body.find("/initiative-files/").expect("a link to the file");
    let link: String = page.body[at..].chars().take_while(|c| *c != '"').collect();
    let download = officer.get(&link).await;
    assert_eq!(download.status, StatusCode::OK);
    // The photo is kept encoded anew: the same picture, none of the original's other bytes.
    assert_eq!(
        image::load_from_memory_with_format(&download.bytes, image::ImageFormat::Png).unwrap(),
        image::load_from_memory(png).unwrap()
    );
    assert_eq!(download.header("content-type"), "image/png");
    assert!(
        download
            .header("content-disposition")
            .contains("filename*=UTF-8''hoi-nghi.png")
    );
    // Replication: the Department registers a copy for another agency, prefilled from the original.
    let prefilled = monitor.get(&format!("/initiatives/new?from={id}")).await;
    assert!(prefilled.body.contains("Nhân rộng từ") && prefilled.body.contains("Trả kết quả đúng hẹn"));
    let unit_b = app.fixture.unit_b.to_string();
    let id_text = id.to_string();
    let copy = monitor
        .post(
            "/initiatives",
            &registration_form(
                "Một cửa thân thiện tại Sở B",
                &[("unit", unit_b.as_str()), ("replicated_from", id_text.as_str())],
            ),
        )
        .await;
    let copy_id = created_id(&copy, "/initiatives/");
    let original = monitor.get(&path).await;
    assert!(original.body.contains("Đã được nhân rộng tại") && original.body.contains("Một cửa thân thiện tại Sở B"));
    let copy_page = monitor.get(&format!("/initiatives/{copy_id}")).await;
    assert!(copy_page.body.contains("Nhân rộng từ"));
    // An officer keeps only their own agency's records.
    let other_steps = format!("/initiatives/{copy_id}/steps");
    assert_eq!(
        officer
            .post(&other_steps, &[("step", "launch"), ("happened_on", "01/01/2023")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        officer.get(&format!("/initiatives/{copy_id}")).await.status,
        StatusCode::FORBIDDEN
    );
    let list = officer.get("/initiatives").await;
    assert!(list.body.contains("Một cửa thân thiện") && !list.body.contains("tại Sở B"));
    assert_eq!(officer.get("/initiatives/stats").await.status, StatusCode::FORBIDDEN);
    let stats = monitor.get("/initiatives/stats?year=2022").await;
    assert!(
        stats.body.contains("Sở A") && stats.body.contains("1 / 1"),
        "{}",
        stats.body
    );
    let entries = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("initiative".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2 + 5, "two registrations, five steps");
}

async fn the_public_gallery_needs_no_login_and_hides_names_not_marked_public(app: TestApp) {
    let officer = app.login_as(Role::Officer).await;
    let monitor = app.login_as(Role::Monitor).await;
    let mut ids = Vec::new();
    for (name, public) in [
        ("Dân vận khéo trong giải phóng mặt bằng", "on"),
        // The name stands in the title too: the public reads neither.
        ("Tổ hòa giải ở cơ sở: Đinh Văn Khoa", ""),
    ] {
        let saved = officer
            .post(
                "/initiatives",
                &registration_form(name, &[("people_public", public), ("led_by", "Đinh Văn Khoa")]),
            )
            .await;
        ids.push(created_id(&saved, "/initiatives/"));
    }
    let hidden = officer
        .post("/initiatives", &registration_form("Mô hình chưa công nhận", &[]))
        .await;
    let hidden = created_id(&hidden, "/initiatives/");
    for id in &ids {
        let steps = format!("/initiatives/{id}/steps");
        for (step, note) in [("launch", ""), ("follow_up", ""), ("final_review", "Đạt mục tiêu")] {
            officer
                .post(&steps, &[("step", step), ("happened_on", "01/10/2022"), ("note", note)])
                .await;
        }
        let done = monitor
            .post(
                &steps,
                &[
                    ("step", "recognise"),
                    ("level", "district"),
                    ("happened_on", "05/12/2022"),
                    ("decision", "25/QĐ-UBND"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    let anonymous = app.anonymous();
    let all = anonymous.get("/gallery").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("2 mô hình, điển hình."), "{}", all.body);
    assert!(!all.body.contains("Mô hình chưa công nhận"));
    let found = anonymous.get("/gallery?q=giai+phong+mat+bang").await;
    assert!(found.body.contains("1 mô hình, điển hình.") && found.body.contains("giải phóng mặt bằng"));
    let none = anonymous.get("/gallery?field=economy").await;
    assert!(none.body.contains("0 mô hình, điển hình."));
    let by_year = anonymous.get("/gallery?year=2021").await;
    assert!(by_year.body.contains("0 mô hình, điển hình."));
    let public = anonymous.get(&format!("/gallery/{}", ids[0])).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Đinh Văn Khoa"), "marked public");
    let private = anonymous.get(&format!("/gallery/{}", ids[1])).await;
    assert!(private.body.contains("Tổ hòa giải ở cơ sở") && !private.body.contains("Đinh Văn Khoa"));
    assert!(
        !anonymous
            .get("/gallery?q=hoa+giai")
            .await
            .body
            .contains("Đinh Văn Khoa"),
        "nor in the gallery's list"
    );
    assert!(
        !private.body.contains("Công chức bộ phận một cửa"),
        "members are people too"
    );
    assert_eq!(
        anonymous.get(&format!("/gallery/{hidden}")).await.status,
        StatusCode::NOT_FOUND
    );
    // People's names are not searchable unless public.
    let by_name = anonymous.get("/gallery?q=dinh+van+khoa").await;
    assert!(by_name.body.contains("1 mô hình, điển hình."), "{}", by_name.body);
}

async fn attendance_imports_whole_or_reports_every_bad_row_and_coverage_follows(app: TestApp) {
    use danvan_web::xlsx::{Cell, Sheet, workbook};

    let officer = app.login_as(Role::Officer).await;
    let course = officer
        .post(
            "/training/courses",
            &[
                ("title", "Tập huấn kỹ năng dân vận năm 2022"),
                ("topic", "Dân vận khéo trong tiếp công dân"),
                ("starts_on", "15/08/2022"),
                ("ends_on", "16/08/2022"),
                ("place", "Hội trường Sở A"),
                ("organiser", "Sở A"),
                ("trainers", "Ban Dân vận Tỉnh ủy"),
            ],
        )
        .await;
    let course_id = created_id(&course, "/training/courses/");
    let path = format!("/training/courses/{course_id}");
    let file = |rows: &[[&str; 4]]| {
        let rows: Vec<Vec<Cell>> = rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::from(*c)).collect())
            .collect();
        workbook(&[Sheet::new("Danh sách", None, &danvan_domain::training::COLUMNS, rows)]).unwrap()
    };
    let bad = file(&[
        ["Nguyễn Văn An", "Chuyên viên", "Sở A", "Công chức"],
        ["Trần Thị Bình", "", "Sở C", "Công chức"],
        ["Lê Văn Cường", "Phó Giám đốc", "so a", "lao động hợp đồng"],
    ]);
    let refused = officer
        .post_multipart(&format!("{path}/import"), true, &[("file", Some("ds.xlsx"), &bad)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "3 lỗi",
        "chưa có dòng nào được lưu",
        "<td class=\"num\">3</td><td>Chức vụ</td>",
        "<td class=\"num\">3</td><td>Cơ quan, đơn vị</td>",
        "<td class=\"num\">4</td><td>Đối tượng</td>",
    ] {
        assert!(refused.body.contains(expected), "{expected}: {}", refused.body);
    }
    assert!(
        app.store.attendance_of(course_id).await.unwrap().is_empty(),
        "nothing stored"
    );
    let not_excel = officer
        .post_multipart(&format!("{path}/import"), true, &[("file", Some("ds.csv"), b"a,b,c")])
        .await;
    assert_eq!(not_excel.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_excel.body.contains("không phải bảng tính Excel"));
    let good = file(&[
        ["Nguyễn Văn An", "Chuyên viên", "Sở A", "Công chức"],
        ["Trần Thị Bình", "Phó Giám đốc", "SỞ A", "cán bộ"],
        ["Lê Văn Cường", "Chuyên viên", "Sở B", "Viên chức"],
    ]);
    let imported = officer
        .post_multipart(&format!("{path}/import"), true, &[("file", Some("ds.xlsx"), &good)])
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    let unit_a = app.fixture.unit_a.to_string();
    let by_hand = officer
        .post(
            &format!("{path}/attendance"),
            &[
                ("name", "Phạm Thị Dung"),
                ("position", "Kế toán"),
                ("unit", unit_a.as_str()),
                ("category", "vien_chuc"),
            ],
        )
        .await;
    assert_eq!(by_hand.status, StatusCode::SEE_OTHER, "{}", by_hand.body);
    let page = officer.get(&path).await;
    assert!(page.body.contains("Phạm Thị Dung") && page.body.contains("Lê Văn Cường"));
    // Reading the list of officials is logged, without the names (security.md 19).
    let reads = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("personal_data".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let course_key = format!("training_course/{course_id}");
    assert!(
        reads
            .iter()
            .any(|e| e.action == "read" && e.object_id == course_key && e.actor == app.fixture.username(Role::Officer))
    );
    assert!(reads.iter().all(|e| e.after.is_none() && e.before.is_none()));
    assert_eq!(app.store.attendance_of(course_id).await.unwrap().len(), 4);
    // Headcount and plan, then coverage: 3 of Sở A's 12 officials.
    let unit_path = format!("/units/{}/training", app.fixture.unit_a);
    let plan = [
        ("year", "2022"),
        ("content", "Hai lớp tập huấn kỹ năng dân vận"),
        ("planned_courses", "2"),
        ("planned_people", "40"),
        ("can_bo", "2"),
        ("cong_chuc", "8"),
        ("vien_chuc", "2"),
    ];
    assert_eq!(officer.post(&unit_path, &plan).await.status, StatusCode::SEE_OTHER);
    let unit_page = officer.get(&format!("{unit_path}?year=2022")).await;
    assert!(unit_page.body.contains("3/12 (25,0 %)"), "{}", unit_page.body);
    // Per category: Nguyễn Văn An (công chức) of 8, Trần Thị Bình (cán bộ) of 2, Phạm Thị Dung
    // (viên chức) of 2.
    for shown in ["1/8 (12,5 %)", "1/2 (50,0 %)"] {
        assert!(unit_page.body.contains(shown), "{shown}: {}", unit_page.body);
    }
    let overview = app.login_as(Role::Monitor).await.get("/training?year=2022").await;
    assert!(overview.body.contains("3/12 (25,0 %)") && overview.body.contains("Tập huấn kỹ năng dân vận năm 2022"));
    // Only the agency keeping the course's record adds to it; only its own plan.
    let other = format!("/units/{}/training", app.fixture.unit_b);
    assert_eq!(officer.post(&other, &plan).await.status, StatusCode::FORBIDDEN);
    let template = officer.get("/training/template.xlsx").await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.bytes.starts_with(b"PK"));
    let audited = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("training_course".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 3, "the course, the import, the one added by hand");
    // A trainee asks what is held about them: the admin finds it by name, marks ignored.
    let admin = app.login_as(Role::Admin).await;
    // The name goes in the body of a POST: an address carrying it finds nothing.
    let person = admin.post("/admin/person", &[("name", "pham thi dung")]).await;
    assert!(person.body.contains("1 lượt tập huấn, 0 lần"), "{}", person.body);
    assert!(person.body.contains("Tập huấn kỹ năng dân vận năm 2022") && person.body.contains("Kế toán"));
    let by_address = admin.get("/admin/person?name=pham+thi+dung").await;
    assert!(!by_address.body.contains("lượt tập huấn") && !by_address.body.contains("pham thi dung"));
    assert_eq!(
        officer.post("/admin/person", &[("name", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
}

/// The smallest whole PNG (one white pixel): uploads are checked by their content, so a test
/// photo must be a real image.
const WHOLE_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xFF, 0xFF,
    0x3F, 0, 0x05, 0xFE, 0x02, 0xFE, 0xDC, 0xCC, 0x59, 0xE7, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
    0x82,
];

/// Text as the templates escape it.
fn askama_escaped(text: &str) -> String {
    text.replace('&', "&#38;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// Registers an initiative for an agency and takes it through to recognition in `year`.
async fn recognised_initiative(app: &TestApp, unit_id: i64, name: &str, year: i32) -> i64 {
    use danvan_domain::initiative::{Field, Kind, Level, Step};
    use danvan_store::initiative::{NewInitiative, StepInput};
    let day = |month, d| time::Date::from_calendar_date(year, month, d).unwrap();
    let actor = danvan_store::Actor::system("test");
    let id = app
        .store
        .register_initiative(
            &actor,
            &NewInitiative {
                unit_id,
                kind: Kind::Collective,
                field: Field::PoliticalSystem,
                name: name.into(),
                area: "Thành phố Gia Nghĩa".into(),
                beneficiaries: "Người dân".into(),
                led_by: "Phạm Thị Thu Hà".into(),
                members: "Công chức một cửa".into(),
                situation: "Hồ sơ trễ hẹn".into(),
                goals: "Đúng hẹn".into(),
                criteria: "100 % đúng hẹn".into(),
                content: "Hướng dẫn một lần".into(),
                resources: "Kinh phí thường xuyên".into(),
                starts_on: day(time::Month::March, 1),
                ends_on: day(time::Month::November, 30),
                outputs: "Không còn trễ hẹn".into(),
                sustainability: "Nhân rộng".into(),
                people_public: false,
                registered_on: day(time::Month::February, 15),
                replicated_from: None,
            },
        )
        .await
        .unwrap();
    for (step, on) in [
        (Step::Launch, day(time::Month::March, 1)),
        (Step::FollowUp, day(time::Month::April, 1)),
        (Step::FinalReview, day(time::Month::November, 30)),
        (Step::Recognise(Level::Province), day(time::Month::December, 1)),
    ] {
        let input = StepInput {
            step,
            happened_on: on,
            note: "Đạt".into(),
            decision: Some("1890/QĐ-UBND".into()),
        };
        app.store.advance_initiative(&actor, id, &input).await.unwrap();
    }
    id
}

/// The text of a .docx's body, entities decoded.
fn docx_text(bytes: &[u8]) -> String {
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec()))
            .unwrap()
            .by_name("word/document.xml")
            .unwrap(),
        &mut xml,
    )
    .unwrap();
    danvan_docparse::xml_unescape(&xml)
}

async fn a_report_round_runs_from_prefilled_filings_to_the_compiled_report(app: TestApp) {
    assert_eq!(danvan_web::install_report_kinds(&app.store).await.unwrap(), 2);
    assert_eq!(danvan_web::install_report_kinds(&app.store).await.unwrap(), 0, "once");
    let kinds = app.store.report_kinds().await.unwrap();
    let half = kinds.iter().find(|k| k.code == "BC-DVCQ-6T").unwrap().id.to_string();
    // Something danvan holds for Sở A in the window: an initiative registered on 15/02/2022.
    recognised_initiative(&app, app.fixture.unit_a, "Một cửa thân thiện", 2022).await;
    let monitor = app.login_as(Role::Monitor).await;
    let officer = app.login_as(Role::Officer).await;
    let open = [("kind_id", half.as_str()), ("year", "2022"), ("index", "1")];
    let opened = monitor.post("/reports", &open).await;
    let round_id = created_id(&opened, "/reports/");
    let twice = monitor.post("/reports", &open).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("Đã mở kỳ báo cáo 6 tháng đầu năm 2022"));
    let round = app.store.round(round_id).await.unwrap().unwrap();
    // 14/06/2022 is a Tuesday: five working days later is Tuesday 21/06/2022.
    assert_eq!(round.deadline, time::macros::date!(2022 - 06 - 21));
    let filings = app.store.filings(round_id).await.unwrap();
    assert_eq!(
        filings.iter().map(|f| f.unit_id).collect::<Vec<_>>(),
        [app.fixture.unit_a, app.fixture.unit_b]
    );
    let (own, other) = (filings[0].id, filings[1].id);
    let path = format!("/filings/{own}");
    // The officer's list and form, prefilled: one initiative registered in the window.
    assert!(officer.get("/reports").await.body.contains(&path));
    let form = officer.get(&path).await;
    assert_eq!(input_value(&form.body, "v_initiatives_registered"), "1");
    assert_eq!(input_value(&form.body, "v_tasks_due"), "0");
    let mut fields: Vec<(String, String)> = vec![("action".into(), "submit".into())];
    for (id, value) in [
        // "00" is the prefilled 0 written another way: not a change that needs a reason.
        ("tasks_due", "00"),
        ("tasks_done", "0"),
        ("tasks_on_time", "0"),
        ("dissemination_meetings", "0"),
        ("initiatives_registered", "2"),
        ("initiatives_recognised", "0"),
        ("training_courses", "0"),
        ("people_trained", "0"),
        ("citizen_receptions", "6"),
        ("petitions_received", "20"),
        ("petitions_resolved", "30"),
    ] {
        fields.push((format!("v_{id}"), value.into()));
    }
    let send = |fields: Vec<(String, String)>| {
        let officer = &officer;
        let path = path.clone();
        async move {
            let parts: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_parts(officer, &path, &parts).await
        }
    };
    let refused = send(fields.clone()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "Phần I (Công tác lãnh đạo, chỉ đạo, quán triệt, triển khai) chưa có nội dung.",
        "đăng ký mới: đã sửa số liệu hệ thống điền sẵn (1), cần ghi lý do.",
        "Cảnh báo: Tỷ lệ đơn thư, kiến nghị được giải quyết: 30 thấp bất thường (dưới 50).",
        "Có cảnh báo về số liệu: ghi giải trình trước khi gửi.",
    ] {
        assert!(
            refused.body.contains(&askama_escaped(expected)),
            "{expected}: {}",
            refused.body
        );
    }
    assert_eq!(
        app.store.filing(own).await.unwrap().unwrap().state,
        danvan_store::report::FilingState::Draft
    );
    for s in ["I", "II", "III", "IV"] {
        fields.push((format!("s_{s}"), format!("Nội dung phần {s} của Sở A.")));
    }
    fields.push((
        "n_initiatives_registered".into(),
        "Thêm một mô hình đăng ký bằng văn bản giấy.".into(),
    ));
    fields.push(("warnings_note".into(), "Nhiều đơn thư mới nhận cuối kỳ.".into()));
    let sent = send(fields.clone()).await;
    assert_eq!(
        (sent.status, sent.location()),
        (StatusCode::SEE_OTHER, format!("{path}/submit")),
        "{}",
        sent.body
    );
    // Saved, not yet sent: the page before the submission says where it goes and that it is late.
    assert_eq!(
        app.store.filing(own).await.unwrap().unwrap().state,
        danvan_store::report::FilingState::Draft
    );
    let confirm = officer.get(&format!("{path}/submit")).await;
    assert!(
        confirm.body.contains("được gửi đến Sở Nội vụ") && confirm.body.contains("gửi hôm nay là muộn"),
        "{}",
        confirm.body
    );
    let sent = officer.post(&format!("{path}/submit"), &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let filing = app.store.filing(own).await.unwrap().unwrap();
    let registered = &filing.figures["initiatives_registered"];
    assert_eq!(
        (registered.value.as_str(), registered.prefilled.as_deref()),
        ("2", Some("1"))
    );
    // Another agency's filing is not the officer's; the round's page is the monitor's.
    assert_eq!(
        post_parts(&officer, &format!("/filings/{other}"), &[("action", "save")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        officer.get(&format!("/reports/{round_id}")).await.status,
        StatusCode::FORBIDDEN
    );
    // Completeness and timeliness: sent on 15/12/2022, after the deadline; Sở B missing.
    let page = monitor.get(&format!("/reports/{round_id}")).await;
    for expected in [
        "1/2 (50 %)",
        "0/2 (0 %)",
        "Chưa nộp báo cáo (1)",
        "data-timeliness=\"Muộn\"",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    // Returned with a comment, corrected, accepted.
    let review = format!("{path}/review");
    let no_reason = monitor.post(&review, &[("decision", "return")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        monitor
            .post(
                &review,
                &[("decision", "return"), ("comment", "Bổ sung số buổi tiếp công dân.")]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(officer.get(&path).await.body.contains("Bổ sung số buổi tiếp công dân."));
    assert_eq!(send(fields).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        officer.post(&format!("{path}/submit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        monitor.post(&review, &[("decision", "accept")]).await.status,
        StatusCode::SEE_OTHER
    );
    // The compiled report: texts gathered, edited, and the two files.
    let compile = format!("/reports/{round_id}/compile");
    let gathered = monitor.get(&compile).await;
    assert!(
        gathered.body.contains("- Sở A: Nội dung phần I của Sở A."),
        "{}",
        gathered.body
    );
    let saved = monitor
        .post(
            &compile,
            &[
                ("s_I", "Các cơ quan đã ban hành kế hoạch, phổ biến đầy đủ."),
                ("s_II", "Kết quả thực hiện nhiệm vụ."),
                ("s_III", "Hạn chế."),
                ("s_IV", "Phương hướng."),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let word = monitor.get(&format!("/reports/{round_id}/report.docx")).await;
    assert_eq!(word.status, StatusCode::OK);
    let text = docx_text(&word.bytes);
    for expected in [
        "Số:       /BC-UBND",
        // One title, "BÁO CÁO", then the subject without repeating it (issue 14).
        "BÁO CÁO",
        "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2022",
        "Kính gửi: Bộ Nội vụ.",
        "trên cơ sở báo cáo của 1/2 cơ quan, đơn vị",
        "Các cơ quan đã ban hành kế hoạch, phổ biến đầy đủ.",
        "TM. ỦY BAN NHÂN DÂN",
    ] {
        assert!(text.contains(expected), "{expected} missing from the report");
    }
    assert!(!text.contains("Báo cáo kết quả thực hiện"), "the title is not repeated");
    let annex = monitor.get(&format!("/reports/{round_id}/annex.xlsx")).await;
    support::assert_export_layout(&annex.bytes);
    {
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(annex.bytes.clone())).unwrap();
        let first = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&first).unwrap();
        assert!(
            range
                .used_cells()
                .any(|(_, _, v)| matches!(v, calamine::Data::Float(f) if (*f - 6.0).abs() < 1e-9)),
            "a figure stored as a number"
        );
    }
    // Read back with the reading library: text as text, figures as numbers.
    let rows = danvan_web::spreadsheet::read_rows(&annex.bytes).unwrap();
    let cells: Vec<&str> = rows.values().flatten().map(String::as_str).collect();
    for expected in ["Sở A", "Sở B", "Đã tiếp nhận", "Đang soạn", "Toàn tỉnh", "6"] {
        assert!(
            cells.contains(&expected),
            "{expected} missing from the annex: {cells:?}"
        );
    }
    assert!(
        rows[&1][0].starts_with("Phụ lục số liệu"),
        "a title row: {:?}",
        rows[&1]
    );
    let audited = app
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("report_filing".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut actions: Vec<&str> = audited.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    // Each "Gửi" keeps what was typed first, then the confirmation page submits it.
    assert_eq!(
        actions,
        ["review", "review", "save", "save", "submit", "submit"],
        "two saves, two submissions and two reviews"
    );
}

async fn dashboards_chart_each_figure_beside_its_table_for_the_chosen_period(app: TestApp) {
    danvan_web::install_report_kinds(&app.store).await.unwrap();
    recognised_initiative(&app, app.fixture.unit_a, "Một cửa thân thiện", 2022).await;
    let monitor = app.login_as(Role::Monitor).await;
    let half = app
        .store
        .report_kinds()
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.code == "BC-DVCQ-6T")
        .unwrap()
        .id
        .to_string();
    let opened = monitor
        .post("/reports", &[("kind_id", half.as_str()), ("year", "2022")])
        .await;
    created_id(&opened, "/reports/");
    let home = monitor.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(home.body.matches("<svg").count(), 5, "five charts");
    assert_eq!(home.body.matches("class=\"chart-pair\"").count(), 5);
    for expected in [
        "Mô hình, điển hình &#34;Dân vận khéo&#34; theo lĩnh vực",
        "Nộp báo cáo định kỳ năm 2022",
        "<option value=\"2022-6T\"",
        "Tỷ lệ cán bộ, công chức, viên chức được tập huấn năm 2022",
    ] {
        assert!(home.body.contains(expected), "{expected}: {}", home.body);
    }
    // The initiative registered 15/02/2022 and recognised 01/12/2022: both in the year's window,
    // only the registration in the first half's.
    let row = |body: &str| {
        let at = body
            .find("<th scope=\"row\">Xây dựng hệ thống chính trị</th>")
            .expect("the field's row");
        body[at..at + 120].to_owned()
    };
    assert!(
        row(&home.body).contains("<td class=\"num\">1</td><td class=\"num\">1</td>"),
        "{}",
        row(&home.body)
    );
    let half_year = monitor.get("/?period=2022-6T").await;
    assert!(row(&half_year.body).contains("<td class=\"num\">1</td><td class=\"num\">0</td>"));
    assert!(
        half_year
            .body
            .contains("Báo cáo kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2022 (đang mở)")
    );
    // An agency sees its own deadlines, reports due and scores, not the province's charts.
    let officer = app.login_as(Role::Officer).await;
    let own = officer.get("/").await;
    assert!(!own.body.contains("<svg"));
    assert!(own.body.contains("Báo cáo phải nộp") && own.body.contains("/filings/"));
    assert!(own.body.contains("Hạn xử lý nhiệm vụ") && own.body.contains("Kết quả đánh giá, xếp loại"));
}

async fn the_department_builds_a_report_kind_in_the_browser_and_exports_it(app: TestApp) {
    danvan_web::install_report_kinds(&app.store).await.unwrap();
    let monitor = app.login_as(Role::Monitor).await;
    let kinds = app.store.report_kinds().await.unwrap();
    let yearly = kinds.iter().find(|k| k.code == "BC-DVCQ-NAM").unwrap();
    // Started from the yearly kind: its rows, with a new code to fill in.
    let editor = monitor.get(&format!("/reports/kinds/editor?from={}", yearly.id)).await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(editor.body.contains("value=\"BC-DVCQ-NAM-MOI\"") && editor.body.contains("name=\"n0_id\""));
    let form: Vec<(&str, &str)> = vec![
        ("code", "BC-DVCQ-QUY"),
        ("name", "Báo cáo nhanh công tác dân vận chính quyền quý"),
        ("period", "quarter"),
        ("deadline", "3"),
        ("recipient", "Sở Nội vụ"),
        ("kind_department", "1"),
        ("kind_district_committee", "1"),
        ("s0_order", "2"),
        ("s0_id", "II"),
        ("s0_title", "Kết quả thực hiện"),
        ("s0_guidance", ""),
        ("s1_order", "1"),
        ("s1_id", "I"),
        ("s1_title", "Lãnh đạo, chỉ đạo"),
        ("s1_guidance", "Văn bản đã ban hành"),
        ("s2_order", "3"),
        ("s2_id", ""),
        ("s2_title", ""),
        ("n0_order", "1"),
        ("n0_id", "tasks_due"),
        ("n0_name", "Nhiệm vụ đến hạn"),
        ("n0_unit", "nhiệm vụ"),
        ("n0_type", "integer"),
        ("n0_required", "1"),
        ("n0_min", "0"),
        ("n0_prefill", "tasks_due"),
        ("n0_aggregate", "sum"),
        ("n1_order", "2"),
        ("n1_id", "tasks_done"),
        ("n1_name", "Nhiệm vụ đã hoàn thành"),
        ("n1_unit", "nhiệm vụ"),
        ("n1_type", "integer"),
        ("n1_required", "1"),
        ("n1_min", "0"),
        ("n1_notmore", "tasks_due"),
        ("n1_aggregate", "sum"),
    ];
    let mut check = form.clone();
    check.push(("action", "check"));
    let checked = monitor.post("/reports/kinds/editor", &check).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(
        checked
            .body
            .contains("Loại báo cáo hợp lệ: 2 phần đề cương, 2 chỉ tiêu, kỳ quý, hạn 3 ngày làm việc"),
        "{}",
        checked.body
    );
    // A check that points at an indicator that does not exist names it, and keeps the rows.
    let mut wrong: Vec<(&str, &str)> = form.iter().filter(|(k, _)| *k != "n1_notmore").copied().collect();
    wrong.push(("n1_notmore", "khong_co"));
    wrong.push(("action", "save"));
    let refused = monitor.post("/reports/kinds/editor", &wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        support::unescape(&refused.body).contains("not_more_than chỉ tới chỉ tiêu số \"khong_co\" không có"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"Nhiệm vụ đã hoàn thành\""));
    let mut save = form.clone();
    save.push(("action", "save"));
    let saved = monitor.post("/reports/kinds/editor", &save).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id = created_id(&saved, "/reports/kinds/");
    let record = app.store.report_kind(id).await.unwrap().unwrap();
    let kind = danvan_domain::report::parse(&record.source).unwrap();
    assert_eq!(
        kind.sections.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["I", "II"],
        "moved by their order"
    );
    assert_eq!(kind.obliged_kinds, ["department", "district_committee"]);
    // Exported, it reads back as the same kind and imports through the upload under a new code.
    let export = monitor.get(&format!("/reports/kinds/{id}/export")).await;
    assert_eq!(export.status, StatusCode::OK);
    let text = String::from_utf8(export.bytes.clone()).unwrap();
    assert_eq!(danvan_domain::report::parse(&text).unwrap(), kind);
    let renamed = text.replace("BC-DVCQ-QUY", "BC-DVCQ-QUY-2");
    let imported = monitor
        .post_multipart(
            "/reports/kinds",
            true,
            &[("file", Some("quy.toml"), renamed.as_bytes())],
        )
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    // The same code again is refused: a kind is never changed.
    let again = monitor.post("/reports/kinds/editor", &save).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(support::unescape(&again.body).contains("Đã có loại báo cáo mã \"BC-DVCQ-QUY\""));
    let officer = app.login_as(Role::Officer).await;
    assert_eq!(officer.get("/reports/kinds/editor").await.status, StatusCode::FORBIDDEN);
    assert!(
        !officer
            .get(&format!("/reports/kinds/{id}"))
            .await
            .body
            .contains("Soạn loại mới")
    );
}

async fn an_admin_adds_a_report_kind_from_its_file_checked_line_by_line(app: TestApp) {
    danvan_web::install_report_kinds(&app.store).await.unwrap();
    let admin = app.login_as(Role::Admin).await;
    let shipped = include_str!("../../../reports/bao-cao-dan-van-6-thang.toml");
    let quarterly = shipped
        .replace("code = \"BC-DVCQ-6T\"", "code = \"BC-DVCQ-QUY\"")
        .replace("period = \"half_year\"", "period = \"quarter\"")
        .replace(
            "name = \"Báo cáo kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm\"",
            "name = \"Báo cáo nhanh công tác dân vận chính quyền quý\"",
        );
    let broken = quarterly.replace("type = \"percent\"", "type = \"ratio\"");
    let refused = admin
        .post_multipart("/reports/kinds", true, &[("file", Some("quy.toml"), broken.as_bytes())])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let line = broken
        .lines()
        .position(|l| l.contains("id = \"petitions_resolved\""))
        .unwrap()
        + 1;
    assert!(
        refused.body.contains(&format!("dòng {line}:")) && refused.body.contains("ratio"),
        "{}",
        refused.body
    );
    let again = admin
        .post_multipart("/reports/kinds", true, &[("file", Some("6t.toml"), shipped.as_bytes())])
        .await;
    assert!(
        again.body.contains("Đã có loại báo cáo mã &#34;BC-DVCQ-6T&#34;"),
        "{}",
        again.body
    );
    let saved = admin
        .post_multipart(
            "/reports/kinds",
            true,
            &[("file", Some("quy.toml"), quarterly.as_bytes())],
        )
        .await;
    let id = created_id(&saved, "/reports/kinds/");
    let page = admin.get(&format!("/reports/kinds/{id}")).await;
    for expected in [
        "BC-DVCQ-QUY",
        "Quý",
        "số liệu từ 15/12/2021 đến 14/03/2022",
        "Công tác lãnh đạo, chỉ đạo, quán triệt, triển khai",
        "tasks_on_time",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    // The monitor opens a quarter of the new kind.
    let monitor = app.login_as(Role::Monitor).await;
    let kind_id = id.to_string();
    let opened = monitor
        .post(
            "/reports",
            &[("kind_id", kind_id.as_str()), ("year", "2022"), ("index", "3")],
        )
        .await;
    let round_id = created_id(&opened, "/reports/");
    let round = app.store.round(round_id).await.unwrap().unwrap();
    assert_eq!(
        round.window,
        (time::macros::date!(2022 - 06 - 15), time::macros::date!(2022 - 09 - 14))
    );
    let bad_quarter = monitor
        .post(
            "/reports",
            &[("kind_id", kind_id.as_str()), ("year", "2022"), ("index", "5")],
        )
        .await;
    assert!(bad_quarter.body.contains("quý từ 1 đến 4"));
}

async fn a_user_lists_and_ends_their_other_sessions(app: TestApp) {
    let office = app.login_as(Role::Monitor).await;
    let phone = app.login_as(Role::Monitor).await;
    let other_person = app.login_as(Role::Leader).await;
    let page = office.get("/account/sessions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<tr><td>").count(), 2, "{}", page.body);
    assert_eq!(page.body.matches("Phiên này").count(), 1);
    // Someone else's session cannot be named: its key is not among this user's.
    let theirs = other_person.session_token();
    let key: String = danvan_web::auth::hash_token(&theirs).chars().take(16).collect();
    assert_eq!(
        office
            .post("/account/sessions", &[("session", key.as_str())])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(other_person.get("/").await.status, StatusCode::OK);
    let ended = office.post("/account/sessions", &[("session", "others")]).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert!(
        phone.get("/").await.location().starts_with("/login"),
        "the phone is signed out"
    );
    assert_eq!(office.get("/").await.status, StatusCode::OK, "this one stays");
    let entries = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("end_sessions".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    // What danvan holds about this person, as JSON: no password hash, no session token.
    let export = office.get("/account/data.json").await;
    assert_eq!(export.status, StatusCode::OK);
    let data: serde_json::Value = serde_json::from_slice(&export.bytes).unwrap();
    assert_eq!(data["tai_khoan"]["ten_dang_nhap"], app.fixture.username(Role::Monitor));
    assert_eq!(data["phien_dang_nhap"].as_array().unwrap().len(), 1);
    assert!(
        data["thao_tac_da_thuc_hien"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["thao_tac"] == "kết thúc các phiên đăng nhập của tài khoản")
    );
    let text = String::from_utf8(export.bytes.clone()).unwrap();
    assert!(!text.contains("argon2") && !text.contains(&office.session_token()));
}

async fn admins_see_the_security_self_check_and_the_personal_data_register(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    // Bytes stored for a preview nobody saved are reported.
    app.store.put_file(b"ban xem truoc", "text/plain").await.unwrap();
    let page = admin.get("/admin/self-check").await;
    assert!(
        page.body.contains("1 tệp (0 KB) không gắn với văn bản"),
        "{}",
        page.body
    );
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Chưa từng sao lưu",
        "Toàn vẹn:",
        "data-standing=\"bad\"",
        "Xác thực hai lớp cho quản trị",
        "theo bản RustSec ngày ",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    app.store
        .set_meta(danvan_web::selfcheck::LAST_BACKUP_KEY, &now.to_string())
        .await
        .unwrap();
    assert!(
        admin
            .get("/admin/self-check")
            .await
            .body
            .contains("Lần sao lưu gần nhất")
    );
    let register = admin.get("/admin/personal-data").await;
    assert!(register.body.contains("Danh sách học viên lớp tập huấn") && register.body.contains("91/2025/QH15"));
    // The register states the configured periods and their basis.
    assert!(
        register.body.contains("90 ngày, sau đó xóa") && register.body.contains("5 năm sau năm kết thúc lớp"),
        "{}",
        register.body
    );
    assert!(register.body.contains("mục [retention]"));
    // Records past their period are listed until the sweep handles them.
    assert!(page.body.contains("Không có bản ghi nào quá thời hạn lưu."));
    app.store
        .record_login_failure("ai-do", "10.9.9.9", now - 100 * 86_400)
        .await
        .unwrap();
    let due = admin.get("/admin/self-check").await;
    assert!(
        due.body.contains("Quá thời hạn lưu") && due.body.contains("Nhật ký đăng nhập sai: 1"),
        "{}",
        due.body
    );
    // The board's kept counts are held to a recount of the assignments: a count changed behind
    // the triggers shows.
    assert!(
        due.body
            .contains("Số liệu theo dõi nhiệm vụ khớp với kết quả đếm lại toàn bộ.")
    );
    app.store
        .execute_raw_for_tests(
            "insert into board_unit_day (unit_id, due_on, open_new, open_reported, done_on_time, done_late) \
             values (987654, '2022-06-30', 1, 0, 0, 0)",
        )
        .await
        .unwrap();
    let skewed = admin.get("/admin/self-check").await;
    assert!(
        skewed
            .body
            .contains("Số liệu theo dõi nhiệm vụ lệch với kết quả đếm lại, từ đơn vị mã 987654"),
        "{}",
        skewed.body
    );
    let monitor = app.login_as(Role::Monitor).await;
    assert_eq!(monitor.get("/admin/self-check").await.status, StatusCode::FORBIDDEN);
}

fn totp_now(secret: &str) -> String {
    let key = danvan_domain::totp::decode_base32(secret).unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    danvan_domain::totp::code(&key, danvan_domain::totp::step_of(now) as u64, 6)
}

async fn a_second_factor_is_enrolled_then_asked_at_login_and_required_of_admins(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    let page = monitor.get("/account/totp").await;
    let secret = input_value(&page.body, "secret");
    assert_eq!(secret.len(), 32, "160 bits in base32");
    let wrong = monitor
        .post(
            "/account/totp",
            &[("action", "enable"), ("secret", secret.as_str()), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Mã xác thực không đúng"));
    assert_eq!(
        input_value(&wrong.body, "secret"),
        secret,
        "the same key is offered again"
    );
    let code = totp_now(&secret);
    let enabled = monitor
        .post(
            "/account/totp",
            &[
                ("action", "enable"),
                ("secret", secret.as_str()),
                ("code", code.as_str()),
            ],
        )
        .await;
    assert_eq!(enabled.status, StatusCode::SEE_OTHER);
    assert!(monitor.get("/account/totp").await.body.contains("Đang bật"));
    // Signing in now needs the code; a code works once.
    let username = app.fixture.username(Role::Monitor);
    let sign_in = |code: String| {
        let app = &app;
        async move {
            let client = app.anonymous().with_login_form().await;
            client
                .post(
                    "/login",
                    &[("username", username), ("password", PASSWORD), ("code", code.as_str())],
                )
                .await
        }
    };
    assert_eq!(sign_in(String::new()).await.status, StatusCode::UNAUTHORIZED);
    let code = totp_now(&secret);
    assert_eq!(sign_in(code.clone()).await.status, StatusCode::SEE_OTHER);
    assert_eq!(sign_in(code).await.status, StatusCode::UNAUTHORIZED, "not twice");
    let failures = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("totp_failed".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failures.len(), 2);
    // Turning it off asks for the password.
    let off = monitor
        .post("/account/totp", &[("action", "disable"), ("password", "sai")])
        .await;
    assert_eq!(off.status, StatusCode::BAD_REQUEST);
    let off = monitor
        .post("/account/totp", &[("action", "disable"), ("password", PASSWORD)])
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    // Where it is required, an admin without one is sent to enrol before anything else.
    let strict = app.with_web_config(danvan_web::WebConfig::default());
    let admin = strict.login_as(Role::Admin).await;
    assert_eq!(admin.get("/audit").await.location(), "/account/totp");
    let enrol = admin.get("/account/totp").await;
    assert!(enrol.body.contains("phải bật xác thực hai lớp"));
    let secret = input_value(&enrol.body, "secret");
    let code = totp_now(&secret);
    admin
        .post(
            "/account/totp",
            &[
                ("action", "enable"),
                ("secret", secret.as_str()),
                ("code", code.as_str()),
            ],
        )
        .await;
    assert_eq!(admin.get("/audit").await.status, StatusCode::OK);
    let check = admin.get("/admin/self-check").await;
    assert!(
        check.body.contains("Bắt buộc; mọi tài khoản quản trị đã bật."),
        "{}",
        check.body
    );
}

async fn a_bulk_export_asks_for_the_password_when_the_sign_in_is_not_recent(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    assert_eq!(
        monitor.get("/board.xlsx").await.status,
        StatusCode::OK,
        "just signed in"
    );
    // An hour later.
    app.store
        .execute_raw_for_tests("update session set created_at = created_at - 3600")
        .await
        .unwrap();
    let asked = monitor.get("/board.xlsx?group=").await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(asked.location(), "/account/confirm?next=%2Fboard.xlsx%3Fgroup%3D");
    let page = monitor.get(&asked.location()).await;
    assert_eq!(input_value(&page.body, "next"), "/board.xlsx?group=");
    let wrong = monitor
        .post(
            "/account/confirm",
            &[("password", "sai-mat-khau"), ("next", "/board.xlsx")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let confirmed = monitor
        .post(
            "/account/confirm",
            &[("password", PASSWORD), ("next", "/board.xlsx?group=")],
        )
        .await;
    assert_eq!(confirmed.location(), "/board.xlsx?group=");
    let export = monitor.get("/board.xlsx?group=").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.bytes.starts_with(b"PK"));
    // The rule is the route table's: exactly the bulk exports carry it.
    let mut marked: Vec<&str> = ROUTES.iter().filter(|r| r.recent_auth).map(|r| r.path).collect();
    marked.sort_unstable();
    assert_eq!(
        marked,
        [
            "/board.xlsx",
            "/evaluations/{id}/decision.docx",
            "/evaluations/{id}/results.xlsx",
            "/reports/{id}/annex.xlsx",
            "/reports/{id}/report.docx",
        ]
    );
    // Somewhere else than this site is never the way back.
    let away = monitor
        .post(
            "/account/confirm",
            &[("password", PASSWORD), ("next", "https://example.com/")],
        )
        .await;
    assert_eq!(away.location(), "/");
    // Wrong passwords typed again count toward the lock: four more after the one above lock the
    // account, end its sessions, and the right password no longer opens it.
    for attempt in 2..=5 {
        let wrong = monitor
            .post("/account/confirm", &[("password", "doan-mo"), ("next", "/board.xlsx")])
            .await;
        let expected = if attempt < 5 {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::CONFLICT
        };
        assert_eq!(wrong.status, expected, "attempt {attempt}: {}", wrong.body);
    }
    assert!(
        app.store
            .sessions_of(app.fixture.account(Role::Monitor))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        monitor.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the session has ended"
    );
    let again = app
        .anonymous()
        .login(app.fixture.username(Role::Monitor), PASSWORD)
        .await;
    assert!(again.body.contains("tạm bị khóa"), "{}", again.body);
}

async fn uploads_past_an_agency_quota_are_refused_and_nothing_is_stored(app: TestApp) {
    // A quota of 100 bytes for the test: the first photo fits, the second does not.
    let small = app.with_web_config(danvan_web::WebConfig {
        require_admin_totp: false,
        upload_quota_bytes: 100,
        ..danvan_web::WebConfig::default()
    });
    let id = recognised_initiative(&small, small.fixture.unit_a, "Một cửa thân thiện", 2022).await;
    let officer = small.login_as(Role::Officer).await;
    let files = format!("/initiatives/{id}/files");
    let photo = WHOLE_PNG.to_vec();
    let first = officer
        .post_multipart(&files, true, &[("file", Some("a.png"), &photo)])
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = officer
        .post_multipart(&files, true, &[("file", Some("b.png"), &photo)])
        .await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(second.body.contains("dung lượng tệp được phép"), "{}", second.body);
    let kept = small.store.initiative_files(id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        small.store.unit_upload_bytes(small.fixture.unit_a).await.unwrap(),
        kept[0].1.size_bytes
    );
}

async fn typed_text_posted_after_the_session_ended_is_kept_and_given_back_to_its_author(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    assert_eq!(monitor.get("/units/new").await.status, StatusCode::OK);
    // The session ends (idle too long) while the form is being filled in.
    let end_sessions = "update session set last_seen_at = 0, created_at = 0";
    app.store.execute_raw_for_tests(end_sessions).await.unwrap();
    let before = official_state(&app.store).await;
    let typed = [
        ("code", "SO-THU"),
        ("name", "Sở Thử nghiệm \"mới\" <đã gõ>"),
        ("short_name", "Sở TN"),
        ("kind", "department"),
        ("valid_from", "01/01/2022"),
        ("password", "không bao giờ giữ"),
    ];
    let posted = monitor.post_from("/units/new", "/units", &typed).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert_eq!(posted.location(), "/login?next=%2Funits%2Fnew&kept=1");
    assert_eq!(
        official_state(&app.store).await,
        before,
        "nothing saved, nothing replayed"
    );
    let signed_out = monitor.with_cookies_from(&posted);
    let login_page = signed_out.get(&posted.location()).await;
    assert!(
        login_page.body.contains("Nội dung bạn vừa nhập đã được giữ lại"),
        "{}",
        login_page.body
    );
    assert_eq!(
        input_value(&login_page.body, "next"),
        "/units/new",
        "back to the form after sign-in"
    );

    // Another account signing in on that browser does not see it.
    let other = signed_out.login(app.fixture.username(Role::Admin), PASSWORD).await;
    let admin = signed_out.with_cookies_from(&other);
    let page = admin.get("/units/new").await;
    assert!(!page.body.contains("Sở Thử nghiệm") && !page.body.contains("đã được điền lại"));

    // The same account, signed in again, finds its text in the form, once.
    let again = signed_out.login(app.fixture.username(Role::Monitor), PASSWORD).await;
    let monitor = signed_out.with_cookies_from(&again);
    let page = monitor.get("/units/new").await;
    assert!(page.body.contains("Phiên làm việc trước đã hết hạn"), "{}", page.body);
    assert_eq!(input_value(&page.body, "name"), "Sở Thử nghiệm \"mới\" <đã gõ>");
    assert_eq!(input_value(&page.body, "code"), "SO-THU");
    assert!(!page.body.contains("không bao giờ giữ"), "secrets are never kept");
    let monitor = monitor.with_cookies_from(&page);
    let later = monitor.get("/units/new").await;
    assert!(
        !later.body.contains("Phiên làm việc trước đã hết hạn"),
        "given back once"
    );
    assert!(
        app.store.unit_by_code("SO-THU").await.unwrap().is_none(),
        "given back to be saved by its author, never replayed"
    );

    // A post whose token is not the ended session's keeps nothing.
    let officer = app.login_as(Role::Officer).await;
    app.store.execute_raw_for_tests(end_sessions).await.unwrap();
    let forged = officer
        .post_with_csrf("/units", "not-the-token", &[("name", "văn bản từ trang khác")])
        .await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
    assert!(forged.location().ends_with("&expired=1"), "{}", forged.location());

    // A multipart form (a progress report with a file): its text is kept, the file is not; with
    // no Referer the text comes back on the home page, listed since no control there takes it.
    let officer = app.login_as(Role::Officer).await;
    app.store.execute_raw_for_tests(end_sessions).await.unwrap();
    let posted = officer
        .post_multipart(
            "/assignments/1/reports",
            true,
            &[
                (
                    "content",
                    None,
                    "Đã tổ chức 3 hội nghị đối thoại với Nhân dân".as_bytes(),
                ),
                ("percent", None, b"60"),
                ("file", Some("bien-ban.pdf"), b"%PDF-1.4 file content never kept"),
            ],
        )
        .await;
    assert_eq!(posted.location(), "/login?next=%2F&kept=1");
    let signed_out = officer.with_cookies_from(&posted);
    let again = signed_out.login(app.fixture.username(Role::Officer), PASSWORD).await;
    let home = signed_out.with_cookies_from(&again).get("/").await;
    assert!(
        home.body
            .contains("<dd>Đã tổ chức 3 hội nghị đối thoại với Nhân dân</dd>")
            && home.body.contains("<dd>60</dd>"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("never kept"), "files are never kept");
}

/// The ids of a directive's first task and of its agencies' parts, as the page links them.
async fn task_and_parts(app: &TestApp, directive: i64) -> (i64, Vec<i64>) {
    let monitor = app.login_as(Role::Monitor).await;
    let page = monitor.get(&format!("/directives/{directive}")).await;
    let task: i64 = page
        .body
        .split("id=\"task-")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut parts: Vec<i64> = page
        .body
        .split("href=\"/assignments/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    parts.sort();
    parts.dedup();
    (task, parts)
}

async fn a_directive_is_changed_after_issuing_and_refused_changes_leave_everything_as_it_was(app: TestApp) {
    let directive = simple_directive(&app).await;
    let (task, parts) = task_and_parts(&app, directive).await;
    assert_eq!(parts.len(), 2);
    let monitor = app.login_as(Role::Monitor).await;
    let officer = app.login_as(Role::Officer).await;
    let page = monitor.get(&format!("/directives/{directive}")).await;
    for control in [
        "Điều chỉnh nhiệm vụ 1",
        "Gia hạn",
        "Giao thêm",
        "Hủy nhiệm vụ này",
        "Hủy toàn bộ chỉ đạo",
    ] {
        assert!(page.body.contains(control), "{control} missing for the Department");
    }
    let seen = officer.get(&format!("/directives/{directive}")).await;
    assert!(
        !seen.body.contains("Điều chỉnh nhiệm vụ") && !seen.body.contains("/cancel"),
        "no controls for an officer"
    );

    // Refused steps change nothing but the security log and sessions.
    let before = official_state(&app.store).await;
    for (who, path, form) in [
        (
            &monitor,
            format!("/tasks/{task}/extend"),
            vec![("due", "15/12/2022"), ("reason", "Chưa kịp")],
        ),
        (
            &monitor,
            format!("/tasks/{task}/extend"),
            vec![("due", "10/01/2023"), ("reason", " ")],
        ),
        (
            &monitor,
            format!("/tasks/{task}/extend"),
            vec![("due", "ba mươi"), ("reason", "Lý do")],
        ),
        (&monitor, format!("/tasks/{task}/edit"), vec![("content", "  ")]),
        (
            &monitor,
            format!("/tasks/{task}/assign"),
            vec![("unit_id", &app.fixture.unit_a.to_string()), ("role", "lead")],
        ),
        (&monitor, format!("/tasks/{task}/cancel"), vec![("reason", "")]),
        (
            &officer,
            format!("/tasks/{task}/cancel"),
            vec![("reason", "Không cần nữa")],
        ),
        (
            &officer,
            format!("/assignments/{}/extend", parts[0]),
            vec![("due", "10/01/2023"), ("reason", "Xin gia hạn")],
        ),
    ] {
        let answer = who.post(&path, &form).await;
        assert!(
            matches!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::FORBIDDEN | StatusCode::CONFLICT
            ),
            "{path} {form:?}: {}",
            answer.status
        );
        if answer.status == StatusCode::UNPROCESSABLE_ENTITY {
            // The reason is said, and what was typed is given back.
            assert!(answer.body.contains("class=\"alert\""), "{path}");
            if let Some((_, typed)) = form.iter().find(|(k, v)| *k == "due" && !v.is_empty()) {
                assert!(answer.body.contains(typed), "{path}: the typed date is kept");
            }
        }
    }
    assert_eq!(
        official_state(&app.store).await,
        before,
        "a refused step changed official data"
    );

    // Extend the whole task, with its reason: both agencies move, the history is kept.
    let extended = monitor
        .post(
            &format!("/tasks/{task}/extend"),
            &[("due", "16/01/2023"), ("reason", "Chờ hướng dẫn của Bộ Nội vụ")],
        )
        .await;
    assert_eq!(extended.status, StatusCode::SEE_OTHER, "{}", extended.body);
    let part = monitor.get(&format!("/assignments/{}", parts[0])).await;
    assert!(
        part.body.contains("16/01/2023") && part.body.contains("30/12/2022"),
        "old and new dates"
    );
    assert!(part.body.contains("Chờ hướng dẫn của Bộ Nội vụ"), "the reason shown");
    // One agency further still.
    let one = monitor
        .post(
            &format!("/assignments/{}/extend", parts[0]),
            &[("due", "20/01/2023"), ("reason", "Đơn vị đề nghị")],
        )
        .await;
    assert_eq!(one.status, StatusCode::SEE_OTHER);
    let changes = app.store.deadline_changes(parts[0]).await.unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(app.store.deadline_changes(parts[1]).await.unwrap().len(), 1);

    // Edit the text; add an agency, then withdraw it after confirming on a page that says so.
    let edited = monitor
        .post(
            &format!("/tasks/{task}/edit"),
            &[("content", "Phổ biến, quán triệt và báo cáo kết quả.")],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let province = app.fixture.province.to_string();
    let third = app.add_district("HUYEN-X", "UBND huyện X").await;
    // The task's form offers the agencies not yet in it, and no longer one once added.
    let offered = |page: String| {
        let from = page
            .find(&format!("id=\"unit-{task}\""))
            .expect("the task's agency choice");
        let select = &page[from..];
        select[..select.find("</select>").unwrap()].to_owned()
    };
    let option = format!("<option value=\"{third}\">UBND huyện X</option>");
    let before = offered(monitor.get(&format!("/directives/{directive}")).await.body);
    assert!(before.contains(&option), "{before}");
    let added = monitor
        .post(
            &format!("/tasks/{task}/assign"),
            &[("unit_id", &third.to_string()), ("role", "support")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let (_, parts_now) = task_and_parts(&app, directive).await;
    assert_eq!(parts_now.len(), 3);
    let after = offered(monitor.get(&format!("/directives/{directive}")).await.body);
    assert!(!after.contains(&format!("value=\"{third}\"")), "{after}");
    let new_part = *parts_now.iter().find(|p| !parts.contains(p)).unwrap();
    let confirm = monitor.get(&format!("/assignments/{new_part}/withdraw")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("không hoàn tác được") && confirm.body.contains("Xác nhận rút đơn vị"));
    let withdrawn = monitor
        .post(
            &format!("/assignments/{new_part}/withdraw"),
            &[("reason", "Giao nhầm đơn vị")],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let again = monitor
        .post(&format!("/assignments/{new_part}/withdraw"), &[("reason", "Lần nữa")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "withdrawn once only");
    let _ = province;

    // Cancel the task: its agencies leave the board, the reminders and the officer's queue.
    let today = time::macros::date!(2022 - 12 - 15);
    let board = |store: danvan_store::Store| async move {
        store
            .board_counts(&danvan_store::directive::BoardFilter::default(), today, false)
            .await
            .unwrap()
            .iter()
            .map(|c| c.total())
            .sum::<i64>()
    };
    assert_eq!(board(app.store.clone()).await, 2);
    let cancelled = monitor
        .post(
            &format!("/tasks/{task}/cancel"),
            &[("reason", "Nội dung đã được thay thế bằng Công văn 15/SNV")],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(board(app.store.clone()).await, 0, "a cancelled task leaves the board");
    assert!(
        app.store
            .open_assignments_due_by(time::macros::date!(2023 - 12 - 31))
            .await
            .unwrap()
            .is_empty()
    );
    let shown = officer.get(&format!("/directives/{directive}")).await;
    assert!(
        shown.body.contains("Nội dung đã được thay thế bằng Công văn 15/SNV"),
        "the reason shown to the agency"
    );
    let part = officer.get(&format!("/assignments/{}", parts[0])).await;
    assert!(!part.body.contains("Gửi báo cáo"), "no report on a cancelled task");
    // Nothing more can change on it; the directive can still be cancelled as a whole.
    let late = monitor
        .post(
            &format!("/tasks/{task}/extend"),
            &[("due", "30/01/2023"), ("reason", "Thử")],
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    let whole = monitor
        .post(
            &format!("/directives/{directive}/cancel"),
            &[("reason", "Thu hồi văn bản")],
        )
        .await;
    assert_eq!(whole.status, StatusCode::SEE_OTHER);
    let page = monitor.get(&format!("/directives/{directive}")).await;
    assert!(page.body.contains("Thu hồi văn bản") && !page.body.contains("Hủy toàn bộ chỉ đạo"));
    // Each change has its audit record, and the chain holds.
    let log = app.store.audit_entries(&AuditFilter::default()).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for action in ["extend_deadline", "edit", "withdraw", "cancel"] {
        assert!(actions.contains(&action), "{action} not audited: {actions:?}");
    }
    assert!(matches!(
        app.store.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}
