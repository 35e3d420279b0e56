//! Today's province in the admin pages: the 2025 map imported, agencies from a spreadsheet,
//! identifiers added and ended, the list exported with them; on SQLite and PostgreSQL.

#[macro_use]
#[allow(dead_code)]
mod support;

use axum::http::StatusCode;
use danvan_domain::Role;
use danvan_store::test_support::{RawSql, official_state};
use danvan_web::xlsx::{Cell, Sheet};
use support::{TestApp, input_value};

on_both_backends!(
    an_admin_sets_up_the_2025_province_in_the_pages,
    identifiers_are_added_ended_and_exported,
    agencies_are_merged_after_a_preview_of_what_moves,
);

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let sheet = Sheet {
        name: "Đơn vị".into(),
        title: Some("DANH SÁCH CÁC CƠ QUAN CHUYÊN MÔN".into()),
        header: rows[0].iter().map(|s| (*s).to_owned()).collect(),
        rows: rows[1..]
            .iter()
            .map(|r| r.iter().map(|s| Cell::Text((*s).to_owned())).collect())
            .collect(),
        note: None,
    };
    danvan_web::xlsx::workbook(&[sheet]).unwrap()
}

async fn an_admin_sets_up_the_2025_province_in_the_pages(app: TestApp) {
    let officer = app.login_as(Role::Officer).await;
    assert_eq!(officer.get("/units/import").await.status, StatusCode::FORBIDDEN);
    assert!(!officer.get("/units").await.body.contains("/units/import"));

    let admin = app.login_as(Role::Admin).await;
    let page = admin.get("/units").await;
    assert!(page.body.contains("href=\"/units/import\""));
    let page = admin.get("/units/import").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Tỉnh Lâm Đồng (68, 124 xã, phường, đặc khu)"),
        "{}",
        page.body
    );
    let done = admin.post("/units/import/province", &[("province", "68")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = admin.get(&done.header("location")).await;
    assert!(
        page.body
            .contains("Đã nhập Tỉnh Lâm Đồng: tạo mới 125 đơn vị, 0 đơn vị đã có"),
        "{}",
        page.body
    );
    let tree = admin.get("/units?date=01/08/2025").await;
    assert!(tree.body.contains("UBND tỉnh Lâm Đồng") && tree.body.contains("UBND phường Xuân Hương - Đà Lạt"));
    assert!(!admin.get("/units?date=30/06/2025").await.body.contains("Xuân Hương"));
    // A commune's page names what it was formed from, by the map.
    let ward = app.store.unit_by_code("UBND-24611").await.unwrap().unwrap().id;
    let page = support::unescape(&admin.get(&format!("/units/{ward}")).await.body);
    assert!(
        page.contains("Hình thành từ") && page.contains("Xã Đắk Ha (Huyện Đăk Glong)"),
        "{page}"
    );
    assert!(page.contains("<code>24611</code>"));
    // Again: nothing changes.
    let before = official_state(&app.store).await;
    let again = admin.post("/units/import/province", &[("province", "68")]).await;
    assert!(again.header("location").contains("created=0&existing=125"));
    let mut after = official_state(&app.store).await;
    after.retain(|table, _| before.contains_key(table));
    assert_eq!(before, after);
    let unknown = admin.post("/units/import/province", &[("province", "67")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("Không có tỉnh, thành phố mã"));

    // Departments from a spreadsheet, under a title line; a bad row keeps nothing.
    let lam_dong = app.store.unit_by_code("UBND-68").await.unwrap().unwrap().id;
    let parent = lam_dong.to_string();
    let header: &[&str] = &["STT", "Tên cơ quan", "Tên viết tắt", "Loại", "Mã", "Mã định danh"];
    let bad = workbook(&[
        header,
        &["1", "Sở Nội vụ", "SNV", "Sở, ban, ngành", "LD-SNV", "H36.11"],
        &["2", "Sở Tài chính", "STC", "Bộ", "LD-STC", ""],
    ]);
    let before = official_state(&app.store).await;
    let refused = admin
        .post_multipart(
            "/units/import/sheet",
            true,
            &[
                ("parent", None, parent.as_bytes()),
                ("valid_from", None, b"01/07/2025"),
                ("file", Some("so-nganh.xlsx"), &bad),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        support::unescape(&refused.body).contains("Dòng 5: loại đơn vị “Bộ” không có"),
        "{}",
        refused.body
    );
    assert_eq!(before, official_state(&app.store).await);
    // What was typed stays on the page.
    assert_eq!(input_value(&refused.body, "valid_from"), "01/07/2025");
    let good = workbook(&[
        header,
        &["1", "Sở Nội vụ", "SNV", "Sở, ban, ngành", "LD-SNV", "H36.11"],
        &["2", "Sở Tài chính", "STC", "Sở", "LD-STC", ""],
    ]);
    let imported = admin
        .post_multipart(
            "/units/import/sheet",
            true,
            &[
                ("parent", None, parent.as_bytes()),
                ("valid_from", None, b"01/07/2025"),
                ("file", Some("so-nganh.xlsx"), &good),
            ],
        )
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    assert!(
        admin
            .get(&imported.header("location"))
            .await
            .body
            .contains("Đã tạo 2 đơn vị từ bảng tính.")
    );
    let snv = app.store.unit_by_code("LD-SNV").await.unwrap().unwrap();
    assert_eq!((snv.parent_id, snv.name.as_str()), (Some(lam_dong), "Sở Nội vụ"));
    let tree = admin.get("/units?date=01/08/2025").await;
    assert!(
        tree.body
            .contains("<code title=\"QCVN 102: 000.00.11.H36\">H36.11</code>"),
        "{}",
        tree.body
    );
}

async fn identifiers_are_added_ended_and_exported(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let unit = app.fixture.unit_a;
    let path = format!("/units/{unit}/identifiers");
    let bad = admin
        .post(
            &path,
            &[
                ("scheme", "egov"),
                ("code", "Z1"),
                ("valid_from", "15/09/2020"),
                ("valid_to", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Mã định danh điện tử gồm một chữ cái"));
    assert_eq!(input_value(&bad.body, "code"), "Z1");
    let added = admin
        .post(
            &path,
            &[
                ("scheme", "egov"),
                ("code", "h45.05"),
                ("valid_from", "15/09/2020"),
                ("valid_to", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = admin.get(&format!("/units/{unit}")).await;
    assert!(page.body.contains("<code>H45.05</code>") && page.body.contains("000.00.05.H45"));
    assert!(page.body.contains("Thêm mã định danh"), "the history names the change");
    // Another agency cannot carry it on a shared day.
    let taken = admin
        .post(
            &format!("/units/{}/identifiers", app.fixture.unit_b),
            &[
                ("scheme", "egov"),
                ("code", "H45.05"),
                ("valid_from", "01/01/2024"),
                ("valid_to", ""),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("Mã này đang được một đơn vị khác sử dụng"));
    // The list on a day and its export show it.
    let export = admin.get("/units/export?date=15/12/2022").await;
    assert_eq!(export.status, StatusCode::OK);
    support::assert_export_layout(&export.bytes);
    let rows = danvan_web::spreadsheet::read_rows(&export.bytes).unwrap();
    assert!(
        rows.values()
            .any(|r| r.iter().any(|c| c == "H45.05") && r.iter().any(|c| c == "000.00.05.H45"))
    );
    // Ended: the page no longer shows it as today's, and the officer sees no form.
    let identifier = app.store.identifiers_of(unit).await.unwrap()[0].id;
    // A last day before the code began is refused, and what was typed stays in the box.
    let early = admin
        .post(
            &format!("/units/{unit}/identifiers/{identifier}/end"),
            &[("last_day", "01/01/2019")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.body.contains("Ngày kết thúc không được trước ngày bắt đầu."),
        "{}",
        early.body
    );
    assert_eq!(input_value(&early.body, "last_day"), "01/01/2019");
    let ended = admin
        .post(
            &format!("/units/{unit}/identifiers/{identifier}/end"),
            &[("last_day", "31/12/2023")],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    let wrong_unit = admin
        .post(
            &format!("/units/{}/identifiers/{identifier}/end", app.fixture.unit_b),
            &[("last_day", "31/12/2023")],
        )
        .await;
    assert_eq!(wrong_unit.status, StatusCode::NOT_FOUND);
    assert!(
        admin
            .get(&format!("/units/{unit}"))
            .await
            .body
            .contains("15/09/2020 – 31/12/2023")
    );
    let officer = app.login_as(Role::Officer).await;
    let seen = officer.get(&format!("/units/{unit}")).await;
    assert!(seen.body.contains("H45.05") && !seen.body.contains("/identifiers"));
    assert_eq!(
        officer
            .post(
                &path,
                &[("scheme", "egov"), ("code", "H45.06"), ("valid_from", "01/01/2024")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn agencies_are_merged_after_a_preview_of_what_moves(app: TestApp) {
    let officer = app.login_as(Role::Officer).await;
    assert_eq!(officer.get("/units/restructure").await.status, StatusCode::FORBIDDEN);
    let admin = app.login_as(Role::Admin).await;
    assert!(admin.get("/units").await.body.contains("href=\"/units/restructure\""));
    let page = admin.get("/units/restructure").await;
    assert_eq!(page.status, StatusCode::OK);
    // Nothing chosen: the form again with the reason.
    let empty = admin
        .post(
            "/units/restructure/preview",
            &[("kind", "merge"), ("effective_on", "01/03/2025")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Chọn đơn vị cần sắp xếp."));
    let (a, b) = (app.fixture.unit_a.to_string(), app.fixture.unit_b.to_string());
    // Work of both: Sở A's open, Sở B's done before the merger.
    let mut calendar = app.store.work_calendar().await.unwrap();
    let task = |content: &str, unit| danvan_store::directive::NewTask {
        content: content.into(),
        monitor_unit_id: None,
        deadline: danvan_domain::directive::Deadline::On(time::macros::date!(2025 - 06 - 30)),
        leads: vec![unit],
        supports: vec![],
    };
    let directive = app
        .store
        .create_directive(
            &danvan_store::Actor::system("test"),
            &danvan_store::directive::NewDirective {
                document_id: None,
                title: "Kế hoạch 3/KH-UBND".into(),
                document_date: time::macros::date!(2025 - 01 - 06),
                tasks: vec![
                    task("Rà soát thủ tục.", app.fixture.unit_a),
                    task("Tổ chức đối thoại.", app.fixture.unit_b),
                ],
            },
            &mut calendar,
            time::macros::date!(2025 - 01 - 06),
        )
        .await
        .unwrap();
    let done = app.store.directive(directive).await.unwrap().unwrap().tasks[1].assignments[0].id;
    app.store
        .execute_raw_for_tests(&format!(
            "update assignment set first_report_on = '2025-02-10', completed_on = '2025-02-10' where assignment_id = {done}"
        ))
        .await
        .unwrap();
    let plan: Vec<(&str, &str)> = vec![
        ("kind", "merge"),
        ("effective_on", "01/03/2025"),
        ("source", &a),
        ("source", &b),
        ("new_name", "Sở Hợp Nhất"),
        ("new_short_name", "Sở HN"),
        ("new_code", "SHN"),
        ("new_kind", "department"),
    ];
    let seen = admin.post("/units/restructure/preview", &plan).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert!(seen.body.contains("Xem trước: Sáp nhập, hợp nhất từ ngày 01/03/2025"));
    assert!(seen.body.contains("Sở Hợp Nhất (thành lập mới)"));
    assert!(
        seen.body.contains("Tài khoản cán bộ") && seen.body.contains("canboa"),
        "{}",
        seen.body
    );
    assert_eq!(
        app.store.unit_by_code("SHN").await.unwrap(),
        None,
        "a preview changes nothing"
    );
    let done = admin.post("/units/restructure", &plan).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let new = app.store.unit_by_code("SHN").await.unwrap().unwrap();
    assert_eq!(done.header("location"), format!("/units/{}", new.id));
    // Recorded ahead of its date, the merger shows on Sở A's page with the day it takes effect.
    let old = admin.get(&format!("/units/{a}")).await;
    assert!(old.body.contains("Đơn vị kế thừa") && old.body.contains("từ 01/03/2025"));
    let officer_unit = app.store.account_by_username("canboa").await.unwrap().unwrap().unit_id;
    assert_eq!(officer_unit, Some(new.id));
    // The moved part names where it came from.
    let moved = app.store.assignments_of_unit(new.id).await.unwrap()[0].id;
    let page = admin.get(&format!("/assignments/{moved}")).await;
    assert!(
        page.body.contains("Chuyển đơn vị thực hiện khi sắp xếp tổ chức") && page.body.contains("Từ Sở A sang Sở HN"),
        "{}",
        page.body
    );
    // On the fixture's day (15/12/2022) nothing of 2025 is shown: not the directive, not its
    // figures.
    assert!(!admin.get("/directives").await.body.contains("Kế hoạch 3/KH-UBND"));
    assert!(!support::unescape(&admin.get("/board?from=01/01/2025&to=31/12/2025").await.body).contains("Sở HN"));
    // The dashboard answers a later period with the demo day's year.
    let dashboard = support::unescape(&admin.get("/?period=2025").await.body);
    assert!(
        !dashboard.contains("Sở Hợp Nhất") && dashboard.contains("2022"),
        "{dashboard}"
    );
    // Seen in 2026: the board over a period that spans the merger counts Sở B's finished task
    // once, under the new agency, with a note; over a period before it, under Sở B.
    let later = app.on_day(time::macros::date!(2026 - 01 - 15));
    let admin = later.login_as(Role::Admin).await;
    assert!(admin.get("/directives").await.body.contains("Kế hoạch 3/KH-UBND"));
    // Both ways: the new agency names its predecessors, the old ones their successor.
    let page = admin.get(&format!("/units/{}", new.id)).await;
    assert!(page.body.contains("Kế thừa từ") && page.body.contains("Sở A") && page.body.contains("Sở B"));
    let old = admin.get(&format!("/units/{a}")).await;
    assert!(old.body.contains("Đơn vị kế thừa") && old.body.contains("Sở Hợp Nhất"));
    let board = admin.get("/board?from=01/01/2025&to=31/12/2025").await;
    let unescaped = support::unescape(&board.body);
    assert!(
        unescaped.contains("Sở Hợp Nhất<br><span class=\"muted\">Gồm số liệu của Sở B (đến 28/02/2025)"),
        "{unescaped}"
    );
    assert!(!unescaped.contains("<tr><td>Sở B"), "{unescaped}");
    // The dashboard's chart over 2025 counts them the same way.
    let dashboard = support::unescape(&admin.get("/?period=2025").await.body);
    assert!(
        dashboard.contains("Sở Hợp Nhất: Gồm số liệu của Sở B (đến 28/02/2025)"),
        "{dashboard}"
    );
    // Filtered to the new agency, its predecessors' figures are still counted under it.
    let only_new = support::unescape(
        &admin
            .get(&format!("/board?from=01/01/2025&to=31/12/2025&unit={}", new.id))
            .await
            .body,
    );
    assert!(only_new.contains("Gồm số liệu của Sở B (đến 28/02/2025)"), "{only_new}");
    let before_merger = support::unescape(&admin.get("/board?from=01/01/2025&to=31/01/2025").await.body);
    assert!(!before_merger.contains("Gồm số liệu"), "{before_merger}");
    // Again: the agencies have ended, so the same plan is refused and nothing changes.
    let before = official_state(&app.store).await;
    let again = admin.post("/units/restructure", &plan).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("phải đang hoạt động"));
    assert_eq!(before, official_state(&app.store).await);
}
