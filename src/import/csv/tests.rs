use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::times::parse_stamp;
use super::vocab::{AUDIENCES, CHANNELS, EVENT_KINDS, Field, HEADERS, MESSAGE_KINDS, header_field};
use super::*;
use crate::domain::timeline::MessageInput;
use crate::import::{RecipientRecord, RecordKind};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|x| x.and_hms_opt(h, mi, 0))
        .expect("valid time")
}

fn opts() -> ReadOptions {
    ReadOptions::default()
}

fn read_ok(name: &str, text: &str, opts: &ReadOptions) -> ImportedIncident {
    let mut out =
        read(name, text.as_bytes(), opts).unwrap_or_else(|e| panic!("{name} should read: {e:#?}"));
    assert_eq!(out.len(), 1);
    out.remove(0)
}

fn read_err(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<ReadError> {
    match read(name, bytes, opts) {
        Ok(_) => panic!("{name} should fail"),
        Err(e) => e,
    }
}

#[test]
fn comma_file_with_english_headers_and_rfc3339_offsets() {
    let csv = "sent_at,audience,channel,subject,body,kind,author,id\n\
               2026-03-10T07:42:00+01:00,employees,email,Mail down,Mail is down.,initial,Service Desk,m1\n\
               2026-03-10T06:50:00Z,\"employees, management\",Status page,,\"Still down, we are on it.\",update,,m2\n\
               2026-03-10 07:55:30.5-02:00,customers,LinkedIn,,Fixed.,resolution,,m3\n";
    let got = read_ok("messages.csv", csv, &opts());
    assert!(got.incident.is_none());
    assert_eq!(got.messages.len(), 3);
    let m = &got.messages[0].value.message;
    assert_eq!(m.sent_at, Some(utc(2026, 3, 10, 6, 42)));
    assert_eq!(m.audiences, vec!["employees"]);
    assert_eq!(m.channel, "email");
    assert_eq!(m.subject.as_deref(), Some("Mail down"));
    assert_eq!(m.kind, "initial");
    assert_eq!(m.author, "Service Desk");
    assert_eq!(m.external_id.as_deref(), Some("m1"));
    assert_eq!(m.language, "en");
    assert_eq!(got.messages[0].at.line, Some(2));
    let m = &got.messages[1].value.message;
    assert_eq!(m.sent_at, Some(utc(2026, 3, 10, 6, 50)));
    assert_eq!(m.audiences, vec!["employees", "management"]);
    assert_eq!(m.channel, "status_page");
    assert_eq!(m.body, "Still down, we are on it.");
    let m = &got.messages[2].value.message;
    let expected = utc(2026, 3, 10, 9, 55) + Duration::milliseconds(30_500);
    assert_eq!(m.sent_at, Some(expected));
    assert_eq!(m.channel, "social_media");
    assert_eq!(m.platform.as_deref(), Some("linkedin"));
}

#[test]
fn semicolon_file_with_bom_and_german_headers() {
    let csv = "\u{feff}Gesendet am;Zielgruppe;Kanal;Betreff;Nachricht;Art;Absender;Sprache\r\n\
               10.03.2026 07:42;Mitarbeitende;E-Mail;Störung;E-Mail ist gestört.;Erstmeldung;IT;Deutsch\r\n\
               10.03.2026 08:10;Geschäftsleitung | Kundinnen und Kunden;Statusseite;;Wir arbeiten daran;Aktualisierung;;\r\n\
               10.3.2026 9:05 Uhr;IT-Teams;Chat;;Behoben;Entwarnung;;de\r\n\
               10.03.26 09:30;Öffentlichkeit;Pressemitteilung;;Nachbericht folgt;Nachbericht;;\r\n";
    let got = read_ok("nachrichten.csv", csv, &opts());
    let ms: Vec<&MessageInput> = got.messages.iter().map(|m| &m.value.message).collect();
    assert_eq!(ms.len(), 4);
    assert_eq!(ms[0].sent_at, Some(utc(2026, 3, 10, 6, 42)));
    assert_eq!(ms[0].audiences, vec!["employees"]);
    assert_eq!(ms[0].kind, "initial");
    assert_eq!(ms[0].language, "de");
    assert_eq!(ms[0].author, "IT");
    assert_eq!(ms[1].audiences, vec!["management", "customers"]);
    assert_eq!(ms[1].channel, "status_page");
    assert_eq!(ms[1].kind, "update");
    assert_eq!(ms[1].language, "de");
    assert_eq!(ms[2].sent_at, Some(utc(2026, 3, 10, 8, 5)));
    assert_eq!(ms[2].audiences, vec!["it_teams"]);
    assert_eq!(ms[2].channel, "chat");
    assert_eq!(ms[2].kind, "resolution");
    assert_eq!(ms[3].sent_at, Some(utc(2026, 3, 10, 8, 30)));
    assert_eq!(ms[3].audiences, vec!["public"]);
    assert_eq!(ms[3].channel, "press_release");
    assert_eq!(ms[3].kind, "post_incident");
    let lines: Vec<Option<usize>> = got.messages.iter().map(|m| m.at.line).collect();
    assert_eq!(lines, vec![Some(2), Some(3), Some(4), Some(5)]);
}

#[test]
fn windows_1252_with_umlauts() {
    let text = "Zeitpunkt;Empfängergruppe;Kanal;Inhalt\r\n\
                10.03.2026 07:42;Geschäftsleitung;E-Mail;Störung behoben – Grüße aus Zürich\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "test needs non-UTF-8 bytes"
    );
    let got = read("alt.csv", &bytes, &opts()).expect("reads");
    let m = &got[0].messages[0].value.message;
    assert_eq!(m.body, "Störung behoben – Grüße aus Zürich");
    assert_eq!(m.audiences, vec!["management"]);
    assert!(detect("export", &bytes));
}

