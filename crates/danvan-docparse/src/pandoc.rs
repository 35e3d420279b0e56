//! Texts converted to Markdown by pandoc (a Word file's usual road to text): its tables laid out
//! side by side ("grid" tables between `+---+---+` borders, "multiline" tables between rows of
//! dashes) are read one column after another, as a converter to plain text would give them, and
//! its escapes (`\-`, `\*`, a line's final `\` for a line break) are undone.
//!
//! A header's two columns (the issuer beside the motto, the number beside the place and date)
//! and a closing's two (the distribution list beside the signature) are such tables; read line by
//! line across the columns, each line would hold half of two fields.

/// Whether a text may hold pandoc's tables or escapes: a backslash, or a grid table's border.
pub fn may_hold(text: &str) -> bool {
    memchr::memchr(b'\\', text.as_bytes()).is_some() || memchr::memmem::find(text.as_bytes(), b"+---").is_some()
}

/// The text with pandoc's tables read column after column and its escapes undone.
pub fn plain(text: &str) -> String {
    // (A Word file's text often breaks its lines with CRLF: the columns are counted without it.)
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some((cells, next)) = grid_table(&lines, i).or_else(|| multiline_table(&lines, i)) {
            out.extend(cells);
            i = next;
        } else {
            out.push(lines[i].to_owned());
            i += 1;
        }
    }
    out.iter().map(|line| unescape(line)).collect::<Vec<_>>().join("\n")
}

