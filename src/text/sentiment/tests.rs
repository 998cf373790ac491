use super::*;

fn en(text: &str) -> Sentiment {
    analyse_sentiment_in(text, Language::En)
}

fn de(text: &str) -> Sentiment {
    analyse_sentiment_in(text, Language::De)
}

fn rules_of(sentiment: &Sentiment) -> Vec<(&str, CueRule)> {
    sentiment
        .cues
        .iter()
        .map(|cue| (cue.text.as_str(), cue.rule))
        .collect()
}

/// VADER's normalisation of a hand-computed valence sum, rounded like the compound.
fn expected_compound(sum: f64) -> f64 {
    round(sum / (sum * sum + 15.0).sqrt(), 4)
}

#[test]
fn english_matches_the_vader_reference() {
    // (text, compound, neg, neu, pos) as printed by vaderSentiment 3.3.2's polarity_scores
    let reference = [
        (
            "VADER is smart, handsome, and funny.",
            0.8316,
            0.0,
            0.254,
            0.746,
        ),
        (
            "VADER is smart, handsome, and funny!",
            0.8439,
            0.0,
            0.248,
            0.752,
        ),
        (
            "VADER is very smart, handsome, and funny.",
            0.8545,
            0.0,
            0.299,
            0.701,
        ),
        (
            "VADER is VERY SMART, handsome, and FUNNY.",
            0.9227,
            0.0,
            0.246,
            0.754,
        ),
        (
            "VADER is VERY SMART, handsome, and FUNNY!!!",
            0.9342,
            0.0,
            0.233,
            0.767,
        ),
        (
            "VADER is not smart, handsome, nor funny.",
            -0.7424,
            0.646,
            0.354,
            0.0,
        ),
        ("The book was good.", 0.4404, 0.0, 0.508, 0.492),
        (
            "At least it isn't a horrible book.",
            0.431,
            0.0,
            0.678,
            0.322,
        ),
        ("The book was only kind of good.", 0.3832, 0.0, 0.697, 0.303),
        (
            "The plot was good, but the characters are uncompelling and the dialog is not great.",
            -0.7042,
            0.327,
            0.579,
            0.094,
        ),
        ("Today SUX!", -0.5461, 0.779, 0.221, 0.0),
        ("Not bad at all", 0.431, 0.0, 0.513, 0.487),
        (
            "Sentiment analysis has never been good.",
            -0.3412,
            0.325,
            0.675,
            0.0,
        ),
        (
            "Sentiment analysis has never been this good!",
            0.5672,
            0.0,
            0.621,
            0.379,
        ),
        (
            "Roger Dodger is one of the least compelling variations on this theme.",
            -0.1695,
            0.132,
            0.868,
            0.0,
        ),
        (
            "Without a doubt, excellent idea.",
            0.7013,
            0.0,
            0.341,
            0.659,
        ),
        (
            "I am very angry about how this was handled.",
            -0.5563,
            0.31,
            0.69,
            0.0,
        ),
    ];
    for (text, compound, negative, neutral, positive) in reference {
        let s = en(text);
        assert_eq!(
            (s.compound, s.negative, s.neutral, s.positive),
            (compound, negative, neutral, positive),
            "{text}"
        );
    }
}

#[test]
fn english_negation() {
    assert_eq!(en("helpful").compound, expected_compound(1.8));
    assert_eq!(en("not helpful").compound, expected_compound(1.8 * -0.74));
    assert_eq!(en("The e-mail wasn't clear").polarity, Polarity::Negative);
    assert_eq!(en("The e-mail was clear").polarity, Polarity::Positive);
    assert_eq!(en("not only friendly").polarity, Polarity::Positive);
    assert_eq!(
        rules_of(&en("couldn't tell us anything useful")),
        [
            ("couldn't tell", CueRule::Absence),
            ("useful", CueRule::Lexicon),
            ("anything", CueRule::Negation)
        ]
    );
    assert_eq!(en("instead of blaming others").polarity, Polarity::Positive);
    assert_eq!(en("blaming others").polarity, Polarity::Negative);
}

