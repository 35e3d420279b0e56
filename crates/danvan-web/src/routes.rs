//! The authorization table, and the router built from it.
//!
//! [`ROUTES`] lists every route with the rule for who may call it. [`router`] builds the axum
//! router from this table and nothing else, so a route that is not in the table cannot be
//! reached; the authorization test walks the table with every role. The table is shown to
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
}

const fn route(method: &'static str, path: &'static str, access: Access, purpose: &'static str) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        before_password_change: false,
        purpose,
        recent_auth: false,
    }
}

const fn early(method: &'static str, path: &'static str, access: Access, purpose: &'static str) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        before_password_change: true,
        purpose,
        recent_auth: false,
    }
}

/// A bulk export: as [`route`], and the password is asked again when the sign-in is not recent.
const fn export(method: &'static str, path: &'static str, access: Access, purpose: &'static str) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        before_password_change: false,
        purpose,
        recent_auth: true,
    }
}

pub const ROUTES: &[RouteSpec] = &[
    early("GET", "/healthz", Access::Public, "Kiểm tra hệ thống còn hoạt động"),
    early("GET", "/static/style.css", Access::Public, "Bảng định dạng giao diện"),
    early("GET", "/login", Access::Public, "Trang đăng nhập"),
    early("POST", "/login", Access::Public, "Đăng nhập"),
    early("POST", "/logout", Access::SignedIn, "Đăng xuất"),
    early("GET", "/account/password", Access::SignedIn, "Trang đổi mật khẩu"),
    early("POST", "/account/password", Access::SignedIn, "Đổi mật khẩu của mình"),
    early(
        "GET",
        "/account/totp",
        Access::SignedIn,
        "Xác thực hai lớp (mã TOTP) của mình",
    ),
    early(
        "POST",
        "/account/totp",
        Access::SignedIn,
        "Bật, tắt xác thực hai lớp của mình",
    ),
    route(
        "GET",
        "/account/data.json",
        Access::SignedIn,
        "Tải dữ liệu hệ thống lưu giữ về mình",
    ),
    route(
        "GET",
        "/account/confirm",
        Access::SignedIn,
        "Nhập lại mật khẩu trước thao tác nhạy cảm",
    ),
    route("POST", "/account/confirm", Access::SignedIn, "Xác nhận mật khẩu"),
    route(
        "GET",
        "/account/sessions",
        Access::SignedIn,
        "Các phiên đăng nhập của mình",
    ),
    route(
        "POST",
        "/account/sessions",
        Access::SignedIn,
        "Kết thúc phiên đăng nhập khác của mình",
    ),
    route("GET", "/", Access::SignedIn, "Trang chủ theo vai trò"),
    route(
        "GET",
        "/queue/{kind}",
        Access::SignedIn,
        "Việc cần làm của vai trò (mỗi loại việc chỉ cho vai trò của nó)",
    ),
    route("GET", "/units", Access::SignedIn, "Cây đơn vị tại một ngày"),
    route("GET", "/units/new", Access::UnitManagers, "Biểu mẫu thêm đơn vị"),
    route("POST", "/units", Access::UnitManagers, "Thêm đơn vị"),
    route("GET", "/units/{id}", Access::SignedIn, "Thông tin một đơn vị"),
    route("GET", "/units/{id}/edit", Access::UnitManagers, "Biểu mẫu sửa đơn vị"),
    route("POST", "/units/{id}/edit", Access::UnitManagers, "Sửa đơn vị"),
    route(
        "GET",
        "/units/{id}/close",
        Access::UnitManagers,
        "Biểu mẫu kết thúc đơn vị",
    ),
    route(
        "POST",
        "/units/{id}/close",
        Access::UnitManagers,
        "Kết thúc đơn vị, ghi đơn vị kế thừa",
    ),
    route("GET", "/documents", Access::SignedIn, "Thư viện văn bản, tìm kiếm"),
    route("GET", "/documents/new", Access::UnitManagers, "Biểu mẫu thêm văn bản"),
    route(
        "POST",
        "/documents/preview",
        Access::UnitManagers,
        "Đọc văn bản tải lên để soát",
    ),
    route("POST", "/documents", Access::UnitManagers, "Lưu văn bản vào thư viện"),
    route(
        "GET",
        "/documents/{id}",
        Access::SignedIn,
        "Thông tin văn bản, viện dẫn",
    ),
    route(
        "GET",
        "/documents/{id}/file",
        Access::SignedIn,
        "Tải tệp gốc của văn bản",
    ),
    route(
        "GET",
        "/addressees",
        Access::UnitManagers,
        "Nơi nhận chưa xác định đơn vị",
    ),
    route(
        "POST",
        "/addressees",
        Access::UnitManagers,
        "Ghi nhớ đơn vị của nơi nhận",
    ),
    route(
        "GET",
        "/directives",
        Access::SignedIn,
        "Danh sách chỉ đạo, nhiệm vụ của đơn vị",
    ),
    route("GET", "/directives/new", Access::UnitManagers, "Biểu mẫu giao nhiệm vụ"),
    route("POST", "/directives", Access::UnitManagers, "Giao nhiệm vụ"),
    route(
        "GET",
        "/directives/{id}/cancel",
        Access::UnitManagers,
        "Xác nhận hủy một chỉ đạo (nói rõ hệ quả, hỏi lý do)",
    ),
    route(
        "POST",
        "/directives/{id}/cancel",
        Access::UnitManagers,
        "Hủy một chỉ đạo với lý do",
    ),
    route(
        "POST",
        "/tasks/{id}/edit",
        Access::UnitManagers,
        "Sửa nội dung một nhiệm vụ đã giao",
    ),
    route(
        "POST",
        "/tasks/{id}/extend",
        Access::UnitManagers,
        "Gia hạn một nhiệm vụ cho mọi đơn vị đang thực hiện, với lý do",
    ),
    route(
        "POST",
        "/tasks/{id}/assign",
        Access::UnitManagers,
        "Giao thêm một đơn vị vào nhiệm vụ",
    ),
    route(
        "GET",
        "/tasks/{id}/cancel",
        Access::UnitManagers,
        "Xác nhận hủy một nhiệm vụ (nói rõ hệ quả, hỏi lý do)",
    ),
    route(
        "POST",
        "/tasks/{id}/cancel",
        Access::UnitManagers,
        "Hủy một nhiệm vụ với lý do",
    ),
    route(
        "POST",
        "/assignments/{id}/extend",
        Access::UnitManagers,
        "Gia hạn nhiệm vụ cho một đơn vị, với lý do",
    ),
    route(
        "GET",
        "/assignments/{id}/withdraw",
        Access::UnitManagers,
        "Xác nhận rút một đơn vị khỏi nhiệm vụ (nói rõ hệ quả, hỏi lý do)",
    ),
    route(
        "POST",
        "/assignments/{id}/withdraw",
        Access::UnitManagers,
        "Rút một đơn vị khỏi nhiệm vụ với lý do",
    ),
    route(
        "GET",
        "/directives/{id}",
        Access::SignedIn,
        "Một chỉ đạo và tình trạng các nhiệm vụ",
    ),
    route(
        "GET",
        "/assignments/{id}",
        Access::SignedIn,
        "Nhiệm vụ của một đơn vị, báo cáo tiến độ",
    ),
    route(
        "POST",
        "/assignments/{id}/reports",
        Access::SignedIn,
        "Gửi báo cáo tiến độ (đơn vị được giao)",
    ),
    route(
        "POST",
        "/reports/{id}/review",
        Access::UnitManagers,
        "Chấp nhận hoặc trả lại báo cáo",
    ),
    route("GET", "/attachments/{id}", Access::SignedIn, "Tải tệp đính kèm báo cáo"),
    route("GET", "/inbox", Access::SignedIn, "Nhắc việc của đơn vị"),
    route("GET", "/board", Access::Overseers, "Bảng theo dõi thực hiện nhiệm vụ"),
    export("GET", "/board.xlsx", Access::Overseers, "Xuất bảng theo dõi ra Excel"),
    route("GET", "/calendar", Access::SignedIn, "Lịch ngày làm việc"),
    route("POST", "/calendar", Access::Admins, "Điều chỉnh lịch ngày làm việc"),
    route("GET", "/evaluations", Access::SignedIn, "Các đợt đánh giá, xếp loại"),
    route("POST", "/evaluations", Access::UnitManagers, "Mở đợt đánh giá"),
    route(
        "GET",
        "/evaluations/{id}",
        Access::SignedIn,
        "Một đợt đánh giá: bản đánh giá, kết quả",
    ),
    route(
        "POST",
        "/evaluations/{id}/extend",
        Access::Monitor,
        "Gia hạn tự chấm, thẩm định cho cả đợt hoặc một cơ quan (Sở Nội vụ)",
    ),
    route(
        "GET",
        "/evaluations/{id}/finalize",
        Access::Monitor,
        "Xác nhận tổng hợp kết quả: điều sẽ xảy ra (Sở Nội vụ)",
    ),
    route(
        "POST",
        "/evaluations/{id}/finalize",
        Access::Monitor,
        "Tổng hợp, xếp loại, xếp hạng (Sở Nội vụ)",
    ),
    route(
        "POST",
        "/evaluations/{id}/publish",
        Access::Leaders,
        "Phê duyệt, công bố kết quả (lãnh đạo)",
    ),
    export(
        "GET",
        "/evaluations/{id}/decision.docx",
        Access::Overseers,
        "Dự thảo quyết định công bố kết quả (Word)",
    ),
    export(
        "GET",
        "/evaluations/{id}/results.xlsx",
        Access::SignedIn,
        "Xuất kết quả đánh giá ra Excel (khi được xem)",
    ),
    route(
        "GET",
        "/units/{id}/leaders",
        Access::SignedIn,
        "Lãnh đạo phụ trách công tác dân vận của một cơ quan",
    ),
    route(
        "POST",
        "/units/{id}/leaders",
        Access::RecordKeepers,
        "Phân công lãnh đạo phụ trách (cơ quan mình; Sở Nội vụ)",
    ),
    route(
        "GET",
        "/units/{id}/dissemination",
        Access::SignedIn,
        "Các buổi phổ biến văn bản của một cơ quan",
    ),
    route(
        "POST",
        "/units/{id}/dissemination",
        Access::RecordKeepers,
        "Ghi nhận buổi phổ biến văn bản (cơ quan mình; Sở Nội vụ)",
    ),
    route(
        "GET",
        "/dissemination",
        Access::Overseers,
        "Tình hình phổ biến văn bản theo từng văn bản",
    ),
    route(
        "GET",
        "/leaders",
        Access::Overseers,
        "Cơ quan chưa phân công lãnh đạo phụ trách",
    ),
    route(
        "GET",
        "/units/{id}/evaluations",
        Access::SignedIn,
        "Kết quả đánh giá đã công bố của một cơ quan qua các năm",
    ),
    route(
        "GET",
        "/assessments/{id}",
        Access::SignedIn,
        "Bản đánh giá của một cơ quan",
    ),
    route(
        "POST",
        "/assessments/{id}",
        Access::Officers,
        "Lưu nháp, gửi bản tự đánh giá (cơ quan)",
    ),
    route(
        "GET",
        "/assessments/{id}/evidence",
        Access::SignedIn,
        "Tải tệp minh chứng của bản đánh giá",
    ),
    route(
        "POST",
        "/assessments/{id}/not-submitted",
        Access::Monitor,
        "Đánh dấu cơ quan không nộp bản tự đánh giá, kèm lý do (Sở Nội vụ)",
    ),
    route(
        "POST",
        "/assessments/{id}/appraise",
        Access::Appraisers,
        "Thẩm định, trả lại bản đánh giá",
    ),
    route(
        "GET",
        "/evaluations/rubrics",
        Access::SignedIn,
        "Các phiên bản bộ tiêu chí đánh giá",
    ),
    route(
        "POST",
        "/evaluations/rubrics/preview",
        Access::Admins,
        "Kiểm tra và xem trước tệp bộ tiêu chí",
    ),
    route(
        "POST",
        "/evaluations/rubrics",
        Access::Admins,
        "Lưu phiên bản bộ tiêu chí",
    ),
    route(
        "GET",
        "/evaluations/rubrics/{id}",
        Access::SignedIn,
        "Cây tiêu chí và mức xếp loại",
    ),
    route(
        "GET",
        "/initiatives",
        Access::SignedIn,
        "Sổ mô hình, điển hình \"Dân vận khéo\" (cơ quan mình; tất cả khi theo dõi)",
    ),
    route(
        "GET",
        "/initiatives/new",
        Access::RecordKeepers,
        "Biểu mẫu đăng ký, nhân rộng mô hình, điển hình",
    ),
    route(
        "POST",
        "/initiatives",
        Access::RecordKeepers,
        "Đăng ký mô hình, điển hình (cơ quan mình; Sở Nội vụ)",
    ),
    route(
        "GET",
        "/initiatives/stats",
        Access::Overseers,
        "Thống kê mô hình, điển hình theo đơn vị, lĩnh vực, năm",
    ),
    route(
        "GET",
        "/initiatives/{id}",
        Access::SignedIn,
        "Một mô hình, điển hình: nội dung, quá trình, tệp",
    ),
    route(
        "POST",
        "/initiatives/{id}/steps",
        Access::RecordKeepers,
        "Ghi nhận bước thực hiện (cơ quan mình); công nhận, khen thưởng (Sở Nội vụ)",
    ),
    route(
        "POST",
        "/initiatives/{id}/files",
        Access::RecordKeepers,
        "Tải ảnh, tài liệu của mô hình (cơ quan mình; Sở Nội vụ)",
    ),
    route(
        "GET",
        "/initiative-files/{id}",
        Access::SignedIn,
        "Tải ảnh, tài liệu của mô hình (khi được xem)",
    ),
    route(
        "GET",
        "/gallery",
        Access::Public,
        "Thư viện công khai mô hình, điển hình được công nhận",
    ),
    route(
        "GET",
        "/gallery/{id}",
        Access::Public,
        "Một mô hình, điển hình được công nhận (công khai)",
    ),
    route(
        "GET",
        "/training",
        Access::SignedIn,
        "Các lớp tập huấn trong năm, tỷ lệ được tập huấn",
    ),
    route(
        "POST",
        "/training/courses",
        Access::RecordKeepers,
        "Thêm lớp tập huấn (cơ quan mình; Sở Nội vụ)",
    ),
    route(
        "GET",
        "/training/template.xlsx",
        Access::SignedIn,
        "Tải mẫu danh sách học viên",
    ),
    route(
        "GET",
        "/training/courses/{id}",
        Access::SignedIn,
        "Một lớp tập huấn và danh sách học viên (khi được xem)",
    ),
    route(
        "POST",
        "/training/courses/{id}/attendance",
        Access::RecordKeepers,
        "Thêm một học viên (đơn vị giữ hồ sơ lớp; Sở Nội vụ)",
    ),
    route(
        "POST",
        "/training/courses/{id}/import",
        Access::RecordKeepers,
        "Nhập danh sách học viên từ Excel (đơn vị giữ hồ sơ lớp; Sở Nội vụ)",
    ),
    route(
        "GET",
        "/units/{id}/training",
        Access::SignedIn,
        "Kế hoạch, biên chế, tỷ lệ tập huấn của một cơ quan",
    ),
    route(
        "POST",
        "/units/{id}/training",
        Access::RecordKeepers,
        "Lưu kế hoạch tập huấn và biên chế năm (cơ quan mình; Sở Nội vụ)",
    ),
    route(
        "GET",
        "/reports",
        Access::SignedIn,
        "Báo cáo định kỳ: báo cáo của đơn vị; các kỳ báo cáo (theo dõi)",
    ),
    route("POST", "/reports", Access::UnitManagers, "Mở kỳ báo cáo"),
    route("GET", "/reports/kinds", Access::SignedIn, "Các loại báo cáo định kỳ"),
    route(
        "POST",
        "/reports/kinds",
        Access::Admins,
        "Thêm loại báo cáo định kỳ (tệp TOML)",
    ),
    route(
        "GET",
        "/reports/kinds/{id}",
        Access::SignedIn,
        "Đề cương, biểu số liệu của một loại báo cáo",
    ),
    route(
        "GET",
        "/reports/{id}",
        Access::Overseers,
        "Tỷ lệ nộp báo cáo đúng hạn, muộn, chưa nộp",
    ),
    route("POST", "/reports/{id}/close", Access::UnitManagers, "Đóng kỳ báo cáo"),
    route(
        "GET",
        "/reports/{id}/compile",
        Access::UnitManagers,
        "Tổng hợp báo cáo của tỉnh",
    ),
    route(
        "POST",
        "/reports/{id}/compile",
        Access::UnitManagers,
        "Lưu nội dung báo cáo tổng hợp của tỉnh",
    ),
    export(
        "GET",
        "/reports/{id}/report.docx",
        Access::Overseers,
        "Tải báo cáo tổng hợp của tỉnh (Word)",
    ),
    export(
        "GET",
        "/reports/{id}/annex.xlsx",
        Access::Overseers,
        "Tải phụ lục số liệu theo cơ quan (Excel)",
    ),
    route(
        "GET",
        "/filings/{id}",
        Access::SignedIn,
        "Báo cáo của một cơ quan (cơ quan mình; tất cả khi theo dõi)",
    ),
    route(
        "POST",
        "/filings/{id}",
        Access::Officers,
        "Lưu nháp, gửi báo cáo định kỳ (cơ quan mình)",
    ),
    route(
        "POST",
        "/filings/{id}/review",
        Access::UnitManagers,
        "Tiếp nhận hoặc trả lại báo cáo định kỳ",
    ),
    route(
        "GET",
        "/filing-files/{id}",
        Access::SignedIn,
        "Tải tệp đính kèm báo cáo định kỳ (khi được xem)",
    ),
    route("GET", "/audit", Access::Admins, "Nhật ký thay đổi dữ liệu"),
    route("GET", "/admin/permissions", Access::Admins, "Bảng phân quyền"),
    route(
        "GET",
        "/admin/self-check",
        Access::Admins,
        "Tự kiểm tra an toàn thông tin",
    ),
    route(
        "GET",
        "/admin/person",
        Access::Admins,
        "Biểu mẫu tìm dữ liệu về một người (theo yêu cầu của người đó)",
    ),
    route(
        "POST",
        "/admin/person",
        Access::Admins,
        "Dữ liệu hệ thống lưu giữ về một người (tên gửi trong thân yêu cầu, không trong địa chỉ)",
    ),
    route(
        "GET",
        "/admin/personal-data",
        Access::Admins,
        "Danh mục dữ liệu cá nhân hệ thống lưu giữ",
    ),
    route(
        "GET",
        "/admin/outbox",
        Access::Admins,
        "Thư đi: thư đã gửi, đang chờ gửi lại và gửi không được",
    ),
    route(
        "POST",
        "/admin/outbox/{id}/retry",
        Access::Admins,
        "Gửi lại một thư đã gửi không được",
    ),
];

