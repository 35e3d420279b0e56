//! The demo province: Đắk Nông as of April 2022, with its real agencies, and the restructuring
//! of 2025 that closed them, so that history under the names of the time can be seen.
//!
//! Loading is idempotent: every item is looked up by its code or username first, so running
//! `danvan demo` twice, or after an interrupted first run, creates nothing twice. Demo accounts
//! use the password `demo`, which the password policy would refuse; only this module creates
//! them (see ARCHITECTURE.md).

use anyhow::Context;
use danvan_app::User;
use danvan_app::store::{NewAccount, Store};
use danvan_domain::unit::{NewUnit, SuccessionKind, UnitKind};
use danvan_domain::{Password, Role, Username};
use time::Date;
use time::macros::date;

/// The day Đắk Nông province was created (Nghị quyết 22/2003/QH11).
const FOUNDED: Date = date!(2004 - 01 - 01);
/// The last day of the district level and of Đắk Nông province (merged into Lâm Đồng).
const LAST_DAY_OF_DISTRICTS: Date = date!(2025 - 06 - 30);
/// The last day of the departments merged in the first 2025 restructuring.
const LAST_DAY_BEFORE_MARCH_2025: Date = date!(2025 - 02 - 28);

pub const PROVINCE_CODE: &str = "UBND-DKN";

/// The groups the province ranks separately.
pub const GROUPS: &[(&str, &str)] = &[
    ("SBN", "Khối sở, ban, ngành"),
    ("DVSN", "Khối đơn vị sự nghiệp"),
    ("HUYEN", "Khối UBND các huyện, thành phố"),
];

/// One demo agency: code, full name, short name, kind, group, first day, and an officer login.
pub struct DemoUnit {
    pub code: &'static str,
    pub name: &'static str,
    pub short_name: &'static str,
    pub kind: UnitKind,
    pub group: Option<&'static str>,
    pub valid_from: Date,
    pub officer: Option<&'static str>,
}

const fn dept(code: &'static str, name: &'static str, short: &'static str, officer: &'static str) -> DemoUnit {
    DemoUnit {
        code,
        name,
        short_name: short,
        kind: UnitKind::Department,
        group: Some("SBN"),
        valid_from: FOUNDED,
        officer: Some(officer),
    }
}

const fn service(code: &'static str, name: &'static str, short: &'static str, officer: &'static str) -> DemoUnit {
    DemoUnit {
        code,
        name,
        short_name: short,
        kind: UnitKind::ServiceUnit,
        group: Some("DVSN"),
        valid_from: FOUNDED,
        officer: Some(officer),
    }
}

const fn district(code: &'static str, name: &'static str, short: &'static str, officer: &'static str) -> DemoUnit {
    DemoUnit {
        code,
        name,
        short_name: short,
        kind: UnitKind::DistrictCommittee,
        group: Some("HUYEN"),
        valid_from: FOUNDED,
        officer: Some(officer),
    }
}