#[test]
fn english_boosters_and_dampeners() {
    assert_eq!(en("very helpful").compound, expected_compound(1.8 + 0.293));
    assert_eq!(
        en("kind of helpful").compound,
        expected_compound(1.8 - 0.293)
    );
    assert_eq!(
        en("sort of helpful").compound,
        expected_compound(1.8 - 0.293)
    );
    assert_eq!(en("very bad").compound, expected_compound(-2.5 - 0.293));
    assert_eq!(
        rules_of(&en("kind of helpful")),
        [
            ("helpful", CueRule::Lexicon),
            ("kind of", CueRule::Dampener)
        ]
    );
}

#[test]
fn english_but_contrast() {
    // "annoying" (-1.7) halves, "excellent" (2.7) grows by half
    assert_eq!(
        en("annoying but excellent").compound,
        expected_compound(-1.7 * 0.5 + 2.7 * 1.5)
    );
    assert_eq!(en("excellent but annoying").polarity, Polarity::Negative);
    assert_eq!(en("annoying but excellent").polarity, Polarity::Positive);
}

#[test]
fn english_caps_and_exclamations() {
    assert_eq!(
        en("it was BAD really").compound,
        expected_compound(-2.5 - 0.733)
    );
    // capitals count only when not everything is in capitals
    assert_eq!(en("BAD").compound, en("bad").compound);
    assert_eq!(en("bad!!").compound, expected_compound(-2.5 - 2.0 * 0.292));
    assert_eq!(
        en("bad!!!!!!").compound,
        expected_compound(-2.5 - 4.0 * 0.292)
    );
}

#[test]
fn english_idioms_and_irony() {
    assert_eq!(en("yeah right").polarity, Polarity::Negative);
    assert_eq!(en("Thanks for nothing.").polarity, Polarity::Negative);
    assert_eq!(en("Thanks for the update.").polarity, Polarity::Positive);
    assert_eq!(
        en("left in the dark for hours").polarity,
        Polarity::Negative
    );
    let ironic = en("Great, another outage.");
    assert_eq!(ironic.polarity, Polarity::Negative);
    assert_eq!(rules_of(&ironic)[1], ("Great", CueRule::Irony));
    assert_eq!(en("Great, thanks.").polarity, Polarity::Positive);
}

#[test]
fn english_missing_communication() {
    let missing = en("No update for three hours.");
    assert_eq!(missing.compound, expected_compound(-1.5));
    assert_eq!(rules_of(&missing), [("No update", CueRule::Absence)]);
    assert_eq!(en("The update came at noon.").polarity, Polarity::Neutral);
    assert_eq!(en("We got no information").polarity, Polarity::Negative);
    assert_eq!(en("No comment.").polarity, Polarity::Neutral);
}

#[test]
fn english_missing_things_need_a_negator_of_things_or_a_verb_of_receiving() {
    assert_eq!(
        en("Not a single apology.").compound,
        expected_compound(-1.5)
    );
    assert_eq!(en("We didn't get any update.").polarity, Polarity::Negative);
    assert_eq!(
        en("We never got an explanation.").polarity,
        Polarity::Negative
    );
    // not reading the updates says nothing about them
    assert_eq!(en("I didn't read the updates.").polarity, Polarity::Neutral);
    // acts of communicating are missing whenever negated
    let untold = en("Nobody told us.");
    assert_eq!(rules_of(&untold), [("Nobody told", CueRule::Absence)]);
    assert_eq!(
        en("They didn't explain anything.").polarity,
        Polarity::Negative
    );
    assert_eq!(en("They explained the cause.").polarity, Polarity::Neutral);
}

#[test]
fn english_excess() {
    let technical = en("The e-mail was too technical.");
    assert_eq!(technical.compound, expected_compound(-1.0));
    assert_eq!(rules_of(&technical), [("too technical", CueRule::Excess)]);
    assert_eq!(en("way too many e-mails").compound, expected_compound(-1.0));
    assert_eq!(en("The portal was down too.").polarity, Polarity::Neutral);
    assert_eq!(en("too the").polarity, Polarity::Neutral);
}

