//! The header: issuing body, number and symbol, place and date, type and subject.
//!
//! The header is read from the first lines as one text with its line breaks kept, because real
//! files run the two columns together ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI…"), split words over
//! lines ("Mỹ\nTho"), or put the whole header on one line.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::{DocDate, date_after_ngay};
use crate::text::{fold_case, is_cell_edge, is_title_word, is_upper_word, squash};

/// How many lines from the top the header is looked for in.
const HEADER_LINES: usize = 80;

/// A position in the cleaned text: line index and byte offset in that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Default)]
pub struct Header {
    pub issuer: Option<String>,
    pub parent_issuer: Option<String>,
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub place: Option<String>,
    pub date: Option<DocDate>,
    pub subject: Option<String>,
    /// Where the header ends and the addressees or body begin.
    pub body_start: Pos,
}

/// Document types: the capitalised title as printed, and the name used in the output.
const TITLES: &[(&str, &str)] = &[
    ("NGHỊ QUYẾT LIÊN TỊCH", "Nghị quyết liên tịch"),
    ("THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch"),
    ("NGHỊ QUYẾT", "Nghị quyết"),
    ("NGHỊ ĐỊNH", "Nghị định"),
    ("QUYẾT ĐỊNH", "Quyết định"),
    ("CHỈ THỊ", "Chỉ thị"),
    ("THÔNG TƯ", "Thông tư"),
    ("KẾ HOẠCH", "Kế hoạch"),
    ("THÔNG BÁO", "Thông báo"),
    ("BÁO CÁO", "Báo cáo"),
    ("HƯỚNG DẪN", "Hướng dẫn"),
    ("CHƯƠNG TRÌNH", "Chương trình"),
    ("QUY CHẾ", "Quy chế"),
    ("QUY ĐỊNH", "Quy định"),
    ("TỜ TRÌNH", "Tờ trình"),
    ("THƯ NGỎ", "Thư ngỏ"),
    ("GIẤY MỜI", "Giấy mời"),
    ("BIÊN BẢN", "Biên bản"),
    ("PHƯƠNG ÁN", "Phương án"),
    ("ĐỀ ÁN", "Đề án"),
    ("CÔNG ĐIỆN", "Công điện"),
    ("KẾT LUẬN", "Kết luận"),
    ("CÔNG VĂN", "Công văn"),
    ("PHÁP LỆNH", "Pháp lệnh"),
    ("SẮC LỆNH", "Sắc lệnh"),
    ("SẮC LUẬT", "Sắc luật"),
    ("ĐIỀU LỆ", "Điều lệ"),
    ("LỆNH", "Lệnh"),
    ("LUẬT", "Luật"),
];

/// Type codes in symbols (`QĐ-UBND`, `25-NQ/TW`) and their document types.
const TYPE_CODES: &[(&str, &str)] = &[
    ("QĐ", "Quyết định"),
    ("CT", "Chỉ thị"),
    ("KH", "Kế hoạch"),
    ("TB", "Thông báo"),
    ("BC", "Báo cáo"),
    ("HD", "Hướng dẫn"),
    ("CTr", "Chương trình"),
    ("QC", "Quy chế"),
    ("QyĐ", "Quy định"),
    ("TTr", "Tờ trình"),
    ("NQ", "Nghị quyết"),
    ("KL", "Kết luận"),
    ("GM", "Giấy mời"),
    ("BB", "Biên bản"),
    ("PA", "Phương án"),
    ("ĐA", "Đề án"),
    ("CĐ", "Công điện"),
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
];

/// `Số: 2071/UBND-NC`, `Số:3467/QĐ-BYT`, `Số: 1551 /UBND-VX`, `Số: 97-CP`, and the Party's
/// `Số 14-CT/TU` without a colon (then only with a capital S at the start of a line); a number may
/// hold a dot (`Số: 66.17/2026/NQ-CP`, a resolution of a numbered series); a scan may read the
/// slash as "!" (`Số: 271 !CT-TTHT`).
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:(?i:số)\s*:|^[\s|]*Số)\s*(\d+(?:\.\d+)?[a-zA-Z]?)\s*([/!-])\s*([\p{L}\p{N}](?:[\p{L}\p{N}_]|\.[\p{L}\p{N}]|&\s?)*(?:\s?[-–—/]\s?[\p{L}\p{N}](?:[\p{L}\p{N}_]|\.[\p{L}\p{N}]|&\s?)*)*)",
    )
    .expect("valid regex")
});

/// A number in a title: `NGHỊ QUYẾT SỐ 203 NQ/UBTVQH9`, `SỐ 12/2024/QĐ-TTg`.
static TITLE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\p{L}])SỐ\s*:?\s*(\d+[a-zA-Z]?)(?:\s*([/-])\s*|\s+)(\p{Lu}[\p{L}\p{N}.&_]*(?:[-/][\p{L}\p{N}][\p{L}\p{N}.&_]*)+|\p{Lu}[\p{L}\p{N}.&_]*)",
    )
    .expect("valid regex")
});

/// A title's own number and date before its subject: "SỐ 1 - HĐBT NGÀY 13 THÁNG 7 NĂM 1981",
/// "CỦA … SỐ 203 NQ/UBTVQH9 NGÀY 04-5-1994".
static OWN_NUMBER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:CỦA [^,;]{0,120}?)?SỐ\s*:?\s*\d[^,;]{0,40}?(?-u:\b)NGÀY\s*\d{1,2}(?:\s+THÁNG\s+\d{1,2}\s+NĂM\s+\d{4}|\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4})",
    )
    .expect("valid regex")
});

static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r",\s*(?i:ng[àa]y)\s*\d").expect("valid regex"));

/// The mottos printed across a header. Each holds "ộ" ("CỘNG", "Độc"), in either case.
const MOTTO_PATTERNS: &[&str] = &[
    r"(?i)(?:NƯỚC\s+)?CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM",
    r"(?i)VIỆT\s+NAM\s+DÂN\s+CHỦ\s+CỘNG\s+H(?:ÒA|OÀ)",
    // (A scan may lose the last words' marks: "Độc lập - Tự Do - Hanh Phúc".)
    r"(?i)Độc\s+lập\s*[-–—]\s*T[ựư]\s+do\s*[-–—]\s*H[ạa]nh\s+ph[úu]c",
    r"(?i)ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM",
    // The first as a scan reads it, in capitals, some marks lost: "CONG HÒA XA HOI CHỦ NGHĨA VIET
    // NAM".
    r"C[OÔỘƠ]NG\s+H(?:[OÒÓỎÕỌ]A|O[ÀÁẢÃẠ])\s+X[AÃÁÀẢẠ]\s+H[OÔỘỒỐỔỖ]I\s+CH[UỦÙÚŨỤ]\s+NGH[IĨÌÍỈỊ]A\s+VI[EÊỆÉÈẺẼẸỀẾỂỄ]T\s+NAM",
    // … its last words garbled or cut off ("CONG HÒA XÃ HO] CHỦ NGHĨA VIỆT NAM", "CỘNG HOA XÃ
    // HOI CHỦ NGHIA VIET N", "… CHỦ NGHIA ŸIƑÏ NAM"): the rest of its line.
    r"C[OÔỘƠ]NG\s+H(?:[OÒÓỎÕỌ]A|O[ÀÁẢÃẠ])\s+X[AÃÁÀẢẠ]\s+H[OÔỘỒỐỔỖ]\S?\s+CH\S{1,2}\s+NGH[^\n]*",
    // … or its first words run together, the rest garbled ("CONG HOAYXA HOI atts NGHIA lon
    // NAM"): from "CONG HOA" to the line's end, on a line that holds "NGH".
    r"C[OÔỘƠ]NG\s+H[OÒÓỎÕỌ][AÀÁẢÃẠ][^\n]*NGH[^\n]*",
    // The second line with its marks lost or its last words garbled: "Doc lap - Ty do - Hanh
    // phic", "Độc lập - Tự đồ aarti phúc": from "Độc lập - Tự" to the line's end.
    r"(?i)[ĐD][ộôo]c\s+l[ậâa]p\s*[-–—]\s*T[ựưy][^\n]*",
    // The first with its last words garbled: "CỘNG HOÀ XÃ HỘI iL xi ET NAM".
    r"C[OÔỘƠ]NG\s+H(?:[OÒÓỎÕỌ]A|O[ÀÁẢÃẠ])\s+X[AÃÁÀẢẠ]\s+H[ỘÔ]I[^\n]*",
];

static MOTTOES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    MOTTO_PATTERNS
        .iter()
        .map(|r| Regex::new(r).expect("valid regex"))
        .collect()
});

/// Whether a text can hold a motto: every motto has an "ộ" (the text is in NFC), or, as a scan
/// reads the first without its marks, "NGH" in capitals; a text with neither is not searched.
fn may_hold_motto(text: &str) -> bool {
    text.contains('ộ') || text.contains('Ộ') || text.contains("NGH")
}

/// Where the body begins at the latest: the legal bases, the addressees, the first article.
static BODY_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"Căn\s+cứ|CĂN\s+CỨ|Kính\s+gửi|KÍNH\s+GỬI|(?:^|[^\p{L}])Điều\s+1(?:[^\p{N}]|$)|Xét\s+đề\s+nghị|Theo\s+đề\s+nghị")
        .expect("valid regex")
});

static DECORATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[-–—_=]{3,}|\*{2,}|\||\.{4,}").expect("valid regex"));

/// The words every match of `BODY_START` holds, at most four bytes (the character before
/// "Điều") after its start.
static BODY_START_HEADS: LazyLock<Heads> =
    LazyLock::new(|| Heads::new(&["Căn", "CĂN", "Kính", "KÍNH", "Điều", "Xét", "Theo"], 4));

/// Where a subject marker starts: `V/v`, `V/V`, `Về việc`.
static SUBJECT_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(?:[Vv]/[Vv]\.?|Về việc|VỀ VIỆC|Về\s*:)\s*:?\s*").expect("valid regex"));

/// What every match of `SUBJECT_MARKER` holds, at most three bytes (a space) after its start.
static SUBJECT_MARKER_HEADS: LazyLock<Heads> = LazyLock::new(|| Heads::new(&["V/", "v/", "Về", "VỀ"], 3));

/// Words one of which every match of a pattern holds within a few bytes of its start: the
/// pattern's leftmost match is sought from just before the first of them, found by a vectorised
/// search, rather than by running the pattern's automaton over all the text before it (patterns
/// that open with "start of text or a space" have no words of their own for the regex crate to
/// search for).
struct Heads {
    words: aho_corasick::AhoCorasick,
    /// The most bytes a match's start stands before its word.
    lead: usize,
}

impl Heads {
    fn new(words: &[&str], lead: usize) -> Self {
        Heads {
            words: aho_corasick::AhoCorasick::new(words).expect("valid automaton"),
            lead,
        }
    }

    /// `regex.find(text)`, for a `regex` whose every match holds one of the words.
    fn find<'t>(&self, regex: &Regex, text: &'t str) -> Option<regex::Match<'t>> {
        let first = self.words.find(text)?.start();
        let mut from = first.saturating_sub(self.lead);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        // (The text before `from` is still seen by the pattern's anchors.)
        regex.find_at(text, from)
    }
}

/// A dispatch's subject written without a marker but starting "Về …" on the line under its
/// number ("Về thực hiện chế độ thông tin, báo cáo định kỳ"): the word stays in the subject.
static SUBJECT_VE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^[\s|]*(Về\s+\p{Ll})").expect("valid regex"));

/// Phrases that begin the body after a title and its subject.
const BODY_OPENERS: &[&str] = &[
    "Căn cứ",
    "Căn\ncứ",
    "Xét đề nghị",
    "Theo đề nghị",
    "Xét tờ trình",
    "Xét thấy",
    "Kính gửi",
    // As a scan reads it: the mark lost, or "Kính" lost ("… vào NSNN. gửi: Đồng chí …").
    "Kinh gửi",
    "gửi:",
    "Điều 1",
    "QUYẾT ĐỊNH:",
    "QUYẾT NGHỊ",
    "CHỈ THỊ:",
];

/// Sentences that open a body, ending the subject when they open the line under it ("Về việc
/// tạm dừng tiếp công dân" / "Thực hiện Thông báo số …"); sought at a line's start only, as a
/// subject's own words may hold them further on. A dispatch's subject is also ended by
/// [`DISPATCH_LINE_OPENERS`].
const LINE_OPENERS: &[&str] = &[
    "Thực hiện",
    "Phúc đáp",
    "Nhằm",
    "Để ",
    "Trong thời gian",
    "Triển khai",
    "Nhận được",
    "Tiếp theo",
    "Vừa qua",
    "Hiện nay",
    "Sau khi",
    "Thời gian qua",
];

/// Openers that end a dispatch's subject besides [`LINE_OPENERS`] (a titled document's subject
/// is ended by "Căn cứ", "Theo đề nghị", "Xét đề nghị" among the [`BODY_OPENERS`]).
const DISPATCH_LINE_OPENERS: &[&str] = &["Căn cứ", "Theo ", "Xét "];

