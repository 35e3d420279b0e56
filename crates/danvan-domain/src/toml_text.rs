//! What the TOML files officials' engineers write (rubrics, report kinds) share: lines found
//! by offset in logarithmic time (so checking a file stays linear), and the TOML reader's own
//! messages in Vietnamese.

/// Finds lines by byte offset in logarithmic time, and by the first occurrence of a text.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The 1-based line a byte offset is on.
    pub(crate) fn at(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The line of the first occurrence of `needle`, 0 when absent. For the few messages of a
    /// file's head, not for one message per criterion.
    pub(crate) fn of(&self, needle: &str) -> usize {
        self.text.find(needle).map_or(0, |at| self.at(at))
    }
}

/// The TOML reader's message in Vietnamese: the common cases by their wording, the rest as a
/// syntax error (the line is given beside it).
pub(crate) fn translate(message: &str) -> String {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_owned);
    let message = message.trim();
    if message.starts_with("missing field") {
        return match quoted(message) {
            Some(field) => format!("thiếu khóa bắt buộc \"{field}\""),
            None => "thiếu một khóa bắt buộc".into(),
        };
    }
    if message.starts_with("unknown field") {
        let field = quoted(message).unwrap_or_default();
        let expected: Vec<&str> = message
            .split("expected")
            .nth(1)
            .map(|rest| rest.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        return if expected.is_empty() {
            format!("khóa \"{field}\" không có trong định dạng (xem rubrics/README.md)")
        } else {
            format!(
                "khóa \"{field}\" không có trong định dạng; ở đây chỉ nhận: {}",
                expected.join(", ")
            )
        };
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let wanted = message.rsplit("expected ").next().unwrap_or_default();
        let unsigned = ["u8", "u16", "u32", "u64", "usize"].iter().any(|t| wanted.contains(t));
        let number = ["f32", "f64", "float", "i8", "i16", "i32", "i64", "integer"]
            .iter()
            .any(|t| wanted.contains(t));
        let kind = match wanted {
            _ if unsigned => "một số nguyên không âm",
            _ if number => "một số (ví dụ 10 hoặc 2.5)",
            w if w.contains("bool") => "true hoặc false",
            w if w.contains("string") || w.contains("str") => "một chuỗi trong dấu ngoặc kép",
            w if w.contains("sequence") || w.contains("array") => "một danh sách [ … ]",
            w if w.contains("map") || w.contains("table") || w.contains("struct") => "một bảng { … }",
            _ => return "giá trị không đúng kiểu (xem định dạng của tệp)".to_owned(),
        };
        return format!("giá trị không đúng kiểu: cần {kind}");
    }
    if message.starts_with("duplicate key") {
        return match quoted(message) {
            Some(key) => format!("khóa \"{key}\" được khai báo hai lần"),
            None => "một khóa được khai báo hai lần".into(),
        };
    }
    if message.contains("invalid number") || message.contains("invalid float") {
        return "số không hợp lệ".into();
    }
    "sai cú pháp TOML (thiếu dấu ngoặc kép, dấu =, dấu ] hoặc xuống dòng không đúng chỗ)".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_by_offset() {
        let lines = Lines::new("a\nbb\n\nccc");
        assert_eq!(
            [lines.at(0), lines.at(2), lines.at(5), lines.at(6), lines.at(9)],
            [1, 2, 3, 4, 4]
        );
        assert_eq!(lines.of("ccc"), 4);
        assert_eq!(lines.of("zz"), 0);
    }

    #[test]
    fn the_readers_words_become_vietnamese() {
        assert_eq!(translate("missing field `rubric`"), "thiếu khóa bắt buộc \"rubric\"");
        assert!(translate("unknown field `x`, expected one of `a`, `b`").ends_with("ở đây chỉ nhận: a, b"));
        assert_eq!(
            translate("invalid type: string \"a\", expected f64"),
            "giá trị không đúng kiểu: cần một số (ví dụ 10 hoặc 2.5)"
        );
        assert!(translate("expected `=`").starts_with("sai cú pháp TOML"));
    }
}