/// The agencies under the provincial committee in 2022.
pub const UNITS_2022: &[DemoUnit] = &[
    dept("VPUBND", "Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh", "vpubnd"),
    dept("SNV", "Sở Nội vụ", "Sở Nội vụ", "snv"),
    dept("STP", "Sở Tư pháp", "Sở Tư pháp", "stp"),
    dept("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "skhdt"),
    dept("STC", "Sở Tài chính", "Sở Tài chính", "stc"),
    dept("SCT", "Sở Công Thương", "Sở Công Thương", "sct"),
    dept(
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở NN&PTNT",
        "snnptnt",
    ),
    dept("SGTVT", "Sở Giao thông vận tải", "Sở GTVT", "sgtvt"),
    dept("SXD", "Sở Xây dựng", "Sở Xây dựng", "sxd"),
    dept("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT", "stnmt"),
    dept("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", "stttt"),
    dept(
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở LĐ-TB&XH",
        "sldtbxh",
    ),
    dept("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL", "svhttdl"),
    dept("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", "skhcn"),
    dept("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "sgddt"),
    dept("SYT", "Sở Y tế", "Sở Y tế", "syt"),
    dept("SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ", "sngv"),
    dept("TTT", "Thanh tra tỉnh", "Thanh tra tỉnh", "ttt"),
    dept("BDT", "Ban Dân tộc", "Ban Dân tộc", "bdt"),
    dept("BQLKCN", "Ban Quản lý các khu công nghiệp", "Ban QL các KCN", "bqlkcn"),
    service("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "Đài PT-TH tỉnh", "dptth"),
    service(
        "CDCD",
        "Trường Cao đẳng Cộng đồng Đắk Nông",
        "Trường CĐ Cộng đồng",
        "cdcd",
    ),
    service(
        "BQLCVDC",
        "Ban Quản lý Công viên địa chất Đắk Nông",
        "Ban QL CVĐC",
        "bqlcvdc",
    ),
    service(
        "BQLDADDCN",
        "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh",
        "Ban QLDA DD&CN",
        "bqldaddcn",
    ),
    service("QDTPT", "Quỹ Đầu tư phát triển tỉnh", "Quỹ ĐTPT tỉnh", "qdtpt"),
    DemoUnit {
        // Gia Nghĩa became a city on 1 February 2020; the town before it is kept below.
        valid_from: date!(2020 - 02 - 01),
        ..district("TPGN", "UBND thành phố Gia Nghĩa", "TP Gia Nghĩa", "gianghia")
    },
    district("CUJUT", "UBND huyện Cư Jút", "Cư Jút", "cujut"),
    district("DAKGLONG", "UBND huyện Đắk Glong", "Đắk Glong", "dakglong"),
    district("DAKMIL", "UBND huyện Đắk Mil", "Đắk Mil", "dakmil"),
    district("DAKRLAP", "UBND huyện Đắk R'Lấp", "Đắk R'Lấp", "dakrlap"),
    district("DAKSONG", "UBND huyện Đắk Song", "Đắk Song", "daksong"),
    district("KRONGNO", "UBND huyện Krông Nô", "Krông Nô", "krongno"),
    district("TUYDUC", "UBND huyện Tuy Đức", "Tuy Đức", "tuyduc"),
];

/// The first 2025 restructuring (effective 1 March 2025): departments merged into others.
const MARCH_2025_MERGERS: &[(&str, &str)] = &[
    ("SLDTBXH", "SNV"),
    ("SKHDT", "STC"),
    ("STTTT", "SKHCN"),
    ("SGTVT", "SXD"),
    ("STNMT", "SNNMT"),
    ("SNNPTNT", "SNNMT"),
    ("BDT", "SDTTG"),
];

/// The demo logins other than the agencies' officers: username, display name, role.
pub const PROVINCE_LOGINS: &[(&str, &str, Role)] = &[
    ("admin", "Quản trị hệ thống", Role::Admin),
    ("sonoivu", "Phòng Công tác dân vận, Sở Nội vụ", Role::Monitor),
    ("lanhdao", "Lãnh đạo UBND tỉnh", Role::Leader),
    ("hoidong", "Thành viên Hội đồng thẩm định", Role::Appraiser),
];

pub const DEMO_PASSWORD: &str = "demo";

/// What a demo load did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub created_units: usize,
    pub created_accounts: usize,
    pub imported_documents: usize,
    pub created_directives: usize,
    pub created_rubrics: usize,
    pub created_cycles: usize,
    pub assigned_leaders: usize,
    pub dissemination_meetings: usize,
    pub initiatives: usize,
    pub attendance_rows: usize,
    pub reports_filed: usize,
}

macro_rules! demo_documents {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../demo-data/documents/", $name)))),*]
    };
}

/// The demo document that arrives as an edXML package (a decision of the Prime Minister).
const RECEIVED_AS_PACKAGE: &str = "corpus-020.txt";

/// A document's text wrapped as the Government Office's e-office would send it to the
/// province's People's Committee: the header from the document's own fields (read from its
/// text), the text attached. Only the transport is made up; the document is the real one.
fn as_package(text: &[u8]) -> anyhow::Result<Vec<u8>> {
    use danvan_edxml::{Attachment, Code, DocumentType, EdDate, MessageHeader, Organ, Package, Signer, Steering};
    let parsed = danvan_docparse::read_bytes(text).map_err(|e| anyhow::anyhow!("unreadable: {e:?}"))?;
    let date = parsed.date.context("the document's date")?;
    let date = EdDate {
        year: date.year,
        month: date.month,
        day: date.day,
    };
    let code = Code {
        number: parsed.number.clone().context("the document's number")?,
        notation: parsed.symbol.clone().context("the document's symbol")?,
    };
    let package = Package {
        header: MessageHeader {
            from: Organ {
                organ_id: "000.00.00.G22".into(),
                organ_name: "Văn phòng Chính phủ".into(),
                ..Organ::default()
            },
            to: vec![Organ {
                organ_id: "000.00.00.H17".into(),
                organ_name: "UBND tỉnh Đắk Nông".into(),
                ..Organ::default()
            }],
            document_id: format!("000.00.00.G22,{},{}", date.packaged(), code.written()),
            code,
            place: parsed.place.clone().unwrap_or_default(),
            promulgation_date: Some(date),
            document_type: DocumentType {
                code: String::new(),
                detail: String::new(),
                name: parsed.doc_type.clone().unwrap_or_default(),
            },
            subject: parsed.subject.clone().context("the document's subject")?,
            content: String::new(),
            signer: Signer {
                competence: parsed.signer_authority.clone().unwrap_or_default(),
                position: parsed.signer_title.clone().unwrap_or_default(),
                full_name: parsed.signer_name.clone().unwrap_or_default(),
            },
            due_date: None,
            to_places: vec![],
            priority: Some(0),
            response_for: vec![],
            steering: Steering::None,
        },
        timestamp: format!("{} 08:00:00", date.packaged()),
        attachments: vec![Attachment {
            content_type: "text/plain".into(),
            content_id: "toan-van".into(),
            name: RECEIVED_AS_PACKAGE.into(),
            description: "Toàn văn".into(),
            content: text.to_vec(),
        }],
    };
    Ok(danvan_edxml::write_package(&package).into_bytes())
}

/// The demo library: the seed dispatch and the shared corpus (see demo-data/README.md).
pub const DOCUMENTS: &[(&str, &[u8])] = demo_documents!(
    "2071-UBND-NC.txt",
    "corpus-001.txt",
    "corpus-004.txt",
    "corpus-009.txt",
    "corpus-010.txt",
    "corpus-011.txt",
    "corpus-014.txt",
    "corpus-016.txt",
    "corpus-018.txt",
    "corpus-020.txt",
    "corpus-021.txt",
    "corpus-024.txt",
    "corpus-027.txt",
    "corpus-029.txt",
    "corpus-030.txt",
);

/// The sample rubric (labelled as a sample in its header), the demo's evaluation criteria.
pub const SAMPLE_RUBRIC: &str = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");

/// Loads the demo province into `store`, creating only what is missing, in one transaction:
/// every use case runs inside it ([`Store::begin_scope`]), so the demo is loaded whole or not at
/// all.
pub async fn load(store: &Store) -> anyhow::Result<DemoSummary> {
    let scoped = store.begin_scope().await?;
    let summary = load_within(&scoped).await?;
    scoped.commit_scope().await?;
    Ok(summary)
}

async fn load_within(store: &Store) -> anyhow::Result<DemoSummary> {
    // The demo acts in the roles that take each step on the server, through the same use cases.
    let admin = User::system("demo", Role::Admin, None);
    let monitor = User::system("demo", Role::Monitor, None);
    let mut summary = DemoSummary::default();
    let mut group_ids = std::collections::HashMap::new();
    let existing = store.list_groups().await?;
    for (order, (code, name)) in GROUPS.iter().enumerate() {
        let id = match existing.iter().find(|g| g.code == *code) {
            Some(group) => group.id,
            None => danvan_app::unit::create_group(store, &admin, code, name, order as i64 + 1).await?,
        };
        group_ids.insert(*code, id);
    }

    let mut ensure = async |code: &str, unit: NewUnit| -> anyhow::Result<i64> {
        if let Some(found) = store.unit_by_code(code).await? {
            return Ok(found.id);
        }
        summary.created_units += 1;
        danvan_app::unit::create(store, &admin, &unit)
            .await
            .with_context(|| format!("creating demo unit {code}"))
    };

    let province = ensure(
        PROVINCE_CODE,
        NewUnit {
            code: PROVINCE_CODE.into(),
            name: "UBND tỉnh Đắk Nông".into(),
            short_name: "UBND tỉnh".into(),
            kind: UnitKind::ProvincialCommittee,
            parent_id: None,
            group_id: None,
            valid_from: FOUNDED,
            valid_to: None,
        },
    )
    .await?;
    ensure(
        "TXGN",
        NewUnit {
            code: "TXGN".into(),
            name: "UBND thị xã Gia Nghĩa".into(),
            short_name: "TX Gia Nghĩa".into(),
            kind: UnitKind::DistrictCommittee,
            parent_id: Some(province),
            group_id: group_ids.get("HUYEN").copied(),
            valid_from: FOUNDED,
            valid_to: None,
        },
    )
    .await?;
    for unit in UNITS_2022 {
        let new = NewUnit {
            code: unit.code.into(),
            name: unit.name.into(),
            short_name: unit.short_name.into(),
            kind: unit.kind,
            parent_id: Some(province),
            group_id: unit.group.and_then(|g| group_ids.get(g).copied()),
            valid_from: unit.valid_from,
            valid_to: None,
        };
        ensure(unit.code, new).await?;
    }
    let new_dept = |code: &str, name: &str, short: &str| NewUnit {
        code: code.into(),
        name: name.into(),
        short_name: short.into(),
        kind: UnitKind::Department,
        parent_id: Some(province),
        group_id: group_ids.get("SBN").copied(),
        valid_from: date!(2025 - 03 - 01),
        valid_to: None,
    };
    ensure("SNNMT", new_dept("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT")).await?;
    ensure("SDTTG", new_dept("SDTTG", "Sở Dân tộc và Tôn giáo", "Sở DT&TG")).await?;
    let lam_dong = ensure(
        "UBND-LD",
        NewUnit {
            code: "UBND-LD".into(),
            name: "UBND tỉnh Lâm Đồng".into(),
            short_name: "UBND tỉnh Lâm Đồng".into(),
            kind: UnitKind::ProvincialCommittee,
            parent_id: None,
            group_id: None,
            valid_from: date!(2025 - 07 - 01),
            valid_to: None,
        },
    )
    .await?;

    // Closings, each skipped when the unit is already closed.
    let close = async |code: &str, on: Date, kind: SuccessionKind, successors: &[i64]| -> anyhow::Result<()> {
        let unit = store
            .unit_by_code(code)
            .await?
            .with_context(|| format!("demo unit {code}"))?;
        if unit.valid_to.is_none() {
            danvan_app::unit::close(store, &admin, unit.id, on, kind, successors)
                .await
                .with_context(|| format!("closing {code}"))?;
        }
        Ok(())
    };
    let gia_nghia_city = store.unit_by_code("TPGN").await?.context("TPGN")?.id;
    close("TXGN", date!(2020 - 01 - 31), SuccessionKind::Rename, &[gia_nghia_city]).await?;
    for (from, into) in MARCH_2025_MERGERS {
        let successor = store
            .unit_by_code(into)
            .await?
            .with_context(|| format!("demo unit {into}"))?
            .id;
        close(from, LAST_DAY_BEFORE_MARCH_2025, SuccessionKind::Merger, &[successor]).await?;
    }
    close(
        PROVINCE_CODE,
        LAST_DAY_OF_DISTRICTS,
        SuccessionKind::Merger,
        &[lam_dong],
    )
    .await?;
    // Đắk Nông's other agencies end on 30 June 2025 through the restructuring that carries
    // their work to Lâm Đồng's (`demo_2025`, at the end, once their 2025 work exists).

    let hash = Password::unchecked_for_demo(DEMO_PASSWORD).hash();
    let mut ensure_account =
        async |username: &str, display_name: String, role: Role, unit_id: Option<i64>| -> anyhow::Result<()> {
            if store.account_by_username(username).await?.is_some() {
                return Ok(());
            }
            let account = NewAccount {
                username: Username::parse(username).map_err(|e| anyhow::anyhow!("demo username {username}: {e}"))?,
                display_name,
                role,
                unit_id,
                password_hash: hash.clone(),
                must_change_password: false,
                // Invented addresses on a domain that does not exist: the demo sends no mail.
                email: unit_id.map(|_| format!("{username}@daknong.demo")),
            };
            danvan_app::account::create(store, &admin, &account).await?;
            summary.created_accounts += 1;
            Ok(())
        };
    for (username, name, role) in PROVINCE_LOGINS {
        ensure_account(username, (*name).to_owned(), *role, None).await?;
    }
    for unit in UNITS_2022 {
        if let Some(officer) = unit.officer {
            let id = store
                .unit_by_code(unit.code)
                .await?
                .with_context(|| format!("demo unit {}", unit.code))?
                .id;
            ensure_account(officer, format!("Cán bộ {}", unit.short_name), Role::Officer, Some(id)).await?;
        }
    }
    for (name, bytes) in DOCUMENTS {
        // One document of the central government arrives as the e-office delivers it: an edXML
        // package from the Government Office's system (its statuses wait in the outbox).
        let packaged;
        let bytes: &[u8] = if *name == RECEIVED_AS_PACKAGE {
            packaged = as_package(bytes).with_context(|| format!("demo package of {name}"))?;
            &packaged
        } else {
            bytes
        };
        match danvan_web::library::import_bytes(store, &monitor, bytes, name).await {
            Ok(danvan_web::library::ImportOutcome::Imported(_) | danvan_web::library::ImportOutcome::Completed(_)) => {
                summary.imported_documents += 1;
            }
            Ok(danvan_web::library::ImportOutcome::AlreadyPresent(_)) => {}
            Err(error) => return Err(anyhow::anyhow!("demo document {name}: {error}")),
        }
    }
    if store.list_directives().await?.is_empty() {
        seed_directive(store).await.context("the seed's directive")?;
        summary.created_directives += 1;
    }
    if store.rubric_versions().await?.is_empty() {
        danvan_app::evaluation::save_rubric(store, &admin, SAMPLE_RUBRIC).await?;
        summary.created_rubrics += 1;
    }
    if store.meta("demo_leaders").await?.is_none_or(|v| v != "1") {
        summary.assigned_leaders = seed_leaders(store).await.context("the demo leaders")?;
        store.set_meta("demo_leaders", "1").await?;
    }
    if store.meta("demo_dissemination").await?.is_none_or(|v| v != "1") {
        summary.dissemination_meetings = seed_dissemination(store).await.context("the demo dissemination")?;
        store.set_meta("demo_dissemination", "1").await?;
    }
    if store.meta("demo_initiatives").await?.is_none_or(|v| v != "1") {
        summary.initiatives = seed_initiatives(store).await.context("the demo initiatives")?;
        store.set_meta("demo_initiatives", "1").await?;
    }
    if store.meta("demo_training").await?.is_none_or(|v| v != "1") {
        summary.attendance_rows = seed_training(store).await.context("the demo training")?;
        store.set_meta("demo_training", "1").await?;
    }
    if store.rounds().await?.is_empty() {
        summary.reports_filed = seed_reports(store).await.context("the demo reports")?;
    }
    if store.cycles().await?.is_empty() {
        summary.created_cycles = seed_evaluations(store).await.context("the demo evaluations")?;
    }
    if store.meta("demo_2025_map").await?.is_none_or(|v| v != "1") {
        let seeded = crate::demo_2025::seed(store, &admin, province, lam_dong, group_ids.get("SBN").copied())
            .await
            .context("Lâm Đồng on the 2025 map")?;
        summary.created_units += seeded.created_units;
        summary.created_directives += seeded.directives;
        summary.created_accounts += seeded.accounts;
        store.set_meta("demo_2025_map", "1").await?;
    }
    store.set_meta("demo_loaded", "1").await?;
    Ok(summary)
}

/// A deterministic number in 0..n for a pair, so the demo's progress is the same on every run.
pub(crate) fn pick(a: i64, b: i64, n: i64) -> i64 {
    // The splitmix64 finalizer over the pair: every bit of the input reaches the low bits, so
    // small moduli are spread evenly too.
    let mut x = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (b as u64).wrapping_add(0x632B_E59B_D9B4_E019);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x % n as u64) as i64
}

