//! Line breaking with real glyph advances. Lines break after spaces, hyphens, en dashes and
//! slashes, and at soft hyphens (shown as "-" only when a line ends there); a word wider than
//! the line is cut between characters so nothing ever overflows.

use super::fonts::{Face, FontSet};

const SOFT_HYPHEN: char = '\u{AD}';

/// A piece of text up to and including a break opportunity.
struct Segment<'a> {
    /// Visible text, without a trailing space or soft hyphen.
    text: &'a str,
    /// A space follows: drawn inside a line, dropped at its end.
    space_after: bool,
    /// The segment ends at a soft hyphen: a hyphen is drawn if the line ends here.
    soft_hyphen: bool,
}

fn segments(paragraph: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        match c {
            ' ' | '\t' => {
                if i > start {
                    out.push(Segment {
                        text: &paragraph[start..i],
                        space_after: true,
                        soft_hyphen: false,
                    });
                } else if let Some(last) = out.last_mut() {
                    last.space_after = true;
                }
                start = end;
            }
            SOFT_HYPHEN => {
                out.push(Segment {
                    text: &paragraph[start..i],
                    space_after: false,
                    soft_hyphen: true,
                });
                start = end;
            }
            // A break after a hyphen or slash only between letters, as in compounds
            // ("E-Mail-Zustellung"); codes and numbers ("INC-2026-014", "-5 %") stay whole.
            '-' | '–' | '/' => {
                let next_is_letter = chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
                let previous_is_letter = paragraph[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic);
                if next_is_letter && previous_is_letter && i > start {
                    out.push(Segment {
                        text: &paragraph[start..end],
                        space_after: false,
                        soft_hyphen: false,
                    });
                    start = end;
                }
            }
            _ => {}
        }
    }
    if start < paragraph.len() {
        out.push(Segment {
            text: &paragraph[start..],
            space_after: false,
            soft_hyphen: false,
        });
    }
    out
}

/// The width of the widest piece of `text` that no line break can split: what a table column
/// needs so that it never cuts a word.
pub fn widest_unbreakable(fonts: &FontSet, text: &str, face: Face, size: f32) -> f32 {
    let text = fonts.printable_keeping_breaks(text, face);
    text.split('\n')
        .flat_map(|paragraph| {
            segments(paragraph)
                .into_iter()
                .map(|segment| {
                    fonts.width(segment.text, face, size)
                        + if segment.soft_hyphen {
                            fonts.width("-", face, size)
                        } else {
                            0.0
                        }
                })
                .collect::<Vec<_>>()
        })
        .fold(0.0, f32::max)
}

