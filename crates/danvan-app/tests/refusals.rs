//! A refused step changes nothing: for every workflow of the application layer, steps refused
//! for who acts (role), on which record (another agency's), in which state and with which input
//! are taken on a small province set up through the use cases, and every table of official data
//! is compared before and after each one, on SQLite and PostgreSQL. Each refusal must also be of
//! the kind expected, so a step refused for the wrong reason fails here.

use std::collections::BTreeMap;

use danvan_app::{Refusal, User};
use danvan_domain::Role;
use danvan_domain::calendar::Adjustment;
use danvan_domain::directive::Deadline;
use danvan_domain::initiative::{Field, Kind, Level, Step};
use danvan_domain::report::{Period, PeriodType};
use danvan_domain::unit::{NewUnit, SuccessionKind, UnitKind};
use danvan_domain::{Password, Username};
use danvan_store::directive::{NewDirective, NewReport, NewTask};
use danvan_store::directive_change::{CancelTarget, Scope};
use danvan_store::dissemination::NewDissemination;
use danvan_store::evaluation::NewCycle;
use danvan_store::initiative::{NewInitiative, StepInput};
use danvan_store::leader::NewLeader;
use danvan_store::report::FilingContent;
use danvan_store::test_support::{fresh_store, official_state};
use danvan_store::training::{Headcount, NewCourse, TrainingPlan};
use danvan_store::{Backend, NewAccount, NewDocument, Store};
use time::Date;
use time::macros::date;

const RUBRIC: &str = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");
const REPORT_KIND: &str = include_str!("../../../reports/bao-cao-dan-van-nam.toml");
const TODAY: Date = date!(2022 - 12 - 01);

/// What a refusal was for, to check it was refused for the right reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    Forbidden,
    NotFound,
    State,
    Invalid,
    /// The store's own check inside the transaction (a duplicate, a conflict).
    Store,
}

fn why(refusal: &Refusal) -> Why {
    match refusal {
        Refusal::Forbidden => Why::Forbidden,
        Refusal::NotFound => Why::NotFound,
        Refusal::State(_) => Why::State,
        Refusal::Invalid(_) => Why::Invalid,
        Refusal::Store(_) => Why::Store,
    }
}

/// Takes a step that must be refused for `expected`, and checks that no official table changed.
macro_rules! refused {
    ($store:expr, $what:expr, $expected:expr, $step:expr) => {{
        let before = official_state($store).await;
        let outcome = $step.await;
        let after = official_state($store).await;
        match &outcome {
            Ok(_) => panic!("{}: accepted, should be refused ({:?})", $what, $expected),
            Err(refusal) => assert_eq!(why(refusal), $expected, "{}: refused for {refusal}", $what),
        }
        let changed: std::collections::BTreeSet<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|t| before.get(*t) != after.get(*t))
            .collect();
        assert!(changed.is_empty(), "{}: refused, but changed {changed:?}", $what);
    }};
}

struct Province {
    admin: User,
    monitor: User,
    /// The officer of agency A, with an account (progress reports name their author).
    officer_a: User,
    /// An officer of agency B.
    officer_b: User,
    group: i64,
    unit_a: i64,
    unit_b: i64,
    document: i64,
    task: i64,
    assignment_a: i64,
    report_a: i64,
    assessment_a: i64,
    initiative_a: i64,
    course_a: i64,
    round: i64,
    filing_a: i64,
}

fn unit(code: &str, name: &str, group: i64) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        short_name: code.into(),
        kind: UnitKind::Department,
        parent_id: None,
        group_id: Some(group),
        valid_from: date!(2004 - 01 - 01),
        valid_to: None,
    }
}

fn directive(document_date: Date, due: Date, lead: i64) -> NewDirective {
    NewDirective {
        document_id: None,
        title: "Triển khai công tác dân vận chính quyền năm 2022".into(),
        document_date,
        tasks: vec![NewTask {
            content: "Xây dựng kế hoạch thực hiện công tác dân vận chính quyền.".into(),
            monitor_unit_id: None,
            deadline: Deadline::On(due),
            leads: vec![lead],
            supports: vec![],
        }],
    }
}