#[test]
fn english_negation_reaches_any_across_the_clause() {
    let none = en("None of them said anything useful.");
    assert_eq!(none.compound, expected_compound(1.9 * -0.74));
    assert_eq!(
        en("Some of them said something useful.").polarity,
        Polarity::Positive
    );
}

#[test]
fn english_idioms_of_feedback() {
    assert_eq!(en("Spot on.").polarity, Polarity::Positive);
    assert_eq!(en("The hotline was a joke.").polarity, Polarity::Negative);
    assert_eq!(en("We had to guess.").compound, expected_compound(-0.8));
    // the incident was bad, the handling good
    assert_eq!(
        en("Very professional handling of a bad situation.").polarity,
        Polarity::Positive
    );
    assert_eq!(en("Ok.").polarity, Polarity::Neutral);
}

#[test]
fn english_negation_phrases_and_their_scope() {
    assert_eq!(
        en("far from helpful").compound,
        expected_compound(1.8 * -0.74)
    );
    assert_eq!(en("Lack of transparency.").polarity, Polarity::Negative);
    // the negator is spent on the missing news, "unacceptable" stays negative
    let spent = en("Three days without news is unacceptable.");
    assert_eq!(spent.compound, expected_compound(-1.0 - 2.0));
    assert_eq!(en("pretty poor").compound, expected_compound(-2.1 - 0.293));
    // "felt like" compares, it does not like
    assert_eq!(en("It felt like a long day.").polarity, Polarity::Neutral);
    assert_eq!(en("I like the updates.").polarity, Polarity::Positive);
}

#[test]
fn fault_words_in_a_clause_about_the_cause_describe_the_incident() {
    let cause = en("The problem was caused by a faulty software update.");
    assert_eq!((cause.polarity, cause.compound), (Polarity::Neutral, 0.0));
    assert_eq!(rules_of(&cause)[2], ("caused", CueRule::Cause));
    assert_eq!(
        en("The software update was faulty.").polarity,
        Polarity::Negative
    );
    // only fault words: a judgement in the same clause still counts
    assert_eq!(
        en("The cause was your terrible planning.").polarity,
        Polarity::Negative
    );
    assert_eq!(
        de("Die Ursache war ein Fehler im Update.").polarity,
        Polarity::Neutral
    );
    assert_eq!(de("Ein Fehler im Update.").polarity, Polarity::Negative);
}

#[test]
fn english_conditional_praise_is_a_suggestion() {
    assert_eq!(
        en("Thanks to the updates I could plan my day.").polarity,
        Polarity::Positive
    );
    assert_eq!(en("I'd like SMS updates.").polarity, Polarity::Neutral);
    assert_eq!(en("I like SMS updates.").polarity, Polarity::Positive);
    let suggestion = en("It would be helpful to get an SMS.");
    assert_eq!(
        (suggestion.polarity, suggestion.compound),
        (Polarity::Neutral, 0.0)
    );
    assert_eq!(rules_of(&suggestion)[1], ("would", CueRule::Conditional));
    assert_eq!(
        en("It was helpful to get an SMS.").polarity,
        Polarity::Positive
    );
    assert_eq!(
        en("It would be bad to lose data.").polarity,
        Polarity::Negative
    );
}

#[test]
fn german_negation_before_and_after() {
    assert_eq!(de("gut").compound, expected_compound(1.9));
    assert_eq!(de("nicht gut").compound, expected_compound(1.9 * -0.74));
    assert_eq!(de("kein Problem").polarity, Polarity::Positive);
    assert_eq!(de("keine Probleme").polarity, Polarity::Positive);
    assert_eq!(de("Probleme").polarity, Polarity::Negative);
    assert_eq!(de("ohne Probleme").polarity, Polarity::Positive);
    assert_eq!(de("nie erreichbar").polarity, Polarity::Negative);
    // verb-second order: the negation closes the clause
    let after = de("Das gefiel mir nicht.");
    assert_eq!(after.compound, expected_compound(1.9 * -0.74));
    assert_eq!(
        rules_of(&after),
        [("gefiel", CueRule::Lexicon), ("nicht", CueRule::Negation)]
    );
    assert_eq!(de("Das gefiel mir.").polarity, Polarity::Positive);
    // a negation does not reach across a comma
    assert_eq!(de("Nicht schnell, aber gut").polarity, Polarity::Positive);
    assert_eq!(de("nicht nur schnell").polarity, Polarity::Positive);
}