#[test]
fn date_and_time_in_two_columns() {
    let csv = "Datum;Uhrzeit;Zielgruppe;Kanal;Text\n\
               10.03.2026;07:42;Kunden;SMS;Störung\n\
               2026-07-10 00:00:00;30.12.1899 14:05;Kunden;Telefon;Hotline informiert\n\
               11.03.2026;;Kunden;Intranet;x\n\
               12.03.2026 09:15;;Kunden;Intranet;Zeit steht im Datum\n";
    let err = read_err("zwei.csv", csv.as_bytes(), &opts());
    assert_eq!(err.len(), 1, "{err:#?}");
    assert_eq!(err[0].line, Some(4));
    assert_eq!(err[0].field, "Uhrzeit");
    let fixed = csv.replace("11.03.2026;;", "11.03.2026;8:00;");
    let got = read_ok("zwei.csv", &fixed, &opts());
    let times: Vec<_> = got
        .messages
        .iter()
        .map(|m| m.value.message.sent_at)
        .collect();
    assert_eq!(
        times,
        vec![
            Some(utc(2026, 3, 10, 6, 42)),
            Some(utc(2026, 7, 10, 12, 5)),
            Some(utc(2026, 3, 11, 7, 0)),
            Some(utc(2026, 3, 12, 8, 15)),
        ]
    );
    assert_eq!(got.messages[1].value.message.channel, "phone");
}

#[test]
fn dst_gap_and_overlap_in_zurich() {
    let csv = "Zeit;Ereignis;Beschreibung\n\
               29.03.2026 01:30;erkannt;before the gap\n\
               29.03.2026 02:30;bestätigt;in the gap\n\
               29.03.2026 03:30;eskaliert;after the gap\n\
               25.10.2026 02:30;behoben;in the repeated hour\n\
               25.10.2026 03:30;Notiz;after it\n";
    let got = read_ok("events.csv", csv, &opts());
    let times: Vec<_> = got.events.iter().map(|e| e.value.occurred_at).collect();
    assert_eq!(
        times,
        vec![
            Some(utc(2026, 3, 29, 0, 30)),
            Some(utc(2026, 3, 29, 1, 30)),
            Some(utc(2026, 3, 29, 1, 30)),
            Some(utc(2026, 10, 25, 0, 30)),
            Some(utc(2026, 10, 25, 2, 30)),
        ]
    );
    let mut other_zone = opts();
    other_zone.tz = chrono_tz::America::New_York;
    let got = read_ok("events.csv", csv, &other_zone);
    assert_eq!(
        got.events[0].value.occurred_at,
        Some(utc(2026, 3, 29, 5, 30))
    );
}

