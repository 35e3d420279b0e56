//! Official identifiers of agencies, each valid over a period.
//!
//! An agency carries, besides danvan's own code:
//! - its electronic identifier (mã định danh điện tử) of Quyết định 20/2020/QĐ-TTg, whose level-1
//!   codes Quyết định 09/2025/QĐ-TTg amended: a letter A–Y and two digits (`H41` a provincial
//!   People's Committee, `G22` a ministry), lower levels appended with dots (`H37.DN.001`), at
//!   most 35 characters of `A-Z`, `0-9` and `.`; document-exchange software still writes the
//!   older QCVN 102:2016 form, levels right to left (`000.00.00.H41`), derived here;
//! - for a People's Committee, the code of its administrative unit (mã đơn vị hành chính): two
//!   digits for a province, three for a former district, five for a commune (Quyết định
//!   19/2025/QĐ-TTg from 01/07/2025, Quyết định 124/2004/QĐ-TTg before).
//!
//! A code names one agency at a time: two agencies alive on the same day never share it (the
//! store checks), but a code closed by a merger stays readable in the history of its agency.

use serde::Serialize;
use time::Date;

use crate::unit::UnitError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Scheme {
    /// Mã định danh điện tử (QĐ 20/2020/QĐ-TTg, QĐ 09/2025/QĐ-TTg).
    Egov,
    /// Mã đơn vị hành chính (QĐ 19/2025/QĐ-TTg, QĐ 124/2004/QĐ-TTg).
    Admin,
}

impl Scheme {
    pub const ALL: [Scheme; 2] = [Scheme::Egov, Scheme::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Scheme::Egov => "egov",
            Scheme::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Scheme::Egov => "Mã định danh điện tử",
            Scheme::Admin => "Mã đơn vị hành chính",
        }
    }

    /// Checks and normalises a code of this scheme as a person typed it.
    pub fn parse(self, input: &str) -> Result<String, UnitError> {
        let code: String = input.trim().to_ascii_uppercase();
        match self {
            Scheme::Egov => {
                let mut groups = code.split('.');
                let first = groups.next().unwrap_or_default().as_bytes();
                let level_one =
                    first.len() == 3 && (b'A'..=b'Y').contains(&first[0]) && first[1..].iter().all(u8::is_ascii_digit);
                let rest_ok =
                    groups.all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
                if level_one && rest_ok && code.len() <= 35 {
                    Ok(code)
                } else {
                    Err(UnitError::Identifier)
                }
            }
            Scheme::Admin => {
                if matches!(code.len(), 2 | 3 | 5) && code.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(code)
                } else {
                    Err(UnitError::AdminCode)
                }
            }
        }
    }
}

/// An identifier an agency carries over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identifier {
    pub id: i64,
    pub unit_id: i64,
    pub scheme: Scheme,
    pub code: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl Identifier {
    pub fn is_active_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }

    /// Whether two periods share a day.
    pub fn overlaps(&self, from: Date, to: Option<Date>) -> bool {
        self.valid_from <= to.unwrap_or(Date::MAX) && from <= self.valid_to.unwrap_or(Date::MAX)
    }

    /// The QCVN 102:2016 form of an electronic identifier, for document exchange.
    pub fn qcvn102(&self) -> Option<String> {
        (self.scheme == Scheme::Egov).then(|| qcvn102(&self.code)).flatten()
    }
}

/// The older QCVN 102:2016 form of an electronic identifier: levels written right to left,
/// level 2 and 3 in two digits, level 4 in three (`H41` → `000.00.00.H41`, `H41.05` →
/// `000.00.05.H41`). Codes whose lower levels are not numbers of those widths have no such form.
/// The widths are inferred from published examples (egov.md), not from the standard's text.
pub fn qcvn102(code: &str) -> Option<String> {
    let mut groups = code.split('.');
    let level_one = groups.next()?;
    let lower: Vec<&str> = groups.collect();
    if lower.len() > 3 {
        return None;
    }
    let widths = [2, 2, 3];
    let mut parts = Vec::with_capacity(3);
    for (i, width) in widths.iter().enumerate() {
        match lower.get(i) {
            Some(group) if group.len() <= *width && group.bytes().all(|b| b.is_ascii_digit()) => {
                parts.push(format!("{group:0>width$}"))
            }
            Some(_) => return None,
            None => parts.push("0".repeat(*width)),
        }
    }
    Some(format!("{}.{}.{}.{level_one}", parts[2], parts[1], parts[0]))
}