/// A dispatch of the province's People's Committee, as read from its text.
fn dispatch(number: &str) -> NewDocument {
    NewDocument {
        doc_type: Some("Công văn".into()),
        number: Some(number.into()),
        symbol: Some("UBND-NC".into()),
        issuer: Some("UBND tỉnh Đắk Nông".into()),
        parent_issuer: None,
        place: Some("Đắk Nông".into()),
        issued_on: Some(date!(2022 - 04 - 25)),
        subject: Some("V/v tăng cường công tác dân vận chính quyền".into()),
        signer_name: Some("Tôn Thị Ngọc Hạnh".into()),
        signer_title: Some("PHÓ CHỦ TỊCH".into()),
        signer_authority: Some("KT. CHỦ TỊCH".into()),
        recipients: vec!["Các sở, ban, ngành".into()],
        tasks: vec!["Triển khai thực hiện.".into()],
        distribution: vec![],
        warnings: vec![],
        body_text: "Để tăng cường công tác dân vận chính quyền, UBND tỉnh yêu cầu: triển khai thực hiện.".into(),
        citations: vec![],
        file: None,
    }
}

fn initiative(unit_id: i64) -> NewInitiative {
    NewInitiative {
        unit_id,
        kind: Kind::Collective,
        field: Field::Economy,
        name: "Mô hình \"Dân vận khéo\" trong cải cách hành chính".into(),
        area: "Toàn cơ quan".into(),
        beneficiaries: "Người dân, doanh nghiệp".into(),
        led_by: "Lãnh đạo cơ quan".into(),
        members: "Cán bộ, công chức".into(),
        situation: "Thủ tục còn chậm.".into(),
        goals: "Giải quyết đúng hạn.".into(),
        criteria: "100 % hồ sơ đúng hạn.".into(),
        content: "Rà soát quy trình.".into(),
        resources: "Kinh phí thường xuyên.".into(),
        starts_on: date!(2022 - 02 - 01),
        ends_on: date!(2022 - 12 - 31),
        outputs: "Báo cáo kết quả.".into(),
        sustainability: "Duy trì hằng năm.".into(),
        people_public: true,
        registered_on: date!(2022 - 01 - 20),
        replicated_from: None,
    }
}

