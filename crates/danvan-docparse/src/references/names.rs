//! A body's name in running text: the kinds of Vietnamese state bodies its first words name,
//! how far its words run, and the name written after a citation ("… của X").

use regex::Regex;
use std::sync::LazyLock;

use super::citation::{FOLDED_TYPE_WORDS, LONGEST_TYPE_WORD};
use crate::text::{fold_case, is_upper_word, squash};

/// The words that open the name of a kind of Vietnamese state body or office, as a text writes
/// it in running prose: ministries, departments, committees and councils of each level, the
/// Party's and the National Assembly's bodies, their offices and heads, and the enterprises and
/// units that write to them.
pub(super) const BODY_HEADS: &[&str] = &[
    "Bộ",
    "Sở",
    "Ủy ban",
    "Uỷ ban",
    "UBND",
    "HĐND",
    "UBMTTQ",
    "Chính phủ",
    "Thủ tướng",
    "Phó Thủ tướng",
    "Tỉnh ủy",
    "Tỉnh uỷ",
    "Thành ủy",
    "Thành uỷ",
    "Huyện ủy",
    "Huyện uỷ",
    "Đảng ủy",
    "Đảng uỷ",
    "Ban",
    "BCĐ",
    "Hội đồng",
    "Văn phòng",
    "Cục",
    "Tổng cục",
    "Chi cục",
    "Vụ",
    "Trung tâm",
    "Phòng",
    "Công ty",
    "Tổng công ty",
    "Tập đoàn",
    "Viện",
    "Học viện",
    "Trường",
    "Đại học",
    "Bệnh viện",
    "Quốc hội",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Giám đốc",
    "Phó Giám đốc",
    "Bộ trưởng",
    "Thứ trưởng",
    "Chánh",
    "Trưởng",
    "Phó Trưởng",
    "Kho bạc",
    "Ngân hàng",
    "Tòa án",
    "Toà án",
    "Kiểm toán",
    "Thanh tra",
    "Công an",
    "Bộ Chỉ huy",
    "Bộ đội",
    "Mặt trận",
    "Liên đoàn",
    "Tổng Liên đoàn",
    "Liên minh",
    "Hội",
    "Hiệp hội",
    "Đoàn",
    "Tổ",
    "Đài",
    "Báo",
    "Bảo hiểm",
    "Cảng vụ",
    "Hải quan",
    "Cơ quan",
    "Quỹ",
    "Thường trực",
    "Ủy ban Thường vụ",
    "Tổng Bí thư",
    "Bí thư",
];

/// The name in `words` of a body that acts in a clause: from the first word that opens the name of
/// a kind of state body or office ([`BODY_HEADS`]) on, after any "được" or "của" ("Kế hoạch của
/// Bộ Y tế được Ủy ban nhân dân tỉnh …" names the committee); `None` where no such word stands,
/// as in a clause that opens "Thực hiện chỉ đạo tại …".
pub(super) fn body_named(words: &str) -> Option<&str> {
    // A blank line ends a clause: "Kính gửi: Sở Y tế" / "" / "Thực hiện chỉ đạo tại …" names no
    // body (a name wrapped at a line's end goes on: "Sở" / "Tài chính đã tổng hợp …").
    let words = words.rsplit("\n\n").next().unwrap_or(words);
    let words = words.rsplit(" được ").next().unwrap_or(words);
    let words = words.rsplit(" của ").next().unwrap_or(words);
    crate::text::from_each_word(words).find(|rest| {
        BODY_HEADS.iter().any(|head| {
            rest.strip_prefix(head).is_some_and(|after| {
                !after.starts_with(|c: char| c.is_alphanumeric())
                    // A head that is also a common word opens a name only before a capitalised
                    // word: "Ban Chỉ đạo", "Phòng Nội vụ", not "Tổ chức", "Báo cáo", "Ban hành".
                    && (!COMMON_WORD_HEADS.contains(head)
                        || after.split_whitespace().next().is_some_and(|w| w.starts_with(crate::text::is_upper)))
            })
        })
    })
}

