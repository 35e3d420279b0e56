//! The demo's today: Lâm Đồng from 1 July 2025, on the 2025 map.
//!
//! Đắk Nông's People's Committee and districts carry their administrative unit codes until 30
//! June 2025, and its agencies work on a 2025 plan. Lâm Đồng's committee and 124 communes are
//! imported from the shipped map, its departments after the 2025 restructuring start on 1 July
//! 2025, and Đắk Nông's agencies are restructured into them as an admin would in the pages: each
//! department merged into Lâm Đồng's of the same name, each district divided among the communes
//! formed from its territory, the others dissolved. What they were still doing for the 2025 plan
//! goes to their successors; their 2022 records, reports and accounts stay theirs, so the demo on
//! 15/12/2022 is unchanged. Lâm Đồng then addresses a plan to its communes, which report on it.
//! Everything goes through the use cases.

use std::collections::HashMap;

use anyhow::Context;
use danvan_app::User;
use danvan_app::restructure::Plan;
use danvan_app::store::Store;
use danvan_app::store::directive::{NewDirective, NewReport, NewTask};
use danvan_domain::Role;
use danvan_domain::admin_map::{self, LAST_DAY_BEFORE_REFORM, REFORM_DAY};
use danvan_domain::directive::Deadline;
use danvan_domain::identifier::Scheme;
use danvan_domain::restructure::{Moved, Restructuring};
use danvan_domain::search::fold;
use danvan_domain::unit::{NewUnit, Unit, UnitKind};
use time::Date;
use time::macros::date;

