//! The security self-check (security.md 33): the settings and states the requirements name, as
//! they are on this installation. Shown to admins at `/admin/self-check` and printed by
//! `danvan self-check`.

use danvan_app::store::Store;
use danvan_app::store::audit::ChainCheck;
use danvan_domain::retention::Retention;

/// How an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Good,
    /// Works, but needs the operator's attention.
    Attention,
    Bad,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Good => "Đạt",
            Standing::Attention => "Cần chú ý",
            Standing::Bad => "Không đạt",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Standing::Good => "good",
            Standing::Attention => "attention",
            Standing::Bad => "bad",
        }
    }
}

/// One line of the self-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: &'static str,
    pub standing: Standing,
    pub detail: String,
}

/// How long a stored file no record refers to is kept (a preview waiting for its review).
pub const ORPHAN_GRACE_SECONDS: i64 = 86_400;

/// The meta key `danvan backup` writes after each backup (Unix seconds).
pub const LAST_BACKUP_KEY: &str = "last_backup_at";

/// The RustSec advisory snapshot CI checked this build's dependencies against: its date
/// (yyyy-mm-dd) and commit. `.ci/run` refuses to build when it names another snapshot.
const ADVISORY_SNAPSHOT: &str = include_str!("../advisory-snapshot.txt");

/// Past this age the advisory snapshot should be refreshed.
const ADVISORY_SNAPSHOT_MAX_DAYS: i64 = 90;

/// The self-check line for the advisory snapshot `recorded` ("yyyy-mm-dd commit").
fn advisory_item(recorded: &str, now: i64) -> Item {
    let name = "Kiểm tra lỗ hổng thư viện (RustSec)";
    let mut parts = recorded.split_whitespace();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = parts.next().and_then(|d| time::Date::parse(d, format).ok());
    let commit = parts.next().unwrap_or("?");
    let Some(date) = date else {
        return Item {
            name,
            standing: Standing::Bad,
            detail: "Không rõ ngày của bản cơ sở dữ liệu lỗ hổng đã dùng khi xây dựng.".into(),
        };
    };
    let age = (now - date.midnight().assume_utc().unix_timestamp()).div_euclid(86_400);
    let shown = format!("{:02}/{:02}/{}", date.day(), u8::from(date.month()), date.year());
    Item {
        name,
        standing: if age > ADVISORY_SNAPSHOT_MAX_DAYS {
            Standing::Attention
        } else {
            Standing::Good
        },
        detail: if age > ADVISORY_SNAPSHOT_MAX_DAYS {
            format!(
                "Thư viện được kiểm khi xây dựng theo bản RustSec ngày {shown} (commit {commit}), đã {age} ngày: nên cập nhật bản mới và xây dựng lại."
            )
        } else {
            format!(
                "Thư viện được kiểm khi xây dựng theo bản RustSec ngày {shown} (commit {commit}), {age} ngày trước."
            )
        },
    }
}

