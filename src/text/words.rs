//! Words of a text with byte spans, for cue matching and term counting. Hyphens and apostrophes
//! inside a word keep it whole ("e-mail", "Status-SMS", "didn't").

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    /// Lowercase, ß folded to ss.
    pub lower: String,
    pub start: usize,
    pub end: usize,
    /// Punctuation other than a space separates this word from the previous one, so the two do
    /// not form a phrase ("fast, clear").
    pub after_break: bool,
}

pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (position, &(index, c)) in chars.iter().enumerate() {
        let joins = (c == '-' || c == '\'' || c == '’')
            && start.is_some()
            && chars
                .get(position + 1)
                .is_some_and(|(_, next)| next.is_alphanumeric());
        if c.is_alphanumeric() || joins {
            start.get_or_insert(index);
            continue;
        }
        if let Some(word_start) = start.take() {
            push(&mut words, text, word_start, index, last_end);
            last_end = index;
        }
    }
    if let Some(word_start) = start {
        push(&mut words, text, word_start, text.len(), last_end);
    }
    words
}

fn push<'a>(words: &mut Vec<Word<'a>>, text: &'a str, start: usize, end: usize, last_end: usize) {
    let gap = &text[last_end..start];
    let after_break = !words.is_empty() && gap.chars().any(|c| !c.is_whitespace());
    let word = &text[start..end];
    words.push(Word {
        text: word,
        lower: word.to_lowercase().replace('ß', "ss"),
        start,
        end,
        after_break,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_hyphens_and_mark_breaks() {
        let text = "Die Status-SMS kam – schnell, klar. Didn't Grüße";
        let found = words(text);
        let texts: Vec<&str> = found.iter().map(|w| w.text).collect();
        assert_eq!(
            texts,
            [
                "Die",
                "Status-SMS",
                "kam",
                "schnell",
                "klar",
                "Didn't",
                "Grüße"
            ]
        );
        let breaks: Vec<bool> = found.iter().map(|w| w.after_break).collect();
        assert_eq!(breaks, [false, false, false, true, true, true, false]);
        assert_eq!(found[6].lower, "grüsse");
        assert_eq!(&text[found[1].start..found[1].end], "Status-SMS");
    }

    #[test]
    fn trailing_hyphens_and_quotes_are_not_words() {
        let texts: Vec<String> = words("'ok' - x-").into_iter().map(|w| w.lower).collect();
        assert_eq!(texts, ["ok", "x"]);
    }
}
