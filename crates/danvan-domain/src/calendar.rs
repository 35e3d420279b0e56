//! Working days: weekends, Vietnamese public holidays, and the changes the government announces
//! each year.
//!
//! Officials count the days off the government decided for state bodies each year, not the
//! arithmetic of the law: those decided schedules ship as data
//! (`data/public-sector-holidays.toml`, 2020–2026, each with its source) and are used as they
//! are, the Saturdays worked in exchange included. A year without one falls back to the Labour
//! Code (Bộ luật Lao động 2019, Điều 112; 2012, Điều 115 before 2021): New Year's Day; five days
//! of Tết (the last day of the lunar year and the first four of the new one); Hùng Kings' day
//! (10/3 lunar); 30/4; 1/5; National Day 2/9, with one day beside it from 2021 (the side the
//! decided years chose for that weekday); a fixed holiday on a weekend gives the next working
//! day off. An admin records a newly announced schedule as adjustments, which override
//! everything else.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use time::{Date, Duration, Month, Weekday};

use crate::lunar;

/// A day whose status the government changed for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub date: Date,
    /// `true`: a working day (a Saturday worked in exchange); `false`: a day off.
    pub working: bool,
    pub note: String,
}

/// Why a day is not worked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOff {
    Weekend,
    Holiday(String),
    Adjusted(String),
}

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    adjustments: BTreeMap<Date, Adjustment>,
    holidays: HashMap<i32, BTreeMap<Date, String>>,
    /// Per year, the working days from 1 January through each day of the year (index: the
    /// day's ordinal − 1), worked out once: lateness over years is then two lookups per year
    /// rather than a walk over every day (the board's overdue list counts it for 500 rows).
    worked_through: HashMap<i32, Vec<u16>>,
}

/// The statutory holidays of a year, with the days off that replace those falling on weekends.
pub fn statutory_holidays(year: i32) -> BTreeMap<Date, String> {
    let mut days: BTreeMap<Date, String> = BTreeMap::new();
    let mut add = |date: Option<Date>, name: &str| {
        if let Some(date) = date {
            days.entry(date).or_insert_with(|| name.to_owned());
        }
    };
    let fixed = |month: Month, day: u8| Date::from_calendar_date(year, month, day).ok();
    add(fixed(Month::January, 1), "Tết Dương lịch");
    if let Some(tet) = lunar::tet(year) {
        add(tet.previous_day(), "Tết Nguyên đán");
        for offset in 0..4 {
            add(tet.checked_add(Duration::days(offset)), "Tết Nguyên đán");
        }
    }
    add(lunar::hung_kings_day(year), "Giỗ Tổ Hùng Vương");
    add(fixed(Month::April, 30), "Ngày Chiến thắng");
    add(fixed(Month::May, 1), "Ngày Quốc tế Lao động");
    // National Day: 2/9 alone until 2020; from 2021 with a day beside it, on the side the
    // decided years 2021–2026 chose for each weekday of 2/9.
    let national = fixed(Month::September, 2);
    add(national, "Quốc khánh");
    if year >= 2021
        && let Some(day) = national
    {
        let beside = match day.weekday() {
            Weekday::Monday | Weekday::Thursday | Weekday::Sunday => day.next_day(),
            _ => day.previous_day(),
        };
        add(beside, "Quốc khánh");
    }
    // A holiday on a weekend gives the next day that is neither weekend nor holiday off.
    let on_weekends: Vec<(Date, String)> = days
        .iter()
        .filter(|(d, _)| is_weekend(**d))
        .map(|(d, n)| (*d, n.clone()))
        .collect();
    for (date, name) in on_weekends {
        let mut next = date.next_day();
        while let Some(day) = next {
            if !is_weekend(day) && !days.contains_key(&day) {
                days.insert(day, format!("Nghỉ bù {name}"));
                break;
            }
            next = day.next_day();
        }
    }
    days
}

/// A year's schedule as the government decided it for state bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    /// Every day off, weekend days inside a holiday included, with its name.
    pub days_off: BTreeMap<Date, String>,
    /// Saturdays worked in exchange for a bridge day off.
    pub worked: BTreeSet<Date>,
    /// The decision (or what is known of it) the schedule comes from.
    pub source: String,
}

#[derive(serde::Deserialize)]
struct DecidedFile {
    year: Vec<DecidedYear>,
}

#[derive(serde::Deserialize)]
struct DecidedYear {
    year: i32,
    source: String,
    days_off: Vec<String>,
    worked: Vec<String>,
}

