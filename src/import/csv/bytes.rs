//! From bytes to the text of a table: encodings, hostile input, delimiters, line numbers.
//!
//! Everything here reads the file as a stream through a small buffer, never as a whole: a
//! first pass learns its shape (encoding, line breaks, delimiter) and refuses hostile input, a
//! second looks for a quote that never closes, and the rows are read from a decoding reader.

use std::collections::VecDeque;
use std::io::Read;

use super::MAX_LINE_BYTES;
use crate::import::{ReadError, Source};

/// Bytes read from the source at a time.
const CHUNK: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// DOS tools end a text file with Ctrl-Z; it is no part of the table.
const CTRL_Z: u8 = 0x1A;

/// What the first pass found out about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shape {
    /// UTF-8 when all of it is UTF-8, else Windows-1252 (what Excel on Windows writes), which
    /// decodes every byte: a wrong guess shows as odd letters in the preview, never as a failure.
    utf8: bool,
    /// Classic Mac files end lines with CR alone; read as one line they would look like a dump.
    cr_only: bool,
    /// A UTF-8 byte order mark to skip.
    bom: bool,
    /// The bytes of the table: after the mark, before a closing Ctrl-Z.
    len: u64,
    /// `,`, `;` or tab.
    pub(super) delimiter: u8,
}

fn read_error(file: &str, e: &std::io::Error) -> ReadError {
    ReadError::file(file, format!("cannot be read: {e}"))
}

/// Fills `buf` as far as the reader allows; fewer bytes only at the end.
fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The first pass: the file's shape, or why it is not a text table (UTF-16, binary data, an
/// overlong line), naming the first line that shows it.
pub(super) fn scan(file: &str, source: &dyn Source) -> Result<Shape, ReadError> {
    let mut reader = source.open().map_err(|e| read_error(file, &e))?;
    // The head holds the header line (at most MAX_LINE_BYTES long) for the delimiter.
    let mut head = vec![0u8; MAX_LINE_BYTES + 2];
    let n = read_full(&mut *reader, &mut head).map_err(|e| read_error(file, &e))?;
    head.truncate(n);
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::file(
            file,
            "is UTF-16 text (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or \"CSV \
             (semicolon separated)\"",
        ));
    }
    let bom = head.starts_with(BOM);
    let body_head = if bom { &head[BOM.len()..] } else { &head[..] };
    let delimiter = sniff_delimiter(body_head);

    let mut checks = [LineCheck::new(b'\n'), LineCheck::new(b'\r')];
    let mut utf8 = Utf8Check::default();
    let (mut has_lf, mut has_cr) = (false, false);
    // The last byte waits for the next one: a Ctrl-Z that ends the file is not content.
    let mut held: Option<u8> = None;
    let mut len = 0u64;
    let mut feed = |chunk: &[u8]| {
        for &b in chunk {
            if let Some(prev) = held.replace(b) {
                for check in &mut checks {
                    check.byte(prev, len);
                }
                len += 1;
            }
        }
        utf8.feed(chunk);
        has_lf |= chunk.contains(&b'\n');
        has_cr |= chunk.contains(&b'\r');
    };
    feed(body_head);
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_full(&mut *reader, &mut buf).map_err(|e| read_error(file, &e))?;
        if n == 0 {
            break;
        }
        feed(&buf[..n]);
    }
    match held {
        Some(CTRL_Z) | None => {}
        Some(last) => {
            for check in &mut checks {
                check.byte(last, len);
            }
            len += 1;
        }
    }
    let cr_only = !has_lf && has_cr;
    let [lf, cr] = checks;
    let check = if cr_only { cr } else { lf };
    if let Some(problem) = check.finish() {
        return Err(problem.error(file));
    }
    Ok(Shape {
        // A closing Ctrl-Z was fed to the check too; it is ASCII and changes nothing.
        utf8: utf8.finish(),
        cr_only,
        bom,
        len,
        delimiter,
    })
}

/// A problem of one line, found by `LineCheck`.
enum LineProblem {
    TooLong { line: usize, len: usize },
    Control { line: usize, byte: u8, offset: u64 },
}

