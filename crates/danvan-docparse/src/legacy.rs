//! Legacy 8-bit Vietnamese encodings: TCVN3 (ABC, the `.Vn` fonts) and VNI Windows.
//!
//! Old Word files and the texts copied out of them carry Vietnamese in font-specific byte codes
//! rather than Unicode. TCVN3 gives each accented lower-case letter a byte of its own; VNI
//! writes a plain letter followed by one byte for its marks. Both are read here as bytes
//! 0xA0–0xFF and turned into Unicode.

/// TCVN3 bytes 0xA1–0xFE and the letters they stand for (the lower-case font; upper-case
/// documents use a second font with the same codes for the capitals, which only a font name
/// could tell apart).
const TCVN3: &[(u8, char)] = &[
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
];

/// Decodes TCVN3 bytes. Capitals with tone marks have no codes of their own in TCVN3 (they
/// come from a second font), so a word written in capitals gets its decoded letters raised.
pub fn decode_tcvn3(bytes: &[u8]) -> String {
    let text: String = bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                b as char
            } else {
                TCVN3
                    .iter()
                    .find(|(code, _)| *code == b)
                    .map(|(_, c)| *c)
                    .unwrap_or(latin1(b))
            }
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // A capital after the first letter, and no plain lower-case letter: a word in capitals.
        let upper_inside = word
            .chars()
            .skip(1)
            .any(|c| c.is_ascii_uppercase() || "ĂÂÊÔƠƯĐ".contains(c));
        let has_ascii_lower = word.chars().any(|c| c.is_ascii_lowercase());
        if upper_inside && !has_ascii_lower {
            out.push_str(&word.to_uppercase());
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Encodes text as TCVN3, for tests: capitals with tone marks are written with the lower-case
/// code, as a TCVN3 document does.
#[cfg(test)]
pub fn encode_tcvn3(text: &str) -> Vec<u8> {
    text.chars()
        .flat_map(|c| {
            if c.is_ascii() {
                return vec![c as u8];
            }
            let lower = c.to_lowercase().next().unwrap_or(c);
            TCVN3
                .iter()
                .find(|(_, t)| *t == c)
                .or_else(|| TCVN3.iter().find(|(_, t)| *t == lower))
                .map(|(b, _)| vec![*b])
                .unwrap_or_else(|| vec![b'?'])
        })
        .collect()
}

fn latin1(byte: u8) -> char {
    char::from(byte)
}

/// VNI: the single bytes that stand for whole letters.
const VNI_LETTERS: &[(u8, char)] = &[
    (0xF1, 'đ'),
    (0xD1, 'Đ'),
    (0xF4, 'ơ'),
    (0xD4, 'Ơ'),
    (0xF6, 'ư'),
    (0xD6, 'Ư'),
    (0xEC, 'ì'),
    (0xCC, 'Ì'),
    (0xED, 'í'),
    (0xCD, 'Í'),
    (0xE6, 'ỉ'),
    (0xC6, 'Ỉ'),
    (0xF3, 'ĩ'),
    (0xD3, 'Ĩ'),
    (0xF2, 'ị'),
    (0xD2, 'Ị'),
    (0xEE, 'ỵ'),
    (0xCE, 'Ỵ'),
];

/// VNI: the mark bytes that follow a letter, as (lower-case byte, upper-case byte, marks).
/// Marks: 'g' grave, 'a' acute, 'h' hook, 't' tilde, 'd' dot; 'C' circumflex, 'B' breve.
const VNI_MARKS: &[(u8, u8, &str)] = &[
    (0xF8, 0xD8, "g"),
    (0xF9, 0xD9, "a"),
    (0xFB, 0xDB, "h"),
    (0xF5, 0xD5, "t"),
    (0xEF, 0xCF, "d"),
    (0xE2, 0xC2, "C"),
    (0xE0, 0xC0, "Cg"),
    (0xE1, 0xC1, "Ca"),
    (0xE5, 0xC5, "Ch"),
    (0xE3, 0xC3, "Ct"),
    (0xE4, 0xC4, "Cd"),
    (0xEA, 0xCA, "B"),
    (0xE8, 0xC8, "Bg"),
    (0xE9, 0xC9, "Ba"),
    (0xFA, 0xDA, "Bh"),
    (0xFC, 0xDC, "Bt"),
    (0xEB, 0xCB, "Bd"),
];

/// Puts marks on a base letter, as Unicode combining characters (NFC composes them later).
fn with_marks(base: char, marks: &str) -> Option<String> {
    let mut out = String::new();
    out.push(base);
    for mark in marks.chars() {
        out.push(match mark {
            'C' if "aeoAEO".contains(base) => '\u{0302}',
            'B' if "aA".contains(base) => '\u{0306}',
            'g' => '\u{0300}',
            'a' => '\u{0301}',
            'h' => '\u{0309}',
            't' => '\u{0303}',
            'd' => '\u{0323}',
            _ => return None,
        });
    }
    Some(out)
}

/// Decodes VNI Windows bytes.
pub fn decode_vni(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let base = b as char;
            if let Some(&next) = bytes.get(i + 1)
                && let Some((_, _, marks)) = VNI_MARKS.iter().find(|(lo, up, _)| *lo == next || *up == next)
                && let Some(text) = with_marks(base, marks).filter(|_| base.is_ascii_alphabetic())
            {
                out.push_str(&text);
                i += 2;
                continue;
            }
            out.push(base);
        } else if let Some((_, letter)) = VNI_LETTERS.iter().find(|(code, _)| *code == b) {
            // ơ and ư may carry a tone mark in the next byte.
            let tone = bytes.get(i + 1).and_then(|next| {
                VNI_MARKS
                    .iter()
                    .find(|(lo, up, m)| (*lo == *next || *up == *next) && m.len() == 1 && !"CB".contains(*m))
            });
            match tone
                .and_then(|(_, _, marks)| with_marks(*letter, marks))
                .filter(|_| "ơƠưƯ".contains(*letter))
            {
                Some(text) => {
                    out.push_str(&text);
                    i += 2;
                    continue;
                }
                None => out.push(*letter),
            }
        } else {
            out.push(latin1(b));
        }
        i += 1;
    }
    out
}

