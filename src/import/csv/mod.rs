//! CSV and TSV tables of events, messages, mentions or recipients, as people make them (SPEC §3):
//! `,`, `;` or tab as delimiter, UTF-8 with or without BOM or Windows-1252, English or German
//! headers, times as RFC 3339 or as wall-clock times in the import's zone, and an optional
//! mapping of columns for headers nobody could guess.
//!
//! The file is read as a stream, never held as a whole, in passes. The first two learn its shape
//! (encoding, line breaks, delimiter) and refuse hostile input (binary data, megabyte lines, a
//! quote that never closes) before any row is read. The third checks every row and collects
//! every problem (listing up to `MAX_ERRORS`, counting all) so that the preview can show them,
//! and makes the decisions that need the whole file (the language of texts without a cue, which
//! message first informed an audience). The last hands the records over in batches. So memory
//! stays flat however many rows a table has, whether it is an upload in memory or a file on
//! disk.

mod bytes;
mod columns;
mod rows;
mod times;
mod vocab;

use std::ops::ControlFlow;

use self::bytes::{Decoded, csv_reason, decode_text, scan, sniff_delimiter, unclosed_quote};
use self::columns::{Columns, undecided_kind};
use self::rows::{Pass, Table};
use self::vocab::header_field;
use super::{
    ImportedIncident, ReadError, ReadOptions, ReadResult, RecordSink, Refusal, Source, StreamEnd,
};

/// No spreadsheet row people write is this long; a longer line is a dump or an attack, and the
/// CSV parser would otherwise hold all of it in memory as one record.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A preview with more errors than this is not read by anyone; the rest are only counted.
pub const MAX_ERRORS: usize = 1000;

/// Records handed over at a time: large enough to amortise, small enough to keep memory flat.
pub const BATCH_ROWS: usize = 2000;

/// True for a file that is a table this reader understands: a `.csv`, `.tsv` or `.txt` name, or
/// a first line with at least two cells that are known headers.
pub fn detect(file_name: &str, bytes: &[u8]) -> bool {
    let name = file_name.trim().to_ascii_lowercase();
    if [".csv", ".tsv", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return true;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    if line
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\r'))
    {
        return false;
    }
    let text = decode_text(line);
    let delimiter = sniff_delimiter(line);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {
            record.len() >= 2 && record.iter().filter(|h| header_field(h).is_some()).count() >= 2
        }
        _ => false,
    }
}

/// Reads the whole table as one `ImportedIncident` without incident (the records attach to the
/// incident chosen at import), or every problem of the file. Records keep file order.
/// Past `MAX_ERRORS`, a last error says how many more there are.
pub fn read(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadResult {
    let mut all = ImportedIncident::default();
    stream(file_name, &bytes, opts, false, &mut |batch| {
        all.events.extend(batch.events);
        all.messages.extend(batch.messages);
        all.mentions.extend(batch.mentions);
        all.recipients.extend(batch.recipients);
        ControlFlow::Continue(())
    })
    .map_err(|refusal| {
        let mut list = refusal.errors;
        let more = refusal.error_count.saturating_sub(list.len());
        if more > 0 {
            list.push(ReadError::file(
                file_name,
                format!(
                    "{more} more errors are not listed; fix the ones above and read the file again"
                ),
            ));
        }
        list
    })?;
    Ok(vec![all])
}

/// Reads the table and hands its records to `sink` in batches of `BATCH_ROWS`.
///
/// Problems with the file as a whole (encoding, headers, a broken quote) are an `Err`. Problems
/// of single rows are an `Err` too unless `skip_invalid`: then the valid rows are handed over
/// and the invalid ones come back in `StreamEnd::skipped`. Either way the first `MAX_ERRORS`
/// problems are listed and all are counted. Nothing reaches the sink before the
/// whole file has been checked, so a refused file costs the sink nothing.
pub fn stream(
    file_name: &str,
    source: &dyn Source,
    opts: &ReadOptions,
    skip_invalid: bool,
    sink: &mut RecordSink<'_>,
) -> Result<StreamEnd, Refusal> {
    let shape = scan(file_name, source).map_err(|e| vec![e])?;
    if let Some(line) = unclosed_quote(file_name, source, &shape).map_err(|e| vec![e])? {
        return Err(Refusal::from(vec![ReadError {
            file: file_name.to_string(),
            line: Some(line),
            record: None,
            field: String::new(),
            reason: "a cell opens a double quote (\") that is never closed, so the rest of the \
                     file would become one cell; close the quote or double a quote inside the \
                     text (\"\")"
                .to_string(),
        }]));
    }
    let text = Decoded::open(source, &shape)
        .map_err(|e| vec![ReadError::file(file_name, format!("cannot be read: {e}"))])?;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(shape.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = ::csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![ReadError::file(
                file_name,
                "is empty; a CSV file starts with a row of column names",
            )]
            .into());
        }
        Err(e) => return Err(vec![ReadError::file(file_name, csv_reason(&e))].into()),
    }
    let headers: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    let cols = Columns::resolve(file_name, &headers, &opts.column_mapping)?;
    let kind = match opts.record_kind.or_else(|| cols.record_kind()) {
        Some(kind) => kind,
        None => return Err(vec![undecided_kind(file_name, &headers)].into()),
    };
    let missing = cols.missing_columns(kind, opts);
    if !missing.is_empty() {
        let errors: Vec<ReadError> = missing
            .into_iter()
            .map(|(field, reason)| ReadError {
                file: file_name.to_string(),
                line: Some(1),
                record: None,
                field: field.to_string(),
                reason,
            })
            .collect();
        return Err(errors.into());
    }

    let table = |pass| Table::new(file_name, opts, &cols, &headers, source, shape, pass);
    let mut check = table(Pass::Check);
    if skip_invalid {
        check.keep_skipped_rows();
    }
    check.rows(kind)?;
    let mut checked = check.finish_check();
    let error_count = checked.errors.total();
    if error_count > 0 && !skip_invalid {
        return Err(Refusal {
            errors: checked.errors.list,
            error_count,
        });
    }
    let skipped = checked.errors.first_of_rows.take().unwrap_or_default();
    let mut emit = table(Pass::Emit {
        decisions: checked.decisions,
        sink,
    });
    emit.rows(kind)?;
    Ok(StreamEnd {
        delivered: emit.delivered(),
        skipped,
        error_count,
        errors: checked.errors.list,
    })
}

#[cfg(test)]
mod tests;
