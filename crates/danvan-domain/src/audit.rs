//! The actions the audit log records, each with the words an official reads.
//!
//! Every audit record names one [`Action`]. The table below is the only place an action is
//! declared: each entry gives the codes stored in the log (kept stable, since records already
//! written and their hash chain use them) and the Vietnamese verb phrase, so an action without
//! its words does not compile. Codes found in a log that no entry knows (written by an older
//! version) are shown as they are.

use serde_json::Value;

/// Declares [`Action`]: `Variant = ("action code", "object type", "Vietnamese phrase")`.
macro_rules! actions {
    ($($variant:ident = ($action:literal, $object:literal, $vi:literal),)*) => {
        /// What an audit record says was done.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in the order of the table (grouped by what they act on).
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The action's code as stored in `audit_log.action`.
            pub fn code(self) -> &'static str {
                match self {
                    $(Action::$variant => $action,)*
                }
            }

            /// The kind of record acted on, as stored in `audit_log.object_type`.
            pub fn object_type(self) -> &'static str {
                match self {
                    $(Action::$variant => $object,)*
                }
            }

            /// The verb phrase, with the kind of record: "trả lại báo cáo tiến độ".
            pub fn vi(self) -> &'static str {
                match self {
                    $(Action::$variant => $vi,)*
                }
            }
        }
    };
}

