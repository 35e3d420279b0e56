//! What waits for whom: the lines of each role's "Việc cần làm", named in the same words as the
//! steps that clear them.

use crate::Role;

/// A kind of item waiting for someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkItem {
    /// Progress reports submitted and not yet reviewed (the monitor).
    ProgressToReview,
    /// Periodic report filings submitted and not yet accepted (the monitor).
    FilingsToAccept,
    /// Assessments submitted and not yet appraised, in open cycles (the monitor, the council).
    AssessmentsToAppraise,
    /// Open cycles with no assessment waiting and some appraised: ready to finalize (the monitor).
    CyclesToFinalize,
    /// Finalized cycles whose results wait for approval and publication (leaders).
    ResultsToPublish,
    /// The agency's open assignments due within five working days (officers).
    TasksDueSoon,
    /// The agency's open assignments past their deadline (officers).
    TasksOverdue,
    /// What was returned to the agency: progress reports, filings, its self-assessment.
    Returned,
    /// The agency's self-assessment still to submit in an open cycle.
    SelfAssessmentDue,
    /// The agency's report filings still in draft in open rounds.
    ReportsDue,
}

/// How many working days ahead "due soon" looks.
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

impl WorkItem {
    pub const ALL: [WorkItem; 10] = [
        WorkItem::ProgressToReview,
        WorkItem::FilingsToAccept,
        WorkItem::AssessmentsToAppraise,
        WorkItem::CyclesToFinalize,
        WorkItem::ResultsToPublish,
        WorkItem::TasksOverdue,
        WorkItem::TasksDueSoon,
        WorkItem::Returned,
        WorkItem::SelfAssessmentDue,
        WorkItem::ReportsDue,
    ];

    /// The lines a role's home page shows, in order.
    pub fn for_role(role: Role) -> &'static [WorkItem] {
        match role {
            Role::Monitor => &[
                WorkItem::ProgressToReview,
                WorkItem::FilingsToAccept,
                WorkItem::AssessmentsToAppraise,
                WorkItem::CyclesToFinalize,
            ],
            Role::Appraiser => &[WorkItem::AssessmentsToAppraise],
            Role::Leader => &[WorkItem::ResultsToPublish],
            Role::Officer => &[
                WorkItem::TasksOverdue,
                WorkItem::TasksDueSoon,
                WorkItem::Returned,
                WorkItem::SelfAssessmentDue,
                WorkItem::ReportsDue,
            ],
            Role::Admin => &[],
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            WorkItem::ProgressToReview => "bao-cao-tien-do",
            WorkItem::FilingsToAccept => "bao-cao-dinh-ky",
            WorkItem::AssessmentsToAppraise => "tham-dinh",
            WorkItem::CyclesToFinalize => "tong-hop-ket-qua",
            WorkItem::ResultsToPublish => "phe-duyet-ket-qua",
            WorkItem::TasksDueSoon => "sap-den-han",
            WorkItem::TasksOverdue => "qua-han",
            WorkItem::Returned => "bi-tra-lai",
            WorkItem::SelfAssessmentDue => "tu-danh-gia",
            WorkItem::ReportsDue => "bao-cao-phai-nop",
        }
    }

    pub fn from_code(code: &str) -> Option<WorkItem> {
        WorkItem::ALL.into_iter().find(|w| w.code() == code)
    }

    /// The line as the official reads it, after the count.
    pub fn label(self) -> &'static str {
        match self {
            WorkItem::ProgressToReview => "báo cáo tiến độ chờ xem xét",
            WorkItem::FilingsToAccept => "báo cáo định kỳ chờ tiếp nhận",
            WorkItem::AssessmentsToAppraise => "bản tự đánh giá chờ thẩm định",
            WorkItem::CyclesToFinalize => "đợt đánh giá sẵn sàng tổng hợp kết quả",
            WorkItem::ResultsToPublish => "kết quả đánh giá chờ phê duyệt, công bố",
            WorkItem::TasksDueSoon => "nhiệm vụ đến hạn trong 5 ngày làm việc",
            WorkItem::TasksOverdue => "nhiệm vụ quá hạn",
            WorkItem::Returned => "việc bị trả lại cần bổ sung",
            WorkItem::SelfAssessmentDue => "bản tự đánh giá chưa gửi",
            WorkItem::ReportsDue => "báo cáo định kỳ chưa nộp",
        }
    }

    /// Whether the line belongs to the role (its page answers only then).
    pub fn for_whom(self, role: Role) -> bool {
        WorkItem::for_role(role).contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_belongs_to_a_role_and_reads_back_from_its_code() {
        for item in WorkItem::ALL {
            assert_eq!(WorkItem::from_code(item.code()), Some(item));
            assert!(
                [Role::Monitor, Role::Appraiser, Role::Leader, Role::Officer]
                    .iter()
                    .any(|r| item.for_whom(*r)),
                "{item:?}"
            );
        }
        assert!(WorkItem::for_role(Role::Admin).is_empty());
    }
}