/// The seed's five tasks assigned to the agencies it addresses, with believable progress as of
/// 15/12/2022: most done on time, some late, some overdue, the last still running.
async fn seed_directive(store: &Store) -> anyhow::Result<()> {
    use danvan_app::store::directive::{NewDirective, NewReport, NewTask};
    use danvan_domain::directive::{Deadline, monitor_phrase};

    let seed = store
        .document_by_number("2071", "UBND-NC", Some(2022))
        .await?
        .context("the seed document")?;
    let record = store.document(seed.id).await?.context("the seed document")?;
    let document_date = date!(2022 - 04 - 25);
    let units = store.list_units().await?;
    let mut leads: Vec<i64> = Vec::new();
    for recipient in &record.recipients {
        if let Some(resolution) = danvan_domain::addressee::resolve(recipient, &units, document_date) {
            leads.extend(resolution.unit_ids);
        }
    }
    leads.sort_unstable();
    leads.dedup();
    let deadlines = [
        Deadline::WorkingDaysFromDocument(20),
        Deadline::On(date!(2022 - 06 - 30)),
        Deadline::On(date!(2022 - 09 - 30)),
        Deadline::On(date!(2022 - 11 - 15)),
        Deadline::On(date!(2022 - 12 - 30)),
    ];
    let tasks = record
        .tasks
        .iter()
        .zip(deadlines)
        .map(|(content, deadline)| {
            // As the form prefills it: those the task names, else the addressees.
            let (task_leads, supports) = danvan_app::directive::task_agencies(content, &units, document_date, &leads);
            NewTask {
                content: content.clone(),
                monitor_unit_id: monitor_phrase(content)
                    .and_then(|p| danvan_domain::addressee::resolve(p, &units, document_date))
                    .and_then(|r| r.unit_ids.first().copied()),
                deadline,
                leads: task_leads,
                supports,
            }
        })
        .collect();
    let directive = NewDirective {
        document_id: Some(seed.id),
        title: "Công văn số 2071/UBND-NC".into(),
        document_date,
        tasks,
    };
    let sonoivu = store.account_by_username("sonoivu").await?.context("sonoivu")?;
    let monitor = User::of_account(&sonoivu, None);
    let id = danvan_app::directive::create(store, &monitor, &directive, false, date!(2022 - 04 - 26)).await?;
    let accounts = store.list_accounts().await?;
    let today = date!(2022 - 12 - 15);
    for task in store.directive(id).await?.context("the directive")?.tasks {
        for assignment in task.assignments {
            let Some(officer) = accounts.iter().find(|a| a.unit_id == Some(assignment.unit_id)) else {
                continue;
            };
            let officer = User::of_account(officer, None);
            let roll = pick(task.id, assignment.unit_id, 10);
            let due = assignment.due_on;
            // 0–5: on time; 6–7: late; 8: reported half, then overdue; 9: nothing yet.
            let (first, finish) = match roll {
                0..=5 => (
                    due - time::Duration::days(20 + roll * 3),
                    Some(due - time::Duration::days(roll)),
                ),
                6 | 7 => (
                    due - time::Duration::days(10),
                    Some(due + time::Duration::days(4 + roll)),
                ),
                8 => (due - time::Duration::days(12), None),
                _ => continue,
            };
            let first = first.max(date!(2022 - 04 - 27));
            if first > today {
                continue;
            }
            let half = danvan_app::directive::report_progress(
                store,
                &officer,
                assignment.id,
                &NewReport {
                    reported_on: first,
                    percent: 50,
                    content: "Đơn vị đã xây dựng kế hoạch, tổ chức quán triệt đến cán bộ, công chức, viên chức.".into(),
                    attachments: vec![],
                },
            )
            .await?;
            danvan_app::directive::review_progress(
                store,
                &monitor,
                half,
                true,
                "Tiếp tục triển khai, báo cáo khi hoàn thành.",
            )
            .await?;
            if let Some(finish) = finish.filter(|f| *f <= today) {
                let done = danvan_app::directive::report_progress(
                    store,
                    &officer,
                    assignment.id,
                    &NewReport {
                        reported_on: finish,
                        percent: 100,
                        content: "Đã hoàn thành nhiệm vụ; kèm theo báo cáo kết quả và biên bản hội nghị.".into(),
                        attachments: vec![],
                    },
                )
                .await?;
                danvan_app::directive::review_progress(store, &monitor, done, true, "Đạt yêu cầu.").await?;
            }
        }
    }
    // After issuing, through the application layer as the Department would: the first agency
    // still working on the last task is given more time, with its reason.
    let department = User::system("demo", Role::Monitor, None);
    let directive = store.directive(id).await?.context("the directive")?;
    let open = directive
        .tasks
        .iter()
        .rev()
        .flat_map(|t| &t.assignments)
        .find(|a| a.completed_on.is_none() && a.lead);
    if let Some(open) = open {
        let new_due = (open.due_on + time::Duration::days(30)).max(today + time::Duration::days(14));
        danvan_app::directive::extend_deadline(
            store,
            &department,
            danvan_app::store::directive_change::Scope::Assignment(open.id),
            new_due,
            "Đơn vị đề nghị gia hạn do đang chờ hướng dẫn của Ban Dân vận Tỉnh ủy về nội dung sơ kết.",
            today,
        )
        .await
        .map_err(|e| anyhow::anyhow!("extending a demo deadline: {e}"))?;
    }
    Ok(())
}

