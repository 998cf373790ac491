//! The content elements of SCORING §2 (E1–E10) with their codebook label names.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    E1,
    E2,
    E3,
    E4,
    E5,
    E6,
    E7,
    E8,
    E9,
    E10,
}

impl Element {
    pub const ALL: [Element; 10] = [
        Element::E1,
        Element::E2,
        Element::E3,
        Element::E4,
        Element::E5,
        Element::E6,
        Element::E7,
        Element::E8,
        Element::E9,
        Element::E10,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn id(self) -> &'static str {
        ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10"][self.index()]
    }

    /// The codebook's label name.
    pub fn label(self) -> &'static str {
        [
            "E1_symptom",
            "E2_service",
            "E3_scope",
            "E4_action",
            "E5_next_update",
            "E6_workaround",
            "E7_help",
            "E8_time_window",
            "E9_data",
            "E10_cause",
        ][self.index()]
    }
}
