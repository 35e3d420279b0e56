//! The permission table, exported for review (security.md 7).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use danvan_domain::Role;
use danvan_domain::audit::Action;
use danvan_domain::retention::{Kind as RetentionKind, Retention};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::exchange::OutboxRow;
use crate::pages::render;
use crate::routes::ROUTES;
use crate::view::Layout;

pub struct PermissionRow {
    method: &'static str,
    path: &'static str,
    purpose: &'static str,
    rule: &'static str,
    allowed: Vec<bool>,
}

#[derive(Template)]
#[template(path = "admin/permissions.html")]
pub struct PermissionsPage {
    layout: Layout,
    roles: Vec<&'static str>,
    rows: Vec<PermissionRow>,
}

pub async fn permissions(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let rows = ROUTES
        .iter()
        .map(|spec| PermissionRow {
            method: spec.method,
            path: spec.path,
            purpose: spec.purpose,
            rule: spec.access.label(),
            allowed: Role::ALL.iter().map(|role| spec.access.allows(*role)).collect(),
        })
        .collect();
    render(&PermissionsPage {
        layout: Layout::new(&state, Some(&user), "admin"),
        roles: Role::ALL.iter().map(|r| r.label()).collect(),
        rows,
    })
}

#[derive(Template)]
#[template(path = "admin/self_check.html")]
pub struct SelfCheckPage {
    layout: Layout,
    items: Vec<crate::selfcheck::Item>,
}

/// The security self-check (security.md 33).
pub async fn self_check(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let items = crate::selfcheck::check(
        &state.store,
        &state.config.retention,
        state.clock.today().year(),
        state.config.secure_cookies,
        state.config.require_admin_totp,
        now,
    )
    .await?;
    render(&SelfCheckPage {
        layout: Layout::new(&state, Some(&user), "admin"),
        items,
    })
}

/// The personal data danvan holds: what, where, why, on what basis, for how long (security.md
/// 28, Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15). Where a period is a setting, `{retention:…}`
/// stands for it and [`register`] puts in the configured period.
const PERSONAL_DATA: &[[&str; 5]] = &[
    [
        "Họ tên, tên đăng nhập, vai trò, cơ quan, địa chỉ thư điện tử của người dùng",
        "Tài khoản",
        "Đăng nhập, phân quyền, gửi nhắc việc",
        "Thực hiện nhiệm vụ của cơ quan nhà nước",
        "{retention:disabled_accounts}",
    ],
    [
        "Địa chỉ IP, thời điểm đăng nhập, thao tác",
        "Phiên đăng nhập; nhật ký thay đổi",
        "Bảo đảm an toàn thông tin, truy vết thay đổi dữ liệu chính thức",
        "Bảo đảm an toàn hệ thống thông tin (Luật An ninh mạng 116/2025/QH15)",
        "Phiên: tối đa 12 giờ; nhật ký: ít nhất 12 tháng, không sửa, không xóa",
    ],
    [
        "Tên đăng nhập đã gõ và địa chỉ IP của lần đăng nhập sai",
        "Nhật ký đăng nhập sai",
        "Chống dò mật khẩu: khóa tài khoản, chặn địa chỉ",
        "Bảo đảm an toàn hệ thống thông tin",
        "{retention:login_failures}",
    ],
    [
        "Họ tên, chức vụ, văn bản phân công của lãnh đạo phụ trách công tác dân vận",
        "Lãnh đạo phụ trách",
        "Theo dõi việc phân công, đánh giá cơ quan",
        "Thực hiện nhiệm vụ của cơ quan nhà nước",
        "Theo thời hạn bảo quản hồ sơ công tác của cơ quan",
    ],
    [
        "Họ tên, chức vụ, cơ quan, đối tượng (cán bộ, công chức, viên chức) của học viên",
        "Danh sách học viên lớp tập huấn",
        "Tính tỷ lệ cán bộ, công chức, viên chức được tập huấn",
        "Thực hiện nhiệm vụ của cơ quan nhà nước",
        "{retention:training_attendance}",
    ],
    [
        "Người chủ trì, người tham gia mô hình, điển hình \"Dân vận khéo\"",
        "Sổ mô hình, điển hình",
        "Đăng ký, theo dõi, công nhận, nhân rộng; công khai tên người chỉ khi cơ quan cho phép",
        "Thực hiện nhiệm vụ của cơ quan nhà nước; sự đồng ý khi công khai",
        "Theo thời hạn bảo quản hồ sơ thi đua, khen thưởng của cơ quan",
    ],
    [
        "Địa chỉ thư điện tử và tên người nhận thư nhắc việc",
        "Thư đi (hộp thư chờ gửi)",
        "Gửi thư nhắc việc, thử lại khi máy chủ thư lỗi",
        "Thực hiện nhiệm vụ của cơ quan nhà nước",
        "Thư đã gửi: 30 ngày sau khi gửi; thư gửi không được: đến khi quản trị viên gửi lại hoặc quá 30 ngày",
    ],
    [
        "Người ký, người nhận trong văn bản hành chính",
        "Thư viện văn bản",
        "Lưu trữ, tra cứu văn bản đã ban hành",
        "Văn bản hành chính của cơ quan nhà nước",
        "Theo thời hạn bảo quản văn bản",
    ],
];