/// The evaluations as of 15/12/2022: for each group, 2021 scored, appraised and published;
/// 2022 open, a quarter of the agencies still drafting, a quarter submitted, one returned, the
/// rest appraised.
async fn seed_evaluations(store: &Store) -> anyhow::Result<usize> {
    use danvan_app::store::evaluation::{ItemKind, NewCycle, SelfItem};
    use danvan_domain::rubric::{Mode, Points};
    use danvan_domain::scoring::Answer;

    let monitor = User::system("demo", Role::Monitor, None);
    let version = store
        .rubric_versions()
        .await?
        .into_iter()
        .next()
        .context("the sample rubric")?;
    let rubric = version.rubric()?;
    let leaves: Vec<_> = rubric
        .all_criteria()
        .into_iter()
        .filter(|c| c.children.is_empty())
        .collect();
    let codes: std::collections::HashMap<i64, String> =
        store.list_units().await?.into_iter().map(|u| (u.id, u.code)).collect();
    let mut created = 0;
    for group in store.list_groups().await? {
        for year in [2021, 2022] {
            let units = danvan_web::cycle_units(store, group.id, year).await?;
            let cycle = NewCycle {
                year,
                group_id: group.id,
                rubric_version_id: version.id,
                self_deadline: Date::from_calendar_date(year, time::Month::December, 5)?,
                appraisal_deadline: Date::from_calendar_date(year, time::Month::December, 20)?,
            };
            let cycle_id = danvan_app::evaluation::open_cycle(store, &monitor, &cycle, &units).await?;
            created += 1;
            for assessment in store.assessments(cycle_id).await? {
                let (id, unit) = (assessment.id, assessment.unit_id);
                let progress = if year == 2021 { 3 } else { pick(unit, 7, 4) };
                // A believable agency: most criteria well met, a few weak.
                let value = |c: &danvan_domain::rubric::Criterion, salt: i64| {
                    let strength = 55 + pick(unit * 31 + i64::from(year), salt, 46);
                    match c.mode {
                        Mode::YesNo => Answer::Yes(strength > 62),
                        Mode::Deduction { .. } => {
                            Answer::Occurrences(u32::from(strength < 70) + u32::from(strength < 60))
                        }
                        _ => Answer::Points(Points(c.max.0 * strength / 100 / 25 * 25)),
                    }
                };
                let items: Vec<SelfItem> = leaves
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.self_scored())
                    .filter(|(i, _)| progress > 0 || i % 2 == 0)
                    .map(|(i, c)| SelfItem {
                        kind: ItemKind::Criterion,
                        item_id: c.id.clone(),
                        value: Some(value(c, i as i64).encode()),
                        note: if c.evidence_required {
                            format!(
                                "Kế hoạch số {}/KH-{} ngày {:02}/{:02}/{year}",
                                10 + pick(unit, i as i64, 80),
                                codes.get(&unit).map(String::as_str).unwrap_or("UBND"),
                                1 + pick(unit, 40 + i as i64, 28),
                                1 + pick(unit, 60 + i as i64, 11)
                            )
                        } else {
                            String::new()
                        },
                        evidence: None,
                    })
                    .collect();
                // The agency's officer scores itself a few days before the self-scoring deadline.
                let officer = User::system("demo", Role::Officer, Some(unit));
                let scored_on = Date::from_calendar_date(year, time::Month::December, 1)?;
                danvan_app::evaluation::self_assess(store, &officer, id, &items, progress > 0, scored_on).await?;
                if progress <= 1 {
                    continue;
                }
                // The appraisal council and the monitor act through the application layer, as
                // on the server, so the demo holds only states the server allows.
                let appraiser = User::system("demo", Role::Appraiser, None);
                // The day the council appraised, within the cycle's appraisal window.
                let appraised_on = Date::from_calendar_date(year, time::Month::December, 15)?;
                if year == 2022 && pick(unit, 11, 6) == 0 {
                    let reason = "Đề nghị bổ sung minh chứng tiêu chí 1.3 (quyết định kiện toàn Ban Chỉ đạo).";
                    danvan_app::evaluation::return_assessment(store, &appraiser, id, reason, appraised_on).await?;
                    continue;
                }
                let typed = |answer: Answer| match answer {
                    Answer::Points(p) => p.to_string(),
                    Answer::Yes(yes) => if yes { "1" } else { "0" }.to_owned(),
                    Answer::Occurrences(n) => n.to_string(),
                    Answer::NotApplicable => String::new(),
                };
                let mut input = danvan_app::evaluation::AppraisalInput {
                    complete: true,
                    ..Default::default()
                };
                for (i, c) in leaves.iter().enumerate() {
                    if c.self_scored() {
                        continue;
                    }
                    input.scores.insert(
                        format!("{}:{}", ItemKind::Criterion.code(), c.id),
                        typed(value(c, 100 + i as i64)),
                    );
                }
                if pick(unit, 13, 9) == 0 {
                    let key = format!("{}:TR1", ItemKind::Penalty.code());
                    input.scores.insert(key.clone(), typed(Answer::Points(Points(300))));
                    input
                        .comments
                        .insert(key, "Để xảy ra khiếu kiện vượt cấp về đất đai.".into());
                }
                danvan_app::evaluation::appraise(store, &appraiser, id, &input, appraised_on).await?;
            }
            if year == 2021 {
                let leader = User::system("demo", Role::Leader, None);
                danvan_app::evaluation::finalize(store, &monitor, cycle_id).await?;
                danvan_app::evaluation::publish(store, &leader, cycle_id).await?;
            }
        }
    }
    Ok(created)
}

/// A leader in charge of mobilization work for most agencies alive on the demo's date; one in
/// six has none yet, so the compliance page has something to show.
async fn seed_leaders(store: &Store) -> anyhow::Result<usize> {
    use danvan_app::store::leader::NewLeader;

    let monitor = User::system("demo", Role::Monitor, None);
    let day = date!(2022 - 12 - 15);
    let mut assigned = 0;
    for unit in store.list_units().await? {
        // The province's own leader in charge signs its reports and the draft decisions.
        let province = unit.kind == UnitKind::ProvincialCommittee && unit.parent_id.is_none();
        if (unit.kind == UnitKind::ProvincialCommittee && !province)
            || !unit.is_active_on(day)
            || (!province && pick(unit.id, 17, 6) == 0)
        {
            continue;
        }
        let name = person(unit.id, 1);
        let position = match unit.kind {
            UnitKind::ProvincialCommittee => "Phó Chủ tịch Ủy ban nhân dân tỉnh",
            UnitKind::DistrictCommittee | UnitKind::CommuneCommittee => "Phó Chủ tịch Ủy ban nhân dân",
            UnitKind::ServiceUnit => "Phó Giám đốc",
            _ => "Phó Giám đốc Sở",
        };
        let leader = NewLeader {
            unit_id: unit.id,
            name,
            position: position.into(),
            decision: format!("{}/QĐ-{}", 10 + pick(unit.id, 4, 90), unit.code),
            valid_from: date!(2021 - 01 - 04) + time::Duration::days(pick(unit.id, 5, 120)),
        };
        danvan_app::records::assign_leader(store, &monitor, &leader).await?;
        assigned += 1;
    }
    Ok(assigned)
}

