//! Directives, their tasks and the agencies assigned to them.
//!
//! A task's status is never typed by anyone: it follows from its deadline, today's date and the
//! progress reports the monitor accepted. "Done" is the date of the accepted report that says
//! the work is complete (100 %).

use time::Date;

use crate::calendar::WorkCalendar;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskStatus {
    NotStarted,
    InProgress,
    Overdue,
    DoneOnTime,
    DoneLate,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Overdue,
        TaskStatus::DoneOnTime,
        TaskStatus::DoneLate,
    ];

    /// Derives the status from the dates: the deadline, today, the first report and the day the
    /// work was accepted as done.
    pub fn derive(due: Date, today: Date, first_report: Option<Date>, completed: Option<Date>) -> TaskStatus {
        match completed {
            Some(done) if done <= due => TaskStatus::DoneOnTime,
            Some(_) => TaskStatus::DoneLate,
            None if today > due => TaskStatus::Overdue,
            None if first_report.is_some() => TaskStatus::InProgress,
            None => TaskStatus::NotStarted,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Overdue => "overdue",
            TaskStatus::DoneOnTime => "done_on_time",
            TaskStatus::DoneLate => "done_late",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "Chưa triển khai",
            TaskStatus::InProgress => "Đang thực hiện trong hạn",
            TaskStatus::Overdue => "Quá hạn",
            TaskStatus::DoneOnTime => "Hoàn thành đúng hạn",
            TaskStatus::DoneLate => "Hoàn thành quá hạn",
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, TaskStatus::DoneOnTime | TaskStatus::DoneLate)
    }
}

/// What "Tỷ lệ đúng hạn" means wherever it is shown: of the tasks that have come due (done, or
/// past their deadline and not done), the share done by their deadline.
pub const ON_TIME_RATE_DEFINITION: &str = "Tỷ lệ đúng hạn = số nhiệm vụ hoàn thành đúng hạn / số nhiệm vụ đã đến hạn \
     (đã hoàn thành, đúng hạn hoặc quá hạn, cộng số nhiệm vụ quá hạn chưa hoàn thành).";

/// The on-time rate in percent from the counts of each status; `None` while nothing has come
/// due. Overdue tasks not done count against it: 3 of 5 overdue is not 100 %.
pub fn on_time_rate(done_on_time: i64, done_late: i64, overdue: i64) -> Option<f64> {
    let due = done_on_time + done_late + overdue;
    (due > 0).then(|| done_on_time as f64 * 100.0 / due as f64)
}

/// How a task's deadline is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// A fixed date.
    On(Date),
    /// N working days after the directive's document date.
    WorkingDaysFromDocument(u32),
    /// N working days after the agency received the task.
    WorkingDaysFromReceipt(u32),
}

impl Deadline {
    /// Reads the form's fields: a date, or a number of working days and what they count from.
    pub fn parse(kind: &str, date: &str, days: &str) -> Option<Deadline> {
        match kind {
            "date" => crate::date::parse(date).map(Deadline::On),
            "document" | "receipt" => {
                let n: u32 = days.trim().parse().ok().filter(|n| (1..=365).contains(n))?;
                Some(if kind == "document" {
                    Deadline::WorkingDaysFromDocument(n)
                } else {
                    Deadline::WorkingDaysFromReceipt(n)
                })
            }
            _ => None,
        }
    }

    /// A rule as stored (see [`Deadline::code`]), with the task's date for `date`. `None` for
    /// a code this version does not know.
    pub fn from_code(code: &str, date: Option<Date>) -> Option<Deadline> {
        match code.split_once(':') {
            None if code == "date" => date.map(Deadline::On),
            Some((kind @ ("document" | "receipt"), n)) => Deadline::parse(kind, "", n),
            _ => None,
        }
    }

    /// The rule as stored: `date`, `document:N`, `receipt:N`.
    pub fn code(self) -> String {
        match self {
            Deadline::On(_) => "date".to_owned(),
            Deadline::WorkingDaysFromDocument(n) => format!("document:{n}"),
            Deadline::WorkingDaysFromReceipt(n) => format!("receipt:{n}"),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Deadline::On(date) => format!("ngày {}", crate::date::format_vn(date)),
            Deadline::WorkingDaysFromDocument(n) => format!("{n} ngày làm việc kể từ ngày văn bản"),
            Deadline::WorkingDaysFromReceipt(n) => format!("{n} ngày làm việc kể từ ngày nhận"),
        }
    }

