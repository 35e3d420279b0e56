//! Charts drawn on the server as SVG: horizontal bars, one row per label, with one or more
//! stacked segments. Every chart is shown beside the table of its numbers (the page's job), so
//! the SVG is decoration for sighted readers: it carries a title and is otherwise hidden from
//! screen readers, and it prints as it shows.

/// One segment of a bar: its value and its colour class (`s0`…`s3`, styled in the stylesheet
/// and repeated inline so a saved or printed chart keeps its colours).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub value: f64,
    pub series: usize,
}

/// One row: its label, its segments (stacked left to right) and the text written after the bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub segments: Vec<Segment>,
    pub shown: String,
}

const COLOURS: [&str; 4] = ["#1f6f43", "#c08a00", "#b3261e", "#4a6fa5"];
const WIDTH: u32 = 720;
const LABEL: u32 = 300;
const BAR: u32 = 320;
const ROW: u32 = 22;

fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// A horizontal bar chart; `scale` is the value of a full bar (100 for percentages).
pub fn bars(title: &str, rows: &[Bar], scale: f64, legend: &[&str]) -> String {
    let legend_height = if legend.is_empty() { 0 } else { ROW };
    let height = rows.len() as u32 * ROW + 8 + legend_height;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-hidden="true" focusable="false" font-family="sans-serif" font-size="12"><title>{}</title>"#,
        escape(title)
    );
    for (i, name) in legend.iter().enumerate() {
        let x = LABEL + i as u32 * 130;
        out.push_str(&format!(
            r#"<rect x="{x}" y="4" width="12" height="12" class="s{i}" fill="{}"/><text x="{}" y="14">{}</text>"#,
            COLOURS[i % 4],
            x + 16,
            escape(name)
        ));
    }
    let scale = if scale > 0.0 { scale } else { 1.0 };
    for (i, row) in rows.iter().enumerate() {
        let y = legend_height + i as u32 * ROW + 4;
        // A long name is cut with "…"; its full form shows on hover (and stands in the table).
        let shown = short(&row.label, 44);
        let hover = if shown == row.label {
            String::new()
        } else {
            format!("<title>{}</title>", escape(&row.label))
        };
        out.push_str(&format!(
            r#"<text x="{}" y="{}" text-anchor="end">{hover}{}</text>"#,
            LABEL - 6,
            y + 14,
            escape(&shown)
        ));
        let mut x = f64::from(LABEL);
        for segment in &row.segments {
            let w = (segment.value.max(0.0) / scale * f64::from(BAR)).min(f64::from(LABEL + BAR) - x);
            if w > 0.0 {
                out.push_str(&format!(
                    r#"<rect x="{x:.1}" y="{}" width="{w:.1}" height="{}" class="s{}" fill="{}"/>"#,
                    y + 3,
                    ROW - 6,
                    segment.series % 4,
                    COLOURS[segment.series % 4]
                ));
            }
            x += w;
        }
        out.push_str(&format!(
            r#"<text x="{}" y="{}">{}</text>"#,
            LABEL + BAR + 8,
            y + 14,
            escape(&row.shown)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_drawn_to_scale_and_labels_are_escaped() {
        let rows = [
            Bar {
                label: "Sở <A> & B".into(),
                segments: vec![Segment { value: 50.0, series: 0 }],
                shown: "50 %".into(),
            },
            Bar {
                label: "UBND huyện Đắk R'Lấp".into(),
                segments: vec![Segment { value: 25.0, series: 0 }, Segment { value: 25.0, series: 2 }],
                shown: "25 %".into(),
            },
        ];
        let svg = bars("Tỷ lệ", &rows, 100.0, &["Đúng hạn", "Muộn"]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Sở &lt;A&gt; &amp; B") && !svg.contains("<A>"));
        assert!(svg.contains(r#"width="160.0""#), "half of 320: {svg}");
        assert_eq!(svg.matches("<rect").count(), 2 + 3, "legend and segments");
        assert!(svg.contains("<title>Tỷ lệ</title>"));
    }

    #[test]
    fn long_labels_are_shortened() {
        let label = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh";
        assert!(short(label, 44).ends_with('…'));
        assert_eq!(short(label, 44).chars().count(), 44);
        // The full name shows on hover; a short one carries no extra title.
        let rows = [
            Bar {
                label: label.into(),
                segments: vec![],
                shown: "1.234".into(),
            },
            Bar {
                label: "Sở Y tế".into(),
                segments: vec![],
                shown: "5".into(),
            },
        ];
        let svg = bars("Số lượt", &rows, 10.0, &[]);
        assert!(svg.contains(&format!("<title>{label}</title>")), "{svg}");
        assert_eq!(svg.matches("<title>").count(), 2, "the chart's and the long label's");
    }
}
