//! The binary and the demo province, end to end.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::{danvan, start_demo, start_demo_with};

use danvan::demo;
use danvan_domain::unit::{UnitKind, tree_on};
use danvan_store::test_support::fresh_store;
use danvan_store::{Backend, Store};
use time::macros::date;

fn http_get(url: &str, path: &str) -> String {
    let host = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect to demo");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&buffer[..n]),
            Err(error) => panic!("reading from demo: {error}"),
        }
    }
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn demo_starts_prints_its_url_and_logins_and_reuses_its_data_when_run_again() {
    let data = tempfile::tempdir().unwrap();
    let first = start_demo(data.path());
    let printed = first.lines.join("\n");
    assert!(printed.contains("ngày giả định 15/12/2022"), "{printed}");
    assert!(
        printed.contains("admin") && printed.contains("sonoivu") && printed.contains("lanhdao"),
        "{printed}"
    );
    assert!(
        printed.contains("gianghia") && printed.contains("mật khẩu của mọi tài khoản demo: demo"),
        "{printed}"
    );
    assert!(http_get(&first.url, "/healthz").ends_with("ok"));
    assert!(data.path().join("danvan.db").exists());
    drop(first);

    let second = start_demo(data.path());
    let printed = second.lines.join("\n");
    assert!(
        printed.contains("(0 đơn vị, 0 tài khoản, 0 văn bản mới tạo)"),
        "second run created data again: {printed}"
    );
    assert!(http_get(&second.url, "/login").contains("Đăng nhập"));
}