#[test]
fn quoted_multi_line_bodies_keep_line_numbers() {
    let csv = "time,audience,channel,body\n\
               2026-03-10 07:42,employees,email,\"First line\n\
               second line\n\
               third line\"\n\
               \n\
               2026-03-10 08:00,employees,email,\"Quote \"\"inside\"\"\"\n\
               2026-03-10 8 Uhr,employees,email,bad time\n";
    let err = read_err("multi.csv", csv.as_bytes(), &opts());
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].line, Some(7));
    assert_eq!(err[0].field, "time");
    assert_eq!(
        err[0].reason,
        "'2026-03-10 8 Uhr' is not a time like 2026-03-10 14:05 or 10.03.2026 14:05"
    );
    let crlf = csv.replace('\n', "\r\n");
    let err = read_err("multi.csv", crlf.as_bytes(), &opts());
    assert_eq!(err[0].line, Some(7));

    let fixed = csv.replace("8 Uhr", "08:30");
    let got = read_ok("multi.csv", &fixed, &opts());
    let lines: Vec<_> = got.messages.iter().map(|m| m.at.line).collect();
    assert_eq!(lines, vec![Some(2), Some(6), Some(7)]);
    assert_eq!(
        got.messages[0].value.message.body,
        "First line\nsecond line\nthird line"
    );
    assert_eq!(got.messages[1].value.message.body, "Quote \"inside\"");
}

#[test]
fn column_mapping_overrides_headers() {
    let csv = "Wann genau;Wer;Was;Wo;Text\n\
               10.03.2026 07:42;Kunden;Störung;Statusseite;ignored\n";
    let mut o = opts();
    o.column_mapping = BTreeMap::from([
        ("wann genau".to_string(), "sent_at".to_string()),
        ("Wer".to_string(), "audiences".to_string()),
        ("Was".to_string(), "body".to_string()),
        ("Wo".to_string(), "Kanal".to_string()),
    ]);
    let got = read_ok("mapped.csv", csv, &o);
    let m = &got.messages[0].value.message;
    assert_eq!(m.body, "Störung");
    assert_eq!(m.channel, "status_page");
    assert_eq!(m.sent_at, Some(utc(2026, 3, 10, 6, 42)));

    o.column_mapping
        .insert("Wer".to_string(), "stakeholder group".to_string());
    o.column_mapping
        .insert("Nirgends".to_string(), "body".to_string());
    let err = read_err("mapped.csv", csv.as_bytes(), &o);
    assert_eq!(err.len(), 2, "{err:#?}");
    assert_eq!(err[0].field, "Nirgends");
    assert!(err[0].reason.contains("Wann genau, Wer, Was, Wo, Text"));
    assert_eq!(err[1].field, "Wer");
    assert!(err[1].reason.contains("sent_at"), "{}", err[1].reason);
}

#[test]
fn events_with_german_names() {
    let csv = "Zeitpunkt;Ereignis;Beschreibung;Quelle;ID\n\
               10.03.2026 06:42;erkannt;Monitoring schlägt an;PRTG;e1\n\
               10.03.2026 06:50;bestätigt;;;\n\
               10.03.2026 07:00;eskaliert;;;\n\
               10.03.2026 07:10;Ursache gefunden;Zertifikat;;\n\
               10.03.2026 07:20;umgangen;;;\n\
               10.03.2026 07:30;gelöst;;;\n\
               10.03.2026 07:40;Überwachung;;;\n\
               10.03.2026 07:50;Notiz;;;\n\
               10.03.2026 07:55;;ohne Art;;\n";
    let got = read_ok("ereignisse.csv", csv, &opts());
    let kinds: Vec<&str> = got.events.iter().map(|e| e.value.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "detected",
            "acknowledged",
            "escalated",
            "diagnosed",
            "mitigated",
            "resolved",
            "monitoring",
            "note",
            "note"
        ]
    );
    let first = &got.events[0].value;
    assert_eq!(first.description, "Monitoring schlägt an");
    assert_eq!(first.source.as_deref(), Some("PRTG"));
    assert_eq!(first.external_id.as_deref(), Some("e1"));
    assert!(first.validate().is_ok());
    assert!(got.messages.is_empty() && got.mentions.is_empty());

    let bad = "Zeit;Art;Text\n10.03.2026 07:00;explodiert;Bumm\n";
    let err = read_err("e.csv", bad.as_bytes(), &opts());
    assert_eq!(err[0].field, "Art");
    assert!(
        err[0].reason.contains("detected (erkannt)"),
        "{}",
        err[0].reason
    );
}