actions! {
    // Agencies and accounts.
    CreateUnit = ("create", "unit", "tạo đơn vị"),
    UpdateUnit = ("update", "unit", "sửa thông tin đơn vị"),
    CloseUnit = ("close", "unit", "chấm dứt hoạt động của đơn vị"),
    CreateUnitGroup = ("create", "unit_group", "tạo nhóm đơn vị"),
    AddUnitIdentifier = ("add_identifier", "unit", "thêm mã định danh cho đơn vị"),
    EndUnitIdentifier = ("end_identifier", "unit", "chấm dứt hiệu lực một mã định danh của đơn vị"),
    LinkSuccession = ("link_successor", "unit", "ghi nhận đơn vị kế thừa của đơn vị"),
    AssignLeader = ("assign", "responsible_leader", "phân công lãnh đạo phụ trách"),
    EndLeader = ("end", "responsible_leader", "kết thúc phân công lãnh đạo phụ trách"),
    CreateAccount = ("create", "account", "tạo tài khoản"),
    SetPassword = ("set_password", "account", "đặt mật khẩu mới cho tài khoản"),
    SetRole = ("set_role", "account", "đổi vai trò, đơn vị của tài khoản"),
    EndSessions = ("end_sessions", "account", "kết thúc các phiên đăng nhập của tài khoản"),
    DisableAccount = ("disable", "account", "khóa tài khoản"),
    DisableInactiveAccount = ("disable_inactive", "account", "khóa tài khoản lâu không dùng"),
    EnableAccount = ("enable", "account", "mở lại tài khoản"),
    TotpOn = ("totp_on", "account", "bật xác thực hai lớp cho tài khoản"),
    TotpOff = ("totp_off", "account", "tắt xác thực hai lớp của tài khoản"),
    UnlockAccount = ("unlock", "account", "mở khóa đăng nhập cho tài khoản"),
    IssueApiToken = ("issue", "api_token", "cấp khóa API cho hệ thống khác"),
    RevokeApiToken = ("revoke", "api_token", "thu hồi khóa API"),
    ApiCall = ("call", "api_token", "gọi API"),
    // Sign-in and other security events.
    Login = ("login", "account", "đăng nhập"),
    LoginSso = ("login_sso", "account", "đăng nhập qua cổng đăng nhập của tỉnh"),
    LoginFailed = ("login_failed", "account", "đăng nhập sai mật khẩu"),
    AccountLocked = ("account_locked", "account", "bị tạm khóa đăng nhập vì nhập sai nhiều lần"),
    TotpFailed = ("totp_failed", "account", "nhập sai mã xác thực hai lớp"),
    Logout = ("logout", "account", "đăng xuất"),
    ReauthFailedConfirm = ("reauth_failed:confirm", "account", "nhập sai mật khẩu khi xác nhận một thao tác"),
    ReauthFailedPublish = ("reauth_failed:publish_cycle", "account", "nhập sai mật khẩu khi công bố kết quả đánh giá"),
    ReauthFailedTotpOff = ("reauth_failed:totp_off", "account", "nhập sai mật khẩu khi tắt xác thực hai lớp"),
    ReauthFailedChangeRole = ("reauth_failed:change_role", "account", "nhập sai mật khẩu khi đổi vai trò tài khoản"),
    ReauthFailedResetPassword = ("reauth_failed:reset_password", "account", "nhập sai mật khẩu khi đặt lại mật khẩu"),
    ExportOwnData = ("export_own_data", "account", "tải dữ liệu cá nhân của mình"),
    PersonLookup = ("person_lookup", "account", "tra cứu thông tin tài khoản"),
    ReadPersonalData = ("read", "personal_data", "xem dữ liệu cá nhân"),
    ExportBoard = ("export_board", "board", "tải bảng theo dõi nhiệm vụ"),
    ExportUnits = ("export", "unit_list", "tải danh sách đơn vị"),
    ExportResults = ("export_results", "evaluation_cycle", "tải kết quả đợt đánh giá"),
    ExportDecision = ("export_decision", "evaluation_cycle", "tải dự thảo quyết định công bố kết quả"),
    RetryMail = ("retry_mail", "outbox", "gửi lại thư"),
    RetryPackage = ("retry_edxml", "outbox", "gửi lại gói tin edXML"),
    ExportAudit = ("export", "audit_log", "tải nhật ký thay đổi"),
    // The library.
    CreateDocument = ("create", "document", "nhập văn bản"),
    UpgradeDocument = ("upgrade", "document", "cập nhật văn bản từ bản đầy đủ hơn"),
    ReceivePackage = ("receive_edxml", "document", "nhận văn bản qua gói tin edXML"),
    RefusePackage = ("refuse_edxml", "document", "từ chối tiếp nhận văn bản nhận qua edXML"),
    MapAddressee = ("map", "addressee", "ghi nhớ đơn vị ứng với nơi nhận"),
    DeleteOrphanedFiles = ("delete_orphaned_files", "stored_file", "xóa các tệp không còn gắn với hồ sơ nào"),
    // Directives and their changes.
    CreateDirective = ("create", "directive", "giao nhiệm vụ theo văn bản"),
    CancelDirective = ("cancel", "directive", "hủy toàn bộ nhiệm vụ của văn bản"),
    EditTask = ("edit", "task", "sửa nội dung nhiệm vụ"),
    ExtendTask = ("extend_deadline", "task", "gia hạn nhiệm vụ"),
    CancelTask = ("cancel", "task", "hủy nhiệm vụ"),
    AddAssignment = ("create", "assignment", "giao thêm nhiệm vụ cho đơn vị"),
    ExtendAssignment = ("extend_deadline", "assignment", "gia hạn nhiệm vụ của đơn vị"),
    WithdrawAssignment = ("withdraw", "assignment", "thu hồi nhiệm vụ đã giao đơn vị"),
    MoveAssignment = ("move", "assignment", "chuyển phần việc sang đơn vị kế thừa"),
    RecomputeDeadline = ("recompute_deadline", "assignment", "tính lại hạn theo lịch nghỉ mới cho nhiệm vụ của đơn vị"),
    SubmitProgress = ("submit", "progress_report", "gửi báo cáo tiến độ"),
    UpdateProgress = ("update", "progress_report", "sửa báo cáo tiến độ"),
    AcceptProgress = ("accept", "progress_report", "chấp nhận báo cáo tiến độ"),
    ReturnProgress = ("return", "progress_report", "trả lại báo cáo tiến độ"),
    SetCalendarDay = ("set", "calendar_adjustment", "đặt ngày nghỉ hoặc ngày làm bù"),
    DeleteCalendarDay = ("delete", "calendar_adjustment", "bỏ điều chỉnh lịch làm việc"),
    // Evaluation.
    CreateRubric = ("create", "rubric_version", "lưu bộ tiêu chí"),
    UpdateRubricDraft = ("update_draft", "rubric_version", "sửa dự thảo bộ tiêu chí"),
    OpenCycle = ("open", "evaluation_cycle", "mở đợt đánh giá"),
    SaveAssessment = ("save_draft", "assessment", "lưu bản tự đánh giá"),
    SubmitAssessment = ("submit", "assessment", "gửi bản tự đánh giá"),
    AppraiseItem = ("appraise", "assessment_item", "chấm thẩm định tiêu chí"),
    MarkAppraised = ("mark_appraised", "assessment", "hoàn thành thẩm định bản tự đánh giá"),
    ReturnAssessment = ("return", "assessment", "trả lại bản tự đánh giá"),
    MarkNotSubmitted = ("mark_not_submitted", "assessment", "ghi nhận không nộp bản tự đánh giá"),
    ExtendEvaluation = ("extend_deadline", "evaluation_extension", "gia hạn đánh giá"),
    FinalizeCycle = ("finalize", "evaluation_cycle", "tổng hợp kết quả đợt đánh giá"),
    PublishCycle = ("publish", "evaluation_cycle", "công bố kết quả đợt đánh giá"),
    RepackCycle = ("repack", "evaluation_cycle", "dựng lại dữ liệu chấm điểm của đợt đánh giá"),
    // Initiatives, dissemination, training.
    RegisterInitiative = ("register", "initiative", "đăng ký sáng kiến, mô hình"),
    AdvanceInitiative = ("advance", "initiative", "chuyển bước sáng kiến, mô hình"),
    AttachInitiativeFile = ("attach", "initiative_file", "đính kèm tệp cho sáng kiến, mô hình"),
    CreateDissemination = ("create", "dissemination", "ghi nhận hoạt động tuyên truyền"),
    CreateCourse = ("create", "training_course", "tạo lớp tập huấn"),
    RecordAttendance = ("attend", "training_course", "ghi nhận người dự lớp tập huấn"),
    SaveTrainingPlan = ("save", "training_plan", "lưu kế hoạch tập huấn"),
    SaveHeadcount = ("save", "unit_headcount", "cập nhật số cán bộ, công chức, viên chức"),
    // Periodic reports.
    CreateReportKind = ("create", "report_kind", "tạo loại báo cáo định kỳ"),
    OpenRound = ("open", "report_round", "mở kỳ báo cáo"),
    CloseRound = ("close", "report_round", "đóng kỳ báo cáo"),
    CompileRound = ("compile", "report_round", "tổng hợp báo cáo của kỳ"),
    MoveFiling = ("move", "report_filing", "chuyển báo cáo định kỳ sang đơn vị kế thừa"),
    SaveFiling = ("save", "report_filing", "lưu nháp báo cáo định kỳ"),
    SubmitFiling = ("submit", "report_filing", "gửi báo cáo định kỳ"),
    ReviewFiling = ("review", "report_filing", "xem xét báo cáo định kỳ"),
    AttachFilingFile = ("attach", "report_filing_file", "đính kèm tệp cho báo cáo định kỳ"),
    // Housekeeping.
    RetentionDeleteLoginFailures = ("retention_delete", "login_failure", "xóa các lần đăng nhập sai đã hết thời hạn lưu"),
    RetentionAnonymiseAttendance = ("retention_anonymise", "training_attendance", "ẩn danh người dự tập huấn đã hết thời hạn lưu"),
    RetentionAnonymiseAccounts = ("retention_anonymise", "account", "ẩn danh tài khoản đã khóa quá thời hạn lưu"),
}