/// Meetings at which most agencies disseminated some of the documents the seed cites, between
/// May and November 2022; a few have not held one yet.
async fn seed_dissemination(store: &Store) -> anyhow::Result<usize> {
    use danvan_app::store::dissemination::NewDissemination;

    const FORMS: [&str; 3] = [
        "Hội nghị cán bộ, công chức",
        "Lồng ghép trong cuộc họp giao ban cơ quan",
        "Đăng tải trên trang thông tin điện tử",
    ];
    let listed = danvan_web::listed_documents(store).await?;
    if listed.is_empty() {
        return Ok(0);
    }
    let day = date!(2022 - 12 - 15);
    let mut meetings = 0;
    for unit in store.list_units().await? {
        if unit.kind == UnitKind::ProvincialCommittee || !unit.is_active_on(day) || pick(unit.id, 21, 5) == 0 {
            continue;
        }
        for round in 0..1 + pick(unit.id, 22, 2) {
            let document_ids: Vec<i64> = listed
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(unit.id * 7 + round, *i as i64, 3) > 0)
                .map(|(_, d)| d.id)
                .collect();
            if document_ids.is_empty() {
                continue;
            }
            let record = NewDissemination {
                unit_id: unit.id,
                held_on: date!(2022 - 05 - 09) + time::Duration::days(pick(unit.id, 23 + round, 180)),
                form: FORMS[pick(unit.id, 24 + round, 3) as usize].into(),
                participants: 15 + pick(unit.id, 25 + round, 120),
                document_ids,
            };
            let officer = User::system("demo", Role::Officer, Some(record.unit_id));
            danvan_app::records::record_dissemination(store, &officer, &record).await?;
            meetings += 1;
        }
    }
    Ok(meetings)
}

/// The agencies (not the provincial committee) alive on a day.
async fn agencies_on(store: &Store, day: Date) -> anyhow::Result<Vec<danvan_domain::Unit>> {
    Ok(store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.kind != UnitKind::ProvincialCommittee && u.is_active_on(day))
        .collect())
}

/// The demo's invented people: family, middle and given names, combined by [`pick`].
const FAMILY: [&str; 10] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc", "Quốc"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Linh", "Nam", "Phương", "Quân", "Sơn",
    "Tâm", "Yến",
];

fn person(a: i64, b: i64) -> String {
    format!(
        "{} {} {}",
        FAMILY[pick(a, b, 10) as usize],
        MIDDLE[pick(a, b + 1, 8) as usize],
        GIVEN[pick(a, b + 2, 16) as usize]
    )
}

/// Kinds of "Dân vận khéo" initiatives the demo's agencies run: name, field, collective or not,
/// beneficiaries, situation, goals, measurable criteria, content, expected outputs.
struct InitiativeTemplate {
    name: &'static str,
    field: danvan_domain::initiative::Field,
    individual: bool,
    beneficiaries: &'static str,
    situation: &'static str,
    goals: &'static str,
    criteria: &'static str,
    content: &'static str,
    outputs: &'static str,
}

