//! The authorization table, and the router built from it.
//!
//! [`ROUTES`] lists every route once: its method and path, the rule for who may call it, its
//! purpose and its handler, side by side, so the compiler checks that each line has a handler
//! and no second list can drift from this one. [`router`] builds the axum router from this table
//! and nothing else, so a route that is not in the table cannot be reached; the authorization
//! test walks the table with every role. The table is shown to
//! admins at `/admin/permissions` (security.md 7).

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use danvan_domain::Role;
pub use danvan_domain::role::Access;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages;

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Reachable while the user must still change a first password.
    pub before_password_change: bool,
    /// What the route does, in Vietnamese, for the exported permission table.
    pub purpose: &'static str,
    /// A bulk export: the password is asked again when the sign-in is older than
    /// [`crate::pages::account::RECENT_AUTH_SECONDS`] (security.md 13).
    pub recent_auth: bool,
    /// The handler, with any layer of its own (a larger body limit for an upload).
    pub handler: fn() -> MethodRouter<AppState>,
}

const fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    purpose: &'static str,
    handler: fn() -> MethodRouter<AppState>,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        before_password_change: false,
        purpose,
        recent_auth: false,
        handler,
    }
}

const fn early(
    method: &'static str,
    path: &'static str,
    access: Access,
    purpose: &'static str,
    handler: fn() -> MethodRouter<AppState>,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        before_password_change: true,
        purpose,
        recent_auth: false,
        handler,
    }
}

/// A bulk export: as [`route`], and the password is asked again when the sign-in is not recent.
const fn export(
    method: &'static str,
    path: &'static str,
    access: Access,
    purpose: &'static str,
    handler: fn() -> MethodRouter<AppState>,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        before_password_change: false,
        purpose,
        recent_auth: true,
        handler,
    }
}

