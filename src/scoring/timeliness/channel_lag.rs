//! Channel lag: for one audience, how long after its first message each further channel carried
//! the news. People who only read e-mail learn of the incident when the e-mail comes, however early
//! the status page was.

use super::context::{AudienceContext, Costed, minutes};
use super::measure::minutes_between;
use super::report::ChannelLag;
use super::wording::{channel_de, channel_en};
use crate::scoring::FindingSeverity;

pub struct ChannelLags {
    pub lags: Vec<ChannelLag>,
    /// Findings about the audience that cost no points: channel lag is not part of the score.
    pub findings: Vec<Costed>,
}

pub fn channel_lags(ctx: &AudienceContext) -> ChannelLags {
    let mut lags: Vec<ChannelLag> = Vec::new();
    let Some(first) = ctx.messages.first() else {
        return ChannelLags {
            lags,
            findings: Vec::new(),
        };
    };
    let interval = ctx.interval_min();
    // Messages are in time order, so the first one seen per channel is its first message.
    for m in &ctx.messages {
        if lags.iter().any(|l| l.channel == m.channel) {
            continue;
        }
        let lag_min = minutes_between(first.sent_at, m.sent_at);
        lags.push(ChannelLag {
            channel: m.channel,
            first_at: m.sent_at,
            lag_min,
            exceeds_interval: lag_min > interval,
        });
    }
    let i = minutes(interval);
    let (lead_en, lead_de) = (channel_en(first.channel), channel_de(first.channel));
    let (first_en, first_de) = (ctx.clock.en(first.sent_at), ctx.clock.de(first.sent_at));
    let findings = lags
        .iter()
        .filter(|l| l.exceeds_interval)
        .map(|l| {
            let d = minutes(l.lag_min);
            let mut f = ctx.finding(
                "channel_lag",
                FindingSeverity::Amber,
                format!(
                    "{} heard first on {lead_en} at {first_en}, but on {} only at {}, {} later; that is more than the {} update interval.",
                    ctx.name_en(),
                    channel_en(l.channel),
                    ctx.clock.en(l.first_at),
                    d.en,
                    i.en
                ),
                format!(
                    "{}: zuerst per {lead_de} um {first_de}, per {} erst um {}, {} später; das ist mehr als das Update-Intervall von {}.",
                    ctx.name_de(),
                    channel_de(l.channel),
                    ctx.clock.de(l.first_at),
                    d.de,
                    i.de
                ),
            );
            f.gap = Some((first.sent_at, l.first_at));
            Costed::free(f)
        })
        .collect();
    ChannelLags { lags, findings }
}