#[test]
fn mentions_with_platform_handle_and_link() {
    let csv = "posted_at,platform,handle,text,url,id\n\
               2026-03-10T07:00:00Z,Twitter,@anna,Is mail down?,https://x.com/anna/status/1,t1\n\
               2026-03-10T07:05:00Z,,@ben,Same here,https://www.linkedin.com/posts/ben-1,\n";
    let got = read_ok("mentions.csv", csv, &opts());
    assert_eq!(got.mentions.len(), 2);
    let m = &got.mentions[0].value;
    assert_eq!(m.platform, "x");
    assert_eq!(m.author_handle, "@anna");
    assert_eq!(m.text, "Is mail down?");
    assert_eq!(m.external_id.as_deref(), Some("t1"));
    assert!(m.validate().is_ok());
    assert_eq!(got.mentions[1].value.platform, "linkedin");

    let german =
        "Zeit;Plattform;Konto;Text\n10.03.2026 08:00;Mastodon;@c@chaos.social;Geht nicht\n";
    let got = read_ok("erwaehnungen.csv", german, &opts());
    assert_eq!(got.mentions[0].value.author_handle, "@c@chaos.social");
    assert_eq!(
        got.mentions[0].value.posted_at,
        Some(utc(2026, 3, 10, 7, 0))
    );
}

#[test]
fn replies_name_their_mention() {
    let csv = "Zeit;Zielgruppe;Kanal;Plattform;Text;Antwort auf\n\
               10.03.2026 08:00;Öffentlichkeit;Social Media;X;Wir sind dran.;t1\n";
    let got = read_ok("antworten.csv", csv, &opts());
    let m = &got.messages[0].value;
    assert_eq!(m.in_reply_to_external.as_deref(), Some("t1"));
    assert_eq!(m.message.kind, "reply");
    assert_eq!(m.message.platform.as_deref(), Some("x"));
}

#[test]
fn recipients_with_two_name_columns() {
    let csv = "Vorname;Nachname;E-Mail-Adresse;Zielgruppe;Sprache\n\
               Anna;Muster;anna@example.org;Mitarbeitende;Deutsch\n\
               Ben;;ben@example.org;Kunden;Englisch\n\
               ;;\"Cleo Chef <cleo@example.org>\";GL;\n\
               Dora;Doe;dora@example;Kunden;\n\
               Emil;E;emil@example.org;Aktionäre;Klingonisch\n";
    let err = read_err("empfaenger.csv", csv.as_bytes(), &opts());
    let found: Vec<(Option<usize>, &str)> =
        err.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        found,
        vec![
            (Some(5), "E-Mail-Adresse"),
            (Some(6), "Zielgruppe"),
            (Some(6), "Sprache")
        ]
    );
    assert!(err[1].reason.contains("employees (Mitarbeitende)"));
    let good: String = csv.lines().take(4).map(|l| format!("{l}\n")).collect();
    let got = read_ok("empfaenger.csv", &good, &opts());
    let r: Vec<&RecipientRecord> = got.recipients.iter().map(|r| &r.value).collect();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].name, "Anna Muster");
    assert_eq!(r[0].email, "anna@example.org");
    assert_eq!(r[0].audience.as_deref(), Some("employees"));
    assert_eq!(r[0].locale.as_deref(), Some("de"));
    assert_eq!(r[1].name, "Ben");
    assert_eq!(r[1].locale.as_deref(), Some("en"));
    assert_eq!(r[2].name, "Cleo Chef");
    assert_eq!(r[2].email, "cleo@example.org");
    assert_eq!(r[2].audience.as_deref(), Some("management"));
    assert_eq!(r[2].locale, None);
}