pub static ROUTES: &[RouteSpec] = &[
    early(
        "GET",
        "/healthz",
        Access::Public,
        "Kiểm tra hệ thống còn hoạt động",
        || get(pages::health::healthz),
    ),
    early(
        "GET",
        "/metrics",
        Access::Peers,
        "Số liệu vận hành cho Prometheus (chỉ máy giám sát được khai báo)",
        || get(crate::metrics::scrape),
    ),
    early(
        "GET",
        "/api/v1/openapi.json",
        Access::Public,
        "API: tài liệu OpenAPI 3.1 của API",
        || get(crate::api::docs::openapi_json),
    ),
    early(
        "GET",
        "/api-docs",
        Access::Public,
        "Tài liệu API (bản đọc trên trang)",
        || get(crate::api::docs::show_docs),
    ),
    route(
        "GET",
        "/api/v1/units",
        Access::SignedIn,
        "API: danh sách đơn vị, thời gian tồn tại, đơn vị kế thừa, mã định danh",
        || get(crate::api::handlers::units),
    ),
    route(
        "GET",
        "/api/v1/directives",
        Access::Overseers,
        "API: danh sách văn bản giao nhiệm vụ",
        || get(crate::api::handlers::directives),
    ),
    route(
        "GET",
        "/api/v1/directives/{id}",
        Access::Overseers,
        "API: một văn bản với nhiệm vụ, phần việc và tình trạng",
        || get(crate::api::handlers::directive),
    ),
    route(
        "GET",
        "/api/v1/assignments",
        Access::SignedIn,
        "API: phần việc và tình trạng (khóa của đơn vị: chỉ đơn vị mình)",
        || get(crate::api::handlers::assignments),
    ),
    route(
        "GET",
        "/api/v1/assignments/{id}/reports",
        Access::SignedIn,
        "API: báo cáo tiến độ của một phần việc (khóa của đơn vị: chỉ đơn vị mình)",
        || get(crate::api::handlers::reports),
    ),
    route(
        "POST",
        "/api/v1/assignments/{id}/reports",
        Access::Officers,
        "API: đơn vị báo cáo tiến độ phần việc của mình (khóa có quyền báo cáo)",
        || post(crate::api::handlers::report_progress),
    ),
    route(
        "GET",
        "/api/v1/evaluations",
        Access::SignedIn,
        "API: kết quả đánh giá đã công bố",
        || get(crate::api::handlers::evaluations),
    ),
    route(
        "GET",
        "/api/v1/gallery",
        Access::SignedIn,
        "API: thư viện sáng kiến, mô hình đã được công nhận",
        || get(crate::api::handlers::gallery),
    ),
    route(
        "GET",
        "/api/v1/report-rounds",
        Access::SignedIn,
        "API: kỳ báo cáo định kỳ và tình trạng nộp của đơn vị",
        || get(crate::api::handlers::report_rounds),
    ),
    route(
        "GET",
        "/admin/api-tokens",
        Access::Admins,
        "Danh sách khóa API và cấp khóa mới",
        || get(pages::api_tokens::show),
    ),
    route(
        "POST",
        "/admin/api-tokens",
        Access::Admins,
        "Cấp khóa API cho hệ thống khác",
        || post(pages::api_tokens::issue),
    ),
    route(
        "POST",
        "/admin/api-tokens/{id}/revoke",
        Access::Admins,
        "Thu hồi khóa API",
        || post(pages::api_tokens::revoke),
    ),
    early(
        "GET",
        "/static/style.css",
        Access::Public,
        "Bảng định dạng giao diện",
        || get(pages::assets::stylesheet),
    ),
    early(
        "GET",
        "/static/assessment.js",
        Access::Public,
        "Tạm tính điểm khi đang chấm",
        || get(pages::assets::assessment_script),
    ),
    early(
        "GET",
        "/static/favicon.svg",
        Access::Public,
        "Biểu tượng của trang",
        || get(pages::assets::favicon),
    ),
    early("GET", "/login", Access::Public, "Trang đăng nhập", || {
        get(pages::login::show_login)
    }),
    early("POST", "/login", Access::Public, "Đăng nhập", || {
        post(pages::login::submit_login)
    }),
    early(
        "GET",
        "/auth/oidc/start",
        Access::Public,
        "Đăng nhập (hoặc xác nhận lại) qua cổng đăng nhập của tỉnh",
        || get(pages::sso::start),
    ),
    early(
        "GET",
        "/auth/oidc/callback",
        Access::Public,
        "Cổng đăng nhập của tỉnh trả người dùng về",
        || get(pages::sso::callback),
    ),
    early(
        "GET",
        "/auth/oidc/totp",
        Access::Public,
        "Nhập mã xác thực hai lớp sau khi đăng nhập qua cổng của tỉnh (quản trị)",
        || get(pages::sso::show_totp),
    ),
    early(
        "POST",
        "/auth/oidc/totp",
        Access::Public,
        "Xác nhận mã xác thực hai lớp sau khi đăng nhập qua cổng của tỉnh",
        || post(pages::sso::submit_totp),
    ),
    early("POST", "/logout", Access::SignedIn, "Đăng xuất", || {
        post(pages::login::logout)
    }),
    early(
        "GET",
        "/account/password",
        Access::SignedIn,
        "Trang đổi mật khẩu",
        || get(pages::account::show_password_form),
    ),
    early(
        "POST",
        "/account/password",
        Access::SignedIn,
        "Đổi mật khẩu của mình",
        || post(pages::account::change_password),
    ),
    early(
        "GET",
        "/account/totp",
        Access::SignedIn,
        "Xác thực hai lớp (mã TOTP) của mình",
        || get(pages::account::show_totp),
    ),
    early(
        "POST",
        "/account/totp",
        Access::SignedIn,
        "Bật, tắt xác thực hai lớp của mình",
        || post(pages::account::change_totp),
    ),
    route(
        "GET",
        "/account/data.json",
        Access::SignedIn,
        "Tải dữ liệu hệ thống lưu giữ về mình",
        || get(pages::account::export_own_data),
    ),
    route(
        "GET",
        "/account/confirm",
        Access::SignedIn,
        "Nhập lại mật khẩu trước thao tác nhạy cảm",
        || get(pages::account::show_confirm),
    ),
    route(
        "POST",
        "/account/confirm",
        Access::SignedIn,
        "Xác nhận mật khẩu",
        || post(pages::account::submit_confirm),
    ),
    route(
        "GET",
        "/account/sessions",
        Access::SignedIn,
        "Các phiên đăng nhập của mình",
        || get(pages::account::show_sessions),
    ),
    route(
        "POST",
        "/account/sessions",
        Access::SignedIn,
        "Kết thúc phiên đăng nhập khác của mình",
        || post(pages::account::end_sessions),
    ),
    route("GET", "/", Access::SignedIn, "Trang chủ theo vai trò", || {
        get(pages::home::home)
    }),
    route(
        "GET",
        "/queue/{kind}",
        Access::SignedIn,
        "Việc cần làm của vai trò (mỗi loại việc chỉ cho vai trò của nó)",
        || get(pages::queue::show_queue),
    ),
    route(
        "GET",
        "/units",
        Access::SignedIn,
        "Cây đơn vị tại một ngày",
        || get(pages::units::list_units),
    ),
    route(
        "GET",
        "/units/new",
        Access::UnitManagers,
        "Biểu mẫu thêm đơn vị",
        || get(pages::units::new_unit_form),
    ),
    route("POST", "/units", Access::UnitManagers, "Thêm đơn vị", || {
        post(pages::units::create_unit)
    }),
    route(
        "GET",
        "/units/export",
        Access::SignedIn,
        "Tải danh sách đơn vị tại một ngày, với mã định danh (.xlsx)",
        || get(pages::units::export_units),
    ),
    route(
        "GET",
        "/units/restructure",
        Access::UnitManagers,
        "Biểu mẫu sắp xếp đơn vị (sáp nhập, chia tách, đổi tên, giải thể)",
        || get(pages::restructure::plan_form),
    ),
    route(
        "POST",
        "/units/restructure/preview",
        Access::UnitManagers,
        "Xem trước những gì được chuyển khi sắp xếp đơn vị",
        || post(pages::restructure::preview),
    ),
    route(
        "POST",
        "/units/restructure",
        Access::UnitManagers,
        "Sắp xếp đơn vị, chuyển công việc sang đơn vị kế thừa",
        || post(pages::restructure::apply),
    ),
    route(
        "GET",
        "/units/import",
        Access::UnitManagers,
        "Nhập đơn vị theo danh mục hành chính hoặc từ bảng tính",
        || get(pages::unit_import::import_form),
    ),
    route(
        "POST",
        "/units/import/province",
        Access::UnitManagers,
        "Nhập UBND tỉnh và các xã, phường, đặc khu theo danh mục năm 2025",
        || post(pages::unit_import::import_province),
    ),
    route(
        "POST",
        "/units/import/sheet",
        Access::UnitManagers,
        "Nhập các đơn vị từ bảng tính, tất cả hoặc không",
        || post(pages::unit_import::import_sheet),
    ),
    route(
        "POST",
        "/units/{id}/identifiers",
        Access::UnitManagers,
        "Thêm mã định danh cho đơn vị",
        || post(pages::unit_import::add_identifier),
    ),
    route(
        "POST",
        "/units/{id}/identifiers/{identifier_id}/end",
        Access::UnitManagers,
        "Chấm dứt hiệu lực mã định danh của đơn vị",
        || post(pages::unit_import::end_identifier),
    ),
    route(
        "GET",
        "/units/{id}",
        Access::SignedIn,
        "Thông tin một đơn vị",
        || get(pages::units::show_unit),
    ),
    route(
        "GET",
        "/units/{id}/edit",
        Access::UnitManagers,
        "Biểu mẫu sửa đơn vị",
        || get(pages::units::edit_unit_form),
    ),
    route(
        "POST",
        "/units/{id}/edit",
        Access::UnitManagers,
        "Sửa đơn vị",
        || post(pages::units::update_unit),
    ),
    route(
        "GET",
        "/units/{id}/close",
        Access::UnitManagers,
        "Biểu mẫu kết thúc đơn vị",
        || get(pages::units::close_unit_form),
    ),
    route(
        "POST",
        "/units/{id}/close",
        Access::UnitManagers,
        "Kết thúc đơn vị, ghi đơn vị kế thừa",
        || post(pages::units::close_unit),
    ),
    route(
        "GET",
        "/documents",
        Access::SignedIn,
        "Thư viện văn bản, tìm kiếm",
        || get(pages::documents::list_documents),
    ),
    route(
        "GET",
        "/documents/new",
        Access::UnitManagers,
        "Biểu mẫu thêm văn bản",
        || get(pages::document_review::new_document_form),
    ),
    // An upload may be larger than the 2 MB every other request is held to.
    route(
        "POST",
        "/documents/preview",
        Access::UnitManagers,
        "Đọc văn bản tải lên để soát",
        || {
            // An edXML package carries its attachments in base64: up to the package cap (a
            // document alone is still held to 10 MB when it is read).
            post(pages::document_review::preview_document).layer(axum::extract::DefaultBodyLimit::max(
                danvan_edxml::MAX_PACKAGE_BYTES + 64 * 1024,
            ))
        },
    ),
    route(
        "POST",
        "/documents",
        Access::UnitManagers,
        "Lưu văn bản vào thư viện",
        || post(pages::document_review::save_document),
    ),
    route(
        "GET",
        "/documents/{id}",
        Access::SignedIn,
        "Thông tin văn bản, viện dẫn",
        || get(pages::documents::show_document),
    ),
    route(
        "GET",
        "/documents/exchange",
        Access::UnitManagers,
        "Gói tin edXML gửi trục liên thông: trạng thái văn bản và báo cáo",
        || get(pages::exchange::packages),
    ),
    route(
        "POST",
        "/documents/exchange/{id}/retry",
        Access::UnitManagers,
        "Gửi lại một gói tin edXML đã gửi không được",
        || post(pages::exchange::retry_package),
    ),
    route(
        "POST",
        "/documents/{id}/refuse",
        Access::UnitManagers,
        "Từ chối tiếp nhận văn bản nhận qua edXML (báo lý do cho nơi gửi)",
        || post(pages::exchange::refuse_package),
    ),
    route(
        "GET",
        "/documents/{id}/file",
        Access::SignedIn,
        "Tải tệp gốc của văn bản",
        || get(pages::documents::download_document_file),
    ),
    route(
        "GET",
        "/addressees",
        Access::UnitManagers,
        "Nơi nhận chưa xác định đơn vị",
        || get(pages::addressees::list_addressees),
    ),
    route(
        "POST",
        "/addressees",
        Access::UnitManagers,
        "Ghi nhớ đơn vị của nơi nhận",
        || post(pages::addressees::map_addressee),
    ),
    route(
        "GET",
        "/directives",
        Access::SignedIn,
        "Danh sách chỉ đạo, nhiệm vụ của đơn vị",
        || get(pages::directives::list_directives),
    ),
    route(
        "GET",
        "/directives/new",
        Access::UnitManagers,
        "Biểu mẫu giao nhiệm vụ",
        || get(pages::directives::new_directive_form),
    ),
    route("POST", "/directives", Access::UnitManagers, "Giao nhiệm vụ", || {
        post(pages::directives::create_directive)
    }),
    route(
        "GET",
        "/directives/{id}/cancel",
        Access::UnitManagers,
        "Xác nhận hủy một chỉ đạo (nói rõ hệ quả, hỏi lý do)",
        || get(pages::directive_changes::confirm_cancel_directive),
    ),
    route(
        "POST",
        "/directives/{id}/cancel",
        Access::UnitManagers,
        "Hủy một chỉ đạo với lý do",
        || post(pages::directive_changes::cancel_directive),
    ),
    route(
        "POST",
        "/tasks/{id}/edit",
        Access::UnitManagers,
        "Sửa nội dung một nhiệm vụ đã giao",
        || post(pages::directive_changes::edit_task),
    ),
    route(
        "POST",
        "/tasks/{id}/extend",
        Access::UnitManagers,
        "Gia hạn một nhiệm vụ cho mọi đơn vị đang thực hiện, với lý do",
        || post(pages::directive_changes::extend_task),
    ),
    route(
        "POST",
        "/tasks/{id}/assign",
        Access::UnitManagers,
        "Giao thêm một đơn vị vào nhiệm vụ",
        || post(pages::directive_changes::add_agency),
    ),
    route(
        "GET",
        "/tasks/{id}/cancel",
        Access::UnitManagers,
        "Xác nhận hủy một nhiệm vụ (nói rõ hệ quả, hỏi lý do)",
        || get(pages::directive_changes::confirm_cancel_task),
    ),
    route(
        "POST",
        "/tasks/{id}/cancel",
        Access::UnitManagers,
        "Hủy một nhiệm vụ với lý do",
        || post(pages::directive_changes::cancel_task),
    ),
    route(
        "POST",
        "/assignments/{id}/extend",
        Access::UnitManagers,
        "Gia hạn nhiệm vụ cho một đơn vị, với lý do",
        || post(pages::directive_changes::extend_assignment),
    ),
    route(
        "GET",
        "/assignments/{id}/withdraw",
        Access::UnitManagers,
        "Xác nhận rút một đơn vị khỏi nhiệm vụ (nói rõ hệ quả, hỏi lý do)",
        || get(pages::directive_changes::confirm_withdraw),
    ),
    route(
        "POST",
        "/assignments/{id}/withdraw",
        Access::UnitManagers,
        "Rút một đơn vị khỏi nhiệm vụ với lý do",
        || post(pages::directive_changes::withdraw),
    ),
    route(
        "GET",
        "/directives/{id}",
        Access::SignedIn,
        "Một chỉ đạo và tình trạng các nhiệm vụ",
        || get(pages::directives::show_directive),
    ),
    route(
        "GET",
        "/assignments/{id}",
        Access::SignedIn,
        "Nhiệm vụ của một đơn vị, báo cáo tiến độ",
        || get(pages::assignments::show_assignment),
    ),
    route(
        "POST",
        "/assignments/{id}/reports",
        Access::SignedIn,
        "Gửi báo cáo tiến độ (đơn vị được giao)",
        || {
            post(pages::assignments::submit_report).layer(axum::extract::DefaultBodyLimit::max(
                5 * crate::upload_check::MAX_ATTACHMENT_BYTES + 256 * 1024,
            ))
        },
    ),
    route(
        "POST",
        "/reports/{id}/review",
        Access::UnitManagers,
        "Chấp nhận hoặc trả lại báo cáo",
        || post(pages::assignments::review_report),
    ),
    route(
        "GET",
        "/attachments/{id}",
        Access::SignedIn,
        "Tải tệp đính kèm báo cáo",
        || get(pages::assignments::download_attachment),
    ),
    route(
        "GET",
        "/inbox",
        Access::SignedIn,
        "Nhắc việc của đơn vị",
        || get(pages::calendar::show_inbox),
    ),
    route(
        "GET",
        "/board",
        Access::Overseers,
        "Bảng theo dõi thực hiện nhiệm vụ",
        || get(pages::board::show_board),
    ),
    export(
        "GET",
        "/board.xlsx",
        Access::Overseers,
        "Xuất bảng theo dõi ra Excel",
        || get(pages::board::export_board),
    ),
    route("GET", "/calendar", Access::SignedIn, "Lịch ngày làm việc", || {
        get(pages::calendar::show_calendar)
    }),
    route(
        "POST",
        "/calendar",
        Access::Admins,
        "Điều chỉnh lịch ngày làm việc",
        || post(pages::calendar::change_calendar),
    ),
    route(
        "POST",
        "/calendar/import",
        Access::Admins,
        "Nhập lịch nghỉ lễ, Tết đã công bố từ tệp (.toml)",
        || {
            post(pages::calendar::import_schedule).layer(axum::extract::DefaultBodyLimit::max(
                pages::calendar::MAX_SCHEDULE_BYTES + 64 * 1024,
            ))
        },
    ),
    route(
        "GET",
        "/evaluations",
        Access::SignedIn,
        "Các đợt đánh giá, xếp loại",
        || get(pages::evaluations::list_cycles),
    ),
    route(
        "POST",
        "/evaluations",
        Access::UnitManagers,
        "Mở đợt đánh giá",
        || post(pages::evaluations::open_cycle),
    ),
    route(
        "GET",
        "/evaluations/{id}",
        Access::SignedIn,
        "Một đợt đánh giá: bản đánh giá, kết quả",
        || get(pages::evaluations::show_cycle),
    ),
    route(
        "POST",
        "/evaluations/{id}/extend",
        Access::Monitor,
        "Gia hạn tự chấm, thẩm định cho cả đợt hoặc một cơ quan (Sở Nội vụ)",
        || post(pages::evaluations::extend_deadline),
    ),
    route(
        "GET",
        "/evaluations/{id}/finalize",
        Access::Monitor,
        "Xác nhận tổng hợp kết quả: điều sẽ xảy ra (Sở Nội vụ)",
        || get(pages::evaluations::confirm_finalize),
    ),
    route(
        "POST",
        "/evaluations/{id}/finalize",
        Access::Monitor,
        "Tổng hợp, xếp loại, xếp hạng (Sở Nội vụ)",
        || post(pages::evaluations::finalize_cycle),
    ),
    route(
        "POST",
        "/evaluations/{id}/publish",
        Access::Leaders,
        "Phê duyệt, công bố kết quả (lãnh đạo)",
        || post(pages::evaluations::publish_cycle),
    ),
    export(
        "GET",
        "/evaluations/{id}/decision.docx",
        Access::Overseers,
        "Dự thảo quyết định công bố kết quả (Word)",
        || get(pages::results::export_decision),
    ),
    export(
        "GET",
        "/evaluations/{id}/results.xlsx",
        Access::SignedIn,
        "Xuất kết quả đánh giá ra Excel (khi được xem)",
        || get(pages::results::export_results),
    ),
    route(
        "GET",
        "/units/{id}/leaders",
        Access::SignedIn,
        "Lãnh đạo phụ trách công tác dân vận của một cơ quan",
        || get(pages::leaders::show_leaders),
    ),
    route(
        "POST",
        "/units/{id}/leaders",
        Access::RecordKeepers,
        "Phân công lãnh đạo phụ trách (cơ quan mình; Sở Nội vụ)",
        || post(pages::leaders::assign_leader),
    ),
    route(
        "GET",
        "/units/{id}/dissemination",
        Access::SignedIn,
        "Các buổi phổ biến văn bản của một cơ quan",
        || get(pages::dissemination::show_unit_dissemination),
    ),
    route(
        "POST",
        "/units/{id}/dissemination",
        Access::RecordKeepers,
        "Ghi nhận buổi phổ biến văn bản (cơ quan mình; Sở Nội vụ)",
        || post(pages::dissemination::record_dissemination),
    ),
    route(
        "GET",
        "/dissemination",
        Access::Overseers,
        "Tình hình phổ biến văn bản theo từng văn bản",
        || get(pages::dissemination::show_overview),
    ),
    route(
        "GET",
        "/leaders",
        Access::Overseers,
        "Cơ quan chưa phân công lãnh đạo phụ trách",
        || get(pages::leaders::show_compliance),
    ),
    route(
        "GET",
        "/units/{id}/evaluations",
        Access::SignedIn,
        "Kết quả đánh giá đã công bố của một cơ quan qua các năm",
        || get(pages::results::show_history),
    ),
    route(
        "GET",
        "/assessments/{id}",
        Access::SignedIn,
        "Bản đánh giá của một cơ quan",
        || get(pages::assessments::show_assessment),
    ),
    route(
        "POST",
        "/assessments/{id}",
        Access::Officers,
        "Lưu nháp, gửi bản tự đánh giá (cơ quan)",
        || {
            post(pages::assessments::save_assessment).layer(axum::extract::DefaultBodyLimit::max(
                3 * pages::assessments::MAX_EVIDENCE_BYTES + 256 * 1024,
            ))
        },
    ),
    route(
        "GET",
        "/assessments/{id}/evidence",
        Access::SignedIn,
        "Tải tệp minh chứng của bản đánh giá",
        || get(pages::assessments::download_evidence),
    ),
    route(
        "GET",
        "/assessments/{id}/submit",
        Access::Officers,
        "Xác nhận gửi bản tự đánh giá (cơ quan mình)",
        || get(pages::assessments::confirm_submit),
    ),
    route(
        "POST",
        "/assessments/{id}/submit",
        Access::Officers,
        "Gửi bản tự đánh giá (cơ quan mình)",
        || post(pages::assessments::submit),
    ),
    route(
        "POST",
        "/assessments/{id}/not-submitted",
        Access::Monitor,
        "Đánh dấu cơ quan không nộp bản tự đánh giá, kèm lý do (Sở Nội vụ)",
        || post(pages::assessments::mark_not_submitted),
    ),
    route(
        "POST",
        "/assessments/{id}/appraise",
        Access::Appraisers,
        "Thẩm định, trả lại bản đánh giá",
        || post(pages::assessments::appraise_assessment),
    ),
    route(
        "GET",
        "/evaluations/rubrics",
        Access::SignedIn,
        "Các phiên bản bộ tiêu chí đánh giá",
        || get(pages::rubrics::list_rubrics),
    ),
    route(
        "POST",
        "/evaluations/rubrics/preview",
        Access::UnitManagers,
        "Kiểm tra và xem trước tệp bộ tiêu chí",
        || {
            post(pages::rubrics::preview_rubric).layer(axum::extract::DefaultBodyLimit::max(
                pages::rubrics::MAX_RUBRIC_BYTES + 64 * 1024,
            ))
        },
    ),
    route(
        "POST",
        "/evaluations/rubrics",
        Access::UnitManagers,
        "Lưu phiên bản bộ tiêu chí",
        || post(pages::rubrics::save_rubric),
    ),
    route(
        "GET",
        "/evaluations/rubrics/editor",
        Access::UnitManagers,
        "Soạn bộ tiêu chí trên trình duyệt (mới, hoặc từ một phiên bản có sẵn)",
        || get(pages::rubric_editor::show_editor),
    ),
    route(
        "POST",
        "/evaluations/rubrics/editor",
        Access::UnitManagers,
        "Kiểm tra, chấm thử, lưu bộ tiêu chí đang soạn",
        || post(pages::rubric_editor::post_editor),
    ),
    route(
        "GET",
        "/evaluations/rubrics/{id}/export",
        Access::SignedIn,
        "Tải bộ tiêu chí dưới dạng tệp TOML",
        || get(pages::rubric_editor::export_rubric),
    ),
    route(
        "GET",
        "/evaluations/rubrics/{id}",
        Access::SignedIn,
        "Cây tiêu chí và mức xếp loại",
        || get(pages::rubrics::show_rubric),
    ),
    route(
        "GET",
        "/initiatives",
        Access::SignedIn,
        "Sổ mô hình, điển hình \"Dân vận khéo\" (cơ quan mình; tất cả khi theo dõi)",
        || get(pages::initiatives::list_initiatives),
    ),
    route(
        "GET",
        "/initiatives/new",
        Access::RecordKeepers,
        "Biểu mẫu đăng ký, nhân rộng mô hình, điển hình",
        || get(pages::initiatives::new_initiative_form),
    ),
    route(
        "POST",
        "/initiatives",
        Access::RecordKeepers,
        "Đăng ký mô hình, điển hình (cơ quan mình; Sở Nội vụ)",
        || post(pages::initiatives::register_initiative),
    ),
    route(
        "GET",
        "/initiatives/stats",
        Access::Overseers,
        "Thống kê mô hình, điển hình theo đơn vị, lĩnh vực, năm",
        || get(pages::initiative_stats::show_stats),
    ),
    route(
        "GET",
        "/initiatives/{id}",
        Access::SignedIn,
        "Một mô hình, điển hình: nội dung, quá trình, tệp",
        || get(pages::initiatives::show_initiative),
    ),
    route(
        "POST",
        "/initiatives/{id}/steps",
        Access::RecordKeepers,
        "Ghi nhận bước thực hiện (cơ quan mình); công nhận, khen thưởng (Sở Nội vụ)",
        || post(pages::initiatives::record_step),
    ),
    route(
        "POST",
        "/initiatives/{id}/files",
        Access::RecordKeepers,
        "Tải ảnh, tài liệu của mô hình (cơ quan mình; Sở Nội vụ)",
        || {
            post(pages::initiatives::upload_initiative_files).layer(axum::extract::DefaultBodyLimit::max(
                5 * crate::upload_check::MAX_ATTACHMENT_BYTES + 256 * 1024,
            ))
        },
    ),
    route(
        "GET",
        "/initiative-files/{id}",
        Access::SignedIn,
        "Tải ảnh, tài liệu của mô hình (khi được xem)",
        || get(pages::initiatives::download_initiative_file),
    ),
    route(
        "GET",
        "/gallery",
        Access::Public,
        "Thư viện công khai mô hình, điển hình được công nhận",
        || get(pages::gallery::show_gallery),
    ),
    route(
        "GET",
        "/gallery/{id}",
        Access::Public,
        "Một mô hình, điển hình được công nhận (công khai)",
        || get(pages::gallery::show_public_initiative),
    ),
    route(
        "GET",
        "/training",
        Access::SignedIn,
        "Các lớp tập huấn trong năm, tỷ lệ được tập huấn",
        || get(pages::training::show_training),
    ),
    route(
        "POST",
        "/training/courses",
        Access::RecordKeepers,
        "Thêm lớp tập huấn (cơ quan mình; Sở Nội vụ)",
        || post(pages::training::create_course),
    ),
    route(
        "GET",
        "/training/template.xlsx",
        Access::SignedIn,
        "Tải mẫu danh sách học viên",
        || get(pages::training::attendance_template),
    ),
    route(
        "GET",
        "/training/courses/{id}",
        Access::SignedIn,
        "Một lớp tập huấn và danh sách học viên (khi được xem)",
        || get(pages::training::show_course),
    ),
    route(
        "POST",
        "/training/courses/{id}/attendance",
        Access::RecordKeepers,
        "Thêm một học viên (đơn vị giữ hồ sơ lớp; Sở Nội vụ)",
        || post(pages::training::add_attendee),
    ),
    route(
        "POST",
        "/training/courses/{id}/import",
        Access::RecordKeepers,
        "Nhập danh sách học viên từ Excel (đơn vị giữ hồ sơ lớp; Sở Nội vụ)",
        || {
            post(pages::training::import_attendance).layer(axum::extract::DefaultBodyLimit::max(
                crate::attendance::MAX_BYTES + 64 * 1024,
            ))
        },
    ),
    route(
        "GET",
        "/units/{id}/training",
        Access::SignedIn,
        "Kế hoạch, biên chế, tỷ lệ tập huấn của một cơ quan",
        || get(pages::training::show_unit_training),
    ),
    route(
        "POST",
        "/units/{id}/training",
        Access::RecordKeepers,
        "Lưu kế hoạch tập huấn và biên chế năm (cơ quan mình; Sở Nội vụ)",
        || post(pages::training::save_unit_training),
    ),
    route(
        "GET",
        "/reports",
        Access::SignedIn,
        "Báo cáo định kỳ: báo cáo của đơn vị; các kỳ báo cáo (theo dõi)",
        || get(pages::reports::list_reports),
    ),
    route("POST", "/reports", Access::UnitManagers, "Mở kỳ báo cáo", || {
        post(pages::reports::open_round)
    }),
    route(
        "GET",
        "/reports/kinds",
        Access::SignedIn,
        "Các loại báo cáo định kỳ",
        || get(pages::reports::list_kinds),
    ),
    route(
        "POST",
        "/reports/kinds",
        Access::UnitManagers,
        "Thêm loại báo cáo định kỳ (tệp TOML)",
        || {
            post(pages::reports::upload_kind).layer(axum::extract::DefaultBodyLimit::max(
                pages::reports::MAX_KIND_BYTES + 64 * 1024,
            ))
        },
    ),
    route(
        "GET",
        "/reports/kinds/editor",
        Access::UnitManagers,
        "Soạn loại báo cáo định kỳ trên trình duyệt (mới, hoặc từ một loại có sẵn)",
        || get(pages::report_kind_editor::show_kind_editor),
    ),
    route(
        "POST",
        "/reports/kinds/editor",
        Access::UnitManagers,
        "Kiểm tra, lưu loại báo cáo đang soạn",
        || post(pages::report_kind_editor::post_kind_editor),
    ),
    route(
        "GET",
        "/reports/kinds/{id}/export",
        Access::SignedIn,
        "Tải loại báo cáo dưới dạng tệp TOML",
        || get(pages::report_kind_editor::export_kind),
    ),
    route(
        "GET",
        "/reports/kinds/{id}",
        Access::SignedIn,
        "Đề cương, biểu số liệu của một loại báo cáo",
        || get(pages::reports::show_kind),
    ),
    route(
        "GET",
        "/reports/{id}",
        Access::Overseers,
        "Tỷ lệ nộp báo cáo đúng hạn, muộn, chưa nộp",
        || get(pages::reports::show_round),
    ),
    route(
        "POST",
        "/reports/{id}/close",
        Access::UnitManagers,
        "Đóng kỳ báo cáo",
        || post(pages::reports::close_round),
    ),
    route(
        "GET",
        "/reports/{id}/compile",
        Access::UnitManagers,
        "Tổng hợp báo cáo của tỉnh",
        || get(pages::compilation::show_compilation),
    ),
    route(
        "POST",
        "/reports/{id}/compile",
        Access::UnitManagers,
        "Lưu nội dung báo cáo tổng hợp của tỉnh",
        || post(pages::compilation::save_compilation),
    ),
    export(
        "GET",
        "/reports/{id}/report.docx",
        Access::Overseers,
        "Tải báo cáo tổng hợp của tỉnh (Word)",
        || get(pages::compilation::export_report),
    ),
    export(
        "GET",
        "/reports/{id}/annex.xlsx",
        Access::Overseers,
        "Tải phụ lục số liệu theo cơ quan (Excel)",
        || get(pages::compilation::export_annex),
    ),
    route(
        "GET",
        "/filings/{id}",
        Access::SignedIn,
        "Báo cáo của một cơ quan (cơ quan mình; tất cả khi theo dõi)",
        || get(pages::filings::show_filing),
    ),
    route(
        "POST",
        "/filings/{id}",
        Access::Officers,
        "Lưu nháp, gửi báo cáo định kỳ (cơ quan mình)",
        || {
            post(pages::filings::save_filing).layer(axum::extract::DefaultBodyLimit::max(
                5 * crate::upload_check::MAX_ATTACHMENT_BYTES + 512 * 1024,
            ))
        },
    ),
    route(
        "GET",
        "/filings/{id}/submit",
        Access::Officers,
        "Xác nhận gửi báo cáo định kỳ (cơ quan mình)",
        || get(pages::filings::confirm_submit),
    ),
    route(
        "POST",
        "/filings/{id}/submit",
        Access::Officers,
        "Gửi báo cáo định kỳ (cơ quan mình)",
        || post(pages::filings::submit),
    ),
    route(
        "POST",
        "/filings/{id}/review",
        Access::UnitManagers,
        "Tiếp nhận hoặc trả lại báo cáo định kỳ",
        || post(pages::filings::review_filing),
    ),
    route(
        "GET",
        "/filing-files/{id}",
        Access::SignedIn,
        "Tải tệp đính kèm báo cáo định kỳ (khi được xem)",
        || get(pages::filings::download_filing_file),
    ),
    route(
        "GET",
        "/audit",
        Access::Admins,
        "Nhật ký thay đổi dữ liệu",
        || get(pages::audit::list_audit),
    ),
    route(
        "GET",
        "/audit/export",
        Access::Admins,
        "Tải nhật ký thay đổi theo bộ lọc (.xlsx)",
        || get(pages::audit::export_audit),
    ),
    route(
        "GET",
        "/audit/{id}",
        Access::Admins,
        "Bản ghi gốc của nhật ký thay đổi",
        || get(pages::audit::show_record),
    ),
    route(
        "GET",
        "/admin/accounts",
        Access::Admins,
        "Danh sách tài khoản",
        || get(pages::accounts::list_accounts),
    ),
    route(
        "GET",
        "/admin/accounts/new",
        Access::Admins,
        "Biểu mẫu thêm tài khoản",
        || get(pages::accounts::new_account_form),
    ),
    route(
        "POST",
        "/admin/accounts",
        Access::Admins,
        "Thêm tài khoản (mật khẩu dùng một lần)",
        || post(pages::accounts::create_account),
    ),
    route(
        "GET",
        "/admin/accounts/{id}",
        Access::Admins,
        "Thông tin một tài khoản",
        || get(pages::accounts::show_account),
    ),
    route(
        "POST",
        "/admin/accounts/{id}/role",
        Access::Admins,
        "Đổi vai trò, đơn vị của tài khoản (nhập lại mật khẩu)",
        || post(pages::accounts::change_role),
    ),
    route(
        "POST",
        "/admin/accounts/{id}/password",
        Access::Admins,
        "Cấp mật khẩu dùng một lần",
        || post(pages::accounts::reset_password),
    ),
    route(
        "POST",
        "/admin/accounts/{id}/disabled",
        Access::Admins,
        "Khóa, mở khóa tài khoản",
        || post(pages::accounts::set_disabled),
    ),
    route(
        "POST",
        "/admin/accounts/{id}/sessions",
        Access::Admins,
        "Kết thúc mọi phiên đăng nhập của tài khoản",
        || post(pages::accounts::end_sessions),
    ),
    route(
        "GET",
        "/admin/permissions",
        Access::Admins,
        "Bảng phân quyền",
        || get(pages::admin::permissions),
    ),
    route(
        "GET",
        "/admin/self-check",
        Access::Admins,
        "Tự kiểm tra an toàn thông tin",
        || get(pages::admin::self_check),
    ),
    route(
        "GET",
        "/admin/person",
        Access::Admins,
        "Biểu mẫu tìm dữ liệu về một người (theo yêu cầu của người đó)",
        || get(pages::admin::show_person),
    ),
    route(
        "POST",
        "/admin/person",
        Access::Admins,
        "Dữ liệu hệ thống lưu giữ về một người (tên gửi trong thân yêu cầu, không trong địa chỉ)",
        || post(pages::admin::find_person),
    ),
    route(
        "GET",
        "/admin/personal-data",
        Access::Admins,
        "Danh mục dữ liệu cá nhân hệ thống lưu giữ",
        || get(pages::admin::personal_data),
    ),
    route(
        "GET",
        "/admin/outbox",
        Access::Admins,
        "Thư đi: thư đã gửi, đang chờ gửi lại và gửi không được",
        || get(pages::admin::outbox),
    ),
    route(
        "POST",
        "/admin/outbox/{id}/retry",
        Access::Admins,
        "Gửi lại một thư đã gửi không được",
        || post(pages::admin::retry_outbox),
    ),
];

