//! Computed criteria: a score taken from figures the system holds, by a named rule.
//!
//! The store gathers an agency's [`Facts`] for the year; a fact the system does not hold yet is
//! `None`, and the criterion then says so plainly instead of scoring zero behind the official's
//! back. Every computation returns the figures it used, shown beside the score.

use std::collections::BTreeMap;

use crate::rubric::Points;

/// What the system knows about one agency in one year. `None`: not held (yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Directive tasks due in the year: (done on time, due).
    pub tasks_on_time: Option<(u32, u32)>,
    /// The responsible leader's name, when one is assigned; `Some(None)`: none assigned.
    pub leader: Option<Option<String>>,
    /// Training courses held in the year.
    pub training_courses: Option<u32>,
    /// "Dân vận khéo" initiatives recognised in the year.
    pub initiatives_recognised: Option<u32>,
    /// Periodic reports due in the year: (submitted on time, due).
    pub reports_on_time: Option<(u32, u32)>,
}

/// The result of a computed criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computation {
    /// `None` when the data does not exist: the appraisers score it by hand.
    pub score: Option<Points>,
    /// The figures used, or why there are none, in Vietnamese.
    pub shown: String,
}

fn share(max: Points, part: u32, whole: u32) -> Points {
    if whole == 0 {
        return max;
    }
    // Rounded half up to the hundredth.
    Points((max.0 * i64::from(part) * 2 + i64::from(whole)) / (2 * i64::from(whole))).clamp(Points::ZERO, max)
}

fn per_item(max: Points, count: u32, params: &BTreeMap<String, String>) -> Points {
    let each = params
        .get("points_each")
        .and_then(|v| v.parse::<f64>().ok())
        .map(Points::from_f64)
        .unwrap_or(max);
    Points(each.0.saturating_mul(i64::from(count))).clamp(Points::ZERO, max)
}

fn missing(what: &str) -> Computation {
    Computation {
        score: None,
        shown: format!("Hệ thống chưa có dữ liệu về {what}; Hội đồng thẩm định chấm tiêu chí này."),
    }
}

/// Computes a rule for an agency; unknown rules cannot reach here (the rubric checker refuses them).
pub fn compute(rule: &str, params: &BTreeMap<String, String>, max: Points, facts: &Facts) -> Computation {
    match rule {
        "tasks_on_time" => match facts.tasks_on_time {
            Some((_, 0)) => Computation {
                score: Some(max),
                shown: "Không có nhiệm vụ nào đến hạn trong năm: đạt điểm tối đa.".into(),
            },
            Some((done, due)) => Computation {
                score: Some(share(max, done, due)),
                shown: format!("{done}/{due} nhiệm vụ hoàn thành đúng hạn."),
            },
            None => missing("nhiệm vụ được giao"),
        },
        "leader_assigned" => match &facts.leader {
            Some(Some(name)) => Computation {
                score: Some(max),
                shown: format!("Lãnh đạo phụ trách: {name}."),
            },
            Some(None) => Computation {
                score: Some(Points::ZERO),
                shown: "Chưa phân công lãnh đạo phụ trách.".into(),
            },
            None => missing("lãnh đạo phụ trách công tác dân vận"),
        },
        "training_courses" => match facts.training_courses {
            Some(n) => Computation {
                score: Some(per_item(max, n, params)),
                shown: format!("{n} lớp tập huấn trong năm."),
            },
            None => missing("lớp tập huấn, bồi dưỡng"),
        },
        "initiatives_recognised" => match facts.initiatives_recognised {
            Some(n) => Computation {
                score: Some(per_item(max, n, params)),
                shown: format!("{n} mô hình, điển hình \"Dân vận khéo\" được công nhận trong năm."),
            },
            None => missing("mô hình, điển hình \"Dân vận khéo\""),
        },
        "reports_on_time" => match facts.reports_on_time {
            Some((_, 0)) => Computation {
                score: Some(max),
                shown: "Không có báo cáo nào đến hạn trong năm: đạt điểm tối đa.".into(),
            },
            Some((done, due)) => Computation {
                score: Some(share(max, done, due)),
                shown: format!("{done}/{due} báo cáo định kỳ nộp đúng hạn."),
            },
            None => missing("báo cáo định kỳ"),
        },
        other => Computation {
            score: None,
            shown: format!("Quy tắc tính \"{other}\" không có."),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_to_the_hundredth_and_show_their_figures() {
        let facts = Facts {
            tasks_on_time: Some((2, 3)),
            ..Facts::default()
        };
        let c = compute("tasks_on_time", &BTreeMap::new(), Points(2_000), &facts);
        assert_eq!(c.score, Some(Points(1_333)));
        assert_eq!(c.shown, "2/3 nhiệm vụ hoàn thành đúng hạn.");
        let none_due = Facts {
            tasks_on_time: Some((0, 0)),
            ..Facts::default()
        };
        assert_eq!(
            compute("tasks_on_time", &BTreeMap::new(), Points(2_000), &none_due).score,
            Some(Points(2_000))
        );
    }

    #[test]
    fn counts_are_paid_per_item_up_to_the_maximum() {
        let params = BTreeMap::from([("points_each".to_owned(), "5".to_owned())]);
        let facts = Facts {
            initiatives_recognised: Some(3),
            training_courses: Some(0),
            ..Facts::default()
        };
        assert_eq!(
            compute("initiatives_recognised", &params, Points(1_000), &facts).score,
            Some(Points(1_000))
        );
        assert_eq!(
            compute("training_courses", &params, Points(500), &facts).score,
            Some(Points::ZERO)
        );
        let one = Facts {
            initiatives_recognised: Some(1),
            ..Facts::default()
        };
        assert_eq!(
            compute("initiatives_recognised", &params, Points(1_000), &one).score,
            Some(Points(500))
        );
    }

    #[test]
    fn missing_data_is_said_plainly_not_scored_zero() {
        let c = compute("reports_on_time", &BTreeMap::new(), Points(1_000), &Facts::default());
        assert_eq!(c.score, None);
        assert!(
            c.shown.starts_with("Hệ thống chưa có dữ liệu về báo cáo định kỳ"),
            "{}",
            c.shown
        );
        let leader = Facts {
            leader: Some(None),
            ..Facts::default()
        };
        assert_eq!(
            compute("leader_assigned", &BTreeMap::new(), Points(500), &leader).score,
            Some(Points::ZERO)
        );
        let named = Facts {
            leader: Some(Some("Nguyễn Văn A".into())),
            ..Facts::default()
        };
        assert_eq!(
            compute("leader_assigned", &BTreeMap::new(), Points(500), &named).shown,
            "Lãnh đạo phụ trách: Nguyễn Văn A."
        );
    }

    #[test]
    fn every_rule_the_checker_accepts_is_computed() {
        for (rule, _) in crate::rubric::COMPUTED_RULES {
            let c = compute(rule, &BTreeMap::new(), Points(100), &Facts::default());
            assert!(c.shown.starts_with("Hệ thống chưa có dữ liệu"), "{rule}: {}", c.shown);
        }
    }
}