impl LineProblem {
    fn error(&self, file: &str) -> ReadError {
        let (line, reason) = match *self {
            LineProblem::TooLong { line, len } => (
                line,
                format!(
                    "is a line of {len} bytes; lines longer than {MAX_LINE_BYTES} bytes (1 MiB) \
                     are refused, this is not a table people write"
                ),
            ),
            LineProblem::Control { line, byte, offset } => (
                line,
                format!(
                    "contains the control byte 0x{byte:02X} at byte {offset}: this is binary \
                     data (or UTF-16 text), not a CSV file in UTF-8 or Windows-1252"
                ),
            ),
        };
        ReadError {
            file: file.to_string(),
            line: Some(line),
            record: None,
            field: String::new(),
            reason,
        }
    }
}

/// Binary data and overlong lines, for lines ended by one kind of break; the first line with
/// either is the problem (a line both too long and binary is reported as too long).
struct LineCheck {
    newline: u8,
    line: usize,
    len: usize,
    control: Option<(u8, u64)>,
    problem: Option<LineProblem>,
}

impl LineCheck {
    fn new(newline: u8) -> Self {
        Self {
            newline,
            line: 1,
            len: 0,
            control: None,
            problem: None,
        }
    }

    /// `offset`: the byte's place in the table (after a byte order mark).
    fn byte(&mut self, b: u8, offset: u64) {
        if self.problem.is_some() {
            return;
        }
        if b == self.newline {
            self.end_line();
            self.line += 1;
            self.len = 0;
            self.control = None;
            return;
        }
        self.len += 1;
        if self.control.is_none() && b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n' | 0x0C) {
            self.control = Some((b, offset));
        }
    }

    fn end_line(&mut self) {
        if self.len > MAX_LINE_BYTES {
            self.problem = Some(LineProblem::TooLong {
                line: self.line,
                len: self.len,
            });
        } else if let Some((byte, offset)) = self.control {
            self.problem = Some(LineProblem::Control {
                line: self.line,
                byte,
                offset,
            });
        }
    }

    fn finish(mut self) -> Option<LineProblem> {
        if self.problem.is_none() {
            self.end_line();
        }
        self.problem
    }
}

/// UTF-8 validity of a stream, chunk by chunk (a character may span two chunks).
#[derive(Default)]
struct Utf8Check {
    invalid: bool,
    /// The start of a character the last chunk ended inside.
    carry: Vec<u8>,
}

impl Utf8Check {
    fn feed(&mut self, chunk: &[u8]) {
        if self.invalid {
            return;
        }
        let joined;
        let data = if self.carry.is_empty() {
            chunk
        } else {
            let mut v = std::mem::take(&mut self.carry);
            v.extend_from_slice(chunk);
            joined = v;
            &joined[..]
        };
        match std::str::from_utf8(data) {
            Ok(_) => {}
            Err(e) if e.error_len().is_some() => self.invalid = true,
            Err(e) => self.carry = data[e.valid_up_to()..].to_vec(),
        }
    }

    fn finish(self) -> bool {
        !self.invalid && self.carry.is_empty()
    }
}

/// UTF-8 when the bytes are UTF-8, else Windows-1252: the same choice as for a whole file, for
/// a piece of one (the header line, when recognising a table).
pub(super) fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// `,`, `;` or tab, whichever the header line has most of outside quotes; `,` when it has none.
/// The delimiters, quotes and line breaks are ASCII, so the raw bytes serve in either encoding.
pub(super) fn sniff_delimiter(text: &[u8]) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for &b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semicolon += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if tab > comma.max(semicolon) {
        b'\t'
    } else if semicolon > comma {
        b';'
    } else {
        b','
    }
}

/// The second pass: the line of a quote that opens a cell and is never closed (the rest of the
/// file would be one cell), read the way the CSV parser reads quotes (only at the start of a
/// cell).
pub(super) fn unclosed_quote(
    file: &str,
    source: &dyn Source,
    shape: &Shape,
) -> Result<Option<usize>, ReadError> {
    let mut reader = table_bytes(source, shape).map_err(|e| read_error(file, &e))?;
    let mut quotes = QuoteCheck {
        delimiter: shape.delimiter,
        cr_is_newline: shape.cr_only,
        line: 1,
        state: Quote::Outside { cell_start: true },
    };
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_full(&mut *reader, &mut buf).map_err(|e| read_error(file, &e))?;
        if n == 0 {
            break;
        }
        buf[..n].iter().for_each(|&b| quotes.byte(b));
    }
    Ok(match quotes.state {
        Quote::Inside { opened } => Some(opened),
        _ => None,
    })
}

