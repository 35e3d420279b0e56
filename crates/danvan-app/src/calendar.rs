//! The working-day calendar's adjustments (a Saturday worked, a day off decided by the
//! government's notice), which every working-day deadline counts with. Admins keep them; each
//! change recomputes, in the same transaction, the open deadlines counted in working days.

use danvan_domain::calendar::{Adjustment, WorkCalendar};
use danvan_domain::role::Access;
use danvan_store::{Store, StoreError};
use time::Date;

use crate::{Refusal, User};

/// The longest note (the notice it follows).
pub const MAX_NOTE: usize = 200;

/// Sets a day as worked or not worked, with the notice it follows.
pub async fn set_adjustment(store: &Store, user: &User, adjustment: &Adjustment) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        let note = adjustment.note.trim();
        if note.is_empty() || note.chars().count() > MAX_NOTE {
            return Err(Refusal::Invalid(vec![format!(
                "Ghi chú (căn cứ thông báo) không được để trống và không quá {MAX_NOTE} ký tự."
            )]));
        }
        let mut before = store.work_calendar().await?;
        store.set_calendar_adjustment(&user.actor(), adjustment).await?;
        let what = if adjustment.working {
            "ngày làm việc"
        } else {
            "ngày nghỉ"
        };
        let reason = format!(
            "Tính lại theo lịch nghỉ mới: {} là {what} ({note})",
            danvan_domain::date::format_vn(adjustment.date)
        );
        recompute(store, user, &mut before, &reason).await
    })
}

/// Every open working-day deadline counted again with the calendar as it now is (those still
/// at what the calendar `before` gave).
async fn recompute(store: &Store, user: &User, before: &mut WorkCalendar, reason: &str) -> Result<(), Refusal> {
    let mut after = store.work_calendar().await?;
    store
        .recompute_working_day_deadlines(&user.actor(), before, &mut after, reason)
        .await?;
    Ok(())
}

/// Removes a day's adjustment; removing one that is not there changes nothing.
pub async fn remove_adjustment(store: &Store, user: &User, day: Date) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        let mut before = store.work_calendar().await?;
        match store.delete_calendar_adjustment(&user.actor(), day).await {
            Ok(()) => {
                let reason = format!(
                    "Tính lại theo lịch nghỉ mới: bỏ điều chỉnh ngày {}",
                    danvan_domain::date::format_vn(day)
                );
                recompute(store, user, &mut before, &reason).await
            }
            Err(StoreError::NotFound) => Ok(()),
            Err(other) => Err(other.into()),
        }
    })
}

/// An admin records a newly announced schedule from a file: for each year in it, the days whose
/// status the calendar does not already give as the file says become adjustments (with the
/// file's source as their note), all in one transaction, then the open working-day deadlines
/// are recomputed once. Returns how many days were adjusted.
pub async fn import_schedule(store: &Store, user: &User, text: &str) -> Result<usize, Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        let years = danvan_domain::calendar::parse_schedules(text).map_err(Refusal::Invalid)?;
        let mut before = store.work_calendar().await?;
        let mut changed = Vec::new();
        for (year, decided) in &years {
            let mut day = Date::from_calendar_date(*year, time::Month::January, 1)
                .map_err(|_| Refusal::Invalid(vec![format!("Năm {year} không hợp lệ.")]))?;
            while day.year() == *year {
                let weekend = matches!(day.weekday(), time::Weekday::Saturday | time::Weekday::Sunday);
                let off = decided.days_off.contains_key(&day) || (weekend && !decided.worked.contains(&day));
                if before.day_off(day).is_some() != off {
                    changed.push(Adjustment {
                        date: day,
                        working: !off,
                        note: decided.source.chars().take(MAX_NOTE).collect(),
                    });
                }
                match day.next_day() {
                    Some(next) => day = next,
                    None => break,
                }
            }
        }
        for adjustment in &changed {
            store.set_calendar_adjustment(&user.actor(), adjustment).await?;
        }
        if !changed.is_empty() {
            let years: Vec<String> = years.keys().map(i32::to_string).collect();
            let reason = format!("Tính lại theo lịch nghỉ năm {} đã công bố", years.join(", "));
            recompute(store, user, &mut before, &reason).await?;
        }
        Ok(changed.len())
    })
}
