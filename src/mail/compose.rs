use serde::Serialize;

use crate::templates::{TemplateError, Templates};

/// A rendered mail, ready for the outbox.
#[derive(Debug, Clone)]
pub struct ComposedMail {
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
}

/// Renders `email/<name>/{subject.txt,body.txt,body.html}` in `lang`.
pub fn compose<C: Serialize>(
    templates: &Templates,
    name: &str,
    lang: &str,
    ctx: &C,
) -> Result<ComposedMail, TemplateError> {
    let ctx = minijinja::context! { lang => lang, ..minijinja::Value::from_serialize(ctx) };
    let subject = templates.render(&format!("email/{name}/subject.txt"), &ctx)?;
    let body_text = templates.render(&format!("email/{name}/body.txt"), &ctx)?;
    let body_html = templates.render(&format!("email/{name}/body.html"), &ctx)?;
    Ok(ComposedMail {
        // A subject is one line: a newline in user-provided text must not start a new header.
        subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
        body_text,
        body_html,
    })
}

/// A Message-ID fixed when the mail is queued, so a retried delivery is recognisable.
pub fn new_message_id(public_url: &str) -> String {
    let host = url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "debrief.local".into());
    format!("<{}@{}>", crate::auth::new_token(), host)
}