#[test]
fn many_errors_are_collected_with_lines() {
    let csv = "time;audience;channel;body\n\
               2026-03-10 07:00;employees;email;ok\n\
               03/10/2026 07:00;employees;email;us date\n\
               2026-03-10 07:00;Aktionäre;email;bad audience\n\
               2026-03-10 07:00;employees;Brieftaube;bad channel\n\
               2026-03-10 07:00;employees;email;\n\
               2026-03-10 25:00;employees;email;bad hour\n";
    let err = read_err("bad.csv", csv.as_bytes(), &opts());
    let found: Vec<(Option<usize>, &str)> =
        err.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        found,
        vec![
            (Some(3), "time"),
            (Some(4), "audience"),
            (Some(5), "channel"),
            (Some(6), "body"),
            (Some(7), "time"),
        ]
    );
    assert!(err[0].reason.contains("ambiguous"), "{}", err[0].reason);
    assert!(
        err[1]
            .reason
            .contains("'Aktionäre' is not a known audience")
    );
    assert!(err[1].reason.contains("customers (Kunden)"));
    assert!(err[2].reason.contains("'Brieftaube' is not a channel"));
    assert!(err[2].reason.contains("status_page (Statusseite)"));
    assert!(err.iter().all(|e| e.file == "bad.csv"));
    assert_eq!(
        err[3].to_string(),
        "bad.csv, line 6, field body: is empty; a message needs its text"
    );
}

#[test]
fn errors_are_capped_with_a_count() {
    let mut csv = String::from("time,audience,channel,body\n");
    for _ in 0..1200 {
        csv.push_str("yesterday,employees,email,x\n");
    }
    let err = read_err("many.csv", csv.as_bytes(), &opts());
    assert_eq!(err.len(), MAX_ERRORS + 1);
    assert_eq!(err[0].line, Some(2));
    assert_eq!(err[MAX_ERRORS - 1].line, Some(MAX_ERRORS + 1));
    assert!(err[MAX_ERRORS].reason.starts_with("200 more errors"));
}

#[test]
fn binary_junk_and_huge_lines_fail_fast() {
    let mut junk = b"time,body\n2026-03-10 07:00,ok\n".to_vec();
    junk.extend_from_slice(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff]);
    let err = read_err("image.csv", &junk, &opts());
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].line, Some(3));
    assert!(err[0].reason.contains("binary"), "{}", err[0].reason);

    let mut huge = b"time,audience,channel,body\n2026-03-10 07:00,employees,email,".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
    huge.extend_from_slice(b"\n2026-03-10 08:00,employees,email,x\n");
    let err = read_err("huge.csv", &huge, &opts());
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].line, Some(2));
    assert!(err[0].reason.contains("1 MiB"));

    let utf16 = [0xFF, 0xFE, b't', 0, b'i', 0];
    let err = read_err("u16.csv", &utf16, &opts());
    assert!(err[0].reason.contains("UTF-16"));
}

#[test]
fn an_unclosed_quote_is_named() {
    let csv = "time,audience,channel,body\n\
               2026-03-10 07:00,employees,email,ok\n\
               2026-03-10 07:10,employees,email,\"never closed\n\
               2026-03-10 07:20,employees,email,lost\n";
    let err = read_err("quote.csv", csv.as_bytes(), &opts());
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].line, Some(3));
    // A quote inside an unquoted cell is text, as the parser reads it.
    let fine = "time,audience,channel,body\n2026-03-10 07:00,employees,email,say \"hi\n";
    assert_eq!(
        read_ok("q.csv", fine, &opts()).messages[0]
            .value
            .message
            .body,
        "say \"hi"
    );
}

#[test]
fn extra_cells_are_reported() {
    let csv = "Zeit;Zielgruppe;Kanal;Text\n10.03.2026 07:00;Kunden;SMS;Teil 1;Teil 2\n10.03.2026 07:10;Kunden;SMS;ok;;\n";
    let err = read_err("extra.csv", csv.as_bytes(), &opts());
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].line, Some(2));
    assert!(err[0].reason.contains("';'"));
}