/// The clause's subject without the adverbial that opens its sentence: "Ngay từ đầu năm Bộ Tài
/// chính đã ban hành …" names "Bộ Tài chính", "Hiện nay Sở Y tế có …" "Sở Y tế". Only a first
/// word that opens no body's name, followed by one in lower case or a number, is such an
/// adverbial, and only a body's name after it is taken.
pub(super) fn after_opening_adverbial(name: &str) -> &str {
    const OPENERS: &[&str] = &[
        "Ngay", "Từ", "Trong", "Thời", "Hiện", "Năm", "Tháng", "Đến", "Vừa", "Sau", "Trước", "Qua", "Đồng", "Tuy",
        "Bên", "Theo", "Do", "Vì", "Ngoài", "Mặt", "Gần", "Tiếp", "Cùng", "Trên",
    ];
    let mut words = name.split_whitespace();
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return name;
    };
    if !OPENERS.contains(&first) || !second.starts_with(|c: char| crate::text::is_lower(c) || c.is_ascii_digit()) {
        return name;
    }
    body_named(name).unwrap_or(name)
}

/// The heads in [`BODY_HEADS`] that are also the first syllables of common words.
pub(super) const COMMON_WORD_HEADS: &[&str] =
    &["Ban", "Báo", "Tổ", "Hội", "Phòng", "Trường", "Vụ", "Đoàn", "Đài", "Quỹ"];

/// The start of a numbered or bulleted line: `I.`, `1.`, `1.1.`, `a)`, `-`, `+`.
pub(super) static LIST_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[IVX]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-+•])(?:\s|$)").expect("valid regex"));

/// Words that end an issuer's name written after "của".
pub(super) const ISSUER_STOPS: &[&str] = &[
    "về",
    "v/v",
    "quy định",
    "hướng dẫn",
    "phê duyệt",
    "ban hành",
    "thực hiện",
    "tại",
    "đã",
    "có",
    "để",
    "trong",
    "theo",
    "đề nghị",
    "gửi",
    "kèm",
    "ngày",
    "nhằm",
    "triển khai",
    "sửa đổi",
    "bổ sung",
    "thay thế",
    "giao",
    "yêu cầu",
    "chỉ đạo",
    "thông báo",
    "cho",
    "đối với",
    "với",
    "là",
    "được",
    "nay",
    "thì",
    "khi",
    "trên",
    "nêu",
    "tiếp tục",
    "số",
    "công bố",
    "kết luận",
    // A sentence that opens where a line break or a semicolon was lost: "… của Bộ Tài chính Xét
    // đề nghị của …".
    "xét",
    "báo cáo",
    // What the body did with the document, after its name: "… của Cục Thuế tỉnh Hà Nam vướng
    // mắc …", "… của Tổng cục Thuế chuyển công văn …".
    "vướng",
    "chuyển công",
];

/// The stops of two words, split once.
pub(super) static STOP_PAIRS: LazyLock<Vec<(&str, &str)>> =
    LazyLock::new(|| ISSUER_STOPS.iter().filter_map(|stop| stop.split_once(' ')).collect());

/// Verbs of two words that end a name even written with a capital after a capitalised word
/// ("UBND tỉnh Quảng Bình Ban hành điều lệ …"): no body's name holds them.
pub(super) const VERB_PAIRS: &[(&str, &str)] = &[
    ("ban", "hành"),
    ("quy", "định"),
    ("hướng", "dẫn"),
    ("phê", "duyệt"),
    ("sửa", "đổi"),
    ("công", "bố"),
];

/// Lower-case words that stand inside the names of state bodies and offices ("Ủy ban nhân dân
/// tỉnh", "Bộ trưởng Bộ Y tế", "Tòa án nhân dân tối cao"); any other lower-case word that does
/// not finish a capitalised word ("Giáo dục", "Chính phủ") ends a name.
pub(super) const NAME_WORDS: &[&str] = &[
    "nhân",
    "dân",
    "tỉnh",
    "thành",
    "phố",
    "huyện",
    "quận",
    "thị",
    "xã",
    "trấn",
    "phường",
    "đặc",
    "khu",
    "trung",
    "ương",
    "nhà",
    "nước",
    "và",
    "trưởng",
    "tướng",
    "phó",
    "tịch",
    "đốc",
    "các",
    "cấp",
    "tối",
    "cao",
    "vực",
    "hội",
    "đồng",
    "cục",
    "ban",
    "bộ",
    "sở",
    "chính",
    "phủ",
    "thường",
    "trực",
    "vụ",
    "công",
    "ty",
    "khóa",
    "khoá",
    "tổng",
    "hàng",
    "án",
    "viện",
    "kiểm",
    "sát",
    // Syllables of ministries' and agencies' names as older texts write them in lower case: "Bộ
    // Giao thông vận tải", "Bộ tài chính", "Kiểm định chất lượng giáo dục".
    "vận",
    "tải",
    "thông",
    "tin",
    "truyền",
    "hành",
    "học",
    "nghệ",
    "binh",
    "thương",
    "nghiệp",
    "nông",
    "thôn",
    "trường",
    "nguyên",
    "tài",
    "đầu",
    "tư",
    "kế",
    "hoạch",
    "giáo",
    "dục",
    "đào",
    "tạo",
    "y",
    "tế",
    "quốc",
    "phòng",
    "ngoại",
    "giao",
    "pháp",
    "văn",
    "hóa",
    "hoá",
    "thể",
    "thao",
    "du",
    "lịch",
    "xây",
    "dựng",
    "khoa",
    "chất",
    "lượng",
    "lao",
    "động",
    // Sessions and terms: "Hội nghị lần thứ sáu Ban Chấp hành Trung ương", "kỳ họp thứ 4".
    "lần",
    "thứ",
    "nhất",
    "hai",
    "ba",
    "bốn",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "kỳ",
    "họp",
];

