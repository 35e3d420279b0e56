//! The draft decision of the Chairman of the provincial People's Committee publishing a cycle's
//! results (Quyết định công bố kết quả), with the results as its appendix. Number and date are
//! left for the clerk. Pure: the page gathers what it needs and calls [`docx`].

use danvan_domain::rubric::TieBreak;
use time::Date;

use crate::docx::{self, Align, Block, Run, Signer, TEXT_WIDTH};

/// One agency's line in the appendix.
#[derive(Debug, Clone)]
pub struct ResultLine {
    pub unit: String,
    /// "72,5", or "—" when the agency did not submit.
    pub self_total: String,
    pub total: String,
    pub band: String,
    pub rank: i64,
    /// Why an equal total has another rank (the engine's tie-break), or empty.
    pub note: String,
}

/// What the decision says.
#[derive(Debug, Clone)]
pub struct Decision {
    /// "Đắk Nông".
    pub province: String,
    /// "Khối sở, ban, ngành".
    pub group: String,
    pub year: i32,
    pub year_of_issue: i32,
    /// The day the draft is made: which laws it cites.
    pub issued_on: Date,
    /// The regulation the results follow, cited in full (see [`citation`]).
    pub basis: String,
    pub lines: Vec<ResultLine>,
    /// The rubric's tie-break rules, in order, as sentences' ends ("bị trừ ít điểm hơn").
    pub tie_break: Vec<String>,
    pub signer: Option<Signer>,
}

/// A tie-break rule as the decision names it.
pub fn tie_break_label(rule: &TieBreak) -> String {
    match rule {
        TieBreak::LessPenalty => "bị trừ ít điểm hơn".into(),
        TieBreak::Criterion(id) => format!("điểm tiêu chí {id} cao hơn"),
    }
}

/// A document as a basis cites it: "Quyết định số 729/QĐ-UBND ngày 17 tháng 5 năm 2018 của Ủy ban
/// nhân dân tỉnh … về việc …", with what the library holds of it (date, issuer as held, with
/// "UBND" written out, subject); what it does not hold is left out rather than guessed (the
/// issuer is not completed with today's province: a restructuring may have renamed it since).
pub fn citation(kind: &str, number: &str, issued_on: Option<Date>, issuer: Option<&str>, subject: &str) -> String {
    let mut text = format!("{kind} số {number}");
    if let Some(day) = issued_on {
        text.push_str(&format!(
            " ngày {} tháng {} năm {}",
            day.day(),
            u8::from(day.month()),
            day.year()
        ));
    }
    if let Some(issuer) = issuer.map(str::trim).filter(|i| !i.is_empty()) {
        let issuer = issuer
            .replace("UBND", "Ủy ban nhân dân")
            .replace("HĐND", "Hội đồng nhân dân");
        text.push_str(&format!(" của {issuer}"));
    }
    let subject = subject.trim().trim_end_matches(['.', ';']);
    if !subject.is_empty() {
        let mut chars = subject.chars();
        let first = chars
            .next()
            .map(|c| c.to_lowercase().collect::<String>())
            .unwrap_or_default();
        text.push(' ');
        text.push_str(&first);
        text.push_str(chars.as_str());
    }
    text
}

/// The law on local government in force on the day the decision is issued: the 2015 law (as
/// amended in 2019) until 30 June 2025, the 2025 law from 1 July 2025.
fn local_government_law(issued_on: Date) -> String {
    if issued_on >= time::macros::date!(2025 - 07 - 01) {
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".to_owned()
    } else {
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;".to_owned()
    }
}

