//! The evaluation cycle's two state machines: the cycle (per year and group) and each agency's
//! assessment in it. The server checks every step here before it writes anything.
//!
//! ```text
//! cycle:       open ──finalize (monitor)──▶ finalized ──publish (leader)──▶ published
//! assessment:  drafting ──submit──▶ submitted ──mark appraised──▶ appraised
//!                  ▲                    │
//!                  └──── returned ◀─────┘ return with reasons (monitor)
//! ```

use crate::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleState {
    Open,
    Finalized,
    Published,
}

impl CycleState {
    pub fn code(self) -> &'static str {
        match self {
            CycleState::Open => "open",
            CycleState::Finalized => "finalized",
            CycleState::Published => "published",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [CycleState::Open, CycleState::Finalized, CycleState::Published]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CycleState::Open => "Đang đánh giá",
            CycleState::Finalized => "Đã tổng hợp, chờ phê duyệt",
            CycleState::Published => "Đã công bố",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentState {
    Drafting,
    Submitted,
    Returned,
    Appraised,
}

impl AssessmentState {
    pub const ALL: [AssessmentState; 4] = [
        AssessmentState::Drafting,
        AssessmentState::Submitted,
        AssessmentState::Returned,
        AssessmentState::Appraised,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AssessmentState::Drafting => "drafting",
            AssessmentState::Submitted => "submitted",
            AssessmentState::Returned => "returned",
            AssessmentState::Appraised => "appraised",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AssessmentState::Drafting => "Đang tự chấm",
            AssessmentState::Submitted => "Đã gửi, đang thẩm định",
            AssessmentState::Returned => "Bị trả lại",
            AssessmentState::Appraised => "Đã thẩm định",
        }
    }

    /// Whether the agency may change its self-scores.
    pub fn editable(self) -> bool {
        matches!(self, AssessmentState::Drafting | AssessmentState::Returned)
    }
}

/// A step in the cycle, as asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    SaveDraft,
    Submit,
    Appraise,
    Return,
    MarkAppraised,
    Finalize,
    Publish,
}

/// Why a step is refused; [`StepError::message`] is what the official reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("role may not take this step")]
    Role,
    #[error("the cycle is not open")]
    CycleClosed,
    #[error("the assessment is not in a state that allows this step")]
    State(AssessmentState),
    #[error("the cycle cannot be finalized or published in this state")]
    CycleState(CycleState),
    #[error("a return needs a reason")]
    NoReason,
}

impl StepError {
    /// What the official reads (the error page has no room for the state's name; the page
    /// behind it shows the state).
    pub fn message(&self) -> &'static str {
        match self {
            StepError::Role => "Vai trò của bạn không được thực hiện bước này.",
            StepError::CycleClosed => "Đợt đánh giá đã khoá; không thay đổi được bản đánh giá.",
            StepError::State(_) => {
                "Bản đánh giá không ở trạng thái cho phép bước này; tải lại trang để xem trạng thái mới."
            }
            StepError::CycleState(_) => "Đợt đánh giá không ở trạng thái cho phép bước này.",
            StepError::NoReason => "Trả lại bản đánh giá phải ghi rõ lý do.",
        }
    }
}

/// Checks a step on an assessment; returns the state after it.
///
/// `own` says whether the user is an officer of the assessed agency.
pub fn assessment_step(
    cycle: CycleState,
    state: AssessmentState,
    step: Step,
    role: Role,
    own: bool,
) -> Result<AssessmentState, StepError> {
    use AssessmentState as A;
    if cycle != CycleState::Open {
        return Err(StepError::CycleClosed);
    }
    let agency = role == Role::Officer && own;
    let appraiser = role.appraises();
    match step {
        Step::SaveDraft | Step::Submit if !agency => Err(StepError::Role),
        Step::SaveDraft if state.editable() => Ok(state),
        Step::Submit if state.editable() => Ok(A::Submitted),
        Step::Appraise | Step::Return | Step::MarkAppraised if !appraiser => Err(StepError::Role),
        // Appraisers may correct an appraisal until the cycle is finalized.
        Step::Appraise if matches!(state, A::Submitted | A::Appraised) => Ok(state),
        Step::Return if state == A::Submitted => Ok(A::Returned),
        Step::MarkAppraised if state == A::Submitted => Ok(A::Appraised),
        Step::Finalize | Step::Publish => Err(StepError::Role),
        _ => Err(StepError::State(state)),
    }
}

/// Which of a cycle's two deadlines a step falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The agency's self-scoring, until the self-assessment deadline.
    SelfScoring,
    /// The appraisal, until the appraisal deadline.
    Appraisal,
}

impl Window {
    pub fn code(self) -> &'static str {
        match self {
            Window::SelfScoring => "self",
            Window::Appraisal => "appraisal",
        }
    }

    pub fn from_code(code: &str) -> Option<Window> {
        [Window::SelfScoring, Window::Appraisal]
            .into_iter()
            .find(|w| w.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Window::SelfScoring => "Hạn tự chấm",
            Window::Appraisal => "Hạn thẩm định",
        }
    }

    /// The window a step on an assessment falls in; finalizing and publishing have none.
    pub fn of(step: Step) -> Option<Window> {
        match step {
            Step::SaveDraft | Step::Submit => Some(Window::SelfScoring),
            Step::Appraise | Step::Return | Step::MarkAppraised => Some(Window::Appraisal),
            Step::Finalize | Step::Publish => None,
        }
    }
}

/// The deadline in force: the cycle's, or the latest extension that applies, whichever is later.
pub fn deadline_in_force(cycle_deadline: time::Date, extensions: &[time::Date]) -> time::Date {
    extensions.iter().copied().fold(cycle_deadline, time::Date::max)
}