async fn province(backend: Backend) -> (Store, Province) {
    use danvan_app::{account, directive as dir, document, evaluation, initiative as ini, report, training, unit as u};
    let store = fresh_store(backend).await;
    let s = &store;
    let admin = User::system("test", Role::Admin, None);
    let monitor = User::system("test", Role::Monitor, None);
    let group = u::create_group(s, &admin, "SBN", "Khối sở, ban, ngành", 1)
        .await
        .unwrap();
    let unit_a = u::create(s, &admin, &unit("SA", "Sở A", group)).await.unwrap();
    let unit_b = u::create(s, &admin, &unit("SB", "Sở B", group)).await.unwrap();
    let account = NewAccount {
        username: Username::parse("canbo.sa").unwrap(),
        display_name: "Cán bộ Sở A".into(),
        role: Role::Officer,
        unit_id: Some(unit_a),
        password_hash: Password::unchecked_for_demo("demo").hash(),
        must_change_password: false,
        email: None,
    };
    let account_a = account::create(s, &admin, &account).await.unwrap();
    let officer_a = User::account(account_a, "canbo.sa", Role::Officer, Some(unit_a), None);
    let officer_b = User::system("test", Role::Officer, Some(unit_b));

    let document = document::save(s, &monitor, &dispatch("2071")).await.unwrap().id();

    let directive_id = dir::create(
        s,
        &monitor,
        &directive(date!(2022 - 04 - 25), date!(2022 - 12 - 30), unit_a),
        false,
        TODAY,
    )
    .await
    .unwrap();
    let held = s.directive(directive_id).await.unwrap().unwrap();
    let task = held.tasks[0].id;
    let assignment_a = held.tasks[0].assignments[0].id;
    let report = NewReport {
        reported_on: TODAY,
        percent: 50,
        content: "Đã xây dựng kế hoạch.".into(),
        attachments: vec![],
    };
    let report_a = dir::report_progress(s, &officer_a, assignment_a, &report)
        .await
        .unwrap();

    let version = evaluation::save_rubric(s, &admin, RUBRIC).await.unwrap().id;
    let cycle = NewCycle {
        year: 2022,
        group_id: group,
        rubric_version_id: version,
        self_deadline: date!(2022 - 12 - 20),
        appraisal_deadline: date!(2022 - 12 - 28),
    };
    let cycle = evaluation::open_cycle(s, &monitor, &cycle, &[unit_a, unit_b])
        .await
        .unwrap();
    let assessment_a = s
        .assessments(cycle)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.unit_id == unit_a)
        .unwrap()
        .id;

    let initiative_a = ini::register(s, &officer_a, &initiative(unit_a)).await.unwrap();
    let course = NewCourse {
        unit_id: unit_a,
        title: "Tập huấn dân vận khéo".into(),
        topic: "Kỹ năng dân vận".into(),
        starts_on: date!(2022 - 06 - 06),
        ends_on: date!(2022 - 06 - 07),
        place: "Hội trường Sở A".into(),
        organiser: "Sở A".into(),
        trainers: "Sở Nội vụ".into(),
    };
    let course_a = training::add_course(s, &officer_a, &course).await.unwrap();

    let installer = User::system("test", Role::Admin, None);
    let kind_id = report::save_kind(s, &installer, REPORT_KIND).await.unwrap().0;
    let period = Period::new(PeriodType::Year, 2022, 1).unwrap();
    let round = report::open_round(s, &monitor, kind_id, period, date!(2022 - 12 - 20), &[unit_a, unit_b])
        .await
        .unwrap();
    let filing_a = s
        .filings(round)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.unit_id == unit_a)
        .unwrap()
        .id;
    (
        store,
        Province {
            admin,
            monitor,
            officer_a,
            officer_b,
            unit_a,
            unit_b,
            group,
            document,
            task,
            assignment_a,
            report_a,
            assessment_a,
            initiative_a,
            course_a,
            round,
            filing_a,
        },
    )
}