/// The legal basis of the configured periods.
const RETENTION_BASIS: &str = "Thời hạn do cơ quan đặt trong cấu hình (mục [retention]), theo nguyên tắc chỉ lưu dữ liệu cá nhân trong thời gian cần cho mục đích xử lý (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15); hết hạn, hệ thống tự xóa hoặc ẩn danh và ghi nhật ký.";

/// The register with this installation's retention periods.
pub fn register(retention: &Retention) -> Vec<[String; 5]> {
    PERSONAL_DATA
        .iter()
        .map(|row| {
            let mut row = row.map(str::to_owned);
            if let Some(code) = row[4].strip_prefix("{retention:").and_then(|r| r.strip_suffix('}')) {
                let kind = RetentionKind::ALL
                    .into_iter()
                    .find(|k| k.code() == code)
                    .expect("a retention kind the register names");
                row[4] = format!("{}. {RETENTION_BASIS}", retention.describe(kind));
            }
            row
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/personal_data.html")]
pub struct PersonalDataPage {
    layout: Layout,
    rows: Vec<[String; 5]>,
}

pub async fn personal_data(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&PersonalDataPage {
        layout: Layout::new(&state, Some(&user), "admin"),
        rows: register(&state.config.retention),
    })
}

#[derive(serde::Deserialize, Default)]
pub struct PersonQuery {
    #[serde(default)]
    name: String,
}

/// What danvan holds about a person who is not (or not only) an account holder: the courses
/// they attended and the leader assignments in their name (security.md 29). Initiatives name
/// their people in free text and are searched there by the Department.
async fn person_data(state: &AppState, name: &str) -> Result<serde_json::Value, AppError> {
    let units = state.store.unit_names().await?;
    let unit = |id: i64| units.get(&id).cloned().unwrap_or_default();
    let attendance: Vec<serde_json::Value> = state
        .store
        .attendance_named(name)
        .await?
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "lop": a.course_title,
                "ngay": danvan_domain::date::format_vn(a.starts_on),
                "ho_ten": a.name,
                "chuc_vu": a.position,
                "co_quan": unit(a.unit_id),
                "doi_tuong": a.category.label(),
            })
        })
        .collect();
    let leaders: Vec<serde_json::Value> = state
        .store
        .leaders_named(name)
        .await?
        .into_iter()
        .map(|l| {
            serde_json::json!({
                "ho_ten": l.name,
                "chuc_vu": l.position,
                "co_quan": unit(l.unit_id),
                "van_ban_phan_cong": l.decision,
                "tu_ngay": danvan_domain::date::format_vn(l.valid_from),
                "den_ngay": l.valid_to.map(danvan_domain::date::format_vn),
            })
        })
        .collect();
    Ok(serde_json::json!({
        "ten_tim": name,
        "tap_huan": attendance,
        "lanh_dao_phu_trach": leaders,
    }))
}

#[derive(Template)]
#[template(path = "admin/person.html")]
pub struct PersonPage {
    layout: Layout,
    name: String,
    attendance: usize,
    leaders: usize,
    json: String,
}

/// The search form. The name is sent in the body of a POST, never in the address, where proxies
/// and browser histories keep it (security.md 23).
pub async fn show_person(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&PersonPage {
        layout: Layout::new(&state, Some(&user), "admin"),
        name: String::new(),
        attendance: 0,
        leaders: 0,
        json: String::new(),
    })
}

pub async fn find_person(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::auth::ClientIp(ip): crate::auth::ClientIp,
    axum::Form(query): axum::Form<PersonQuery>,
) -> Result<Response, AppError> {
    let name = query.name.trim().chars().take(120).collect::<String>();
    let (attendance, leaders, json) = if name.is_empty() {
        (0, 0, String::new())
    } else {
        let data = person_data(&state, &name).await?;
        danvan_app::security::record(&state.store, &user.acting(ip), Action::PersonLookup, user.account_id).await?;
        (
            data["tap_huan"].as_array().map_or(0, Vec::len),
            data["lanh_dao_phu_trach"].as_array().map_or(0, Vec::len),
            serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?,
        )
    };
    render(&PersonPage {
        layout: Layout::new(&state, Some(&user), "admin"),
        name,
        attendance,
        leaders,
        json,
    })
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
pub struct OutboxPage {
    layout: Layout,
    counts: danvan_app::store::outbox::OutboxCounts,
    rows: Vec<OutboxRow>,
    mail_configured: bool,
}

/// What was sent, what waits for another attempt, and what could not be sent (issue 14).
pub async fn outbox(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let rows = state
        .store
        .list_outbox_on("mail", 200)
        .await?
        .into_iter()
        .map(|m| {
            OutboxRow::of(m, |(address, name)| {
                if name.is_empty() {
                    address.clone()
                } else {
                    format!("{name} <{address}>")
                }
            })
        })
        .collect();
    render(&OutboxPage {
        layout: Layout::new(&state, Some(&user), "admin"),
        counts: state.store.outbox_counts().await?,
        rows,
        mail_configured: state.config.mail_configured,
    })
}

/// Puts a message that could not be sent back in the queue, from its first attempt.
pub async fn retry_outbox(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::auth::ClientIp(ip): crate::auth::ClientIp,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, AppError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if !state.store.outbox_retry(id, now).await? {
        return Err(AppError::Conflict("Chỉ gửi lại được thư đã gửi không được."));
    }
    danvan_app::security::record(&state.store, &user.acting(ip), Action::RetryMail, id).await?;
    Ok(axum::response::Redirect::to("/admin/outbox").into_response())
}