/// Checks a step against its window's deadline in force: a step is taken until the end of that
/// day. The message names the deadline and who may extend it.
pub fn within_deadline(step: Step, today: time::Date, deadline: time::Date) -> Result<(), String> {
    match Window::of(step) {
        Some(window) if today > deadline => Err(format!(
            "{} đã hết ngày {}; Sở Nội vụ có thể gia hạn (cho cả đợt hoặc cho cơ quan) kèm lý do.",
            window.label(),
            crate::date::format_vn(deadline)
        )),
        _ => Ok(()),
    }
}

/// Checks a step on a cycle; returns the state after it.
pub fn cycle_step(cycle: CycleState, step: Step, role: Role) -> Result<CycleState, StepError> {
    match (step, cycle) {
        (Step::Finalize, CycleState::Open) if role == Role::Monitor => Ok(CycleState::Finalized),
        (Step::Publish, CycleState::Finalized) if role == Role::Leader => Ok(CycleState::Published),
        (Step::Finalize, _) if role != Role::Monitor => Err(StepError::Role),
        (Step::Publish, _) if role != Role::Leader => Err(StepError::Role),
        (Step::Finalize | Step::Publish, state) => Err(StepError::CycleState(state)),
        _ => Err(StepError::Role),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssessmentState as A;

    #[test]
    fn deadlines_close_their_steps_and_extensions_reopen_them() {
        use time::macros::date;
        let deadline = deadline_in_force(date!(2022 - 12 - 05), &[date!(2022 - 12 - 01)]);
        assert_eq!(deadline, date!(2022 - 12 - 05), "an extension never shortens");
        assert!(within_deadline(Step::Submit, date!(2022 - 12 - 05), deadline).is_ok());
        let closed = within_deadline(Step::Submit, date!(2022 - 12 - 06), deadline).unwrap_err();
        assert!(closed.contains("Hạn tự chấm đã hết ngày 05/12/2022"), "{closed}");
        let extended = deadline_in_force(date!(2022 - 12 - 05), &[date!(2022 - 12 - 12)]);
        assert!(within_deadline(Step::Submit, date!(2022 - 12 - 06), extended).is_ok());
        assert!(within_deadline(Step::Finalize, date!(2030 - 01 - 01), deadline).is_ok());
    }

    #[test]
    fn an_agency_drafts_submits_and_is_locked() {
        let open = CycleState::Open;
        assert_eq!(
            assessment_step(open, A::Drafting, Step::SaveDraft, Role::Officer, true),
            Ok(A::Drafting)
        );
        assert_eq!(
            assessment_step(open, A::Drafting, Step::Submit, Role::Officer, true),
            Ok(A::Submitted)
        );
        assert_eq!(
            assessment_step(open, A::Submitted, Step::SaveDraft, Role::Officer, true),
            Err(StepError::State(A::Submitted))
        );
        assert_eq!(
            assessment_step(open, A::Drafting, Step::Submit, Role::Officer, false),
            Err(StepError::Role)
        );
        assert_eq!(
            assessment_step(open, A::Drafting, Step::Submit, Role::Monitor, false),
            Err(StepError::Role)
        );
    }

    #[test]
    fn the_monitor_appraises_returns_and_marks_appraised() {
        let open = CycleState::Open;
        assert_eq!(
            assessment_step(open, A::Submitted, Step::Appraise, Role::Monitor, false),
            Ok(A::Submitted)
        );
        assert_eq!(
            assessment_step(open, A::Submitted, Step::Return, Role::Monitor, false),
            Ok(A::Returned)
        );
        assert_eq!(
            assessment_step(open, A::Returned, Step::SaveDraft, Role::Officer, true),
            Ok(A::Returned)
        );
        assert_eq!(
            assessment_step(open, A::Returned, Step::Submit, Role::Officer, true),
            Ok(A::Submitted)
        );
        assert_eq!(
            assessment_step(open, A::Submitted, Step::MarkAppraised, Role::Monitor, false),
            Ok(A::Appraised)
        );
        assert_eq!(
            assessment_step(open, A::Drafting, Step::Appraise, Role::Monitor, false),
            Err(StepError::State(A::Drafting))
        );
        assert_eq!(
            assessment_step(open, A::Submitted, Step::Appraise, Role::Leader, false),
            Err(StepError::Role)
        );
        assert_eq!(
            assessment_step(
                CycleState::Finalized,
                A::Appraised,
                Step::Appraise,
                Role::Monitor,
                false
            ),
            Err(StepError::CycleClosed)
        );
    }

    #[test]
    fn the_monitor_finalizes_and_the_leader_publishes() {
        assert_eq!(
            cycle_step(CycleState::Open, Step::Finalize, Role::Monitor),
            Ok(CycleState::Finalized)
        );
        assert_eq!(
            cycle_step(CycleState::Open, Step::Publish, Role::Leader),
            Err(StepError::CycleState(CycleState::Open))
        );
        assert_eq!(
            cycle_step(CycleState::Finalized, Step::Publish, Role::Monitor),
            Err(StepError::Role)
        );
        assert_eq!(
            cycle_step(CycleState::Finalized, Step::Publish, Role::Leader),
            Ok(CycleState::Published)
        );
        assert_eq!(
            cycle_step(CycleState::Published, Step::Finalize, Role::Monitor),
            Err(StepError::CycleState(CycleState::Published))
        );
        for state in AssessmentState::ALL {
            assert_eq!(AssessmentState::from_code(state.code()), Some(state));
        }
    }
}
