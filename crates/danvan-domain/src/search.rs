//! Vietnamese folding for search: `dan van kheo` finds "Dân vận khéo", `dak nong` finds
//! "Đắk Nông".
//!
//! Text is folded the same way when stored and when searched: lower case, tone and vowel marks
//! removed, đ read as d. Snippets are cut from the original text, so users see the diacritics.

/// Lower case without marks, đ as d; whitespace kept as is.
pub fn fold(text: &str) -> String {
    let (folded, _) = fold_with_offsets(text);
    folded
}

/// The base letters of a text: tone and vowel marks removed, đ read as d, case kept ("Đắk Nông"
/// gives "Dak Nong"); for measuring text in fonts whose marked letters advance as their base.
pub fn base_letters(text: &str) -> String {
    let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();
    nfd.normalize(text)
        .chars()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

/// How one character folds: marks removed, đ as d, lower case (perhaps several characters, or
/// none for a lone mark).
fn fold_char(c: char, nfd: &icu_normalizer::DecomposingNormalizerBorrowed, out: &mut String) {
    let mut buffer = [0u8; 4];
    for d in nfd.normalize(c.encode_utf8(&mut buffer)).chars() {
        if ('\u{0300}'..='\u{036f}').contains(&d) {
            continue;
        }
        let d = match d {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        out.extend(d.to_lowercase());
    }
}

/// The Latin blocks Vietnamese letters come from (U+0080–U+024F, U+1E00–U+1EFF): each
/// character's fold when it is one character, worked out once, so that folding a text is a table
/// lookup per letter rather than a decomposition.
static LATIN_FOLDS: std::sync::LazyLock<Vec<Option<char>>> = std::sync::LazyLock::new(|| {
    let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();
    latin_block_chars()
        .map(|c| {
            let mut out = String::new();
            fold_char(c, &nfd, &mut out);
            let mut chars = out.chars();
            match (chars.next(), chars.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        })
        .collect()
});

fn latin_block_chars() -> impl Iterator<Item = char> {
    ('\u{0080}'..='\u{024f}').chain('\u{1e00}'..='\u{1eff}')
}

/// The index of `c` in `LATIN_FOLDS`.
fn latin_index(c: char) -> Option<usize> {
    match c {
        '\u{0080}'..='\u{024f}' => Some(c as usize - 0x80),
        '\u{1e00}'..='\u{1eff}' => Some(c as usize - 0x1e00 + (0x250 - 0x80)),
        _ => None,
    }
}

/// The folded text and, for each of its bytes' characters, the byte offset in `text` of the
/// character it came from.
fn fold_with_offsets(text: &str) -> (String, Vec<usize>) {
    let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();
    let folds = &*LATIN_FOLDS;
    let mut folded = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    let mut one = String::new();
    for (offset, c) in text.char_indices() {
        // ASCII has nothing to decompose or strip: most of a Vietnamese text's characters
        // (spaces, digits, unaccented letters) take this path.
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
            offsets.push(offset);
            continue;
        }
        if let Some(f) = latin_index(c).and_then(|i| folds[i]) {
            folded.push(f);
            offsets.push(offset);
            continue;
        }
        one.clear();
        fold_char(c, &nfd, &mut one);
        for f in one.chars() {
            folded.push(f);
            offsets.push(offset);
        }
    }
    (folded, offsets)
}

/// The words of a query, folded, without punctuation; at most ten.
pub fn query_terms(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(10)
        .map(str::to_owned)
        .collect()
}

/// A piece of a snippet; `hit` marks a matched term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// A window of `text` around the first match of any term, with every match in it marked.
///
/// Terms are found with a byte search on the folded text (they are alphanumeric words, so a match
/// at a word's start never begins inside another occurrence); character positions are counted
/// only up to each match and around the window, so the cost is one pass over the text.
pub fn snippet(text: &str, terms: &[String], width: usize) -> Vec<Piece> {
    snippet_from(text, terms, width, false).unwrap_or_default()
}

/// The snippet of a text of which only `start` is at hand, when the start decides it: the first
/// window where every term meets lies wholly inside it, so no later window could be chosen over
/// it. `None` when the rest of the text is needed.
pub fn snippet_of_start(start: &str, terms: &[String], width: usize) -> Option<Vec<Piece>> {
    snippet_from(start, terms, width, true)
}

fn snippet_from(text: &str, terms: &[String], width: usize, only_start: bool) -> Option<Vec<Piece>> {
    let (folded, offsets) = fold_with_offsets(text);
    // Folded characters in all (one offset was recorded for each).
    let total = offsets.len();
    // Matches as byte ranges of the folded text, at word starts.
    let mut found: Vec<(usize, usize)> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        let finder = memchr::memmem::Finder::new(term.as_bytes());
        for at in finder.find_iter(folded.as_bytes()) {
            let at_word_start = folded[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            if at_word_start {
                found.push((at, at + term.len()));
            }
        }
    }
    found.sort_unstable();
    // The same matches in folded character positions, counted once along the text.
    let mut matches: Vec<(usize, usize)> = Vec::with_capacity(found.len());
    let (mut counted_byte, mut counted_chars) = (0, 0);
    for &(from, to) in &found {
        counted_chars += folded[counted_byte..from].chars().count();
        counted_byte = from;
        matches.push((counted_chars, counted_chars + folded[from..to].chars().count()));
    }
    // Centre the window where the most different terms meet: "Dân vận khéo" together beats a
    // lone "DÂN" in the header.
    // Each match's folded text, once; the matches are sorted by start, so the ones starting in
    // a window are a run found by two binary searches (a long text holds hundreds of matches).
    let match_texts: Vec<&str> = found.iter().map(|&(from, to)| &folded[from..to]).collect();
    // How many different terms the window starting at match k holds.
    let terms_in_window = |k: usize| {
        let m = matches[k];
        let from = matches.partition_point(|o| o.0 < m.0);
        let to = matches.partition_point(|o| o.0 < m.0 + width / 2);
        let mut seen: Vec<&str> = match_texts[from..to].to_vec();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    let best = (0..matches.len()).max_by_key(|&k| (terms_in_window(k), std::cmp::Reverse(matches[k].0)));
    if only_start {
        // Decided by the start only when the chosen window holds every term (no later window
        // can hold more, and an equal one later loses to it) and it, the matches it counts and
        // the snippet around it all end inside the start.
        let mut wanted: Vec<&str> = terms.iter().map(String::as_str).filter(|t| !t.is_empty()).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let k = best?;
        if terms_in_window(k) < wanted.len() || matches[k].0 + width >= total {
            return None;
        }
    }
    let (first, anchor_byte) = best.map_or((0, 0), |k| (matches[k].0, found[k].0));
    // The folded character at a position near the anchor, walked to from it.
    let char_at = |position: usize| -> Option<char> {
        if position >= first {
            folded[anchor_byte..].chars().nth(position - first)
        } else {
            folded[..anchor_byte].chars().rev().nth(first - position - 1)
        }
    };
    let mut start = first.saturating_sub(width / 3);
    let mut end = (start + width).min(total);
    // Whole words only at the edges of the window.
    while start > 0 && start < first && char_at(start - 1).is_some_and(char::is_alphanumeric) {
        start += 1;
    }
    while end < total && end > start && char_at(end).is_some_and(char::is_alphanumeric) {
        end -= 1;
    }
    // Back to the original text's bytes.
    let byte_of = |folded_char: usize| -> usize {
        if folded_char >= total {
            text.len()
        } else {
            offsets[folded_char]
        }
    };
    let mut pieces = Vec::new();
    let mut cursor = start;
    for (m_start, m_end) in matches.iter().copied().filter(|(s, e)| *s >= start && *e <= end) {
        if m_start < cursor {
            continue;
        }
        if m_start > cursor {
            pieces.push(Piece {
                text: text[byte_of(cursor)..byte_of(m_start)].to_owned(),
                hit: false,
            });
        }
        pieces.push(Piece {
            text: text[byte_of(m_start)..byte_of(m_end)].to_owned(),
            hit: true,
        });
        cursor = m_end;
    }
    if cursor < end {
        pieces.push(Piece {
            text: text[byte_of(cursor)..byte_of(end)].to_owned(),
            hit: false,
        });
    }
    if let Some(first) = pieces.first_mut()
        && start > 0
    {
        first.text = format!("…{}", first.text.trim_start());
    }
    if let Some(last) = pieces.last_mut()
        && end < total
    {
        last.text = format!("{}…", last.text.trim_end());
    }
    Some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The snippet as first written, character by character: the reference the byte search is held to.
    fn snippet_by_characters(text: &str, terms: &[String], width: usize) -> Vec<Piece> {
        let (folded, offsets) = fold_with_offsets(text);
        let chars: Vec<(usize, char)> = folded.char_indices().collect();
        // Matches as (start, end) in folded character positions, at word starts.
        let mut matches: Vec<(usize, usize)> = Vec::new();
        for term in terms {
            let term_chars: Vec<char> = term.chars().collect();
            let mut i = 0;
            while i + term_chars.len() <= chars.len() {
                let at_word_start = i == 0 || !chars[i - 1].1.is_alphanumeric();
                if at_word_start
                    && chars[i..i + term_chars.len()]
                        .iter()
                        .map(|(_, c)| *c)
                        .eq(term_chars.iter().copied())
                {
                    matches.push((i, i + term_chars.len()));
                    i += term_chars.len();
                } else {
                    i += 1;
                }
            }
        }
        matches.sort_unstable();
        // Centre the window where the most different terms meet: "Dân vận khéo" together beats a
        // lone "DÂN" in the header.
        // Each match's folded text, once; the matches are sorted by start, so the ones starting in
        // a window are a run found by two binary searches (a long text holds hundreds of matches).
        let byte_at = |i: usize| chars.get(i).map_or(folded.len(), |(at, _)| *at);
        let match_texts: Vec<&str> = matches.iter().map(|m| &folded[byte_at(m.0)..byte_at(m.1)]).collect();
        let first = matches
            .iter()
            .max_by_key(|m| {
                let from = matches.partition_point(|o| o.0 < m.0);
                let to = matches.partition_point(|o| o.0 < m.0 + width / 2);
                let mut seen: Vec<&str> = match_texts[from..to].to_vec();
                seen.sort_unstable();
                seen.dedup();
                (seen.len(), std::cmp::Reverse(m.0))
            })
            .map(|m| m.0)
            .unwrap_or(0);
        let mut start = first.saturating_sub(width / 3);
        let mut end = (start + width).min(chars.len());
        // Whole words only at the edges of the window.
        while start > 0 && start < first && chars[start - 1].1.is_alphanumeric() {
            start += 1;
        }
        while end < chars.len() && end > start && chars[end].1.is_alphanumeric() {
            end -= 1;
        }
        // Back to the original text's bytes.
        let byte_of = |folded_char: usize| -> usize {
            if folded_char >= chars.len() {
                text.len()
            } else {
                offsets[folded_char]
            }
        };
        let mut pieces = Vec::new();
        let mut cursor = start;
        for (m_start, m_end) in matches.iter().copied().filter(|(s, e)| *s >= start && *e <= end) {
            if m_start < cursor {
                continue;
            }
            if m_start > cursor {
                pieces.push(Piece {
                    text: text[byte_of(cursor)..byte_of(m_start)].to_owned(),
                    hit: false,
                });
            }
            pieces.push(Piece {
                text: text[byte_of(m_start)..byte_of(m_end)].to_owned(),
                hit: true,
            });
            cursor = m_end;
        }
        if cursor < end {
            pieces.push(Piece {
                text: text[byte_of(cursor)..byte_of(end)].to_owned(),
                hit: false,
            });
        }
        if let Some(first) = pieces.first_mut()
            && start > 0
        {
            first.text = format!("…{}", first.text.trim_start());
        }
        if let Some(last) = pieces.last_mut()
            && end < chars.len()
        {
            last.text = format!("{}…", last.text.trim_end());
        }
        pieces
    }

    #[test]
    fn the_byte_search_cuts_the_same_snippets_as_the_character_walk() {
        let seed = "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG\nV/v đẩy mạnh công tác dân vận chính quyền năm 2022\n\
                    Phong trào thi đua Dân vận khéo ở cơ sở; dân vận, vận động nhân dân. Đắk Nông: dân chủ ở xã.\n";
        let mut texts = vec![String::new(), "dân".to_owned(), "xdan dan".to_owned(), seed.to_owned()];
        for n in [3, 17, 60] {
            texts.push(seed.repeat(n));
            texts.push(format!("{}{}", "DÂN CHỦ ".repeat(n * 7), seed));
        }
        for query in [
            "dan van",
            "dak nong",
            "van",
            "dan dan",
            "chinh quyen 2022",
            "xa",
            "khong co",
        ] {
            let terms = query_terms(query);
            for text in &texts {
                for width in [20, 80, 240] {
                    assert_eq!(
                        snippet(text, &terms, width),
                        snippet_by_characters(text, &terms, width),
                        "{query:?} over {} bytes, width {width}",
                        text.len()
                    );
                }
            }
        }
    }

    #[test]
    fn a_long_text_shows_where_the_terms_meet() {
        let text = format!(
            "{}Phong trào Dân vận khéo ở cơ sở.{}",
            "DÂN CHỦ ".repeat(400),
            " dân sinh".repeat(400)
        );
        let terms = query_terms("dan van");
        let pieces = snippet(&text, &terms, 80);
        let hits: Vec<&str> = pieces.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert!(hits.contains(&"vận") && hits.contains(&"Dân"), "{pieces:?}");
        assert_eq!(fold("ABC Đắk xyz"), "abc dak xyz");
    }

    #[test]
    fn the_table_folds_every_latin_letter_as_the_decomposition_does() {
        let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();
        for c in latin_block_chars() {
            let mut slow = String::new();
            fold_char(c, &nfd, &mut slow);
            assert_eq!(fold(&c.to_string()), slow, "{c:?}");
        }
        assert_eq!(fold("ĐẮK NÔNG Ủy ban"), "dak nong uy ban");
    }

    #[test]
    fn base_letters_keep_case() {
        assert_eq!(base_letters("Đắk Nông, ỦY BAN"), "Dak Nong, UY BAN");
    }

    #[test]
    fn folding_removes_marks_and_reads_d_bar_as_d() {
        assert_eq!(fold("Dân vận khéo"), "dan van kheo");
        assert_eq!(fold("ĐẮK NÔNG"), "dak nong");
        assert_eq!(fold("Thường trực Tỉnh ủy"), "thuong truc tinh uy");
        // Decomposed input folds the same.
        assert_eq!(fold("Đa\u{0306}\u{0301}k"), "dak");
        assert_eq!(query_terms("  dân-vận, KHÉO!! "), ["dan", "van", "kheo"]);
    }

    /// Whenever the start of a text decides its snippet, it is the whole text's snippet: over
    /// every cut of a long text, several queries and widths.
    #[test]
    fn a_snippet_decided_by_the_start_is_the_whole_texts() {
        let words = [
            "Dân", "vận", "khéo", "chính", "quyền", "Đắk", "Nông", "ủy", "ban", "nhân", "dân", "tỉnh", "công", "tác",
            "“Dân", "vận”", "đảng", "đàn", "vân", "khe", "\n", "1.", "các", "xã",
        ];
        let mut seed: u64 = 0x5eed;
        let mut text = String::new();
        for _ in 0..2_500 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(words[(seed >> 33) as usize % words.len()]);
            text.push(' ');
        }
        let chars: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        let (mut decided, mut undecided) = (0, 0);
        for query in [
            "dan van kheo",
            "dak nong",
            "uy ban nhan dan tinh",
            "khe",
            "dan dan",
            "khong co",
        ] {
            let terms = query_terms(query);
            for width in [60, 240] {
                let whole = snippet(&text, &terms, width);
                for cut in (1..chars.len()).step_by(97) {
                    match snippet_of_start(&text[..chars[cut]], &terms, width) {
                        Some(pieces) => {
                            decided += 1;
                            assert_eq!(pieces, whole, "{query}, width {width}, cut at {cut}");
                        }
                        None => undecided += 1,
                    }
                }
            }
        }
        // Both branches are exercised: short starts are not enough, long ones are.
        assert!(decided > 100 && undecided > 10, "{decided} decided, {undecided} not");
    }

    #[test]
    fn snippets_mark_matches_in_the_original_text() {
        let text = "Tập trung rà soát, nhân rộng các mô hình, điển hình “Dân vận khéo” trên địa bàn Đắk Nông.";
        let pieces = snippet(text, &query_terms("dan van kheo"), 200);
        let hits: Vec<&str> = pieces.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(hits, ["Dân", "vận", "khéo"]);
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
        let header = format!("ỦY BAN NHÂN DÂN {} {text}", "chữ ".repeat(60));
        let pieces = snippet(&header, &query_terms("dan van kheo"), 100);
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.contains("“Dân vận khéo”"), "{joined}");
        let pieces = snippet(text, &query_terms("dak nong"), 30);
        assert!(pieces.iter().any(|p| p.hit && p.text == "Đắk"));
        assert!(pieces[0].text.starts_with('…'));
        // The window never starts or ends inside a word.
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        let inner = joined.trim_matches('…');
        assert!(text.contains(inner));
        let at = text.find(inner).unwrap();
        assert!(at == 0 || text[..at].ends_with(' '), "{joined}");
    }
}