#[test]
fn default_audience_fills_gaps() {
    let csv = "time,channel,body\n2026-03-10 07:00,email,Down\n";
    let err = read_err(
        "m.csv",
        csv.as_bytes(),
        &ReadOptions {
            record_kind: Some(RecordKind::Messages),
            ..opts()
        },
    );
    assert_eq!(err[0].field, "audiences");
    let mut o = opts();
    o.default_audience = Some("customers".to_string());
    let got = read_ok("m.csv", csv, &o);
    assert_eq!(got.messages[0].value.message.audiences, vec!["customers"]);

    let empty_cell = "time,audience,channel,body\n2026-03-10 07:00,,email,Down\n";
    let err = read_err("m.csv", empty_cell.as_bytes(), &opts());
    assert_eq!((err[0].line, err[0].field.as_str()), (Some(2), "audience"));
    let got = read_ok("m.csv", empty_cell, &o);
    assert_eq!(got.messages[0].value.message.audiences, vec!["customers"]);
}

#[test]
fn record_kind_from_options_or_headers() {
    let csv = "time,description\n2026-03-10 07:00,Something\n";
    assert_eq!(read_ok("e.csv", csv, &opts()).events.len(), 1);
    let o = ReadOptions {
        record_kind: Some(RecordKind::Mentions),
        ..opts()
    };
    let err = read_err("e.csv", csv.as_bytes(), &o);
    assert_eq!(err[0].field, "platform");
    let err = read_err("x.csv", b"foo;bar\n1;2\n", &opts());
    assert!(err[0].reason.contains("foo, bar"));
    assert_eq!(err[0].line, Some(1));
}

#[test]
fn kinds_and_languages_are_inferred_when_missing() {
    let csv = "time\taudience\tchannel\tbody\n\
               2026-03-10 08:00\temployees\tintranet\tDer Dienst ist wieder verfügbar, die Störung ist behoben.\n\
               2026-03-10 07:00\temployees\temail\tTestbetrieb\n\
               2026-03-10 07:30\temployees;customers\tstatus_page\tWir arbeiten mit Hochdruck an der Lösung.\n";
    let got = read_ok("tabs.tsv", csv, &opts());
    let ms: Vec<&MessageInput> = got.messages.iter().map(|m| &m.value.message).collect();
    assert_eq!(
        ms.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
        vec!["update", "initial", "initial"]
    );
    assert!(ms.iter().all(|m| m.language == "de"));
}

#[test]
fn html_bodies_become_text_and_promises_are_read() {
    let csv = "sent_at,audience,channel,body,next_update_at,eta_at\n\
               2026-03-10 07:00,customers,email,\"<p>Mail is down.</p><ul><li>Webmail</li></ul>\",07:30,10.03.2026 09:00\n\
               2026-03-10 23:50,customers,email,Still down,00:20,soon\n";
    let err = read_err("h.csv", csv.as_bytes(), &opts());
    assert_eq!((err[0].line, err[0].field.as_str()), (Some(3), "eta_at"));
    let fixed = csv.replace(",soon", ",");
    let got = read_ok("h.csv", &fixed, &opts());
    let m = &got.messages[0].value.message;
    assert!(
        m.body.contains("Mail is down.") && m.body.contains("- Webmail"),
        "{}",
        m.body
    );
    assert!(m.body_html.as_deref().is_some_and(|h| h.contains("<ul>")));
    assert_eq!(m.next_update_at, Some(utc(2026, 3, 10, 6, 30)));
    assert_eq!(m.eta_at, Some(utc(2026, 3, 10, 8, 0)));
    let m = &got.messages[1].value.message;
    assert_eq!(m.next_update_at, Some(utc(2026, 3, 10, 23, 20)));
}

