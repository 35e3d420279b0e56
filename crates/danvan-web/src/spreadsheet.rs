//! Reading the first sheet with content of a spreadsheet an office sends: Excel (.xlsx, and the older .xls),
//! and OpenDocument (.ods, from LibreOffice), through `calamine`.
//!
//! Anyone with an officer's account may upload one, so a file is bounded before the library
//! allocates for it: the archive's entries are counted and each part is inflated once into a
//! counter (whatever size it declares) before the workbook is opened, the shared-string table's
//! announced count is checked (the library reserves that many), an OpenDocument sheet's repeated
//! rows and columns are added up, and the .xlsx sheet is then read as a stream, its rows and
//! cells counted as they come and a long text refused before it is copied. What is refused is
//! said in Vietnamese.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Reader};
use quick_xml::events::Event;

/// Why a file cannot be read, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

fn refuse<T>(message: impl Into<String>) -> Result<T, ReadError> {
    Err(ReadError(message.into()))
}

const NOT_A_SPREADSHEET: &str = "Tệp không phải bảng tính Excel (.xlsx, .xls) hay OpenDocument (.ods).";
const BROKEN: &str = "Tệp bảng tính bị lỗi, không đọc được.";

/// Entries an archive may hold.
const MAX_ENTRIES: usize = 2_000;
/// The largest part once inflated (a sheet of 20,000 filled rows is a few MB).
const MAX_PART_BYTES: u64 = 48 << 20;
/// All parts together, inflated.
const MAX_TOTAL_BYTES: u64 = 160 << 20;
/// Distinct shared strings a workbook may announce.
const MAX_SHARED_STRINGS: u64 = 1_000_000;
/// Rows with something in them.
pub const MAX_ROWS: usize = 50_000;
/// Columns read (from A); cells further right are ignored.
pub const MAX_COLUMNS: u32 = 64;
/// Cells the reader goes through, empty ones included.
const MAX_CELLS: u64 = 2_000_000;
/// The longest text in one cell.
pub const MAX_CELL_CHARS: usize = 4_000;
/// The text all cells together may hold once read, in bytes (a short shared string repeated in
/// millions of cells would otherwise be copied that many times).
const MAX_TEXT_BYTES: u64 = 64 << 20;

/// The rows that have something in them of the first sheet that has any, each as its cells' text
/// from column A as the program shows it (empty text for an empty cell, dates as dd/mm/yyyy),
/// keyed by the row number the program shows (from 1).
pub fn read_rows(bytes: &[u8]) -> Result<BTreeMap<usize, Vec<String>>, ReadError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return read_xls(bytes);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return refuse(NOT_A_SPREADSHEET);
    }
    let parts = checked_parts(bytes)?;
    if parts.iter().any(|(name, _)| name == "xl/workbook.xml") {
        return read_xlsx(bytes, &parts);
    }
    if parts.iter().any(|(name, _)| name == "content.xml") {
        return read_ods(bytes);
    }
    refuse(NOT_A_SPREADSHEET)
}

/// Every entry of the archive with its real inflated size, each inflated once into a counter.
fn checked_parts(bytes: &[u8]) -> Result<Vec<(String, u64)>, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError(NOT_A_SPREADSHEET.into()))?;
    if archive.len() > MAX_ENTRIES {
        return refuse(format!(
            "Tệp bảng tính có hơn {MAX_ENTRIES} phần; hệ thống không đọc tệp này."
        ));
    }
    let mut parts = Vec::with_capacity(archive.len());
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|_| ReadError(BROKEN.into()))?;
        let name = entry.name().map_err(|_| ReadError(BROKEN.into()))?.into_owned();
        let size = std::io::copy(&mut entry.take(MAX_PART_BYTES + 1), &mut std::io::sink())
            .map_err(|_| ReadError(BROKEN.into()))?;
        total += size;
        if size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            return refuse(format!(
                "Tệp bảng tính khi giải nén lớn hơn {} MB; hãy chia thành nhiều tệp nhỏ hơn.",
                MAX_PART_BYTES >> 20
            ));
        }
        parts.push((name, size));
    }
    Ok(parts)
}

