//! The service catalogue: the services an organisation runs and the names people use for them,
//! so a message that says "Postfach" or "E-Mail-System" is known to be about e-mail.

use serde::{Deserialize, Serialize};

/// One service with its alternative names (en and de), as matched in message texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceEntry {
    pub name: String,
    pub aliases: Vec<String>,
}

impl ServiceEntry {
    /// A catalogue entry from the name and the comma-separated alias text the database stores.
    pub fn from_stored(name: &str, aliases: &str) -> Self {
        Self {
            name: name.trim().to_string(),
            aliases: parse_aliases(aliases),
        }
    }

    /// The name and every alias: all the spellings that identify the service.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Splits the stored alias text ("e-mail, email, \"My account\"") into names: trimmed, quotes
/// removed, empty entries and repeats dropped, order kept.
pub fn parse_aliases(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(',') {
        let alias = part
            .trim()
            .trim_matches(|c: char| matches!(c, '"' | '\'' | '“' | '”' | '„'))
            .trim();
        if !alias.is_empty() && !out.iter().any(|a| a == alias) {
            out.push(alias.to_string());
        }
    }
    out
}

/// A starting catalogue (the codebook's services, en and de); organisations edit it in settings.
pub const DEFAULT_SERVICES: &[(&str, &str)] = &[
    ("E-Mail", "e-mail, email, mail, webmail, Outlook, Postfach"),
    (
        "Online banking",
        "online banking, e-banking, Online-Banking, E-Banking",
    ),
    (
        "Card payments",
        "card payments, payment terminals, Kartenzahlung, Zahlungsterminals",
    ),
    (
        "Customer portal",
        "customer portal, account area, My account, Kundenportal, Kundenkonto",
    ),
    ("Mobile app", "app, mobile app"),
    (
        "Website",
        "website, web shop, online shop, Webseite, Webshop, Onlineshop",
    ),
    ("VPN", "VPN, remote access, Fernzugriff"),
    (
        "Telephony",
        "phone system, hotline, telephony, Telefonanlage, Telefonie",
    ),
    ("ERP", "ERP, SAP"),
    ("Intranet", "intranet"),
    (
        "File storage",
        "file shares, network drives, Netzlaufwerke, Dateiablage",
    ),
    ("Wi-Fi", "Wi-Fi, WLAN"),
    ("Chat", "Teams, Slack, chat"),
    ("Learning platform", "learning platform, LMS, Lernplattform"),
    (
        "Ticketing",
        "service desk portal, ticket system, Ticketsystem",
    ),
];

/// The default catalogue as entries, for analyses that run without a database.
pub fn default_catalogue() -> Vec<ServiceEntry> {
    DEFAULT_SERVICES
        .iter()
        .map(|(name, aliases)| ServiceEntry::from_stored(name, aliases))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_trimmed_unquoted_and_unique() {
        assert_eq!(
            parse_aliases(" e-mail, Postfach ,, \"My account\", e-mail ,„Kundenkonto“"),
            vec!["e-mail", "Postfach", "My account", "Kundenkonto"]
        );
        assert!(parse_aliases(" , ").is_empty());
    }

    #[test]
    fn default_catalogue_has_every_service_with_aliases() {
        let catalogue = default_catalogue();
        assert_eq!(catalogue.len(), DEFAULT_SERVICES.len());
        let email = &catalogue[0];
        assert_eq!(email.name, "E-Mail");
        assert!(email.spellings().any(|s| s == "Postfach"));
        assert!(catalogue.iter().all(|s| !s.aliases.is_empty()));
    }
}