/// Heads of an agency's name, used to split a two-level header ("BỘ TÀI CHÍNH TỔNG CỤC HẢI
/// QUAN") into the superior body and the issuing one.
const HEAD_WORDS: &[&str] = &[
    "THUẾ TỈNH",
    "THUẾ THÀNH PHỐ",
    "THUẾ CƠ SỞ",
    "HẢI QUAN KHU VỰC",
    "CÔNG AN",
    "TỔNG CỤC",
    "CHI CỤC",
    "CỤC",
    "BỘ",
    "SỞ",
    "ỦY BAN",
    "UỶ BAN",
    "UBND",
    "HỘI ĐỒNG",
    "BAN",
    "TIỂU BAN",
    "VĂN PHÒNG",
    "THANH TRA",
    "KHO BẠC",
    "BỆNH VIỆN",
    "HỌC VIỆN",
    "VIỆN",
    "TRƯỜNG",
    "TRUNG TÂM",
    "ĐÀI",
    "PHÒNG",
    "TỈNH ỦY",
    "TỈNH UỶ",
    "THÀNH ỦY",
    "HUYỆN ỦY",
    "ĐẢNG ỦY",
    "ĐẢNG BỘ",
    "ĐẢNG ĐOÀN",
    "BAN CÁN SỰ",
    "TẬP ĐOÀN",
    "TỔNG CÔNG TY",
    "CÔNG TY",
    "HĐND",
    "THƯỜNG TRỰC",
    "VỤ",
    "MẶT TRẬN",
    "ĐẠI HỌC",
];

/// The first lines as one text with line breaks, and the byte offset of each line in it.
struct HeaderText {
    text: String,
    starts: Vec<usize>,
}

impl HeaderText {
    fn new(lines: &[&str]) -> Self {
        let taken = &lines[..lines.len().min(HEADER_LINES)];
        let mut text = String::with_capacity(taken.iter().map(|l| l.len() + 1).sum());
        let mut starts = Vec::with_capacity(taken.len());
        for line in taken {
            starts.push(text.len());
            text.push_str(line);
            text.push('\n');
        }
        HeaderText { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        Pos {
            line,
            col: offset - self.starts.get(line).copied().unwrap_or(0),
        }
    }
}

pub fn read(lines: &[&str]) -> Header {
    let ht = HeaderText::new(lines);
    let text = ht.text.as_str();
    let mut header = Header::default();

    // Number and symbol.
    let body_opens = BODY_START_HEADS
        .find(&BODY_START, text)
        .map(|m| m.start())
        .unwrap_or(text.len());
    let number = NUMBER
        .captures(text)
        .filter(|c| {
            c.get(0)
                .is_some_and(|m| ht.pos(m.start()).line < 40 && m.start() < body_opens)
        })
        .filter(|c| c[3].chars().any(crate::text::is_letter));
    // A scan that misread "Số:" ("sé:", "S6:", "Sô;"): a line that opens with an S and at most two
    // more characters before a colon, then a number and a symbol, is the number's line.
    static NUMBER_MISREAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?m)^[ \t|]*[Ss][^\s:;]{0,2}[ \t]*[:;][ \t]*(\d+)[ \t]*(/)[ \t]*(\p{Lu}[\p{L}\p{N}]*(?:[ \t]?[-–—][ \t]?[\p{L}\p{N}]+)*)",
        )
        .expect("valid regex")
    });
    let number = number.or_else(|| {
        NUMBER_MISREAD
            .captures(&text[..body_opens])
            .filter(|c| c.get(0).is_some_and(|m| ht.pos(m.start()).line < 40))
    });
    // A number's line as a scan reads it, "Số:" lost or garbled ("Số:À394Ù /CTHN-TTHT ˆ Hà Nội,
    // ngày…", "863465\" /CT-TTIT Bình Dương, ngày…", "86:5619 SYT-NVY Thành phố Hồ Chí Minh,
    // ngày…"): the first digits of a line that holds the place and date, then a slash and the
    // symbol (or, without the slash, a symbol with a dash).
    static NUMBER_ON_PLACE_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?m)^[^\n/\d]{0,8}?(\d{1,7})[^\s\d/]{0,2}(?:[ \t]*(/)[ \t]*(\p{Lu}[\p{L}\p{N}]*(?:[ \t]?[-–—][ \t]?[\p{L}\p{N}]+)*)|[ \t]+(\p{Lu}+[-–—]\p{Lu}[\p{L}\p{N}]*(?:[-–—][\p{L}\p{N}]+)*))[^\n]{1,60}?,[ \t]*(?i:ng)",
        )
        .expect("valid regex")
    });
    let number = number.or_else(|| {
        NUMBER_ON_PLACE_LINE
            .captures(&text[..body_opens])
            .filter(|c| c.get(0).is_some_and(|m| ht.pos(m.start()).line < 20))
    });
    let title_number = TITLE_NUMBER
        .captures(text)
        .filter(|c| c.get(0).is_some_and(|m| ht.pos(m.start()).line < 5));
    let number_span = if let Some(caps) = &number {
        header.number = Some(crate::text::plain_number(&caps[1]));
        // A symbol's last part written after a space ("VPCP-V .III") ends its line.
        static TAIL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^ ?\.[\p{Lu}\p{N}]+[ \t]*(?:\n|$)").expect("valid regex"));
        // (The symbol's group, of the one of a line's alternatives that matched.)
        let symbol = caps.get(3).or_else(|| caps.get(4)).expect("a symbol group");
        let end = symbol.end();
        let tail = TAIL.find(&text[end..]).map(|m| m.as_str().trim_end()).unwrap_or("");
        header.symbol = Some(format!("{}{tail}", clean_symbol(symbol.as_str())));
        caps.get(0).map(|m| m.start()..end + tail.len())
    } else if let Some(caps) = &title_number {
        header.number = Some(caps[1].to_owned());
        // "SỐ 93 NGÀY 3 THÁNG 10 NĂM 1947": a number without a symbol, then its date.
        if &caps[3] == "NGÀY" {
            caps.get(1)
                .map(|m| m.end())
                .map(|end| caps.get(0).map_or(end, |m| m.start())..end)
        } else {
            header.symbol = Some(clean_symbol(&caps[3]));
            caps.get(0).map(|m| m.range())
        }
    } else {
        // A number left blank to be written by hand when the text is issued: "Số:        /
        // TB-UBND" gives the symbol alone (a colon or a blank before the slash: "Số/Ký hiệu", a
        // table's heading, is none).
        static SYMBOL_ALONE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?m)^[ \t|]*(?:Số|SỐ)[ \t]*(?::[ \t.…_]*|[ \t.…_]+)[/-][ \t]*((?:\d{4}/)?\p{Lu}[\p{L}\p{N}]*(?:[ \t]?[-–—/][ \t]?[\p{L}\p{N}]+)*)")
                .expect("valid regex")
        });
        SYMBOL_ALONE
            .captures(&text[..body_opens])
            .filter(|c| c.get(0).is_some_and(|m| ht.pos(m.start()).line < 40))
            .and_then(|caps| {
                header.symbol = Some(clean_symbol(&caps[1]));
                caps.get(0).map(|m| m.range())
            })
    };

    // Place and date, written before the body begins.
    let mut place_date: Option<(usize, usize)> = None;
    for found in PLACE_DATE.find_iter(&text[..body_opens]) {
        let ngay = found.start() + text[found.start()..].find(['n', 'N']).unwrap_or(0);
        if let Some((date, len)) = date_after_ngay(&text[ngay..]) {
            let place_start = place_before(&ht, found.start());
            header.place = place_start.map(|(start, place)| {
                place_date = Some((start, ngay + len));
                place
            });
            if header.place.is_none() {
                place_date = Some((found.start(), ngay + len));
            }
            header.date = Some(date);
            break;
        }
    }
    if header.date.is_none() {
        // The place line without its comma: "Hà Nội ngày 01 tháng 12 năm 2025". Only a line whose
        // words before "ngày" are all a place's is read so.
        static PLACE_NGAY: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?m)^[\s|]*\p{Lu}[^\n,]{0,40}?\s((?i:ng[àa]y)\s*\d)").expect("valid regex"));
        for caps in PLACE_NGAY.captures_iter(&text[..body_opens]) {
            let Some(ngay) = caps.get(1).map(|m| m.start()) else {
                continue;
            };
            let Some((date, len)) = date_after_ngay(&text[ngay..]) else {
                continue;
            };
            let line_start = ht.starts[ht.pos(ngay).line];
            let written: Vec<&str> = text[line_start..ngay]
                .split_whitespace()
                .filter(|w| *w != "|")
                .collect();
            // The line is the place and the date alone: nothing but punctuation after the date.
            let rest_of_line = text[ngay + len..].split('\n').next().unwrap_or("");
            // Words that open a sentence about a period are not places: "Từ ngày 01 tháng 01 năm 2026".
            let opens_period = matches!(
                written.first().copied(),
                Some(
                    "Từ" | "Trước"
                        | "Sau"
                        | "Trong"
                        | "Đến"
                        | "Vào"
                        | "Kể"
                        | "Tính"
                        | "Cho"
                        | "Theo"
                        | "Hôm"
                        | "Các"
                        | "Những"
                )
            );
            if !opens_period
                && ht.pos(ngay).line < 20
                && rest_of_line
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, '.' | '|' | ')'))
                && let Some((start, place)) = place_before(&ht, ngay)
                && place.ends_with(&written.join(" "))
            {
                header.place = Some(place);
                header.date = Some(date);
                place_date = Some((start, ngay + len));
                break;
            }
        }
    }
    // Whether the place line was found with its date left blank (or unreadable): no other date
    // in the header is the document's.
    let mut undated = false;
    if header.place.is_none() {
        // The place line of a text not yet dated, its day left blank to be written by hand:
        // "Hà Nội, ngày      tháng      năm 2026", "Đức Hợp, ngày ….. tháng 12 năm 2021"; or
        // whose day a scan could not read: "Bắc Ninh, ngayQ tháng 8", "Hà Nội, ngày l8thang 8".
        static PLACE_UNDATED: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?m)^[ \t|]*\p{Lu}[^\n,]{0,40}(,)[ \t]*(?i:ng[àa]y)(?:[ \t.…_]*(?:\d{1,2}[ \t.…_]+)?(?:(?i:tháng)|/)|[^\n,]{0,8}?(?i:th[áa]ng))",
            )
            .expect("valid regex")
        });
        if let Some(comma) = PLACE_UNDATED.captures(&text[..body_opens]).and_then(|c| c.get(1))
            && ht.pos(comma.start()).line < 20
            && let Some((start, place)) = place_before(&ht, comma.start())
        {
            header.place = Some(place);
            undated = true;
            if place_date.is_none() {
                let line_end = text[comma.end()..].find('\n').map_or(text.len(), |at| comma.end() + at);
                place_date = Some((start, line_end));
            }
        }
    }
    if header.place.is_none()
        && let Some(span) = number_span.clone()
    {
        // The place on the number's line after the symbol, before ", ng…" however a scan read the
        // date: "Số: 860 /BHXH-BT Hà Nội, ngày {† tháng 3", "… Thành pho Hỗ Chi Minh, ngài: 19".
        static PLACE_AFTER_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^[^\p{Lu}\n]{0,4}(\p{Lu}[\p{L} .]{1,40}?)[ \t]*,[ \t]*(?i:ng)").expect("valid regex")
        });
        let line_end = text[span.end..].find('\n').map_or(text.len(), |at| span.end + at);
        if let Some(place) = PLACE_AFTER_SYMBOL
            .captures(&text[span.end..line_end])
            .and_then(|c| c.get(1))
        {
            let words: Vec<&str> = place.as_str().split_whitespace().collect();
            let named = words.len() <= 6
                && words.iter().all(|w| {
                    w.starts_with(crate::text::is_upper) || matches!(*w, "phố" | "pho" | "xã" | "xa" | "trấn" | "tran")
                });
            if named {
                header.place = Some(words.join(" "));
                place_date.get_or_insert((span.end + place.start(), line_end));
            }
        }
    }
    if header.date.is_none() && !undated {
        // A date in a title: "NGÀY 04-5-1994".
        let limit = ht.starts.get(8).copied().unwrap_or(text.len()).min(body_opens);
        if let Some((date, range)) = crate::date::first_date(&text[..limit]) {
            header.date = Some(date);
            place_date = Some((range.start, range.end));
        }
    }

    // Title and document type.
    let after_date = place_date
        .map(|(_, end)| end)
        .or(number_span.as_ref().map(|r| r.end))
        .unwrap_or(0);
    let title = title_at(text, after_date).or_else(|| title_at(text, 0)).or_else(|| {
        // A title on a line of its own further down, after the motto.
        let from = number_span.as_ref().map(|r| r.end).unwrap_or(0);
        ht.starts
            .iter()
            .copied()
            .filter(|&start| start >= from && start < body_opens)
            .find_map(|start| title_at(text, start).filter(|t| ht.pos(t.start).line == ht.pos(start).line))
    });
    // Where the addressees' mark first stands, sought once.
    let addressees_at = addressees_mark(text);
    // (A subject comes before the addressees: "Kính gửi: …" / "2. Về việc chuyển nhượng …" is an
    // item of the body.)
    let marker_in_place = |m: &regex::Match| {
        let line = ht.pos(m.start()).line;
        line < 30
            && number_span.as_ref().is_none_or(|n| m.start() + 2 >= n.start)
            && addressees_at.is_none_or(|k| k >= m.start())
    };
    // "V/v" as a scan may misread it at a line's start ("V#v", "VWv", "VW", "'V/"), sought only
    // in a text where it is not found as written.
    static SUBJECT_MARKER_MISREAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t'‘’\x22]*(?:V[^\p{L}\p{N}\s]v|V/|Viv|Vív|VWv|VW|Vlv|Vv)[ \t]*:?[ \t]+")
            .expect("valid regex")
    });
    let subject_marker = SUBJECT_MARKER_HEADS
        .find(&SUBJECT_MARKER, text)
        .filter(marker_in_place)
        .or_else(|| {
            SUBJECT_MARKER_MISREAD
                .find(crate::text::head(text, 3000))
                .filter(marker_in_place)
                // (A subject after a misread marker opens in lower case: "VW thực hiện …".)
                .filter(|m| text[m.end()..].starts_with(crate::text::is_lower))
        });
    // A letter's "V/v" comes before any title: a "title" below it is a heading of its body or of
    // an annex ("QUY ĐỊNH VỀ ÁP DỤNG …" in the letter that introduces it).
    let title = title.filter(|t| {
        subject_marker
            .as_ref()
            .is_none_or(|m| m.start() > t.start || !m.as_str().trim_start().starts_with(['V', 'v']))
    });

    // Issuer: what is left of the lines above the number (or date, or title) once the motto and
    // decorations are taken out.
    let region_end = [
        number_span.as_ref().map(|r| r.start),
        place_date.map(|(s, _)| s),
        title.map(|t| t.start),
    ]
    .into_iter()
    .flatten()
    .min()
    // A scan that lost the number's, the date's and the title's marks ("sé: 860 /BHXH-BT", "ngày
    // l8thang 8"): the header still ends where the subject's marker or the addressees begin.
    .or_else(|| subject_marker.as_ref().map(|m| m.start()))
    .or_else(|| addressees_at.filter(|&at| ht.pos(at).line < 40 && at <= body_opens))
    .unwrap_or(0);
    let (parent, issuer) = issuer_from(&text[..region_end]);
    header.parent_issuer = parent;
    // Without a header, the enacting line before the preamble names the issuer as the document
    // does ("CHỦ TỊCH NƯỚC VIỆT NAM DÂN CHỦ CỘNG HOÀ"); else the title's "CỦA …".
    header.issuer = issuer
        .or_else(|| issuer_before_preamble(lines))
        .or_else(|| issuer_from_title(text));

    let mut subject_end = after_date;
    if let Some(title) = title {
        header.doc_type = Some(title.name.to_owned());
        let (subject, end) = titled_subject(&ht, title.end, header.issuer.as_deref());
        header.subject = subject;
        subject_end = subject_end.max(end);
    } else if let Some(from) = subject_marker.map(|m| m.end()).or_else(|| {
        // Right under the number line: within three lines of it.
        let number = number_span.as_ref()?;
        let number_line = ht.pos(number.start).line;
        SUBJECT_VE
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .find(|m| m.start() > number.end && ht.pos(m.start()).line <= number_line + 3)
            // A subject comes before the addressees, never after them.
            .filter(|m| addressees_at.is_none_or(|k| m.start() < k))
            .map(|m| m.start())
    }) {
        let stops = [place_date.map(|(s, _)| s), number_span.as_ref().map(|r| r.start)];
        // A decision or resolution whose title line was lost ("Số: 28/2016/QĐ-UBND" / "VỀ VIỆC
        // BAN HÀNH …" / "ỦY BAN NHÂN DÂN TỈNH …"): its symbol names its kind, and its subject
        // keeps "VỀ VIỆC" and loses the authority printed under it, as a titled one's does.
        let titled_kind = header
            .symbol
            .as_deref()
            .and_then(type_from_symbol)
            .filter(|kind| matches!(*kind, "Quyết định" | "Nghị quyết" | "Nghị định" | "Thông tư"))
            .filter(|_| subject_marker.is_some_and(|m| m.as_str().trim_start().starts_with("VỀ VIỆC")));
        if let Some(kind) = titled_kind {
            header.doc_type = Some(kind.to_owned());
            let from = subject_marker.map_or(from, |m| m.start() + (m.as_str().len() - m.as_str().trim_start().len()));
            let (subject, end) = dispatch_subject(text, from, &stops, header.issuer.as_deref());
            header.subject = subject.map(|s| strip_authority_suffix(&s, header.issuer.as_deref()));
            subject_end = subject_end.max(end);
        } else {
            header.doc_type = Some("Công văn".to_owned());
            let (subject, end) = dispatch_subject(text, from, &stops, header.issuer.as_deref());
            header.subject = subject;
            subject_end = subject_end.max(end);
        }
    } else if let Some(symbol) = &header.symbol {
        header.doc_type = type_from_symbol(symbol).map(str::to_owned);
    }
    if header.doc_type.is_none() && addressees_at.is_some() {
        header.doc_type = Some("Công văn".to_owned());
    }
    header.body_start = ht.pos(subject_end.min(text.len().saturating_sub(1)));
    header
}

