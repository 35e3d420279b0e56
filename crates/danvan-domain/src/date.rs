//! Dates as officials write them: `dd/mm/yyyy`.

use time::Date;
use time::macros::format_description;

/// Formats a date as `15/12/2022`.
pub fn format_vn(date: Date) -> String {
    let fmt = format_description!("[day]/[month]/[year]");
    date.format(&fmt).unwrap_or_default()
}

/// Formats a date as `2022-12-15`, the form stored and used in URLs.
pub fn format_iso(date: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    date.format(&fmt).unwrap_or_default()
}

/// The first and last day of a year; `None` outside the calendar's range.
pub fn year_bounds(year: i32) -> Option<(Date, Date)> {
    Some((
        Date::from_calendar_date(year, time::Month::January, 1).ok()?,
        Date::from_calendar_date(year, time::Month::December, 31).ok()?,
    ))
}

/// Reads `15/12/2022`, `15-12-2022`, `5/4/2022` or the ISO form `2022-12-15`.
pub fn parse(input: &str) -> Option<Date> {
    let s = input.trim();
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[1], parts[0])
    } else {
        return None;
    };
    let year: i32 = y.parse().ok()?;
    let month: u8 = m.parse().ok()?;
    let day: u8 = d.parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_year_runs_from_1_january_to_31_december() {
        assert_eq!(year_bounds(2024), Some((date!(2024 - 01 - 01), date!(2024 - 12 - 31))));
        assert_eq!(year_bounds(i32::MAX), None);
    }

    #[test]
    fn reads_the_forms_officials_write() {
        for (input, expected) in [
            ("15/12/2022", Some(date!(2022 - 12 - 15))),
            ("5/4/2022", Some(date!(2022 - 04 - 05))),
            ("16-3-2022", Some(date!(2022 - 03 - 16))),
            ("2022-12-15", Some(date!(2022 - 12 - 15))),
            (" 01/01/2025 ", Some(date!(2025 - 01 - 01))),
            ("31/02/2022", None),
            ("15/13/2022", None),
            ("abc", None),
            ("", None),
            ("1/1/22", None),
        ] {
            assert_eq!(parse(input), expected, "{input:?}");
        }
    }

    #[test]
    fn formats_day_month_year_with_leading_zeros() {
        assert_eq!(format_vn(date!(2022 - 04 - 05)), "05/04/2022");
        assert_eq!(format_iso(date!(2022 - 04 - 05)), "2022-04-05");
    }
}