/// A line with pandoc's escapes undone: a backslash before an ASCII punctuation mark stands for
/// the mark ("\-" for "-", "\*" for "*"), and one that ends the line marks a line break.
fn unescape(line: &str) -> String {
    if !line.contains('\\') {
        return line.to_owned();
    }
    let line = line.trim_end();
    let line = line.strip_suffix('\\').unwrap_or(line);
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A grid table's border: "+----+:---:+", perhaps indented.
fn is_grid_border(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 5
        && t.starts_with('+')
        && t.ends_with('+')
        && t.contains("---")
        && t.bytes().all(|b| matches!(b, b'+' | b'-' | b'=' | b':'))
}

/// The grid table that starts at line `at`, its cells' lines column after column, row after
/// row, and the line after it; `None` when no grid table starts there.
fn grid_table(lines: &[&str], at: usize) -> Option<(Vec<String>, usize)> {
    if !is_grid_border(lines[at]) {
        return None;
    }
    // The columns' edges: where the border's "+" stand (counted in characters).
    let edges: Vec<usize> = lines[at]
        .chars()
        .enumerate()
        .filter(|(_, c)| *c == '+')
        .map(|(i, _)| i)
        .collect();
    let mut rows: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut next = at + 1;
    while next < lines.len() {
        let line = lines[next];
        if is_grid_border(line) {
            rows.push(std::mem::take(&mut current));
        } else if line.trim_start().starts_with('|') {
            current.push(line);
        } else {
            break;
        }
        next += 1;
    }
    // (Rows after the last border are no part of the table: they are read as they stand.)
    next -= current.len();
    if rows.iter().all(Vec::is_empty) {
        // Borders with no rows between them: copied as they stand, all at once, so that a run
        // of them is not searched again from each.
        return Some((lines[at..next].iter().map(|l| (*l).to_owned()).collect(), next));
    }
    let mut out = Vec::new();
    for row in rows {
        let columns = edges.len().saturating_sub(1).max(1);
        let mut cells: Vec<Vec<String>> = vec![Vec::new(); columns];
        for line in row {
            let chars: Vec<char> = line.chars().collect();
            let aligned = edges.iter().all(|&e| chars.get(e).is_none_or(|c| *c == '|'));
            let pieces: Vec<String> = if aligned {
                edges
                    .windows(2)
                    .map(|w| {
                        chars
                            .get(w[0] + 1..w[1].min(chars.len()))
                            .unwrap_or(&[])
                            .iter()
                            .collect()
                    })
                    .collect()
            } else {
                let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
                inner.split('|').map(str::to_owned).collect()
            };
            for (k, piece) in pieces.into_iter().enumerate().take(columns) {
                cells[k].push(piece.trim().to_owned());
            }
        }
        push_cells(&mut out, cells);
    }
    Some((out, next))
}

/// A multiline table's row of dashes: two groups of dashes or more, apart ("------  -------"),
/// as the characters' ranges of its groups.
fn dash_groups(line: &str) -> Option<Vec<(usize, usize)>> {
    if !line.contains("---") || !line.chars().all(|c| c == '-' || c == ' ') {
        return None;
    }
    let mut groups = Vec::new();
    let mut start = None;
    for (i, c) in line.chars().chain(std::iter::once(' ')).enumerate() {
        match (c, start) {
            ('-', None) => start = Some(i),
            (' ', Some(s)) => {
                groups.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    (groups.len() >= 2 && groups.iter().all(|(s, e)| e - s >= 3)).then_some(groups)
}

/// The multiline table that starts at line `at` (a row of dashes, rows apart by blank lines, the
/// same row of dashes again), its cells' lines column after column; `None` when none starts
/// there, or when a line's words cross from one column into the next.
fn multiline_table(lines: &[&str], at: usize) -> Option<(Vec<String>, usize)> {
    let groups = dash_groups(lines[at])?;
    let close = (at + 1..lines.len().min(at + 80)).find(|&i| dash_groups(lines[i]).as_ref() == Some(&groups))?;
    let body = &lines[at + 1..close];
    // Each column runs from its dashes' start to the next column's.
    let starts: Vec<usize> = groups.iter().map(|g| g.0).collect();
    let fits = body.iter().all(|line| {
        let chars: Vec<char> = line.chars().collect();
        starts[1..]
            .iter()
            .all(|&s| s == 0 || chars.get(s - 1).is_none_or(|c| c.is_whitespace()))
    });
    if !fits || body.iter().all(|l| l.trim().is_empty()) {
        return None;
    }
    let mut out = Vec::new();
    for row in body.split(|l| l.trim().is_empty()).filter(|r| !r.is_empty()) {
        let mut cells: Vec<Vec<String>> = vec![Vec::new(); starts.len()];
        for line in row {
            let chars: Vec<char> = line.chars().collect();
            for (k, &s) in starts.iter().enumerate() {
                // (The first column takes what stands left of its dashes too.)
                let s = if k == 0 { 0 } else { s };
                let e = starts.get(k + 1).copied().unwrap_or(chars.len()).min(chars.len());
                let piece: String = chars.get(s.min(e)..e).unwrap_or(&[]).iter().collect();
                cells[k].push(piece.trim().to_owned());
            }
        }
        push_cells(&mut out, cells);
    }
    Some((out, close + 1))
}

/// Each cell's lines, without the blank ones at its ends, a blank line after each cell that
/// holds any.
fn push_cells(out: &mut Vec<String>, cells: Vec<Vec<String>>) {
    for cell in cells {
        let first = cell.iter().position(|l| !unescape(l).trim().is_empty());
        let last = cell.iter().rposition(|l| !unescape(l).trim().is_empty());
        if let (Some(first), Some(last)) = (first, last) {
            out.extend(cell[first..=last].iter().cloned());
            out.push(String::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borders_without_rows_and_rows_after_the_last_border_are_kept_as_they_stand() {
        let many = "+---+\n".repeat(2000);
        assert_eq!(plain(&many).lines().count(), 2000);
        let read = plain("+---+---+\n| a | b |\n+---+---+\n| c | d |\nafter");
        assert!(read.contains("| c | d |") && read.contains("after"), "{read}");
    }

    #[test]
    fn escapes_are_undone() {
        assert_eq!(unescape(r"\-\-\-\-\--**"), "------**");
        assert_eq!(unescape(r"**ỦY BAN THƯỜNG VỤ\"), "**ỦY BAN THƯỜNG VỤ");
        assert_eq!(unescape(r"- Chính phủ;\  "), "- Chính phủ;");
        assert_eq!(unescape(r"C:\Tài liệu"), r"C:\Tài liệu");
    }

    #[test]
    fn a_grid_table_is_read_column_after_column() {
        let text = "+------------------------------+:-------------------------------------:+\n\
                    | *** ***                      | **TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\\      |\n\
                    |                              | CHỦ TỊCH\\                             |\n\
                    | ***Nơi nhận:\\***             | \\                                     |\n\
                    | - Chính phủ;\\                | \\                                     |\n\
                    | - Ủy ban TW Mặt trận Tổ quốc | \\                                     |\n\
                    | Việt Nam;\\                   | Trần Thanh Mẫn**                      |\n\
                    | - Lưu: HC, PLTP.             |                                       |\n\
                    +------------------------------+---------------------------------------+\n\
                    after";
        let read = plain(text);
        let lines: Vec<&str> = read.lines().collect();
        assert_eq!(
            lines,
            [
                "*** ***",
                "",
                "***Nơi nhận:***",
                "- Chính phủ;",
                "- Ủy ban TW Mặt trận Tổ quốc",
                "Việt Nam;",
                "- Lưu: HC, PLTP.",
                "",
                "**TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI",
                "CHỦ TỊCH",
                "",
                "",
                "",
                "Trần Thanh Mẫn**",
                "",
                "after"
            ]
        );
    }

    #[test]
    fn a_multiline_table_is_read_column_after_column() {
        let text = "  ----------------------- -----------------------------------------------\n\
                    \x20   **ỦY BAN THƯỜNG VỤ\\        **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\\n\
                    \x20        QUỐC HỘI\\                 Độc lập - Tự do - Hạnh phúc\\\n\
                    \n\
                    \x20  Số: 1654/NQ-UBTVQH15         *Hà Nội, ngày 16 tháng 6 năm 2025*\n\
                    \x20 ----------------------- -----------------------------------------------\n\
                    NGHỊ QUYẾT";
        let read = plain(text);
        let lines: Vec<&str> = read.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "**ỦY BAN THƯỜNG VỤ",
                "QUỐC HỘI",
                "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số: 1654/NQ-UBTVQH15",
                "*Hà Nội, ngày 16 tháng 6 năm 2025*",
                "NGHỊ QUYẾT"
            ]
        );
        // With CRLF line breaks, and text left of the first column's dashes.
        let text = "  ----- -----\r\nAB CD   EF\r\n  ----- -----\r\nX";
        let read = plain(text);
        let lines: Vec<&str> = read.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["AB CD", "EF", "X"]);
        // A rule under each of a header's two columns, with no second such rule, is no table.
        let text = "ỦY BAN NHÂN DÂN        CỘNG HÒA XÃ HỘI\n-------                ---------------\nSố: 12/UBND";
        assert_eq!(plain(text), text);
    }
}