/// The text of a part (already bounded by [`checked_parts`]).
fn part_text(bytes: &[u8], name: &str) -> Result<Option<Vec<u8>>, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError(BROKEN.into()))?;
    let Ok(entry) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    entry
        .take(MAX_PART_BYTES)
        .read_to_end(&mut out)
        .map_err(|_| ReadError(BROKEN.into()))?;
    Ok(Some(out))
}

/// The shared-string table's announced counts, which the library reserves room for.
fn check_shared_string_count(bytes: &[u8], parts: &[(String, u64)]) -> Result<(), ReadError> {
    // Every part the library could take for the table: it looks names up ignoring case and
    // reading a backslash as a slash.
    for (name, _) in parts {
        let normal = name.to_ascii_lowercase().replace('\\', "/");
        if normal.ends_with("sharedstrings.xml")
            && let Some(xml) = part_text(bytes, name)?
        {
            check_announced_count(&xml)?;
        }
    }
    Ok(())
}

/// The counts a shared-string table announces, within [`MAX_SHARED_STRINGS`].
fn check_announced_count(xml: &[u8]) -> Result<(), ReadError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for attribute in e.attributes().flatten() {
                    if matches!(attribute.key.local_name().as_ref(), "uniqueCount" | "count") {
                        let count = attribute.value.trim().parse::<u64>().ok();
                        if count.is_none_or(|n| n > MAX_SHARED_STRINGS) {
                            return refuse(BROKEN);
                        }
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return refuse(BROKEN),
            _ => {}
        }
        buf.clear();
    }
}

/// The text of a cell as the program shows it: numbers without a trailing ".0", and without
/// the binary fraction's noise past ten decimals ("179.025", not "179.02499999999998").
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else if value.abs() < 1e9 {
        format!("{}", (value * 1e10).round() / 1e10)
    } else {
        format!("{value}")
    }
}

fn long_cell(row: u32, column: u32) -> ReadError {
    ReadError(format!(
        "Ô {}{} có hơn {MAX_CELL_CHARS} ký tự; hệ thống không đọc tệp này.",
        column_name(column),
        row + 1
    ))
}

fn too_much_text() -> String {
    format!(
        "Các ô của tệp bảng tính chứa hơn {} MB chữ; hệ thống không đọc tệp này.",
        MAX_TEXT_BYTES >> 20
    )
}

/// "A", "B", …, "AA" for a zero-based column.
fn column_name(column: u32) -> String {
    let mut n = column + 1;
    let mut name = Vec::new();
    while n > 0 {
        let digit = ((n - 1) % 26) as u8;
        name.push(b'A' + digit);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Rows gathered as they come, bounded.
#[derive(Default)]
struct Rows {
    rows: BTreeMap<usize, Vec<String>>,
    seen: u64,
    text_bytes: u64,
}

impl Rows {
    fn add(&mut self, row: u32, column: u32, text: String) -> Result<(), ReadError> {
        self.seen += 1;
        if self.seen > MAX_CELLS {
            return refuse(format!(
                "Tệp bảng tính có hơn {MAX_CELLS} ô; hệ thống không đọc tệp này."
            ));
        }
        if column >= MAX_COLUMNS || text.trim().is_empty() {
            return Ok(());
        }
        if text.chars().count() > MAX_CELL_CHARS {
            return Err(long_cell(row, column));
        }
        self.text_bytes += text.len() as u64;
        if self.text_bytes > MAX_TEXT_BYTES {
            return refuse(too_much_text());
        }
        let number = row as usize + 1;
        if !self.rows.contains_key(&number) && self.rows.len() >= MAX_ROWS {
            return refuse(format!("Tệp có hơn {MAX_ROWS} dòng; hãy chia thành nhiều tệp nhỏ hơn."));
        }
        let cells = self.rows.entry(number).or_default();
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        Ok(())
    }
}

fn read_xlsx(bytes: &[u8], parts: &[(String, u64)]) -> Result<BTreeMap<usize, Vec<String>>, ReadError> {
    check_shared_string_count(bytes, parts)?;
    let mut workbook = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| ReadError(BROKEN.into()))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return refuse("Tệp bảng tính không có trang tính nào.");
    }
    // The first sheet with content, in workbook order; cells are counted across sheets.
    let mut rows = Rows::default();
    for name in names {
        let mut cells = workbook
            .worksheet_cells_reader(&name)
            .map_err(|_| ReadError(BROKEN.into()))?;
        while let Some(cell) = cells.next_cell().map_err(|_| ReadError(BROKEN.into()))? {
            let (row, column) = cell.get_position();
            let text = match cell.get_value() {
                // Checked before it is copied: one long shared string may stand in many cells.
                DataRef::SharedString(s) if s.len() > MAX_CELL_CHARS * 4 => return Err(long_cell(row, column)),
                value => data_text(&Data::from(value.clone())),
            };
            rows.add(row, column, text)?;
        }
        if !rows.rows.is_empty() {
            break;
        }
    }
    Ok(rows.rows)
}

