//! HTML bodies to readable text, and the per-message language guess (SPEC §3).
//!
//! A hand tokenizer rather than html5ever: status-page bodies are fragments (a list, a link, a
//! few `<br>`), and a full HTML5 tree builder would be a heavy dependency for that. The tokenizer
//! never fails: anything it does not understand stays as text.

use std::borrow::Cow;

/// Tags whose content is never shown to a reader.
const HIDDEN_CONTENT: &[&str] = &["script", "style", "title", "template", "noscript"];

/// Tags that separate paragraphs (a blank line before and after).
const PARAGRAPH_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "figure",
    "form",
    "fieldset",
    "address",
    "dl",
    "hr",
];

/// Tags that start a new line but not a new paragraph.
const LINE_TAGS: &[&str] = &[
    "div", "tr", "dt", "dd", "caption", "option", "center", "body", "html",
];

/// Tag names `looks_like_html` accepts as evidence; `<1%` or `a <b> c` in prose must not count,
/// so only well-known names followed by `>`, `/` or whitespace do.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "html",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "script",
    "small",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Named entities seen in status-page text. Unknown names stay literal, which is readable.
const NAMED_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("auml", 'ä'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("Auml", 'Ä'),
    ("Ouml", 'Ö'),
    ("Uuml", 'Ü'),
    ("szlig", 'ß'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("agrave", 'à'),
    ("ccedil", 'ç'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("middot", '·'),
    ("bull", '•'),
    ("deg", '°'),
    ("times", '×'),
    ("rarr", '→'),
    ("larr", '←'),
    ("shy", '\u{ad}'),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
];

/// True when `s` contains markup that `html_to_text` should render: a well-known tag, a comment
/// or doctype, or an HTML entity.
pub fn looks_like_html(s: &str) -> bool {
    let bytes = s.as_bytes();
    for (i, _) in s.match_indices('<') {
        let rest = &s[i + 1..];
        if rest.starts_with("!--")
            || rest
                .get(..8)
                .is_some_and(|h| h.eq_ignore_ascii_case("!doctype"))
        {
            return true;
        }
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let after = rest.as_bytes().get(name_len).copied();
        if KNOWN_TAGS.contains(&name.as_str())
            && matches!(after, Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
        {
            return true;
        }
    }
    for (i, _) in s.match_indices('&') {
        let tail = &bytes[i + 1..];
        let Some(semi) = tail.iter().take(12).position(|&b| b == b';') else {
            continue;
        };
        let name = &s[i + 1..i + 1 + semi];
        if name.starts_with('#') && name.len() > 1 {
            return true;
        }
        if NAMED_ENTITIES.iter().any(|(n, _)| *n == name) {
            return true;
        }
    }
    false
}

/// Decodes character references. Unknown or malformed ones are kept as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .char_indices()
            .take(33)
            .find(|&(_, c)| c == ';')
            .and_then(|(semi, _)| decode_one(&after[..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn decode_one(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        // NUL and surrogates are not characters; the replacement character says something was there.
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{fffd}'),
        );
    }
    NAMED_ENTITIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, c)| c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Line,
    Paragraph,
}

/// Builds the text with at most one pending separator, so that nested blocks (`</li></ul></div>`)
/// produce one break, not three.
struct Writer {
    out: String,
    gap: Gap,
    /// Just after a list marker: block breaks would separate the marker from its text.
    in_fresh_item: bool,
}

impl Writer {
    fn new() -> Self {
        Self {
            out: String::new(),
            gap: Gap::None,
            in_fresh_item: false,
        }
    }

    fn request(&mut self, gap: Gap) {
        if self.in_fresh_item && gap > Gap::Space {
            return;
        }
        self.gap = self.gap.max(gap);
    }

    fn flush(&mut self) {
        match std::mem::replace(&mut self.gap, Gap::None) {
            Gap::None => {}
            Gap::Space => {
                if !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
                    self.out.push(' ');
                }
            }
            Gap::Line => self.newlines(1),
            Gap::Paragraph => self.newlines(2),
        }
    }

    fn trim_line_end(&mut self) {
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
    }

    fn newlines(&mut self, n: usize) {
        self.trim_line_end();
        if self.out.is_empty() {
            return;
        }
        let have = self.out.len() - self.out.trim_end_matches('\n').len();
        for _ in have..n {
            self.out.push('\n');
        }
    }

    fn hard_break(&mut self) {
        self.gap = Gap::None;
        self.trim_line_end();
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn word(&mut self, w: &str) {
        self.flush();
        self.out.push_str(w);
        self.in_fresh_item = false;
    }

    fn text(&mut self, s: &str) {
        let mut rest = s;
        while !rest.is_empty() {
            let ws = rest
                .char_indices()
                .find(|(_, c)| !c.is_whitespace())
                .map_or(rest.len(), |(i, _)| i);
            if ws > 0 {
                // A blank line in a text run is a paragraph break: Statuspage bodies mix plain
                // text paragraphs with a few tags, and their authors meant the blank lines.
                let newlines = rest[..ws].matches('\n').count();
                self.request(if newlines >= 2 {
                    Gap::Paragraph
                } else {
                    Gap::Space
                });
                rest = &rest[ws..];
                continue;
            }
            let end = rest
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
                .map_or(rest.len(), |(i, _)| i);
            self.word(&rest[..end]);
            rest = &rest[end..];
        }
    }

    fn preformatted(&mut self, s: &str) {
        self.flush();
        self.out.push_str(&s.replace('\u{a0}', " "));
        self.in_fresh_item = false;
    }

    fn finish(self) -> String {
        let mut out = String::with_capacity(self.out.len());
        let mut blank_run = 0;
        for line in self.out.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                blank_run += 1;
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
            }
            blank_run = 0;
            out.push_str(line);
        }
        out
    }
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

enum Token {
    Tag(Tag),
    /// Comments, doctypes, processing instructions.
    Ignored,
}

/// Reads one tag at the start of `s` (which starts with `<`). None when it is not a tag, so the
/// `<` is text, as browsers treat `<1%`.
fn read_tag(s: &str) -> Option<(Token, usize)> {
    let rest = &s[1..];
    if let Some(body) = rest.strip_prefix("!--") {
        let end = body.find("-->").map_or(s.len(), |i| 1 + 3 + i + 3);
        return Some((Token::Ignored, end));
    }
    if rest.starts_with(['!', '?']) {
        let end = s.find('>')?;
        return Some((Token::Ignored, end + 1));
    }
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let bytes = rest.as_bytes();
    let mut i = name_len;
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                self_closing = true;
                i += 1;
                continue;
            }
            Some(_) => {}
        }
        let start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let attr_name = rest[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = rest[i + 1..].find(q as char)? + i + 1;
                    value = decode_entities(&rest[i + 1..close]).into_owned();
                    i = close + 1;
                }
                _ => {
                    let vstart = i;
                    while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = decode_entities(&rest[vstart..i]).into_owned();
                }
            }
        }
        if !attr_name.is_empty() {
            self_closing = false;
            attrs.push((attr_name, value));
        }
    }
    let consumed = 1 + usize::from(closing) + i;
    Some((
        Token::Tag(Tag {
            name,
            closing,
            self_closing,
            attrs,
        }),
        consumed,
    ))
}

