//! The board, an evaluation's results and a report round print on A4 from a real browser: each
//! page, as the demo serves it to the Department, is printed to PDF by headless Chromium
//! (Debian's `chromium`, which `scripts/test` installs) with the site's stylesheet, and the PDF
//! is read back with `pdftotext -bbox`: A4, no navigation, the province and the day at the top,
//! every table row whole on one page and a table's header repeated on each page it runs onto.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Browser, start_demo};
use danvan_web::pdf_words::{self, Word};

fn unescape(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Text without its tags, whitespace collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table of the page: its header cells' text and each body row's cells' text.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn tables(html: &str) -> Vec<Table> {
    let cells = |row: &str| -> Vec<String> {
        row.split("<t")
            .skip(1)
            .filter(|c| c.starts_with('d') || c.starts_with('h'))
            .map(|c| text_of(&format!("<t{c}")))
            .collect()
    };
    html.split("<table")
        .skip(1)
        .filter_map(|t| {
            let t = &t[..t.find("</table>")?];
            let head = &t[t.find("<thead")?..t.find("</thead>")?];
            let body = t.find("<tbody").map(|at| &t[at..]).unwrap_or("");
            Some(Table {
                header: cells(head),
                rows: body.split("<tr").skip(1).map(cells).filter(|r| !r.is_empty()).collect(),
            })
        })
        .collect()
}

/// The letters-and-digits runs of a text: a browser breaks a line after a hyphen or a slash,
/// so "11-CTr/TU" may print as "11-" and "CTr/TU"; both give 11, CTr, TU.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty())
}

/// Whether every token of `phrase` is on `page` (a cell's text wraps, and the reading order of
/// wrapped cells interleaves their lines, so the tokens are counted, not read in sequence).
fn on_page(words: &[Word], page: usize, phrase: &str) -> bool {
    let mut page_tokens: Vec<&str> = words
        .iter()
        .filter(|w| w.page == page)
        .flat_map(|w| tokens(&w.text))
        .collect();
    let mut parts = tokens(phrase).peekable();
    parts.peek().is_some()
        && parts.all(|part| match page_tokens.iter().position(|w| *w == part) {
            Some(at) => {
                page_tokens.swap_remove(at);
                true
            }
            None => false,
        })
}

fn print(dir: &Path, name: &str, html: &str, css: &str) -> std::path::PathBuf {
    let page = dir.join(format!("{name}.html"));
    std::fs::write(dir.join("style.css"), css).unwrap();
    std::fs::write(&page, html.replace("/static/style.css", "style.css")).unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    let output = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium (Debian's chromium) must be installed: scripts/test installs it");
    assert!(
        pdf.exists(),
        "chromium printed nothing: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    pdf
}

#[test]
fn the_board_the_results_and_a_report_round_print_on_a4() {
    let data = tempfile::tempdir().unwrap();
    let demo = start_demo(data.path());
    let mut browser = Browser::default();
    browser.sign_in(&demo.url, "sonoivu");
    let css = browser.get(&demo.url, "/static/style.css").body;
    let out = tempfile::tempdir().unwrap();
    // Rows taller than the rest (each a seven-line cell), so that page ends fall inside rows:
    // added to the round's page, they show that no row is cut whatever its height.
    let tall: String = (1..=40)
        .map(|i| {
            let lines: Vec<String> = (1..=7).map(|j| format!("mục{i}x{j}")).collect();
            format!("<tr><td>Đơn vị số {i}</td><td>{}</td></tr>", lines.join("<br>"))
        })
        .collect();
    let tall = format!(
        "<h2>Bảng thử</h2><table><thead><tr><th>Đơn vị thử</th><th>Nội dung</th></tr></thead><tbody>{tall}</tbody></table></main>"
    );
    for (name, path) in [
        ("board", "/board"),
        ("results", "/evaluations/1"),
        ("round", "/reports/1"),
        ("tall", "/reports/1"),
    ] {
        let mut page = browser.get(&demo.url, path);
        assert_eq!(page.status, 200, "{path}");
        if name == "tall" {
            page.body = page.body.replace("</main>", &tall);
        }
        let pdf = print(out.path(), name, &page.body, &css);
        let pdf_words::PdfText { pages: sizes, words } = pdf_words::read(&pdf);
        // A4 portrait, every page.
        for (width, height) in &sizes {
            assert!(
                (width - 595.3).abs() < 2.0 && (height - 841.9).abs() < 2.0,
                "{name}: {width} × {height}"
            );
        }
        // No navigation, no account links, no forms' buttons.
        for absent in ["Đăng xuất", "Đổi mật khẩu", "Phiên đăng nhập", "Việc cần làm:"] {
            assert!(
                !(1..=sizes.len()).any(|p| on_page(&words, p, absent)),
                "{name}: {absent} is printed"
            );
        }
        // The province and the day, at the top of the first page.
        assert!(on_page(&words, 1, "UBND tỉnh Đắk Nông"), "{name}: the province");
        assert!(on_page(&words, 1, "In ngày 15/12/2022"), "{name}: the day");
        let first_top = words
            .iter()
            .filter(|w| w.page == 1)
            .map(|w| w.y0)
            .fold(f64::MAX, f64::min);
        let header_y = words
            .iter()
            .find(|w| w.page == 1 && w.text == "ngày")
            .map(|w| w.y0)
            .unwrap();
        assert!(header_y - first_top < 5.0, "{name}: the header is the first line");
        // Every row whole on one page; a table's header on each page its rows are on.
        let tables = tables(&page.body);
        assert!(!tables.is_empty(), "{name}: no table");
        for table in &tables {
            for row in &table.rows {
                let Some(first) = row.iter().find(|c| !c.is_empty()) else {
                    continue;
                };
                let pages: Vec<usize> = (1..=sizes.len()).filter(|&p| on_page(&words, p, first)).collect();
                assert!(!pages.is_empty(), "{name}: row {row:?} not printed");
                let whole = pages
                    .iter()
                    .any(|&p| row.iter().all(|cell| cell.is_empty() || on_page(&words, p, cell)));
                assert!(whole, "{name}: row {row:?} is cut across pages {pages:?}");
                if let Some(title) = table.header.iter().find(|h| !h.is_empty()) {
                    assert!(
                        pages.iter().any(|&p| on_page(&words, p, title)),
                        "{name}: the header \"{title}\" is not on the page of row {row:?}"
                    );
                }
            }
        }
        if name == "board" || name == "tall" {
            assert!(sizes.len() >= 2, "{name} runs over pages");
        }
    }
}
