//! The dashboards at `/`: for those who oversee all agencies, task completion and on-time rates
//! by agency, evaluation bands, initiatives per field, training coverage and reporting
//! completeness for a chosen period; for an agency, its deadlines, reports due and scores. Each
//! chart is an SVG drawn here with the table of its numbers beside it.

use std::collections::HashMap;

use askama::Template;
use danvan_app::store::Store;
use danvan_app::store::directive::BoardFilter;
use danvan_app::store::report::RoundState;
use danvan_domain::collation;
use danvan_domain::directive::TaskStatus;
use danvan_domain::evaluation::CycleState;
use danvan_domain::report::{Period, PeriodType};
use time::Date;

use crate::error::AppError;
use crate::pages::reports::{Rates, round_rates};
use crate::svg::{self, Bar, Segment};

/// Rows a chart shows at most: the weakest first, the rest on the pages behind the links.
const MOST: usize = 40;

/// A chart, the table of its numbers, and where the whole list is.
pub struct Chart {
    pub title: String,
    pub svg: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub note: String,
    pub link: Option<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "dashboard/charts.html")]
struct ChartsView<'a> {
    charts: &'a [Chart],
}

/// The periods a selector offers: each year from 2021 to `today`'s, and its first half.
pub fn periods(today: Date) -> Vec<Period> {
    let mut out = Vec::new();
    for year in (2021..=today.year()).rev() {
        out.extend(Period::new(PeriodType::Year, year, 1));
        out.extend(Period::new(PeriodType::HalfYear, year, 1));
    }
    out
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn shown_percent(p: Option<f64>) -> String {
    p.map(|p| format!("{} %", format!("{p:.1}").replace('.', ",")))
        .unwrap_or_else(|| "—".into())
}

/// The overseers' charts for a period, rendered (the part of the page below its frame).
pub async fn overseer_body(store: &Store, period: Period, today: Date) -> Result<String, AppError> {
    let (from, to) = period.window();
    let units: HashMap<i64, String> = store.unit_names().await?;
    let name = |id: i64| units.get(&id).cloned().unwrap_or_default();
    let mut charts = Vec::new();

    // Tasks due in the window: completion and on-time rates per agency, the weakest first.
    let filter = BoardFilter {
        due_from: Some(from),
        due_to: Some(to),
        ..Default::default()
    };
    let counts = store.board_counts(&filter, today, false).await?;
    // Over a period that spans a restructuring, each record once, under the agency alive at the
    // period's end (read only when the province has restructured at all).
    let successions = danvan_domain::unit::successions_by_predecessor(store.list_successions().await?);
    let mut folded_note = String::new();
    let counts = if successions.is_empty() {
        counts
    } else {
        let all = store.list_units().await?;
        let by_id: HashMap<i64, &danvan_domain::unit::Unit> = all.iter().map(|u| (u.id, u)).collect();
        let mut notes = Vec::new();
        let folded = crate::carried::fold(counts, &by_id, &successions, to);
        for row in &folded {
            if !row.from.is_empty() {
                notes.push(format!(
                    "{}: {}",
                    name(row.unit_id),
                    crate::carried::note(&row.from, &by_id)
                ));
            }
        }
        folded_note = notes.join(" ");
        folded.into_iter().map(|row| row.counts).collect()
    };
    let mut tasks: Vec<(String, danvan_app::store::directive::StatusCounts)> = counts
        .into_iter()
        .filter(|c| c.total() > 0)
        .map(|c| (name(c.key), c))
        .collect();
    let done = |c: &danvan_app::store::directive::StatusCounts| c.done_on_time + c.done_late;
    tasks.sort_by(|a, b| {
        let rate = |c: &danvan_app::store::directive::StatusCounts| percent(done(c), c.total()).unwrap_or(0.0);
        rate(&a.1)
            .total_cmp(&rate(&b.1))
            .then_with(|| collation::compare(&a.0, &b.0))
    });
    let all_tasks = tasks.len();
    tasks.truncate(MOST);
    charts.push(Chart {
        title: format!("Hoàn thành nhiệm vụ đến hạn trong kỳ ({all_tasks} cơ quan)"),
        svg: svg::bars(
            "Tỷ lệ hoàn thành nhiệm vụ: đúng hạn, muộn",
            &tasks
                .iter()
                .map(|(n, c)| Bar {
                    label: n.clone(),
                    segments: vec![
                        Segment {
                            value: percent(c.done_on_time, c.total()).unwrap_or(0.0),
                            series: 0,
                        },
                        Segment {
                            value: percent(c.done_late, c.total()).unwrap_or(0.0),
                            series: 1,
                        },
                    ],
                    shown: shown_percent(percent(done(c), c.total())),
                })
                .collect::<Vec<_>>(),
            100.0,
            &[TaskStatus::DoneOnTime.label(), TaskStatus::DoneLate.label()],
        ),
        headers: vec![
            "Cơ quan, đơn vị",
            "Đến hạn",
            "Đã xong",
            "Đúng hạn",
            "Quá hạn",
            "Tỷ lệ hoàn thành",
            "Tỷ lệ đúng hạn",
        ],
        rows: tasks
            .iter()
            .map(|(n, c)| {
                vec![
                    n.clone(),
                    c.total().to_string(),
                    done(c).to_string(),
                    c.done_on_time.to_string(),
                    c.overdue.to_string(),
                    shown_percent(percent(done(c), c.total())),
                    shown_percent(c.on_time_rate()),
                ]
            })
            .collect(),
        note: {
            let shown = if all_tasks > MOST {
                format!("{MOST} cơ quan có tỷ lệ hoàn thành thấp nhất.")
            } else {
                String::new()
            };
            [shown, folded_note]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        },
        link: Some(("/board", "Bảng theo dõi đầy đủ".into())),
    });

    // Evaluation bands across groups, from finalized cycles: of the period's year, or while that
    // year's evaluation runs, of the latest year that has results (said in the title).
    let finalized: Vec<_> = store
        .cycles()
        .await?
        .into_iter()
        .filter(|c| c.state != CycleState::Open && c.year <= period.year)
        .collect();
    let bands_year = finalized.iter().map(|c| c.year).max().unwrap_or(period.year);
    let mut bands: Vec<(String, usize, i64)> = Vec::new();
    for cycle in &finalized {
        if cycle.year != bands_year {
            continue;
        }
        for r in store.cycle_results(cycle.id).await? {
            match bands.iter_mut().find(|b| b.0 == r.band_title) {
                Some(b) => {
                    b.1 += 1;
                    b.2 += r.total;
                }
                None => bands.push((r.band_title.clone(), 1, r.total)),
            }
        }
    }
    // Best band first: by the average total of those in it.
    bands.sort_by_key(|b| std::cmp::Reverse(b.2 / b.1 as i64));
    let ranked: usize = bands.iter().map(|b| b.1).sum();
    charts.push(Chart {
        title: if bands_year == period.year {
            format!("Xếp loại công tác dân vận chính quyền năm {bands_year} ({ranked} cơ quan)")
        } else {
            format!(
                "Xếp loại công tác dân vận chính quyền năm {bands_year} ({ranked} cơ quan; năm {} chưa có kết quả)",
                period.year
            )
        },
        svg: svg::bars(
            "Số cơ quan theo mức xếp loại",
            &bands
                .iter()
                .map(|(band, n, _)| Bar {
                    label: band.clone(),
                    segments: vec![Segment {
                        value: *n as f64,
                        series: 3,
                    }],
                    shown: n.to_string(),
                })
                .collect::<Vec<_>>(),
            bands.iter().map(|b| b.1).max().unwrap_or(1) as f64,
            &[],
        ),
        headers: vec!["Mức xếp loại", "Số cơ quan"],
        rows: bands.iter().map(|(b, n, _)| vec![b.clone(), n.to_string()]).collect(),
        note: if bands.is_empty() {
            "Chưa có kết quả tổng hợp của năm này.".into()
        } else {
            String::new()
        },
        link: Some(("/evaluations", "Các đợt đánh giá".into())),
    });

    // Initiatives per field in the window.
    let fields = store.initiatives_by_field(from, to).await?;
    let most = fields.iter().map(|f| f.1.max(f.2)).max().unwrap_or(0).max(1);
    charts.push(Chart {
        title: "Mô hình, điển hình \"Dân vận khéo\" theo lĩnh vực".into(),
        svg: svg::bars(
            "Đăng ký và được công nhận trong kỳ, theo lĩnh vực",
            &fields
                .iter()
                .flat_map(|(f, registered, recognised)| {
                    [
                        Bar {
                            label: format!("{}: đăng ký", f.label()),
                            segments: vec![Segment {
                                value: f64::from(*registered),
                                series: 3,
                            }],
                            shown: registered.to_string(),
                        },
                        Bar {
                            label: format!("{}: công nhận", f.label()),
                            segments: vec![Segment {
                                value: f64::from(*recognised),
                                series: 0,
                            }],
                            shown: recognised.to_string(),
                        },
                    ]
                })
                .collect::<Vec<_>>(),
            f64::from(most),
            &[],
        ),
        headers: vec!["Lĩnh vực", "Đăng ký trong kỳ", "Được công nhận trong kỳ"],
        rows: fields
            .iter()
            .map(|(f, a, b)| vec![f.label().to_owned(), a.to_string(), b.to_string()])
            .collect(),
        note: String::new(),
        link: Some(("/initiatives/stats", "Thống kê theo đơn vị".into())),
    });

    // Training coverage in the period's year, the lowest first.
    let mut coverage: Vec<(String, danvan_domain::training::Coverage)> = store
        .coverage(period.year)
        .await?
        .into_iter()
        .map(|c| (name(c.unit_id), c.coverage))
        .collect();
    coverage.sort_by(|a, b| {
        a.1.percent()
            .unwrap_or(-1.0)
            .total_cmp(&b.1.percent().unwrap_or(-1.0))
            .then_with(|| collation::compare(&a.0, &b.0))
    });
    let all_coverage = coverage.len();
    coverage.truncate(MOST);
    charts.push(Chart {
        title: format!("Tỷ lệ cán bộ, công chức, viên chức được tập huấn năm {}", period.year),
        svg: svg::bars(
            "Tỷ lệ được tập huấn",
            &coverage
                .iter()
                .map(|(n, c)| Bar {
                    label: n.clone(),
                    segments: vec![Segment {
                        value: c.percent().unwrap_or(0.0),
                        series: 3,
                    }],
                    shown: shown_percent(c.percent()),
                })
                .collect::<Vec<_>>(),
            100.0,
            &[],
        ),
        headers: vec!["Cơ quan, đơn vị", "Đã tập huấn / biên chế"],
        rows: coverage.iter().map(|(n, c)| vec![n.clone(), c.shown()]).collect(),
        note: if all_coverage > MOST {
            format!("{MOST} cơ quan có tỷ lệ thấp nhất.")
        } else {
            String::new()
        },
        link: Some(("/training", "Tập huấn, bồi dưỡng".into())),
    });

    // Reporting rates of the period's year.
    let kinds: HashMap<i64, String> = store
        .report_kinds()
        .await?
        .into_iter()
        .map(|k| (k.id, k.name))
        .collect();
    let mut reporting: Vec<(String, Rates, i64)> = Vec::new();
    for round in store.rounds().await? {
        if round.period.year != period.year {
            continue;
        }
        let title = danvan_domain::report::title(
            kinds.get(&round.kind_id).map(String::as_str).unwrap_or(""),
            round.period,
        );
        let title = if round.state == RoundState::Open {
            format!("{title} (đang mở)")
        } else {
            title
        };
        reporting.push((title, round_rates(store, round.id).await?, round.id));
    }
    charts.push(Chart {
        title: format!("Nộp báo cáo định kỳ năm {}", period.year),
        svg: svg::bars(
            "Báo cáo đúng hạn, muộn, chưa nộp",
            &reporting
                .iter()
                .map(|(t, r, _)| Bar {
                    label: t.clone(),
                    segments: vec![
                        Segment {
                            value: r.on_time as f64,
                            series: 0,
                        },
                        Segment {
                            value: r.late as f64,
                            series: 1,
                        },
                        Segment {
                            value: r.missing() as f64,
                            series: 2,
                        },
                    ],
                    shown: r.completeness(),
                })
                .collect::<Vec<_>>(),
            reporting.iter().map(|r| r.1.expected).max().unwrap_or(1) as f64,
            &["Đúng hạn", "Muộn", "Chưa nộp"],
        ),
        headers: vec!["Kỳ báo cáo", "Phải nộp", "Đúng hạn", "Muộn", "Chưa nộp", "Đã nộp"],
        rows: reporting
            .iter()
            .map(|(t, r, _)| {
                vec![
                    t.clone(),
                    r.expected.to_string(),
                    r.on_time.to_string(),
                    r.late.to_string(),
                    r.missing().to_string(),
                    r.completeness(),
                ]
            })
            .collect(),
        note: if reporting.is_empty() {
            "Chưa mở kỳ báo cáo nào trong năm này.".into()
        } else {
            String::new()
        },
        link: Some(("/reports", "Báo cáo định kỳ".into())),
    });
    Ok(ChartsView { charts: &charts }.render()?)
}