/// Lâm Đồng's departments from 1 July 2025: code, name, short name. The provincial
/// departments after the 2025 restructuring of the government's model (Nghị định 45/2025/NĐ-CP).
const DEPARTMENTS_2025: &[(&str, &str, &str)] = &[
    ("LD-VP", "Văn phòng UBND tỉnh", "VP UBND tỉnh"),
    ("LD-SNV", "Sở Nội vụ", "Sở Nội vụ"),
    ("LD-STP", "Sở Tư pháp", "Sở Tư pháp"),
    ("LD-STC", "Sở Tài chính", "Sở Tài chính"),
    ("LD-SCT", "Sở Công Thương", "Sở Công Thương"),
    ("LD-SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
    ("LD-SXD", "Sở Xây dựng", "Sở Xây dựng"),
    ("LD-SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("LD-SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("LD-SYT", "Sở Y tế", "Sở Y tế"),
    ("LD-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL"),
    ("LD-SDTTG", "Sở Dân tộc và Tôn giáo", "Sở DT&TG"),
    ("LD-TTRA", "Thanh tra tỉnh", "Thanh tra tỉnh"),
];

/// Officers of three of Lâm Đồng's communes (invented people): username, commune code. They
/// sign in from the demo on 15/12/2025.
pub const COMMUNE_LOGINS: &[(&str, &str)] = &[("bacgianghia", "24611"), ("quangson", "24616"), ("xuanhuong", "24781")];

/// The demo's 2025 plans are invented and say so in their titles.
const DAK_NONG_PLAN: &str = "Kế hoạch công tác dân vận chính quyền năm 2025 của UBND tỉnh Đắk Nông (dữ liệu minh họa)";
const LAM_DONG_PLAN: &str =
    "Kế hoạch triển khai công tác dân vận chính quyền ở cấp xã sau sắp xếp của UBND tỉnh Lâm Đồng (dữ liệu minh họa)";

/// What the stage did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seeded {
    pub created_units: usize,
    pub accounts: usize,
    pub directives: usize,
}

pub async fn seed(
    store: &Store,
    admin: &User,
    dak_nong: i64,
    lam_dong: i64,
    group: Option<i64>,
) -> anyhow::Result<Seeded> {
    let map = admin_map::map();
    let mut seeded = Seeded::default();
    let monitor = User::system("demo", Role::Monitor, None);
    // Đắk Nông's codes of 2004, on the committee and each district's committee of its time.
    let units = store.list_units().await?;
    let district_codes: Vec<(&str, String)> = map
        .old_districts
        .iter()
        .filter(|d| d.province == "67")
        .map(|d| (d.code, fold(&danvan_app::province::committee_name(d.name))))
        .collect();
    let mut coded = vec![(dak_nong, "67")];
    let mut district_of: HashMap<i64, &str> = HashMap::new();
    for unit in &units {
        if unit.kind != UnitKind::DistrictCommittee || unit.parent_id != Some(dak_nong) {
            continue;
        }
        // Gia Nghĩa was a town (thị xã) until 2020 and a city after: one code throughout.
        let name = fold(&unit.name).replace("ubnd thi xa gia nghia", "ubnd thanh pho gia nghia");
        if let Some((code, _)) = district_codes.iter().find(|(_, folded)| *folded == name) {
            coded.push((unit.id, code));
            district_of.insert(unit.id, code);
        }
    }
    for (unit_id, code) in coded {
        let unit = store.unit(unit_id).await?.context("a demo unit")?;
        let to = unit.valid_to.unwrap_or(LAST_DAY_BEFORE_REFORM);
        danvan_app::unit::add_identifier(store, admin, unit_id, Scheme::Admin, code, unit.valid_from, Some(to))
            .await
            .map_err(|e| anyhow::anyhow!("the code {code}: {e}"))?;
    }

    // Đắk Nông's 2025 plan, to its departments of the same names as Lâm Đồng's and its districts.
    let alive_in_april: Vec<&Unit> = units
        .iter()
        .filter(|u| u.parent_id == Some(dak_nong) && u.is_active_on(date!(2025 - 04 - 15)) && u.valid_to.is_none())
        .collect();
    let planned: Vec<i64> = alive_in_april
        .iter()
        .filter(|u| {
            district_of.contains_key(&u.id)
                || (u.kind == UnitKind::Department
                    && DEPARTMENTS_2025.iter().any(|(_, name, _)| fold(name) == fold(&u.name)))
        })
        .map(|u| u.id)
        .collect();
    let plan_id = directive(
        store,
        &monitor,
        DAK_NONG_PLAN,
        date!(2025 - 04 - 15),
        &[
            (
                "Rà soát, hoàn thiện quy chế dân chủ ở cơ sở tại cơ quan, đơn vị.",
                date!(2025 - 06 - 20),
            ),
            (
                "Tổ chức đối thoại với Nhân dân về thủ tục hành chính năm 2025.",
                date!(2025 - 09 - 30),
            ),
            (
                "Báo cáo kết quả công tác dân vận chính quyền năm 2025.",
                date!(2025 - 12 - 05),
            ),
        ],
        &planned,
    )
    .await?;
    report_on(store, &monitor, plan_id, date!(2025 - 06 - 25)).await?;
    seeded.directives += 1;

    // Lâm Đồng's committee (already there) and communes, from the map.
    let imported = danvan_app::province::import_province(store, admin, "68")
        .await
        .map_err(|e| anyhow::anyhow!("importing Lâm Đồng: {e}"))?;
    seeded.created_units += imported.created;
    let mut departments: HashMap<String, i64> = HashMap::new();
    for (code, name, short) in DEPARTMENTS_2025 {
        let department = NewUnit {
            code: (*code).into(),
            name: (*name).into(),
            short_name: (*short).into(),
            kind: UnitKind::Department,
            parent_id: Some(lam_dong),
            group_id: group,
            valid_from: REFORM_DAY,
            valid_to: None,
        };
        let id = danvan_app::unit::create(store, admin, &department)
            .await
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        departments.insert(fold(name), id);
        seeded.created_units += 1;
    }

    // Đắk Nông's agencies restructured on 1 July 2025.
    for unit in &alive_in_april {
        let (kind, successors) = if let Some(code) = district_of.get(&unit.id) {
            // The commune formed mostly from the district's communes first: it takes the
            // district's open work.
            let mut formed = map.successors_of_district(code);
            let share = |c: &admin_map::Commune| {
                c.formed_from
                    .iter()
                    .filter(|f| map.district_of(f.unit).is_some_and(|d| d.code == *code))
                    .count()
            };
            formed.sort_by_key(|c| (std::cmp::Reverse(share(c)), c.code));
            let mut communes = Vec::new();
            for commune in formed {
                let id = store
                    .unit_with_identifier(Scheme::Admin, commune.code, REFORM_DAY)
                    .await?
                    .with_context(|| format!("commune {}", commune.code))?;
                communes.push(id);
            }
            (Restructuring::Split, communes)
        } else if let Some(id) = departments.get(&fold(&unit.name)) {
            (Restructuring::Merge, vec![*id])
        } else {
            (Restructuring::Dissolve, vec![])
        };
        let mut plan = Plan {
            kind,
            sources: vec![unit.id],
            successors: successors.clone(),
            new_unit: None,
            effective_on: REFORM_DAY,
            choices: HashMap::new(),
        };
        // The 2025 plan's open parts and the leader go to the successor (a district's to the
        // first commune formed from it); the rest stays where it was.
        let preview = danvan_app::restructure::preview(store, admin, &plan)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", unit.name))?;
        for item in &preview.items {
            let carried = match item.what {
                Moved::Assignment => store
                    .assignment(item.record_id)
                    .await?
                    .is_some_and(|a| a.directive_id == plan_id),
                // A department's leader carries on in the merged department; a district's
                // vice-chairman does not become a commune's.
                Moved::Leader => kind == Restructuring::Merge,
                _ => false,
            };
            let to = carried.then(|| successors.first().copied()).flatten();
            plan.choices.insert((item.what, item.record_id), to);
        }
        danvan_app::restructure::apply(store, admin, &plan)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", unit.name))?;
    }

    // Officers of three communes.
    let hash = danvan_domain::Password::unchecked_for_demo(crate::demo::DEMO_PASSWORD).hash();
    for (username, code) in COMMUNE_LOGINS {
        let commune = map.commune(code).context("a demo commune")?;
        let unit_id = store
            .unit_with_identifier(Scheme::Admin, code, REFORM_DAY)
            .await?
            .context("a demo commune")?;
        let account = danvan_app::store::NewAccount {
            username: danvan_domain::Username::parse(username).map_err(|e| anyhow::anyhow!("{e}"))?,
            display_name: format!(
                "Cán bộ UBND {}",
                danvan_app::province::committee_name(commune.name).trim_start_matches("UBND ")
            ),
            role: Role::Officer,
            unit_id: Some(unit_id),
            password_hash: hash.clone(),
            must_change_password: false,
            email: None,
        };
        danvan_app::account::create(store, admin, &account)
            .await
            .map_err(|e| anyhow::anyhow!("{username}: {e}"))?;
        seeded.accounts += 1;
    }

    // Lâm Đồng's plan to its communes, as the Department issues it from the addressee line.
    let all = store.list_units().await?;
    let communes = danvan_domain::addressee::resolve("UBND các xã, phường, đặc khu", &all, date!(2025 - 08 - 05))
        .map(|r| r.unit_ids)
        .unwrap_or_default();
    let lam_dong_plan = directive(
        store,
        &monitor,
        LAM_DONG_PLAN,
        date!(2025 - 08 - 05),
        &[
            (
                "Kiện toàn bộ phận tiếp công dân và giải quyết thủ tục hành chính cấp xã.",
                date!(2025 - 09 - 30),
            ),
            (
                "Tổ chức hội nghị đối thoại giữa lãnh đạo UBND cấp xã với Nhân dân.",
                date!(2025 - 11 - 28),
            ),
        ],
        &communes,
    )
    .await?;
    report_on(store, &monitor, lam_dong_plan, date!(2025 - 12 - 15)).await?;
    seeded.directives += 1;
    Ok(seeded)
}

async fn directive(
    store: &Store,
    monitor: &User,
    title: &str,
    issued: Date,
    tasks: &[(&str, Date)],
    leads: &[i64],
) -> anyhow::Result<i64> {
    let directive = NewDirective {
        document_id: None,
        title: title.into(),
        document_date: issued,
        tasks: tasks
            .iter()
            .map(|(content, due)| NewTask {
                content: (*content).into(),
                monitor_unit_id: None,
                deadline: Deadline::On(*due),
                leads: leads.to_vec(),
                supports: vec![],
            })
            .collect(),
    };
    danvan_app::directive::create(store, monitor, &directive, false, issued)
        .await
        .map_err(|e| anyhow::anyhow!("{title}: {e}"))
}

/// Progress on a directive as of `today`, accepted by the Department: most agencies report on
/// the tasks already due (some late, some not at all), a few on the next one.
async fn report_on(store: &Store, monitor: &User, directive_id: i64, today: Date) -> anyhow::Result<()> {
    let directive = store.directive(directive_id).await?.context("a demo directive")?;
    let accounts = store.list_accounts().await?;
    for task in &directive.tasks {
        for assignment in &task.assignments {
            // Reports come from the agency's officer, where it has one in the demo.
            let Some(officer) = accounts
                .iter()
                .find(|a| a.unit_id == Some(assignment.unit_id) && a.role == Role::Officer)
            else {
                continue;
            };
            let roll = crate::demo::pick(task.id, assignment.unit_id, 10);
            let due = assignment.due_on;
            let day = match roll {
                0..=5 => due - time::Duration::days(2 + roll),
                6 | 7 => due + time::Duration::days(3 + roll),
                _ => continue,
            };
            if day > today || day < directive.document_date {
                continue;
            }
            let officer = User::of_account(officer, None);
            let report = NewReport {
                reported_on: day,
                percent: 100,
                content: "Đã hoàn thành; kèm theo báo cáo kết quả.".into(),
                attachments: vec![],
            };
            let id = danvan_app::directive::report_progress(store, &officer, assignment.id, &report)
                .await
                .map_err(|e| anyhow::anyhow!("a demo report: {e}"))?;
            danvan_app::directive::review_progress(store, monitor, id, true, "Đạt yêu cầu.")
                .await
                .map_err(|e| anyhow::anyhow!("a demo review: {e}"))?;
        }
    }
    Ok(())
}