/// The first sheet with content of a workbook the library reads whole (.xls, .ods).
fn first_sheet_with_content<R: Read + std::io::Seek>(
    workbook: &mut impl Reader<R>,
) -> Result<BTreeMap<usize, Vec<String>>, ReadError> {
    let names = workbook.sheet_names();
    if names.is_empty() {
        return refuse("Tệp bảng tính không có trang tính nào.");
    }
    for name in names {
        let range = workbook.worksheet_range(&name).map_err(|_| ReadError(BROKEN.into()))?;
        let rows = range_rows(&range)?;
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    Ok(BTreeMap::new())
}

fn data_text(value: &Data) -> String {
    match value {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) if d.is_datetime() => date_text(d),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// A date cell as an official reads it: "01/05/2009", with "14:30" after it when it has a time
/// of day, or the time alone ("11:00") when it is only a time.
fn date_text(d: &calamine::ExcelDateTime) -> String {
    let (year, month, day, hour, minute, second, _) = d.to_ymd_hms_milli();
    let time = if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    };
    if d.as_f64() < 1.0 {
        time
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{day:02}/{month:02}/{year}")
    } else {
        format!("{day:02}/{month:02}/{year} {time}")
    }
}

fn range_rows(range: &calamine::Range<Data>) -> Result<BTreeMap<usize, Vec<String>>, ReadError> {
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = Rows::default();
    for (row, column, value) in range.used_cells() {
        rows.add(top + row as u32, left + column as u32, data_text(value))?;
    }
    Ok(rows.rows)
}

/// What an .xls file's workbook stream would make the library build, read from its records
/// before the library opens it: the library reserves room for the cells each DIMENSIONS record
/// announces, builds every sheet as a grid from its first to its last cell with a value (in
/// real positions, whatever DIMENSIONS says), and copies a shared string into every cell that
/// uses it. The stream is read through the compound file's own allocation tables (`cfb`), its
/// records walked in order.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct XlsCost {
    /// The largest DIMENSIONS announcement, in cells.
    announced: u64,
    /// The grids of all sheets together, in cells.
    grid: u64,
    /// The text the cells would hold, in bytes (each character counted as 3, its most in UTF-8).
    text: u64,
}

fn u16_at(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?])))
}

fn u32_at(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes([
        *data.get(at)?,
        *data.get(at + 1)?,
        *data.get(at + 2)?,
        *data.get(at + 3)?,
    ])))
}

