//! The demo's today: Lâm Đồng from 1 July 2025, on the 2025 map.
//!
//! Đắk Nông's People's Committee and districts carry their administrative unit codes until 30
//! June 2025; Lâm Đồng's committee and 124 communes are imported from the shipped map (each
//! commune linked to the former districts whose communes it was formed from); Lâm Đồng's
//! departments after the 2025 restructuring start on 1 July 2025, each Đắk Nông department of
//! the same name linked to it. Everything goes through the use cases, as an admin would.

use danvan_app::User;
use danvan_app::store::Store;
use danvan_domain::admin_map::{self, LAST_DAY_BEFORE_REFORM, REFORM_DAY};
use danvan_domain::identifier::Scheme;
use danvan_domain::search::fold;
use danvan_domain::unit::{NewUnit, SuccessionKind, UnitKind};

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

/// What the stage did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seeded {
    pub created_units: usize,
    pub linked: usize,
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
    // Đắk Nông's codes of 2004, on the committee and each district's committee of its time.
    let units = store.list_units().await?;
    let district_codes: Vec<(&str, String)> = map
        .old_districts
        .iter()
        .filter(|d| d.province == "67")
        .map(|d| (d.code, fold(&danvan_app::province::committee_name(d.name))))
        .collect();
    let mut coded = vec![(dak_nong, "67")];
    for unit in &units {
        if unit.kind != UnitKind::DistrictCommittee || unit.parent_id != Some(dak_nong) {
            continue;
        }
        // Gia Nghĩa was a town (thị xã) until 2020 and a city after: one code throughout.
        let name = fold(&unit.name).replace("ubnd thi xa gia nghia", "ubnd thanh pho gia nghia");
        if let Some((code, _)) = district_codes.iter().find(|(_, folded)| *folded == name) {
            coded.push((unit.id, code));
        }
    }
    for (unit_id, code) in coded {
        let unit = store
            .unit(unit_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo unit {unit_id}"))?;
        let to = unit.valid_to.unwrap_or(LAST_DAY_BEFORE_REFORM);
        danvan_app::unit::add_identifier(store, admin, unit_id, Scheme::Admin, code, unit.valid_from, Some(to))
            .await
            .map_err(|e| anyhow::anyhow!("the code {code}: {e}"))?;
    }
    // Lâm Đồng's committee (already there) and communes, from the map.
    let imported = danvan_app::province::import_province(store, admin, "68")
        .await
        .map_err(|e| anyhow::anyhow!("importing Lâm Đồng: {e}"))?;
    seeded.created_units += imported.created;
    seeded.linked += imported.linked;
    // The departments, each Đắk Nông one of the same name succeeded by Lâm Đồng's.
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
        seeded.created_units += 1;
        let former = units.iter().find(|u| {
            u.parent_id == Some(dak_nong)
                && u.kind == UnitKind::Department
                && u.valid_to == Some(LAST_DAY_BEFORE_REFORM)
                && fold(&u.name) == fold(name)
        });
        if let Some(former) = former {
            danvan_app::unit::link_successor(store, admin, former.id, id, SuccessionKind::Merger, REFORM_DAY)
                .await
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            seeded.linked += 1;
        }
    }
    Ok(seeded)
}