/// Which legacy encoding the bytes most likely use. VNI puts its mark bytes right after a
/// vowel; TCVN3 puts its letter bytes where the vowel would be, mostly after a consonant.
pub fn guess(bytes: &[u8]) -> Legacy {
    let mut after_vowel = 0usize;
    let mut high = 0usize;
    for window in bytes.windows(2) {
        if window[1] >= 0xA0 {
            high += 1;
            if b"aeiouyAEIOUY".contains(&window[0]) {
                after_vowel += 1;
            }
        }
    }
    if high > 0 && after_vowel * 2 > high {
        Legacy::Vni
    } else {
        Legacy::Tcvn3
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
}

/// Encodes text as VNI Windows, for tests.
#[cfg(test)]
pub fn encode_vni(text: &str) -> Vec<u8> {
    let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd().normalize(text);
    let mut out = Vec::new();
    let chars: Vec<char> = nfd.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let base = chars[i];
        let mut marks = Vec::new();
        i += 1;
        while i < chars.len() && ('\u{0300}'..='\u{036f}').contains(&chars[i]) {
            marks.push(chars[i]);
            i += 1;
        }
        let upper = base.is_uppercase();
        let horn = marks.contains(&'\u{031B}');
        let shape = marks.iter().find(|m| matches!(m, '\u{0302}' | '\u{0306}')).copied();
        let tone = marks
            .iter()
            .find(|m| matches!(m, '\u{0300}' | '\u{0301}' | '\u{0309}' | '\u{0303}' | '\u{0323}'))
            .copied();
        let tone_code = |t: char| match t {
            '\u{0300}' => "g",
            '\u{0301}' => "a",
            '\u{0309}' => "h",
            '\u{0303}' => "t",
            _ => "d",
        };
        let find_mark = |m: &str| {
            VNI_MARKS
                .iter()
                .find(|(_, _, x)| *x == m)
                .map(|(lo, up, _)| if upper { *up } else { *lo })
        };
        match (base, horn) {
            ('đ' | 'Đ', _) => out.push(if upper { 0xD1 } else { 0xF1 }),
            ('o' | 'O' | 'u' | 'U', true) => {
                let letter = if base.eq_ignore_ascii_case(&'o') {
                    if upper { 0xD4 } else { 0xF4 }
                } else if upper {
                    0xD6
                } else {
                    0xF6
                };
                out.push(letter);
                if let Some(t) = tone {
                    out.extend(find_mark(tone_code(t)));
                }
            }
            ('i' | 'I', _) if tone.is_some() => {
                let code = match tone.map(tone_code) {
                    Some("g") => 0xEC,
                    Some("a") => 0xED,
                    Some("h") => 0xE6,
                    Some("t") => 0xF3,
                    _ => 0xF2,
                };
                out.push(if upper { code - 0x20 } else { code });
            }
            ('y' | 'Y', _) if tone == Some('\u{0323}') => out.push(if upper { 0xCE } else { 0xEE }),
            (c, _) if c.is_ascii() => {
                out.push(c as u8);
                let mut code = String::new();
                match shape {
                    Some('\u{0302}') => code.push('C'),
                    Some(_) => code.push('B'),
                    None => {}
                }
                if let Some(t) = tone {
                    code.push_str(tone_code(t));
                }
                if !code.is_empty() {
                    out.extend(find_mark(&code));
                }
            }
            (c, _) => {
                let mut buffer = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nfc(s: &str) -> String {
        icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
            .normalize(s)
            .into_owned()
    }

    #[test]
    fn tcvn3_words_decode() {
        // "chính sách trợ giúp" as a .VnTime document stores it.
        let bytes = b"ch\xDDnh s\xB8ch tr\xEE gi\xF3p \xAE\xBEk N\xAB ng";
        assert_eq!(decode_tcvn3(bytes), "chính sách trợ giúp đắk Nô ng");
        assert_eq!(
            decode_tcvn3(&encode_tcvn3("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG")),
            "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG"
        );
        assert_eq!(
            decode_tcvn3(&encode_tcvn3("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG")),
            "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG"
        );
        assert_eq!(guess(bytes), Legacy::Tcvn3);
    }

    #[test]
    fn vni_words_decode() {
        // "Dân vận khéo" and "Đắk Nông" in VNI Windows.
        let bytes = b"Da\xE2n va\xE4n khe\xF9o \xD1a\xE9k No\xE2ng tr\xF6\xF4\xF9c";
        assert_eq!(nfc(&decode_vni(bytes)), "Dân vận khéo Đắk Nông trước");
        assert_eq!(guess(bytes), Legacy::Vni);
    }
}
