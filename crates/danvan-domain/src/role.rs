//! Roles and what each may do.
//!
//! The rules are capabilities, not role comparisons scattered through handlers: a handler asks
//! `role.manages_units()`, and this file is the one place that answers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the installation: accounts, agencies, the audit log.
    Admin,
    /// The Department of Home Affairs (Sở Nội vụ): sees everything, monitors and appraises.
    Monitor,
    /// The province's leaders: see everything; approve and publish evaluation results.
    Leader,
    /// An agency's officer: sees and changes only its own agency's data.
    Officer,
    /// A member of the inter-agency appraisal council: sees everything, appraises assessments.
    Appraiser,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Monitor, Role::Leader, Role::Officer, Role::Appraiser];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Monitor => "monitor",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Appraiser => "appraiser",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Vietnamese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Monitor => "Sở Nội vụ (theo dõi, thẩm định)",
            Role::Leader => "Lãnh đạo",
            Role::Officer => "Cán bộ đơn vị",
            Role::Appraiser => "Thành viên Hội đồng thẩm định",
        }
    }

    /// Sees every agency's data, not only its own.
    pub fn sees_all(self) -> bool {
        !matches!(self, Role::Officer)
    }

    /// Creates, edits and closes agencies.
    pub fn manages_units(self) -> bool {
        matches!(self, Role::Admin | Role::Monitor)
    }

    /// Appraises agencies' assessments: scores, comments, returns.
    pub fn appraises(self) -> bool {
        matches!(self, Role::Monitor | Role::Appraiser)
    }

    /// Creates accounts, reads the audit log.
    pub fn administers(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// An officer must belong to an agency; the other roles belong to the province.
    pub fn requires_unit(self) -> bool {
        matches!(self, Role::Officer)
    }

    /// Minutes without a request after which a session ends (security.md 9: 5 for admins).
    pub fn idle_timeout_minutes(self) -> i64 {
        match self {
            Role::Admin => 5,
            _ => 15,
        }
    }
}

/// Who may take a step, by role: the rule each route names and each use case checks (the
/// per-record rules, an officer's own agency, are the use case's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user; per-record rules (an officer's own agency) are checked in the handler.
    SignedIn,
    /// Admins and the monitor (Sở Nội vụ), who keep the list of agencies.
    UnitManagers,
    /// Those who oversee all agencies: admins, the monitor, leaders and the appraisal council.
    Overseers,
    /// The Department and the appraisal council.
    Appraisers,
    /// Agencies' officers (for their own agency, checked in the handler).
    Officers,
    /// Agencies' officers (their own agency) and those who keep the agencies' records.
    RecordKeepers,
    /// Admins only.
    Admins,
    /// The Department of Home Affairs only (finalizing an evaluation cycle).
    Monitor,
    /// The province's leaders only (approving and publishing results).
    Leaders,
    /// No account: only the machines whose addresses the settings list (the metrics scraper),
    /// judged by the connection's own address.
    Peers,
}

impl Access {
    /// Whether `role` may take a step under this rule.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::SignedIn => true,
            Access::UnitManagers => role.manages_units(),
            Access::Overseers => role.sees_all(),
            Access::Appraisers => role.appraises(),
            Access::Officers => role == Role::Officer,
            Access::RecordKeepers => role == Role::Officer || role.manages_units(),
            Access::Admins => role.administers(),
            Access::Monitor => role == Role::Monitor,
            Access::Leaders => role == Role::Leader,
            Access::Peers => false,
        }
    }

    /// The rule in Vietnamese, for the published permission table.
    pub fn label(self) -> &'static str {
        match self {
            Access::Public => "Mọi người (không cần đăng nhập)",
            Access::SignedIn => "Mọi tài khoản đã đăng nhập",
            Access::UnitManagers => "Quản trị, Sở Nội vụ",
            Access::Overseers => "Quản trị, Sở Nội vụ, lãnh đạo, Hội đồng thẩm định",
            Access::Appraisers => "Sở Nội vụ, Hội đồng thẩm định",
            Access::Officers => "Cán bộ đơn vị (đơn vị mình)",
            Access::RecordKeepers => "Cán bộ đơn vị (đơn vị mình), Sở Nội vụ, quản trị",
            Access::Admins => "Quản trị",
            Access::Monitor => "Sở Nội vụ",
            Access::Leaders => "Lãnh đạo tỉnh",
            Access::Peers => "Chỉ máy giám sát có địa chỉ được khai báo trong cấu hình (không đăng nhập)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn only_officers_are_confined_to_their_agency_and_leaders_change_nothing() {
        assert!(!Role::Officer.sees_all());
        assert!(Role::Leader.sees_all() && !Role::Leader.manages_units());
        assert!(!Role::Leader.administers());
        assert!(Role::Monitor.manages_units() && !Role::Monitor.administers());
    }
}