/// Whether `token` can go on a body's name after `previous`.
pub(super) fn continues_name(previous: Option<&str>, token: &str) -> bool {
    // The first letter decides most tokens before anything is allocated.
    let Some(first) = token.chars().find(|c| crate::text::is_letter(c)) else {
        return true;
    };
    if crate::text::is_upper(first) {
        return true;
    }
    if token.starts_with('(') {
        return false;
    }
    // (Most tokens are letters only, and are read as they stand.)
    let letters: std::borrow::Cow<str> = if token.chars().all(crate::text::is_letter) {
        std::borrow::Cow::Borrowed(token)
    } else {
        std::borrow::Cow::Owned(token.chars().filter(|c| crate::text::is_letter(c)).collect())
    };
    // Two words glued by a lost space ("vàMôi", "tỉnhNghệ"): the first decides.
    if let Some(cap) = letters
        .char_indices()
        .skip(1)
        .find(|(_, c)| crate::text::is_upper(c))
        .map(|(i, _)| i)
    {
        return continues_name(previous, &letters[..cap]);
    }
    // The second syllable of a capitalised word: "Giáo dục", "Quốc hội", "Việt Nam".
    let after_title = previous.is_some_and(|p| {
        let mut chars = p.chars().filter(|c| crate::text::is_letter(c));
        chars.next().is_some_and(crate::text::is_upper) && chars.all(crate::text::is_lower)
    });
    after_title || NAME_WORDS.contains(&fold_case(&letters).as_str())
}

/// Where a name stands in a steering committee's remit (`read_name`).
#[derive(Default)]
pub(super) struct Remit {
    /// The name so far ends in "Ban Chỉ đạo" and what follows it.
    open: bool,
    /// A word of the remit in lower case has been read (not its level: "tỉnh", "trung ương").
    started: bool,
    /// Its "về" has been read.
    about: bool,
    /// The words after "Ban Chỉ đạo" list subjects ("phát triển khoa học, công nghệ, …"):
    /// without "về", only such a list is a remit ("Ban Chỉ đạo tỉnh kết luận …" is not).
    enumerates: bool,
}

impl Remit {
    /// Whether the name is being read as a remit: after its "về", or through its list.
    fn reads(&self) -> bool {
        self.open && (self.about || self.enumerates)
    }

    /// Notes the word just taken into the name, as written, with the words after it.
    fn took(&mut self, words: &[&str], word: &str, ahead: &[&str]) {
        if !self.open {
            self.open = words.len() >= 3 && fold_case(&words[words.len() - 3..].join(" ")) == "ban chỉ đạo";
            self.enumerates = self.open && enumerates(ahead);
            return;
        }
        if word == "về" {
            self.about = true;
        } else if word.starts_with(crate::text::is_lower)
            && !matches!(
                word,
                "tỉnh" | "huyện" | "xã" | "thành" | "phố" | "quận" | "phường" | "trung" | "ương" | "nhà" | "nước"
            )
        {
            self.started = true;
        }
    }
}