#[test]
fn german_intensifiers_and_dampeners() {
    for booster in ["sehr", "extrem", "total", "echt", "ziemlich"] {
        assert_eq!(
            de(&format!("{booster} hilfreich")).compound,
            expected_compound(1.9 + 0.293),
            "{booster}"
        );
    }
    for dampener in ["etwas", "eher"] {
        assert_eq!(
            de(&format!("{dampener} hilfreich")).compound,
            expected_compound(1.9 - 0.293),
            "{dampener}"
        );
    }
    assert_eq!(
        de("ein bisschen spät").compound,
        expected_compound(-1.2 + 0.293)
    );
    assert_eq!(de("total nervig").compound, expected_compound(-1.8 - 0.293));
    // "super" is a booster before a rated word and praise on its own
    assert_eq!(
        de("super hilfreich").compound,
        expected_compound(1.9 + 0.293)
    );
    assert_eq!(de("Super Kommunikation").compound, expected_compound(2.5));
}

#[test]
fn german_contrast_weighs_the_later_clause() {
    for contrast in ["aber", "jedoch", "allerdings", "trotzdem"] {
        let later_negative = de(&format!("Die Hotline war freundlich, {contrast} langsam."));
        assert_eq!(
            later_negative.compound,
            expected_compound(1.9 * 0.5 - 1.4 * 1.5),
            "{contrast}"
        );
        let later_positive = de(&format!("Die Hotline war langsam, {contrast} freundlich."));
        assert_eq!(later_positive.polarity, Polarity::Positive, "{contrast}");
    }
    // "aber" inside its clause: the whole clause weighs more
    let inside = de("Die erste Meldung war gut, danach kam aber nur Chaos.");
    assert_eq!(inside.compound, expected_compound(1.9 * 0.5 - 2.5 * 1.5));
}

#[test]
fn german_irony_markers() {
    let na_toll = de("Na toll.");
    assert_eq!(na_toll.compound, expected_compound(-2.4));
    assert_eq!(rules_of(&na_toll)[1], ("Na toll", CueRule::Irony));
    assert_eq!(de("Toll.").polarity, Polarity::Positive);
    assert_eq!(
        de("Super, schon wieder kein Update.").polarity,
        Polarity::Negative
    );
    assert_eq!(de("Super, danke.").polarity, Polarity::Positive);
    assert_eq!(de("Danke für nichts.").polarity, Polarity::Negative);
    assert_eq!(de("Danke für die Infos.").polarity, Polarity::Positive);
}

#[test]
fn german_compounds_and_inflection() {
    let chaos = de("Informationschaos pur.");
    assert_eq!(chaos.compound, expected_compound(-2.5));
    assert_eq!(rules_of(&chaos), [("Informationschaos", CueRule::Compound)]);
    assert_eq!(de("Riesenchaos").compound, expected_compound(-2.5 - 0.293));
    assert_eq!(de("Kundenärger").polarity, Polarity::Negative);
    assert_eq!(de("Informationspolitik").polarity, Polarity::Neutral);
    let inflected = de("enttäuschte Kunden");
    assert_eq!(inflected.compound, expected_compound(-2.0));
    assert_eq!(rules_of(&inflected), [("enttäuschte", CueRule::Inflection)]);
    assert_eq!(
        de("die schlechtesten Infos").compound,
        expected_compound(-2.0)
    );
    assert_eq!(de("unfreundlich").polarity, Polarity::Negative);
    assert_eq!(de("freundlich").polarity, Polarity::Positive);
    // spelled-out umlauts and Swiss spelling read like the standard forms
    assert_eq!(de("unverschaemt").compound, de("unverschämt").compound);
    assert_eq!(de("regelmässig").compound, de("regelmäßig").compound);
    assert_eq!(de("regelmässig").polarity, Polarity::Positive);
    // incident words are not opinions
    assert_eq!(
        de("Die Störung dauerte drei Stunden.").polarity,
        Polarity::Neutral
    );
    assert_eq!(de("Ich war nicht betroffen.").polarity, Polarity::Neutral);
}

