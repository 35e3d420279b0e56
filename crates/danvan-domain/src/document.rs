//! Documents in the library: identity by number, symbol and year.
//!
//! Two mentions name the same document when their number (leading zeros aside) and symbol
//! (case, spaces and dash variants aside) agree and their years do not contradict each other:
//! a citation often gives no date, and a legal document's symbol carries its year.

/// The key a document is found by: the number without leading zeros, `/`, and the symbol in
/// capitals without spaces and with `-` for every separator, so that `05-KH/TU`, `5-KH/ TU`
/// and `5/KH-TU` all give `5/KH-TU`.
pub fn number_key(number: &str, symbol: &str) -> String {
    let number = number.trim().trim_start_matches('0');
    let symbol: String = symbol
        .chars()
        .filter(|c| !c.is_whitespace())
        // Texts write the same symbol with either separator ("411-KH/UBND" for 411/KH-UBND).
        .map(|c| {
            if matches!(c, '–' | '—' | '‐' | '/') {
                '-'
            } else {
                c
            }
        })
        .collect();
    format!(
        "{}/{}",
        if number.is_empty() { "0" } else { number },
        symbol.to_uppercase()
    )
}

/// A number and symbol as officials write them: `2071/UBND-NC` for state documents,
/// `25-NQ/TW` for Party documents, whose symbol is `TYPE/ISSUER` without a dash.
pub fn display_number(number: &str, symbol: &str) -> String {
    let starts_with_year = symbol.len() > 4 && symbol.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    let party = symbol.contains('/') && !symbol.contains('-') && !starts_with_year;
    format!("{number}{}{symbol}", if party { '-' } else { '/' })
}

/// The year of a document: from its date, else from a legal symbol (`2009/QĐ-UBND`).
pub fn year_of(date_year: Option<i32>, symbol: &str) -> Option<i32> {
    date_year.or_else(|| {
        // ("2015 /TT-BTC": a symbol kept as written may space its parts.)
        let head = symbol.split('/').next()?.trim();
        (head.len() == 4 && head.bytes().all(|b| b.is_ascii_digit()))
            .then(|| head.parse().ok())
            .flatten()
    })
}

/// The Vietnamese name of a document type as shown in lists.
pub const TYPES: &[&str] = &[
    "Công văn",
    "Quyết định",
    "Chỉ thị",
    "Kế hoạch",
    "Chương trình",
    "Nghị quyết",
    "Nghị định",
    "Thông tư",
    "Thông báo",
    "Báo cáo",
    "Hướng dẫn",
    "Quy chế",
    "Quy định",
    "Kết luận",
    "Tờ trình",
    "Luật",
    "Thư ngỏ",
    "Biên bản",
    "Văn bản",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_leading_zeros_case_spaces_and_dash_variants() {
        assert_eq!(number_key("05", "KH/TU"), number_key("5", "kh/tu"));
        assert_eq!(number_key("119", "KH/ TU"), "119/KH-TU");
        assert_eq!(number_key("416", "QĐ–TTg"), "416/QĐ-TTG");
        assert_eq!(number_key("411", "KH/UBND"), number_key("411", "KH-UBND"));
        assert_ne!(number_key("25", "NQ/TW"), number_key("25", "CT-BYT"));
    }

    #[test]
    fn party_documents_are_written_with_a_dash() {
        assert_eq!(display_number("25", "NQ/TW"), "25-NQ/TW");
        assert_eq!(display_number("2071", "UBND-NC"), "2071/UBND-NC");
        assert_eq!(display_number("33", "2009/QĐ-UBND"), "33/2009/QĐ-UBND");
        assert_eq!(display_number("25", "2008/QH12"), "25/2008/QH12");
        assert_eq!(display_number("97", "CP"), "97/CP");
    }

    #[test]
    fn years_come_from_dates_or_legal_symbols() {
        assert_eq!(year_of(Some(2022), "UBND-NC"), Some(2022));
        assert_eq!(year_of(None, "2009/QĐ-UBND"), Some(2009));
        assert_eq!(year_of(None, "UBND-NC"), None);
        assert_eq!(year_of(None, "2015 /TT-BTC"), Some(2015));
    }
}