#[test]
fn help_documents_every_subcommand() {
    let output = danvan().arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for command in [
        "demo",
        "serve",
        "migrate",
        "user",
        "audit",
        "config",
        "import",
        "parse",
        "rubric",
        "backup",
        "restore",
        "self-check",
    ] {
        assert!(help.contains(command), "{command} missing from --help:\n{help}");
    }
    let output = danvan().args(["user", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["add", "list", "set-password", "disable", "enable"] {
        assert!(help.contains(command), "{command} missing from user --help:\n{help}");
    }
}

#[test]
fn import_reads_a_folder_once_and_reports_failures() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    for (name, bytes) in demo::DOCUMENTS.iter().take(3) {
        std::fs::write(folder.path().join(name), bytes).unwrap();
    }
    std::fs::create_dir(folder.path().join("con")).unwrap();
    std::fs::write(folder.path().join("con").join("anh.png"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    let run = || {
        let output = danvan()
            .args(["import"])
            .arg(folder.path())
            .arg("--data")
            .arg(data.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let first = run();
    assert!(first.contains("Đã nhập: 3; đã có sẵn: 0; lỗi: 1."), "{first}");
    assert!(
        first.contains("anh.png: Chỉ nhận văn bản dạng .txt, .docx (Word) hoặc .pdf"),
        "{first}"
    );
    let second = run();
    assert!(second.contains("Đã nhập: 0; đã có sẵn: 3; lỗi: 1."), "{second}");
}

#[test]
fn rubric_check_previews_a_sound_file_and_lists_each_problem_with_its_line() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../rubrics/mau-dan-van-chinh-quyen.toml"
    );
    let output = danvan().args(["rubric", "check", sample]).output().unwrap();
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{shown}");
    assert!(shown.starts_with("MAU-DVCQ-729 [MẪU]: Bộ tiêu chí"), "{shown}");
    assert!(shown.contains("  2.1 Hoàn thành đúng hạn"), "{shown}");
    assert!(shown.contains("tự tính: tasks_on_time"), "{shown}");
    assert!(shown.contains("Tối đa cho department: 100 điểm"), "{shown}");
    assert!(shown.contains("Tối đa cho service_unit: 85 điểm"), "{shown}");
    assert!(
        shown.contains("Mức Hoàn thành xuất sắc nhiệm vụ (xuat_sac): từ 90 điểm"),
        "{shown}"
    );

    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("sai.toml");
    let text = std::fs::read_to_string(sample)
        .unwrap()
        .replace("rule = \"reports_on_time\"", "rule = \"doan_mo\"")
        .replace("cap_band = \"hoan_thanh\"", "cap_band = \"khong_co\"");
    std::fs::write(&bad, &text).unwrap();
    let output = danvan().args(["rubric", "check"]).arg(&bad).output().unwrap();
    assert!(!output.status.success());
    let errors = String::from_utf8(output.stderr).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let id_line = text.lines().position(|l| l == "id = \"2.2\"").unwrap() + 1;
    assert!(
        errors.contains(&format!(
            "sai.toml:{id_line}: tiêu chí 2.2: quy tắc tính \"doan_mo\" không có"
        )),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("sai.toml:{}: điều kiện \"KL1\"", line_of("khong_co"))),
        "{errors}"
    );
    assert!(errors.contains("2 lỗi"), "{errors}");
    // A file that is not text: said in Vietnamese only, without the decoder's English.
    let binary = folder.path().join("nhi-phan.toml");
    std::fs::write(&binary, b"[rubric]\ncode = \"\xff\xfe\"\n").unwrap();
    let output = danvan().args(["rubric", "check"]).arg(&binary).output().unwrap();
    assert!(!output.status.success());
    let errors = String::from_utf8(output.stderr).unwrap();
    assert!(errors.contains("Tệp không phải văn bản UTF-8"), "{errors}");
    assert!(
        !errors.contains("invalid utf-8") && !errors.contains("stream did not"),
        "{errors}"
    );
    // A kind that is not one: an error with its line and the kinds known; a name that may be
    // a group is a warning here, where the groups are not known.
    let misspelt = folder.path().join("sai-loai.toml");
    std::fs::write(
        &misspelt,
        std::fs::read_to_string(sample)
            .unwrap()
            .replace("service_unit = 10", "KHOI_XA = 10"),
    )
    .unwrap();
    let output = danvan().args(["rubric", "check"]).arg(&misspelt).output().unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("cảnh báo: tiêu chí 3: max_for: \"KHOI_XA\"")
    );
}

#[test]
fn parse_prints_the_corpus_fields_as_json() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("seed.txt");
    std::fs::write(&path, demo::DOCUMENTS[0].1).unwrap();
    let output = danvan().args(["parse", "--json"]).arg(&path).output().unwrap();
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "issuer",
        "parent_issuer",
        "doc_type",
        "number",
        "symbol",
        "place",
        "date",
        "subject",
        "recipients",
        "tasks",
        "references",
        "signer_name",
        "signer_title",
        "signer_authority",
        "distribution",
        "warnings",
    ];
    let mut sorted = keys.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    assert_eq!(value["symbol"], "UBND-NC");
    let missing = danvan()
        .args(["parse", "--json", "/khong/co/tep.txt"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

#[test]
fn config_example_prints_a_commented_settings_file() {
    let output = danvan().args(["config", "example"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("data_dir = \"danvan-data\"") && text.contains("# database_url"));
}

#[test]
fn user_commands_add_list_reset_and_disable_accounts() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = danvan().args(args).arg("--data").arg(data.path()).output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, out, err) = run(&[
        "user",
        "add",
        "pho.snv",
        "--role",
        "monitor",
        "--name",
        "Phó Giám đốc Sở Nội vụ",
    ]);
    assert!(ok, "{err}");
    let password = out
        .lines()
        .find_map(|l| l.split(": ").nth(1))
        .expect("printed password")
        .trim()
        .to_owned();
    assert_eq!(password.chars().count(), 16);
    let (ok, _, err) = run(&["user", "add", "canbo", "--role", "officer"]);
    assert!(!ok && err.contains("--unit"), "{err}");
    let (ok, _, err) = run(&["user", "add", "pho.snv", "--role", "leader"]);
    assert!(!ok, "duplicate username accepted: {err}");
    let (ok, out, _) = run(&["user", "list"]);
    assert!(
        ok && out.contains("pho.snv") && out.contains("monitor") && out.contains("hoạt động"),
        "{out}"
    );
    let (ok, out, _) = run(&["user", "set-password", "pho.snv"]);
    assert!(ok && !out.contains(&password), "{out}");
    let (ok, _, _) = run(&["user", "disable", "pho.snv"]);
    assert!(ok);
    let (_, out, _) = run(&["user", "list"]);
    assert!(out.contains("khóa"), "{out}");
    let (ok, out, _) = run(&["user", "enable", "pho.snv"]);
    assert!(ok && out.contains("Đã mở lại tài khoản pho.snv"), "{out}");
    // The self-check, before and after a backup.
    let (ok, out, err) = run(&["self-check"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("[Không đạt] Sao lưu: Chưa từng sao lưu") && out.contains("[Đạt] Chuỗi nhật ký"),
        "{out}"
    );
    let copy = data.path().join("sao-luu.db");
    let (ok, out, err) = run(&["backup", copy.to_str().unwrap()]);
    assert!(ok && out.contains("Đã sao lưu"), "{out}{err}");
    let (_, out, _) = run(&["self-check"]);
    assert!(out.contains("[Đạt] Sao lưu: Lần sao lưu gần nhất"), "{out}");
    let (ok, _, err) = run(&["restore", copy.to_str().unwrap()]);
    assert!(!ok && err.contains("--yes"), "{err}");
    let (ok, out, _) = run(&["audit", "verify"]);
    assert!(ok && out.contains("toàn vẹn"), "{out}");
    let (ok, out, _) = run(&["migrate"]);
    assert!(ok && out.contains("phiên bản mới nhất"), "{out}");
}

async fn demo_loads_once(store: Store) {
    let first = demo::load(&store).await.unwrap();
    // 37 logins of 2022 and the officers of three of Lâm Đồng's communes.
    assert!(first.created_units >= 35 && first.created_accounts == 40, "{first:?}");
    let units_after_first = store.list_units().await.unwrap().len();
    let second = demo::load(&store).await.unwrap();
    assert_eq!(second, demo::DemoSummary::default());
    assert_eq!(store.list_units().await.unwrap().len(), units_after_first);
    assert_eq!(store.list_accounts().await.unwrap().len(), 40);
    assert_eq!(first.imported_documents, demo::DOCUMENTS.len());
    assert_eq!(second.imported_documents, 0);
    // Today's province: Lâm Đồng from 1 July 2025 with its 124 communes and 13 departments,
    // linked to the Đắk Nông agencies whose work they carry on.
    let units = store.list_units().await.unwrap();
    let lam_dong = units.iter().find(|u| u.code == "UBND-LD").unwrap();
    let reform = date!(2025 - 07 - 01);
    let under = |kind| {
        units
            .iter()
            .filter(|u| u.parent_id == Some(lam_dong.id) && u.kind == kind && u.is_active_on(reform))
            .count()
    };
    assert_eq!(under(UnitKind::CommuneCommittee), 124);
    assert_eq!(under(UnitKind::Department), 13);
    assert!(
        !units
            .iter()
            .any(|u| u.parent_id == Some(lam_dong.id) && u.is_active_on(date!(2022 - 12 - 15)))
    );
    let successions = store.list_successions().await.unwrap();
    let predecessors = |code: &str| {
        let id = units.iter().find(|u| u.code == code).unwrap().id;
        let mut codes: Vec<String> = successions
            .iter()
            .filter(|s| s.successor_id == id)
            .map(|s| units.iter().find(|u| u.id == s.predecessor_id).unwrap().code.clone())
            .collect();
        codes.sort();
        codes
    };
    // Phường Bắc Gia Nghĩa took Gia Nghĩa's wards and one commune of Đắk Glong.
    assert_eq!(predecessors("UBND-24611"), ["DAKGLONG", "TPGN"]);
    assert_eq!(predecessors("LD-SNV"), ["SNV"]);
    assert_eq!(predecessors("UBND-LD"), [demo::PROVINCE_CODE]);
    // Đắk Nông's 2025 plan: what its agencies had not finished by 30 June went to their
    // successors; what they finished stays theirs. Lâm Đồng's plan reached its 124 communes.
    let directives = store.list_directives().await.unwrap();
    let plan = directives
        .iter()
        .find(|d| d.title.contains("Đắk Nông (dữ liệu minh họa)"))
        .unwrap();
    let held = store.directive(plan.id).await.unwrap().unwrap();
    let parts: Vec<_> = held.tasks.iter().flat_map(|t| &t.assignments).collect();
    let at = |a: &&danvan_store::directive::AssignmentRecord| units.iter().find(|u| u.id == a.unit_id).unwrap();
    assert!(
        parts
            .iter()
            .filter(|a| a.completed_on.is_none() && a.cancelled.is_none())
            .all(|a| at(a).is_active_on(reform))
    );
    assert!(
        parts
            .iter()
            .any(|a| a.completed_on.is_some() && at(a).valid_to == Some(date!(2025 - 06 - 30)))
    );
    assert!(
        parts
            .iter()
            .any(|a| a.completed_on.is_none() && at(a).kind == UnitKind::CommuneCommittee)
    );
    let lam_dong_plan = directives
        .iter()
        .find(|d| d.title.contains("Lâm Đồng (dữ liệu minh họa)"))
        .unwrap();
    assert_eq!((lam_dong_plan.tasks, lam_dong_plan.assignments), (2, 2 * 124));
    // The 2022 officers still belong to their 2022 agencies.
    let snv_officer = store.account_by_username("snv").await.unwrap().unwrap();
    assert_eq!(
        snv_officer.unit_id,
        Some(units.iter().find(|u| u.code == "SNV").unwrap().id)
    );
    // The seed's citation graph is complete: every document it cites is in the library.
    let seed = store
        .document_by_number("2071", "UBND-NC", Some(2022))
        .await
        .unwrap()
        .unwrap();
    let citations = store.citations_of(seed.id).await.unwrap();
    assert_eq!(citations.len(), 11);
    assert!(citations.iter().all(|c| c.target.is_some()));
    // The seed's directive (five tasks for the 33 agencies it addresses, progress of all kinds)
    // and the two 2025 plans.
    assert_eq!(first.created_directives, 3);
    assert_eq!(second.created_directives, 0);
    assert_eq!((first.created_rubrics, second.created_rubrics), (1, 0));
    // Dissemination meetings for the seed's cited documents, by most agencies.
    assert!(first.dissemination_meetings >= 20, "{first:?}");
    assert_eq!(second.dissemination_meetings, 0);
    let listed = danvan_web::listed_documents(&store).await.unwrap();
    let ids: Vec<i64> = listed.iter().map(|d| d.id).collect();
    assert!(listed.len() >= 5 && !store.disseminated(&ids).await.unwrap().is_empty());
    // Leaders for most agencies, some missing.
    assert_eq!(second.assigned_leaders, 0);
    let missing = store.units_without_leader(date!(2022 - 12 - 15)).await.unwrap();
    assert!(
        !missing.is_empty() && missing.len() * 3 < first.assigned_leaders,
        "{missing:?} {first:?}"
    );
    // A few dozen initiatives across fields and stages, some replicated; 2022 training.
    assert!(first.initiatives >= 30 && second.initiatives == 0, "{first:?}");
    let all = store
        .list_initiatives(&danvan_store::initiative::InitiativeFilter::default())
        .await
        .unwrap();
    let stages: std::collections::BTreeSet<_> = all.iter().map(|i| i.stage).collect();
    let fields: std::collections::BTreeSet<_> = all.iter().map(|i| i.field).collect();
    assert!(stages.len() >= 6 && fields.len() == 4, "{stages:?} {fields:?}");
    assert!(all.iter().filter(|i| i.replicated_from.is_some()).count() >= 3);
    let (recognised, _) = store
        .gallery(&danvan_store::initiative::GalleryQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(recognised >= 10, "{recognised}");
    assert!(first.attendance_rows >= 200 && second.attendance_rows == 0, "{first:?}");
    let courses = store.courses(None, 2022).await.unwrap();
    assert!(courses.len() >= 8 && courses.iter().all(|c| c.attendees > 0));
    let coverage = store.coverage(2022).await.unwrap();
    assert!(coverage.iter().filter(|c| c.coverage.trained > 0).count() >= 20);
    // Reports: 2021 annual and 2022 half-year closed (one missing, some late), 2022 annual open.
    assert!(first.reports_filed >= 50 && second.reports_filed == 0, "{first:?}");
    let rounds = store.rounds().await.unwrap();
    assert_eq!(rounds.len(), 3);
    for round in &rounds {
        let filings = store.filings(round.id).await.unwrap();
        let missing = filings.iter().filter(|f| f.first_submitted_on.is_none()).count();
        let late = filings
            .iter()
            .filter(|f| f.first_submitted_on.is_some_and(|d| d > round.deadline))
            .count();
        if round.state == danvan_store::report::RoundState::Closed {
            assert_eq!(missing, 1, "{:?}", round.period);
            assert!(
                late >= 1 && late * 3 < filings.len(),
                "{late} late of {}",
                filings.len()
            );
        } else {
            assert!(missing > 0 && missing < filings.len(), "reports coming in");
        }
    }
    let half = rounds
        .iter()
        .find(|r| r.period.kind == danvan_domain::report::PeriodType::HalfYear)
        .unwrap();
    assert!(store.compilation(half.id).await.unwrap().is_some());
    // Evaluations: 2021 published, 2022 open with agencies at every step.
    assert_eq!((first.created_cycles, second.created_cycles), (6, 0));
    for cycle in store.cycles().await.unwrap() {
        let states: Vec<_> = store
            .assessments(cycle.id)
            .await
            .unwrap()
            .iter()
            .map(|a| a.state)
            .collect();
        assert!(!states.is_empty());
        if cycle.year == 2021 {
            assert_eq!(cycle.state, danvan_domain::evaluation::CycleState::Published);
            let results = store.cycle_results(cycle.id).await.unwrap();
            assert_eq!(results.len(), states.len());
            assert_eq!(results[0].rank, 1);
            let bands: std::collections::BTreeSet<&str> = results.iter().map(|r| r.band.as_str()).collect();
            assert!(bands.len() >= 2, "believable results spread over bands: {bands:?}");
        } else {
            assert_eq!(cycle.state, danvan_domain::evaluation::CycleState::Open);
        }
    }
    let all_2022: Vec<_> = {
        let mut all = Vec::new();
        for cycle in store.cycles().await.unwrap().iter().filter(|c| c.year == 2022) {
            all.extend(store.assessments(cycle.id).await.unwrap().into_iter().map(|a| a.state));
        }
        all
    };
    for state in danvan_domain::evaluation::AssessmentState::ALL {
        assert!(all_2022.contains(&state), "no 2022 assessment is {state:?}");
    }
    let rubrics = store.rubric_versions().await.unwrap();
    assert_eq!(rubrics.len(), 1);
    assert!(rubrics[0].sample && rubrics[0].code == "MAU-DVCQ-729");
    let decision = store
        .document_by_number("729", "QĐ-UBND", Some(rubrics[0].valid_from.year()))
        .await
        .unwrap();
    assert!(
        decision.is_some(),
        "the rubric's decision is in the library, so its page links to it"
    );
    let directives = store.list_directives().await.unwrap();
    // The seed's directive, and the two 2025 plans of today's province (tested below).
    assert_eq!(directives.len(), 3);
    let seed_directive = directives.iter().find(|d| d.title.contains("2071")).unwrap();
    assert_eq!(
        (seed_directive.tasks, seed_directive.assignments),
        // The 33 addressees lead the first four tasks; the fifth, "Giao Sở Nội vụ theo dõi …",
        // goes to the Department alone (issue 11: it is not the other agencies' work).
        (5, 4 * 33 + 1)
    );
    let counts = store
        .board_counts(
            &danvan_store::directive::BoardFilter::default(),
            date!(2022 - 12 - 15),
            true,
        )
        .await
        .unwrap();
    let c = counts.iter().find(|c| c.key == seed_directive.id).unwrap();
    assert!(
        c.done_on_time > 0 && c.done_late > 0 && c.overdue > 0 && c.in_progress + c.not_started > 0,
        "{c:?}"
    );
    let directive = store.directive(seed_directive.id).await.unwrap().unwrap();
    let snv = store.unit_by_code("SNV").await.unwrap().unwrap();
    assert_eq!(directive.tasks[4].monitor_unit_id, Some(snv.id));
    let monitoring: Vec<i64> = directive.tasks[4].assignments.iter().map(|a| a.unit_id).collect();
    assert_eq!(monitoring, [snv.id], "the monitoring task is the Department's alone");
}

async fn demo_province_is_dak_nong_in_2022_with_its_three_groups(store: Store) {
    demo::load(&store).await.unwrap();
    let units = store.list_units().await.unwrap();
    let groups = store.list_groups().await.unwrap();
    assert_eq!(
        groups.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(),
        ["SBN", "DVSN", "HUYEN"]
    );
    let on_demo_day = tree_on(&units, date!(2022 - 12 - 15));
    let names: Vec<&str> = on_demo_day.iter().map(|r| r.unit.name.as_str()).collect();
    assert_eq!(names[0], "UBND tỉnh Đắk Nông");
    let districts: Vec<&str> = on_demo_day
        .iter()
        .filter(|r| r.unit.kind == UnitKind::DistrictCommittee)
        .map(|r| r.unit.name.as_str())
        .collect();
    assert_eq!(
        districts,
        [
            "UBND huyện Cư Jút",
            "UBND huyện Đắk Glong",
            "UBND huyện Đắk Mil",
            "UBND huyện Đắk R'Lấp",
            "UBND huyện Đắk Song",
            "UBND huyện Krông Nô",
            "UBND huyện Tuy Đức",
            "UBND thành phố Gia Nghĩa",
        ]
    );
    for name in [
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Thanh tra tỉnh",
        "Văn phòng UBND tỉnh",
        "Ban Dân tộc",
        "Đài Phát thanh và Truyền hình tỉnh",
    ] {
        assert!(names.contains(&name), "{name} missing on 15/12/2022");
    }
    let count_in = |code: &str| {
        let group = groups.iter().find(|g| g.code == code).unwrap().id;
        on_demo_day.iter().filter(|r| r.unit.group_id == Some(group)).count()
    };
    assert_eq!((count_in("SBN"), count_in("DVSN"), count_in("HUYEN")), (20, 5, 8));
    // Every agency alive in 2022 has its officer login.
    let accounts = store.list_accounts().await.unwrap();
    for row in on_demo_day
        .iter()
        .filter(|r| r.unit.kind != UnitKind::ProvincialCommittee)
    {
        assert!(
            accounts.iter().any(|a| a.unit_id == Some(row.unit.id)),
            "no officer for {}",
            row.unit.name
        );
    }
    // History: the 2025 mergers and the town that became a city are linked to their successors.
    let ldtbxh = store.unit_by_code("SLDTBXH").await.unwrap().unwrap();
    assert_eq!(ldtbxh.valid_to, Some(date!(2025 - 02 - 28)));
    let snv = store.unit_by_code("SNV").await.unwrap().unwrap();
    assert!(
        store
            .successions_of(ldtbxh.id)
            .await
            .unwrap()
            .iter()
            .any(|s| s.successor_id == snv.id)
    );
    let town = store.unit_by_code("TXGN").await.unwrap().unwrap();
    assert!(!town.is_active_on(date!(2022 - 12 - 15)) && town.is_active_on(date!(2019 - 06 - 01)));
    assert!(
        tree_on(&units, date!(2025 - 07 - 01))
            .iter()
            .any(|r| r.unit.name == "UBND tỉnh Lâm Đồng")
    );
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::fresh_store(super::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::fresh_store(super::Backend::Postgres).await).await;
                }
            )*
        }
    };
}