impl Action {
    /// The action stored under these codes, if this version knows it.
    pub fn from_codes(action: &str, object_type: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.code() == action && a.object_type() == object_type)
    }

    /// An access: a sign-in event, a read or an export. It leaves its record in the chain but
    /// changes no official data, so what pages work out from that data still holds after it
    /// (the data's generation counts every other action). An action is a change unless named
    /// here: one forgotten only costs work done again, never a stale page.
    pub fn is_access(self) -> bool {
        matches!(
            self,
            Action::ApiCall
                | Action::Login
                | Action::LoginSso
                | Action::LoginFailed
                | Action::AccountLocked
                | Action::TotpFailed
                | Action::Logout
                | Action::ReauthFailedConfirm
                | Action::ReauthFailedPublish
                | Action::ReauthFailedTotpOff
                | Action::ReauthFailedChangeRole
                | Action::ReauthFailedResetPassword
                | Action::ExportOwnData
                | Action::PersonLookup
                | Action::ReadPersonalData
                | Action::ExportBoard
                | Action::ExportUnits
                | Action::ExportResults
                | Action::ExportDecision
                | Action::ExportAudit
        )
    }

    /// A stable key for forms and links: `object_type.action`.
    pub fn key(self) -> String {
        format!("{}.{}", self.object_type(), self.code())
    }

    /// The action named by [`Action::key`].
    pub fn from_key(key: &str) -> Option<Action> {
        let (object_type, action) = key.split_once('.')?;
        Action::from_codes(action, object_type)
    }
}