#[test]
fn german_caps_and_missing_communication() {
    assert_eq!(
        de("das war UNVERSCHÄMT").compound,
        expected_compound(-2.8 - 0.733)
    );
    let missing = de("Keine Rückmeldung seit Stunden.");
    assert_eq!(missing.compound, expected_compound(-1.3));
    assert_eq!(
        rules_of(&missing),
        [("Keine Rückmeldung", CueRule::Absence)]
    );
    assert_eq!(
        de("Die Rückmeldung kam am Mittag.").polarity,
        Polarity::Neutral
    );
    assert_eq!(de("Ohne jede Vorwarnung.").polarity, Polarity::Negative);
    assert_eq!(
        de("Eine Entschuldigung gab es nicht.").polarity,
        Polarity::Negative
    );
    assert_eq!(
        de("Es wäre hilfreich, die Updates auch per SMS zu bekommen.").polarity,
        Polarity::Neutral
    );
    assert_eq!(
        de("Es war hilfreich, die Updates auch per SMS zu bekommen.").polarity,
        Polarity::Positive
    );
}

#[test]
fn german_excess_and_missing_acts() {
    assert_eq!(de("viel zu viele Mails").compound, expected_compound(-1.0));
    assert_eq!(
        rules_of(&de("viel zu viele Mails")),
        [("viel zu viele", CueRule::Excess)]
    );
    // "zu" before an infinitive is no excess
    assert_eq!(de("Nicht viel zu sagen.").polarity, Polarity::Neutral);
    assert_eq!(de("Niemand hat gesagt, wann.").polarity, Polarity::Negative);
    assert_eq!(
        de("Wir haben die Updates nicht gelesen.").polarity,
        Polarity::Neutral
    );
    assert_eq!(
        de("Wir haben keine Updates bekommen.").polarity,
        Polarity::Negative
    );
    assert_eq!(
        de("Wir haben die Updates nicht bekommen.").polarity,
        Polarity::Negative
    );
}

#[test]
fn cues_explain_the_compound() {
    for (text, language) in [
        (
            "Na toll, die Hotline war NICHT erreichbar und total überlastet!!",
            Language::De,
        ),
        (
            "Great, another outage, but the staff were very kind!",
            Language::En,
        ),
        (
            "Obwohl der Ausfall ärgerlich war, wurden wir zwar spät, aber gut informiert.",
            Language::De,
        ),
    ] {
        let sentiment = analyse_sentiment_in(text, language);
        let sum: f64 = sentiment.cues.iter().map(|cue| cue.effect).sum();
        assert_eq!(sentiment.compound, expected_compound(sum), "{text}");
        for cue in &sentiment.cues {
            assert_eq!(&text[cue.start..cue.end], cue.text);
        }
    }
}

#[test]
fn language_comes_from_the_detector_unless_given() {
    assert_eq!(
        analyse_sentiment("Die Hotline war nicht erreichbar.").language,
        Language::De
    );
    assert_eq!(
        analyse_sentiment("The hotline was not reachable.").language,
        Language::En
    );
    assert_eq!(
        analyse_sentiment("Die Hotline war nicht erreichbar.").polarity,
        Polarity::Negative
    );
}

#[test]
fn empty_and_unrated_texts_are_neutral() {
    let empty = en("");
    assert_eq!(
        (empty.polarity, empty.compound, empty.neutral),
        (Polarity::Neutral, 0.0, 0.0)
    );
    let factual = de("Ich habe das Mail um 10 Uhr erhalten.");
    assert_eq!(
        (factual.polarity, factual.neutral),
        (Polarity::Neutral, 1.0)
    );
    assert!(factual.cues.is_empty());
}

#[test]
fn serialises_with_stable_names() {
    let sentiment = de("Na toll.");
    let json = serde_json::to_value(&sentiment).unwrap();
    assert_eq!(json["polarity"], "negative");
    assert_eq!(json["language"], "de");
    assert_eq!(json["cues"][1]["rule"], "irony");
    let back: Sentiment = serde_json::from_value(json).unwrap();
    assert_eq!(back, sentiment);
}