enum Quote {
    Outside {
        cell_start: bool,
    },
    Inside {
        opened: usize,
    },
    /// A quote inside a quoted cell: doubled, it is a quote character; else the cell ends.
    Closing {
        opened: usize,
    },
}

struct QuoteCheck {
    delimiter: u8,
    cr_is_newline: bool,
    line: usize,
    state: Quote,
}

impl QuoteCheck {
    fn byte(&mut self, b: u8) {
        let newline = b == b'\n' || (self.cr_is_newline && b == b'\r');
        self.state = match self.state {
            Quote::Outside { cell_start: true } if b == b'"' => Quote::Inside { opened: self.line },
            Quote::Inside { opened } if b == b'"' => Quote::Closing { opened },
            Quote::Inside { opened } => {
                if newline {
                    self.line += 1;
                }
                Quote::Inside { opened }
            }
            Quote::Closing { opened } if b == b'"' => Quote::Inside { opened },
            Quote::Outside { .. } | Quote::Closing { .. } => {
                if newline {
                    self.line += 1;
                }
                Quote::Outside {
                    cell_start: newline || b == b'\r' || b == self.delimiter,
                }
            }
        };
    }
}

/// The table's bytes as stored: after a byte order mark, before a closing Ctrl-Z.
fn table_bytes<'s>(source: &'s dyn Source, shape: &Shape) -> std::io::Result<Box<dyn Read + 's>> {
    let mut reader = source.open()?;
    if shape.bom {
        let mut mark = [0u8; 3];
        reader.read_exact(&mut mark)?;
    }
    Ok(Box::new(reader.take(shape.len)))
}

/// The table as UTF-8 text with `\n` line breaks, read through a small buffer, with the places
/// of its line breaks kept until the rows before them are read (see `line_at`).
pub(super) struct Decoded<'s> {
    raw: Box<dyn Read + 's>,
    decoder: Option<encoding_rs::Decoder>,
    cr_only: bool,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    finished: bool,
    /// Offset in the text of `output[0]`.
    out_start: u64,
    /// Places (text offsets) of `\r` and `\n` handed out and not yet passed by `line_at`; the
    /// bool says `\n`.
    breaks: VecDeque<(u64, bool)>,
    /// Lines passed so far.
    line: usize,
}

impl<'s> Decoded<'s> {
    pub(super) fn open(source: &'s dyn Source, shape: &Shape) -> std::io::Result<Self> {
        Ok(Self {
            raw: table_bytes(source, shape)?,
            decoder: (!shape.utf8)
                .then(|| encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling()),
            cr_only: shape.cr_only,
            input: vec![0u8; CHUNK],
            output: Vec::with_capacity(CHUNK * 3),
            out_pos: 0,
            finished: false,
            out_start: 0,
            breaks: VecDeque::new(),
            line: 1,
        })
    }

    fn refill(&mut self) -> std::io::Result<()> {
        self.out_start += self.output.len() as u64;
        self.output.clear();
        self.out_pos = 0;
        while self.output.is_empty() && !self.finished {
            let n = read_full(&mut *self.raw, &mut self.input)?;
            let last = n == 0;
            match &mut self.decoder {
                None => self.output.extend_from_slice(&self.input[..n]),
                Some(decoder) => {
                    let room = decoder
                        .max_utf8_buffer_length_without_replacement(n)
                        .unwrap_or(n * 3 + 16);
                    self.output.resize(room, 0);
                    let (_, _, written, _) =
                        decoder.decode_to_utf8(&self.input[..n], &mut self.output, last);
                    self.output.truncate(written);
                }
            }
            if self.cr_only {
                for b in &mut self.output {
                    if *b == b'\r' {
                        *b = b'\n';
                    }
                }
            }
            for (i, &b) in self.output.iter().enumerate() {
                if b == b'\n' || b == b'\r' {
                    self.breaks
                        .push_back((self.out_start + i as u64, b == b'\n'));
                }
            }
            self.finished = last;
        }
        Ok(())
    }