/// Checks the installation; `now` in Unix seconds.
pub async fn check(
    store: &Store,
    retention: &Retention,
    this_year: i32,
    secure_cookies: bool,
    require_admin_totp: bool,
    now: i64,
) -> Result<Vec<Item>, danvan_app::store::StoreError> {
    let mut items = Vec::new();
    items.push(Item {
        name: "TLS (cookie Secure, __Host-, HSTS)",
        standing: if secure_cookies {
            Standing::Good
        } else {
            Standing::Attention
        },
        detail: if secure_cookies {
            "secure_cookies = true: trang được phục vụ qua TLS.".into()
        } else {
            "secure_cookies = false: chỉ chấp nhận khi chạy trên máy cục bộ; khi phục vụ qua mạng, đặt sau proxy TLS và bật secure_cookies.".into()
        },
    });
    // Stored bytes no record refers to: a day's grace (a preview waiting for its review), then
    // the periodic sweep removes them.
    let (orphans, orphan_bytes) = store.orphaned_files(now + 1).await?;
    let (stale, _) = store.orphaned_files(now - ORPHAN_GRACE_SECONDS).await?;
    items.push(Item {
        name: "Tệp không thuộc hồ sơ nào",
        standing: if stale == 0 { Standing::Good } else { Standing::Attention },
        detail: format!(
            "{orphans} tệp ({} KB) không gắn với văn bản, báo cáo, minh chứng hay mô hình nào; {stale} tệp quá 1 ngày, sẽ được xoá ở lần dọn tiếp theo (có ghi nhật ký).",
            orphan_bytes / 1024
        ),
    });
    // Records past their retention period: the sweep deletes or anonymises them within ten
    // minutes; any still here after that point to a sweep that does not run.
    let due = store.retention_due(retention, now, this_year).await?;
    let pending: Vec<String> = due
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{}: {n}", kind.title()))
        .collect();
    items.push(Item {
        name: "Thời hạn lưu dữ liệu cá nhân",
        standing: if pending.is_empty() {
            Standing::Good
        } else {
            Standing::Attention
        },
        detail: if pending.is_empty() {
            "Không có bản ghi nào quá thời hạn lưu.".into()
        } else {
            format!(
                "Quá thời hạn lưu, sẽ được xóa hoặc ẩn danh ở lần dọn tiếp theo (có ghi nhật ký): {}.",
                pending.join("; ")
            )
        },
    });
    let last_backup = store.meta(LAST_BACKUP_KEY).await?.and_then(|v| v.parse::<i64>().ok());
    items.push(match last_backup {
        Some(at) if now - at <= 2 * 86_400 => Item {
            name: "Sao lưu",
            standing: Standing::Good,
            detail: format!("Lần sao lưu gần nhất: {}.", crate::view::format_instant(at)),
        },
        Some(at) => Item {
            name: "Sao lưu",
            standing: Standing::Attention,
            detail: format!(
                "Lần sao lưu gần nhất đã {} ngày ({}); nên sao lưu hằng ngày (danvan backup).",
                (now - at) / 86_400,
                crate::view::format_instant(at)
            ),
        },
        None => Item {
            name: "Sao lưu",
            standing: Standing::Bad,
            detail: "Chưa từng sao lưu: chạy danvan backup hằng ngày.".into(),
        },
    });
    items.push(match store.verify_audit_chain().await? {
        ChainCheck::Intact { records } => Item {
            name: "Chuỗi nhật ký",
            standing: Standing::Good,
            detail: format!("Toàn vẹn: {records} bản ghi."),
        },
        ChainCheck::Broken { audit_log_id, reason } => Item {
            name: "Chuỗi nhật ký",
            standing: Standing::Bad,
            detail: format!("Bị phá vỡ tại bản ghi {audit_log_id}: {reason}."),
        },
    });
    // The board's kept counts against a recount of every assignment, row by row.
    items.push(match store.check_board_counts().await? {
        None => Item {
            name: "Số liệu bảng theo dõi",
            standing: Standing::Good,
            detail: "Số liệu theo dõi nhiệm vụ khớp với kết quả đếm lại toàn bộ.".into(),
        },
        Some(differs) => Item {
            name: "Số liệu bảng theo dõi",
            standing: Standing::Bad,
            detail: format!(
                "Số liệu theo dõi nhiệm vụ lệch với kết quả đếm lại, từ {} mã {}: báo cho người quản trị hệ thống.",
                if differs.by_directive {
                    "chỉ đạo"
                } else {
                    "đơn vị"
                },
                differs.key.map_or_else(|| "?".to_owned(), |k| k.to_string())
            ),
        },
    });
    items.push(advisory_item(ADVISORY_SNAPSHOT, now));
    let accounts = store.list_accounts().await?;
    let unused_since = now - danvan_app::store::account::INACTIVE_SECONDS;
    let stale: Vec<String> = store
        .inactive_accounts(unused_since)
        .await?
        .into_iter()
        .map(|(_, username)| username)
        .collect();
    items.push(Item {
        name: "Tài khoản không dùng quá 45 ngày",
        standing: if stale.is_empty() {
            Standing::Good
        } else {
            Standing::Attention
        },
        detail: if stale.is_empty() {
            "Không có tài khoản nào đang mở mà không dùng quá 45 ngày.".into()
        } else {
            format!(
                "{} tài khoản chưa dùng quá 45 ngày, sẽ bị khóa ở lượt quét tới: {}.",
                stale.len(),
                stale.join(", ")
            )
        },
    });
    let admins = accounts
        .iter()
        .filter(|a| !a.disabled && a.role == danvan_domain::Role::Admin)
        .count();
    let without: Vec<&str> = accounts
        .iter()
        .filter(|a| !a.disabled && a.role == danvan_domain::Role::Admin && a.totp_secret.is_none())
        .map(|a| a.username.as_str())
        .collect();
    items.push(Item {
        name: "Xác thực hai lớp cho quản trị",
        standing: match (without.is_empty(), require_admin_totp) {
            (true, true) => Standing::Good,
            (false, true) => Standing::Attention,
            (_, false) => Standing::Bad,
        },
        detail: match (without.is_empty(), require_admin_totp) {
            (true, true) => "Bắt buộc; mọi tài khoản quản trị đã bật.".into(),
            (false, true) => format!(
                "Bắt buộc; chưa bật: {} (phải bật ở lần đăng nhập tới).",
                without.join(", ")
            ),
            (true, false) => "Không bắt buộc (bản trình diễn); mọi tài khoản quản trị đã bật.".into(),
            (false, false) => format!("Không bắt buộc (bản trình diễn); chưa bật: {}.", without.join(", ")),
        },
    });
    items.push(Item {
        name: "Tài khoản quản trị",
        standing: if admins == 0 {
            Standing::Bad
        } else if admins > 3 {
            Standing::Attention
        } else {
            Standing::Good
        },
        detail: format!("{admins} tài khoản quản trị đang mở."),
    });
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn the_advisory_snapshot_date_is_reported_and_ages() {
        // 21/08/2026 00:00 UTC.
        let snapshot_day = 1_787_270_400;
        let fresh = advisory_item("2026-08-21 bf5c0d245", snapshot_day + 10 * DAY);
        assert_eq!(fresh.standing, Standing::Good);
        assert!(
            fresh
                .detail
                .contains("ngày 21/08/2026 (commit bf5c0d245), 10 ngày trước"),
            "{}",
            fresh.detail
        );
        let old = advisory_item("2026-08-21 bf5c0d245", snapshot_day + 98 * DAY);
        assert_eq!(old.standing, Standing::Attention);
        assert!(old.detail.contains("đã 98 ngày"), "{}", old.detail);
        assert_eq!(advisory_item("21/08/2026", snapshot_day).standing, Standing::Bad);
    }

    #[test]
    fn the_recorded_snapshot_is_readable() {
        assert_ne!(advisory_item(ADVISORY_SNAPSHOT, 0).standing, Standing::Bad);
    }
}