/// Breaks `text` into lines no wider than `width` at `size`. Newlines are hard breaks; an empty
/// input gives no lines.
pub fn wrap(fonts: &FontSet, text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
    let text = fonts.printable_keeping_breaks(text, face);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(fonts, paragraph, face, size, width, &mut lines);
    }
    while lines.last().is_some_and(|l: &String| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn wrap_paragraph(
    fonts: &FontSet,
    paragraph: &str,
    face: Face,
    size: f32,
    width: f32,
    lines: &mut Vec<String>,
) {
    let space = fonts.width(" ", face, size);
    let hyphen = fonts.width("-", face, size);
    let mut line = String::new();
    let mut line_width = 0.0;
    // Whether the line so far ends in a space to draw before the next segment.
    let mut pending_space = false;
    let mut pending_soft_hyphen = false;
    let segments = segments(paragraph);
    if segments.is_empty() {
        lines.push(String::new());
        return;
    }
    for segment in segments {
        let seg_width = fonts.width(segment.text, face, size);
        let gap = if pending_space { space } else { 0.0 };
        let room_needed = seg_width + if segment.soft_hyphen { hyphen } else { 0.0 };
        if !line.is_empty() && line_width + gap + room_needed > width {
            if pending_soft_hyphen {
                line.push('-');
            }
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        } else if pending_space && !line.is_empty() {
            line.push(' ');
            line_width += space;
        }
        if seg_width > width {
            // Too wide for any line: cut between characters, keeping the rest for the next line.
            let mut piece_width = 0.0;
            for c in segment.text.chars() {
                let w = fonts.width(c.encode_utf8(&mut [0; 4]), face, size);
                if line_width + piece_width + w > width && !(line.is_empty() && piece_width == 0.0)
                {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                    piece_width = 0.0;
                }
                line.push(c);
                piece_width += w;
            }
            line_width += piece_width;
        } else {
            line.push_str(segment.text);
            line_width += seg_width;
        }
        pending_space = segment.space_after;
        pending_soft_hyphen = segment.soft_hyphen;
    }
    lines.push(line);
}

impl FontSet {
    /// Like [`FontSet::printable`] but keeps newlines and soft hyphens for the line breaker.
    pub fn printable_keeping_breaks(&self, text: &str, face: Face) -> String {
        text.split('\n')
            .map(|line| {
                line.split(SOFT_HYPHEN)
                    .map(|part| self.printable(part, face))
                    .collect::<Vec<_>>()
                    .join("\u{AD}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportError;
    use crate::report::pdf::fonts::fonts;

    fn widest(fonts: &FontSet, lines: &[String], size: f32) -> f32 {
        lines
            .iter()
            .map(|l| fonts.width(l, Face::Regular, size))
            .fold(0.0, f32::max)
    }

    #[test]
    fn lines_fill_up_to_the_width_and_never_beyond() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let text = "Die Störung betraf alle Kundinnen und Kunden im Raum Zürich, die zwischen 09:12 und 10:40 Uhr keine Zahlungen auslösen konnten.";
        let lines = wrap(fonts, text, Face::Regular, 10.0, 150.0);
        assert!(lines.len() >= 4, "{lines:?}");
        assert!(widest(fonts, &lines, 10.0) <= 150.0);
        assert_eq!(lines.join(" "), text);
        Ok(())
    }

    #[test]
    fn hyphens_and_slashes_are_break_opportunities() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let text = "E-Mail-Benachrichtigungssystem/Statusseite";
        let width = fonts.width("E-Mail-Benachrichtigungssystem/", Face::Regular, 10.0) + 1.0;
        let lines = wrap(fonts, text, Face::Regular, 10.0, width);
        assert_eq!(
            lines,
            vec!["E-Mail-Benachrichtigungssystem/", "Statusseite"]
        );
        Ok(())
    }

    #[test]
    fn soft_hyphens_show_only_where_a_line_breaks() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let text = "Kommunikations\u{AD}richtlinie wirkt";
        let one_line = wrap(fonts, text, Face::Regular, 10.0, 500.0);
        assert_eq!(one_line, vec!["Kommunikationsrichtlinie wirkt"]);
        let width = fonts.width("Kommunikations-", Face::Regular, 10.0) + 1.0;
        let broken = wrap(fonts, text, Face::Regular, 10.0, width);
        assert_eq!(broken[0], "Kommunikations-");
        assert_eq!(broken[1..].join(" "), "richtlinie wirkt");
        Ok(())
    }

    #[test]
    fn an_overlong_word_is_cut_without_overflow() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen";
        let lines = wrap(fonts, word, Face::Regular, 10.0, 60.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(widest(fonts, &lines, 10.0) <= 60.0);
        assert_eq!(lines.concat(), word);
        Ok(())
    }

    #[test]
    fn codes_and_numbers_are_not_broken_at_their_hyphens() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let width = fonts.width("INC-2026", Face::Regular, 10.0);
        let lines = wrap(fonts, "INC-2026-014", Face::Regular, 10.0, width * 3.0);
        assert_eq!(lines, vec!["INC-2026-014"]);
        let widest =
            widest_unbreakable(fonts, "E-Mail-Zustellung INC-2026-014", Face::Regular, 10.0);
        assert!((widest - fonts.width("INC-2026-014", Face::Regular, 10.0)).abs() < 0.01);
        Ok(())
    }

    #[test]
    fn newlines_are_kept_and_empty_text_gives_no_lines() -> Result<(), ReportError> {
        let fonts = fonts()?;
        assert_eq!(
            wrap(fonts, "a\nb", Face::Regular, 10.0, 100.0),
            vec!["a", "b"]
        );
        assert!(wrap(fonts, "", Face::Regular, 10.0, 100.0).is_empty());
        Ok(())
    }
}
