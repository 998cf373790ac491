//! Markdown as status pages and review notes write it.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// Readable plain text: paragraphs separated by a blank line, list items as `- ` or `1. `,
/// emphasis and links reduced to their words (a link keeps its address in brackets when the
/// words do not show it).
pub fn to_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Option<(String, usize)> = None;
    let newline = |out: &mut String, blank: bool| {
        let trimmed = out.trim_end_matches([' ', '\t']).len();
        out.truncate(trimmed);
        if out.is_empty() {
            return;
        }
        let want = if blank { "\n\n" } else { "\n" };
        while !out.ends_with(want) {
            out.push('\n');
        }
    };
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    ) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::BlockQuote(_)) => {
                newline(&mut out, lists.is_empty());
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::BlockQuote(_)) => {
                newline(&mut out, lists.is_empty());
            }
            Event::Start(Tag::List(start)) => {
                newline(&mut out, lists.is_empty());
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                newline(&mut out, lists.is_empty());
            }
            Event::Start(Tag::Item) => {
                newline(&mut out, false);
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), out.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = link.take() {
                    let words = &out[start..];
                    if !url.is_empty() && !words.contains(url.trim_start_matches("mailto:")) {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => newline(&mut out, false),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => newline(&mut out, true),
            // Raw HTML in Markdown is shown as the text it contains, never as markup.
            Event::Html(h) | Event::InlineHtml(h) => {
                out.push_str(&crate::import::html::html_to_text(&h));
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Safe HTML for text people wrote (review sections, contributions): Markdown's formatting,
/// but raw HTML is shown as text, links only to `http(s)` and `mailto` addresses (others keep
/// their words only), and images become their description, so a page never loads anything from
/// elsewhere.
pub fn to_html(markdown: &str) -> String {
    let mut images = 0usize;
    let mut link_stack: Vec<bool> = Vec::new();
    let events = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .filter_map(|event| match event {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Image { .. }) => {
            images += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            images = images.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let allowed = images == 0 && (link_type == LinkType::Email || safe_link(&dest_url));
            link_stack.push(allowed);
            allowed.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => match link_stack.pop() {
            Some(true) => Some(Event::End(TagEnd::Link)),
            _ => None,
        },
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// Addresses a link may point to; everything else (`javascript:`, `data:`, relative paths)
/// is not followed.
fn safe_link(url: &str) -> bool {
    let u = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| u.starts_with(scheme) && u.len() > scheme.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_emphasis() {
        let md = "**Summary:**\nEmail is down.\n\n**Workaround:**\n- use webmail\n- call 1234\n\n1. one\n2. two";
        assert_eq!(
            to_text(md),
            "Summary: Email is down.\n\nWorkaround:\n\n- use webmail\n- call 1234\n\n1. one\n2. two"
        );
    }

    #[test]
    fn links_keep_their_address_when_hidden() {
        assert_eq!(
            to_text("See [our status page](https://status.example.com) or <https://x.example>."),
            "See our status page (https://status.example.com) or https://x.example."
        );
    }

    #[test]
    fn html_inside_is_text() {
        // Tags vanish; what was between them is only text.
        assert_eq!(to_text("a <script>alert(1)</script> b"), "a alert(1) b");
        assert_eq!(to_text("# Titel\nÄnderung"), "Titel\n\nÄnderung");
    }

    #[test]
    fn html_keeps_formatting_lists_and_web_links() {
        let html =
            to_html("**Wichtig:** siehe [Status](https://status.example.ch)\n\n- eins\n- zwei");
        assert!(html.contains("<strong>Wichtig:</strong>"), "{html}");
        assert!(
            html.contains("<a href=\"https://status.example.ch\">Status</a>"),
            "{html}"
        );
        assert!(html.contains("<li>eins</li>"), "{html}");
        assert!(to_html("<it@firma.ch>").contains("href=\"mailto:it@firma.ch\""));
    }

    /// Every tag of the output: its name and attributes (a literal `<` in output HTML always
    /// starts a tag, as text is escaped to `&lt;`).
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut out = Vec::new();
        for part in html.split('<').skip(1) {
            let inner = &part[..part.find('>').expect("closed tag")];
            let inner = inner.trim_start_matches('/').trim_end_matches('/');
            let (name, mut rest) = inner.split_once(' ').unwrap_or((inner, ""));
            let mut attrs = Vec::new();
            while let Some((key, after)) = rest.trim_start().split_once("=\"") {
                let end = after.find('"').expect("quoted attribute");
                attrs.push((key.to_string(), after[..end].to_string()));
                rest = &after[end + 1..];
            }
            assert!(rest.trim().is_empty(), "unquoted attribute in <{inner}>");
            out.push((name.to_string(), attrs));
        }
        out
    }

    #[test]
    fn xss_attempts_render_inert() {
        let attempts = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](&#106;avascript:alert(1))",
            "[click]( javascript:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[click](//evil.example)",
            "<javascript:alert(1)>",
            "![tracker](https://evil.example/pixel.png)",
            "[![x](https://evil.example/i.png)](https://evil.example)",
            "[ok](https://example.com \"t\\\" onmouseover=\\\"alert(1)\")",
            "[ok](https://example.com/\"onmouseover=\"alert(1))",
            "<div onclick=\"alert(1)\">\n\n*x*\n\n</div>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "`<script>` and\n\n    <script>alert(1)</script>",
            "<style>body{display:none}</style>",
        ];
        let allowed = [
            "p",
            "strong",
            "em",
            "del",
            "a",
            "ul",
            "ol",
            "li",
            "code",
            "pre",
            "blockquote",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "br",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        ];
        for md in attempts {
            let html = to_html(md);
            for (name, attrs) in tags(&html) {
                assert!(
                    allowed.contains(&name.as_str()),
                    "{md:?} made <{name}>: {html}"
                );
                for (key, value) in attrs {
                    match key.as_str() {
                        "href" => assert!(
                            value.starts_with("https://") || value.starts_with("mailto:"),
                            "{md:?} links to {value}: {html}"
                        ),
                        "title" | "style" if name == "th" || name == "td" || key == "title" => {}
                        other => panic!("{md:?} has attribute {other}: {html}"),
                    }
                }
            }
        }
        // What was written stays readable as text.
        assert!(
            to_html("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        assert_eq!(to_html("[click](javascript:alert(1))"), "<p>click</p>\n");
        assert_eq!(
            to_html("![tracker](https://evil.example/p.png)"),
            "<p>tracker</p>\n"
        );
    }
}
