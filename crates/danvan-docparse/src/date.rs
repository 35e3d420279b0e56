//! Calendar dates as documents write them.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Serialize, Serializer};

/// A calendar date checked for existence, shown as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl DocDate {
    pub fn new(year: i32, month: u8, day: u8) -> Option<DocDate> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=days).contains(&day) && (1900..=2200).contains(&year)).then_some(DocDate { year, month, day })
    }

    /// A date from its written parts, `None` when they do not form a real date. A year of two
    /// digits, as older texts write it ("ngày 22-11-45"), is of the state's documents: from 1945.
    fn from_parts(day: &str, month: &str, year: &str) -> Option<DocDate> {
        // (A month's two digits may be spaced apart, as a table's cell prints "tháng 0 6".)
        let month: std::borrow::Cow<str> = if month.contains(' ') {
            month.replace(' ', "").into()
        } else {
            month.into()
        };
        let mut year: i32 = year.parse().ok()?;
        if year < 100 {
            year += if year >= 45 { 1900 } else { 2000 };
        }
        DocDate::new(year, month.parse().ok()?, day.parse().ok()?)
    }
}

impl std::fmt::Display for DocDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for DocDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `ngày 25 tháng 4 năm 2022`, `ngày 25/4/2022`, `ngày 25-4-2022`, `ngày 22-11-45` (any case;
/// "ngay", "thang" and "nam" as a scan that lost their marks reads them; a month's digits spaced
/// apart, "tháng 0 6"), at the start of the text; returns the date and the bytes it took. A year of four digits may
/// follow the month after a space alone, its separator lost (`ngày 16/6 2025`).
static DATE_AFTER_NGAY: LazyLock<Regex> = LazyLock::new(|| Regex::new(DATE_AFTER_NGAY_PATTERN).expect("valid regex"));

const DATE_AFTER_NGAY_PATTERN: &str = r"^(?i:ng[àa]y)\s*(\d{1,2})\s*(?:(?i:th[áa]ng)\s*(\d[ ]?\d|\d)\s*(?i:n[ăa]m)\s*(\d{4})|[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2}(?-u:\b))|[ \t]+(\d{4})(?-u:\b)))";

/// The same pattern with ASCII digits, for a text that holds no other digits: it matches there
/// as the first does, and reading its groups is cheaper (Unicode's digits make the automaton the
/// groups are read on several times larger).
static DATE_AFTER_NGAY_ASCII: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&DATE_AFTER_NGAY_PATTERN.replace(r"\d", "[0-9]")).expect("valid regex"));

/// Reads a date that starts with `ngày` at the start of `text`.
pub fn date_after_ngay(text: &str) -> Option<(DocDate, usize)> {
    // A date is a few dozen bytes: the regex is given no more, so that its cost does not grow
    // with the rest of the text.
    // (Most texts given are not a date: they are turned away before the pattern runs.)
    if !crate::text::starts_with_ci(text, "ngày") && !crate::text::starts_with_ci(text, "ngay") {
        return None;
    }
    let head = crate::text::head(text, 96);
    // (Letters `lower_char` maps are no digits: only other characters are looked up.)
    let pattern = if head
        .chars()
        .any(|c| !c.is_ascii() && crate::text::lower_char(c).is_none() && c.is_numeric())
    {
        &DATE_AFTER_NGAY
    } else {
        &DATE_AFTER_NGAY_ASCII
    };
    let caps = pattern.captures(head)?;
    let day = caps.get(1)?.as_str();
    let date = match (caps.get(2), caps.get(3)) {
        (Some(month), Some(year)) => DocDate::from_parts(day, month.as_str(), year.as_str()),
        _ => {
            let Some(year) = caps.get(5) else {
                return Some((
                    DocDate::from_parts(day, caps.get(4)?.as_str(), caps.get(6)?.as_str())?,
                    caps.get(0)?.end(),
                ));
            };
            // A two-digit "year" that a range goes on from is a day and month: "ngày 10-11/12/2025",
            // "ngày 30/4-01/5".
            let mut after = text[year.end()..].chars();
            if year.as_str().len() == 2
                && matches!(after.next(), Some('/' | '-' | '.'))
                && after.next().is_some_and(|c| c.is_ascii_digit())
            {
                return None;
            }
            DocDate::from_parts(day, caps.get(4)?.as_str(), year.as_str())
        }
    }?;
    Some((date, caps.get(0)?.end()))
}

