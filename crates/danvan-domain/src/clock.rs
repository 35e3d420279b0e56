//! The one clock that says what "today" is.
//!
//! The demo runs on a fixed date (15/12/2022 by default) so that its data stays believable, and
//! tests pin the date they need; `serve` uses the real date in Vietnam (UTC+7). Timestamps for
//! sessions and the audit log always use the real instant: a demo date must not make sessions
//! expire or audit records lie about when they were written.

use time::{Date, OffsetDateTime, UtcOffset};

/// Vietnam's offset from UTC; the country has no daylight saving time.
pub const VN_OFFSET: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    fixed_today: Option<Date>,
}

impl Clock {
    /// The real clock: today is the current date in Vietnam.
    pub fn system() -> Self {
        Self { fixed_today: None }
    }

    /// A clock whose "today" is always `date` (the demo, tests).
    pub fn fixed(date: Date) -> Self {
        Self {
            fixed_today: Some(date),
        }
    }

    pub fn today(&self) -> Date {
        self.fixed_today
            .unwrap_or_else(|| OffsetDateTime::now_utc().to_offset(VN_OFFSET).date())
    }

    /// The fixed date, when this clock is a demo or test clock.
    pub fn fixed_date(&self) -> Option<Date> {
        self.fixed_today
    }

    /// The real current instant, in seconds since the Unix epoch.
    pub fn now_unix(&self) -> i64 {
        OffsetDateTime::now_utc().unix_timestamp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_fixed_clock_reports_its_date() {
        let clock = Clock::fixed(date!(2022 - 12 - 15));
        assert_eq!(clock.today(), date!(2022 - 12 - 15));
        assert_eq!(clock.fixed_date(), Some(date!(2022 - 12 - 15)));
        assert!(Clock::system().fixed_date().is_none());
    }
}