    /// The due date for an agency that received the task on `received`.
    pub fn due(self, calendar: &mut WorkCalendar, document_date: Date, received: Date) -> Date {
        match self {
            Deadline::On(date) => date,
            Deadline::WorkingDaysFromDocument(n) => calendar.add_working_days(document_date, n),
            Deadline::WorkingDaysFromReceipt(n) => calendar.add_working_days(received, n),
        }
    }
}

/// The agency a task names as its monitor: "Giao Sở Nội vụ theo dõi, tổng hợp …" gives "Sở Nội
/// vụ". Returns the phrase; resolving it to an agency is the caller's.
pub fn monitor_phrase(task: &str) -> Option<&str> {
    let giao = task.find("Giao ")?;
    let rest = &task[giao + "Giao ".len()..];
    let end = rest.find(" theo dõi").or_else(|| rest.find(" chủ trì theo dõi"))?;
    let phrase = rest[..end].trim();
    (!phrase.is_empty() && phrase.split_whitespace().count() <= 12).then_some(phrase)
}

/// Who a task names, as its text says: "Giao X chủ trì, phối hợp với Y và Z …" (a lead and
/// those who support it), "Giao X theo dõi …" (a monitoring task: X alone), "X chủ trì …",
/// "Giao X thực hiện / tham mưu / triển khai …". Each part is the phrase as written, for the
/// addressee resolver.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TaskParties<'a> {
    pub lead: Option<&'a str>,
    pub supports: Vec<&'a str>,
    /// The task only follows up on others' work: it goes to the lead alone.
    pub monitoring: bool,
}