/// Whether the words ahead list subjects in lower case ("…, công nghệ", "… và chuyển đổi số")
/// before a stop word or the end of a clause.
pub(super) fn enumerates(ahead: &[&str]) -> bool {
    for (k, token) in ahead.iter().enumerate().take(14) {
        let next_lower = ahead.get(k + 1).is_some_and(|t| t.starts_with(crate::text::is_lower));
        if (token.ends_with(',') || *token == "và") && next_lower {
            return true;
        }
        let word = fold_case(token.trim_end_matches([',', ';', ':', '.']));
        if token.ends_with([';', '.', ':']) || (word != "số" && ISSUER_STOPS.contains(&word.as_str())) {
            return false;
        }
    }
    false
}

/// The issuer written right after a citation: "của X".
/// `joint`: how many bodies issued the cited document together, as its symbol names them after
/// its kind ("…/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN": 3), or 0; their names go on over commas.
pub(super) fn issuer_after(rest: &str, party_resolution: bool, joint: usize) -> Option<String> {
    let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    if party_resolution && let Some(name) = conference_issuer(trimmed) {
        return Some(name);
    }
    let lower = trimmed.chars().take(4).collect::<String>().to_lowercase();
    if !(lower.starts_with("của") && lower.chars().nth(3).is_some_and(char::is_whitespace)) {
        return None;
    }
    read_name_of(trimmed["của".len()..].trim_start(), joint)
}

/// The body whose plenary conference adopted a Party resolution, named after it: "Nghị quyết
/// số 36-NQ/TW ngày 22/10/2018, Hội nghị lần thứ 8 của Ban Chấp hành Trung ương Đảng khóa XII
/// về …", "… Hội nghị lần thứ tám Ban chấp hành Trung ương Đảng khóa XII".
pub(super) fn conference_issuer(text: &str) -> Option<String> {
    if !crate::text::starts_with_ci(text, "hội nghị") {
        return None;
    }
    // ("Hội nghị" is as long in either case.)
    let mut rest = text.get("hội nghị".len()..)?.trim_start();
    if let Some(after) = rest.strip_prefix("lần thứ") {
        // The session's number, in figures or in words ("8", "tám", "mười hai"): three words at
        // most.
        const NUMBER_WORDS: &[&str] = &[
            "nhất", "một", "hai", "ba", "bốn", "tư", "năm", "lăm", "sáu", "bảy", "tám", "chín", "mười", "mươi",
        ];
        rest = after.trim_start();
        for _ in 0..3 {
            match rest.split_whitespace().next() {
                Some(word) if word.bytes().all(|b| b.is_ascii_digit()) || NUMBER_WORDS.contains(&word) => {
                    rest = rest[word.len()..].trim_start();
                }
                _ => break,
            }
        }
    }
    let rest = rest.strip_prefix("của").map_or(rest, str::trim_start);
    // A body's name, from its head ("Ban Chấp hành …"): not "Hội nghị Trung ương 8".
    read_name(rest).filter(|name| body_named(name).is_some_and(|body| body.len() == name.len()))
}

/// A body's name at the start of `after`, read as far as the words can stand in a name.
pub(super) fn read_name(after: &str) -> Option<String> {
    read_name_of(after, 0)
}

