//! Colours and marks shared by the charts and the PDF pages. Series colours are Okabe–Ito
//! (distinguishable with the common colour-vision deficiencies); every series also gets its own
//! marker shape, and fills are chosen with distinct grey values, so a report printed in black
//! and white still tells the series apart.

use serde::Serialize;

use super::model::FindingSeverity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// The colour mixed with white, `amount` 0 (unchanged) … 1 (white): used instead of
    /// transparency, which prints unpredictably.
    pub fn tint(self, amount: f64) -> Rgb {
        let mix =
            |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * amount.clamp(0.0, 1.0)).round() as u8;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }

    /// Relative luminance 0–1 (sRGB weights), what a greyscale printer keeps of a colour.
    pub fn grey_value(self) -> f64 {
        (0.2126 * f64::from(self.0) + 0.7152 * f64::from(self.1) + 0.0722 * f64::from(self.2))
            / 255.0
    }
}

/// Text and rules.
pub const INK: Rgb = Rgb(0x1D, 0x24, 0x33);
pub const MUTED: Rgb = Rgb(0x5B, 0x64, 0x72);
pub const RULE: Rgb = Rgb(0xC9, 0xCE, 0xD6);
pub const PANEL: Rgb = Rgb(0xF3, 0xF5, 0xF8);
pub const ACCENT: Rgb = Rgb(0x00, 0x5A, 0x8C);

/// Okabe–Ito, ordered so that neighbouring series differ most in grey value.
pub const SERIES: [Rgb; 7] = [
    Rgb(0x00, 0x72, 0xB2), // blue
    Rgb(0xE6, 0x9F, 0x00), // orange
    Rgb(0x00, 0x9E, 0x73), // bluish green
    Rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgb(0x56, 0xB4, 0xE9), // sky blue
    Rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgb(0x00, 0x00, 0x00), // black
];

/// Highlight for what went wrong (late, broken promise).
pub const ALERT: Rgb = Rgb(0xD5, 0x5E, 0x00);
/// Highlight for what went right.
pub const GOOD: Rgb = Rgb(0x00, 0x9E, 0x73);
pub const TARGET: Rgb = Rgb(0x1D, 0x24, 0x33);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
    InvertedTriangle,
    Plus,
}

const MARKERS: [Marker; 7] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::InvertedTriangle,
    Marker::Cross,
    Marker::Plus,
];

/// Colour and marker of the n-th series (audience); both repeat only after seven series.
pub fn series(index: usize) -> (Rgb, Marker) {
    (SERIES[index % SERIES.len()], MARKERS[index % MARKERS.len()])
}

pub fn severity_colour(severity: FindingSeverity) -> Rgb {
    match severity {
        FindingSeverity::Red => Rgb(0xD5, 0x5E, 0x00),
        FindingSeverity::Amber => Rgb(0xE6, 0x9F, 0x00),
        FindingSeverity::Info => Rgb(0x56, 0xB4, 0xE9),
        FindingSeverity::Good => Rgb(0x00, 0x9E, 0x73),
    }
}

/// Diverging fills for ordered answer categories, most negative first: orange side to purple
/// side (colour-blind safe), with grey values that differ between every neighbouring pair.
pub fn likert_fills(categories: usize) -> Vec<Rgb> {
    const FIVE: [Rgb; 5] = [
        Rgb(0xB3, 0x58, 0x06),
        Rgb(0xF1, 0xA3, 0x40),
        Rgb(0xE6, 0xE6, 0xE6),
        Rgb(0x99, 0x8E, 0xC3),
        Rgb(0x3F, 0x2A, 0x7D),
    ];
    match categories {
        0 => Vec::new(),
        1 => vec![FIVE[4]],
        2 => vec![FIVE[0], FIVE[4]],
        3 => vec![FIVE[0], FIVE[2], FIVE[4]],
        4 => vec![FIVE[0], FIVE[1], FIVE[3], FIVE[4]],
        5 => FIVE.to_vec(),
        n => (0..n)
            .map(|i| {
                let t = i as f64 / (n - 1) as f64;
                let (from, to) = if t < 0.5 {
                    (FIVE[0], FIVE[2])
                } else {
                    (FIVE[2], FIVE[4])
                };
                let local = if t < 0.5 { t * 2.0 } else { (t - 0.5) * 2.0 };
                let mix = |a: u8, b: u8| {
                    (f64::from(a) + (f64::from(b) - f64::from(a)) * local).round() as u8
                };
                Rgb(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_series_differ_in_grey() {
        for pair in SERIES.windows(2) {
            let diff = (pair[0].grey_value() - pair[1].grey_value()).abs();
            assert!(diff > 0.08, "{:?} vs {:?}: {diff}", pair[0], pair[1]);
        }
    }

    #[test]
    fn likert_fills_have_distinct_neighbouring_greys() {
        for n in 2..=5 {
            let fills = likert_fills(n);
            assert_eq!(fills.len(), n);
            for pair in fills.windows(2) {
                let diff = (pair[0].grey_value() - pair[1].grey_value()).abs();
                assert!(
                    diff > 0.05,
                    "{n} categories: {:?} vs {:?}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn tints_move_towards_white() {
        assert_eq!(Rgb(0, 100, 200).tint(0.0), Rgb(0, 100, 200));
        assert_eq!(Rgb(0, 100, 200).tint(1.0), Rgb::WHITE);
        assert!(Rgb(0, 100, 200).tint(0.5).grey_value() > Rgb(0, 100, 200).grey_value());
    }
}