/// Where the addressees' mark first stands: "Kính gửi", in capitals ("KÍNH GỬI"), or as a scan
/// reads it ("Kinh gửi").
fn addressees_mark(text: &str) -> Option<usize> {
    ["Kính gửi", "KÍNH GỬI", "Kính Gửi", "Kinh gửi"]
        .iter()
        .filter_map(|mark| memchr::memmem::find(text.as_bytes(), mark.as_bytes()))
        .min()
}

/// A symbol without trailing punctuation or the spaces some texts put around its dashes.
pub fn clean_symbol(symbol: &str) -> String {
    // As written, odd spacing kept ("2015/TT- BTC", "NQ -CP", "SXD-QLN& TTBĐS"), each run of
    // spaces or line breaks one space: a symbol's key for matching drops them
    // (`danvan_domain::document::number_key`).
    let words: Vec<&str> = symbol.split_whitespace().collect();
    let compact = words.join(" ");
    let compact = compact.trim_end_matches(['.', ',', ';', ':']);
    // A word glued to the symbol's end: "STC-HCSNngày", "2024/QH15ngày", "2014/QH13đối" (a
    // symbol's code ends in a capital or a digit; "TTg" keeps its one small letter).
    let glued_to = |head: &str| {
        head.ends_with("TTg")
            || head
                .chars()
                .next_back()
                .is_some_and(|c| crate::text::is_upper(c) || c.is_ascii_digit())
    };
    for glued in ["ngày", "của", "năm", "về", "và", "tại"] {
        if let Some(head) = compact.strip_suffix(glued)
            && glued_to(head)
        {
            return head.to_owned();
        }
    }
    let small = compact.chars().rev().take_while(|c| crate::text::is_lower(*c)).count();
    if small >= 3 {
        let cut = compact.char_indices().rev().nth(small - 1).map_or(0, |(at, _)| at);
        if glued_to(&compact[..cut]) {
            return compact[..cut].to_owned();
        }
    }
    compact.to_owned()
}

/// The document type a symbol's type code names (`QĐ-UBND` → Quyết định).
pub fn type_from_symbol(symbol: &str) -> Option<&'static str> {
    symbol.split(['/', '-', '.']).find_map(|part| {
        let part = part.trim();
        TYPE_CODES.iter().find(|(code, _)| *code == part).map(|(_, name)| *name)
    })
}

/// The place written before `, ngày`: the start of the place and the place itself.
fn place_before(ht: &HeaderText, comma: usize) -> Option<(usize, String)> {
    let pos = ht.pos(comma);
    let line_start = ht.starts[pos.line];
    let prefix = &ht.text[line_start..comma];
    let words: Vec<&str> = prefix.split_whitespace().collect();
    // "Thành" / "phố Hồ Chí Minh" split over lines by a table rendering.
    let previous_line_ends_thanh = pos.line > 0
        && ht.text[ht.starts[pos.line - 1]..line_start]
            .trim_end()
            .ends_with(|c: char| crate::text::is_letter(c))
        && matches!(
            ht.text[ht.starts[pos.line - 1]..line_start]
                .split_whitespace()
                .next_back(),
            Some("Thành" | "Thị")
        );
    let is_place_word = |i: usize, w: &str| {
        is_title_word(w)
            || matches!(w, "TP." | "Tp." | "TX." | "Tx.")
            // A prefix glued to the name: "Tp.Hồ", "TX.Gia".
            || ["TP.", "Tp.", "TX.", "Tx."]
                .iter()
                .any(|p| w.strip_prefix(p).is_some_and(is_title_word))
            || (matches!(w, "phố" | "xã" | "trấn")
                && ((i > 0 && matches!(words[i - 1], "Thành" | "Thị")) || (i == 0 && previous_line_ends_thanh)))
            // A numbered district or ward: "Quận 9", "Phường 3".
            || (w.chars().all(|c| c.is_ascii_digit()) && i > 0 && matches!(words[i - 1], "Quận" | "Phường"))
    };
    // Count the place words at the end of the line.
    let mut run = 0;
    for (i, w) in words.iter().enumerate().rev() {
        if is_place_word(i, w) && run < 6 {
            run += 1;
        } else {
            break;
        }
    }
    if run == 0 {
        return None;
    }
    let mut place_words: Vec<&str> = words[words.len() - run..].to_vec();
    let whole_line = run == words.len();
    // A place split over lines by a table rendering: "Mỹ\nTho, ngày", "Thành phố Hồ Chí\nMinh".
    if whole_line && pos.line > 0 {
        let previous = ht.text[ht.starts[pos.line - 1]..line_start].trim();
        let previous_words: Vec<&str> = previous.split_whitespace().collect();
        let place_like = |w: &str| is_title_word(w) || matches!(w, "phố" | "xã" | "trấn" | "TP." | "Tp.");
        if previous_words.len() >= 2
            && previous_words.len() + place_words.len() <= 6
            && previous_words.iter().all(|w| place_like(w))
            && is_title_word(previous_words[0])
        {
            let start =
                ht.starts[pos.line - 1] + ht.text[ht.starts[pos.line - 1]..].find(previous_words[0]).unwrap_or(0);
            return Some((start, format!("{} {}", previous_words.join(" "), place_words.join(" "))));
        }
        if previous.split_whitespace().count() == 1 && is_title_word(previous) {
            place_words.insert(0, previous);
            let start = ht.starts[pos.line - 1] + ht.text[ht.starts[pos.line - 1]..].find(previous).unwrap_or(0);
            return Some((start, place_words.join(" ")));
        }
    }
    let first = place_words[0];
    let start = line_start + prefix.rfind(first).unwrap_or(0);
    let start = if whole_line {
        line_start + prefix.find(first).unwrap_or(0)
    } else {
        start
    };
    Some((start, place_words.join(" ")))
}

#[derive(Debug, Clone, Copy)]
struct Title {
    name: &'static str,
    start: usize,
    end: usize,
}

/// A capitalised document title at `from`, after spaces, line breaks and table pipes.
fn title_at(text: &str, from: usize) -> Option<Title> {
    let rest = &text[from..];
    let skipped = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == '|' || c == '-')
            .len();
    let start = from + skipped;
    let rest = &text[start..];
    // The title must be written in capitals and end at a word boundary.
    TITLES.iter().find_map(|(caps, name)| {
        let words: Vec<&str> = caps.split(' ').collect();
        let mut offset = 0;
        for (i, word) in words.iter().enumerate() {
            let tail = &rest[offset..];
            if !tail.starts_with(word) {
                return None;
            }
            offset += word.len();
            if i + 1 < words.len() {
                let gap = rest[offset..].len() - rest[offset..].trim_start().len();
                if gap == 0 {
                    return None;
                }
                offset += gap;
            }
        }
        let boundary = rest[offset..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        boundary.then_some(Title {
            name,
            start,
            end: start + offset,
        })
    })
}