/// [`read_name`], of the bodies that issued a document jointly when `joint`: "Ủy ban Thường vụ
/// Quốc hội, Chính phủ và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam".
fn read_name_of(after: &str, joint: usize) -> Option<String> {
    if !after.chars().next().is_some_and(crate::text::is_upper) {
        return None;
    }
    // A name is a few dozen words at most: only that much of the text is looked at, so that
    // reading a citation does not cost the length of the rest of the document.
    let after = crate::text::head(after, 600);
    // A table's cell ends a name: "… của Bộ Tài chính" / "|" / "Sở Tài chính" is two cells.
    let after = after.split('|').next().unwrap_or(after);
    // A name continues on the next line only when that line goes on with it ("của Chính\nphủ"),
    // not when it starts a heading, an item or a new paragraph.
    let mut end = after.len();
    for (at, _) in after.match_indices('\n') {
        let next = after[at + 1..].trim_start_matches([' ', '\t']);
        let first_word = next.split_whitespace().next().unwrap_or("");
        // Only a line opening with a numeral, a bullet or a letter and its bracket can be an item.
        let mut opening = next.chars();
        let starts_item = match (opening.next(), opening.next()) {
            (Some(c), _) if c.is_numeric() || matches!(c, 'I' | 'V' | 'X' | '-' | '+' | '•') => true,
            (Some(_), Some(')')) => true,
            _ => false,
        } && LIST_MARKER.is_match(crate::text::head(next, 16));
        let blank = next.starts_with('\n') || next.is_empty();
        // A line in capitals after a name in capitals goes on with it: a title wraps its
        // issuer's name ("… CỦA HỘI ĐỒNG NHÂN DÂN TỈNH THỪA" / "THIÊN HUẾ QUY ĐỊNH …").
        // A name in capitals goes on only with a line in capitals ("… ỦY BAN NHÂN DÂN" / "TỈNH"
        // / "Căn cứ …" ends after "TỈNH").
        let name_in_capitals = is_upper_word(&after[..at]);
        // A line that opens another body's name or a position is the authority printed under a
        // title, not the rest of the name: "… CỦA UBND TỈNH NGHỆ AN" / "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN".
        let opens_authority = || {
            const HEADS: &[&str] = &[
                "ỦY BAN",
                "UỶ BAN",
                "UBND",
                "HỘI ĐỒNG",
                "HĐND",
                "CHỦ TỊCH",
                "BỘ TRƯỞNG",
                "THỦ TƯỚNG",
                "CHÍNH PHỦ",
                "QUỐC HỘI",
                "BỘ ",
                "SỞ ",
                "BAN ",
                "KHÓA ",
                "KHOÁ ",
                "KỲ HỌP",
            ];
            HEADS.iter().any(|h| next.starts_with(h))
        };
        let heading = if name_in_capitals {
            !is_upper_word(first_word) || opens_authority()
        } else {
            first_word.chars().filter(|c| crate::text::is_letter(c)).count() > 1 && is_upper_word(first_word)
        };
        // A name cut where it cannot end goes on whatever the next line's case: after a dash or
        // a comma ("Bộ Lao động -" / "Thương binh và Xã hội"), or a head that needs what it heads
        // ("UBND" / "tỉnh Hưng Yên", "Văn phòng" / "UBND thành phố", "THỦ TƯỚNG" / "CHÍNH PHỦ").
        let incomplete = || {
            let so_far = after[..at].trim_end();
            let folded = fold_case(crate::text::last_chars(so_far, 24));
            so_far.ends_with(['-', '–', ','])
                || ["ubnd", "hđnd", "văn phòng", "thủ tướng", "ủy ban", "hội đồng nhân dân"]
                    .iter()
                    .any(|head| folded == *head || folded.ends_with(&format!(" {head}")))
        };
        if starts_item || blank || (heading && !incomplete()) {
            end = at;
            break;
        }
    }
    // The first word of the line a cut name would have run on to.
    let next_line_word = after[end..].split_whitespace().next().map(fold_case);
    let after = &after[..end];
    let mut words: Vec<&str> = Vec::new();
    let tokens: Vec<&str> = after.split_whitespace().take(30).collect();
    // Each token folded once; a name stops within its first sixteen words or so.
    let mut folded_tokens: Vec<String> = Vec::with_capacity(tokens.len());
    let fold_upto = |folded_tokens: &mut Vec<String>, n: usize| {
        while folded_tokens.len() < n.min(tokens.len()) {
            folded_tokens.push(fold_case(tokens[folded_tokens.len()]));
        }
    };
    let mut i = 0;
    let mut depth = 0i32;
    // A steering committee is named with its remit, in lower case through commas and "và":
    // "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi
    // số", "Ban Chỉ đạo Nhà nước về Du lịch". Its level may come first ("Trung ương", "tỉnh"),
    // then one "về"; the remit ends at a stop word, a second "về", or a comma before a name.
    let mut remit = Remit::default();
    // (Bodies named together, or a committee with its remit, take more words than one name.)
    // (Commas passed between bodies named together: "A, B và C" has one fewer than "và".)
    let mut joint_commas = 0;
    while i < tokens.len() && words.len() < if remit.reads() || joint > 0 { 30 } else { 16 } {
        let token = tokens[i];
        fold_upto(&mut folded_tokens, i + 2);
        let folded = folded_tokens[i].as_str();
        let next = folded_tokens.get(i + 1).map_or("", String::as_str);
        let stop_word = |word: &str| ISSUER_STOPS.contains(&word);
        // The next word without the punctuation after it: "SỬA ĐỔI, BỔ SUNG".
        let next = next.trim_end_matches([',', ';', ':', '.']);
        let pair_is_stop = || STOP_PAIRS.contains(&(folded, next));
        // "Hội đồng Xét tuyển", "Ban xét duyệt": "xét" names what the council does.
        let stop_word = |word: &str| {
            stop_word(word)
                && !(word == "xét" && i > 0 && matches!(folded_tokens[i - 1].as_str(), "đồng" | "ban" | "tổ"))
        };
        // A capitalised stop word right after a capitalised word is part of a name ("Bộ Giao
        // thông vận tải"), not the start of what follows it ("Chính phủ Hướng dẫn").
        let title_case = |t: &str| {
            if t.contains('/') {
                return false;
            }
            let mut letters = t.chars().filter(|c| crate::text::is_letter(c));
            letters.next().is_some_and(crate::text::is_upper) && letters.all(crate::text::is_lower)
        };
        // A name in capitals ("CỦA CHÍNH PHỦ THỰC HIỆN …") ends at the same words.
        // ("Về việc" opens a subject whatever its case: "… xã Phố Bảng Về việc thành lập …".)
        let lower_case = !(title_case(token) && i > 0 && title_case(tokens[i - 1]))
            || is_upper_word(token)
            || VERB_PAIRS.contains(&(folded, next))
            || (folded == "về" && next == "việc");
        // "giao" after "Ngoại" is its second syllable ("Bộ Ngoại giao"); after another name it
        // is the verb ("UBND tỉnh Quảng Ninh giao Sở Nội vụ").
        let second_syllable = folded == "giao" && i > 0 && folded_tokens[i - 1] == "ngoại";
        // "HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN HUẾ (NAY THÀNH PHỐ HUẾ)": what the body is now is a
        // note on the name, not part of it.
        if !words.is_empty() && depth == 0 && matches!(token, "(nay" | "(NAY" | "(Nay") {
            break;
        }
        // "UBND tỉnh Quảng Trị (cũ)": the former body, named as it was.
        if !words.is_empty() && depth == 0 && matches!(token.trim_end_matches([',', ';', ':', '.']), "(cũ)" | "(CŨ)")
        {
            words.push(token.trim_end_matches([',', ';', ':', '.']));
            break;
        }
        // "Ban chấp hành Đảng bộ tỉnh": the pair goes on a name ("chấp thuận", "thi hành" end it).
        let charter =
            (folded == "chấp" && next == "hành") || (folded == "hành" && i > 0 && folded_tokens[i - 1] == "chấp");
        // "Ban chỉ đạo", "Tổ giúp việc": a kind of body, not the verb "chỉ đạo" or the noun "việc".
        let before = |back: usize| i.checked_sub(back).map_or("", |j| folded_tokens[j].as_str());
        // "Ủy ban bầu cử": the pair names a kind of committee ("bầu Chủ tịch", "cử cán bộ" are
        // verbs).
        let election = (folded == "bầu" && next == "cử") || (folded == "cử" && before(1) == "bầu");
        let kind_of_body = election
            || (folded == "chỉ" && next == "đạo" && before(1) == "ban")
            || (folded == "đạo" && before(1) == "chỉ" && before(2) == "ban")
            || (folded == "việc" && before(1) == "giúp");
        // Within a remit: its one "về", and "số" that no number follows ("chuyển đổi số").
        // ("về việc" opens a subject, not a remit.)
        let remit_word = remit.open
            && ((folded == "về" && next != "việc" && !remit.started && !remit.about)
                || (remit.reads()
                    && folded == "số"
                    && !tokens
                        .get(i + 1)
                        .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()))));
        let stop = !charter
            && !second_syllable
            && !kind_of_body
            && !remit_word
            && depth == 0
            && ((lower_case && (stop_word(folded) || pair_is_stop()))
                || (folded == "và"
                    // (Within a remit, "và" and a lower-case subject go on: "… cải cách hành
                    // chính và đề án 06".)
                    && !(remit.reads()
                        && remit.started
                        && tokens.get(i + 1).is_some_and(|t| t.starts_with(crate::text::is_lower)))
                    && ({
                        // (As many words as the longest type word has are enough.)
                        let rest = fold_case(
                            &tokens[i + 1..]
                                .iter()
                                .take(LONGEST_TYPE_WORD)
                                .copied()
                                .collect::<Vec<_>>()
                                .join(" "),
                        );
                        FOLDED_TYPE_WORDS.iter().any(|t| rest.starts_with(t.as_str()))
                            // A part of a text is no body: "… của Chính phủ và Điều 28 Thông tư …".
                            || ["điều ", "khoản ", "điểm ", "chương ", "mục "]
                                .iter()
                                .any(|part| rest.starts_with(part))
                            // A kind's abbreviation before its number: "… của UBND tỉnh và CV
                            // số 123/SNV-CCVC".
                            || (tokens.get(i + 1).is_some_and(|t| {
                                matches!(
                                    t.trim_end_matches([',', ':']),
                                    "QĐ" | "QD" | "CV" | "KH" | "TB" | "NQ" | "NĐ" | "TT" | "CT" | "BC" | "TTr" | "HD"
                                        | "KL" | "CTr" | "TTLT" | "VB"
                                )
                            }) && tokens
                                .get(i + 2)
                                .is_some_and(|t| t.starts_with("số") || t.starts_with(|c: char| c.is_ascii_digit())))
                    } || tokens
                        .get(i + 1)
                        .is_none_or(|t| !t.chars().next().is_some_and(crate::text::is_upper))))
                || token.starts_with(['“', '"', '‘', '[', '”'])
                // (What the committee agreed ends its remit: "… về du lịch thống nhất …".)
                || (remit.reads() && folded == "thống" && next == "nhất")
                || (depth == 0 && !remit.reads() && !continues_name(i.checked_sub(1).map(|j| tokens[j]), token)));
        if stop {
            break;
        }
        depth += token.matches('(').count() as i32 - token.matches(')').count() as i32;
        // A parenthesis closed that the name did not open ends it: "… Môi trường)./".
        if depth < 0 {
            let clean = token[..token.find(')').unwrap_or(token.len())].trim_end_matches([',', ';', ':', '.']);
            if !clean.is_empty() {
                words.push(clean);
            }
            break;
        }
        let ends = depth <= 0 && token.ends_with([',', ';', ':', '.', '”', '"']);
        let clean = token.trim_end_matches([',', ';', ':', '.', '”', '"']);
        if !clean.is_empty() {
            words.push(clean);
        }
        remit.took(&words, clean, &tokens[i + 1..]);
        if ends {
            // "Văn hóa, Thể thao và Du lịch" keeps its comma, and so does an office held with
            // another: "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ".
            let second_office = || {
                let office = fold_case(&words[words.len().saturating_sub(2)..].join(" "));
                matches!(
                    office.as_str(),
                    "bộ trưởng" | "thứ trưởng" | "phó thủ tướng" | "thủ tướng"
                ) && tokens
                    .get(i + 1)
                    .is_some_and(|t| matches!(*t, "Chủ" | "Thủ" | "Trưởng" | "Tổng" | "Chánh"))
            };
            // A remit goes on after its comma with another lower-case subject ("khoa học, công
            // nghệ"), not with a name or "các …".
            let remit_goes_on = || {
                remit.reads()
                    && remit.started
                    && tokens.get(i + 1).is_some_and(|t| t.starts_with(crate::text::is_lower))
                    && !matches!(folded_tokens.get(i + 1).map(String::as_str), Some("các" | "những"))
            };
            // Bodies that issued together, one after another: the next opens a body's name.
            let next_body = || {
                joint_commas + 2 < joint && {
                    let next = tokens[i + 1..].iter().take(3).copied().collect::<Vec<_>>().join(" ");
                    BODY_HEADS.iter().any(|head| {
                        next.strip_prefix(head)
                            .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric()))
                    })
                }
            };
            let by_office = tokens.get(i + 1) == Some(&"Thể") || second_office() || remit_goes_on();
            let joined = !by_office && token.ends_with(',') && next_body();
            if !(joined || (token.ends_with(',') && by_office)) {
                break;
            }
            joint_commas += usize::from(joined);
            let last = words.len() - 1;
            words[last] = token;
        }
        i += 1;
    }
    // A name cut at a line break may end with the first word of a phrase that follows it
    // ("CỦA CHÍNH PHỦ THỰC" / "HIỆN …"): that word is not the name's.
    if words.len() > 1
        && let Some(next) = &next_line_word
        && words.last().is_some_and(|w| {
            let folded = fold_case(w);
            STOP_PAIRS.contains(&(folded.as_str(), next.as_str()))
        })
    {
        words.pop();
    }
    let issuer = squash(&words.join(" "));
    (!issuer.is_empty()).then_some(issuer)
}
