//! The closed label vocabularies of the codebook (shared/data/CODEBOOK.md), shared by the text
//! analysis, the timeliness rules and the reports.

crate::text_enum!(Apology {
    None = "none",
    Formulaic = "formulaic",
    Full = "full",
});

crate::text_enum!(Blame {
    None = "none",
    ThirdParty = "third_party",
    Individual = "individual",
    User = "user",
});

crate::text_enum!(
    /// A stated time of resolution: `hedged` ("we expect", "voraussichtlich"), `definitive`
    /// ("will be fixed by 14:00").
    EtaKind { None = "none", Hedged = "hedged", Definitive = "definitive" }
);

crate::text_enum!(
    /// Who reads a message, as far as wording goes: jargon is flagged for lay readers and
    /// management, not for technical teams.
    Readers { Lay = "lay", Technical = "technical", Management = "management" }
);
