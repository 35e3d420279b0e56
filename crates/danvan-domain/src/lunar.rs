//! The Vietnamese lunar calendar, for the holidays that follow it (Tết, Hùng Kings' day).
//!
//! Months begin on the day of the astronomical new moon in Vietnam's time (UTC+7); the eleventh
//! month holds the winter solstice; a year of thirteen months repeats the first month without a
//! principal solar term. New moons and the sun's longitude use the classical series from Jean
//! Meeus's "Astronomical Algorithms", as in Hồ Ngọc Đức's published calendar algorithm; the
//! results are pinned by tests against published dates.

use std::f64::consts::PI;

use time::Date;

/// Vietnam's time zone, in hours from UTC.
const TIME_ZONE: f64 = 7.0;

fn floor(x: f64) -> i64 {
    x.floor() as i64
}

/// The Julian day number of a Gregorian date.
fn julian_day(date: Date) -> i64 {
    i64::from(date.to_julian_day())
}

fn from_julian_day(jd: i64) -> Option<Date> {
    Date::from_julian_day(i32::try_from(jd).ok()?).ok()
}

/// The Julian day (fractional, UT) of the k-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let mut c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd + c1 - delta_t
}

/// The sun's ecliptic longitude, in radians within [0, 2π), at a Julian day.
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl = dl + (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// Which of the twelve 30° sectors the sun is in at the start of a local day.
fn sun_sector(day: i64) -> i64 {
    floor(sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0)
}

/// The local day number on which the k-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    floor(new_moon(k) + 0.5 + TIME_ZONE / 24.0)
}

/// The first day of the eleventh lunar month of the Gregorian year `year`.
fn month_11(year: i32) -> Option<i64> {
    let off = julian_day(Date::from_calendar_date(year, time::Month::December, 31).ok()?) - 2415021;
    let k = floor(off as f64 / 29.530588853);
    let mut nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        nm = new_moon_day(k - 1);
    }
    Some(nm)
}

/// Months after the eleventh month until the leap month.
fn leap_month_offset(a11: i64) -> i64 {
    let k = floor((a11 as f64 - 2415021.076998695) / 29.530588853 + 0.5);
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The Gregorian date of a lunar date (not in a leap month).
pub fn lunar_to_solar(lunar_day: u8, lunar_month: u8, lunar_year: i32) -> Option<Date> {
    let (a11, b11) = if lunar_month < 11 {
        (month_11(lunar_year - 1)?, month_11(lunar_year)?)
    } else {
        (month_11(lunar_year)?, month_11(lunar_year + 1)?)
    };
    let k = floor(0.5 + (a11 as f64 - 2415021.076998695) / 29.530588853);
    let mut off = i64::from(lunar_month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        if off >= leap_off {
            off += 1;
        }
    }
    let month_start = new_moon_day(k + off);
    from_julian_day(month_start + i64::from(lunar_day) - 1)
}

/// Tết Nguyên đán: the first day of the first lunar month of `year`.
pub fn tet(year: i32) -> Option<Date> {
    lunar_to_solar(1, 1, year)
}

/// Hùng Kings' Commemoration Day: the 10th day of the 3rd lunar month.
pub fn hung_kings_day(year: i32) -> Option<Date> {
    lunar_to_solar(10, 3, year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tet_matches_the_published_dates_2020_to_2030() {
        let published = [
            (2020, date!(2020 - 01 - 25)),
            (2021, date!(2021 - 02 - 12)),
            (2022, date!(2022 - 02 - 01)),
            (2023, date!(2023 - 01 - 22)),
            (2024, date!(2024 - 02 - 10)),
            (2025, date!(2025 - 01 - 29)),
            (2026, date!(2026 - 02 - 17)),
            (2027, date!(2027 - 02 - 06)),
            (2028, date!(2028 - 01 - 26)),
            (2029, date!(2029 - 02 - 13)),
            // The new moon fell at 23:07 in Vietnam and 00:07 the next day in China, so
            // Vietnam's Tết came a day before China's Spring Festival (3/2/2030).
            (2030, date!(2030 - 02 - 02)),
            // The same in 2007: 17/2 in Vietnam, 18/2 in China.
            (2007, date!(2007 - 02 - 17)),
        ];
        for (year, expected) in published {
            assert_eq!(tet(year), Some(expected), "Tết {year}");
        }
    }

    #[test]
    fn hung_kings_day_matches_the_published_dates() {
        for (year, expected) in [
            (2022, date!(2022 - 04 - 10)),
            (2023, date!(2023 - 04 - 29)),
            (2024, date!(2024 - 04 - 18)),
            (2025, date!(2025 - 04 - 07)),
        ] {
            assert_eq!(hung_kings_day(year), Some(expected), "Giỗ Tổ {year}");
        }
    }

    #[test]
    fn a_leap_year_places_months_after_the_leap_month() {
        // 2023 had a leap second month: the 3rd month began on 20/04/2023.
        assert_eq!(lunar_to_solar(1, 3, 2023), Some(date!(2023 - 04 - 20)));
        // 2020 had a leap fourth month: the 5th month began on 21/06/2020.
        assert_eq!(lunar_to_solar(1, 5, 2020), Some(date!(2020 - 06 - 21)));
    }
}