on_both_backends!(demo_loads_once, demo_province_is_dak_nong_in_2022_with_its_three_groups);

/// A backup taken while the database is open, data changed afterwards, the backup restored:
/// every table holds exactly the rows it held at the backup (security.md 27).
async fn backup_and_restore_round_trip(backend: Backend) {
    let url = danvan_store::test_support::fresh_url(backend).await;
    let store = Store::connect(&url, 2).await.unwrap();
    store.migrate().await.unwrap();
    demo::load(&store).await.unwrap();
    let before = store.table_digests().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Into a folder that does not exist yet, after an interrupted backup to the same name left
    // its partial file and journal: the backup is made whole, under its name, and nothing else
    // is left.
    let file = dir.path().join("sao-luu").join("danvan.backup");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(dir.path().join("sao-luu/danvan.backup.partial"), vec![7u8; 4096]).unwrap();
    std::fs::write(dir.path().join("sao-luu/danvan.backup.partial-journal"), b"journal").unwrap();
    danvan::backup::backup(&url, &file).await.unwrap();
    let mut left: Vec<String> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["danvan.backup"]);
    assert!(danvan::backup::backup(&url, &file).await.is_err(), "never overwrites");
    let elsewhere = dir.path().join("moi/thu-muc/danvan.backup");
    danvan::backup::backup(&url, &elsewhere).await.unwrap();
    store
        .create_group(&danvan_store::Actor::system("test"), "MOI", "Khối mới", 9)
        .await
        .unwrap();
    assert_ne!(store.table_digests().await.unwrap(), before);
    store.close().await;
    danvan::backup::restore(&url, &file).await.unwrap();
    let restored = Store::connect(&url, 2).await.unwrap();
    let after = restored.table_digests().await.unwrap();
    let differing: Vec<&String> = before.keys().filter(|t| before.get(*t) != after.get(*t)).collect();
    assert!(
        differing.is_empty(),
        "tables that differ after the restore: {differing:?}"
    );
    assert_eq!(before.len(), after.len());
    assert!(matches!(
        restored.verify_audit_chain().await.unwrap(),
        danvan_store::audit::ChainCheck::Intact { .. }
    ));
    restored.close().await;
    if backend == Backend::Sqlite {
        // Restored where no folder exists yet: the folders are made.
        let place = dir.path().join("khoi-phuc/moi/danvan.db");
        let url = format!("sqlite://{}?mode=rwc", place.display());
        danvan::backup::restore(&url, &file).await.unwrap();
        let there = Store::connect(&url, 1).await.unwrap();
        assert_eq!(there.table_digests().await.unwrap(), before);
        there.close().await;
    }
}

