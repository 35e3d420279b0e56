//! "Dân vận khéo" initiatives: what a registration holds, and the lifecycle the server enforces.
//!
//! An initiative is registered, launched, followed up, reviewed (interim reviews, then one final
//! review, each with its results), recognised at a level by a decision, and may then be
//! commended. Until it is recognised it may be stopped. A recognised initiative can be
//! replicated: the copy is a new registration that links to its original.

/// Collective (mô hình) or individual (điển hình).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Collective,
    Individual,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Collective, Kind::Individual];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Collective => "collective",
            Kind::Individual => "individual",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Collective => "Mô hình (tập thể)",
            Kind::Individual => "Điển hình (cá nhân)",
        }
    }
}

/// The four fields of "Dân vận khéo".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Economy,
    CultureSociety,
    DefenceSecurity,
    PoliticalSystem,
}

impl Field {
    pub const ALL: [Field; 4] = [
        Field::Economy,
        Field::CultureSociety,
        Field::DefenceSecurity,
        Field::PoliticalSystem,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Economy => "economy",
            Field::CultureSociety => "culture_society",
            Field::DefenceSecurity => "defence_security",
            Field::PoliticalSystem => "political_system",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Economy => "Kinh tế",
            Field::CultureSociety => "Văn hóa - xã hội",
            Field::DefenceSecurity => "Quốc phòng - an ninh",
            Field::PoliticalSystem => "Xây dựng hệ thống chính trị",
        }
    }
}

/// The level that recognises an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Commune,
    District,
    Province,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Commune, Level::District, Level::Province];

    pub fn code(self) -> &'static str {
        match self {
            Level::Commune => "commune",
            Level::District => "district",
            Level::Province => "province",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Commune => "Cấp xã",
            Level::District => "Cấp huyện",
            Level::Province => "Cấp tỉnh",
        }
    }
}

/// Where an initiative stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Registered,
    Launched,
    InProgress,
    InterimReviewed,
    FinalReviewed,
    Recognised,
    Commended,
    Stopped,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Registered,
        Stage::Launched,
        Stage::InProgress,
        Stage::InterimReviewed,
        Stage::FinalReviewed,
        Stage::Recognised,
        Stage::Commended,
        Stage::Stopped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Registered => "registered",
            Stage::Launched => "launched",
            Stage::InProgress => "in_progress",
            Stage::InterimReviewed => "interim_reviewed",
            Stage::FinalReviewed => "final_reviewed",
            Stage::Recognised => "recognised",
            Stage::Commended => "commended",
            Stage::Stopped => "stopped",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Registered => "Đã đăng ký",
            Stage::Launched => "Đã triển khai",
            Stage::InProgress => "Đang thực hiện",
            Stage::InterimReviewed => "Đã sơ kết",
            Stage::FinalReviewed => "Đã tổng kết",
            Stage::Recognised => "Được công nhận",
            Stage::Commended => "Được khen thưởng",
            Stage::Stopped => "Dừng thực hiện",
        }
    }

    /// Recognised or commended: shown in the public gallery, may be replicated.
    pub fn is_recognised(self) -> bool {
        matches!(self, Stage::Recognised | Stage::Commended)
    }
}

/// A step along the lifecycle, as an agency or the monitor records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Launch,
    FollowUp,
    InterimReview,
    FinalReview,
    Recognise(Level),
    Commend,
    Stop,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Launch => "launch",
            Step::FollowUp => "follow_up",
            Step::InterimReview => "interim_review",
            Step::FinalReview => "final_review",
            Step::Recognise(_) => "recognise",
            Step::Commend => "commend",
            Step::Stop => "stop",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Launch => "Triển khai",
            Step::FollowUp => "Theo dõi, thực hiện",
            Step::InterimReview => "Sơ kết",
            Step::FinalReview => "Tổng kết",
            Step::Recognise(_) => "Công nhận",
            Step::Commend => "Khen thưởng",
            Step::Stop => "Dừng thực hiện",
        }
    }

    /// The steps only the monitor (or the recognising level it records for) may take.
    pub fn needs_decision(self) -> bool {
        matches!(self, Step::Recognise(_) | Step::Commend)
    }

    /// Reads a step from its code; a recognition needs its level.
    pub fn parse(code: &str, level: Option<Level>) -> Option<Step> {
        Some(match code {
            "launch" => Step::Launch,
            "follow_up" => Step::FollowUp,
            "interim_review" => Step::InterimReview,
            "final_review" => Step::FinalReview,
            "recognise" => Step::Recognise(level?),
            "commend" => Step::Commend,
            "stop" => Step::Stop,
            _ => return None,
        })
    }
}