/// Reads a file of decided schedules (the format of `data/public-sector-holidays.toml`: one
/// `[[year]]` per year with `source`, `days_off` and `worked` as dd/mm), as an admin uploads a
/// newly announced year; every problem in Vietnamese.
pub fn parse_schedules(text: &str) -> Result<BTreeMap<i32, Decided>, Vec<String>> {
    let lines = crate::toml_text::Lines::new(text);
    let file: DecidedFile = toml::from_str(text).map_err(|e| {
        vec![format!(
            "dòng {}: {}",
            e.span().map_or(0, |s| lines.at(s.start)),
            crate::toml_text::translate(e.message())
        )]
    })?;
    let mut errors = Vec::new();
    let mut years = BTreeMap::new();
    for y in file.year {
        if !(2000..=2100).contains(&y.year) {
            errors.push(format!("năm {}: ngoài khoảng 2000–2100", y.year));
            continue;
        }
        if y.source.trim().is_empty() {
            errors.push(format!(
                "năm {}: cần ghi căn cứ (source): số, ký hiệu văn bản công bố lịch nghỉ",
                y.year
            ));
        }
        let mut day = |text: &String| -> Option<Date> {
            let parsed = text.split_once('/').and_then(|(d, m)| {
                let month = Month::try_from(m.trim().parse::<u8>().ok()?).ok()?;
                Date::from_calendar_date(y.year, month, d.trim().parse().ok()?).ok()
            });
            if parsed.is_none() {
                errors.push(format!("năm {}: \"{text}\" không phải ngày/tháng hợp lệ", y.year));
            }
            parsed
        };
        let days_off: Vec<Date> = y.days_off.iter().filter_map(&mut day).collect();
        let worked: BTreeSet<Date> = y.worked.iter().filter_map(&mut day).collect();
        for w in &worked {
            if !is_weekend(*w) || days_off.contains(w) {
                errors.push(format!(
                    "năm {}: ngày làm bù {} phải là ngày nghỉ cuối tuần, không trùng ngày nghỉ",
                    y.year,
                    crate::date::format_vn(*w)
                ));
            }
        }
        let law = statutory_holidays(y.year);
        let decided = Decided {
            days_off: days_off
                .into_iter()
                .map(|d| {
                    (
                        d,
                        law.get(&d).cloned().unwrap_or_else(|| {
                            if is_weekend(d) {
                                "Nghỉ lễ, Tết (trùng ngày nghỉ hằng tuần)".to_owned()
                            } else {
                                "Nghỉ bù, hoán đổi theo lịch nghỉ đã quyết định".to_owned()
                            }
                        }),
                    )
                })
                .collect(),
            worked,
            source: y.source,
        };
        if years.insert(y.year, decided).is_some() {
            errors.push(format!("năm {} có hai lịch nghỉ", y.year));
        }
    }
    if years.is_empty() && errors.is_empty() {
        errors.push("tệp chưa có năm nào ([[year]])".to_owned());
    }
    if errors.is_empty() { Ok(years) } else { Err(errors) }
}

/// The decided schedules shipped with danvan, by year.
pub fn decided_schedules() -> &'static BTreeMap<i32, Decided> {
    static SCHEDULES: OnceLock<BTreeMap<i32, Decided>> = OnceLock::new();
    SCHEDULES.get_or_init(|| {
        parse_schedules(include_str!("../data/public-sector-holidays.toml"))
            .expect("the shipped holiday schedules read (checked by tests)")
    })
}