#[tokio::test]
async fn backup_and_restore_round_trip_on_sqlite() {
    backup_and_restore_round_trip(Backend::Sqlite).await;
}

#[tokio::test]
async fn backup_and_restore_round_trip_on_postgres() {
    backup_and_restore_round_trip(Backend::Postgres).await;
}

#[test]
fn the_command_line_reads_only_regular_files_and_ends_quietly_when_its_reader_goes() {
    let dir = std::env::temp_dir().join(format!("danvan-cli-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A link to an endless device and a named pipe: refused at once, never read.
    let zero = dir.join("zero.txt");
    let _ = std::fs::remove_file(&zero);
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let fifo = dir.join("pipe.txt");
    let _ = std::fs::remove_file(&fifo);
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let big = dir.join("big.txt");
    std::fs::write(&big, vec![b'a'; (danvan::MAX_INPUT_BYTES + 1) as usize]).unwrap();
    for (file, reason) in [
        (&zero, "không phải tệp thông thường"),
        (&fifo, "không phải tệp thông thường"),
        (&big, "tệp lớn hơn 10 MB"),
    ] {
        let output = danvan().arg("parse").arg(file).output().unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(reason), "{}: {stderr}", file.display());
        let output = danvan().args(["rubric", "check"]).arg(file).output().unwrap();
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains(reason));
    }
    // The output's reader closes after one line, long before the command is done writing (more
    // than a pipe holds): no panic, no error.
    let document = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/danvan-docparse/corpus/101.txt");
    let mut child = danvan()
        .args(["parse", "--json"])
        .args(std::iter::repeat_n(&document, 400))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(!first.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(status.success(), "{status:?}: {stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Columns that differ between two loads of the same data by their nature: instants (`*_at`)
/// and what hashes them or random salts (password hashes, the audit chain's hashes).
fn instant_or_hash(column: &str) -> bool {
    column.ends_with("_at") || column == "hash" || column.ends_with("_hash")
}

/// Every table's rows, without instants and hashes, of the demo database at `url`.
fn demo_rows(url: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::connect(url, 1).await.unwrap();
        let mut rows = store.table_rows(&instant_or_hash).await.unwrap();
        store.close().await;
        // Made by the running server's daily reminder job, not by the load: whether a run got
        // there before the server was stopped depends on timing.
        rows.remove("reminder");
        rows.remove("job_run");
        // Not data: the stamp of the last change of the agencies, which moves to the time of
        // that change (for the servers that keep the agencies in memory).
        rows.remove("agency_generation");
        rows
    })
}

/// Storage for a demo: the arguments that select it and the URL to read it back.
struct DemoStorage {
    args: Vec<std::ffi::OsString>,
    url: String,
    _folder: Option<tempfile::TempDir>,
}

impl DemoStorage {
    fn new(backend: Backend) -> DemoStorage {
        match backend {
            Backend::Sqlite => {
                let folder = tempfile::tempdir().unwrap();
                DemoStorage {
                    args: vec!["--data".into(), folder.path().into()],
                    url: format!("sqlite://{}?mode=ro", folder.path().join("danvan.db").display()),
                    _folder: Some(folder),
                }
            }
            Backend::Postgres => {
                let url = tokio::runtime::Runtime::new()
                    .unwrap()
                    .block_on(danvan_store::test_support::fresh_url(Backend::Postgres));
                DemoStorage {
                    args: vec!["--database-url".into(), url.clone().into()],
                    url,
                    _folder: None,
                }
            }
        }
    }

    fn args(&self) -> Vec<&std::ffi::OsStr> {
        self.args.iter().map(|a| a.as_os_str()).collect()
    }
}

/// The demo's first load killed (SIGKILL) at points spread over the time a whole load takes,
/// each start resuming what the previous one left, then completed: every table's rows equal a
/// clean load's.
fn first_load_killed_and_resumed_ends_as_a_clean_load(backend: Backend) {
    let clean = DemoStorage::new(backend);
    let started = std::time::Instant::now();
    drop(start_demo_with(&clean.args()));
    let load = started.elapsed();
    let expected = demo_rows(&clean.url);

    let storage = DemoStorage::new(backend);
    for tenth in [1u32, 3, 5, 7, 9] {
        let mut child = danvan()
            .args(["demo", "--addr", "127.0.0.1:0"])
            .args(storage.args())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start danvan demo");
        std::thread::sleep(load * tenth / 10);
        child.kill().unwrap();
        child.wait().unwrap();
    }
    drop(start_demo_with(&storage.args()));
    let resumed = demo_rows(&storage.url);
    assert_eq!(expected.keys().collect::<Vec<_>>(), resumed.keys().collect::<Vec<_>>());
    for (table, rows) in &expected {
        let got = &resumed[table];
        let missing: Vec<&String> = rows.iter().filter(|r| !got.contains(r)).take(3).collect();
        let extra: Vec<&String> = got.iter().filter(|r| !rows.contains(r)).take(3).collect();
        assert!(
            rows == got,
            "table {table}: {} rows after interruptions, {} in a clean load; missing {missing:?}, extra {extra:?}",
            got.len(),
            rows.len()
        );
    }
}

#[test]
fn the_demo_first_load_killed_at_any_point_and_started_again_ends_as_a_clean_load_on_sqlite() {
    first_load_killed_and_resumed_ends_as_a_clean_load(Backend::Sqlite);
}

#[test]
fn the_demo_first_load_killed_at_any_point_and_started_again_ends_as_a_clean_load_on_postgres() {
    first_load_killed_and_resumed_ends_as_a_clean_load(Backend::Postgres);
}