    /// The line of the first character at or after text offset `start` (line breaks right at
    /// `start` are passed over: the parser places a record at the break before it). Calls come
    /// with growing offsets, for text the parser has read.
    pub(super) fn line_at(&mut self, start: u64) -> usize {
        let mut s = start;
        while let Some(&(at, lf)) = self.breaks.front() {
            if at < s {
                self.line += usize::from(lf);
            } else if at == s {
                self.line += usize::from(lf);
                s += 1;
            } else {
                break;
            }
            self.breaks.pop_front();
        }
        self.line
    }
}

impl Read for Decoded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.out_pos == self.output.len() {
            if self.finished {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.output.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

pub(super) fn csv_reason(e: &::csv::Error) -> String {
    format!("cannot be read as CSV: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_checked_across_chunk_boundaries() {
        let text = "Störung – 🚧 Wartung".as_bytes();
        for split in 0..text.len() {
            for second in split..text.len() {
                let mut check = Utf8Check::default();
                check.feed(&text[..split]);
                check.feed(&text[split..second]);
                check.feed(&text[second..]);
                assert!(check.finish(), "split at {split}/{second}");
            }
        }
        let broken = b"St\xf6rung und mehr";
        for split in 0..broken.len() {
            let mut check = Utf8Check::default();
            check.feed(&broken[..split]);
            check.feed(&broken[split..]);
            assert!(!check.finish(), "split at {split}");
        }
        let mut cut = Utf8Check::default();
        cut.feed("ö".as_bytes().get(..1).unwrap_or_default());
        assert!(!cut.finish(), "a character cut off at the end");
    }

    #[test]
    fn the_text_is_decoded_and_lines_are_counted_as_written() {
        // Windows-1252 (`\xf6` is ö), CRLF, a blank line, a break inside a quoted cell, and
        // the Ctrl-Z DOS tools end a file with.
        let raw: &[u8] = b"Zeit;Text\r\n\r\n\"a\nb\";St\xf6rung\r\nx;y\x1a";
        let shape = scan("t.csv", &raw).expect("scan");
        assert_eq!(
            shape,
            Shape {
                utf8: false,
                cr_only: false,
                bom: false,
                len: raw.len() as u64 - 1,
                delimiter: b';'
            }
        );
        let mut decoded = Decoded::open(&raw, &shape).expect("open");
        let mut text = String::new();
        decoded.read_to_string(&mut text).expect("read");
        assert_eq!(text, "Zeit;Text\r\n\r\n\"a\nb\";Störung\r\nx;y");
        // The parser places the second record at the break after the header: it starts on
        // line 3, the third record on line 5 (the quoted cell holds a break).
        assert_eq!(decoded.line_at(9), 3);
        assert_eq!(decoded.line_at(text.find("\r\nx").expect("x") as u64), 5);

        let mac: &[u8] = b"\xEF\xBB\xBFa,b\r1,2\r";
        let shape = scan("mac.csv", &mac).expect("scan");
        assert!(shape.cr_only && shape.bom && shape.utf8);
        let mut text = String::new();
        Decoded::open(&mac, &shape)
            .expect("open")
            .read_to_string(&mut text)
            .expect("read");
        assert_eq!(text, "a,b\n1,2\n");
    }

    #[test]
    fn quotes_are_followed_across_lines() {
        let check = |text: &str| {
            let bytes = text.as_bytes();
            let shape = scan("q.csv", &bytes).expect("scan");
            unclosed_quote("q.csv", &bytes, &shape).expect("read")
        };
        assert_eq!(check("a,b\n1,\"x\n\"\"y\"\"\n\"\n2,\"open\n3,4\n"), Some(5));
        assert_eq!(check("a,b\n1,say \"hi\n"), None);
        assert_eq!(check("a;b\r1;\"x\r"), Some(2));
    }
}
