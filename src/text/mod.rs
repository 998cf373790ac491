//! Language tools shared by import, scoring and surveys: pure functions over text.

pub mod aspects;
pub mod language;
pub mod markdown;
pub mod sentiment;
pub mod themes;
pub mod words;

pub use aspects::{Aspect, AspectMention, distinct_aspects, tag_aspects, tag_aspects_in};
pub use language::{detect_language, detect_language_or};
pub use sentiment::{Polarity, Sentiment, SentimentCue, analyse_sentiment, analyse_sentiment_in};
pub use themes::{Theme, ThemeLimits, find_themes};