/// Splits the text left of the motto into the superior body and the issuing body.
fn issuer_from(region: &str) -> (Option<String>, Option<String>) {
    let mut cleaned = region.to_owned();
    for motto in MOTTOES.iter() {
        cleaned = motto.replace_all(&cleaned, " ").into_owned();
    }
    let cleaned = DECORATION.replace_all(&cleaned, " ");
    // The header's lines are in capitals; a line with lower-case words is not part of it (a
    // website's lines above the header: "16/09/2010 | 1351 Lượt xem", "Số hiệu 6550/…"). The
    // last group of capital lines is the issuer's.
    let mut group: Vec<&str> = Vec::new();
    let mut after_text = false;
    for line in cleaned.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.is_empty() {
            continue;
        }
        // (So is the number's line in capitals, "SỐ: TC /TCT-PC", whose number a scan lost.)
        let number_line =
            tokens[0] == "SỐ:" || (tokens[0] == "SỐ" && tokens.get(1).is_some_and(|t| t.starts_with(':')));
        let text_line = number_line
            || tokens.iter().any(|w| {
                w.chars().any(crate::text::is_lower) && w.chars().filter(|c| crate::text::is_letter(c)).count() > 1
            });
        if text_line {
            after_text = true;
            continue;
        }
        if after_text {
            group.clear();
            after_text = false;
        }
        // A dash between two words of a line joins them in the name ("BỘ LAO ĐỘNG - THƯƠNG BINH
        // VÀ XÃ HỘI"); elsewhere it is layout.
        for (k, token) in tokens.iter().enumerate() {
            let dash = matches!(*token, "-" | "–" | "—");
            if !dash
                || (k > 0 && is_upper_word(tokens[k - 1]) && tokens.get(k + 1).is_some_and(|next| is_upper_word(next)))
            {
                group.push(token);
            }
        }
    }
    let mut words: Vec<&str> = group
        .into_iter()
        .filter(|w| {
            (is_upper_word(w) || w.chars().all(|c| c.is_ascii_digit()) || matches!(*w, "-" | "–" | "—"))
                && !w.contains('/')
        })
        .collect();
    // Numbers before the name are a page's, not the body's ("1351 THỦ TƯỚNG CHÍNH PHỦ").
    while words.first().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit())) {
        words.remove(0);
    }
    // A header printed twice (a gazette repeats the issuing body): once.
    let half = words.len() / 2;
    if words.len() >= 2 && words.len().is_multiple_of(2) && words[..half] == words[half..] {
        words.truncate(half);
    }
    if words.is_empty() {
        return (None, None);
    }
    // Find a second head word that starts a new name, after a first part that names a body.
    let starts_body = |i: usize| {
        let rest = words[i..].iter().map(|w| as_read(w)).collect::<Vec<_>>().join(" ");
        HEAD_WORDS.iter().any(|h| {
            rest.strip_prefix(h)
                .is_some_and(|after| after.is_empty() || after.starts_with(' '))
        })
    };
    let first_names_a_body = starts_body(0);
    let mut split = None;
    let mut i = 1;
    while i < words.len() {
        let previous = as_read(words[i - 1]);
        let part_of_compound = matches!(
            previous,
            "ỦY" | "UỶ" | "TỔNG" | "CHI" | "HỌC" | "VĂN" | "TỈNH" | "THÀNH" | "HUYỆN" | "ĐẢNG" | "TIỂU"
        ) && HEAD_WORDS.iter().any(|h| {
            h.strip_prefix(previous)
                .and_then(|after| after.strip_prefix(' '))
                .is_some_and(|after| after.starts_with(words[i]))
        });
        // Words that hold a head word without naming a body: "MÔI TRƯỜNG", "THỊ TRƯỜNG",
        // "BỘ TRƯỞNG" (a title: "HỘI ĐỒNG BỘ TRƯỞNG"), a head word that ends the header.
        let inside_word = matches!(
            (previous, words[i]),
            ("MÔI" | "THỊ" | "CHIẾN" | "QUẢNG" | "NGƯ", "TRƯỜNG")
        ) || matches!(
            (words[i], words.get(i + 1).copied()),
            ("BỘ", Some("TRƯỞNG" | "ĐỘI" | "PHẬN"))
        ) || matches!(
            (previous, words[i]),
            // "NỘI VỤ", "THƯỜNG VỤ", "NGHIỆP VỤ": the syllable, not a department ("VỤ PHÁP CHẾ").
            (
                "NỘI" | "NGOẠI" | "THƯỜNG" | "NGHIỆP" | "NHIỆM" | "DỊCH" | "PHỤC" | "CÔNG" | "QUÂN" | "TÀI" | "THUẾ"
                    | "SỰ" | "GIÁO" | "HỌC" | "NGHĨA",
                "VỤ"
            )
                // "TRƯỜNG ĐẠI HỌC", "HỌC VIỆN": a university's own name.
                | ("TRƯỜNG" | "VIỆN", "ĐẠI")
        ) || i + 1 == words.len()
            // A superior body is named by two words at least: "BỘ CÔNG AN" is not "BỘ" over
            // "CÔNG AN …", nor "CỤC THUẾ …" "CỤC" over "THUẾ …".
            || i < 2;
        if !part_of_compound && !inside_word && first_names_a_body && starts_body(i) {
            split = Some(i);
            break;
        }
        i += 1;
    }
    match split {
        Some(at) => (Some(name_of(&words[..at])), Some(name_of(&words[at..]))),
        None => (None, Some(name_of(&words))),
    }
}

/// A header's word as printed, when a scan lost its marks: "TONG CỤC THUẾ" is "TỔNG CỤC …",
/// "CUC THUE TINH BAC NINH" is "CỤC …".
fn as_read(word: &str) -> &str {
    match word {
        "TONG" | "TÔNG" | "TỐNG" | "TỎNG" | "TÓNG" | "TÕNG" => "TỔNG",
        "CUC" => "CỤC",
        word => word,
    }
}

/// A body's name from its header's words, without a dash that ends or opens it.
fn name_of(words: &[&str]) -> String {
    let is_dash = |w: &&str| matches!(*w, "-" | "–" | "—");
    let start = words.iter().position(|w| !is_dash(w)).unwrap_or(words.len());
    let end = words.iter().rposition(|w| !is_dash(w)).map_or(start, |i| i + 1);
    words[start..end].join(" ")
}

/// The issuer named in a title that has no header of its own: "… CỦA ỦY BAN THƯỜNG VỤ QUỐC HỘI
/// VỀ VIỆC …".
fn issuer_from_title(text: &str) -> Option<String> {
    static OF: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bCỦA\s+(\p{Lu}[\p{Lu}\s]*?)\s+VỀ\s+VIỆC\b").expect("valid regex"));
    let head: String = text.lines().take(8).collect::<Vec<_>>().join(" ");
    if let Some(c) = OF.captures(&head) {
        return Some(squash(&c[1]));
    }
    // "… CỦA ỦY BAN THƯỜNG VỤ QUỐC HỘI QUY ĐỊNH …": a state body the title names after "CỦA".
    let at = head.find("CỦA ")? + "CỦA ".len();
    let rest = squash(&head[at..]);
    STATE_BODIES
        .iter()
        .filter(|b| rest == **b || rest.starts_with(&format!("{b} ")))
        .max_by_key(|b| b.len())
        .map(|b| (*b).to_owned())
}

/// The national bodies whose names stand alone, for titles that name their issuer and for the
/// authority line before a preamble, longest first where one contains another.
const STATE_BODIES: &[&str] = &[
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI",
    "UỶ BAN THƯỜNG VỤ QUỐC HỘI",
    "HỘI ĐỒNG BỘ TRƯỞNG",
    "HỘI ĐỒNG CHÍNH PHỦ",
    "HỘI ĐỒNG NHÀ NƯỚC",
    "THỦ TƯỚNG CHÍNH PHỦ",
    "CHỦ TỊCH HỘI ĐỒNG BỘ TRƯỞNG",
    "CHỦ TỊCH NƯỚC",
    "CHỦ TỊCH CHÍNH PHỦ",
    "CHÍNH PHỦ",
    "QUỐC HỘI",
    "PHỦ THỦ TƯỚNG",
    // The Party's central bodies: "NGHỊ QUYẾT CỦA BỘ CHÍNH TRỊ về …".
    "BAN CHẤP HÀNH TRUNG ƯƠNG",
    "BỘ CHÍNH TRỊ",
    "BAN BÍ THƯ",
];

/// A document with no header of its own names its issuer on the line before its preamble
/// ("ỦY BAN THƯỜNG VỤ QUỐC HỘI" / "Căn cứ …", the old "Chiểu …"): that line, when it is a state
/// body, perhaps followed by the state's name ("CHỦ TỊCH NƯỚC VIỆT NAM DÂN CHỦ CỘNG HOÀ").
fn issuer_before_preamble(lines: &[&str]) -> Option<String> {
    let preamble = lines.iter().take(HEADER_LINES).position(|l| {
        let l = l.trim_start_matches(|c: char| c.is_whitespace() || c == '*');
        l.starts_with("Căn cứ") || l.starts_with("Chiểu ")
    })?;
    let above = lines[..preamble]
        .iter()
        .rev()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '|'))
        .find(|l| !l.is_empty())?;
    let above = squash(above);
    const STATES: &[&str] = &[
        "VIỆT NAM DÂN CHỦ CỘNG HOÀ",
        "VIỆT NAM DÂN CHỦ CỘNG HÒA",
        "NƯỚC VIỆT NAM DÂN CHỦ CỘNG HOÀ",
        "NƯỚC VIỆT NAM DÂN CHỦ CỘNG HÒA",
        "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "NƯỚC CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ];
    let body = STATES
        .iter()
        .find_map(|state| above.strip_suffix(state).map(str::trim_end))
        .unwrap_or(&above);
    STATE_BODIES.contains(&body).then_some(above)
}

/// The subject of a titled document: the lines after the title up to a blank line, the motto or
/// the opening of the body, without the issuing authority that is repeated before the body.
fn titled_subject(ht: &HeaderText, title_end: usize, issuer: Option<&str>) -> (Option<String>, usize) {
    let text = &ht.text;
    let start_pos = ht.pos(title_end);
    let mut parts: Vec<String> = Vec::new();
    // Whether the parts so far hold no lower-case letter, and how many of their words have two
    // letters or more (kept as parts are added, so that no test rescans them).
    let mut parts_in_capitals = true;
    let mut parts_long_words = 0usize;
    let mut end = title_end;
    let mut line = start_pos.line;
    let mut col = start_pos.col;
    while line < ht.starts.len() {
        let line_start = ht.starts[line];
        let line_end = ht.starts.get(line + 1).map(|e| e - 1).unwrap_or(text.len());
        let mut content = &text[line_start + col.min(line_end - line_start)..line_end];
        let trimmed = content.trim_matches(is_cell_edge);
        if trimmed.is_empty() {
            // A subject wrapped with blank lines between its lines goes on when the next line
            // continues the sentence in lower case.
            let next_goes_on = (line + 1..ht.starts.len().min(line + 3))
                .map(|l| {
                    let from = ht.starts[l];
                    let to = ht.starts.get(l + 1).map(|e| e - 1).unwrap_or(text.len());
                    text[from..to].trim_matches(is_cell_edge)
                })
                .find(|t| !t.is_empty())
                .and_then(|t| t.chars().next())
                .is_some_and(crate::text::is_lower);
            // A subject line that ends on a word needing more ("… NGÀY 06/9/2005 CỦA") goes on
            // over the blank line too.
            let ends_open = parts
                .last()
                .and_then(|p| p.split_whitespace().next_back())
                .is_some_and(|w| {
                    matches!(
                        w.to_lowercase().as_str(),
                        "của" | "và" | "về" | "tại" | "theo" | "cho" | "với" | "các" | "ngày" | "số" | "trên" | "đối"
                    )
                });
            if !parts.is_empty() && !next_goes_on && !ends_open {
                break;
            }
            line += 1;
            col = 0;
            continue;
        }
        // What follows a subject ends it: the motto, the body's opening words, the urgent
        // dispatch's "… ĐIỆN:" line, a numbered first item, a dated opening sentence.
        let starts_item = trimmed.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 4 && n.chars().all(|c| c.is_ascii_digit() || "IVX".contains(c))
        });
        let dated_opening = trimmed
            .strip_prefix("Ngày ")
            .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()));
        // A rule under the subject ("-----") closes it.
        let rule = trimmed.len() >= 3
            && trimmed
                .chars()
                .all(|c| matches!(c, '-' | '–' | '—' | '_' | '=' | '*' | '~'));
        if (may_hold_motto(trimmed) && MOTTOES.iter().any(|m| m.find(trimmed).is_some_and(|f| f.start() == 0)))
            || (!parts.is_empty() && rule)
            || (!parts.is_empty() && BODY_OPENERS.iter().chain(LINE_OPENERS).any(|o| trimmed.starts_with(o)))
            // A title with no subject under it: its preamble opens the body ("THÔNG TƯ" / "Căn cứ
            // Luật …").
            || (parts.is_empty() && BODY_OPENERS.iter().any(|o| trimmed.starts_with(o)))
            || crate::text::last_chars(trimmed.trim_end_matches('*'), 8)
                .to_lowercase()
                .ends_with("điện:")
            || (!parts.is_empty() && (starts_item || dated_opening))
            // The authority under the subject, with no blank line between ("… NGÀY 26 THÁNG 4
            // NĂM 2013" / "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ"); the addressees' mark wrapped
            // alone ("Kính" / "gửi:"); a subject's full stop ("… TỈNH QUẢNG NINH." / "BỘ TRƯỞNG,
            // CHỦ NHIỆM VĂN PHÒNG PHỦ THỦ TƯỚNG").
            || parts.last().is_some_and(|before| {
                is_authority_line(trimmed, before, issuer) || trimmed == "Kính" || ends_sentence(before)
            })
        {
            break;
        }
        // A subject in capitals ends where a sentence in ordinary case begins.
        // (The parts joined are a heading in capitals: no lower-case letter, two words of letters.)
        if !parts.is_empty()
            && parts_in_capitals
            && parts_long_words >= 2
            && trimmed
                .split_whitespace()
                .filter(|w| w.chars().any(crate::text::is_lower))
                .count()
                >= 2
        {
            break;
        }
        let mut stop_here = false;
        // A flattened header runs the motto and the body onto the subject's line.
        let motto_at = MOTTOES
            .iter()
            .filter(|_| may_hold_motto(content))
            .filter_map(|m| m.find(content).map(|f| f.start()))
            .filter(|&at| at > 0)
            .min();
        // The leftmost opener after a space, all sought in one pass.
        static SPACED_OPENERS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(BODY_OPENERS.iter().map(|o| format!(" {o}")))
                .expect("valid automaton")
        });
        let opener_at = SPACED_OPENERS.find(content).map(|m| m.start());
        if let Some(cut) = motto_at.into_iter().chain(opener_at).min() {
            content = &content[..cut];
            stop_here = true;
        }
        parts_in_capitals = parts_in_capitals && !content.chars().any(crate::text::is_lower);
        if parts_in_capitals {
            parts_long_words += content
                .split_whitespace()
                .filter(|w| w.chars().filter(|c| crate::text::is_letter(c)).count() > 1)
                .count();
        }
        parts.push(content.to_owned());
        end = line_start + col.min(line_end - line_start) + content.len();
        if stop_here {
            break;
        }
        line += 1;
        col = 0;
    }
    let mut subject = squash(&parts.join(" "));
    // A title that carries its own number, date and issuer: "SỐ 203 NQ/UBTVQH9 NGÀY 04-5-1994
    // CỦA ỦY BAN … VỀ VIỆC …".
    // A title that repeats its own number, date and issuer before the subject: "SỐ 64-HĐBT
    // NGÀY 6 THÁNG 4 NĂM 1982 VỀ VIỆC …", "CỦA HỘI ĐỒNG BỘ TRƯỞNG SỐ … VỀ VIỆC …", "SỐ 214
    // NQ/UBTVQH9 NGÀY 26-8-1994 CỦA ỦY BAN THƯỜNG VỤ QUỐC HỘI QUY ĐỊNH …".
    if subject.starts_with("SỐ ") || subject.starts_with("CỦA ") {
        // "CỦA HỘI ĐỒNG … SỐ 1 - HĐBT NGÀY 13 THÁNG 7 NĂM 1981 ẤN ĐỊNH …": what follows the
        // repeated date, less an issuer named after it.
        // (Not a number cited inside the subject: "CỦA … VỀ VIỆC BÃI BỎ QUYẾT ĐỊNH SỐ 12/QĐ-UB
        // NGÀY 5-3-1995".)
        if let Some(date) = OWN_NUMBER_DATE.find(&subject).filter(|m| !m.as_str().contains(" VỀ ")) {
            let rest = subject[date.end()..].trim_start();
            let rest = rest
                .strip_prefix("CỦA ")
                .and_then(|of| {
                    STATE_BODIES
                        .iter()
                        .filter(|b| of.starts_with(&format!("{b} ")))
                        .max_by_key(|b| b.len())
                        .map(|b| &of[b.len()..])
                })
                .unwrap_or(rest);
            // Only the enacting body after the date ("… NĂM 1956" / "CHỦ TỊCH NƯỚC"): no subject.
            let rest = rest.trim();
            subject = if STATE_BODIES.contains(&rest) {
                String::new()
            } else {
                rest.to_owned()
            };
        } else if let Some(at) = subject.find(" VỀ VIỆC") {
            subject = subject[at + 1..].to_owned();
        } else if let Some(at) = subject.find("CỦA ") {
            let rest = &subject[at + "CỦA ".len()..];
            // ("CỦA CHỦ TỊCH CHÍNH PHỦ" alone names the issuer and no subject.)
            if let Some(body) = STATE_BODIES
                .iter()
                .filter(|b| rest == **b || rest.starts_with(&format!("{b} ")))
                .max_by_key(|b| b.len())
            {
                subject = rest[body.len()..].trim().to_owned();
            }
        }
    }
    subject = strip_authority_suffix(&subject, issuer);
    subject = strip_subject_marker(&subject);
    // A rule printed after the subject's last words on its line ("… TIỀN GIANG -------") is not
    // part of it.
    let subject = subject
        .trim()
        .trim_end_matches(|c: char| matches!(c, '-' | '–' | '—' | '_' | '=' | '*' | '~') || c.is_whitespace())
        .trim_end_matches('.')
        .trim()
        .to_owned();
    ((!subject.is_empty()).then_some(subject), end)
}