/// A record's kind in words, for the filter and where no action is known.
pub fn object_noun(object_type: &str) -> Option<&'static str> {
    Some(match object_type {
        "unit" => "Đơn vị",
        "unit_group" => "Nhóm đơn vị",
        "responsible_leader" => "Lãnh đạo phụ trách",
        "account" => "Tài khoản",
        "api_token" => "Khóa API",
        "personal_data" => "Dữ liệu cá nhân",
        "board" => "Bảng theo dõi",
        "unit_list" => "Danh sách đơn vị",
        "outbox" => "Thư đi",
        "audit_log" => "Nhật ký thay đổi",
        "document" => "Văn bản",
        "addressee" => "Nơi nhận",
        "stored_file" => "Tệp lưu trữ",
        "directive" => "Chỉ đạo",
        "task" => "Nhiệm vụ",
        "assignment" => "Nhiệm vụ của đơn vị",
        "progress_report" => "Báo cáo tiến độ",
        "calendar_adjustment" => "Lịch làm việc",
        "rubric_version" => "Bộ tiêu chí",
        "evaluation_cycle" => "Đợt đánh giá",
        "assessment" => "Bản tự đánh giá",
        "assessment_item" => "Tiêu chí chấm",
        "evaluation_extension" => "Gia hạn đánh giá",
        "initiative" => "Sáng kiến, mô hình",
        "initiative_file" => "Tệp của sáng kiến",
        "dissemination" => "Hoạt động tuyên truyền",
        "training_course" => "Lớp tập huấn",
        "training_plan" => "Kế hoạch tập huấn",
        "unit_headcount" => "Biên chế",
        "report_kind" => "Loại báo cáo",
        "report_round" => "Kỳ báo cáo",
        "report_filing" => "Báo cáo định kỳ",
        "report_filing_file" => "Tệp của báo cáo định kỳ",
        "login_failure" => "Lần đăng nhập sai",
        "training_attendance" => "Người dự tập huấn",
        _ => return None,
    })
}

