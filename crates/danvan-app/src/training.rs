//! Training in mobilization work: an agency's plan and headcount for a year, its courses and
//! their attendance (typed one by one or read from a spreadsheet). Kept by the agency's officers
//! for their own agency, and by the Department and admins for any.

use danvan_domain::training::Attendee;
use danvan_store::Store;
use danvan_store::training::{Headcount, NewCourse, TrainingPlan};

use crate::{Refusal, User};

/// Adds a course organised by an agency.
pub async fn add_course(store: &Store, user: &User, course: &NewCourse) -> Result<i64, Refusal> {
    within!(store, {
        user.require_records_of(course.unit_id)?;
        store.unit(course.unit_id).await?.ok_or(Refusal::NotFound)?;
        if course.ends_on < course.starts_on {
            return Err(Refusal::Invalid(vec![
                "Ngày kết thúc không được trước ngày bắt đầu.".into(),
            ]));
        }
        Ok(store.add_course(&user.actor(), course).await?)
    })
}

/// Adds attendees to a course, naming where they came from (typed, or the file and its digest).
pub async fn add_attendance(
    store: &Store,
    user: &User,
    course_id: i64,
    attendees: &[Attendee],
    source: &str,
) -> Result<usize, Refusal> {
    within!(store, {
        let course = store.course(course_id).await?.ok_or(Refusal::NotFound)?;
        user.require_records_of(course.course.unit_id)?;
        if attendees.is_empty() {
            return Err(Refusal::Invalid(vec!["Không có người tham dự nào để thêm.".into()]));
        }
        Ok(store
            .add_attendance(&user.actor(), course_id, attendees, source)
            .await?)
    })
}

/// Saves an agency's training plan and headcount for a year, both or neither.
pub async fn save_year(store: &Store, user: &User, plan: &TrainingPlan, headcount: &Headcount) -> Result<(), Refusal> {
    within!(store, {
        user.require_records_of(plan.unit_id)?;
        if headcount.unit_id != plan.unit_id || headcount.year != plan.year {
            return Err(Refusal::Invalid(vec![
                "Kế hoạch và biên chế phải cùng đơn vị, cùng năm.".into(),
            ]));
        }
        store.unit(plan.unit_id).await?.ok_or(Refusal::NotFound)?;
        let counts = [
            plan.planned_courses,
            plan.planned_people,
            headcount.can_bo,
            headcount.cong_chuc,
            headcount.vien_chuc,
        ];
        if counts.iter().any(|n| !(0..=1_000_000).contains(n)) {
            return Err(Refusal::Invalid(vec![
                "Số liệu kế hoạch, biên chế phải là số nguyên không âm.".into(),
            ]));
        }
        Ok(store.save_training_year(&user.actor(), plan, headcount).await?)
    })
}

/// Saves an agency's training plan for a year alone (the demo's and imports' path).
pub async fn save_plan(store: &Store, user: &User, plan: &TrainingPlan) -> Result<(), Refusal> {
    within!(store, {
        user.require_records_of(plan.unit_id)?;
        store.unit(plan.unit_id).await?.ok_or(Refusal::NotFound)?;
        Ok(store.save_training_plan(&user.actor(), plan).await?)
    })
}

/// Saves an agency's headcount for a year alone.
pub async fn save_headcount(store: &Store, user: &User, headcount: &Headcount) -> Result<(), Refusal> {
    within!(store, {
        user.require_records_of(headcount.unit_id)?;
        store.unit(headcount.unit_id).await?.ok_or(Refusal::NotFound)?;
        Ok(store.save_headcount(&user.actor(), headcount).await?)
    })
}