/// Whether a subject's line ends its sentence: a full stop after a word of four letters or more
/// ("… TỈNH QUẢNG NINH."), not an abbreviation's ("… UBND TP.").
fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .strip_suffix('.')
        .and_then(|rest| rest.split_whitespace().next_back())
        .is_some_and(|w| !w.ends_with('.') && w.chars().filter(|c| crate::text::is_letter(*c)).count() >= 4)
}

fn strip_subject_marker(subject: &str) -> String {
    for marker in ["V/v", "V/V", "v/v"] {
        if let Some(rest) = subject.strip_prefix(marker) {
            return rest.trim_start_matches([':', '.']).trim().to_owned();
        }
    }
    subject.to_owned()
}

/// The heads of bodies who enact a titled document, printed under its subject ("CHỦ TỊCH ỦY
/// BAN NHÂN DÂN TỈNH", "BỘ TRƯỞNG BỘ Y TẾ").
const AUTHORITY_HEADS: &[&str] = &[
    "CHỦ TỊCH",
    "BỘ TRƯỞNG",
    "THỦ TƯỚNG",
    "GIÁM ĐỐC",
    "TỔNG GIÁM ĐỐC",
    "TỔNG CỤC TRƯỞNG",
    "CỤC TRƯỞNG",
    "CHÁNH ÁN",
    "VIỆN TRƯỞNG",
    "TRƯỞNG BAN",
];

/// Whether a subject's word before a body's name makes that name part of the subject: "… CỦA
/// ỦY BAN NHÂN DÂN TỈNH", "… CỦA BAN THƯỜNG VỤ ỦY BAN MTTQ …", "… VĂN PHÒNG ỦY BAN …".
fn names_a_body_after(word: &str) -> bool {
    matches!(
        fold_case(word).as_str(),
        "của" | "và" | "với" | "cho" | "vụ" | "trực" | "phòng" | "ban" | "thuộc" | "giữa"
    )
}

/// Whether a word ending a subject's line needs more after it: a body's name, a date, a number
/// ("… CỦA", "… NGÀY", "… SỐ", "… VỀ").
fn needs_a_name_after(word: &str) -> bool {
    names_a_body_after(word)
        || matches!(
            fold_case(word).as_str(),
            "về" | "tại" | "theo" | "các" | "ngày" | "số" | "trên" | "đối" | "chức"
        )
}

/// Whether a line in capitals under a titled document's subject is the authority that enacts
/// it, printed before the body: the issuer's name, perhaps with its session after it ("HỘI ĐỒNG
/// NHÂN DÂN TỈNH AN GIANG KHÓA VII KỲ HỌP THỨ 6"); a head before it ("TRƯỞNG BAN CHỈ ĐẠO NHÀ NƯỚC
/// VỀ DU LỊCH", "TỔNG KIỂM TOÁN NHÀ NƯỚC"), before a collective body ("CHỦ TỊCH ỦY BAN NHÂN DÂN
/// TỈNH") or holding two offices ("BỘ TRƯỞNG, CHỦ NHIỆM VĂN PHÒNG …"). The line before it must
/// end the subject's words: "… CỦA" / "ỦY BAN NHÂN DÂN TỈNH", "… CỦA BAN THƯỜNG VỤ" / "ỦY BAN MTTQ
/// …" name a body in the subject.
fn is_authority_line(line: &str, before: &str, issuer: Option<&str>) -> bool {
    let line = line.trim_matches(|c: char| matches!(c, '*' | '_' | '-') || c.is_whitespace());
    if line.is_empty() || line.chars().any(crate::text::is_lower) || !line.chars().any(crate::text::is_letter) {
        return false;
    }
    // Only a line that opens with a head's or a collective body's word, or with the issuer's
    // first word, can be the authority (sought first, without marks, on that word alone).
    const FIRST_WORDS: &[&str] = &[
        "CHU", "BO", "THU", "GIAM", "TONG", "CUC", "CHANH", "VIEN", "TRUONG", "HIEU", "UY", "UBND", "HOI", "HDND",
        "CHINH",
    ];
    let first_word = |text: &str| text.split_whitespace().next().map(crate::text::bare_upper);
    let first = first_word(line).unwrap_or_default();
    if !FIRST_WORDS.contains(&first.as_str()) && issuer.and_then(first_word).is_none_or(|f| f != first) {
        return false;
    }
    // (A line that ends on a comma or a dash goes on: "… CHO CÁC SỞ, BAN, NGÀNH," / "ỦY BAN
    // NHÂN DÂN CÁC HUYỆN".)
    if before.split_whitespace().next_back().is_some_and(needs_a_name_after)
        || before.trim_end().ends_with([',', '-', '–'])
    {
        return false;
    }
    // Compared without spaces or marks, which a scan may lose ("BỘ TAI CHÍNH"), and with the
    // committees' and councils' names spelled out ("UBND THÀNH PHỐ HẢI PHÒNG").
    let compact = |text: &str| {
        crate::text::bare_upper(text)
            .replace(char::is_whitespace, "")
            .replace("UBND", "UYBANNHANDAN")
            .replace("HDND", "HOIDONGNHANDAN")
    };
    let line_compact = compact(line);
    if let Some(issuer) = issuer.filter(|i| i.split_whitespace().count() >= 2) {
        let issuer_compact = compact(issuer);
        // The issuer, or a head's word or two before it ("TỔNG" before "KIỂM TOÁN NHÀ NƯỚC").
        let head_before = line_compact.strip_suffix(issuer_compact.as_str()).is_some_and(|head| {
            matches!(
                head,
                "TONG"
                    | "TRUONG"
                    | "CHUTICH"
                    | "GIAMDOC"
                    | "BOTRUONG"
                    | "THUTRUONG"
                    | "CHANH"
                    | "CHUNHIEM"
                    | "VIENTRUONG"
                    | "CUCTRUONG"
                    | "TONGCUCTRUONG"
                    | "HIEUTRUONG"
                    | "TONGGIAMDOC"
                    | "TRUONGBAN"
            )
        });
        if line_compact.starts_with(&issuer_compact) || head_before {
            return true;
        }
    }
    AUTHORITY_HEADS
        .iter()
        .any(|h| line.strip_prefix(h).is_some_and(|rest| rest.starts_with(',')))
        || strip_authority_suffix(&format!("x {line}"), issuer) == "x"
}

/// Removes the authority that titled documents print before their body ("ỦY BAN NHÂN DÂN TỈNH
/// KON TUM", "CHỦ TỊCH UỶ BAN NHÂN DÂN TỈNH", "BỘ TRƯỞNG BỘ Y TẾ") when it ends the subject.
fn strip_authority_suffix(subject: &str, issuer: Option<&str>) -> String {
    // Each head folded, and with the space that separates it from what follows.
    static FOLDED_HEADS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
        AUTHORITY_HEADS
            .iter()
            .map(|h| (fold_case(h), format!("{} ", fold_case(h))))
            .collect()
    });
    let words: Vec<&str> = subject.split(' ').collect();
    let folded_issuer = issuer.map(fold_case);
    // Only a tail in capitals can be the authority: the first start of that tail, once.
    let caps_from = words
        .iter()
        .rposition(|w| w.chars().any(crate::text::is_lower))
        .map_or(1, |i| i + 1)
        .max(1);
    // Only the capitals' tail is folded, in one pass when its words are split by single spaces
    // (folding keeps a word free of spaces, so the folded words are where its spaces split it);
    // each start reads it from that word's offset.
    let tail_from = caps_from.min(words.len());
    let tail = &words[tail_from..];
    let (joined, offsets) = if tail.iter().all(|w| !w.is_empty() && !w.contains(char::is_whitespace)) {
        let joined = fold_case(&tail.join(" "));
        let offsets: Vec<usize> = std::iter::once(0)
            .chain(joined.match_indices(' ').map(|(at, _)| at + 1))
            .collect();
        (joined, offsets)
    } else {
        let folded_words: Vec<String> = tail.iter().map(|w| fold_case(w)).collect();
        let joined = folded_words.join(" ");
        let mut offsets = Vec::with_capacity(folded_words.len());
        let mut offset = 0;
        for word in &folded_words {
            offsets.push(offset);
            offset += word.len() + 1;
        }
        (joined, offsets)
    };
    for start in caps_from..words.len() {
        let folded = &joined[offsets[start - tail_from]..];
        let is_collective = |t: &str| {
            folded_issuer.as_deref() == Some(t)
                || t.starts_with("ủy ban nhân dân") && t.split(' ').count() <= 7
                || matches!(t, "chính phủ" | "hội đồng chính phủ" | "thủ tướng chính phủ")
        };
        // The head of the issuing body: "GIÁM ĐỐC TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG THÀNH PHỐ HÀ NỘI"
        // names the issuer, perhaps with its place after it.
        let names_issuer = |t: &str| folded_issuer.as_deref().is_some_and(|i| t.starts_with(i));
        let authority = is_collective(folded)
            || FOLDED_HEADS.iter().any(|(h, h_space)| {
                folded == *h
                    || folded
                        .strip_prefix(h_space.as_str())
                        .is_some_and(|rest| is_collective(rest) || names_issuer(rest))
            });
        // "… NGÀY 04/10/2024 CỦA ỦY BAN NHÂN DÂN TỈNH": the body the subject names, not the
        // authority printed under it.
        if authority {
            // The body the subject names keeps its whole name ("… CỦA THỦ TƯỚNG CHÍNH PHỦ").
            let named_by_subject = names_a_body_after(words[start - 1]) || words[start - 1].ends_with([',', '-', '–']);
            if named_by_subject {
                return subject.to_owned();
            }
            return words[..start].join(" ");
        }
    }
    subject.to_owned()
}