/// The handler of a route in the table. A line without a handler stops the program at start,
/// and every test, at once.
fn handler(spec: &RouteSpec) -> MethodRouter<AppState> {
    match (spec.method, spec.path) {
        ("GET", "/healthz") => get(pages::health::healthz),
        ("GET", "/static/style.css") => get(pages::assets::stylesheet),
        ("GET", "/login") => get(pages::login::show_login),
        ("POST", "/login") => post(pages::login::submit_login),
        ("POST", "/logout") => post(pages::login::logout),
        ("GET", "/account/password") => get(pages::account::show_password_form),
        ("POST", "/account/password") => post(pages::account::change_password),
        ("GET", "/account/totp") => get(pages::account::show_totp),
        ("POST", "/account/totp") => post(pages::account::change_totp),
        ("GET", "/account/data.json") => get(pages::account::export_own_data),
        ("GET", "/account/confirm") => get(pages::account::show_confirm),
        ("POST", "/account/confirm") => post(pages::account::submit_confirm),
        ("GET", "/account/sessions") => get(pages::account::show_sessions),
        ("POST", "/account/sessions") => post(pages::account::end_sessions),
        ("GET", "/") => get(pages::home::home),
        ("GET", "/queue/{kind}") => get(pages::queue::show_queue),
        ("GET", "/units") => get(pages::units::list_units),
        ("GET", "/units/new") => get(pages::units::new_unit_form),
        ("POST", "/units") => post(pages::units::create_unit),
        ("GET", "/units/{id}") => get(pages::units::show_unit),
        ("GET", "/units/{id}/edit") => get(pages::units::edit_unit_form),
        ("POST", "/units/{id}/edit") => post(pages::units::update_unit),
        ("GET", "/units/{id}/close") => get(pages::units::close_unit_form),
        ("POST", "/units/{id}/close") => post(pages::units::close_unit),
        ("GET", "/documents") => get(pages::documents::list_documents),
        ("GET", "/documents/new") => get(pages::documents::new_document_form),
        // An upload may be larger than the 2 MB every other request is held to.
        ("POST", "/documents/preview") => post(pages::documents::preview_document).layer(
            axum::extract::DefaultBodyLimit::max(crate::library::MAX_DOCUMENT_BYTES + 64 * 1024),
        ),
        ("POST", "/documents") => post(pages::documents::save_document),
        ("GET", "/documents/{id}") => get(pages::documents::show_document),
        ("GET", "/documents/{id}/file") => get(pages::documents::download_document_file),
        ("GET", "/addressees") => get(pages::documents::list_addressees),
        ("POST", "/addressees") => post(pages::documents::map_addressee),
        ("GET", "/directives") => get(pages::directives::list_directives),
        ("GET", "/directives/new") => get(pages::directives::new_directive_form),
        ("POST", "/directives") => post(pages::directives::create_directive),
        ("GET", "/directives/{id}") => get(pages::directives::show_directive),
        ("GET", "/directives/{id}/cancel") => get(pages::directive_changes::confirm_cancel_directive),
        ("POST", "/directives/{id}/cancel") => post(pages::directive_changes::cancel_directive),
        ("POST", "/tasks/{id}/edit") => post(pages::directive_changes::edit_task),
        ("POST", "/tasks/{id}/extend") => post(pages::directive_changes::extend_task),
        ("POST", "/tasks/{id}/assign") => post(pages::directive_changes::add_agency),
        ("GET", "/tasks/{id}/cancel") => get(pages::directive_changes::confirm_cancel_task),
        ("POST", "/tasks/{id}/cancel") => post(pages::directive_changes::cancel_task),
        ("POST", "/assignments/{id}/extend") => post(pages::directive_changes::extend_assignment),
        ("GET", "/assignments/{id}/withdraw") => get(pages::directive_changes::confirm_withdraw),
        ("POST", "/assignments/{id}/withdraw") => post(pages::directive_changes::withdraw),
        ("GET", "/assignments/{id}") => get(pages::assignments::show_assignment),
        ("POST", "/assignments/{id}/reports") => post(pages::assignments::submit_report).layer(
            axum::extract::DefaultBodyLimit::max(5 * crate::upload_check::MAX_ATTACHMENT_BYTES + 256 * 1024),
        ),
        ("POST", "/reports/{id}/review") => post(pages::assignments::review_report),
        ("GET", "/attachments/{id}") => get(pages::assignments::download_attachment),
        ("GET", "/inbox") => get(pages::calendar::show_inbox),
        ("GET", "/board") => get(pages::board::show_board),
        ("GET", "/board.xlsx") => get(pages::board::export_board),
        ("GET", "/calendar") => get(pages::calendar::show_calendar),
        ("POST", "/calendar") => post(pages::calendar::change_calendar),
        ("GET", "/evaluations") => get(pages::evaluations::list_cycles),
        ("POST", "/evaluations") => post(pages::evaluations::open_cycle),
        ("GET", "/evaluations/{id}") => get(pages::evaluations::show_cycle),
        ("POST", "/evaluations/{id}/extend") => post(pages::evaluations::extend_deadline),
        ("POST", "/assessments/{id}/not-submitted") => post(pages::assessments::mark_not_submitted),
        ("GET", "/evaluations/{id}/finalize") => get(pages::evaluations::confirm_finalize),
        ("POST", "/evaluations/{id}/finalize") => post(pages::evaluations::finalize_cycle),
        ("POST", "/evaluations/{id}/publish") => post(pages::evaluations::publish_cycle),
        ("GET", "/evaluations/{id}/decision.docx") => get(pages::results::export_decision),
        ("GET", "/evaluations/{id}/results.xlsx") => get(pages::results::export_results),
        ("GET", "/units/{id}/evaluations") => get(pages::results::show_history),
        ("GET", "/units/{id}/leaders") => get(pages::leaders::show_leaders),
        ("POST", "/units/{id}/leaders") => post(pages::leaders::assign_leader),
        ("GET", "/leaders") => get(pages::leaders::show_compliance),
        ("GET", "/units/{id}/dissemination") => get(pages::dissemination::show_unit_dissemination),
        ("POST", "/units/{id}/dissemination") => post(pages::dissemination::record_dissemination),
        ("GET", "/dissemination") => get(pages::dissemination::show_overview),
        ("GET", "/assessments/{id}") => get(pages::assessments::show_assessment),
        ("POST", "/assessments/{id}") => post(pages::assessments::save_assessment).layer(
            axum::extract::DefaultBodyLimit::max(3 * pages::assessments::MAX_EVIDENCE_BYTES + 256 * 1024),
        ),
        ("GET", "/assessments/{id}/evidence") => get(pages::assessments::download_evidence),
        ("POST", "/assessments/{id}/appraise") => post(pages::assessments::appraise_assessment),
        ("GET", "/evaluations/rubrics") => get(pages::rubrics::list_rubrics),
        ("POST", "/evaluations/rubrics/preview") => post(pages::rubrics::preview_rubric).layer(
            axum::extract::DefaultBodyLimit::max(pages::rubrics::MAX_RUBRIC_BYTES + 64 * 1024),
        ),
        ("POST", "/evaluations/rubrics") => post(pages::rubrics::save_rubric),
        ("GET", "/evaluations/rubrics/{id}") => get(pages::rubrics::show_rubric),
        ("GET", "/initiatives") => get(pages::initiatives::list_initiatives),
        ("GET", "/initiatives/new") => get(pages::initiatives::new_initiative_form),
        ("POST", "/initiatives") => post(pages::initiatives::register_initiative),
        ("GET", "/initiatives/stats") => get(pages::initiatives::show_stats),
        ("GET", "/initiatives/{id}") => get(pages::initiatives::show_initiative),
        ("POST", "/initiatives/{id}/steps") => post(pages::initiatives::record_step),
        ("POST", "/initiatives/{id}/files") => post(pages::initiatives::upload_initiative_files).layer(
            axum::extract::DefaultBodyLimit::max(5 * crate::upload_check::MAX_ATTACHMENT_BYTES + 256 * 1024),
        ),
        ("GET", "/initiative-files/{id}") => get(pages::initiatives::download_initiative_file),
        ("GET", "/gallery") => get(pages::initiatives::show_gallery),
        ("GET", "/gallery/{id}") => get(pages::initiatives::show_public_initiative),
        ("GET", "/training") => get(pages::training::show_training),
        ("POST", "/training/courses") => post(pages::training::create_course),
        ("GET", "/training/template.xlsx") => get(pages::training::attendance_template),
        ("GET", "/training/courses/{id}") => get(pages::training::show_course),
        ("POST", "/training/courses/{id}/attendance") => post(pages::training::add_attendee),
        ("POST", "/training/courses/{id}/import") => post(pages::training::import_attendance).layer(
            axum::extract::DefaultBodyLimit::max(crate::attendance::MAX_BYTES + 64 * 1024),
        ),
        ("GET", "/units/{id}/training") => get(pages::training::show_unit_training),
        ("POST", "/units/{id}/training") => post(pages::training::save_unit_training),
        ("GET", "/reports") => get(pages::reports::list_reports),
        ("POST", "/reports") => post(pages::reports::open_round),
        ("GET", "/reports/kinds") => get(pages::reports::list_kinds),
        ("POST", "/reports/kinds") => post(pages::reports::upload_kind).layer(axum::extract::DefaultBodyLimit::max(
            pages::reports::MAX_KIND_BYTES + 64 * 1024,
        )),
        ("GET", "/reports/kinds/{id}") => get(pages::reports::show_kind),
        ("GET", "/reports/{id}") => get(pages::reports::show_round),
        ("POST", "/reports/{id}/close") => post(pages::reports::close_round),
        ("GET", "/reports/{id}/compile") => get(pages::reports::show_compilation),
        ("POST", "/reports/{id}/compile") => post(pages::reports::save_compilation),
        ("GET", "/reports/{id}/report.docx") => get(pages::reports::export_report),
        ("GET", "/reports/{id}/annex.xlsx") => get(pages::reports::export_annex),
        ("GET", "/filings/{id}") => get(pages::reports::show_filing),
        ("POST", "/filings/{id}") => post(pages::reports::save_filing).layer(axum::extract::DefaultBodyLimit::max(
            5 * crate::upload_check::MAX_ATTACHMENT_BYTES + 512 * 1024,
        )),
        ("POST", "/filings/{id}/review") => post(pages::reports::review_filing),
        ("GET", "/filing-files/{id}") => get(pages::reports::download_filing_file),
        ("GET", "/audit") => get(pages::audit::list_audit),
        ("GET", "/admin/permissions") => get(pages::admin::permissions),
        ("GET", "/admin/self-check") => get(pages::admin::self_check),
        ("GET", "/admin/person") => get(pages::admin::show_person),
        ("POST", "/admin/person") => post(pages::admin::find_person),
        ("GET", "/admin/personal-data") => get(pages::admin::personal_data),
        ("GET", "/admin/outbox") => get(pages::admin::outbox),
        ("POST", "/admin/outbox/{id}/retry") => post(pages::admin::retry_outbox),
        (method, path) => panic!("route {method} {path} is in the table but has no handler"),
    }
}

pub fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new();
    for spec in ROUTES {
        let checked = handler(spec).route_layer(axum::middleware::from_fn_with_state((state.clone(), *spec), require));
        router = router.route(spec.path, checked);
    }
    router.fallback(|| async { AppError::NotFound })
}

/// Applies a route's rule before its handler runs.
async fn require(State((state, spec)): State<(AppState, RouteSpec)>, request: Request, next: Next) -> Response {
    if spec.access == Access::Public {
        return next.run(request).await;
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
        match pages::account::require_recent_auth(&state, &user, &path).await {
            Ok(Some(ask)) => return ask,
            Ok(None) => {}
            Err(error) => return error.into_response(),
        }
    }
    next.run(request).await
}