async fn every_refused_step_changes_nothing(backend: Backend) {
    use danvan_app::{
        account, calendar, directive as dir, document, evaluation, initiative as ini, maintenance, records, report,
        training, unit as u,
    };
    let (store, p) = province(backend).await;
    let s = &store;

    // Agencies.
    refused!(
        s,
        "an officer adds an agency",
        Why::Forbidden,
        u::create(s, &p.officer_a, &unit("SC", "Sở C", 1))
    );
    refused!(
        s,
        "an agency with a code in use",
        Why::Store,
        u::create(s, &p.admin, &unit("SA", "Sở A mới", 1))
    );
    refused!(
        s,
        "changing an agency that is not there",
        Why::NotFound,
        u::update(s, &p.admin, 9_999, &unit("SX", "Sở X", 1))
    );
    refused!(
        s,
        "closing an agency without a successor",
        Why::Invalid,
        u::close(s, &p.admin, p.unit_b, TODAY, SuccessionKind::Merger, &[])
    );
    refused!(
        s,
        "an officer adds a group",
        Why::Forbidden,
        u::create_group(s, &p.officer_a, "K2", "Khối 2", 2)
    );

    // Accounts.
    let officer_without_agency = NewAccount {
        username: Username::parse("canbo.moi").unwrap(),
        display_name: "Cán bộ mới".into(),
        role: Role::Officer,
        unit_id: None,
        password_hash: Password::unchecked_for_demo("demo").hash(),
        must_change_password: true,
        email: None,
    };
    refused!(
        s,
        "the Department creates an account",
        Why::Forbidden,
        account::create(s, &p.monitor, &officer_without_agency)
    );
    refused!(
        s,
        "an officer's account without an agency",
        Why::Invalid,
        account::create(s, &p.admin, &officer_without_agency)
    );
    refused!(
        s,
        "an officer resets another's password",
        Why::Forbidden,
        account::reset_password(s, &p.officer_b, p.officer_a.account_id.unwrap(), "x")
    );
    refused!(
        s,
        "the Department changes an account's role",
        Why::Forbidden,
        account::change_role(
            s,
            &p.monitor,
            p.officer_a.account_id.unwrap(),
            Role::Monitor,
            None,
            TODAY
        )
    );
    refused!(
        s,
        "an officer's role without an agency",
        Why::Invalid,
        account::change_role(s, &p.admin, p.officer_a.account_id.unwrap(), Role::Officer, None, TODAY)
    );
    refused!(
        s,
        "an officer signs another out",
        Why::Forbidden,
        account::end_sessions(s, &p.officer_b, p.officer_a.account_id.unwrap())
    );
    refused!(
        s,
        "an officer disables an account",
        Why::Forbidden,
        account::set_disabled(s, &p.officer_b, p.officer_a.account_id.unwrap(), true)
    );

    // The library.
    refused!(
        s,
        "an officer saves a document",
        Why::Forbidden,
        document::save(s, &p.officer_a, &dispatch("2100"))
    );
    refused!(
        s,
        "a document already held",
        Why::Store,
        document::save(s, &p.monitor, &dispatch("2071"))
    );
    refused!(
        s,
        "an addressee mapped to an agency that is not there",
        Why::Invalid,
        document::map_addressee(s, &p.monitor, "Sở Z", Some(9_999), None)
    );
    refused!(
        s,
        "an officer maps an addressee",
        Why::Forbidden,
        document::map_addressee(s, &p.officer_a, "Sở A", Some(p.unit_a), None)
    );

    // Directives.
    refused!(
        s,
        "an officer issues a directive",
        Why::Forbidden,
        dir::create(
            s,
            &p.officer_a,
            &directive(date!(2022 - 11 - 01), date!(2022 - 12 - 30), p.unit_a),
            false,
            TODAY
        )
    );
    refused!(
        s,
        "a deadline before the document's date",
        Why::Invalid,
        dir::create(
            s,
            &p.monitor,
            &directive(date!(2022 - 11 - 01), date!(2022 - 10 - 30), p.unit_a),
            true,
            TODAY
        )
    );
    refused!(
        s,
        "a past deadline not confirmed",
        Why::Invalid,
        dir::create(
            s,
            &p.monitor,
            &directive(date!(2022 - 11 - 01), date!(2022 - 11 - 20), p.unit_a),
            false,
            TODAY
        )
    );
    refused!(
        s,
        "a task for an agency that is not there",
        Why::Invalid,
        dir::create(
            s,
            &p.monitor,
            &directive(date!(2022 - 11 - 01), date!(2022 - 12 - 30), 9_999),
            false,
            TODAY
        )
    );
    let report = NewReport {
        reported_on: TODAY,
        percent: 80,
        content: "Tiếp tục thực hiện.".into(),
        attachments: vec![],
    };
    refused!(
        s,
        "another agency reports on A's part",
        Why::Forbidden,
        dir::report_progress(s, &p.officer_b, p.assignment_a, &report)
    );
    let too_much = NewReport {
        percent: 150,
        ..report.clone()
    };
    refused!(
        s,
        "a progress report over 100 %",
        Why::Invalid,
        dir::report_progress(s, &p.officer_a, p.assignment_a, &too_much)
    );
    refused!(
        s,
        "an officer reviews a report",
        Why::Forbidden,
        dir::review_progress(s, &p.officer_a, p.report_a, true, "")
    );
    refused!(
        s,
        "a report returned without a reason",
        Why::Invalid,
        dir::review_progress(s, &p.monitor, p.report_a, false, " ")
    );
    refused!(
        s,
        "an officer edits a task",
        Why::Forbidden,
        dir::edit_task(s, &p.officer_a, p.task, "Nội dung khác.")
    );
    refused!(
        s,
        "a deadline extended to an earlier day",
        Why::Invalid,
        dir::extend_deadline(
            s,
            &p.monitor,
            Scope::Task(p.task),
            date!(2022 - 12 - 10),
            "Xin gia hạn.",
            TODAY
        )
    );
    refused!(
        s,
        "a directive cancelled without a reason",
        Why::Invalid,
        dir::cancel(s, &p.monitor, CancelTarget::Task(p.task), " ", TODAY)
    );
    refused!(
        s,
        "an agency added twice to a task",
        Why::Invalid,
        dir::add_agency(s, &p.monitor, p.task, p.unit_a, true, TODAY)
    );

    // The working-day calendar.
    let adjustment = Adjustment {
        date: date!(2022 - 12 - 31),
        working: true,
        note: "Làm bù theo Thông báo số 1/TB-BNV".into(),
    };
    refused!(
        s,
        "the Department changes the calendar",
        Why::Forbidden,
        calendar::set_adjustment(s, &p.monitor, &adjustment)
    );
    let unexplained = Adjustment {
        note: " ".into(),
        ..adjustment.clone()
    };
    refused!(
        s,
        "a calendar change without its notice",
        Why::Invalid,
        calendar::set_adjustment(s, &p.admin, &unexplained)
    );
    refused!(
        s,
        "the Department removes a calendar change",
        Why::Forbidden,
        calendar::remove_adjustment(s, &p.monitor, date!(2022 - 12 - 31))
    );

    // Evaluation.
    refused!(
        s,
        "an officer saves a rubric",
        Why::Forbidden,
        evaluation::save_rubric(s, &p.officer_a, RUBRIC)
    );
    refused!(
        s,
        "a rubric version saved twice",
        Why::Store,
        evaluation::save_rubric(s, &p.admin, RUBRIC)
    );
    refused!(
        s,
        "a rubric naming a kind of agency that does not exist",
        Why::Invalid,
        evaluation::save_rubric(s, &p.admin, &RUBRIC.replace("department", "departmnet"))
    );
    let draft = RUBRIC
        .replace("decision = ", "# decision = ")
        .replacen("code = \"", "code = \"DRAFT-", 1);
    let draft_id = evaluation::save_rubric(s, &p.admin, &draft).await.unwrap().id;
    refused!(
        s,
        "a cycle opened on a draft rubric",
        Why::Invalid,
        evaluation::open_cycle(
            s,
            &p.monitor,
            &NewCycle {
                year: 2023,
                group_id: p.group,
                rubric_version_id: draft_id,
                self_deadline: date!(2023 - 12 - 15),
                appraisal_deadline: date!(2023 - 12 - 31),
            },
            &[p.unit_a],
        )
    );
    refused!(
        s,
        "another agency's officer saves a rubric version",
        Why::Forbidden,
        evaluation::save_rubric(s, &p.officer_b, RUBRIC)
    );
    refused!(
        s,
        "another agency scores A's assessment",
        Why::Forbidden,
        evaluation::self_assess(s, &p.officer_b, p.assessment_a, &[], false, TODAY)
    );
    refused!(
        s,
        "an assessment submitted with criteria unscored",
        Why::Invalid,
        evaluation::self_assess(s, &p.officer_a, p.assessment_a, &[], true, TODAY)
    );
    refused!(
        s,
        "self-scoring after its deadline",
        Why::State,
        evaluation::self_assess(s, &p.officer_a, p.assessment_a, &[], false, date!(2022 - 12 - 21))
    );
    let cycle = NewCycle {
        year: 2023,
        group_id: 1,
        rubric_version_id: 1,
        self_deadline: date!(2023 - 12 - 20),
        appraisal_deadline: date!(2023 - 12 - 28),
    };
    refused!(
        s,
        "an officer opens a cycle",
        Why::Forbidden,
        evaluation::open_cycle(s, &p.officer_a, &cycle, &[p.unit_a])
    );
    let backwards = NewCycle {
        appraisal_deadline: date!(2023 - 12 - 01),
        ..cycle.clone()
    };
    refused!(
        s,
        "a cycle appraised before it is self-scored",
        Why::Invalid,
        evaluation::open_cycle(s, &p.monitor, &backwards, &[p.unit_a])
    );

    let extension = |until: Date| evaluation::ExtendInput {
        unit_id: Some(p.unit_a),
        window: danvan_domain::evaluation::Window::SelfScoring,
        until,
        reason: "Xin thêm thời gian.".into(),
    };
    refused!(
        s,
        "an officer extends its own deadline",
        Why::Forbidden,
        evaluation::extend_deadline(s, &p.officer_a, 1, &extension(date!(2022 - 12 - 30)), TODAY)
    );
    refused!(
        s,
        "a deadline extended to before the one in force",
        Why::Invalid,
        evaluation::extend_deadline(s, &p.monitor, 1, &extension(date!(2022 - 12 - 10)), TODAY)
    );

    refused!(
        s,
        "self-scoring extended past the appraisal",
        Why::Invalid,
        evaluation::extend_deadline(s, &p.monitor, 1, &extension(date!(2022 - 12 - 30)), TODAY)
    );
    let not_ours = [danvan_store::evaluation::SelfItem {
        kind: danvan_store::evaluation::ItemKind::Criterion,
        item_id: "3.1".into(),
        value: Some("p:100".into()),
        note: String::new(),
        evidence: None,
    }];
    refused!(
        s,
        "an agency scores a criterion the higher level scores",
        Why::Invalid,
        evaluation::self_assess(s, &p.officer_a, p.assessment_a, &not_ours, false, TODAY)
    );

    // An agency's own records.
    let leader = NewLeader {
        unit_id: p.unit_a,
        name: "Nguyễn Văn A".into(),
        position: "Phó Giám đốc".into(),
        decision: "15/QĐ-SA".into(),
        valid_from: date!(2022 - 01 - 01),
    };
    refused!(
        s,
        "another agency names A's leader",
        Why::Forbidden,
        records::assign_leader(s, &p.officer_b, &leader)
    );
    records::assign_leader(s, &p.officer_a, &leader).await.unwrap();
    let earlier = NewLeader {
        valid_from: date!(2021 - 06 - 01),
        ..leader.clone()
    };
    refused!(
        s,
        "a leader's history rewritten backwards",
        Why::Store,
        records::assign_leader(s, &p.officer_a, &earlier)
    );
    let meeting = NewDissemination {
        unit_id: p.unit_a,
        held_on: TODAY,
        form: "Hội nghị".into(),
        participants: 40,
        document_ids: vec![],
    };
    refused!(
        s,
        "a meeting with no document",
        Why::Invalid,
        records::record_dissemination(s, &p.officer_a, &meeting)
    );
    let meeting = NewDissemination {
        document_ids: vec![p.document],
        ..meeting
    };
    refused!(
        s,
        "another agency's meeting",
        Why::Forbidden,
        records::record_dissemination(s, &p.officer_b, &meeting)
    );

    // Training.
    let course = NewCourse {
        unit_id: p.unit_a,
        title: "Lớp ngược ngày".into(),
        topic: "Dân vận".into(),
        starts_on: date!(2022 - 06 - 07),
        ends_on: date!(2022 - 06 - 06),
        place: "Hội trường".into(),
        organiser: "Sở A".into(),
        trainers: "Sở Nội vụ".into(),
    };
    refused!(
        s,
        "a course that ends before it starts",
        Why::Invalid,
        training::add_course(s, &p.officer_a, &course)
    );
    refused!(
        s,
        "another agency's course",
        Why::Forbidden,
        training::add_course(s, &p.officer_b, &course)
    );
    refused!(
        s,
        "an attendance list with nobody",
        Why::Invalid,
        training::add_attendance(s, &p.officer_a, p.course_a, &[], "tệp")
    );
    let plan = TrainingPlan {
        unit_id: p.unit_a,
        year: 2022,
        content: "Kế hoạch".into(),
        planned_courses: 1,
        planned_people: 30,
    };
    let headcount = Headcount {
        unit_id: p.unit_a,
        year: 2022,
        can_bo: 2,
        cong_chuc: -1,
        vien_chuc: 3,
    };
    refused!(
        s,
        "a negative headcount",
        Why::Invalid,
        training::save_year(s, &p.officer_a, &plan, &headcount)
    );
    refused!(
        s,
        "another agency's plan",
        Why::Forbidden,
        training::save_plan(s, &p.officer_b, &plan)
    );

    // Initiatives.
    refused!(
        s,
        "another agency registers for A",
        Why::Forbidden,
        ini::register(s, &p.officer_b, &initiative(p.unit_a))
    );
    let recognise = StepInput {
        step: Step::Recognise(Level::Province),
        happened_on: TODAY,
        note: String::new(),
        decision: Some("1/QĐ-UBND".into()),
    };
    refused!(
        s,
        "an agency recognises its own initiative",
        Why::Forbidden,
        ini::advance(s, &p.officer_a, p.initiative_a, &recognise)
    );
    let review = StepInput {
        step: Step::FinalReview,
        happened_on: TODAY,
        note: "Tổng kết".into(),
        decision: None,
    };
    refused!(
        s,
        "a final review before the launch",
        Why::State,
        ini::advance(s, &p.officer_a, p.initiative_a, &review)
    );

    // Periodic reports.
    refused!(
        s,
        "an agency's officer adds a report kind",
        Why::Forbidden,
        report::save_kind(s, &p.officer_a, REPORT_KIND)
    );
    refused!(
        s,
        "a report kind whose indicator has no known type",
        Why::Invalid,
        report::save_kind(
            s,
            &p.monitor,
            &REPORT_KIND.replace("type = \"integer\"", "type = \"int\"")
        )
    );
    let period = Period::new(PeriodType::Year, 2023, 1).unwrap();
    refused!(
        s,
        "an officer opens a round",
        Why::Forbidden,
        report::open_round(s, &p.officer_a, 1, period, date!(2024 - 01 - 20), &[p.unit_a])
    );
    let content = FilingContent {
        sections: BTreeMap::new(),
        figures: BTreeMap::new(),
        warnings_note: String::new(),
    };
    refused!(
        s,
        "another agency saves A's filing",
        Why::Forbidden,
        report::save_filing(s, &p.officer_b, p.filing_a, &content, &[])
    );
    refused!(
        s,
        "a draft reviewed",
        Why::State,
        report::review_filing(s, &p.monitor, p.filing_a, true, "")
    );
    refused!(
        s,
        "another agency submits A's report",
        Why::Forbidden,
        report::submit_filing(s, &p.officer_b, p.filing_a, TODAY)
    );
    refused!(
        s,
        "a report submitted with its figures missing",
        Why::Invalid,
        report::submit_filing(s, &p.officer_a, p.filing_a, TODAY)
    );
    refused!(
        s,
        "an officer writes the compiled report",
        Why::Forbidden,
        report::save_compilation(s, &p.officer_a, p.round, &BTreeMap::new())
    );
    refused!(
        s,
        "an officer closes a round",
        Why::Forbidden,
        report::close_round(s, &p.officer_a, p.round)
    );
    report::close_round(s, &p.monitor, p.round).await.unwrap();
    refused!(
        s,
        "a round closed twice",
        Why::State,
        report::close_round(s, &p.monitor, p.round)
    );
    refused!(
        s,
        "a filing saved after its round closed",
        Why::State,
        report::save_filing(s, &p.officer_a, p.filing_a, &content, &[])
    );

    // Housekeeping is the server's, as an admin.
    refused!(
        s,
        "the Department removes stored files",
        Why::Forbidden,
        maintenance::delete_orphaned_files(s, &p.monitor, i64::MAX)
    );
    let _ = p.unit_b;
}

#[tokio::test]
async fn every_refused_step_changes_nothing_on_sqlite() {
    every_refused_step_changes_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn every_refused_step_changes_nothing_on_postgres() {
    every_refused_step_changes_nothing(Backend::Postgres).await;
}