/// The subject of a dispatch: after `V/v` up to the place and date, the addressees, the motto
/// or the number, whichever comes first.
fn dispatch_subject(text: &str, from: usize, stops: &[Option<usize>], issuer: Option<&str>) -> (Option<String>, usize) {
    let rest = &text[from..];
    let mut end = rest.len();
    for stop in stops.iter().flatten() {
        if *stop > from {
            end = end.min(stop - from);
        }
    }
    // (As a scan may read it too: "Kinh gửi", or "gửi:" with "Kính" lost.)
    for marker in ["Kính gửi", "KÍNH GỬI", "Kinh gửi", "gửi:"] {
        if let Some(at) = rest.find(marker) {
            end = end.min(at);
        }
    }
    for motto in MOTTOES.iter().filter(|_| may_hold_motto(rest)) {
        if let Some(found) = motto.find(rest) {
            end = end.min(found.start());
        }
    }
    if let Some(found) = DECORATION.find(rest) {
        end = end.min(found.start());
    }
    // A line that opens the body's first sentence ends the subject ("Thực hiện …", "Căn cứ …").
    let mut offset = 0;
    let mut previous = "";
    for line in rest[..end].split_inclusive('\n') {
        let t = line.trim_start_matches(|c: char| c.is_whitespace() || c == '|' || c == '*');
        // So does the place and date's line when its date could not be read ("Hà Nội, ngày
        // l8thang 8 năm 2021"): a place's few capitalised words before ", ngày".
        let place_date_line = || {
            t.split_once(", ngày")
                .or_else(|| t.split_once(", ngay"))
                .is_some_and(|(place, _)| {
                    let words: Vec<&str> = place.split_whitespace().collect();
                    (1..=6).contains(&words.len())
                        && words[0].starts_with(crate::text::is_upper)
                        && !place.contains(|c: char| c.is_ascii_digit())
                })
        };
        if offset > 0
            && (LINE_OPENERS
                .iter()
                .chain(DISPATCH_LINE_OPENERS)
                .any(|o| t.starts_with(o))
                || place_date_line()
                // So does the authority printed under a decision's subject ("… định hướng điều
                // chỉnh”" / "BỘ TRƯỞNG BỘ TÀI CHÍNH").
                || (!previous.is_empty() && is_authority_line(t, previous, issuer)))
        {
            end = offset;
            break;
        }
        if !t.trim().is_empty() {
            previous = t;
        }
        offset += line.len();
    }
    // A dispatch's subject is a few lines at most.
    let mut lines_seen = 0;
    for (i, c) in rest.char_indices() {
        if i >= end {
            break;
        }
        if c == '\n' {
            lines_seen += 1;
            if lines_seen > 12 {
                end = i;
                break;
            }
        }
    }
    // Table pipes of a rendered layout are not words of the subject.
    let subject: Vec<&str> = rest[..end].split_whitespace().filter(|w| *w != "|").collect();
    let subject = subject.join(" ");
    let subject = subject.trim_end_matches('.').trim().to_owned();
    ((!subject.is_empty()).then_some(subject), from + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Sought from its heads, a pattern finds what it finds over the whole text.
        #[test]
        fn a_pattern_sought_from_its_heads_finds_its_leftmost_match(words in proptest::collection::vec(proptest::sample::select(vec![
            "V/v", "v/V.", "Về việc", "VỀ VIỆC", "Về :", "Về", "V", "/", " ", "\n", "\u{3000}", "x", "Điều 1", "Điều 12",
            "Điều", "1", "Căn cứ", "CĂN  CỨ", "Kính gửi", "Xét đề nghị", "Theo đề nghị", "Theo", "ê", ":", ".",
        ]), 0..12)) {
            let text = words.concat();
            proptest::prop_assert_eq!(
                SUBJECT_MARKER_HEADS.find(&SUBJECT_MARKER, &text).map(|m| m.range()),
                SUBJECT_MARKER.find(&text).map(|m| m.range())
            );
            proptest::prop_assert_eq!(
                BODY_START_HEADS.find(&BODY_START, &text).map(|m| m.range()),
                BODY_START.find(&text).map(|m| m.range())
            );
        }
    }

    #[test]
    fn every_motto_holds_the_letter_its_search_is_gated_on() {
        assert!(
            MOTTO_PATTERNS
                .iter()
                .all(|p| p.contains('Ộ') || p.contains('ộ') || p.contains("NGH"))
        );
        assert!(
            MOTTOES[4].is_match("CONG HÒA XA HOI CHỦ NGHĨA VIET NAM") && may_hold_motto("CONG HOA XA HOI CHU NGHIA")
        );
        assert!(may_hold_motto("Độc lập - Tự do - Hạnh phúc") && may_hold_motto("CỘNG HÒA"));
        assert!(!may_hold_motto("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG"));
    }

    #[test]
    fn a_body_the_subject_names_is_not_taken_for_the_authority() {
        assert_eq!(
            strip_authority_suffix(
                "SỬA ĐỔI QUY ĐỊNH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 40/2024/QĐ-UBND CỦA ỦY BAN NHÂN DÂN TỈNH",
                None
            ),
            "SỬA ĐỔI QUY ĐỊNH BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 40/2024/QĐ-UBND CỦA ỦY BAN NHÂN DÂN TỈNH"
        );
        assert_eq!(
            strip_authority_suffix("Về việc ban hành Quy chế ỦY BAN NHÂN DÂN TỈNH KON TUM", None),
            "Về việc ban hành Quy chế"
        );
    }

    #[test]
    fn review_cases_of_subjects_places_and_departments() {
        assert_eq!(
            strip_authority_suffix("BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 1/QĐ-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ", None),
            "BAN HÀNH KÈM THEO QUYẾT ĐỊNH SỐ 1/QĐ-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ"
        );
        let text =
            "UBND TỈNH X\nSố: 5/KH-UBND\nKẾ HOẠCH\nThực hiện chế độ mới\nTừ ngày 01 tháng 01 năm 2026\nCăn cứ Luật";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(read(&lines).place, None);
        assert_eq!(
            issuer_from("SỞ NGOẠI VỤ TỈNH LÀO CAI"),
            (None, Some("SỞ NGOẠI VỤ TỈNH LÀO CAI".into()))
        );
    }

    fn read_text(text: &str) -> Header {
        let lines: Vec<&str> = text.lines().collect();
        read(&lines)
    }

    #[test]
    fn a_scanned_header_whose_number_mark_was_misread_is_still_read() {
        let h = read_text(
            "BẢO HIỂM XÃ HỘI VIỆT NAM CONG HÒA XÃ HOI CHỦ NGHĨA VIỆT NAM\nĐộc lập — Tự do — Hạnh phúc\n\nsé: 860 /BHXH-BT Hà Nội, ngày {† tháng 3 năm 2020\nV/v tạm dừng đóng vào quỹ hưu trí\n\nKính gửi: Bảo hiểm xã hội các tỉnh\n",
        );
        assert_eq!(h.number.as_deref(), Some("860"));
        assert_eq!(h.symbol.as_deref(), Some("BHXH-BT"));
        assert_eq!(h.issuer.as_deref(), Some("BẢO HIỂM XÃ HỘI VIỆT NAM"));
        // Neither number, nor date, nor title read: the header ends where the addressees begin.
        let h = read_text(
            "BO NGOAI GIAO CONG HOA XA HOI CHU NGHIA VIET NAM\n= Độc lập - Tự do — Hạnh phic\n\nSố: 3{85 /BNG-LS\n'V/ hướng dẫn việc kiểm tra\n\nHà Nội, ngày l8thang 8 năm 2021\n\nKính gửi: Ủy ban Nhân dân tỉnh Quảng Ninh.\n",
        );
        assert_eq!(h.issuer.as_deref(), Some("BO NGOAI GIAO"));
        // The slash read as "!".
        let h =
            read_text("CỤC THUẾ TỈNH BẮC NINH\nSố: 271 !CT-TTHT Bắc Ninh, ngày 3 tháng 8 năm 2020\nV/v thuế TNCN\n");
        assert_eq!(
            (h.number.as_deref(), h.symbol.as_deref()),
            (Some("271"), Some("CT-TTHT"))
        );
        // A sentence's "Số liệu: 12/…" is no number line, nor a word of more than three letters.
        let h = read_text("SỞ Y TẾ\nSố liệu: 12/BC tháng trước\nKính gửi: Ông Giám đốc\n");
        assert_eq!(h.number, None);
    }

    #[test]
    fn a_general_department_whose_marks_a_scan_lost_is_under_its_ministry() {
        for printed in ["TONG", "TÔNG", "TỎNG"] {
            let header = format!(
                "BỘ TÀI CHÍNH - CONG HOA XÃ HOI CHỦ NGHĨA VIỆT NAM\n{printed} CỤC THUÊ Độc lập - Tự do - Hạnh phúc"
            );
            assert_eq!(
                issuer_from(&header),
                (Some("BỘ TÀI CHÍNH".into()), Some(format!("{printed} CỤC THUÊ"))),
                "{printed}"
            );
        }
        // A commune's name that holds a syllable like "CỤC" is not split there.
        assert_eq!(
            issuer_from("ỦY BAN NHÂN DÂN XÃ CÚC PHƯƠNG"),
            (None, Some("ỦY BAN NHÂN DÂN XÃ CÚC PHƯƠNG".into()))
        );
        // Every mark lost, the motto's too.
        assert_eq!(
            issuer_from("TONG CUC THUE\nCUC THUE TINH BAC NINH Độc lập - Tự Do - Hanh Phúc"),
            (Some("TONG CUC THUE".into()), Some("CUC THUE TINH BAC NINH".into()))
        );
    }

    #[test]
    fn a_sub_committee_under_its_committee() {
        assert_eq!(
            issuer_from("ỦY BAN BẦU CỬ XÃ PHỐ BẢNG\n\nTIỂU BAN THÔNG TIN, TUYÊN TRUYỀN, KHÁNH TIẾT"),
            (
                Some("ỦY BAN BẦU CỬ XÃ PHỐ BẢNG".into()),
                Some("TIỂU BAN THÔNG TIN, TUYÊN TRUYỀN, KHÁNH TIẾT".into())
            )
        );
    }

    #[test]
    fn an_item_after_the_addressees_is_no_subject() {
        let h = read_text(
            "Kính gửi: Công ty quốc tế Hồ Tây\nTrả lời công văn của Công ty, Tổng cục Thuế có ý kiến như sau:\n1. Về thời điểm kê khai:\n2. Về việc chuyển nhượng hợp đồng cho vay:\n",
        );
        assert_eq!(h.subject, None);
        // Before the addressees, the marker still opens the subject.
        let h = read_text("BỘ TÀI CHÍNH\nSố: 1/BTC-CST\nV/v thuế nhà thầu\nKính gửi: Cục Thuế\n");
        assert_eq!(h.subject.as_deref(), Some("thuế nhà thầu"));
    }

    #[test]
    fn a_subject_marker_a_scan_misread_opens_the_subject() {
        for marker in ["'V#v", "VWv", "'V/", "V.v", "VW"] {
            let h = read_text(&format!(
                "CỤC THUẾ TỈNH BÌNH DƯƠNG\n863465 /CT-TTHT Bình Dương, ngày 4% tháng 02 năm 2020\n{marker} hướng dẫn chính sách thuế TNCN\n\nKính gửi: Công ty Hồng Thịnh\n"
            ));
            assert_eq!(h.subject.as_deref(), Some("hướng dẫn chính sách thuế TNCN"), "{marker}");
        }
        // The place and date's line ends the subject even when its date cannot be read.
        let h = read_text(
            "BO NGOAI GIAO\nSố: 3{85 /BNG-LS\n'V/ hướng dẫn việc kiểm tra\ncủa nước ngoài.\n\nHà Nội, ngày l8thang 8 năm 2021\n\nKính gửi: Ủy ban Nhân dân tỉnh Quảng Ninh.\n",
        );
        assert_eq!(h.subject.as_deref(), Some("hướng dẫn việc kiểm tra của nước ngoài"));
        // "ngay" without its mark opens the place and date's line too.
        let h =
            read_text("CỤC THUẾ TỈNH BẮC NINH\nSố: 271/CT-TTHT\nBắc Ninh, ngay 13 tháng 8 năm 2020\nV/v thuế TNCN\n");
        assert_eq!(h.place.as_deref(), Some("Bắc Ninh"));
        assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("2020-08-13"));
        // A misread marker opens only a subject in lower case: "VW Group" is a name.
        let h = read_text("CÔNG TY ABC\nSố: 12/CV-ABC\nVW Group Việt Nam\nKính gửi: Cục Thuế\n");
        assert_eq!(h.subject, None);
        // A word that opens like the marker does not: "Văn bản …", "Về …" in a sentence.
        let h = read_text("SỞ Y TẾ\nVăn bản này thay thế văn bản trước\nKính gửi: Các bệnh viện\n");
        assert_eq!(h.subject, None);
    }

    #[test]
    fn the_place_is_read_where_a_scan_lost_the_day() {
        for line in [
            "Số: 271 !CT-TTHT Bắc Ninh, ngayQ tháng 8 năm 2020",
            "Số: 271/CT-TTHT Bắc Ninh, ngày l8thang 8 năm 2021",
            "Số: 271/CT-TTHT Bắc Ninh, ngày {† tháng 3 năm 2020",
        ] {
            let h = read_text(&format!(
                "CỤC THUẾ TỈNH BẮC NINH\n{line}\nV/v thuế TNCN\n\nKính gửi: Công ty An Phát\n"
            ));
            assert_eq!(h.place.as_deref(), Some("Bắc Ninh"), "{line}");
            assert_eq!(h.date, None, "{line}");
        }
    }

    #[test]
    fn a_number_line_as_a_scan_reads_it_gives_number_symbol_and_place() {
        for (line, number, symbol, place) in [
            (
                "Số:À394Ù /CTHN-TTHT ˆ Hà Nội, ngàyä4 kháng 2 năm 2023",
                "394",
                "CTHN-TTHT",
                "Hà Nội",
            ),
            (
                "863465\" /CT-TTIT Binh Dương, ngày 4% tháng 02_năm 2020",
                "863465",
                "CT-TTIT",
                "Binh Dương",
            ),
            (
                "Số: #49 /TCT-TTKT Hà Nội, ngày AF-thang 3 năm 2022",
                "49",
                "TCT-TTKT",
                "Hà Nội",
            ),
            (
                "5619 SYT-NVY Thành phố Hồ Chí Minh, ngéspOhthang 4 năm 2020",
                "5619",
                "SYT-NVY",
                "Thành phố Hồ Chí Minh",
            ),
            (
                "Số: 6770/CTTPHCM-KK Thành pho Hỗ Chi Minh, ngài: 19 tháng 7 nam 2021",
                "6770",
                "CTTPHCM-KK",
                "Thành pho Hỗ Chi Minh",
            ),
        ] {
            let h = read_text(&format!(
                "TỔNG CỤC THUẾ\nCỤC THUẾ\n{line}\nV/v thuế TNCN\n\nKính gửi: Công ty An Phát\n"
            ));
            assert_eq!(
                (h.number.as_deref(), h.symbol.as_deref(), h.place.as_deref()),
                (Some(number), Some(symbol), Some(place)),
                "{line}"
            );
        }
        // Digits on a line without the place and date are no number; a sentence after the symbol
        // is no place.
        let h = read_text("CỤC THUẾ\n12 /CT-TTHT gửi kèm\nV/v thuế TNCN\n\nKính gửi: Công ty An Phát\n");
        assert_eq!(h.number, None);
        let h =
            read_text("CỤC THUẾ\nSố: 12/CT-TTHT theo đề nghị của Công ty, ngày 3 tháng 2\nKính gửi: Công ty An Phát\n");
        assert_eq!(h.place, None);
    }

    #[test]
    fn a_motto_whose_last_words_a_scan_garbled_is_no_part_of_the_issuer() {
        assert_eq!(
            issuer_from("BỘ TÀI CHÍNH CONG HÒA XÃ HO] CHỦ NGHĨA VIỆT NAM\nTỔNG CỤC THUẾ Độc lập - Tự do - Hạnh phúc"),
            (Some("BỘ TÀI CHÍNH".into()), Some("TỔNG CỤC THUẾ".into()))
        );
        assert_eq!(
            issuer_from(
                "ỦY BAN NHÂN DÂN CONG HÒA XÃ HOI CHỦ NGHIA ŸIƑÏ NAM\nTHANH PHO HO CHI MINH Độc lập - Tự do - Hanh phúc\nSỞ Y TẾ"
            ),
            (
                Some("ỦY BAN NHÂN DÂN THANH PHO HO CHI MINH".into()),
                Some("SỞ Y TẾ".into())
            )
        );
        assert_eq!(
            issuer_from(
                "CỤC HAI QUAN TINH BINH DƯƠNG CỘNG HOA XÃ HOI CHỦ NGHIA VIET N\nCHI CỤC HẢI QUAN KCN VIỆT HƯƠNG"
            ),
            (
                Some("CỤC HAI QUAN TINH BINH DƯƠNG".into()),
                Some("CHI CỤC HẢI QUAN KCN VIỆT HƯƠNG".into())
            )
        );
    }

    #[test]
    fn a_subject_ends_where_the_authority_under_it_begins_with_no_blank_line_between() {
        for (text, subject) in [
            (
                "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 3210/QĐ-UBND\nQUYẾT ĐỊNH\nVỀ HỖ TRỢ NGƯỜI CÓ CÔNG VỀ NHÀ Ở\nCHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH\nCăn cứ Luật Tổ chức …",
                "VỀ HỖ TRỢ NGƯỜI CÓ CÔNG VỀ NHÀ Ở",
            ),
            (
                "HỘI ĐỒNG NHÂN DÂN\nTỈNH AN GIANG\nSố: 12/2006/NQ-HĐND\nNGHỊ QUYẾT\nVỀ VIỆC XÁC NHẬN KẾT QUẢ BẦU CỬ\nHỘI ĐỒNG NHÂN DÂN TỈNH AN GIANG\nKHÓA VII KỲ HỌP THỨ 6\n(Ngày 22 tháng 3 năm 2006)\nCăn cứ Luật …",
                "VỀ VIỆC XÁC NHẬN KẾT QUẢ BẦU CỬ",
            ),
            (
                "KIỂM TOÁN NHÀ NƯỚC\nSố: 02/QĐ-KTNN\nQUYẾT ĐỊNH\nBAN HÀNH QUY ĐỊNH VỀ MẪU THẺ\nTỔNG KIỂM TOÁN NHÀ NƯỚC\nCăn cứ Luật Kiểm toán nhà nước …",
                "BAN HÀNH QUY ĐỊNH VỀ MẪU THẺ",
            ),
            // A head holding two offices, after the subject's full stop.
            (
                "PHỦ THỦ TƯỚNG\nSố: 94-BT\nQUYẾT ĐỊNH\nTHÀNH LẬP THỊ TRẤN BÌNH LIÊU, TỈNH QUẢNG NINH.\nBỘ TRƯỞNG, CHỦ NHIỆM VĂN PHÒNG\nPHỦ THỦ TƯỚNG\nCăn cứ vào …",
                "THÀNH LẬP THỊ TRẤN BÌNH LIÊU, TỈNH QUẢNG NINH",
            ),
            // The issuer as a scan read it, under a subject in ordinary case.
            (
                "BỘ TAI CHÍNH\nSố: 662/QĐ-BTC\nQUYẾT ĐỊNH\nVề việc ban hành Kế hoạch hành động\nBỘ TRƯỞNG BỘ TÀI CHÍNH\nCăn cứ Luật …",
                "Về việc ban hành Kế hoạch hành động",
            ),
            (
                "UBND THÀNH PHỐ HẢI PHÒNG\nSố: 1/QĐ-UB\nQUYẾT ĐỊNH\nVề việc ban hành bản qui định\n_ ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG\nCăn cứ Luật …",
                "Về việc ban hành bản qui định",
            ),
        ] {
            assert_eq!(read_text(text).subject.as_deref(), Some(subject), "{text}");
        }
        // A body named in the subject, its name wrapped onto the next line, is kept; so is a
        // line after one that ends on a comma.
        for (text, subject) in [
            (
                "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\nSố: 5/QĐ-UBND\nQUYẾT ĐỊNH\nVỀ VIỆC GIAO DỰ TOÁN NĂM 2024 CHO CÁC SỞ, BAN, NGÀNH,\nỦY BAN NHÂN DÂN CÁC HUYỆN\n\nCăn cứ …",
                "VỀ VIỆC GIAO DỰ TOÁN NĂM 2024 CHO CÁC SỞ, BAN, NGÀNH, ỦY BAN NHÂN DÂN CÁC HUYỆN",
            ),
            (
                "ỦY BAN NHÂN DÂN\nTỈNH TIỀN GIANG\nSố: 33/2009/QĐ-UBND\nQUYẾT ĐỊNH\nBAN HÀNH QUY ĐỊNH VỀ MẠNG TIN HỌC DIỆN\nRỘNG CỦA ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG\nỦY BAN NHÂN DÂN TỈNH TIỀN GIANG\nCăn cứ …",
                "BAN HÀNH QUY ĐỊNH VỀ MẠNG TIN HỌC DIỆN RỘNG CỦA ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG",
            ),
            (
                "ỦY BAN MTTQ VIỆT NAM TỈNH AN GIANG\nSố: 3/QĐ-MTTQ\nQUYẾT ĐỊNH\nBAN HÀNH QUY CHẾ LÀM VIỆC CỦA BAN THƯỜNG VỤ\nỦY BAN MTTQ VIỆT NAM TỈNH AN GIANG\n\nCăn cứ …",
                "BAN HÀNH QUY CHẾ LÀM VIỆC CỦA BAN THƯỜNG VỤ ỦY BAN MTTQ VIỆT NAM TỈNH AN GIANG",
            ),
        ] {
            assert_eq!(read_text(text).subject.as_deref(), Some(subject), "{text}");
        }
    }

    #[test]
    fn a_title_naming_a_party_body_gives_the_subject_after_it() {
        let h = read_text(
            "BAN CHẤP HÀNH TRUNG ƯƠNG\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 71-NQ/TW\nHà Nội, ngày 22 tháng 8 năm 2025\nNGHỊ QUYẾT CỦA BỘ CHÍNH TRỊ về đột phá phát triển giáo dục và đào tạo\n\nTrong quá trình phát triển đất nước, …",
        );
        assert_eq!(h.subject.as_deref(), Some("về đột phá phát triển giáo dục và đào tạo"));
    }

    #[test]
    fn a_decision_not_yet_numbered_nor_dated_takes_no_date_from_its_title() {
        let h = read_text(
            "ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN\nĐộc lập - Tự do - Hạnh phúc\nSố: /2026/QĐ-UBND\nĐiện Biên, ngày tháng 4 năm 2026\nQUYẾT ĐỊNH Sửa đổi một số điều của Quyết định số 41/2024/QĐ-UBND ngày 01 tháng 11 năm 2024 của Ủy ban nhân dân tỉnh\nCăn cứ Luật …",
        );
        assert_eq!((h.number, h.symbol.as_deref()), (None, Some("2026/QĐ-UBND")));
        assert_eq!((h.place.as_deref(), h.date), (Some("Điện Biên"), None));
        // A title's own date is read when the header has none: "… NGÀY 04-5-1994".
        let h =
            read_text("ỦY BAN THƯỜNG VỤ QUỐC HỘI\nNGHỊ QUYẾT SỐ 203 NQ/UBTVQH9 NGÀY 04-5-1994\nVỀ VIỆC …\nCăn cứ …");
        assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("1994-05-04"));
    }

    #[test]
    fn the_number_s_line_in_capitals_is_no_part_of_the_issuer() {
        assert_eq!(
            issuer_from("BỘ TÀI CHÍNH\nTONG CỤC THUE\nSỐ: TC /TCT-PC"),
            (Some("BỘ TÀI CHÍNH".into()), Some("TONG CỤC THUE".into()))
        );
    }

    #[test]
    fn the_addressees_mark_in_capitals_ends_the_header() {
        let h = read_text(
            "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 271/UBND-VX\nKÍNH GỬI: Công ty quốc tế Hồ Tây\n1. Về thời điểm kê khai:\n",
        );
        assert_eq!((h.doc_type.as_deref(), h.subject), (Some("Công văn"), None));
    }

    #[test]
    fn a_title_below_a_letter_s_subject_marker_is_a_heading_of_its_body() {
        let h = read_text(
            "BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\nSố: 2000/TCT-QLRR\nV/v giới thiệu các nội dung mới của\nThông tư số 31/2021/TT-BTC\n\nKính gửi: Cục Thuế các tỉnh\n\nTổng cục Thuế giới thiệu như sau:\n\nQUY ĐỊNH VỀ ÁP DỤNG QUẢN LÝ RỦI RO\n",
        );
        assert_eq!(h.doc_type.as_deref(), Some("Công văn"));
        assert_eq!(
            h.subject.as_deref(),
            Some("giới thiệu các nội dung mới của Thông tư số 31/2021/TT-BTC")
        );
        // A title with its subject's marker under it stays the title.
        let h = read_text("UBND TỈNH ĐẮK NÔNG\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH\nV/v ban hành Quy chế\nCăn cứ …");
        assert_eq!(h.doc_type.as_deref(), Some("Quyết định"));
    }

    #[test]
    fn a_dash_inside_a_body_s_name_is_kept() {
        assert_eq!(
            issuer_from("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI -------"),
            (None, Some("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI".into()))
        );
        // A dash alone on its line, or ending one, is layout.
        assert_eq!(
            issuer_from("BỘ TÀI CHÍNH\n-\nTỔNG CỤC THUẾ -"),
            (Some("BỘ TÀI CHÍNH".into()), Some("TỔNG CỤC THUẾ".into()))
        );
        assert_eq!(
            issuer_from("BỘ TÀI CHÍNH - TỔNG CỤC THUẾ"),
            (Some("BỘ TÀI CHÍNH".into()), Some("TỔNG CỤC THUẾ".into()))
        );
    }

    #[test]
    fn a_title_with_no_subject_under_it_has_none() {
        // A circular whose title stands alone: its preamble is not its subject.
        for opener in [
            "Căn cứ Luật Đường bộ số 35/2024/QH15;",
            "Theo đề nghị của Cục trưởng;",
            "Điều 1. Sửa đổi",
        ] {
            let h = read_text(&format!(
                "BỘ XÂY DỰNG\nSố: 39/2025/TT-BXD\nHà Nội, ngày 25 tháng 11 năm 2025\n\nTHÔNG TƯ\n\n{opener}\n"
            ));
            assert_eq!(h.subject, None, "{opener}");
        }
        // A subject under the title is still read, and the preamble ends it.
        let h = read_text(
            "BỘ XÂY DỰNG\nSố: 39/2025/TT-BXD\nHà Nội, ngày 25 tháng 11 năm 2025\n\nTHÔNG TƯ\nQuy định định mức\nCăn cứ Luật Đường bộ;\n",
        );
        assert_eq!(h.subject.as_deref(), Some("Quy định định mức"));
    }

    #[test]
    fn a_scanned_header_loses_its_marks_and_its_words_still_end_the_fields() {
        let h = read_text(
            "BỘ TAI CHÍNH CONG HÒA XA HOI CHỦ NGHĨA VIET NAM\nSố: 393/TB-BTC Hà Nội, ngày 07 tháng 5 năm 2019\n\
             V/v tăng cường công tác thanh tra vào NSNN. gửi: Đồng chí Cục trưởng Cục Thuế\nNội dung",
        );
        assert_eq!(h.issuer.as_deref(), Some("BỘ TAI CHÍNH"));
        assert_eq!(h.subject.as_deref(), Some("tăng cường công tác thanh tra vào NSNN"));
    }

    #[test]
    fn a_text_not_yet_numbered_and_dated_keeps_its_symbol_and_place() {
        let h = read_text(
            "ỦY BAN NHÂN DÂN\nXÃ ĐỨC HỢP\nSố:         / TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Đức Hợp, ngày ….. tháng 12 năm 2021\nTHÔNG BÁO\nVề việc tạm dừng tiếp công dân\nThực hiện Thông báo",
        );
        assert_eq!((h.number, h.symbol.as_deref()), (None, Some("TB-UBND")));
        assert_eq!((h.place.as_deref(), h.date), (Some("Đức Hợp"), None));
        assert_eq!(h.subject.as_deref(), Some("Về việc tạm dừng tiếp công dân"));
        let h = read_text(
            "BỘ TÀI CHÍNH\nSố:  372 /QĐ-BTC\nHà Nội, ngày       tháng      năm 2026\nQUYẾT ĐỊNH\nVề việc đính chính\nCăn cứ Luật",
        );
        assert_eq!((h.place.as_deref(), h.date), (Some("Hà Nội"), None));
        assert_eq!(h.symbol.as_deref(), Some("QĐ-BTC"));
        // A line that only opens like one is no place: "Số:" with nothing after it.
        let h = read_text("BỘ TÀI CHÍNH\nSố:\nQUYẾT ĐỊNH\nVề việc đính chính\nCăn cứ Luật");
        assert_eq!((h.symbol, h.place), (None, None));
        let h = read_text("BỘ TÀI CHÍNH\nSố/Ký hiệu | Ngày\nQUYẾT ĐỊNH\nVề việc đính chính\nCăn cứ Luật");
        assert_eq!(h.symbol, None);
    }

    #[test]
    fn old_titles_name_their_issuer_number_and_date_and_the_enacting_line_names_the_issuer() {
        // A decision whose title repeats its number and date before the subject.
        let h = read_text(
            "HỘI ĐỒNG BỘ TRƯỞNG\n\nSố: 01-HĐBT\n\nHà Nội, ngày 13 tháng 7 năm 1981\n\nQUYẾT ĐỊNH\n\n\
             CỦA HỘI ĐỒNG BỘ TRƯỞNG SỐ 1 - HĐBT NGÀY 13 THÁNG 7 NĂM 1981 ẤN ĐỊNH THỜI GIAN BẦU CỬ\n\n\
             HỘI ĐỒNG BỘ TRƯỞNG\n\nCăn cứ Luật",
        );
        assert_eq!(h.subject.as_deref(), Some("ẤN ĐỊNH THỜI GIAN BẦU CỬ"));
        // A decree with no header: the title names only its issuer, number and date.
        let h = read_text(
            "SẮC LỆNH\n\nCỦA CHỦ TỊCH CHÍNH PHỦ VIỆT NAM DÂN CHỦ CỘNG HOÀ SỐ 93 NGÀY 3 THÁNG 10 NĂM 1947\n\n\
             CHỦ TỊCH CHÍNH PHỦ VIỆT NAM DÂN CHỦ CỘNG HOÀ\n\nChiểu Sắc lệnh số 63 ngày 22-11-45;\n\nRA SẮC LỆNH:",
        );
        assert_eq!(h.doc_type.as_deref(), Some("Sắc lệnh"));
        assert_eq!(
            h.issuer.as_deref(),
            Some("CHỦ TỊCH CHÍNH PHỦ VIỆT NAM DÂN CHỦ CỘNG HOÀ")
        );
        assert_eq!((h.number.as_deref(), h.symbol.as_deref()), (Some("93"), None));
        assert_eq!(h.subject, None);
        // A number cited inside the subject is not the title's own.
        let h = read_text(
            "ỦY BAN NHÂN DÂN TỈNH X\nSố: 15/QĐ-UBND\nX, ngày 01 tháng 02 năm 1996\nQUYẾT ĐỊNH\nCỦA ỦY BAN NHÂN DÂN TỈNH VỀ VIỆC BÃI BỎ QUYẾT ĐỊNH SỐ 12/QĐ-UB NGÀY 5-3-1995\n\nCăn cứ Luật",
        );
        assert_eq!(
            h.subject.as_deref(),
            Some("VỀ VIỆC BÃI BỎ QUYẾT ĐỊNH SỐ 12/QĐ-UB NGÀY 5-3-1995")
        );
        assert_eq!(type_from_symbol("NQ -CP"), Some("Nghị quyết"));
        assert_eq!(type_from_symbol("2024/ QĐ-UBND"), Some("Quyết định"));
        // A rule under a subject closes it.
        let h = read_text(
            "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 221-KL/TW\nHà Nội, ngày 28 tháng 11 năm 2025\nKẾT LUẬN\nCỦA BỘ CHÍNH TRỊ,\nBAN BÍ THƯ\n-----\nTại phiên họp ngày 28/11/2025",
        );
        assert_eq!(h.subject.as_deref(), Some("CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ"));
        let h = read_text(
            "ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG\nSố: 5/2004/QĐ-UB\nMỹ Tho, ngày 01 tháng 02 năm 2004\nQUYẾT ĐỊNH\nBAN HÀNH QUY ĐỊNH VỀ MẠNG TIN HỌC -------\nCăn cứ Luật",
        );
        assert_eq!(h.subject.as_deref(), Some("BAN HÀNH QUY ĐỊNH VỀ MẠNG TIN HỌC"));
        // A decision whose title line was lost: its symbol names its kind.
        let h = read_text(
            "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 28/2016/QĐ-UBND | Phú Thọ, ngày 07 tháng 10 năm 2016 |\n\
             VỀ VIỆC BAN HÀNH QUY CHẾ LÀM VIỆC\nỦY BAN NHÂN DÂN TỈNH PHÚ THỌ\nCăn cứ Luật Tổ chức chính quyền địa phương;",
        );
        assert_eq!(h.doc_type.as_deref(), Some("Quyết định"));
        assert_eq!(h.subject.as_deref(), Some("VỀ VIỆC BAN HÀNH QUY CHẾ LÀM VIỆC"));
        // A letter's "V/v" stays a letter's.
        let h = read_text(
            "SỞ NỘI VỤ\nSố: 12/SNV-TCCB\nV/v báo cáo số liệu\nPhú Thọ, ngày 07 tháng 10 năm 2016\nKính gửi: Các sở",
        );
        assert_eq!(h.doc_type.as_deref(), Some("Công văn"));
        assert_eq!(h.subject.as_deref(), Some("báo cáo số liệu"));
        // A number of a numbered series holds a dot.
        let h = read_text(
            "CHÍNH PHỦ\nSố: 66.17/2026/NQ-CP\nHà Nội, ngày 15 tháng 5 năm 2026\nNGHỊ QUYẾT\nCắt giảm ngành, nghề\n",
        );
        assert_eq!(
            (h.number.as_deref(), h.symbol.as_deref()),
            (Some("66.17"), Some("2026/NQ-CP"))
        );
    }

    #[test]
    fn a_subject_in_capitals_ends_where_a_sentence_begins() {
        let text = "VĂN PHÒNG CHÍNH PHỦ\nSố: 648/TB-VPCP\nHà Nội, ngày 27 tháng 11 năm 2025\nTHÔNG BÁO\nKẾT\n\
                    LUẬN CỦA PHÓ THỦ TƯỚNG TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO TỈNH\nĐIỆN BIÊN\n\
                    Trong các ngày 08 và 09 tháng 11 năm 2025, Phó Thủ tướng đã làm việc với tỉnh.";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            read(&lines).subject.as_deref(),
            Some("KẾT LUẬN CỦA PHÓ THỦ TƯỚNG TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO TỈNH ĐIỆN BIÊN")
        );
    }

    #[test]
    fn a_place_line_without_its_comma_still_gives_place_and_date() {
        let text = "CHÍNH PHỦ\n--------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
                    Số: 386/NQ-CP\nHà Nội ngày 01\ntháng 12 năm 2025\nNGHỊ QUYẾT\nVỀ VIỆC TIẾP THU\nCăn cứ Luật";
        let lines: Vec<&str> = text.lines().collect();
        let header = read(&lines);
        assert_eq!(header.place.as_deref(), Some("Hà Nội"));
        assert_eq!(header.date.map(|d| (d.year, d.month, d.day)), Some((2025, 12, 1)));
        // A sentence's words before "ngày" are not a place.
        let text = "UBND TỈNH X\nSố: 5/UBND\nTrong ngày 01 tháng 12 năm 2025 đã họp\nKính gửi: Sở";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(read(&lines).place, None);
    }

    #[test]
    fn headers_of_the_kinds_of_state_bodies() {
        // (header lines, superior body, issuing body)
        let cases: &[(&str, Option<&str>, &str)] = &[
            (
                "BỘ NỘI VỤ\nVỤ CHÍNH QUYỀN ĐỊA PHƯƠNG",
                Some("BỘ NỘI VỤ"),
                "VỤ CHÍNH QUYỀN ĐỊA PHƯƠNG",
            ),
            ("UBND TỈNH ĐẮK NÔNG\nSỞ NỘI VỤ", Some("UBND TỈNH ĐẮK NÔNG"), "SỞ NỘI VỤ"),
            ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", None, "ỦY BAN THƯỜNG VỤ QUỐC HỘI"),
            ("HỘI ĐỒNG BỘ TRƯỞNG", None, "HỘI ĐỒNG BỘ TRƯỞNG"),
            (
                "BỘ CÔNG AN\nCÔNG AN TỈNH ĐẮK NÔNG",
                Some("BỘ CÔNG AN"),
                "CÔNG AN TỈNH ĐẮK NÔNG",
            ),
            (
                "CỤC THUẾ TỈNH ĐẮK NÔNG\nCHI CỤC THUẾ KHU VỰC GIA NGHĨA",
                Some("CỤC THUẾ TỈNH ĐẮK NÔNG"),
                "CHI CỤC THUẾ KHU VỰC GIA NGHĨA",
            ),
            (
                "MẶT TRẬN TỔ QUỐC VIỆT NAM\nỦY BAN TỈNH ĐẮK NÔNG",
                Some("MẶT TRẬN TỔ QUỐC VIỆT NAM"),
                "ỦY BAN TỈNH ĐẮK NÔNG",
            ),
            (
                "HĐND TỈNH ĐẮK NÔNG\nTHƯỜNG TRỰC HĐND",
                Some("HĐND TỈNH ĐẮK NÔNG"),
                "THƯỜNG TRỰC HĐND",
            ),
            (
                "ĐẠI HỌC QUỐC GIA HÀ NỘI\nTRƯỜNG ĐẠI HỌC KHOA HỌC TỰ NHIÊN",
                Some("ĐẠI HỌC QUỐC GIA HÀ NỘI"),
                "TRƯỜNG ĐẠI HỌC KHOA HỌC TỰ NHIÊN",
            ),
            (
                "UBND TỈNH ĐẮK NÔNG\nTRƯỜNG ĐẠI HỌC CỘNG ĐỒNG",
                Some("UBND TỈNH ĐẮK NÔNG"),
                "TRƯỜNG ĐẠI HỌC CỘNG ĐỒNG",
            ),
            ("BẢO HIỂM XÃ HỘI VIỆT NAM", None, "BẢO HIỂM XÃ HỘI VIỆT NAM"),
            // The header's lines joined as written, its dash kept (the labelling conventions;
            // this case expected the dash dropped until the twelfth session).
            (
                "BỘ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI",
                None,
                "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
            ),
        ];
        for (lines, parent, issuer) in cases {
            assert_eq!(
                issuer_from(lines),
                (parent.map(str::to_owned), Some((*issuer).to_owned())),
                "{lines}"
            );
        }
    }

    #[test]
    fn two_level_headers_split_at_the_second_head() {
        assert_eq!(
            issuer_from("BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (Some("BỘ TÀI CHÍNH".into()), Some("TỔNG CỤC HẢI QUAN".into()))
        );
        assert_eq!(
            issuer_from("ỦY\nBAN NHÂN DÂN\nTỈNH TIỀN GIANG\n-------\n|\n"),
            (None, Some("ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG".into()))
        );
        assert_eq!(
            issuer_from("THỦ TƯỚNG CHÍNH PHỦ -------"),
            (None, Some("THỦ TƯỚNG CHÍNH PHỦ".into()))
        );
        assert_eq!(
            issuer_from("UBND TỈNH ĐẮK NÔNG\nSỞ NỘI VỤ"),
            (Some("UBND TỈNH ĐẮK NÔNG".into()), Some("SỞ NỘI VỤ".into()))
        );
    }

    #[test]
    fn authority_lines_are_not_part_of_the_subject() {
        let issuer = Some("ỦY BAN NHÂN DÂN TỈNH KON TUM");
        assert_eq!(
            strip_authority_suffix("BAN HÀNH X” ỦY BAN NHÂN DÂN TỈNH KON TUM", issuer),
            "BAN HÀNH X”"
        );
        assert_eq!(
            strip_authority_suffix("BAN HÀNH X TỈNH TUYÊN QUANG CHỦ TỊCH UỶ BAN NHÂN DÂN TỈNH", None),
            "BAN HÀNH X TỈNH TUYÊN QUANG"
        );
        assert_eq!(
            strip_authority_suffix("VỀ VIỆC PHÊ CHUẨN PHÓ CHỦ TỊCH HỘI ĐỒNG NHÂN DÂN TỈNH THANH HÓA", None),
            "VỀ VIỆC PHÊ CHUẨN PHÓ CHỦ TỊCH HỘI ĐỒNG NHÂN DÂN TỈNH THANH HÓA"
        );
    }

    #[test]
    fn symbols_name_their_type() {
        assert_eq!(type_from_symbol("2009/QĐ-UBND"), Some("Quyết định"));
        assert_eq!(type_from_symbol("NQ/TW"), Some("Nghị quyết"));
        assert_eq!(type_from_symbol("UBND-NC"), None);
        // As written, the space kept, the end's punctuation not.
        assert_eq!(clean_symbol("KH/ TU."), "KH/ TU");
        assert_eq!(clean_symbol("TT-\nBTC"), "TT- BTC");
        // A word glued to the code's end, after a capital or a digit; "TTg" keeps its small letter.
        assert_eq!(clean_symbol("2024/QH15ngày"), "2024/QH15");
        assert_eq!(clean_symbol("2014/QH13đối"), "2014/QH13");
        assert_eq!(clean_symbol("STC-HCSNngày"), "STC-HCSN");
        assert_eq!(clean_symbol("QĐ-TTg"), "QĐ-TTg");
        assert_eq!(clean_symbol("QĐ-TTgngày"), "QĐ-TTg");
    }
}