/// Identifiers grouped by their agency, so that a list of thousands finds each one's at once.
pub fn by_unit(identifiers: Vec<Identifier>) -> std::collections::HashMap<i64, Vec<Identifier>> {
    let mut grouped: std::collections::HashMap<i64, Vec<Identifier>> = std::collections::HashMap::new();
    for identifier in identifiers {
        grouped.entry(identifier.unit_id).or_default().push(identifier);
    }
    grouped
}

/// The identifier of a scheme an agency carries on a day.
pub fn on_day(identifiers: &[Identifier], unit_id: i64, scheme: Scheme, day: Date) -> Option<&Identifier> {
    identifiers
        .iter()
        .find(|i| i.unit_id == unit_id && i.scheme == scheme && i.is_active_on(day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn electronic_identifiers_follow_the_decision() {
        let egov = |s: &str| Scheme::Egov.parse(s);
        assert_eq!(egov(" h41 ").as_deref(), Ok("H41"));
        assert_eq!(egov("G22").as_deref(), Ok("G22"));
        assert_eq!(egov("H37.DN.001").as_deref(), Ok("H37.DN.001"));
        for bad in [
            "",
            "Z22",
            "H4",
            "H411",
            "41",
            "H41.",
            "H41..01",
            "H41.đ",
            "H41-01",
            &format!("H41.{}", "1".repeat(32)),
        ] {
            assert_eq!(egov(bad), Err(UnitError::Identifier), "{bad:?}");
        }
        assert_eq!(egov(&format!("H41.{}", "1".repeat(31))).map(|c| c.len()), Ok(35));
    }

    #[test]
    fn administrative_codes_have_two_three_or_five_digits() {
        let admin = |s: &str| Scheme::Admin.parse(s);
        assert_eq!(admin("68").as_deref(), Ok("68"));
        assert_eq!(admin("660").as_deref(), Ok("660"));
        assert_eq!(admin(" 24781").as_deref(), Ok("24781"));
        for bad in ["6", "6800", "247810", "2478a", ""] {
            assert_eq!(admin(bad), Err(UnitError::AdminCode), "{bad:?}");
        }
    }

    #[test]
    fn the_qcvn102_form_writes_levels_right_to_left() {
        assert_eq!(qcvn102("H41").as_deref(), Some("000.00.00.H41"));
        assert_eq!(qcvn102("G22").as_deref(), Some("000.00.00.G22"));
        // The published example 001.00.26.G14 read back to front.
        assert_eq!(qcvn102("G14.26.00.001").as_deref(), Some("001.00.26.G14"));
        assert_eq!(qcvn102("G14.26.1").as_deref(), Some("000.01.26.G14"));
        assert_eq!(qcvn102("H41.05").as_deref(), Some("000.00.05.H41"));
        assert_eq!(qcvn102("H37.DN.001"), None);
        assert_eq!(qcvn102("H41.123"), None);
    }

    #[test]
    fn periods_overlap_when_they_share_a_day() {
        let id = Identifier {
            id: 1,
            unit_id: 1,
            scheme: Scheme::Egov,
            code: "H68".into(),
            valid_from: date!(2025 - 07 - 01),
            valid_to: None,
        };
        assert!(id.overlaps(date!(2020 - 01 - 01), Some(date!(2025 - 07 - 01))));
        assert!(!id.overlaps(date!(2020 - 01 - 01), Some(date!(2025 - 06 - 30))));
        let closed = Identifier {
            valid_from: date!(2020 - 09 - 15),
            valid_to: Some(date!(2025 - 06 - 30)),
            ..id
        };
        assert!(!closed.overlaps(date!(2025 - 07 - 01), None));
        assert!(closed.is_active_on(date!(2025 - 06 - 30)));
    }
}