/// The days off of a year for state bodies: the decided schedule when there is one, the law's
/// arithmetic otherwise.
pub fn holidays(year: i32) -> BTreeMap<Date, String> {
    match decided_schedules().get(&year) {
        Some(decided) => decided.days_off.clone(),
        None => statutory_holidays(year),
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl WorkCalendar {
    pub fn new(adjustments: impl IntoIterator<Item = Adjustment>) -> Self {
        WorkCalendar {
            adjustments: adjustments.into_iter().map(|a| (a.date, a)).collect(),
            holidays: HashMap::new(),
            worked_through: HashMap::new(),
        }
    }

    fn holidays_of(&mut self, year: i32) -> &BTreeMap<Date, String> {
        self.holidays.entry(year).or_insert_with(|| holidays(year))
    }

    /// Why the day is not worked, or `None` for a working day.
    pub fn day_off(&mut self, date: Date) -> Option<DayOff> {
        if let Some(adjustment) = self.adjustments.get(&date) {
            return (!adjustment.working).then(|| DayOff::Adjusted(adjustment.note.clone()));
        }
        if let Some(name) = self.holidays_of(date.year()).get(&date) {
            return Some(DayOff::Holiday(name.clone()));
        }
        let worked = decided_schedules()
            .get(&date.year())
            .is_some_and(|d| d.worked.contains(&date));
        (is_weekend(date) && !worked).then_some(DayOff::Weekend)
    }

    pub fn is_working_day(&mut self, date: Date) -> bool {
        self.day_off(date).is_none()
    }

    /// The `n`-th working day after `from` (not counting `from` itself); `from` when `n` is 0.
    pub fn add_working_days(&mut self, from: Date, n: u32) -> Date {
        let mut date = from;
        let mut left = n;
        while left > 0 {
            match date.next_day() {
                Some(next) => date = next,
                None => return date,
            }
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days in `(from, to]`: how many working days late something done on `to` is, for
    /// a deadline of `from`. Zero or negative when `to` is not after `from`.
    pub fn working_days_between(&mut self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let mut count = self.working_days_through(to) - self.working_days_through(from);
        for year in from.year()..to.year() {
            count += self.working_days_in_year(year);
        }
        count
    }

    /// The year's working days from 1 January through `date`.
    fn working_days_through(&mut self, date: Date) -> i64 {
        i64::from(self.year_counts(date.year())[usize::from(date.ordinal()) - 1])
    }

    fn working_days_in_year(&mut self, year: i32) -> i64 {
        i64::from(self.year_counts(year).last().copied().unwrap_or(0))
    }

    fn year_counts(&mut self, year: i32) -> &[u16] {
        if !self.worked_through.contains_key(&year) {
            let mut counts = Vec::with_capacity(366);
            let mut worked = 0u16;
            let mut day = Date::from_ordinal_date(year, 1).ok();
            while let Some(date) = day.filter(|d| d.year() == year) {
                if self.is_working_day(date) {
                    worked += 1;
                }
                counts.push(worked);
                day = date.next_day();
            }
            self.worked_through.insert(year, counts);
        }
        &self.worked_through[&year]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_2022_holidays_include_tet_and_compensation() {
        let days = statutory_holidays(2022);
        // Tết 2022: 31/1 (the 30th) to 4/2.
        for d in [date!(2022 - 01 - 31), date!(2022 - 02 - 01), date!(2022 - 02 - 04)] {
            assert!(days.contains_key(&d), "{d}");
        }
        // Hùng Kings' day 10/4/2022 was a Sunday: Monday 11/4 was off.
        assert_eq!(
            days.get(&date!(2022 - 04 - 11)).map(String::as_str),
            Some("Nghỉ bù Giỗ Tổ Hùng Vương")
        );
        // 30/4 (Saturday) and 1/5 (Sunday) 2022 gave 2/5 and 3/5 off.
        assert!(days.contains_key(&date!(2022 - 05 - 02)) && days.contains_key(&date!(2022 - 05 - 03)));
    }

    #[test]
    fn deadlines_skip_weekends_holidays_and_follow_adjustments() {
        // 2030 has no decided schedule: the law's arithmetic.
        let mut calendar = WorkCalendar::new([]);
        // Friday 26/4/2030 + 1 working day: Monday 29/4.
        assert_eq!(
            calendar.add_working_days(date!(2030 - 04 - 26), 1),
            date!(2030 - 04 - 29)
        );
        // Monday 29/4/2030 + 2: 30/4 and 1/5 are holidays, so Thursday 2/5 then Friday 3/5.
        assert_eq!(
            calendar.add_working_days(date!(2030 - 04 - 29), 2),
            date!(2030 - 05 - 03)
        );
        assert_eq!(
            calendar.add_working_days(date!(2030 - 04 - 29), 0),
            date!(2030 - 04 - 29)
        );
        // An admin records Saturday 27/4 worked and Thursday 2/5 off.
        let mut adjusted = WorkCalendar::new([
            Adjustment {
                date: date!(2030 - 04 - 27),
                working: true,
                note: "Làm bù".into(),
            },
            Adjustment {
                date: date!(2030 - 05 - 02),
                working: false,
                note: "Hoán đổi".into(),
            },
        ]);
        assert_eq!(
            adjusted.add_working_days(date!(2030 - 04 - 26), 1),
            date!(2030 - 04 - 27)
        );
        assert_eq!(
            adjusted.add_working_days(date!(2030 - 04 - 29), 2),
            date!(2030 - 05 - 06)
        );
        assert_eq!(
            adjusted.day_off(date!(2030 - 05 - 02)),
            Some(DayOff::Adjusted("Hoán đổi".into()))
        );
    }

    /// The days off of domain.md's table ("Working days"), as decided for state bodies.
    const DECIDED: &[(i32, &str)] = &[
        (
            2020,
            "01/01, 23/01, 24/01, 25/01, 26/01, 27/01, 28/01, 29/01, 02/04, 30/04, 01/05, 02/09",
        ),
        (
            2021,
            "01/01, 10/02, 11/02, 12/02, 13/02, 14/02, 15/02, 16/02, 21/04, 30/04, 01/05, 03/05, 02/09, 03/09",
        ),
        (
            2022,
            "01/01, 03/01, 31/01, 01/02, 02/02, 03/02, 04/02, 10/04, 11/04, 30/04, 01/05, 02/05, 03/05, 01/09, 02/09",
        ),
        (
            2023,
            "01/01, 02/01, 20/01, 21/01, 22/01, 23/01, 24/01, 25/01, 26/01, 29/04, 30/04, 01/05, 02/05, 03/05, 01/09, 02/09, 04/09",
        ),
        (
            2024,
            "01/01, 08/02, 09/02, 10/02, 11/02, 12/02, 13/02, 14/02, 18/04, 29/04, 30/04, 01/05, 02/09, 03/09",
        ),
        (
            2025,
            "01/01, 27/01, 28/01, 29/01, 30/01, 31/01, 01/02, 07/04, 30/04, 01/05, 02/05, 01/09, 02/09",
        ),
        (
            2026,
            "01/01, 16/02, 17/02, 18/02, 19/02, 20/02, 26/04, 27/04, 30/04, 01/05, 31/08, 01/09, 02/09, 24/11",
        ),
    ];
    const WORKED: &[&str] = &["14/01/2023", "04/05/2024", "26/04/2025", "22/08/2026"];

    #[test]
    fn every_day_of_2020_to_2026_is_as_the_government_decided() {
        let mut calendar = WorkCalendar::new([]);
        let worked: Vec<Date> = WORKED.iter().map(|d| crate::date::parse(d).unwrap()).collect();
        for (year, listed) in DECIDED {
            let off: BTreeSet<Date> = listed
                .split(", ")
                .map(|d| crate::date::parse(&format!("{d}/{year}")).unwrap())
                // 24/11/2026 is not confirmed as a day off for state bodies: an admin enters it.
                .filter(|d| *d != date!(2026 - 11 - 24))
                .collect();
            let mut day = Date::from_calendar_date(*year, Month::January, 1).unwrap();
            while day.year() == *year {
                let expected_off = off.contains(&day) || (is_weekend(day) && !worked.contains(&day));
                assert_eq!(calendar.day_off(day).is_some(), expected_off, "{day}");
                day = day.next_day().unwrap();
            }
        }
        // 24/11/2026 once an admin records it.
        let mut with_culture_day = WorkCalendar::new([Adjustment {
            date: date!(2026 - 11 - 24),
            working: false,
            note: "Ngày Văn hóa Việt Nam".into(),
        }]);
        assert!(with_culture_day.day_off(date!(2026 - 11 - 24)).is_some());
    }

    #[test]
    fn ten_working_days_from_20_january_2023_fall_on_9_february() {
        let mut calendar = WorkCalendar::new([]);
        assert_eq!(
            calendar.add_working_days(date!(2023 - 01 - 20), 10),
            date!(2023 - 02 - 09)
        );
        // The Saturday worked in exchange counts as a working day.
        assert!(calendar.is_working_day(date!(2023 - 01 - 14)));
        // The decided schedule took 20/01 off and kept 27/01 a working day.
        assert!(calendar.is_working_day(date!(2023 - 01 - 27)));
        assert!(!calendar.is_working_day(date!(2023 - 01 - 20)));
    }

    #[test]
    fn national_day_follows_the_rule_in_force_each_year() {
        // Before 2021 one day; from 2021 two, the day beside 2/9 as the decided years chose it.
        assert!(!statutory_holidays(2020).contains_key(&date!(2020 - 09 - 01)));
        assert!(!statutory_holidays(2020).contains_key(&date!(2020 - 09 - 03)));
        for year in 2021..=2026 {
            let law = statutory_holidays(year);
            let decided = &decided_schedules()[&year];
            for day in [1u8, 3] {
                let date = Date::from_calendar_date(year, Month::September, day).unwrap();
                if !is_weekend(date) && law.get(&date).is_some_and(|n| n == "Quốc khánh") {
                    assert!(decided.days_off.contains_key(&date), "{date}");
                }
            }
        }
        // 2030: 2/9 is a Monday, the day beside it Tuesday 3/9.
        assert!(statutory_holidays(2030).contains_key(&date!(2030 - 09 - 03)));
    }

    #[test]
    fn a_schedule_file_is_read_and_its_mistakes_named_in_vietnamese() {
        let file = "[[year]]\nyear = 2027\nsource = \"Thông báo số 1/TB\"\ndays_off = [\"01/01\", \"05/02\"]\nworked = [\"30/01\"]\n";
        let years = parse_schedules(file).unwrap();
        assert!(years[&2027].days_off.contains_key(&date!(2027 - 02 - 05)));
        assert!(years[&2027].worked.contains(&date!(2027 - 01 - 30)));
        let bad = file.replace("\"05/02\"", "\"31/02\"").replace("\"30/01\"", "\"01/02\"");
        let errors = parse_schedules(&bad).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("\"31/02\" không phải ngày/tháng hợp lệ")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("ngày làm bù 01/02/2027 phải là ngày nghỉ cuối tuần")),
            "{errors:?}"
        );
        let unreadable = parse_schedules("[[year]]\nyear = \"hai nghìn\"\n").unwrap_err();
        assert!(
            unreadable[0].starts_with("dòng 2:") && unreadable[0].contains("cần một số"),
            "{unreadable:?}"
        );
        // The shipped file reads through the same reader.
        assert!(parse_schedules(include_str!("../data/public-sector-holidays.toml")).is_ok());
    }

    #[test]
    fn every_decided_year_names_its_source() {
        let schedules = decided_schedules();
        assert_eq!(
            schedules.keys().copied().collect::<Vec<_>>(),
            (2020..=2026).collect::<Vec<_>>()
        );
        assert!(schedules.values().all(|d| !d.source.is_empty()));
        assert!(schedules[&2024].source.contains("2450/VPCP-KGVX"));
    }

    #[test]
    fn working_days_between_counts_what_a_walk_over_every_day_counts() {
        // The walk the per-year counts replaced, kept as the reference.
        fn walk(calendar: &mut WorkCalendar, from: Date, to: Date) -> i64 {
            if to < from {
                return -walk(calendar, to, from);
            }
            let mut count = 0;
            let mut date = from;
            while date < to {
                date = date.next_day().unwrap();
                if calendar.is_working_day(date) {
                    count += 1;
                }
            }
            count
        }
        let adjustments = [
            Adjustment {
                date: date!(2023 - 05 - 02),
                working: false,
                note: "Nghỉ bù".into(),
            },
            Adjustment {
                date: date!(2024 - 12 - 31),
                working: false,
                note: "Nghỉ".into(),
            },
            Adjustment {
                date: date!(2022 - 10 - 08),
                working: true,
                note: "Làm bù".into(),
            },
        ];
        let mut calendar = WorkCalendar::new(adjustments);
        let start = date!(2019 - 12 - 25);
        let mut seed = 0x2545_f491_u64;
        for _ in 0..400 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let from = start + Duration::days((seed >> 33) as i64 % 2_600);
            let to = from + Duration::days((seed >> 13) as i64 % 1_500 - 300);
            assert_eq!(
                calendar.working_days_between(from, to),
                walk(&mut calendar, from, to),
                "{from} → {to}"
            );
        }
        // Year ends, leap days and the same day.
        for (from, to) in [
            (date!(2023 - 12 - 31), date!(2024 - 01 - 01)),
            (date!(2024 - 02 - 28), date!(2024 - 03 - 01)),
            (date!(2020 - 12 - 31), date!(2026 - 12 - 31)),
            (date!(2024 - 12 - 31), date!(2024 - 12 - 31)),
        ] {
            assert_eq!(calendar.working_days_between(from, to), walk(&mut calendar, from, to));
        }
    }

    #[test]
    fn working_days_between_counts_lateness() {
        let mut calendar = WorkCalendar::new([]);
        // Due Friday 9/12/2022, done Tuesday 13/12: two working days late.
        assert_eq!(
            calendar.working_days_between(date!(2022 - 12 - 09), date!(2022 - 12 - 13)),
            2
        );
        assert_eq!(
            calendar.working_days_between(date!(2022 - 12 - 13), date!(2022 - 12 - 09)),
            -2
        );
        assert_eq!(
            calendar.working_days_between(date!(2022 - 12 - 09), date!(2022 - 12 - 09)),
            0
        );
    }
}