const fn template(
    name: &'static str,
    field: danvan_domain::initiative::Field,
    individual: bool,
    texts: [&'static str; 6],
) -> InitiativeTemplate {
    InitiativeTemplate {
        name,
        field,
        individual,
        beneficiaries: texts[0],
        situation: texts[1],
        goals: texts[2],
        criteria: texts[3],
        content: texts[4],
        outputs: texts[5],
    }
}

const INITIATIVES: &[InitiativeTemplate] = {
    use danvan_domain::initiative::Field::*;
    &[
        template(
            "Dân vận khéo trong vận động nhân dân hiến đất mở rộng đường giao thông nông thôn",
            Economy,
            false,
            [
                "Hộ dân các thôn, bon có đường giao thông chưa đạt chuẩn",
                "Nhiều tuyến đường liên thôn hẹp, lầy lội mùa mưa; kinh phí bồi thường không có.",
                "Mở rộng các tuyến đường liên thôn đạt chuẩn nông thôn mới.",
                "Số mét đường được mở rộng; số hộ tự nguyện hiến đất; không có khiếu nại.",
                "Họp dân từng thôn, công khai phương án; cán bộ đến từng hộ vận động; biểu dương hộ hiến đất.",
                "Mở rộng ít nhất 5 km đường; 100 % hộ dọc tuyến đồng thuận.",
            ],
        ),
        template(
            "Dân vận khéo trong phát triển cà phê bền vững theo chuỗi giá trị",
            Economy,
            false,
            [
                "Hộ trồng cà phê, tổ hợp tác, hợp tác xã",
                "Cà phê già cỗi, bán thô, giá bấp bênh; người dân ngại liên kết.",
                "Hình thành chuỗi liên kết sản xuất, tiêu thụ cà phê đạt chứng nhận.",
                "Diện tích tái canh; số hộ tham gia liên kết; giá bán bình quân tăng.",
                "Vận động hộ tham gia tổ hợp tác; tập huấn kỹ thuật; kết nối doanh nghiệp bao tiêu.",
                "Ít nhất 200 ha tái canh; 150 hộ liên kết tiêu thụ.",
            ],
        ),
        template(
            "Dân vận khéo trong hỗ trợ đồng bào dân tộc thiểu số phát triển sinh kế",
            Economy,
            false,
            [
                "Hộ nghèo, cận nghèo đồng bào dân tộc thiểu số tại chỗ",
                "Tỷ lệ hộ nghèo trong đồng bào dân tộc thiểu số còn cao, thiếu vốn và kỹ thuật.",
                "Giúp hộ nghèo có sinh kế ổn định, thoát nghèo bền vững.",
                "Số hộ được hỗ trợ giống, vốn; số hộ thoát nghèo trong năm.",
                "Mỗi cán bộ, công chức nhận đỡ đầu một hộ; hỗ trợ cây, con giống; hướng dẫn cách làm ăn.",
                "Ít nhất 30 % hộ được đỡ đầu thoát nghèo sau hai năm.",
            ],
        ),
        template(
            "Dân vận khéo trong giải phóng mặt bằng các dự án trọng điểm",
            Economy,
            false,
            [
                "Hộ dân có đất bị thu hồi",
                "Tiến độ giải phóng mặt bằng chậm, còn khiếu nại về giá bồi thường.",
                "Bàn giao mặt bằng đúng tiến độ, không phát sinh khiếu kiện đông người.",
                "Tỷ lệ diện tích bàn giao đúng hạn; số đơn khiếu nại.",
                "Công khai phương án bồi thường; đối thoại với từng hộ; giải quyết dứt điểm kiến nghị.",
                "Bàn giao 100 % mặt bằng đúng tiến độ.",
            ],
        ),
        template(
            "Tổ tự quản vệ sinh môi trường khu dân cư",
            CultureSociety,
            false,
            [
                "Nhân dân các tổ dân phố, thôn",
                "Rác thải sinh hoạt để bừa bãi, chưa có nơi tập kết.",
                "Khu dân cư sáng, xanh, sạch, đẹp.",
                "Số tuyến đường tự quản; tỷ lệ hộ phân loại rác tại nguồn.",
                "Thành lập tổ tự quản; ra quân dọn vệ sinh hằng tháng; hương ước về giữ gìn môi trường.",
                "80 % hộ phân loại rác tại nguồn; không còn điểm rác tự phát.",
            ],
        ),
        template(
            "Dân vận khéo trong vận động học sinh đồng bào dân tộc thiểu số đến trường",
            CultureSociety,
            false,
            [
                "Học sinh đồng bào dân tộc thiểu số và gia đình",
                "Tỷ lệ học sinh bỏ học giữa chừng ở vùng đồng bào dân tộc thiểu số còn cao.",
                "Không còn học sinh bỏ học vì hoàn cảnh gia đình.",
                "Tỷ lệ học sinh ra lớp đầu năm; số học sinh bỏ học được vận động trở lại.",
                "Giáo viên đến từng nhà vận động; trao học bổng, xe đạp; phối hợp với già làng, người có uy tín.",
                "Tỷ lệ ra lớp trên 99 %; vận động 100 % học sinh bỏ học trở lại.",
            ],
        ),
        template(
            "Xây dựng bon văn hóa gắn với bảo tồn văn hóa cồng chiêng",
            CultureSociety,
            false,
            [
                "Đồng bào M'nông, Mạ, Ê Đê tại các bon",
                "Nhiều nghệ nhân cao tuổi, lớp trẻ ít người biết đánh chiêng.",
                "Giữ gìn bản sắc văn hóa, xây dựng đời sống văn hóa ở khu dân cư.",
                "Số lớp truyền dạy; số thanh thiếu niên biết đánh chiêng; số bon đạt danh hiệu văn hóa.",
                "Mở lớp truyền dạy cồng chiêng; tổ chức ngày hội văn hóa; đưa nội dung vào hương ước.",
                "Mỗi bon có một đội chiêng trẻ; 90 % hộ đạt gia đình văn hóa.",
            ],
        ),
        template(
            "Dân vận khéo trong tiêm chủng và khám chữa bệnh bằng căn cước công dân",
            CultureSociety,
            false,
            [
                "Người dân, nhất là người cao tuổi",
                "Người dân còn ngại tiêm chủng, chưa quen khám bệnh bằng căn cước công dân gắn chíp.",
                "Nâng tỷ lệ tiêm chủng và sử dụng căn cước công dân khi khám chữa bệnh.",
                "Tỷ lệ tiêm đủ mũi; tỷ lệ lượt khám dùng căn cước công dân.",
                "Nhân viên y tế đến từng thôn hướng dẫn; tổ công nghệ số cộng đồng hỗ trợ cài đặt.",
                "Tỷ lệ tiêm đủ mũi trên 95 %; 70 % lượt khám dùng căn cước công dân.",
            ],
        ),
        template(
            "Tổ tự quản an ninh trật tự ở bon đồng bào dân tộc thiểu số",
            DefenceSecurity,
            false,
            [
                "Nhân dân các bon, buôn",
                "Còn xảy ra trộm cắp vặt, đánh nhau trong dịp lễ, hội.",
                "Giữ vững an ninh trật tự ở cơ sở.",
                "Số vụ việc giảm so với cùng kỳ; số mâu thuẫn được hòa giải tại chỗ.",
                "Thành lập tổ tự quản do già làng làm tổ trưởng; tuần tra ban đêm; hòa giải tại bon.",
                "Giảm 50 % vụ việc về trật tự; 100 % mâu thuẫn được hòa giải tại cơ sở.",
            ],
        ),
        template(
            "Dân vận khéo trong vận động nhân dân giao nộp vũ khí, vật liệu nổ",
            DefenceSecurity,
            false,
            [
                "Nhân dân trên địa bàn",
                "Nhân dân còn cất giữ vũ khí tự chế, vật liệu nổ, tiềm ẩn nguy cơ mất an toàn.",
                "Thu hồi vũ khí, vật liệu nổ trong nhân dân.",
                "Số khẩu súng tự chế, số kg vật liệu nổ được giao nộp.",
                "Tuyên truyền tại các buổi họp thôn; công an xã đến từng hộ; khen thưởng kịp thời.",
                "Thu hồi toàn bộ vũ khí tự chế người dân đang cất giữ.",
            ],
        ),
        template(
            "Camera an ninh kết nối cộng đồng",
            DefenceSecurity,
            false,
            [
                "Nhân dân các khu dân cư",
                "Các tuyến đường trung tâm chưa có camera giám sát.",
                "Phòng ngừa tội phạm, điều tiết giao thông.",
                "Số camera lắp đặt; số vụ việc được phát hiện, xử lý nhờ camera.",
                "Vận động nhân dân, doanh nghiệp đóng góp lắp camera; kết nối về công an xã.",
                "Mỗi thôn, tổ dân phố có ít nhất 2 camera.",
            ],
        ),
        template(
            "Một cửa thân thiện, trả kết quả đúng hẹn",
            PoliticalSystem,
            false,
            [
                "Tổ chức, cá nhân đến giải quyết thủ tục hành chính",
                "Người dân còn phải đi lại nhiều lần; một số hồ sơ trễ hẹn.",
                "Giải quyết thủ tục hành chính nhanh, đúng hẹn, thân thiện.",
                "Tỷ lệ hồ sơ trả đúng hẹn; mức độ hài lòng của người dân.",
                "Hướng dẫn một lần, đầy đủ; nhắn tin báo kết quả; xin lỗi khi trễ hẹn; khảo sát hài lòng.",
                "Trên 98 % hồ sơ đúng hẹn; mức hài lòng trên 95 %.",
            ],
        ),
        template(
            "Lắng nghe, giải đáp kiến nghị của người dân qua mạng xã hội",
            PoliticalSystem,
            false,
            [
                "Người dân, doanh nghiệp trên địa bàn",
                "Kiến nghị của người dân chậm được trả lời.",
                "Trả lời kiến nghị của người dân nhanh, công khai.",
                "Số kiến nghị tiếp nhận; thời gian trả lời bình quân.",
                "Lập nhóm Zalo của cơ quan với người dân; phân công cán bộ trả lời trong 48 giờ.",
                "100 % kiến nghị được trả lời trong 48 giờ.",
            ],
        ),
        template(
            "Đối thoại định kỳ của người đứng đầu với nhân dân",
            PoliticalSystem,
            false,
            [
                "Nhân dân, người có uy tín trong cộng đồng",
                "Một số vụ việc kéo dài do thiếu đối thoại trực tiếp.",
                "Giải quyết kịp thời kiến nghị ngay tại cơ sở.",
                "Số cuộc đối thoại; tỷ lệ kiến nghị được giải quyết.",
                "Người đứng đầu đối thoại hằng quý tại thôn, bon; công khai kết quả giải quyết.",
                "Mỗi quý một cuộc đối thoại; 90 % kiến nghị được giải quyết trong quý.",
            ],
        ),
        template(
            "Công chức địa chính tận tụy hướng dẫn người dân làm thủ tục đất đai",
            PoliticalSystem,
            true,
            [
                "Người dân làm thủ tục về đất đai",
                "Thủ tục đất đai phức tạp, người dân thiếu thông tin.",
                "Hướng dẫn tận tình để người dân hoàn thành hồ sơ ngay lần đầu.",
                "Số hồ sơ đất đai được hướng dẫn; số hồ sơ phải bổ sung.",
                "Hướng dẫn tại nhà cho người cao tuổi; lập sổ tay hướng dẫn thủ tục thường gặp.",
                "Giảm một nửa số hồ sơ phải bổ sung.",
            ],
        ),
        template(
            "Giáo viên cắm bản vận động trẻ em đến lớp",
            CultureSociety,
            true,
            [
                "Trẻ em vùng sâu, vùng xa",
                "Nhiều trẻ em ở các bon xa chưa được đi học mẫu giáo.",
                "Đưa trẻ em đến lớp đúng độ tuổi.",
                "Tỷ lệ trẻ 5 tuổi ra lớp.",
                "Đến từng nhà vận động; dạy tiếng Việt cho trẻ trước khi vào lớp 1.",
                "100 % trẻ 5 tuổi ra lớp.",
            ],
        ),
    ]
};

/// "Dân vận khéo" initiatives across agencies, fields and stages: some registered in 2021 and
/// recognised, some replicated elsewhere in 2022, the 2022 ones at every stage by 15/12/2022.
async fn seed_initiatives(store: &Store) -> anyhow::Result<usize> {
    use danvan_app::store::initiative::{NewInitiative, StepInput};
    use danvan_domain::initiative::{Kind, Level, Step};

    let monitor = User::system("demo", Role::Monitor, None);
    let day = date!(2022 - 12 - 15);
    let units = agencies_on(store, day).await?;
    if units.is_empty() {
        return Ok(0);
    }
    let mut created = 0;
    let mut recognised_2021: Vec<(i64, usize)> = Vec::new();
    // Two rounds: 2021 registrations (most carried to recognition), then 2022.
    for year in [2021, 2022] {
        let count = if year == 2021 { 14 } else { 22 };
        for n in 0..count {
            let unit = &units[pick(n, year as i64, units.len() as i64) as usize];
            let t = pick(n * 3 + 1, year as i64, INITIATIVES.len() as i64) as usize;
            let template = &INITIATIVES[t];
            // Some 2022 registrations replicate a 2021 initiative recognised elsewhere.
            let original = if year == 2022 && n % 4 == 1 && !recognised_2021.is_empty() {
                let (id, t) = recognised_2021[pick(n, 99, recognised_2021.len() as i64) as usize];
                Some((id, t))
            } else {
                None
            };
            let template = original.map(|(_, t)| &INITIATIVES[t]).unwrap_or(template);
            let registered_on = Date::from_calendar_date(year, time::Month::January, 10)?
                + time::Duration::days(pick(n, year as i64 + 1, 60));
            let starts_on = registered_on + time::Duration::days(20);
            let ends_on = Date::from_calendar_date(year, time::Month::November, 30)?;
            let name = if template.individual {
                format!("{}: {}", template.name, person(unit.id, n))
            } else {
                template.name.to_owned()
            };
            let initiative = NewInitiative {
                unit_id: unit.id,
                kind: if template.individual {
                    Kind::Individual
                } else {
                    Kind::Collective
                },
                field: template.field,
                name,
                area: format!("Địa bàn {}", unit.name.replace("UBND ", "")),
                beneficiaries: template.beneficiaries.into(),
                led_by: format!("{} ({})", person(unit.id, n + 40), unit.short_name),
                members: format!(
                    "Cán bộ, công chức, đoàn viên {}; người có uy tín ở cơ sở",
                    unit.short_name
                ),
                situation: template.situation.into(),
                goals: template.goals.into(),
                criteria: template.criteria.into(),
                content: template.content.into(),
                resources: "Kinh phí thường xuyên của cơ quan; đóng góp tự nguyện của nhân dân, doanh nghiệp.".into(),
                starts_on,
                ends_on,
                outputs: template.outputs.into(),
                sustainability: "Đưa vào chương trình công tác hằng năm; tổng kết, nhân rộng ra các địa bàn lân cận."
                    .into(),
                people_public: pick(n, year as i64 + 2, 3) == 0,
                registered_on,
                replicated_from: original.map(|(id, _)| id),
            };
            let officer = User::system("demo", Role::Officer, Some(initiative.unit_id));
            let id = danvan_app::initiative::register(store, &officer, &initiative).await?;
            created += 1;
            // How far it has come: 2021 ones mostly recognised; 2022 ones at every stage.
            let reach = if year == 2021 {
                [5, 5, 6, 5, 4, 7][pick(n, 7, 6) as usize]
            } else {
                pick(n, 8, 7)
            };
            let mut steps = vec![
                (Step::Launch, starts_on, String::new()),
                (Step::FollowUp, starts_on + time::Duration::days(30), String::new()),
                (
                    Step::InterimReview,
                    Date::from_calendar_date(year, time::Month::June, 30)?,
                    "Sơ kết 6 tháng: hoàn thành phần lớn chỉ tiêu đề ra, nhân dân đồng tình hưởng ứng.".to_owned(),
                ),
                (
                    Step::FinalReview,
                    ends_on,
                    format!("Tổng kết: đạt mục tiêu đề ra. {}", template.outputs),
                ),
            ];
            if reach == 4 {
                // Stopped midway, with the reason.
                steps.truncate(2);
                steps.push((
                    Step::Stop,
                    Date::from_calendar_date(year, time::Month::August, 15)?,
                    "Dừng thực hiện do nội dung trùng với mô hình của cấp trên; chuyển sang phối hợp.".to_owned(),
                ));
            } else {
                steps.truncate((reach as usize).min(4));
            }
            let recognised_level = if unit.kind == UnitKind::DistrictCommittee && pick(n, 9, 2) == 0 {
                Level::District
            } else {
                Level::Province
            };
            if reach >= 5 {
                steps.push((
                    Step::Recognise(recognised_level),
                    Date::from_calendar_date(year, time::Month::December, 8)?,
                    "Hội đồng thi đua đánh giá là mô hình có hiệu quả, có khả năng nhân rộng.".to_owned(),
                ));
            }
            if reach >= 6 {
                steps.push((
                    Step::Commend,
                    Date::from_calendar_date(year, time::Month::December, 12)?,
                    "Tặng Bằng khen của Chủ tịch UBND tỉnh.".to_owned(),
                ));
            }
            for (step, on, note) in steps {
                let decision = step
                    .needs_decision()
                    .then(|| format!("{}/QĐ-UBND", 2100 + pick(n, year as i64 + 3, 600)));
                let input = StepInput {
                    step,
                    happened_on: on.min(day),
                    note,
                    decision,
                };
                let by = if step.needs_decision() { &monitor } else { &officer };
                danvan_app::initiative::advance(store, by, id, &input).await?;
            }
            if year == 2021 && reach >= 5 {
                recognised_2021.push((id, t));
            }
        }
    }
    Ok(created)
}

/// Training in 2022: the Department's province-wide courses and one course in each district,
/// with attendance; plans and headcounts for most agencies.
async fn seed_training(store: &Store) -> anyhow::Result<usize> {
    use danvan_app::store::training::{Headcount, NewCourse, TrainingPlan};
    use danvan_domain::training::{Attendee, Category};

    const POSITIONS: [&str; 5] = [
        "Chuyên viên",
        "Trưởng phòng",
        "Phó Trưởng phòng",
        "Công chức Văn phòng - Thống kê",
        "Viên chức",
    ];
    // The Department keeps the agencies' training records here (officers may keep their own).
    let keeper = User::system("demo", Role::Monitor, None);
    let day = date!(2022 - 12 - 15);
    let units = agencies_on(store, day).await?;
    let Some(snv) = store.unit_by_code("SNV").await? else {
        return Ok(0);
    };
    for unit in &units {
        let size = match unit.kind {
            UnitKind::DistrictCommittee => 60 + pick(unit.id, 50, 40),
            UnitKind::ServiceUnit => 30 + pick(unit.id, 50, 60),
            _ => 25 + pick(unit.id, 50, 40),
        };
        let headcount = Headcount {
            unit_id: unit.id,
            year: 2022,
            can_bo: size / 8,
            cong_chuc: if unit.kind == UnitKind::ServiceUnit {
                size / 8
            } else {
                size * 6 / 8
            },
            vien_chuc: if unit.kind == UnitKind::ServiceUnit {
                size * 6 / 8
            } else {
                size / 8
            },
        };
        danvan_app::training::save_headcount(store, &keeper, &headcount).await?;
        if pick(unit.id, 51, 5) > 0 {
            let plan = TrainingPlan {
                unit_id: unit.id,
                year: 2022,
                content: "Tập huấn, bồi dưỡng kỹ năng dân vận, Quy chế dân chủ ở cơ sở, \"Dân vận khéo\" cho cán bộ, công chức, viên chức.".into(),
                planned_courses: 1 + pick(unit.id, 52, 2),
                planned_people: size / 2,
            };
            danvan_app::training::save_plan(store, &keeper, &plan).await?;
        }
    }
    let mut courses = Vec::new();
    for (i, (title, topic, month)) in [
        (
            "Hội nghị tập huấn công tác dân vận chính quyền năm 2022",
            "Kết luận 114-KL/TW; Quy chế công tác dân vận của hệ thống chính trị",
            time::Month::May,
        ),
        (
            "Lớp bồi dưỡng kỹ năng dân vận cho cán bộ, công chức cấp huyện",
            "Kỹ năng tiếp công dân, đối thoại và giải quyết kiến nghị",
            time::Month::August,
        ),
        (
            "Tập huấn thực hiện dân chủ ở cơ sở",
            "Pháp lệnh thực hiện dân chủ ở xã, phường, thị trấn; dân chủ trong cơ quan",
            time::Month::October,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let starts_on = Date::from_calendar_date(2022, month, 10 + i as u8)?;
        let course = NewCourse {
            unit_id: snv.id,
            title: title.into(),
            topic: topic.into(),
            starts_on,
            ends_on: starts_on + time::Duration::days(1),
            place: "Hội trường Sở Nội vụ tỉnh Đắk Nông".into(),
            organiser: "Sở Nội vụ phối hợp Ban Dân vận Tỉnh ủy".into(),
            trainers: "Báo cáo viên Ban Dân vận Tỉnh ủy, Sở Nội vụ".into(),
        };
        courses.push((
            danvan_app::training::add_course(store, &keeper, &course).await?,
            None::<i64>,
        ));
    }
    for unit in units.iter().filter(|u| u.kind == UnitKind::DistrictCommittee) {
        let starts_on = date!(2022 - 06 - 06) + time::Duration::days(pick(unit.id, 53, 120));
        let course = NewCourse {
            unit_id: unit.id,
            title: format!("Tập huấn \"Dân vận khéo\" năm 2022 của {}", unit.name),
            topic: "Xây dựng, nhân rộng mô hình \"Dân vận khéo\"; kỹ năng vận động quần chúng".into(),
            starts_on,
            ends_on: starts_on,
            place: format!("Hội trường {}", unit.name),
            organiser: format!("{} phối hợp Ban Dân vận huyện ủy", unit.name),
            trainers: "Ban Dân vận huyện ủy; Phòng Nội vụ".into(),
        };
        courses.push((
            danvan_app::training::add_course(store, &keeper, &course).await?,
            Some(unit.id),
        ));
    }
    let mut rows = 0;
    for (n, (course_id, own)) in courses.into_iter().enumerate() {
        let attendees: Vec<Attendee> = match own {
            // A district's own officials.
            Some(unit_id) => (0..25 + pick(unit_id, 54, 20))
                .map(|k| Attendee {
                    name: person(unit_id * 101 + k, 3),
                    position: POSITIONS[pick(unit_id, k, 4) as usize].into(),
                    unit_id,
                    category: if k % 5 == 0 {
                        Category::CanBo
                    } else {
                        Category::CongChuc
                    },
                })
                .collect(),
            // Two or three officials from most agencies.
            None => units
                .iter()
                .filter(|u| pick(u.id, 55 + n as i64, 4) > 0)
                .flat_map(|u| {
                    (0..2 + pick(u.id, 56 + n as i64, 2)).map(move |k| Attendee {
                        name: person(u.id * 101 + k + 50 * n as i64, 3),
                        position: POSITIONS[pick(u.id, k + 7, 5) as usize].into(),
                        unit_id: u.id,
                        category: match u.kind {
                            UnitKind::ServiceUnit => Category::VienChuc,
                            _ if k == 0 => Category::CanBo,
                            _ => Category::CongChuc,
                        },
                    })
                })
                .collect(),
        };
        rows += attendees.len();
        danvan_app::training::add_attendance(store, &keeper, course_id, &attendees, "danh sách điểm danh của lớp")
            .await?;
    }
    Ok(rows)
}

/// Periodic reports as of 15/12/2022: the 2021 annual and 2022 half-year rounds closed (most
/// agencies on time, some late, one missing) with the half-year compiled; the 2022 annual round
/// open with the first reports coming in.
async fn seed_reports(store: &Store) -> anyhow::Result<usize> {
    use danvan_app::store::report::{Figure, FilingContent};
    use danvan_domain::report::{Period, PeriodType};
    use std::collections::BTreeMap;

    let monitor = User::system("demo", Role::Monitor, None);
    danvan_web::install_report_kinds(store).await?;
    let kinds = store.report_kinds().await?;
    let today = date!(2022 - 12 - 15);
    let names: std::collections::HashMap<i64, String> =
        store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut calendar = store.work_calendar().await?;
    let mut filed = 0;
    for (code, period, closed) in [
        ("BC-DVCQ-NAM", Period::new(PeriodType::Year, 2021, 1), true),
        ("BC-DVCQ-6T", Period::new(PeriodType::HalfYear, 2022, 1), true),
        ("BC-DVCQ-NAM", Period::new(PeriodType::Year, 2022, 1), false),
    ] {
        let period = period.context("a demo period")?;
        let record = kinds.iter().find(|k| k.code == code).context("a shipped report kind")?;
        let kind = record.kind()?;
        let (from, to) = period.window();
        let deadline = calendar.add_working_days(to, kind.deadline_working_days);
        let units = danvan_web::obliged_units(store, &kind, to).await?;
        let round_id = danvan_app::report::open_round(store, &monitor, record.id, period, deadline, &units).await?;
        let salt = i64::from(period.year) * 10 + i64::from(closed);
        // The one agency that never sent its report in the closed rounds.
        let missing = units.get(pick(salt, 1, units.len() as i64) as usize).copied();
        for filing in store.filings(round_id).await? {
            let unit = filing.unit_id;
            let name = names.get(&unit).cloned().unwrap_or_default();
            let held = danvan_web::prefill(store, unit, (from, to), today.min(deadline)).await?;
            let mut figures = BTreeMap::new();
            for i in &kind.indicators {
                let prefilled = i.prefill.as_deref().and_then(|p| held.get(p)).cloned();
                let value = match (i.id.as_str(), &prefilled) {
                    (_, Some(p)) => p.clone(),
                    ("citizen_receptions", None) => (2 + pick(unit, salt + 3, 10)).to_string(),
                    (_, None) => (70 + pick(unit, salt + 4, 31)).to_string(),
                };
                figures.insert(
                    i.id.clone(),
                    Figure {
                        value,
                        prefilled,
                        note: String::new(),
                    },
                );
            }
            let texts = [
                format!("{name} ban hành kế hoạch thực hiện công tác dân vận chính quyền {}; phổ biến, quán triệt các văn bản của Trung ương, của Tỉnh ủy và UBND tỉnh đến toàn thể cán bộ, công chức, viên chức; phân công lãnh đạo phụ trách.", period.label()),
                format!("{name} thực hiện các nhiệm vụ được giao; đẩy mạnh cải cách hành chính, tiếp công dân, thực hiện dân chủ ở cơ sở; hưởng ứng phong trào thi đua \"Dân vận khéo\"; cử cán bộ tham gia các lớp tập huấn."),
                "Một số nhiệm vụ còn chậm so với kế hoạch; việc nhân rộng mô hình \"Dân vận khéo\" chưa đồng đều.".to_owned(),
                "Tiếp tục thực hiện tốt Quy chế dân chủ ở cơ sở; nâng cao chất lượng tiếp công dân; xây dựng, nhân rộng mô hình \"Dân vận khéo\".".to_owned(),
            ];
            let content = FilingContent {
                sections: kind.sections.iter().map(|s| s.id.clone()).zip(texts).collect(),
                figures,
                warnings_note: "Số liệu theo thực tế của đơn vị trong kỳ.".into(),
            };
            let submitted_on = if closed {
                if Some(unit) == missing {
                    None
                } else if pick(unit, salt + 5, 6) == 0 {
                    Some(deadline + time::Duration::days(1 + pick(unit, salt + 6, 6)))
                } else {
                    Some(deadline - time::Duration::days(pick(unit, salt + 7, 5)))
                }
            } else if pick(unit, salt + 8, 3) == 0 {
                Some(today)
            } else {
                None
            };
            let officer = User::system("demo", Role::Officer, Some(unit));
            danvan_app::report::save_filing(store, &officer, filing.id, &content, &[]).await?;
            if let Some(day) = submitted_on {
                danvan_app::report::submit_filing(store, &officer, filing.id, day).await?;
            }
            if submitted_on.is_some() {
                filed += 1;
                if closed {
                    danvan_app::report::review_filing(store, &monitor, filing.id, true, "").await?;
                }
            }
        }
        if closed {
            danvan_app::report::close_round(store, &monitor, round_id).await?;
        }
        if period.kind == PeriodType::HalfYear {
            let filings = store.filings(round_id).await?;
            let agencies: Vec<danvan_web::compiled::AgencyFiling> = filings
                .iter()
                .map(|f| danvan_web::compiled::AgencyFiling {
                    unit: names.get(&f.unit_id).cloned().unwrap_or_default(),
                    group: String::new(),
                    filing: f,
                })
                .collect();
            let mut text = danvan_web::compiled::gathered(&kind, &agencies);
            text.insert(
                "I".into(),
                "Các sở, ban, ngành, đơn vị sự nghiệp và UBND các huyện, thành phố đã ban hành kế hoạch thực hiện công tác dân vận chính quyền năm 2022; tổ chức phổ biến, quán triệt Kết luận số 114-KL/TW, Quy chế công tác dân vận của hệ thống chính trị và các văn bản của Tỉnh ủy, UBND tỉnh; phân công lãnh đạo phụ trách công tác dân vận.".into(),
            );
            danvan_app::report::save_compilation(store, &monitor, round_id, &text).await?;
        }
    }
    Ok(filed)
}