#[test]
fn time_formats() {
    let z = chrono_tz::Europe::Zurich;
    let t = |s: &str| parse_stamp(s).map(|st| st.to_utc(z));
    let expected = Some(utc(2026, 3, 10, 6, 42));
    for s in [
        "2026-03-10T07:42:00+01:00",
        "2026-03-10T06:42:00Z",
        "2026-03-10T06:42Z",
        "2026-03-10 07:42",
        "2026-03-10T07:42",
        "2026-03-10 07:42:00",
        "2026/03/10 07:42",
        "10.03.2026 07:42",
        "10.03.2026 07:42:00",
        "10.03.26 07:42",
        "10.3.2026 7:42",
        "10.03.2026, 07:42 Uhr",
        "2026-03-10 08:42 +0200",
    ] {
        assert_eq!(t(s), expected, "{s}");
    }
    for s in [
        "03/10/2026 07:42",
        "2026-03-10",
        "10.03.2026",
        "2026-13-10 07:42",
        "31.02.2026 07:42",
        "2026-03-10 24:00",
        "2026-03-10 07:42 +25:00",
        "07:42",
        "",
    ] {
        assert_eq!(t(s), None, "{s}");
    }
}

#[test]
fn header_synonyms_are_unambiguous_and_insensitive() {
    for (field, names) in HEADERS {
        for name in *names {
            assert_eq!(header_field(name), Some(*field), "{name}");
        }
    }
    assert_eq!(header_field(" ZIELGRUPPE "), Some(Field::Audience));
    assert_eq!(header_field("Empfaengergruppe"), Some(Field::Audience));
    assert_eq!(header_field("Zeit (MEZ)"), Some(Field::Clock));
    assert_eq!(header_field("E-Mail-Adresse"), Some(Field::Email));
    assert_eq!(AUDIENCES.lookup("IT"), Some("it_teams"));
    assert_eq!(AUDIENCES.lookup("Staff"), Some("employees"));
    assert_eq!(AUDIENCES.lookup("Management"), Some("management"));
    assert_eq!(AUDIENCES.lookup("Social Media"), Some("public"));
    assert_eq!(CHANNELS.lookup("Dark Site"), Some("dark_site"));
    assert_eq!(CHANNELS.lookup("Sonstiges"), Some("other"));
    assert_eq!(MESSAGE_KINDS.lookup("Antwort"), Some("reply"));
    assert_eq!(EVENT_KINDS.lookup("diagnostiziert"), Some("diagnosed"));
    assert_eq!(EVENT_KINDS.lookup("entschärft"), Some("mitigated"));
}

#[test]
fn detection_by_name_or_header() {
    assert!(detect("Messages.CSV", b""));
    assert!(detect("events.tsv", b"anything"));
    assert!(detect("upload", "Zeit;Zielgruppe;Kanal;Text\n".as_bytes()));
    assert!(detect("upload", b"\xEF\xBB\xBFsent_at,audience,body\n"));
    assert!(!detect("upload", b"{\"incidents\": []}"));
    assert!(!detect("upload", b"From: a@example.org\nSubject: x\n"));
    assert!(!detect("upload", b"Hello, world\n"));
}

#[test]
fn old_mac_line_ends() {
    let csv = "time,audience,channel,body\r2026-03-10 07:00,employees,email,a\r2026-03-10 07:10,employees,email,b\r";
    let got = read_ok("mac.csv", csv, &opts());
    let lines: Vec<_> = got.messages.iter().map(|m| m.at.line).collect();
    assert_eq!(lines, vec![Some(2), Some(3)]);
}

#[test]
fn five_thousand_rows_are_all_read() {
    let mut csv = String::with_capacity(500_000);
    csv.push_str("Zeit;Zielgruppe;Kanal;Art;Nachricht;ID\n");
    let start = utc(2026, 3, 10, 6, 0);
    for i in 0..5_000 {
        let t = start + Duration::minutes(i);
        csv.push_str(&format!(
            "{};Kunden;E-Mail;Update;Die Störung dauert an, Meldung {i}.;m{i}\n",
            t.format("%Y-%m-%dT%H:%M:00Z")
        ));
    }
    let got = read_ok("gross.csv", &csv, &opts());
    assert_eq!(got.messages.len(), 5_000);
    let last = &got.messages[4_999];
    assert_eq!(last.at.line, Some(5_001));
    assert_eq!(last.value.message.external_id.as_deref(), Some("m4999"));
    assert_eq!(
        last.value.message.sent_at,
        Some(start + Duration::minutes(4_999))
    );
}