/// Why a step cannot be taken, in Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRefused(pub &'static str);

/// The stage after `step`, or why the step is not allowed from `stage`.
pub fn step(stage: Stage, step: Step) -> Result<Stage, StepRefused> {
    use Stage::*;
    match (stage, step) {
        (Registered, Step::Launch) => Ok(Launched),
        (Launched, Step::FollowUp) => Ok(InProgress),
        (InProgress | InterimReviewed, Step::InterimReview) => Ok(InterimReviewed),
        (InProgress | InterimReviewed, Step::FinalReview) => Ok(FinalReviewed),
        (FinalReviewed, Step::Recognise(_)) => Ok(Recognised),
        (Recognised, Step::Commend) => Ok(Commended),
        (Registered | Launched | InProgress | InterimReviewed | FinalReviewed, Step::Stop) => Ok(Stopped),
        (Stopped, _) => Err(StepRefused("Mô hình đã dừng thực hiện; không ghi thêm bước nào.")),
        (Recognised | Commended, Step::Stop) => Err(StepRefused(
            "Mô hình đã được công nhận; không chuyển sang dừng thực hiện được.",
        )),
        (_, Step::Recognise(_)) => Err(StepRefused("Chỉ công nhận mô hình sau khi đã tổng kết.")),
        (_, Step::Commend) => Err(StepRefused("Chỉ khen thưởng mô hình đã được công nhận.")),
        (_, Step::FinalReview | Step::InterimReview) => Err(StepRefused(
            "Chỉ sơ kết, tổng kết mô hình đang thực hiện (sau khi triển khai và theo dõi).",
        )),
        (_, Step::FollowUp) => Err(StepRefused("Chỉ theo dõi thực hiện mô hình vừa triển khai.")),
        (_, Step::Launch) => Err(StepRefused("Chỉ triển khai mô hình vừa đăng ký.")),
    }
}

/// The steps open from a stage (a recognition is listed once, for any level).
pub fn next_steps(stage: Stage) -> Vec<Step> {
    [
        Step::Launch,
        Step::FollowUp,
        Step::InterimReview,
        Step::FinalReview,
        Step::Recognise(Level::Commune),
        Step::Commend,
        Step::Stop,
    ]
    .into_iter()
    .filter(|s| step(stage, *s).is_ok())
    .collect()
}

/// The people named in "who leads" and "who takes part": each run of two to five capitalised
/// words that is not a title ("Đỗ Đức Nam" in "Đỗ Đức Nam, Phó Chủ tịch UBND xã").
pub fn people_named(fields: &[&str]) -> Vec<String> {
    const NOT_NAMES: &[&str] = &[
        "Phó",
        "Chủ",
        "Trưởng",
        "Bí",
        "Giám",
        "Cán",
        "Công",
        "Ban",
        "Hội",
        "Đoàn",
        "Ủy",
        "Uỷ",
        "Sở",
        "Phòng",
        "Chi",
        "Trung",
        "Tổ",
        "Đội",
        "Văn",
        "Thường",
        "Ông",
        "Bà",
        "Anh",
        "Chị",
        "Đồng",
        "Đ/c",
    ];
    let title = |w: &str| {
        let mut letters = w.chars().filter(|c| c.is_alphabetic());
        letters.next().is_some_and(char::is_uppercase) && letters.all(char::is_lowercase)
    };
    let mut people = Vec::new();
    for field in fields {
        for part in field.split([',', ';', '\n', '(', ')', ':', '-', '–']) {
            let words: Vec<&str> = part.split_whitespace().collect();
            let mut i = 0;
            while i < words.len() {
                // A run of capitalised words; honorifics and offices before a name are skipped.
                let start = i;
                while i < words.len() && title(words[i].trim_end_matches('.')) {
                    i += 1;
                }
                let mut run: Vec<&str> = words[start..i].iter().map(|w| w.trim_end_matches('.')).collect();
                while run.first().is_some_and(|w| NOT_NAMES.contains(w)) {
                    run.remove(0);
                }
                if (2..=5).contains(&run.len()) {
                    people.push(run.join(" "));
                }
                i = i.max(start + 1);
            }
        }
    }
    people.sort_by_key(|p| std::cmp::Reverse(p.len()));
    people.dedup();
    people
}

