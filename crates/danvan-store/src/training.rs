//! Training of officials: yearly plans, headcounts, courses and attendance, and coverage.

use danvan_domain::audit::Action;
use danvan_domain::search::fold;
use danvan_domain::training::{Attendee, Category, Coverage};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Result, Store, StoreError, parse_date};

/// An agency's plan for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingPlan {
    pub unit_id: i64,
    pub year: i32,
    pub content: String,
    pub planned_courses: i64,
    pub planned_people: i64,
}

/// How many officials an agency has in a year, per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headcount {
    pub unit_id: i64,
    pub year: i32,
    pub can_bo: i64,
    pub cong_chuc: i64,
    pub vien_chuc: i64,
}

impl Headcount {
    pub fn total(&self) -> i64 {
        self.can_bo + self.cong_chuc + self.vien_chuc
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourse {
    /// The agency that organises it (and keeps its record).
    pub unit_id: i64,
    pub title: String,
    pub topic: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub organiser: String,
    pub trainers: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseRecord {
    pub id: i64,
    pub course: NewCourse,
    pub attendees: i64,
}

/// One agency's coverage in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitCoverage {
    pub unit_id: i64,
    pub coverage: Coverage,
}

/// Rows inserted per statement when importing attendance.
const BATCH: usize = 100;

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

fn year_range(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// One official, however often trained: folded name and position.
fn person_key(attendee: &Attendee) -> String {
    let words = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}|{}", words(&attendee.name), words(&attendee.position))
}

fn course_from(row: &AnyRow) -> Result<CourseRecord> {
    Ok(CourseRecord {
        id: row.try_get("training_course_id")?,
        attendees: row.try_get("attendees")?,
        course: NewCourse {
            unit_id: row.try_get("unit_id")?,
            title: row.try_get("title")?,
            topic: row.try_get("topic")?,
            starts_on: parse_date(&row.try_get::<String, _>("starts_on")?)?,
            ends_on: parse_date(&row.try_get::<String, _>("ends_on")?)?,
            place: row.try_get("place")?,
            organiser: row.try_get("organiser")?,
            trainers: row.try_get("trainers")?,
        },
    })
}

const COURSE: &str = "c.training_course_id, c.unit_id, c.title, c.topic, c.starts_on, c.ends_on, c.place, \
                      c.organiser, c.trainers, (select count(*) from training_attendance a \
                      where a.training_course_id = c.training_course_id) as attendees";

impl Store {
    /// Records or replaces an agency's plan for a year.
    pub async fn save_training_plan(&self, actor: &Actor, plan: &TrainingPlan) -> Result<()> {
        let before = self.training_plan(plan.unit_id, plan.year).await?;
        let mut change = Change::begin(self).await?;
        upsert_plan(&mut change, actor, plan, before.as_ref()).await?;
        change.commit().await
    }

    /// Saves an agency's plan and headcount for a year together: both or neither.
    pub async fn save_training_year(&self, actor: &Actor, plan: &TrainingPlan, headcount: &Headcount) -> Result<()> {
        let before_plan = self.training_plan(plan.unit_id, plan.year).await?;
        let before_headcount = self.headcount(headcount.unit_id, headcount.year).await?;
        let mut change = Change::begin(self).await?;
        upsert_plan(&mut change, actor, plan, before_plan.as_ref()).await?;
        upsert_headcount(&mut change, actor, headcount, before_headcount.as_ref()).await?;
        change.commit().await
    }

    pub async fn training_plan(&self, unit_id: i64, year: i32) -> Result<Option<TrainingPlan>> {
        let row = sqlx::query(
            "select content, planned_courses, planned_people from training_plan where unit_id = $1 and year = $2",
        )
        .bind(unit_id)
        .bind(i64::from(year))
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|row| {
            Ok(TrainingPlan {
                unit_id,
                year,
                content: row.try_get("content")?,
                planned_courses: row.try_get("planned_courses")?,
                planned_people: row.try_get("planned_people")?,
            })
        })
        .transpose()
    }

    /// Records or replaces an agency's headcount for a year.
    pub async fn save_headcount(&self, actor: &Actor, headcount: &Headcount) -> Result<()> {
        let before = self.headcount(headcount.unit_id, headcount.year).await?;
        let mut change = Change::begin(self).await?;
        upsert_headcount(&mut change, actor, headcount, before.as_ref()).await?;
        change.commit().await
    }

    pub async fn headcount(&self, unit_id: i64, year: i32) -> Result<Option<Headcount>> {
        let row =
            sqlx::query("select can_bo, cong_chuc, vien_chuc from unit_headcount where unit_id = $1 and year = $2")
                .bind(unit_id)
                .bind(i64::from(year))
                .fetch_optional(&mut *self.conn().await?)
                .await?;
        row.map(|row| {
            Ok(Headcount {
                unit_id,
                year,
                can_bo: row.try_get("can_bo")?,
                cong_chuc: row.try_get("cong_chuc")?,
                vien_chuc: row.try_get("vien_chuc")?,
            })
        })
        .transpose()
    }

    pub async fn add_course(&self, actor: &Actor, course: &NewCourse) -> Result<i64> {
        if course.ends_on < course.starts_on {
            return Err(StoreError::Conflict("ends_on"));
        }
        let mut change = Change::begin(self).await?;
        let c = course;
        let id: i64 = sqlx::query(
            "insert into training_course (unit_id, title, topic, starts_on, ends_on, place, organiser, trainers, \
             created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning training_course_id",
        )
        .bind(c.unit_id)
        .bind(&c.title)
        .bind(&c.topic)
        .bind(iso(c.starts_on))
        .bind(iso(c.ends_on))
        .bind(&c.place)
        .bind(&c.organiser)
        .bind(&c.trainers)
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?
        .try_get(0)?;
        let after = json!({"unit_id": c.unit_id, "title": c.title, "topic": c.topic,
            "starts_on": iso(c.starts_on), "ends_on": iso(c.ends_on), "place": c.place,
            "organiser": c.organiser, "trainers": c.trainers});
        change
            .record(actor, Action::CreateCourse, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    pub async fn course(&self, id: i64) -> Result<Option<CourseRecord>> {
        let row = sqlx::query(&format!(
            "select {COURSE} from training_course c where c.training_course_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(course_from).transpose()
    }

    /// Courses starting in a year, of one organising agency or all, by start date.
    pub async fn courses(&self, unit_id: Option<i64>, year: i32) -> Result<Vec<CourseRecord>> {
        let (first, last) = year_range(year);
        let rows = sqlx::query(&format!(
            "select {COURSE} from training_course c where c.starts_on >= $1 and c.starts_on <= $2 \
             and ($3 = 0 or c.unit_id = $3) order by c.starts_on, c.training_course_id"
        ))
        .bind(first)
        .bind(last)
        .bind(unit_id.unwrap_or(0))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(course_from).collect()
    }

    /// Adds officials to a course's attendance, all in one transaction with one audit record
    /// naming `source` (a file and its digest, or "nhập tay"): all are added, or none.
    pub async fn add_attendance(
        &self,
        actor: &Actor,
        course_id: i64,
        attendees: &[Attendee],
        source: &str,
    ) -> Result<usize> {
        if attendees.is_empty() {
            return Err(StoreError::Conflict("attendees"));
        }
        let mut change = Change::begin(self).await?;
        let exists = sqlx::query("select 1 from training_course where training_course_id = $1")
            .bind(course_id)
            .fetch_optional(&mut *change.tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let created_at = now();
        for chunk in attendees.chunks(BATCH) {
            let mut sql = String::from(
                "insert into training_attendance (training_course_id, unit_id, name, position, category, \
                 person_key, created_by, created_at) values ",
            );
            for i in 0..chunk.len() {
                let b = i * 8;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                ));
            }
            let mut query = sqlx::query(&sql);
            for a in chunk {
                query = query
                    .bind(course_id)
                    .bind(a.unit_id)
                    .bind(a.name.clone())
                    .bind(a.position.clone())
                    .bind(a.category.code())
                    .bind(person_key(a))
                    .bind(actor.name.clone())
                    .bind(created_at);
            }
            query.execute(&mut *change.tx).await?;
        }
        let after = json!({"course_id": course_id, "rows": attendees.len(), "source": source});
        change
            .record(actor, Action::RecordAttendance, course_id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(attendees.len())
    }

    /// A course's attendance list, in the order entered.
    pub async fn attendance_of(&self, course_id: i64) -> Result<Vec<Attendee>> {
        let rows = sqlx::query(
            "select unit_id, name, position, category from training_attendance where training_course_id = $1 \
             order by training_attendance_id",
        )
        .bind(course_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let category: String = row.try_get("category")?;
                Ok(Attendee {
                    unit_id: row.try_get("unit_id")?,
                    name: row.try_get("name")?,
                    position: row.try_get("position")?,
                    category: Category::from_code(&category)
                        .ok_or_else(|| StoreError::Corrupt(format!("bad category {category:?}")))?,
                })
            })
            .collect()
    }

    /// Per agency, the officials trained in courses starting in the year (each counted once)
    /// against the headcount it recorded for that year; every agency with either figure.
    pub async fn coverage(&self, year: i32) -> Result<Vec<UnitCoverage>> {
        let (first, last) = year_range(year);
        let rows = sqlx::query(
            "with trained as (select a.unit_id, count(distinct a.person_key) as trained from training_attendance a \
             join training_course c on c.training_course_id = a.training_course_id \
             where c.starts_on >= $1 and c.starts_on <= $2 group by a.unit_id), \
             counted as (select unit_id, can_bo + cong_chuc + vien_chuc as headcount from unit_headcount where year = $3) \
             select u.unit_id, coalesce(t.trained, 0) as trained, h.headcount from unit u \
             left join trained t on t.unit_id = u.unit_id left join counted h on h.unit_id = u.unit_id \
             where t.unit_id is not null or h.unit_id is not null order by u.unit_id",
        )
        .bind(first)
        .bind(last)
        .bind(i64::from(year))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let trained: i64 = row.try_get("trained")?;
                let headcount: Option<i64> = row.try_get("headcount")?;
                Ok(UnitCoverage {
                    unit_id: row.try_get("unit_id")?,
                    coverage: Coverage {
                        trained: trained as u32,
                        headcount: headcount.map(|h| h as u32),
                    },
                })
            })
            .collect()
    }

    /// An agency's officials trained in courses starting in the year, per category (each
    /// official counted once; one listed under two categories counts under one of them).
    pub async fn trained_by_category(&self, unit_id: i64, year: i32) -> Result<Vec<(Category, u32)>> {
        let (first, last) = year_range(year);
        let rows = sqlx::query(
            "select category, count(*) as trained from (select a.person_key, max(a.category) as category \
             from training_attendance a join training_course c on c.training_course_id = a.training_course_id \
             where a.unit_id = $1 and c.starts_on >= $2 and c.starts_on <= $3 group by a.person_key) people \
             group by category",
        )
        .bind(unit_id)
        .bind(first)
        .bind(last)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out: Vec<(Category, u32)> = Category::ALL.iter().map(|c| (*c, 0)).collect();
        for row in &rows {
            let code: String = row.try_get("category")?;
            let trained: i64 = row.try_get("trained")?;
            if let Some(slot) = out.iter_mut().find(|(c, _)| c.code() == code) {
                slot.1 = trained as u32;
            }
        }
        Ok(out)
    }

    /// The courses of a year an agency organised or sent officials to: a figure the
    /// evaluation's computed criteria use.
    pub async fn training_courses_for(&self, unit_id: i64, year: i32) -> Result<u32> {
        let (from, to) = crate::initiative::year_window(year);
        Ok(self.training_counts(unit_id, from, to).await?.0)
    }

    /// Between two days (both included, by the course's first day): the courses an agency
    /// organised or sent officials to, and its officials trained (each once). Figures periodic
    /// reports prefill.
    pub async fn training_counts(&self, unit_id: i64, from: Date, to: Date) -> Result<(u32, u32)> {
        let courses: i64 = sqlx::query(
            "select count(*) from training_course c where c.starts_on >= $1 and c.starts_on <= $2 and \
             (c.unit_id = $3 or exists (select 1 from training_attendance a \
             where a.training_course_id = c.training_course_id and a.unit_id = $3))",
        )
        .bind(iso(from))
        .bind(iso(to))
        .bind(unit_id)
        .fetch_one(&mut *self.conn().await?)
        .await?
        .try_get(0)?;
        let people: i64 = sqlx::query(
            "select count(distinct a.person_key) from training_attendance a join training_course c \
             on c.training_course_id = a.training_course_id where a.unit_id = $3 and c.starts_on >= $1 \
             and c.starts_on <= $2",
        )
        .bind(iso(from))
        .bind(iso(to))
        .bind(unit_id)
        .fetch_one(&mut *self.conn().await?)
        .await?
        .try_get(0)?;
        Ok((courses as u32, people as u32))
    }
}

async fn upsert_plan(
    change: &mut Change,
    actor: &Actor,
    plan: &TrainingPlan,
    before: Option<&TrainingPlan>,
) -> Result<()> {
    if plan.planned_courses < 0 || plan.planned_people < 0 {
        return Err(StoreError::Conflict("planned"));
    }
    sqlx::query(
        "insert into training_plan (unit_id, year, content, planned_courses, planned_people, updated_by, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (unit_id, year) do update set content = excluded.content, \
         planned_courses = excluded.planned_courses, planned_people = excluded.planned_people, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(plan.unit_id)
    .bind(i64::from(plan.year))
    .bind(&plan.content)
    .bind(plan.planned_courses)
    .bind(plan.planned_people)
    .bind(&actor.name)
    .bind(now())
    .execute(&mut *change.tx)
    .await?;
    let shape = |p: &TrainingPlan| {
        json!({"unit_id": p.unit_id, "year": p.year, "content": p.content,
               "planned_courses": p.planned_courses, "planned_people": p.planned_people})
    };
    let object = format!("{}/{}", plan.unit_id, plan.year);
    change
        .record(
            actor,
            Action::SaveTrainingPlan,
            object,
            before.map(shape).as_ref(),
            Some(&shape(plan)),
        )
        .await?;
    Ok(())
}

async fn upsert_headcount(change: &mut Change, actor: &Actor, h: &Headcount, before: Option<&Headcount>) -> Result<()> {
    if h.can_bo < 0 || h.cong_chuc < 0 || h.vien_chuc < 0 {
        return Err(StoreError::Conflict("headcount"));
    }
    sqlx::query(
        "insert into unit_headcount (unit_id, year, can_bo, cong_chuc, vien_chuc, updated_by, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (unit_id, year) do update set can_bo = excluded.can_bo, \
         cong_chuc = excluded.cong_chuc, vien_chuc = excluded.vien_chuc, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(h.unit_id)
    .bind(i64::from(h.year))
    .bind(h.can_bo)
    .bind(h.cong_chuc)
    .bind(h.vien_chuc)
    .bind(&actor.name)
    .bind(now())
    .execute(&mut *change.tx)
    .await?;
    let shape = |h: &Headcount| {
        json!({"unit_id": h.unit_id, "year": h.year, "can_bo": h.can_bo,
               "cong_chuc": h.cong_chuc, "vien_chuc": h.vien_chuc})
    };
    let object = format!("{}/{}", h.unit_id, h.year);
    change
        .record(
            actor,
            Action::SaveHeadcount,
            object,
            before.map(shape).as_ref(),
            Some(&shape(h)),
        )
        .await?;
    Ok(())
}

/// One course an official attended, as a request for their data shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceOf {
    pub course_id: i64,
    pub course_title: String,
    pub starts_on: Date,
    pub unit_id: i64,
    pub name: String,
    pub position: String,
    pub category: Category,
}

impl Store {
    /// Every attendance row of an official, found by name (folded: marks and case ignored),
    /// for a person's request to see what is held about them (security.md 29).
    pub async fn attendance_named(&self, name: &str) -> Result<Vec<AttendanceOf>> {
        let words = fold(name).split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            return Ok(vec![]);
        }
        let rows = sqlx::query(
            "select a.training_course_id, c.title, c.starts_on, a.unit_id, a.name, a.position, a.category \
             from training_attendance a join training_course c on c.training_course_id = a.training_course_id \
             where a.person_key like $1 order by c.starts_on, a.training_attendance_id",
        )
        .bind(format!("{}|%", words.replace(['%', '_'], "")))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let category: String = row.try_get("category")?;
                Ok(AttendanceOf {
                    course_id: row.try_get("training_course_id")?,
                    course_title: row.try_get("title")?,
                    starts_on: parse_date(&row.try_get::<String, _>("starts_on")?)?,
                    unit_id: row.try_get("unit_id")?,
                    name: row.try_get("name")?,
                    position: row.try_get("position")?,
                    category: Category::from_code(&category)
                        .ok_or_else(|| StoreError::Corrupt(format!("bad category {category:?}")))?,
                })
            })
            .collect()
    }
}