/// The character count of every string of a shared-string table (SST and its CONTINUE
/// records), walking the strings as they are laid out: a string's characters may continue in
/// the next record, which then starts with a new options byte. `None` when the table is cut.
fn sst_lengths(segments: &[&[u8]]) -> Option<Vec<u64>> {
    let unique = u32_at(segments.first()?, 4)?;
    if unique > MAX_SHARED_STRINGS {
        return None;
    }
    let (mut seg, mut pos) = (0usize, 8usize);
    let mut lengths = Vec::with_capacity(unique as usize);
    // Skips `n` bytes that may run across records (no options byte at a boundary).
    let skip = |seg: &mut usize, pos: &mut usize, mut n: u64| -> Option<()> {
        while n > 0 {
            let here = segments.get(*seg)?.len().saturating_sub(*pos) as u64;
            if here >= n {
                *pos += n as usize;
                return Some(());
            }
            n -= here;
            *seg += 1;
            *pos = 0;
        }
        Some(())
    };
    for _ in 0..unique {
        // A string may start at the very beginning of the next record.
        if pos >= segments.get(seg)?.len() {
            seg += 1;
            pos = 0;
        }
        let data = segments.get(seg)?;
        let chars = u16_at(data, pos)?;
        let flags = *data.get(pos + 2)?;
        pos += 3;
        let runs = if flags & 0x08 != 0 {
            let n = u16_at(data, pos)?;
            pos += 2;
            n
        } else {
            0
        };
        let ext = if flags & 0x04 != 0 {
            let n = u32_at(data, pos)?;
            pos += 4;
            n
        } else {
            0
        };
        let (mut remaining, mut width) = (chars, if flags & 0x01 != 0 { 2 } else { 1 });
        loop {
            let room = segments.get(seg)?.len().saturating_sub(pos) as u64 / width;
            let take = remaining.min(room);
            pos += (take * width) as usize;
            remaining -= take;
            if remaining == 0 {
                break;
            }
            // The characters go on in the next record, after its own options byte.
            seg += 1;
            let next = segments.get(seg)?;
            width = if *next.first()? & 0x01 != 0 { 2 } else { 1 };
            pos = 1;
        }
        skip(&mut seg, &mut pos, runs * 4 + ext)?;
        lengths.push(chars);
    }
    Some(lengths)
}

/// Reads the workbook stream's records and adds up what the library would build.
fn xls_cost(bytes: &[u8]) -> Result<XlsCost, ReadError> {
    let broken = || ReadError(BROKEN.into());
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| broken())?;
    let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| file.is_stream(n))
        .ok_or_else(broken)?;
    let mut stream = Vec::new();
    file.open_stream(name)
        .map_err(|_| broken())?
        .take(MAX_PART_BYTES)
        .read_to_end(&mut stream)
        .map_err(|_| broken())?;
    let mut cost = XlsCost::default();
    let mut sst_segments: Vec<&[u8]> = Vec::new();
    let mut sst: Vec<u64> = Vec::new();
    // The current sheet's first and last row and column with a value.
    let mut bounds: Option<(u64, u64, u64, u64)> = None;
    let close_sheet = |bounds: &mut Option<(u64, u64, u64, u64)>, cost: &mut XlsCost| {
        if let Some((r0, r1, c0, c1)) = bounds.take() {
            cost.grid = cost.grid.saturating_add((r1 - r0 + 1).saturating_mul(c1 - c0 + 1));
        }
    };
    let mut at = 0usize;
    let mut previous = 0u64;
    while at + 4 <= stream.len() {
        let kind = u16_at(&stream, at).unwrap_or(0);
        let len = u16_at(&stream, at + 2).unwrap_or(0) as usize;
        let data = stream.get(at + 4..at + 4 + len).ok_or_else(broken)?;
        at += 4 + len;
        if !sst_segments.is_empty() && kind != 0x003C {
            sst = sst_lengths(&sst_segments).ok_or_else(broken)?;
            sst_segments.clear();
        }
        let mut cell = |row: Option<u64>, first: Option<u64>, last: Option<u64>| -> Result<(), ReadError> {
            let (row, first, last) = (
                row.ok_or_else(broken)?,
                first.ok_or_else(broken)?,
                last.ok_or_else(broken)?,
            );
            let (r0, r1, c0, c1) = bounds.get_or_insert((row, row, first, last));
            (*r0, *r1, *c0, *c1) = (
                (*r0).min(row),
                (*r1).max(row),
                (*c0).min(first),
                (*c1).max(last.max(first)),
            );
            Ok(())
        };
        match kind {
            // BOF, EOF: a substream (the globals, then each sheet) begins or ends.
            0x0809 | 0x000A => close_sheet(&mut bounds, &mut cost),
            // DIMENSIONS (BIFF8: 32-bit rows; BIFF5: 16-bit).
            0x0200 => {
                let (rows, columns) = if len >= 14 {
                    (
                        u32_at(data, 4)
                            .unwrap_or(0)
                            .saturating_sub(u32_at(data, 0).unwrap_or(0)),
                        u16_at(data, 10)
                            .unwrap_or(0)
                            .saturating_sub(u16_at(data, 8).unwrap_or(0)),
                    )
                } else {
                    (
                        u16_at(data, 2)
                            .unwrap_or(0)
                            .saturating_sub(u16_at(data, 0).unwrap_or(0)),
                        u16_at(data, 6)
                            .unwrap_or(0)
                            .saturating_sub(u16_at(data, 4).unwrap_or(0)),
                    )
                };
                cost.announced = cost.announced.max(rows.saturating_mul(columns));
            }
            0x00FC => sst_segments.push(data),
            0x003C if previous == 0x00FC || previous == 0x003C && !sst_segments.is_empty() => sst_segments.push(data),
            // Number, BoolErr, RK, Formula: a value at (row, column).
            0x0203 | 0x0205 | 0x027E | 0x0006 => cell(u16_at(data, 0), u16_at(data, 2), u16_at(data, 2))?,
            // Label, RString: a text written in the record.
            0x0204 | 0x00D6 => {
                cell(u16_at(data, 0), u16_at(data, 2), u16_at(data, 2))?;
                cost.text = cost.text.saturating_add(3 * u16_at(data, 6).unwrap_or(0));
            }
            // LabelSst: a shared string, copied into the cell.
            0x00FD => {
                cell(u16_at(data, 0), u16_at(data, 2), u16_at(data, 2))?;
                let index = u32_at(data, 6).ok_or_else(broken)? as usize;
                cost.text = cost.text.saturating_add(3 * sst.get(index).copied().unwrap_or(0));
            }
            // MulRk: values from a first to a last column of a row.
            0x00BD => cell(u16_at(data, 0), u16_at(data, 2), u16_at(data, len.saturating_sub(2)))?,
            _ => {}
        }
        previous = kind;
    }
    close_sheet(&mut bounds, &mut cost);
    Ok(cost)
}