/// A text with the people's names taken out, for what the public sees when the agency did not
/// make the names public.
pub fn without_people(text: &str, people: &[String]) -> String {
    let mut out = text.to_owned();
    for person in people {
        out = out.replace(person.as_str(), "(ẩn tên)");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_taken_out_of_public_texts() {
        let people = people_named(&[
            "Ông Đỗ Đức Nam, Phó Chủ tịch UBND xã",
            "Nguyễn Thị Hoa; Trần Văn Bình (Bí thư)",
        ]);
        assert!(people.contains(&"Đỗ Đức Nam".to_owned()), "{people:?}");
        assert!(people.contains(&"Nguyễn Thị Hoa".to_owned()) && people.contains(&"Trần Văn Bình".to_owned()));
        assert_eq!(
            without_people("Dân vận khéo trong xây dựng nông thôn mới: Đỗ Đức Nam", &people),
            "Dân vận khéo trong xây dựng nông thôn mới: (ẩn tên)"
        );
    }

    #[test]
    fn the_whole_path_runs_in_order_and_nothing_skips_ahead() {
        let path = [
            (Step::Launch, Stage::Launched),
            (Step::FollowUp, Stage::InProgress),
            (Step::InterimReview, Stage::InterimReviewed),
            (Step::InterimReview, Stage::InterimReviewed),
            (Step::FinalReview, Stage::FinalReviewed),
            (Step::Recognise(Level::Province), Stage::Recognised),
            (Step::Commend, Stage::Commended),
        ];
        let mut stage = Stage::Registered;
        for (s, expected) in path {
            stage = step(stage, s).unwrap();
            assert_eq!(stage, expected);
        }
        assert!(step(Stage::Registered, Step::Recognise(Level::Commune)).is_err());
        assert!(step(Stage::Launched, Step::FinalReview).is_err());
        assert!(step(Stage::InProgress, Step::Commend).is_err());
        assert!(step(Stage::FinalReviewed, Step::InterimReview).is_err());
    }

    #[test]
    fn stopping_is_possible_until_recognition_and_final() {
        for stage in Stage::ALL {
            let stopped = step(stage, Step::Stop);
            assert_eq!(
                stopped.is_ok(),
                !stage.is_recognised() && stage != Stage::Stopped,
                "{stage:?}"
            );
        }
        assert_eq!(next_steps(Stage::Stopped), []);
    }

    #[test]
    fn every_stage_offers_exactly_the_steps_it_allows() {
        for stage in Stage::ALL {
            for s in next_steps(stage) {
                assert!(step(stage, s).is_ok());
            }
            assert_eq!(
                next_steps(stage).is_empty(),
                matches!(stage, Stage::Commended | Stage::Stopped)
            );
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        for f in Field::ALL {
            assert_eq!(Field::from_code(f.code()), Some(f));
        }
        for l in Level::ALL {
            assert_eq!(Level::from_code(l.code()), Some(l));
        }
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(s));
        }
        assert_eq!(Step::parse("recognise", None), None);
        assert_eq!(
            Step::parse("recognise", Some(Level::District)),
            Some(Step::Recognise(Level::District))
        );
    }
}