/// The decision and its appendix as a .docx file.
pub fn docx(d: &Decision) -> std::io::Result<Vec<u8>> {
    let place = &d.province;
    let group = d.group.to_lowercase();
    let subject = format!(
        "Về việc công bố kết quả đánh giá, xếp loại công tác dân vận chính quyền năm {} ({})",
        d.year,
        group.trim_start_matches("khối ")
    );
    let mut blocks = docx::heading(&docx::Heading {
        parent: None,
        issuer: format!("ỦY BAN NHÂN DÂN\nTỈNH {}", place.to_uppercase()),
        symbol: "QĐ-UBND".into(),
        place_and_date: format!("{place}, ngày      tháng      năm {}", d.year_of_issue),
        kind: "QUYẾT ĐỊNH".into(),
        subject,
    });
    blocks.push(Block::para(
        Align::Center,
        vec![Run::bold(format!(
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH {}",
            place.to_uppercase()
        ))],
    ));
    for basis in [
        local_government_law(d.issued_on),
        format!("Căn cứ {};", d.basis),
        "Xét đề nghị của Giám đốc Sở Nội vụ.".to_owned(),
    ] {
        blocks.push(Block::body(vec![Run::italic(basis)]));
    }
    blocks.push(Block::para(Align::Center, vec![Run::bold("QUYẾT ĐỊNH:")]));
    blocks.push(Block::body(vec![
        Run::bold("Điều 1. "),
        Run::plain(format!(
            "Công bố kết quả đánh giá, xếp loại công tác dân vận chính quyền năm {} của {} cơ quan, đơn vị thuộc {} (chi tiết tại Phụ lục kèm theo).",
            d.year,
            d.lines.len(),
            group
        )),
    ]));
    blocks.push(Block::body(vec![
        Run::bold("Điều 2. "),
        Run::plain("Quyết định này có hiệu lực kể từ ngày ký."),
    ]));
    // The last article stays on the signature's page.
    blocks.push(Block::Together(vec![
        Block::body(vec![
            Run::bold("Điều 3. "),
            Run::plain(
                "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            ),
        ]),
        docx::signature_block(&docx::committee_signature(
            d.signer.as_ref(),
            false,
            &[
                "Như Điều 3;",
                "Ban Dân vận Tỉnh ủy;",
                "CT, các PCT UBND tỉnh;",
                "Lưu: VT, NC.",
            ],
        )),
    ]));
    blocks.push(Block::PageBreak);
    blocks.push(Block::para(Align::Center, vec![Run::bold("Phụ lục")]).keep_with_next());
    blocks.push(
        Block::para(
            Align::Center,
            vec![Run::bold(format!(
                "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM {} - {}",
                d.year,
                d.group.to_uppercase()
            ))],
        )
        .keep_with_next(),
    );
    // The Chairman decides: the appendix is attached to his decision.
    let attached = format!(
        "(Kèm theo Quyết định số       /QĐ-UBND ngày      /     /{} của Chủ tịch Ủy ban nhân dân tỉnh {place})",
        d.year_of_issue
    );
    let attached_width = docx::text_width(&attached, docx::BODY_SIZE, false).min(TEXT_WIDTH);
    blocks.push(Block::para(Align::Center, vec![Run::italic(attached)]).keep_with_next());
    blocks.push(Block::Rule {
        width: docx::short_rule(attached_width),
    });
    let cell = |text: String, align, bold: bool| {
        let run = if bold { Run::bold(text) } else { Run::plain(text) };
        vec![Block::para(align, vec![run.sized(12)])]
    };
    let mut rows = vec![
        [
            "STT",
            "Cơ quan, đơn vị",
            "Điểm tự chấm",
            "Điểm thẩm định",
            "Xếp loại",
            "Xếp hạng",
            "Ghi chú",
        ]
        .map(|h| cell(h.to_owned(), Align::Center, true))
        .to_vec(),
    ];
    for (i, line) in d.lines.iter().enumerate() {
        rows.push(vec![
            cell((i + 1).to_string(), Align::Center, false),
            cell(line.unit.clone(), Align::Left, false),
            cell(line.self_total.clone(), Align::Center, false),
            cell(line.total.clone(), Align::Center, false),
            cell(line.band.clone(), Align::Left, false),
            cell(line.rank.to_string(), Align::Center, false),
            cell(line.note.clone(), Align::Left, false),
        ]);
    }
    blocks.push(Block::Table {
        widths: vec![600, 2500, 1000, 1050, 1700, 800, 1421],
        borders: true,
        header_rows: 1,
        rows,
    });
    if !d.tie_break.is_empty() {
        blocks.push(Block::body(vec![
            Run::italic(format!(
                "Cơ quan, đơn vị bằng tổng điểm được xếp trên khi {} (theo thứ tự đó).",
                d.tie_break.join("; nếu vẫn bằng, khi ")
            ))
            .sized(12),
        ]));
    }
    docx::document(&blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_citation_carries_number_date_issuer_and_subject() {
        assert_eq!(
            citation(
                "Quyết định",
                "729/QĐ-UBND",
                Some(time::macros::date!(2018 - 05 - 17)),
                Some("UBND tỉnh Đắk Nông"),
                "Về việc ban hành Quy định về tiêu chí đánh giá."
            ),
            "Quyết định số 729/QĐ-UBND ngày 17 tháng 5 năm 2018 của Ủy ban nhân dân tỉnh Đắk Nông về việc ban hành Quy định về tiêu chí đánh giá"
        );
        assert_eq!(
            citation("Quyết định", "729/QĐ-UBND", None, None, ""),
            "Quyết định số 729/QĐ-UBND"
        );
        assert!(local_government_law(time::macros::date!(2022 - 12 - 15)).contains("năm 2015"));
        assert!(local_government_law(time::macros::date!(2025 - 07 - 01)).contains("16 tháng 6 năm 2025"));
    }
}