/// An .xls file (BIFF8, at most 65,536 rows × 256 columns by its format), within the upload's
/// size limit, refused before the library opens it when what it would build is too large.
fn read_xls(bytes: &[u8]) -> Result<BTreeMap<usize, Vec<String>>, ReadError> {
    let cost = xls_cost(bytes)?;
    if cost.announced > MAX_CELLS {
        return refuse(format!(
            "Tệp bảng tính khai báo hơn {MAX_CELLS} ô; hệ thống không đọc tệp này."
        ));
    }
    if cost.grid > MAX_CELLS {
        return refuse(format!(
            "Tệp bảng tính có hơn {MAX_CELLS} ô; hệ thống không đọc tệp này."
        ));
    }
    if cost.text > MAX_TEXT_BYTES {
        return refuse(too_much_text());
    }
    let mut workbook = calamine::Xls::new(Cursor::new(bytes)).map_err(|_| ReadError(BROKEN.into()))?;
    first_sheet_with_content(&mut workbook)
}

/// Cells the sheets of an OpenDocument file expand to, counted from their repeated rows and
/// columns before the library expands them: the library builds, for every sheet when it opens
/// the file, the grid from the first to the last row with content, as wide as the widest such
/// row (up to its last cell with content), empty rows in between included. The grids of all
/// sheets together stay within [`MAX_CELLS`].
fn check_ods_expansion(xml: &[u8]) -> Result<(), ReadError> {
    let repeats = |e: &quick_xml::events::BytesStart, name: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    // The grids of the sheets before this one, in cells.
    let mut before = 0u64;
    let (mut row_repeats, mut width, mut filled_width) = (1u64, 0u64, 0u64);
    let (mut row_index, mut first_filled, mut widest, mut grid) = (0u64, None::<u64>, 0u64, 0u64);
    // The library copies a repeated cell's text into every cell it stands for: the text of the
    // cell being read (its repeats, its bytes), and all the copies so far.
    let (mut cell, mut copies) = (None::<(u64, u64)>, 0u64);
    let value_bytes = |e: &quick_xml::events::BytesStart| -> u64 {
        e.attributes()
            .flatten()
            .filter(|a| a.key.0.starts_with("office:") && a.key.0.ends_with("-value"))
            .map(|a| a.value.len() as u64)
            .sum()
    };
    let mut add_copies = |bytes: u64, repeats: u64, rows: u64| -> Result<(), ReadError> {
        copies = copies.saturating_add(bytes.saturating_mul(repeats).saturating_mul(rows));
        if copies > MAX_TEXT_BYTES {
            return refuse(too_much_text());
        }
        Ok(())
    };
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table" => {
                before = before.saturating_add(grid);
                (row_index, first_filled, widest, grid) = (0, None, 0, 0);
            }
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table-row" => {
                row_repeats = repeats(&e, "table:number-rows-repeated");
                width = 0;
                filled_width = 0;
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                if filled_width > 0 {
                    let first = *first_filled.get_or_insert(row_index);
                    let last = row_index.saturating_add(row_repeats.max(1) - 1);
                    widest = widest.max(filled_width);
                    grid = (last - first + 1).saturating_mul(widest);
                    if before.saturating_add(grid) > MAX_CELLS {
                        return refuse(format!(
                            "Tệp bảng tính có hơn {MAX_CELLS} ô; hệ thống không đọc tệp này."
                        ));
                    }
                }
                row_index = row_index.saturating_add(row_repeats.max(1));
            }
            Ok(Event::Start(e)) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                let columns = repeats(&e, "table:number-columns-repeated");
                width = width.saturating_add(columns);
                filled_width = width;
                cell = Some((columns, value_bytes(&e)));
            }
            Ok(Event::Text(t)) => {
                if let Some((_, bytes)) = cell.as_mut() {
                    *bytes = bytes.saturating_add(t.len() as u64);
                }
            }
            Ok(Event::End(e)) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                if let Some((columns, bytes)) = cell.take() {
                    add_copies(bytes, columns, row_repeats.max(1))?;
                }
            }
            Ok(Event::Empty(e)) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                let columns = repeats(&e, "table:number-columns-repeated");
                width = width.saturating_add(columns);
                if e.attributes().flatten().any(|a| a.key.as_ref() == "office:value-type") {
                    filled_width = width;
                    add_copies(value_bytes(&e), columns, row_repeats.max(1))?;
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return refuse(BROKEN),
            _ => {}
        }
        buf.clear();
    }
}