pub fn task_parties(task: &str) -> TaskParties<'_> {
    const LEAD_VERBS: &[&str] = &[
        " chủ trì",
        " theo dõi",
        " thực hiện",
        " tham mưu",
        " triển khai",
        " phối hợp với",
    ];
    const SUPPORT_ENDS: &[&str] = &[
        " tham mưu",
        " thực hiện",
        " triển khai",
        " tổ chức",
        " xây dựng",
        " để ",
        " theo dõi",
        " hướng dẫn",
        " rà soát",
        " kiểm tra",
        " báo cáo",
        ";",
        ".",
        ":",
    ];
    let mut parties = TaskParties::default();
    let (start, giao) = match task.find("Giao ") {
        Some(at) => (at + "Giao ".len(), true),
        None => (0, false),
    };
    let rest = &task[start..];
    let Some((verb_at, verb)) = LEAD_VERBS
        .iter()
        .filter_map(|v| rest.find(v).map(|at| (at, *v)))
        .min_by_key(|(at, _)| *at)
    else {
        return parties;
    };
    let lead = rest[..verb_at].trim().trim_end_matches(',').trim();
    // Without "Giao", only "X chủ trì" at the start of the task names a lead.
    let named = !lead.is_empty() && lead.split_whitespace().count() <= 12 && (giao || verb == " chủ trì");
    if !named || lead.contains(['.', ';', ':']) {
        return parties;
    }
    parties.lead = Some(lead);
    parties.monitoring = verb == " theo dõi";
    if let Some(with) = rest.find("phối hợp với ") {
        let list = &rest[with + "phối hợp với ".len()..];
        let end = SUPPORT_ENDS
            .iter()
            .filter_map(|e| list.find(e))
            .min()
            .unwrap_or(list.len());
        parties.supports = list[..end]
            .split([','])
            .flat_map(|part| part.split(" và "))
            .map(str::trim)
            .filter(|p| !p.is_empty() && p.split_whitespace().count() <= 12)
            .collect();
    }
    parties
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_rules_read_back() {
        for rule in [
            Deadline::On(time::macros::date!(2022 - 06 - 30)),
            Deadline::WorkingDaysFromDocument(10),
            Deadline::WorkingDaysFromReceipt(7),
        ] {
            let date = match rule {
                Deadline::On(d) => Some(d),
                _ => None,
            };
            assert_eq!(Deadline::from_code(&rule.code(), date), Some(rule));
        }
        assert_eq!(Deadline::from_code("weekly:3", None), None);
    }

    #[test]
    fn a_task_names_its_lead_its_supports_or_its_monitor() {
        let monitoring = task_parties(
            "Giao Sở Nội vụ theo dõi, đôn đốc, kiểm tra việc thực hiện Công văn này; định kỳ báo cáo UBND tỉnh.",
        );
        assert_eq!((monitoring.lead, monitoring.monitoring), (Some("Sở Nội vụ"), true));
        let led = task_parties(
            "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính, Sở Tư pháp và UBND các huyện tham mưu UBND tỉnh ban hành quy chế.",
        );
        assert_eq!(led.lead, Some("Sở Nội vụ"));
        assert_eq!(led.supports, ["Sở Tài chính", "Sở Tư pháp", "UBND các huyện"]);
        assert!(!led.monitoring);
        assert_eq!(
            task_parties("Sở Y tế chủ trì triển khai kế hoạch.").lead,
            Some("Sở Y tế")
        );
        // A task that names nobody leaves the choice to the addressees.
        assert_eq!(
            task_parties("Tiếp tục thực hiện tốt các nội dung tại Công văn số 7669/UBND-NCKSTT."),
            TaskParties::default()
        );
    }

    #[test]
    fn the_on_time_rate_counts_what_is_overdue() {
        assert_eq!(on_time_rate(2, 0, 3), Some(40.0));
        assert_eq!(on_time_rate(1, 1, 0), Some(50.0));
        assert_eq!(on_time_rate(0, 0, 0), None);
    }
    use time::macros::date;

    #[test]
    fn status_follows_the_dates() {
        let due = date!(2022 - 06 - 30);
        let cases = [
            (date!(2022 - 06 - 01), None, None, TaskStatus::NotStarted),
            (
                date!(2022 - 06 - 01),
                Some(date!(2022 - 05 - 20)),
                None,
                TaskStatus::InProgress,
            ),
            (
                date!(2022 - 07 - 01),
                Some(date!(2022 - 05 - 20)),
                None,
                TaskStatus::Overdue,
            ),
            (date!(2022 - 07 - 01), None, None, TaskStatus::Overdue),
            (
                date!(2022 - 12 - 15),
                None,
                Some(date!(2022 - 06 - 30)),
                TaskStatus::DoneOnTime,
            ),
            (
                date!(2022 - 12 - 15),
                None,
                Some(date!(2022 - 07 - 01)),
                TaskStatus::DoneLate,
            ),
            // The due day itself is still within the deadline.
            (date!(2022 - 06 - 30), None, None, TaskStatus::NotStarted),
        ];
        for (today, first, done, expected) in cases {
            assert_eq!(
                TaskStatus::derive(due, today, first, done),
                expected,
                "{today} {first:?} {done:?}"
            );
        }
    }

    #[test]
    fn deadlines_are_read_and_computed() {
        let mut calendar = WorkCalendar::new([]);
        let document = date!(2022 - 04 - 25);
        assert_eq!(
            Deadline::parse("date", "30/06/2022", ""),
            Some(Deadline::On(date!(2022 - 06 - 30)))
        );
        let ten = Deadline::parse("document", "", "10").unwrap();
        // 25/4/2022 (Monday) + 10 working days, with 2 and 3 May off in 2022: 11/5.
        assert_eq!(ten.due(&mut calendar, document, document), date!(2022 - 05 - 11));
        let receipt = Deadline::parse("receipt", "", "5").unwrap();
        assert_eq!(
            receipt.due(&mut calendar, document, date!(2022 - 04 - 27)),
            date!(2022 - 05 - 06)
        );
        assert_eq!(Deadline::parse("document", "", "0"), None);
        assert_eq!(Deadline::parse("someday", "", "5"), None);
        assert_eq!(ten.code(), "document:10");
    }

    #[test]
    fn the_monitor_is_read_from_the_task() {
        assert_eq!(
            monitor_phrase("Giao Sở Nội vụ theo dõi, tổng hợp và báo cáo việc thực hiện các nội dung nêu trên."),
            Some("Sở Nội vụ")
        );
        assert_eq!(monitor_phrase("Tiếp tục thực hiện tốt các nội dung."), None);
    }
}
