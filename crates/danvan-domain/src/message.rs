//! The Vietnamese text of every message a user reads about bad input.
//!
//! Code refers to errors by their enum variant; this is the one place that turns them into
//! words, so the wording stays consistent and can be reviewed by a Vietnamese reader at once.

use crate::account::{PasswordError, UsernameError};
use crate::unit::UnitError;

pub fn unit_error(error: UnitError) -> &'static str {
    match error {
        UnitError::Name => "Tên đơn vị không được để trống và không quá 200 ký tự.",
        UnitError::ShortName => "Tên viết tắt không quá 80 ký tự.",
        UnitError::Code => "Mã đơn vị gồm 2–32 ký tự: chữ in hoa không dấu, chữ số, dấu '-' hoặc '_'.",
        UnitError::Kind => "Loại đơn vị không hợp lệ.",
        UnitError::Date => "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 25/04/2022.",
        UnitError::DateOrder => "Ngày kết thúc không được trước ngày bắt đầu.",
        UnitError::SelfReference => "Đơn vị không thể là đơn vị cấp trên hay đơn vị kế thừa của chính nó.",
        UnitError::ParentNotActive => "Đơn vị cấp trên không còn hoạt động vào ngày bắt đầu của đơn vị này.",
        UnitError::AlreadyClosed => "Đơn vị này đã kết thúc hoạt động.",
        UnitError::SuccessorNotActive => "Đơn vị kế thừa phải đang hoạt động vào ngày liền sau ngày kết thúc.",
        UnitError::SuccessionKind => "Hình thức kế thừa không hợp lệ.",
        UnitError::Identifier => {
            "Mã định danh điện tử gồm một chữ cái A–Y và hai chữ số (ví dụ H41), các cấp dưới nối bằng dấu chấm (ví dụ H41.05), không quá 35 ký tự."
        }
        UnitError::AdminCode => "Mã đơn vị hành chính gồm 2 chữ số (tỉnh), 3 chữ số (huyện cũ) hoặc 5 chữ số (xã).",
        UnitError::IdentifierTaken => "Mã này đang được một đơn vị khác sử dụng trong cùng khoảng thời gian.",
        UnitError::IdentifierOverlap => {
            "Đơn vị đã có một mã loại này trong khoảng thời gian đó; hãy chấm dứt hiệu lực mã cũ trước."
        }
        UnitError::PredecessorNotEnded => "Đơn vị tiền thân phải kết thúc hoạt động vào ngày liền trước ngày kế thừa.",
    }
}

pub fn password_error(error: PasswordError) -> &'static str {
    match error {
        PasswordError::TooShort => "Mật khẩu phải có ít nhất 12 ký tự.",
        PasswordError::TooLong => "Mật khẩu không quá 128 ký tự.",
        PasswordError::TooCommon => "Mật khẩu quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.",
        PasswordError::ContainsUsername => "Mật khẩu không được chứa tên đăng nhập.",
    }
}

pub fn username_error(error: UsernameError) -> &'static str {
    match error {
        UsernameError::Length => "Tên đăng nhập gồm 3–32 ký tự.",
        UsernameError::Characters => {
            "Tên đăng nhập chỉ gồm chữ thường không dấu, chữ số, '.', '_' hoặc '-', bắt đầu bằng chữ cái."
        }
    }
}

/// Shown when a login fails, whatever the reason, so that it does not reveal which accounts exist.
pub const LOGIN_FAILED: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";
pub const CONFIRM_AT_PROVIDER: &str = "Thao tác này cần xác nhận lại tại cổng đăng nhập của tỉnh.";
pub const LOGIN_SSO_ONLY: &str =
    "Hệ thống dùng đăng nhập bằng tài khoản của tỉnh (nút phía trên); mật khẩu riêng của hệ thống đã tắt.";
pub const LOGIN_THROTTLED: &str = "Đăng nhập sai quá nhiều lần. Tài khoản hoặc địa chỉ này tạm bị khóa; vui lòng thử lại sau 15 phút hoặc liên hệ quản trị.";
pub const CSRF_FAILED: &str = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.";
pub const FORBIDDEN: &str = "Bạn không có quyền thực hiện thao tác này.";
pub const NOT_FOUND: &str = "Không tìm thấy trang hoặc dữ liệu được yêu cầu.";
pub const SERVER_ERROR: &str =
    "Hệ thống gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị kèm mã yêu cầu.";
pub const CONFLICT_CODE: &str = "Mã đơn vị này đã được dùng cho một đơn vị khác.";
