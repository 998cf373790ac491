//! Words of a free-text answer with their byte spans and the punctuation around them.

/// One whitespace-separated word with surrounding punctuation removed, as VADER reads text.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub start: usize,
    pub end: usize,
    /// Lowercase; German additionally folds ß to ss so Swiss and German spellings meet.
    pub lower: String,
    /// Written in capitals ("UNACCEPTABLE"); words without letters are never capitals.
    pub upper: bool,
    /// Punctuation (`,` `;` `:` `.` `!` `?` dashes) or the end of the text follows: a clause ends here.
    pub ends_clause: bool,
    /// `.` `!` `?` or the end of the text follows.
    pub ends_sentence: bool,
}

impl Token {
    pub fn is(&self, word: &str) -> bool {
        self.lower == word
    }

    pub fn is_any(&self, words: &[&str]) -> bool {
        words.contains(&self.lower.as_str())
    }
}

/// Splits `text` at whitespace. A piece that `keep_whole` accepts (an emoticon such as `:-)`) is
/// kept with its punctuation; otherwise leading and trailing punctuation is stripped and a piece
/// of punctuation only (a dash, "!!!") marks the end of the previous clause.
pub(super) fn tokenise(
    text: &str,
    fold_sharp_s: bool,
    keep_whole: impl Fn(&str) -> bool,
) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for (piece_start, piece) in whitespace_pieces(text) {
        let lower_piece = piece.to_lowercase();
        let (start, word) = if keep_whole(&lower_piece) {
            (piece_start, piece)
        } else {
            let trimmed_front = piece.trim_start_matches(|c: char| !c.is_alphanumeric());
            let word = trimmed_front.trim_end_matches(|c: char| !c.is_alphanumeric());
            (piece_start + piece.len() - trimmed_front.len(), word)
        };
        if word.is_empty() {
            if let Some(previous) = tokens.last_mut() {
                mark_boundaries(previous, piece);
            }
            continue;
        }
        let end = start + word.len();
        let trailing = &text[end..piece_start + piece.len()];
        let mut lower = word.to_lowercase();
        if fold_sharp_s {
            lower = lower.replace('ß', "ss");
        }
        let mut token = Token {
            start,
            end,
            lower,
            upper: is_capitals(word),
            ends_clause: false,
            ends_sentence: false,
        };
        mark_boundaries(&mut token, trailing);
        tokens.push(token);
    }
    if let Some(last) = tokens.last_mut() {
        last.ends_clause = true;
        last.ends_sentence = true;
    }
    tokens
}

fn mark_boundaries(token: &mut Token, punctuation: &str) {
    if punctuation.contains(['.', '!', '?', '…']) {
        token.ends_sentence = true;
        token.ends_clause = true;
    }
    if punctuation.contains([',', ';', ':', '–', '—', '-', '(', ')']) {
        token.ends_clause = true;
    }
}

fn whitespace_pieces(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |piece| (piece.as_ptr() as usize - text.as_ptr() as usize, piece))
}

/// Python's `str.isupper`: at least one cased letter and no lowercase one.
fn is_capitals(word: &str) -> bool {
    word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_spans_and_clause_ends() {
        let text = "Na toll, UNVERSCHÄMT – Grüße!";
        let tokens = tokenise(text, true, |_| false);
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Na", "toll", "UNVERSCHÄMT", "Grüße"]);
        assert_eq!(tokens[3].lower, "grüsse");
        assert!(tokens[1].ends_clause && !tokens[1].ends_sentence);
        assert!(
            tokens[2].ends_clause,
            "a free-standing dash ends the clause"
        );
        assert!(tokens[2].upper && !tokens[1].upper);
        assert!(!tokens[0].ends_clause);
        assert!(tokens[3].ends_sentence);
    }

    #[test]
    fn emoticons_survive_when_kept_whole() {
        let text = "ok :-) fine";
        let tokens = tokenise(text, false, |piece| piece == ":-)");
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["ok", ":-)", "fine"]);
        let stripped = tokenise("ok :-) fine", false, |_| false);
        assert_eq!(stripped.len(), 2);
    }

    #[test]
    fn capitals_need_a_letter() {
        assert!(is_capitals("SMS"));
        assert!(!is_capitals("42"));
        assert!(!is_capitals("Gut"));
    }
}