/// Byte offset just past the `</name …>` that closes a hidden element, or the end of `s`.
fn skip_hidden(s: &str, name: &str) -> usize {
    let lower = s.to_ascii_lowercase();
    let needle = format!("</{name}");
    match lower.find(&needle) {
        Some(at) => s[at..].find('>').map_or(s.len(), |gt| at + gt + 1),
        None => s.len(),
    }
}

struct ListState {
    ordered: bool,
    next: i64,
}

/// Readable text from an HTML fragment or page: paragraphs separated by a blank line, `<br>` as
/// a line break, list items as `- item` / `1. item` (nested lists indented by two spaces),
/// entities decoded, `<script>`/`<style>` content and all tags dropped, whitespace inside a
/// paragraph collapsed, links kept as `text (url)`.
pub fn html_to_text(html: &str) -> String {
    let src = html.replace("\r\n", "\n").replace('\r', "\n");
    let mut w = Writer::new();
    let mut lists: Vec<ListState> = Vec::new();
    let mut pre_depth = 0usize;
    // For each open <a>: its href and where its text starts, to avoid "url (url)".
    let mut links: Vec<(Option<String>, usize)> = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let rest = &src[i..];
        if rest.starts_with('<') {
            if let Some((token, used)) = read_tag(rest) {
                i += used;
                let Token::Tag(tag) = token else { continue };
                if !tag.closing && !tag.self_closing && HIDDEN_CONTENT.contains(&tag.name.as_str())
                {
                    i += skip_hidden(&src[i..], &tag.name);
                    continue;
                }
                handle_tag(&tag, &mut w, &mut lists, &mut pre_depth, &mut links);
                continue;
            }
            w.word("<");
            i += 1;
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = decode_entities(&rest[..end]);
        if pre_depth > 0 {
            w.preformatted(&text);
        } else {
            w.text(&text);
        }
        i += end;
    }
    w.finish()
}