/// The name a changed field is shown under; the key itself where none is known.
pub fn field_name(key: &str) -> &str {
    match key {
        "agencies" => "Đơn vị",
        "appraisal_deadline" => "Hạn thẩm định",
        "assessments" => "Số bản tự đánh giá",
        "assignment_id" => "Nhiệm vụ của đơn vị",
        "attachments" => "Tệp đính kèm",
        "can_bo" => "Cán bộ",
        "cancelled_on" => "Ngày hủy",
        "citations" => "Số văn bản được dẫn",
        "code" => "Mã",
        "comment" => "Nhận xét",
        "cong_chuc" => "Công chức",
        "content" => "Nội dung",
        "course_id" => "Lớp tập huấn",
        "criteria" => "Tiêu chí",
        "cycle" => "Đợt đánh giá",
        "deadline" => "Thời hạn",
        "decision" => "Quyết định",
        "deleted" => "Đã xóa",
        "disabled" => "Bị khóa",
        "display_name" => "Họ và tên",
        "doc_type" => "Loại văn bản",
        "document_date" => "Ngày văn bản",
        "document_id" => "Văn bản",
        "documents" => "Văn bản",
        "due_on" => "Hạn",
        "email" => "Thư điện tử",
        "ends_on" => "Ngày kết thúc",
        "field" => "Lĩnh vực",
        "figures" => "Số liệu",
        "file_name" => "Tên tệp",
        "file_sha256" | "sha256" | "source_sha256" => "Mã băm của tệp",
        "form" => "Hình thức",
        "from" => "Trước đó",
        "group_id" | "unit_group_id" => "Nhóm",
        "held_on" => "Ngày tổ chức",
        "id" => "Số hiệu",
        "ids" => "Các bản ghi",
        "issued_on" => "Ngày ban hành",
        "issuer" => "Cơ quan ban hành",
        "items" => "Các mục",
        "kind" => "Loại",
        "kind_id" => "Loại báo cáo",
        "leads" => "Chủ trì",
        "led_by" => "Chủ trì",
        "level" => "Cấp",
        "monitor_unit_id" => "Đơn vị theo dõi",
        "must_change_password" => "Phải đổi mật khẩu",
        "name" => "Tên",
        "note" => "Ghi chú",
        "number" => "Số",
        "on" => "Ngày",
        "organiser" => "Đơn vị tổ chức",
        "parent_id" => "Đơn vị cấp trên",
        "participants" => "Số người tham gia",
        "parts" => "Các phần",
        "people_public" => "Công khai người thực hiện",
        "percent" => "Tỷ lệ",
        "period" => "Kỳ",
        "place" => "Địa điểm",
        "planned_courses" => "Số lớp dự kiến",
        "planned_people" => "Số người dự kiến",
        "position" => "Chức vụ",
        "reason" => "Lý do",
        "records" => "Số bản ghi",
        "replicated_from" => "Nhân rộng từ",
        "reported_on" => "Ngày báo cáo",
        "results" => "Kết quả",
        "role" => "Vai trò",
        "rows" => "Số dòng",
        "rubric_version_id" => "Bộ tiêu chí",
        "sample" => "Mẫu",
        "sections" => "Các phần",
        "self_deadline" => "Hạn tự chấm",
        "sessions" => "Phiên đăng nhập",
        "short_name" => "Tên viết tắt",
        "size_bytes" => "Dung lượng (byte)",
        "source" => "Nguồn",
        "stage" => "Bước",
        "starts_on" => "Ngày bắt đầu",
        "state" | "status" => "Trạng thái",
        "step" => "Bước",
        "subject" => "Trích yếu",
        "submitted_on" => "Ngày gửi",
        "supports" => "Hỗ trợ",
        "symbol" => "Ký hiệu",
        "task_id" => "Nhiệm vụ",
        "tasks" => "Nhiệm vụ",
        "text" => "Văn bản",
        "title" => "Tiêu đề",
        "topic" => "Chủ đề",
        "trainers" => "Giảng viên",
        "unit" | "unit_id" => "Đơn vị",
        "until" => "Đến ngày",
        "username" => "Tên đăng nhập",
        "valid_from" => "Hiệu lực từ",
        "valid_to" => "Hiệu lực đến",
        "value" => "Giá trị",
        "vien_chuc" => "Viên chức",
        "warnings_note" => "Giải trình",
        "working" => "Ngày làm việc",
        "year" => "Năm",
        other => other,
    }
}

/// One changed field of a record: its name, its value before and after, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields that differ between a record's `before` and `after` (JSON objects); every field
/// of `after` when there is no `before`, in the Vietnamese order of their names. Values are shown as an official reads them (dates as
/// dd/mm/yyyy, yes/no in words); nested values as compact JSON.
pub fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let as_map = |v: Option<&Value>| match v {
        Some(Value::Object(map)) => Some(map.clone()),
        Some(Value::Null) | None => None,
        Some(other) => {
            let mut map = serde_json::Map::new();
            map.insert("value".to_owned(), other.clone());
            Some(map)
        }
    };
    let before = as_map(before);
    let after = as_map(after);
    let (b, a) = (before.as_ref().unwrap_or(&empty), after.as_ref().unwrap_or(&empty));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.dedup();
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(*k));
    let mut changes: Vec<FieldChange> = keys
        .into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| FieldChange {
            field: field_name(k).to_owned(),
            before: b.get(k).map(|v| value_words(k, v)).unwrap_or_default(),
            after: a.get(k).map(|v| value_words(k, v)).unwrap_or_default(),
        })
        .collect();
    crate::collation::sort_by_key(&mut changes, |c| &c.field);
    changes
}

/// A field's value in words: states and roles by their Vietnamese names, ISO dates as
/// dd/mm/yyyy, yes/no, empty as a dash.
pub fn value_words(key: &str, value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => "Có".to_owned(),
        Value::Bool(false) => "Không".to_owned(),
        Value::Number(n) => n.to_string().replace('.', ","),
        Value::String(s) => code_words(key, s)
            .map(str::to_owned)
            .or_else(|| answer_words(s))
            .or_else(|| iso_date_words(s))
            .unwrap_or_else(|| s.clone()),
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            items.iter().map(|v| value_words(key, v)).collect::<Vec<_>>().join(", ")
        }
        Value::Array(items) => items
            .iter()
            .map(|v| value_words(key, v))
            .collect::<Vec<_>>()
            .join(" | "),
        // A record within a record: each field by its name, in words.
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{}: {}", field_name(k), value_words(k, v)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A scored answer as stored (`p:1250`, `y:1`, `n:3`, `x:0`) in words.
fn answer_words(s: &str) -> Option<String> {
    use crate::scoring::Answer;
    Some(match Answer::decode(s)? {
        Answer::Points(p) => format!("{p} điểm"),
        Answer::Yes(true) => "Có".to_owned(),
        Answer::Yes(false) => "Không".to_owned(),
        Answer::Occurrences(n) => format!("{n} lần"),
        Answer::NotApplicable => "Không áp dụng".to_owned(),
    })
}

