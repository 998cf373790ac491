//! The report font (Noto Sans, OFL, `assets/fonts/`): glyph advances for line breaking and chart
//! labels, and the subsets embedded in a PDF. One set of metrics serves the PDF and the SVG
//! charts, so a chart is laid out the same in both.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::report::ReportError;

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Italic.ttf");

/// The family name charts put into SVG, with fallbacks for browsers that lack it.
pub const SVG_FONT_FAMILY: &str = "Noto Sans, Helvetica Neue, Arial, sans-serif";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
            Face::Italic => ITALIC,
        }
    }
}

/// Advances below this code point are kept in a flat table: it covers Latin, general punctuation
/// (quotes, dashes) and the euro sign, i.e. nearly every character a report measures.
const TABLE_LIMIT: usize = 0x2100;

struct FaceMetrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Advance in em per code point below `TABLE_LIMIT`; negative where the font has no glyph.
    advances: Vec<f32>,
}

impl FaceMetrics {
    fn load(face: Face) -> Result<Self, ReportError> {
        let parsed = ttf_parser::Face::parse(face.bytes(), 0)
            .map_err(|e| ReportError::Font(format!("{face:?}: {e}")))?;
        let units_per_em = f32::from(parsed.units_per_em());
        let advances = (0..TABLE_LIMIT as u32)
            .map(|cp| {
                char::from_u32(cp)
                    .and_then(|c| parsed.glyph_index(c))
                    .and_then(|gid| parsed.glyph_hor_advance(gid))
                    .map_or(-1.0, |adv| f32::from(adv) / units_per_em)
            })
            .collect();
        Ok(Self {
            face: parsed,
            units_per_em,
            advances,
        })
    }

    fn advance(&self, c: char) -> Option<f32> {
        match self.advances.get(c as usize) {
            Some(adv) if *adv >= 0.0 => Some(*adv),
            Some(_) => None,
            None => self
                .face
                .glyph_index(c)
                .and_then(|gid| self.face.glyph_hor_advance(gid))
                .map(|adv| f32::from(adv) / self.units_per_em),
        }
    }
}

pub struct FontSet {
    faces: [FaceMetrics; 3],
}

static FONTS: OnceLock<Result<FontSet, ReportError>> = OnceLock::new();

/// The parsed fonts, loaded once per process.
pub fn fonts() -> Result<&'static FontSet, ReportError> {
    FONTS
        .get_or_init(|| {
            Ok(FontSet {
                faces: [
                    FaceMetrics::load(Face::Regular)?,
                    FaceMetrics::load(Face::Bold)?,
                    FaceMetrics::load(Face::Italic)?,
                ],
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl FontSet {
    fn metrics(&self, face: Face) -> &FaceMetrics {
        &self.faces[face as usize]
    }

    /// Width of `text` at `size` (same unit as `size`). Characters without a glyph are measured
    /// as the replacement that [`FontSet::printable`] puts in their place.
    pub fn width(&self, text: &str, face: Face, size: f32) -> f32 {
        let metrics = self.metrics(face);
        let fallback = metrics.advance('?').unwrap_or(0.5);
        text.chars()
            .map(|c| metrics.advance(c).unwrap_or(fallback))
            .sum::<f32>()
            * size
    }

    /// `text` with control characters removed and characters the font cannot show replaced by
    /// `?`, so what is measured is what is drawn and no glyph comes out as an empty box.
    pub fn printable(&self, text: &str, face: Face) -> String {
        let metrics = self.metrics(face);
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| if metrics.advance(c).is_some() { c } else { '?' })
            .collect()
    }

    /// The font program for `face` reduced to the characters in `used`, with the code point to
    /// glyph map of the reduced font (the subset renumbers glyphs and drops the font's own cmap).
    pub fn subset(&self, face: Face, used: &BTreeSet<char>) -> Result<FontSubset, ReportError> {
        let metrics = self.metrics(face);
        let mut remapper = subsetter::GlyphRemapper::new();
        let mut original = BTreeMap::new();
        for &c in used {
            if let Some(gid) = metrics.face.glyph_index(c) {
                remapper.remap(gid.0);
                original.insert(c, gid.0);
            }
        }
        let bytes = subsetter::subset(face.bytes(), 0, &remapper)
            .map_err(|e| ReportError::Font(format!("subsetting {face:?}: {e}")))?;
        let glyphs = original
            .into_iter()
            .filter_map(|(c, gid)| remapper.get(gid).map(|new| (c, new)))
            .collect();
        Ok(FontSubset { bytes, glyphs })
    }
}

pub struct FontSubset {
    pub bytes: Vec<u8>,
    pub glyphs: BTreeMap<char, u16>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_german_and_typographic_characters() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let sample = "äöüÄÖÜß € „Anführung“ “quotes” ‘x’ – — …";
        assert_eq!(fonts.printable(sample, Face::Regular), sample);
        assert_eq!(fonts.printable(sample, Face::Bold), sample);
        Ok(())
    }

    #[test]
    fn widths_grow_with_text_and_size_and_bold_is_wider() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let narrow = fonts.width("iii", Face::Regular, 10.0);
        let wide = fonts.width("MMM", Face::Regular, 10.0);
        assert!(wide > narrow * 2.0, "{wide} vs {narrow}");
        let double = fonts.width("Störung", Face::Regular, 20.0);
        let single = fonts.width("Störung", Face::Regular, 10.0);
        assert!((double - 2.0 * single).abs() < 1e-3);
        assert!(fonts.width("Störung", Face::Bold, 10.0) > single);
        Ok(())
    }

    #[test]
    fn characters_without_a_glyph_become_question_marks() -> Result<(), ReportError> {
        let fonts = fonts()?;
        assert_eq!(fonts.printable("a\u{1F600}b\u{7}", Face::Regular), "a?b");
        Ok(())
    }

    #[test]
    fn a_subset_is_much_smaller_and_maps_every_used_character() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let used: BTreeSet<char> = "Störung €".chars().collect();
        let subset = fonts.subset(Face::Regular, &used)?;
        assert!(
            subset.bytes.len() < REGULAR.len() / 10,
            "{}",
            subset.bytes.len()
        );
        assert_eq!(subset.glyphs.len(), used.len());
        assert!(subset.glyphs.values().all(|gid| *gid > 0));
        Ok(())
    }
}