static NGAY_ANYWHERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i:ng[àa]y)\s*\d{1,2}\s*(?:(?i:th[áa]ng)|[/.-])").expect("valid regex"));

/// The first date written with `ngày` in `text`, with the byte range it covers.
pub fn first_date(text: &str) -> Option<(DocDate, std::ops::Range<usize>)> {
    for found in NGAY_ANYWHERE.find_iter(text) {
        if let Some((date, len)) = date_after_ngay(&text[found.start()..]) {
            return Some((date, found.start()..found.start() + len));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Where a text holds only ASCII digits, both patterns give the same groups.
        #[test]
        fn the_ascii_pattern_reads_as_the_unicode_one(text in "[nN]g[àÀa]y[ \t]{0,2}[0-9]{1,3}[- /.]{0,2}(?:th[áÁa]ng )?[0-9]{0,4}[- /.]{0,2}(?:n[ăĂa]m )?[0-9]{0,5}[ a/]{0,2}") {
            let groups = |regex: &Regex| {
                regex.captures(&text).map(|c| (0..7).map(|i| c.get(i).map(|m| m.range())).collect::<Vec<_>>())
            };
            proptest::prop_assert_eq!(groups(&DATE_AFTER_NGAY_ASCII), groups(&DATE_AFTER_NGAY));
        }
    }

    #[test]
    fn a_date_in_other_digits_is_read_as_before() {
        // Arabic-Indic digits match the Unicode pattern and do not parse: no date.
        assert!(date_after_ngay("ngày ٢٥/٤/٢٠٢٢").is_none());
        assert!(date_after_ngay("ngày 5/6/20٢5").is_none());
        assert_eq!(
            date_after_ngay("ngày 5/6/2025").map(|(d, _)| d.to_string()).as_deref(),
            Some("2025-06-05")
        );
    }

    #[test]
    fn reads_the_written_forms() {
        for (text, expected) in [
            ("ngày 25 tháng 4 năm 2022", "2022-04-25"),
            ("ngày 16/3/2022 của", "2022-03-16"),
            ("ngày 16-3-2022", "2022-03-16"),
            ("NGÀY 04-5-1994", "1994-05-04"),
            ("NGÀY 18 THÁNG 12 NĂM 2019", "2019-12-18"),
            ("ngày\n28/10/2024", "2024-10-28"),
            // Two-digit years, as older texts write them.
            ("ngày 22-11-45", "1945-11-22"),
            ("ngày 3-9-47 về", "1947-09-03"),
            ("ngày 5/1/25", "2025-01-05"),
            // The year's separator lost.
            ("ngày 16/6 2025;", "2025-06-16"),
            // As a scan reads it: the words' marks lost, the day glued to "ngày".
            ("ngày6 thang 5 năm 2022", "2022-05-06"),
            ("ngày 12 tháng 3 nam 2021", "2021-03-12"),
            ("ngay 13/4/2018 của", "2018-04-13"),
            ("ngày 26 tháng 0 6 năm 2018", "2018-06-26"),
        ] {
            assert_eq!(
                date_after_ngay(text).map(|(d, _)| d.to_string()).as_deref(),
                Some(expected),
                "{text}"
            );
        }
        assert!(date_after_ngay("ngày 31 tháng 2 năm 2022").is_none());
        assert!(date_after_ngay("ngày ký").is_none());
        // A range's first day and month are not a date of two-digit year.
        assert!(date_after_ngay("ngày 10-11/12/2025").is_none());
        assert!(date_after_ngay("ngày 30/4-01/5").is_none());
        // Three digits are not a year.
        assert!(date_after_ngay("ngày 5/1/202").is_none());
        assert!(date_after_ngay("ngày 16/6 20251").is_none());
        assert!(date_after_ngay("ngày 16/6 25").is_none());
        assert_eq!(
            first_date("kể từ ngày ký, ngày 01/01/2021")
                .map(|(d, _)| d.to_string())
                .as_deref(),
            Some("2021-01-01")
        );
    }
}