fn code_words(key: &str, code: &str) -> Option<&'static str> {
    use crate::evaluation::{AssessmentState, CycleState};
    match key {
        "state" | "status" => AssessmentState::from_code(code)
            .map(AssessmentState::label)
            .or_else(|| CycleState::from_code(code).map(CycleState::label))
            .or_else(|| crate::initiative::Stage::from_code(code).map(crate::initiative::Stage::label)),
        "stage" | "step" => crate::initiative::Stage::from_code(code).map(crate::initiative::Stage::label),
        "role" => match code {
            "lead" => Some("Chủ trì"),
            "support" => Some("Phối hợp"),
            _ => crate::Role::from_code(code).map(crate::Role::label),
        },
        "kind" => crate::evaluation::Window::from_code(code)
            .map(crate::evaluation::Window::label)
            .or_else(|| crate::UnitKind::from_code(code).map(crate::UnitKind::label))
            .or_else(|| crate::initiative::Kind::from_code(code).map(crate::initiative::Kind::label)),
        "period" | "period_type" => crate::report::PeriodType::from_code(code).map(crate::report::PeriodType::label),
        "field" => crate::initiative::Field::from_code(code).map(crate::initiative::Field::label),
        "level" => crate::initiative::Level::from_code(code).map(crate::initiative::Level::label),
        _ => None,
    }
}

fn iso_date_words(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let iso = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    iso.then(|| format!("{}/{}/{}", &s[8..10], &s[5..7], &s[0..4]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_action_is_stored_under_codes_of_its_own() {
        let mut seen = std::collections::HashSet::new();
        for action in Action::ALL {
            assert!(
                seen.insert((action.code(), action.object_type())),
                "{action:?} repeats a code pair"
            );
            assert_eq!(Action::from_codes(action.code(), action.object_type()), Some(*action));
            assert_eq!(Action::from_key(&action.key()), Some(*action));
            assert!(
                object_noun(action.object_type()).is_some(),
                "{action:?} acts on a kind without a name"
            );
            assert!(!action.vi().is_empty() && !action.vi().is_ascii());
        }
    }

    #[test]
    fn changed_fields_show_what_moved_in_words() {
        let before = json!({"state": "submitted", "due_on": "2022-07-15", "name": "Sở Y tế"});
        let after = json!({"state": "returned", "due_on": "2022-07-30", "name": "Sở Y tế", "disabled": true});
        let changes = changed_fields(Some(&before), Some(&after));
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "Bị khóa".into(),
                    before: String::new(),
                    after: "Có".into()
                },
                FieldChange {
                    field: "Hạn".into(),
                    before: "15/07/2022".into(),
                    after: "30/07/2022".into()
                },
                FieldChange {
                    field: "Trạng thái".into(),
                    before: "Đã gửi, đang thẩm định".into(),
                    after: "Bị trả lại".into()
                },
            ]
        );
        assert_eq!(changed_fields(None, Some(&json!({"year": 2022}))).len(), 1);
        // Scores, appraisals and nested records in words, never codes or English keys.
        let appraised = changed_fields(Some(&json!({"value": "p:1250"})), Some(&json!({"value": "x:0"})));
        assert_eq!(
            (appraised[0].before.as_str(), appraised[0].after.as_str()),
            ("12,5 điểm", "Không áp dụng")
        );
        let saved = changed_fields(
            None,
            Some(&json!({"items": [{"id": "1.1", "value": "y:1"}], "role": "lead"})),
        );
        let shown: Vec<&str> = saved.iter().map(|c| c.after.as_str()).collect();
        assert!(
            shown.contains(&"Số hiệu: 1.1; Giá trị: Có") && shown.contains(&"Chủ trì"),
            "{shown:?}"
        );
        assert!(changed_fields(None, None).is_empty());
    }
}
