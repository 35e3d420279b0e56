//! How long each kind of record that holds personal data is kept, and what happens when that
//! time has passed (security.md 28 and 30; Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15: personal
//! data is kept only as long as its purpose needs). The periods are settings; the sweep applies
//! them with an audit record, and the self-check lists what is due.

use serde::{Deserialize, Serialize};

/// The retention periods of an installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    /// Failed sign-ins (the name typed, the address), deleted after this many days.
    pub login_failures_days: u32,
    /// Learners' names and positions in training attendance, anonymised this many whole years
    /// after the year the course ended (the counts by agency and category stay).
    pub training_attendance_years: u32,
    /// Accounts disabled and unused for this many days: name, e-mail and second factor
    /// anonymised (the account and its audit trail stay).
    pub disabled_accounts_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            login_failures_days: 90,
            training_attendance_years: 5,
            disabled_accounts_days: 730,
        }
    }
}

/// A kind of record under a retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    LoginFailures,
    TrainingAttendance,
    DisabledAccounts,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::LoginFailures, Kind::TrainingAttendance, Kind::DisabledAccounts];

    /// The code used in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Kind::LoginFailures => "login_failures",
            Kind::TrainingAttendance => "training_attendance",
            Kind::DisabledAccounts => "disabled_accounts",
        }
    }

    /// What the records are, as an official reads it.
    pub fn title(self) -> &'static str {
        match self {
            Kind::LoginFailures => "Nhật ký đăng nhập sai",
            Kind::TrainingAttendance => "Họ tên, chức vụ học viên lớp tập huấn",
            Kind::DisabledAccounts => "Tài khoản đã khóa, không còn dùng",
        }
    }
}

impl Retention {
    /// The period and what is done after it, in Vietnamese, for the personal-data register.
    pub fn describe(&self, kind: Kind) -> String {
        match kind {
            Kind::LoginFailures => format!("{} ngày, sau đó xóa", self.login_failures_days),
            Kind::TrainingAttendance => format!(
                "{} năm sau năm kết thúc lớp, sau đó ẩn danh họ tên, chức vụ (giữ số lượng theo cơ quan, đối tượng để thống kê)",
                self.training_attendance_years
            ),
            Kind::DisabledAccounts => format!(
                "Trong thời gian tài khoản còn dùng; tự khóa sau 45 ngày không dùng; khóa và không dùng {} ngày thì ẩn danh họ tên, thư điện tử, mã xác thực (giữ nhật ký)",
                self.disabled_accounts_days
            ),
        }
    }

    /// Checks the periods: none may be zero, and failed sign-ins are kept at least 30 days
    /// (the lockout and throttle read them); the message is Vietnamese.
    pub fn check(&self) -> Result<(), String> {
        if self.login_failures_days < 30 {
            return Err("Thời hạn lưu nhật ký đăng nhập sai phải từ 30 ngày trở lên.".to_owned());
        }
        if self.training_attendance_years == 0 {
            return Err("Thời hạn lưu danh sách học viên phải từ 1 năm trở lên.".to_owned());
        }
        if self.disabled_accounts_days < 45 {
            return Err("Thời hạn lưu tài khoản đã khóa phải từ 45 ngày trở lên.".to_owned());
        }
        Ok(())
    }

    /// Failed sign-ins before this instant (Unix seconds) are past their period at `now`.
    pub fn login_failures_before(&self, now: i64) -> i64 {
        now - i64::from(self.login_failures_days) * 86_400
    }

    /// Attendance of courses that ended before 1 January of the returned year is past its
    /// period in `this_year`.
    pub fn training_ended_before_year(&self, this_year: i32) -> i32 {
        this_year - self.training_attendance_years as i32
    }

    /// Accounts disabled and unused since before this instant are past their period at `now`.
    pub fn disabled_accounts_before(&self, now: i64) -> i64 {
        now - i64::from(self.disabled_accounts_days) * 86_400
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_offs_follow_the_periods() {
        let r = Retention::default();
        assert_eq!(r.login_failures_before(100 * 86_400), 10 * 86_400);
        // Five whole years after the course's year: in 2026, courses of 2020 and before.
        assert_eq!(r.training_ended_before_year(2026), 2021);
        assert_eq!(r.disabled_accounts_before(1000 * 86_400), 270 * 86_400);
    }

    #[test]
    fn periods_too_short_for_the_system_to_work_are_refused() {
        assert!(Retention::default().check().is_ok());
        let short = Retention {
            login_failures_days: 7,
            ..Retention::default()
        };
        assert!(short.check().unwrap_err().contains("30 ngày"));
        let none = Retention {
            training_attendance_years: 0,
            ..Retention::default()
        };
        assert!(none.check().is_err());
    }

    #[test]
    fn the_register_names_the_configured_periods() {
        let r = Retention {
            login_failures_days: 120,
            ..Retention::default()
        };
        assert_eq!(r.describe(Kind::LoginFailures), "120 ngày, sau đó xóa");
        assert!(r.describe(Kind::TrainingAttendance).starts_with("5 năm"));
    }
}