fn read_ods(bytes: &[u8]) -> Result<BTreeMap<usize, Vec<String>>, ReadError> {
    let xml = part_text(bytes, "content.xml")?.ok_or_else(|| ReadError(BROKEN.into()))?;
    check_ods_expansion(&xml)?;
    drop(xml);
    let mut workbook = calamine::Ods::new(Cursor::new(bytes)).map_err(|_| ReadError(BROKEN.into()))?;
    first_sheet_with_content(&mut workbook)
}

/// Workbooks built for tests (here and in `tests/`), hostile ones among them.
#[doc(hidden)]
pub mod fixtures {
    use std::io::{Cursor, Write};

    /// One BIFF record: its type, length and data.
    pub fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    /// An OpenDocument spreadsheet whose `content.xml` is `content`.
    pub fn ods(content: &str) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("mimetype", stored).expect("zip");
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("zip");
        zip.start_file("content.xml", deflated).expect("zip");
        zip.write_all(content.as_bytes()).expect("zip");
        zip.start_file("META-INF/manifest.xml", deflated).expect("zip");
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).expect("zip");
        zip.finish().expect("zip");
        buffer.into_inner()
    }

    /// An .xls file (a compound file) whose workbook stream is these records.
    pub fn xls(records: &[Vec<u8>]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("a compound file");
        {
            let mut stream = file.create_stream("/Workbook").expect("the workbook stream");
            for r in records {
                stream.write_all(r).expect("written");
            }
        }
        file.flush().expect("flushed");
        file.into_inner().into_inner()
    }

    /// The spreadsheetml namespace.
    pub const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// An .xlsx with one sheet (its file name and XML) and, if given, a shared-string table,
    /// with the parts every workbook needs; `method` compresses them or not.
    pub fn xlsx(sheet_name: &str, sheet: &str, shared: Option<&str>, method: zip::CompressionMethod) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(true);
        let mut put = |name: &str, text: &str| {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        };
        put(
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        );
        put(
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        put(
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="Danh sách" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>"#,
        );
        let mut rels = format!(
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/{sheet_name}"/>"#
        );
        if shared.is_some() {
            rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
        }
        rels.push_str("</Relationships>");
        put("xl/_rels/workbook.xml.rels", &rels);
        put(&format!("xl/worksheets/{sheet_name}"), sheet);
        if let Some(shared) = shared {
            put("xl/sharedStrings.xml", shared);
        }
        zip.finish().unwrap();
        buffer.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{MAIN, xlsx};
    use super::*;
    use crate::xlsx::{Cell, Sheet, workbook};

    fn xlsx_of(sheet_name: &str, sheet: &str, shared: Option<&str>) -> Vec<u8> {
        xlsx(sheet_name, sheet, shared, zip::CompressionMethod::Deflated)
    }

    #[test]
    fn what_the_writer_writes_reads_back() {
        let bytes = workbook(&[Sheet::new(
            "Danh sách",
            None,
            &["Họ và tên", "Số"],
            vec![
                vec!["Nguyễn Thị Ánh & <Hoa>".into(), Cell::from(7)],
                vec![Cell::Empty, "Đắk R'Lấp".into()],
            ],
        )])
        .unwrap();
        let rows = read_rows(&bytes).unwrap();
        assert_eq!(rows[&1], ["Họ và tên", "Số"]);
        assert_eq!(rows[&2], ["Nguyễn Thị Ánh & <Hoa>", "7"]);
        assert_eq!(rows[&3], ["", "Đắk R'Lấp"]);
    }

    #[test]
    fn prefixed_tags_and_a_sheet_not_named_sheet1_are_read() {
        let sheet = format!(
            r#"<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="C2" t="inlineStr"><x:is><x:t>Chuyên viên</x:t></x:is></x:c><x:c r="D2"><x:v>12.5</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
        );
        let shared = format!(
            r#"<?xml version="1.0"?><x:sst xmlns:x="{MAIN}" count="1" uniqueCount="1"><x:si><x:t>Trần Văn Bình</x:t></x:si></x:sst>"#
        );
        let rows = read_rows(&xlsx_of("danh-sach.xml", &sheet, Some(&shared))).unwrap();
        assert_eq!(rows[&2], ["", "Trần Văn Bình", "Chuyên viên", "12.5"]);
    }

    #[test]
    fn a_part_that_inflates_past_its_bound_is_refused_whatever_it_declares() {
        let mut sheet = format!(r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#);
        sheet.push_str(&" ".repeat((MAX_PART_BYTES + 1024) as usize));
        sheet.push_str("</t></is></c></row></sheetData></worksheet>");
        let error = read_rows(&xlsx_of("sheet1.xml", &sheet, None)).unwrap_err();
        assert!(error.0.contains("khi giải nén lớn hơn"), "{error:?}");
    }

    #[test]
    fn an_opendocument_sheet_that_repeats_a_filled_row_a_million_times_is_refused() {
        let content = r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="A"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert!(check_ods_expansion(content.as_bytes()).unwrap_err().0.contains("ô"));
        // A filled cell far right, many empty rows, then a filled row: the grid between counts.
        let spread = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><table:table><table:table-row><table:table-cell table:number-columns-repeated="16382"/><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="6000"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>b</text:p></table:table-cell></table:table-row></table:table></office:document-content>"#;
        assert!(check_ods_expansion(spread.as_bytes()).unwrap_err().0.contains("ô"));
        // Trailing empty rows, as LibreOffice writes them, cost nothing.
        let normal = r#"<office:document-content xmlns:office="o" xmlns:table="t"><table:table><table:table-row><table:table-cell office:value-type="string"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:document-content>"#;
        assert!(check_ods_expansion(normal.as_bytes()).is_ok());
        // The library builds every sheet when it opens the file: a harmless first sheet does not
        // let a second one expand.
        let second = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><table:table><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row></table:table><table:table><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:document-content>"#;
        assert!(check_ods_expansion(second.as_bytes()).unwrap_err().0.contains("ô"));
        // Within the cell count, one long text repeated over every cell would be copied into
        // each: 100 × 20,000 cells of 1,000 characters.
        let copied = format!(
            r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><table:table><table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row></table:table></office:document-content>"#,
            "y".repeat(1000)
        );
        assert!(check_ods_expansion(copied.as_bytes()).unwrap_err().0.contains("MB chữ"));
    }

    #[test]
    fn hostile_xls_files_are_refused_before_they_are_opened() {
        use fixtures::{record, xls};
        let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let eof = record(0x000A, &[]);
        let dimensions = |rows: u32, columns: u16| {
            let mut d = 0u32.to_le_bytes().to_vec();
            d.extend_from_slice(&rows.to_le_bytes());
            d.extend_from_slice(&0u16.to_le_bytes());
            d.extend_from_slice(&columns.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            record(0x0200, &d)
        };
        let number = |row: u16, column: u16| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend_from_slice(&column.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            d.extend_from_slice(&1.0f64.to_le_bytes());
            record(0x0203, &d)
        };
        let sheet = |body: Vec<Vec<u8>>| [vec![bof.clone()], body, vec![eof.clone()]].concat();
        // A DIMENSIONS record announcing four billion rows.
        let announced = xls(&sheet(vec![dimensions(u32::MAX, 256)]));
        assert!(read_rows(&announced).unwrap_err().0.contains("khai báo hơn"));
        // Two real cells far apart: A1 and the last row of column IV (the grid between them).
        let apart = xls(&sheet(vec![dimensions(2, 1), number(0, 0), number(65_535, 255)]));
        assert_eq!(xls_cost(&apart).unwrap().grid, 65_536 * 256);
        assert!(read_rows(&apart).unwrap_err().0.contains("ô; hệ thống"));
        // A 30,000-character shared string in 5,000 cells: 450 MB of copies.
        let mut sst = 1u32.to_le_bytes().to_vec();
        sst.extend_from_slice(&1u32.to_le_bytes());
        sst.extend_from_slice(&30_000u16.to_le_bytes());
        sst.push(0);
        let text = vec![b'x'; 30_000];
        // The characters run over CONTINUE records, each starting with its options byte.
        let first = 8_224 - sst.len();
        sst.extend_from_slice(&text[..first]);
        let mut globals = vec![bof.clone(), record(0x00FC, &sst)];
        for chunk in text[first..].chunks(8_000) {
            globals.push(record(0x003C, &[&[0u8][..], chunk].concat()));
        }
        globals.push(eof.clone());
        let labels: Vec<Vec<u8>> = (0..5_000u16)
            .map(|row| {
                let mut d = row.to_le_bytes().to_vec();
                d.extend_from_slice(&[0, 0, 0, 0]);
                d.extend_from_slice(&0u32.to_le_bytes());
                record(0x00FD, &d)
            })
            .collect();
        let copied = xls(&[globals, sheet(labels)].concat());
        assert_eq!(xls_cost(&copied).unwrap().text, 3 * 30_000 * 5_000);
        assert!(read_rows(&copied).unwrap_err().0.contains("MB chữ"));
        // A sheet of 20,000 rows × 10 columns is within bounds.
        let fine = xls(&sheet(vec![dimensions(20_000, 10), number(0, 0), number(19_999, 9)]));
        let cost = xls_cost(&fine).unwrap();
        assert_eq!((cost.announced, cost.grid), (200_000, 200_000));
    }

    #[test]
    fn other_files_are_refused_plainly() {
        assert_eq!(read_rows(b"Ho va ten,Chuc vu").unwrap_err().0, NOT_A_SPREADSHEET);
        assert!(read_rows(&[]).is_err());
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
    }
}