pub fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new();
    for spec in ROUTES {
        let checked =
            (spec.handler)().route_layer(axum::middleware::from_fn_with_state((state.clone(), *spec), require));
        router = router.route(spec.path, checked);
    }
    router.fallback(|| async { AppError::NotFound })
}

/// Applies a route's rule before its handler runs.
async fn require(State((state, spec)): State<(AppState, RouteSpec)>, request: Request, next: Next) -> Response {
    let mut response = checked(&state, spec, request, next).await;
    // The route's pattern, for the metrics (read by the outer middleware).
    response
        .extensions_mut()
        .insert(crate::metrics::RoutePattern(spec.path));
    response
}

async fn checked(state: &AppState, spec: RouteSpec, request: Request, next: Next) -> Response {
    if spec.access == Access::Public {
        return next.run(request).await;
    }
    if crate::api::is_api(spec.path) {
        // A call of the API: its token's account's role and the token's scopes, answered in
        // the API's shape (the pages' redirects to sign in and to change a password do not apply).
        let allowed = request
            .extensions()
            .get::<CurrentUser>()
            .is_some_and(|user| spec.access.allows(user.role));
        return match crate::api::refuse(&request, allowed) {
            Some(refusal) => refusal,
            None => next.run(request).await,
        };
    }
    if spec.access == Access::Peers {
        // The connection's own address (or the one a test's `MockConnectInfo` stands in for, as
        // axum's own extractor reads it); a forwarded header is never asked.
        let extensions = request.extensions();
        let peer = extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0)
            .or_else(|| {
                extensions
                    .get::<axum::extract::connect_info::MockConnectInfo<std::net::SocketAddr>>()
                    .map(|mock| mock.0)
            })
            .map(|addr| addr.ip().to_canonical());
        return match peer {
            Some(peer) if state.config.metrics_peers.iter().any(|p| p.to_canonical() == peer) => {
                next.run(request).await
            }
            _ => {
                tracing::warn!(?peer, route = spec.path, "peer not in the settings list");
                AppError::Forbidden.into_response()
            }
        };
    }
    let Some(user) = request.extensions().get::<CurrentUser>() else {
        tracing::info!(route = spec.path, "not signed in");
        return if request.method() == Method::GET {
            let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let next: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", path)
                .finish();
            Redirect::to(&format!("/login?{next}")).into_response()
        } else {
            Redirect::to("/login").into_response()
        };
    };
    if user.must_change_password && !spec.before_password_change {
        return Redirect::to("/account/password").into_response();
    }
    if user.role == Role::Admin && state.config.require_admin_totp && !user.has_totp && !spec.before_password_change {
        return Redirect::to("/account/totp").into_response();
    }
    if !spec.access.allows(user.role) {
        tracing::warn!(account = user.account_id, route = spec.path, "permission denied");
        return AppError::Forbidden.into_response();
    }
    if spec.recent_auth {
        let user = user.clone();
        let path = request.uri().to_string();
        match pages::account::require_recent_auth(state, &user, &path).await {
            Ok(Some(ask)) => return ask,
            Ok(None) => {}
            Err(error) => return error.into_response(),
        }
    }
    next.run(request).await
}