fn handle_tag(
    tag: &Tag,
    w: &mut Writer,
    lists: &mut Vec<ListState>,
    pre_depth: &mut usize,
    links: &mut Vec<(Option<String>, usize)>,
) {
    let name = tag.name.as_str();
    match name {
        "br" => w.hard_break(),
        "ul" | "ol" | "menu" => {
            if tag.closing {
                lists.pop();
            }
            // A list inside a list item continues the outer list; a blank line would split it.
            w.request(if lists.is_empty() {
                Gap::Paragraph
            } else {
                Gap::Line
            });
            if !tag.closing && !tag.self_closing {
                let start = tag
                    .attr("start")
                    .and_then(|s| s.trim().parse::<i64>().ok())
                    .unwrap_or(1);
                lists.push(ListState {
                    ordered: name == "ol",
                    next: start,
                });
            }
        }
        "li" => {
            w.in_fresh_item = false;
            w.request(Gap::Line);
            if tag.closing {
                return;
            }
            w.flush();
            w.newlines(1);
            let depth = lists.len().max(1);
            let marker = match lists.last_mut() {
                Some(list) if list.ordered => {
                    let n = list.next;
                    list.next += 1;
                    format!("{n}. ")
                }
                _ => "- ".to_string(),
            };
            w.out.push_str(&"  ".repeat(depth - 1));
            w.out.push_str(&marker);
            w.in_fresh_item = true;
        }
        "pre" => {
            if tag.closing {
                *pre_depth = pre_depth.saturating_sub(1);
            } else {
                *pre_depth += 1;
            }
            w.request(Gap::Paragraph);
        }
        "a" => {
            if tag.closing {
                if let Some((Some(href), start)) = links.pop() {
                    let shown = w.out.get(start..).unwrap_or("");
                    let linkable = href.starts_with("http://")
                        || href.starts_with("https://")
                        || href.starts_with("mailto:");
                    if linkable && !shown.contains(href.trim_start_matches("mailto:")) {
                        w.request(Gap::Space);
                        w.word(&format!("({href})"));
                    }
                }
            } else if !tag.self_closing {
                w.flush();
                let href = tag.attr("href").map(|h| h.trim().to_string());
                links.push((href.filter(|h| !h.is_empty()), w.out.len()));
            }
        }
        "img" => {
            if let Some(alt) = tag.attr("alt").filter(|a| !a.trim().is_empty()) {
                w.request(Gap::Space);
                w.text(alt);
            }
        }
        "td" | "th" => w.request(Gap::Space),
        // Inside a list a blank line would end the list item; a line break keeps it together.
        _ if PARAGRAPH_TAGS.contains(&name) => w.request(if lists.is_empty() {
            Gap::Paragraph
        } else {
            Gap::Line
        }),
        _ if LINE_TAGS.contains(&name) => w.request(Gap::Line),
        // Inline tags (strong, em, span, …) only wrap text.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_breaks() {
        let html = "<p>First   paragraph\nstill first.</p><p>Second<br>line two<br/>line three</p>";
        assert_eq!(
            html_to_text(html),
            "First paragraph still first.\n\nSecond\nline two\nline three"
        );
    }

    #[test]
    fn lists_unordered_ordered_and_nested() {
        let html = "<p>Steps:</p><ol><li>Check</li><li>Fix<ul><li>a</li><li>b<ol start=\"3\"><li>deep</li></ol></li></ul></li><li>Done</li></ol><p>End</p>";
        assert_eq!(
            html_to_text(html),
            "Steps:\n\n1. Check\n2. Fix\n  - a\n  - b\n    3. deep\n3. Done\n\nEnd"
        );
        assert_eq!(
            html_to_text("<ul>\n  <li>\n    <p>one</p>\n  </li>\n  <li>two</li>\n</ul>"),
            "- one\n- two"
        );
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            html_to_text(
                "<p>AT&amp;T&nbsp;says &#39;hi&#x27; &lt;b&gt; &euro;5 &bogus; &#8211; ok</p>"
            ),
            "AT&T says 'hi' <b> €5 &bogus; – ok"
        );
        assert_eq!(decode_entities("a &amp b"), "a &amp b");
        assert_eq!(decode_entities("&#0;&#xD800;"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn scripts_styles_comments_and_tags_are_dropped() {
        let html = "<html><head><title>T</title><style>p{color:red}</style></head><body>\
                    <script type=\"text/javascript\">alert('<p>x</p>')</script><!-- hidden -->\
                    <div><span>Visible</span> <em>text</em></div></body></html>";
        assert_eq!(html_to_text(html), "Visible text");
    }

    #[test]
    fn windows_newlines_and_text_blank_lines() {
        let html = "Shutting down workers - hang tight!\r\n\r\n<a href=\"http://github.com/blog/680\">More</a>";
        assert_eq!(
            html_to_text(html),
            "Shutting down workers - hang tight!\n\nMore (http://github.com/blog/680)"
        );
        assert_eq!(
            html_to_text("<a href=\"https://x.test/\">https://x.test/</a>"),
            "https://x.test/"
        );
    }

    #[test]
    fn stray_angle_brackets_stay_text() {
        assert_eq!(
            html_to_text("<b>less than <1% of users</b>"),
            "less than <1% of users"
        );
        assert_eq!(html_to_text("a < b"), "a < b");
        assert_eq!(html_to_text("unterminated <p"), "unterminated <p");
    }

    #[test]
    fn legacy_github_list() {
        let html = "<ul><li><strong>2011-07-28 03:06:00</strong> - One of our file servers failed over.  Continuing.</li><li><strong>2011-07-28 05:43:00</strong> - Resolved!</li></ul>";
        assert_eq!(
            html_to_text(html),
            "- 2011-07-28 03:06:00 - One of our file servers failed over. Continuing.\n- 2011-07-28 05:43:00 - Resolved!"
        );
    }

    #[test]
    fn truncated_markup_never_panics() {
        let html = "<ul><li a=\"x>y\" b='z'><strong>Größe</strong> &auml;&#x1F600;<br/>\
                    <a href=x>l</a><script>1<2</script><!-- c --></li></ul><pre>  a\n b</pre>";
        for (i, _) in html.char_indices() {
            let _ = html_to_text(&html[..i]);
            let _ = looks_like_html(&html[..i]);
        }
        assert_eq!(
            html_to_text("<p>z</p><pre>  a\n b</pre>x"),
            "z\n\n  a\n b\n\nx"
        );
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("  <p> </p><br><br> "), "");
        assert!(!looks_like_html(""));
    }

    #[test]
    fn html_is_recognised_and_prose_is_not() {
        assert!(looks_like_html("<ul><li>x</li></ul>"));
        assert!(looks_like_html("Line<br/>next"));
        assert!(looks_like_html("Tom &amp; Jerry"));
        assert!(looks_like_html("<!DOCTYPE html><html>"));
        assert!(!looks_like_html("less than <1% of users"));
        assert!(!looks_like_html("if x<b"));
        assert!(!looks_like_html(
            "Plain text\r\n\r\nwith paragraphs & ampersands"
        ));
    }
}
