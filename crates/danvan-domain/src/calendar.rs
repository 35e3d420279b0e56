//! Working days: weekends, Vietnamese public holidays, and the changes the government announces
//! each year.
//!
//! The holidays of the Labour Code (Bộ luật Lao động 2019, Điều 112): New Year's Day; five days
//! of Tết (the last day of the lunar year and the first four of the new one); Hùng Kings' day
//! (10/3 lunar); 30/4; 1/5; National Day 2/9 with one day beside it (1/9 by default). A fixed
//! holiday that falls on a weekend gives the next working day off. Each year the government
//! moves days (a Saturday worked to make a bridge holiday, the day beside 2/9); an admin records
//! those as adjustments, which override everything else.

use std::collections::{BTreeMap, HashMap};

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
    add(fixed(Month::September, 1), "Quốc khánh");
    add(fixed(Month::September, 2), "Quốc khánh");
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

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl WorkCalendar {
    pub fn new(adjustments: impl IntoIterator<Item = Adjustment>) -> Self {
        WorkCalendar {
            adjustments: adjustments.into_iter().map(|a| (a.date, a)).collect(),
            holidays: HashMap::new(),
        }
    }

    fn holidays_of(&mut self, year: i32) -> &BTreeMap<Date, String> {
        self.holidays.entry(year).or_insert_with(|| statutory_holidays(year))
    }

    /// Why the day is not worked, or `None` for a working day.
    pub fn day_off(&mut self, date: Date) -> Option<DayOff> {
        if let Some(adjustment) = self.adjustments.get(&date) {
            return (!adjustment.working).then(|| DayOff::Adjusted(adjustment.note.clone()));
        }
        if let Some(name) = self.holidays_of(date.year()).get(&date) {
            return Some(DayOff::Holiday(name.clone()));
        }
        is_weekend(date).then_some(DayOff::Weekend)
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
        if to == from {
            return 0;
        }
        if to < from {
            return -self.working_days_between(to, from);
        }
        let mut count = 0;
        let mut date = from;
        while date < to {
            match date.next_day() {
                Some(next) => date = next,
                None => break,
            }
            if self.is_working_day(date) {
                count += 1;
            }
        }
        count
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
        let mut calendar = WorkCalendar::new([]);
        // Friday 25/4/2025 + 1 working day: Monday 28/4.
        assert_eq!(
            calendar.add_working_days(date!(2025 - 04 - 25), 1),
            date!(2025 - 04 - 28)
        );
        // Tuesday 29/4/2025 + 2: 30/4 and 1/5 are holidays, so Friday 2/5 then Monday 5/5.
        assert_eq!(
            calendar.add_working_days(date!(2025 - 04 - 29), 2),
            date!(2025 - 05 - 05)
        );
        assert_eq!(
            calendar.add_working_days(date!(2025 - 04 - 29), 0),
            date!(2025 - 04 - 29)
        );
        // The government made Saturday 26/4/2025 a working day and Friday 2/5 a day off.
        let mut adjusted = WorkCalendar::new([
            Adjustment {
                date: date!(2025 - 04 - 26),
                working: true,
                note: "Làm bù".into(),
            },
            Adjustment {
                date: date!(2025 - 05 - 02),
                working: false,
                note: "Hoán đổi".into(),
            },
        ]);
        assert_eq!(
            adjusted.add_working_days(date!(2025 - 04 - 25), 1),
            date!(2025 - 04 - 26)
        );
        assert_eq!(
            adjusted.add_working_days(date!(2025 - 04 - 29), 2),
            date!(2025 - 05 - 06)
        );
        assert_eq!(
            adjusted.day_off(date!(2025 - 05 - 02)),
            Some(DayOff::Adjusted("Hoán đổi".into()))
        );
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
