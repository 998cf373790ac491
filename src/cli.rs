//! The `debrief` command line (SPEC §9). Every command that prints data has `--json`.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::accounts;
use crate::app::AppState;
use crate::config::{Config, LogFormat, ProcessEnv};
use crate::db::audit::Actor;
use crate::db::{self, DatabaseTarget};
use crate::domain::Role;

#[derive(Parser)]
#[command(
    name = "debrief",
    version,
    about = "Post-incident review of crisis communication"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub struct Global {
    /// postgres://… for PostgreSQL; a file path or nothing for SQLite under the data directory.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where the SQLite database, mail files and the optional debrief.toml live.
    #[arg(long, global = true, env = "DEBRIEF_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A TOML configuration file (default: DATA_DIR/debrief.toml when it exists).
    #[arg(long, global = true, env = "DEBRIEF_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web application (migrates first).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long, env = "DEBRIEF_BIND")]
        bind: Option<String>,
        /// Load the demo incidents before starting.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load the two demo incidents.
    Demo {
        #[arg(long)]
        json: bool,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Incidents.
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// Import timelines, messages, mentions or recipients from files (all or nothing).
    Import(ImportArgs),
    /// Write an incident in Debrief's own JSON format (imports back to the same incident).
    Export {
        #[arg(long)]
        incident: String,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Score message texts from JSON lines: {"id","lang"?,"kind","audience","channel","text",
    /// "sent_at"?,"tz"?} in, one result per line out. With "sent_at" (RFC 3339) a promised next
    /// update and an ETA come out as absolute times. Texts of at most 20,000 characters. Needs no
    /// database: uses the default service catalogue and rubric, not an organisation's.
    Analyze {
        /// One JSON object per message instead of a short line.
        #[arg(long)]
        json: bool,
        /// A JSON-lines file, or - for standard input.
        file: PathBuf,
    },
    /// The scorecard of an incident: timeliness and clarity per audience, and the findings.
    Score {
        #[arg(long)]
        incident: String,
        /// Language of the finding texts.
        #[arg(long, default_value = "en", value_parser = ["en", "de"])]
        lang: String,
        #[arg(long)]
        json: bool,
    },
    /// A PDF report: one incident's, or the portfolio of a date range.
    Report(ReportArgs),
    /// Write a consistent copy of the SQLite database (safe while the server runs).
    Backup {
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Args)]
pub struct ReportArgs {
    /// The incident to report on.
    #[arg(
        long,
        conflicts_with = "portfolio",
        required_unless_present = "portfolio"
    )]
    pub incident: Option<String>,
    /// The portfolio of all incidents detected from --from to --to.
    #[arg(long, requires_all = ["from", "to"])]
    pub portfolio: bool,
    /// First day of the portfolio (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the portfolio (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    /// Only incidents of this kind (it_outage, social_media, security, other).
    #[arg(long, requires = "portfolio")]
    pub kind: Option<crate::domain::IncidentKind>,
    /// Only incidents of this severity (sev1 … sev4).
    #[arg(long, requires = "portfolio")]
    pub severity: Option<crate::domain::Severity>,
    #[arg(long, default_value = "de", value_parser = ["de", "en"])]
    pub lang: String,
    /// Where to write the PDF.
    #[arg(short, long)]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct ImportArgs {
    /// Add every record to this incident.
    #[arg(long, conflicts_with = "new")]
    pub incident: Option<String>,
    /// Create or update the incidents the files describe (the default, except for a table of
    /// survey recipients, who belong to the organisation). A file that holds records but no
    /// incident (mail, a table) goes to the one incident the other files describe, and is
    /// refused when they describe none or several.
    #[arg(long)]
    pub new: bool,
    /// The reader to use (default: recognised from the content).
    #[arg(long, ignore_case = true, value_parser = clap::builder::PossibleValuesParser::new(crate::import::registry::names()))]
    pub format: Option<String>,
    /// Check and show what would be stored, store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Store the valid records and list the invalid ones instead of storing nothing.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Time zone of times written without an offset (default: the organisation's).
    #[arg(long)]
    pub tz: Option<String>,
    /// Audience of messages whose file does not say (e.g. sent e-mail without a mapping).
    #[arg(long)]
    pub audience: Option<String>,
    /// Recipient address or @domain → audience, e.g. --audience-for @firma.ch=employees (repeatable).
    #[arg(long = "audience-for", value_name = "ADDRESS=AUDIENCE")]
    pub audience_for: Vec<String>,
    /// For CSV: what the table holds (default: decided from the headers).
    #[arg(long, value_parser = crate::import::options::RECORD_KINDS)]
    pub records: Option<String>,
    /// For CSV: a file header → Debrief field, e.g. --map "Gesendet am=sent_at" (repeatable).
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
    /// Print the summary as JSON: counts, `errors` with file, line, field and reason.
    #[arg(long)]
    pub json: bool,
    /// With --json, also the first new records (`sample`: kind, time, text).
    #[arg(long, requires = "json")]
    pub sample: bool,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from stdin, or generated and printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["admin", "editor", "viewer"])]
        role: String,
        #[arg(long)]
        json: bool,
    },
    /// Set a new password (from stdin, or generated and printed once) and end the user's sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; it is printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "command line")]
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its id (see the profile page or `token list`).
    Revoke {
        #[arg(long)]
        id: i64,
    },
    List {
        #[arg(long)]
        email: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum IncidentCommand {
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("{0}")]
    Store(#[from] db::StoreError),
    #[error("{0}")]
    Service(#[from] crate::error::ServiceError),
    #[error("{0}")]
    Start(#[from] crate::app::StartError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn print_json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Usage(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// A secret from stdin when something is piped in, else a generated one (printed once).
fn password_from_stdin_or_generate() -> Result<(String, bool), CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok((crate::auth::generate_password(), true));
    }
    let mut text = String::new();
    stdin.lock().read_to_string(&mut text)?;
    let pw = text.trim_end_matches(['\r', '\n']).to_string();
    if pw.is_empty() {
        Ok((crate::auth::generate_password(), true))
    } else {
        Ok((pw, false))
    }
}

pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DEBRIEF_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    // Text analysis is pure: no configuration, logging setup or database.
    if let Command::Analyze { json, file } = &cli.command {
        return analyze(file, *json);
    }
    let mut config = Config::load(
        cli.global.config.as_deref(),
        cli.global.data_dir.as_deref(),
        &ProcessEnv,
    )?;
    if let Some(url) = cli.global.database_url {
        config.database_url = Some(crate::config::Secret(url));
    }
    init_logging(config.log_format);
    match cli.command {
        Command::Serve { bind, demo } => serve(config, bind, demo),
        Command::Migrate => {
            let state = AppState::build(config)?;
            let mut conn = state.pool.get().map_err(db::StoreError::from)?;
            let applied = db::migrate(&mut conn)?;
            println!(
                "database is up to date ({} migration(s) applied now)",
                applied.len()
            );
            Ok(())
        }
        Command::Demo { json } => {
            let state = AppState::build(config)?;
            let mut conn = state.pool.get().map_err(db::StoreError::from)?;
            let summary = crate::demo::load(&mut conn, &Actor::cli())?;
            if json {
                return print_json(&summary);
            }
            print_import_summary(&summary);
            Ok(())
        }
        Command::Import(args) => import(config, args),
        Command::Export { incident, output } => {
            let state = AppState::build(config)?;
            let mut conn = state.pool.get().map_err(db::StoreError::from)?;
            let key = incident.trim().to_uppercase();
            let tl = match crate::incidents::timeline(&mut conn, &key) {
                Err(crate::error::ServiceError::NotFound) => {
                    return Err(CliError::Usage(format!("no incident has the key {key}")));
                }
                other => other?,
            };
            let text = serde_json::to_string_pretty(&crate::bundle::export(&tl))
                .map_err(|e| CliError::Usage(e.to_string()))?;
            match output {
                Some(path) => std::fs::write(&path, text + "\n")?,
                None => println!("{text}"),
            }
            Ok(())
        }
        Command::User(cmd) => user(config, cmd),
        Command::Token(cmd) => token(config, cmd),
        Command::Incident(IncidentCommand::List { json }) => {
            let state = AppState::build(config)?;
            let mut conn = state.pool.get().map_err(db::StoreError::from)?;
            let list = db::incidents::list(&mut conn, &Default::default())?;
            if json {
                let views: Vec<_> = list
                    .into_iter()
                    .map(crate::web::api::incidents::IncidentView::from)
                    .collect();
                return print_json(&views);
            }
            println!(
                "{:<16} {:<5} {:<10} {:<17} TITLE",
                "KEY", "SEV", "STATUS", "DETECTED (UTC)"
            );
            for i in list {
                println!(
                    "{:<16} {:<5} {:<10} {:<17} {}",
                    i.key,
                    i.severity,
                    i.status,
                    i.detected_at.format("%Y-%m-%d %H:%M"),
                    i.title
                );
            }
            Ok(())
        }
        Command::Analyze { json, file } => analyze(&file, json),
        Command::Score {
            incident,
            lang,
            json,
        } => score(config, &incident, &lang, json),
        Command::Report(args) => report(config, args),
        Command::Backup { output } => {
            let target = DatabaseTarget::resolve(config.database_url(), &config.data_dir)?;
            let mut conn = db::connect(&target)?;
            db::backup(&mut conn, &output)?;
            println!("backup written to {}", output.display());
            Ok(())
        }
    }
}

fn report(config: Config, args: ReportArgs) -> Result<(), CliError> {
    use crate::report::model::Lang;
    let state = AppState::build(config)?;
    let mut conn = state.pool.get().map_err(db::StoreError::from)?;
    let lang = Lang::from_code(&args.lang);
    let bytes = match (&args.incident, args.from, args.to) {
        (Some(key), _, _) => {
            match crate::reports::incident_pdf(&mut conn, &key.trim().to_uppercase(), lang) {
                Err(crate::error::ServiceError::NotFound) => {
                    return Err(CliError::Usage(format!("no incident has the key {key}")));
                }
                other => other?.1,
            }
        }
        (None, Some(from), Some(to)) => {
            if to < from {
                return Err(CliError::Usage("--to is before --from".into()));
            }
            let selection = crate::report::aggregate::PortfolioSelection {
                from,
                to,
                kind: args.kind,
                severity: args.severity,
            };
            crate::reports::portfolio_pdf(&mut conn, &selection, lang)?.1
        }
        _ => {
            return Err(CliError::Usage(
                "name --incident KEY, or --portfolio --from DATE --to DATE".into(),
            ));
        }
    };
    std::fs::write(&args.output, &bytes)
        .map_err(|e| CliError::Usage(format!("{}: {e}", args.output.display())))?;
    println!(
        "{} ({} KB) written",
        args.output.display(),
        bytes.len() / 1024
    );
    Ok(())
}

fn score(config: Config, key: &str, lang: &str, json: bool) -> Result<(), CliError> {
    let state = AppState::build(config)?;
    let mut conn = state.pool.get().map_err(db::StoreError::from)?;
    let key = key.trim().to_uppercase();
    let (incident, card) = match crate::scores::scorecard(&mut conn, &key) {
        Err(crate::error::ServiceError::NotFound) => {
            return Err(CliError::Usage(format!("no incident has the key {key}")));
        }
        other => other?,
    };
    if json {
        return print_json(&card);
    }
    let shown = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.0}"));
    println!("{} – {}", incident.key, incident.title);
    println!(
        "overall {}  timeliness {}  clarity {}  (rubric v{})",
        shown(card.overall),
        shown(card.timeliness),
        shown(card.clarity),
        card.rubric_version
    );
    println!(
        "\n{:<28} {:>10} {:>8} {:>8} {:>14}",
        "AUDIENCE", "TIMELINESS", "CLARITY", "OVERALL", "FIRST MSG (MIN)"
    );
    for a in &card.audiences {
        let name = if lang == "de" { &a.name_de } else { &a.name_en };
        let first = a.first_message_min.map_or("never".to_string(), |m| {
            format!("{m:.0} / {:.0}", a.first_message_target_min)
        });
        println!(
            "{name:<28} {:>10.0} {:>8} {:>8.0} {first:>14}",
            a.timeliness,
            shown(a.clarity),
            a.overall
        );
    }
    println!(
        "\nFINDINGS ({}), most important first:",
        card.findings.len()
    );
    for f in card.findings.iter().take(20) {
        println!("  [{}] {}", f.severity, f.text(lang));
    }
    Ok(())
}

fn analyze(file: &std::path::Path, json: bool) -> Result<(), CliError> {
    use crate::scoring::batch::{self, OutputFormat};
    use std::io::BufRead;
    let input: Box<dyn BufRead> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(file)
            .map_err(|e| CliError::Usage(format!("{}: {e}", file.display())))?;
        Box::new(std::io::BufReader::new(f))
    };
    let output = std::io::BufWriter::new(std::io::stdout().lock());
    let format = if json {
        OutputFormat::Json
    } else {
        OutputFormat::Text
    };
    let summary = match batch::run(
        input,
        output,
        std::io::stderr().lock(),
        format,
        &crate::scoring::ServiceCatalogue::default(),
        &crate::scoring::ClarityRubric::default(),
    ) {
        Ok(summary) => summary,
        // The reader stopped listening (`| head`): nothing left to do.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if summary.failed > 0 {
        return Err(CliError::Usage(format!(
            "{} of {} line(s) could not be analysed",
            summary.failed,
            summary.failed + summary.analysed
        )));
    }
    Ok(())
}

fn serve(mut config: Config, bind: Option<String>, demo: bool) -> Result<(), CliError> {
    if let Some(b) = bind {
        config.bind = b;
    }
    let bind = config.bind.clone();
    let state = AppState::build(config)?;
    {
        let mut conn = state.pool.get().map_err(db::StoreError::from)?;
        if demo {
            let s = crate::demo::load(&mut conn, &Actor::cli())?;
            tracing::info!(
                created = s.incidents_created,
                unchanged = s.unchanged,
                "demo incidents"
            );
        }
        crate::db::auth::purge_expired(&mut conn)?;
        crate::db::staged::purge_old(&mut conn)?;
        if let Some(link) = accounts::setup_link(&mut conn, &state.config.base_url())? {
            // The console is the one place the first admin's link appears (no default password).
            println!(
                "\n  No user exists yet. Create the first admin within 24 hours at:\n\n    {link}\n"
            );
        }
    }
    actix_web::rt::System::new().block_on(crate::app::serve(state, &bind))?;
    Ok(())
}

fn import(config: Config, args: ImportArgs) -> Result<(), CliError> {
    use crate::import::options::ImportOptions;
    use crate::import::pipeline::{self, DiskFile};
    let state = AppState::build(config)?;
    let mut conn = state.pool.get().map_err(db::StoreError::from)?;
    let org_tz = crate::organisation::load(&mut conn)?.time_zone;
    let request = ImportOptions {
        format: args.format.as_deref(),
        incident: args.incident.as_deref(),
        new: args.new,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        tz: args.tz.as_deref().unwrap_or(&org_tz),
        audience: args.audience.as_deref(),
        records: args.records.as_deref(),
        audience_for: args.audience_for.iter().map(String::as_str).collect(),
        map: args.map.iter().map(String::as_str).collect(),
    }
    .request()
    .map_err(|e| {
        let flag = match e.field {
            "audience_for" => "audience-for",
            other => other,
        };
        CliError::Usage(format!("--{flag}: {}", e.message))
    })?;
    let limit = state.config.upload_limit_mb * 1024 * 1024;
    let mut files = Vec::new();
    for path in &args.files {
        let size = std::fs::metadata(path)
            .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?
            .len();
        if size > limit {
            return Err(CliError::Usage(format!(
                "{}: {size} bytes is over the upload limit of {} MB (upload_limit_mb)",
                path.display(),
                state.config.upload_limit_mb
            )));
        }
        // Read where it lies: a table streams from the file, however large.
        files.push(DiskFile {
            name: path.display().to_string(),
            path: path.clone(),
        });
    }
    let summary = pipeline::run(&mut conn, &files, &request, &Actor::cli())?;
    if args.json {
        print_json(&ImportReport::new(&summary, args.sample))?;
    } else {
        print_import_summary(&summary);
    }
    if summary.error_count > 0 && !summary.committed {
        return Err(CliError::Usage(format!(
            "{} error(s); nothing was stored",
            summary.error_count
        )));
    }
    Ok(())
}

/// `debrief import --json`: the summary the issue names (counts and `errors` with file, line,
/// field and reason), what was decided (formats, incidents, committed), and the first new
/// records' texts only when asked for.
#[derive(Serialize)]
struct ImportReport<'a> {
    incidents_created: usize,
    incidents_updated: usize,
    events_new: usize,
    messages_new: usize,
    mentions_new: usize,
    recipients_new: usize,
    unchanged: usize,
    errors: &'a [crate::import::ReadError],
    /// Errors in all; `errors` lists the first 200.
    error_count: usize,
    skipped: usize,
    incidents: &'a [String],
    formats: &'a [(String, String)],
    dry_run: bool,
    committed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sample: Option<&'a [crate::import::pipeline::SampleRow]>,
}

impl<'a> ImportReport<'a> {
    fn new(s: &'a crate::import::pipeline::ImportSummary, sample: bool) -> Self {
        Self {
            incidents_created: s.incidents_created,
            incidents_updated: s.incidents_updated,
            events_new: s.events_new,
            messages_new: s.messages_new,
            mentions_new: s.mentions_new,
            recipients_new: s.recipients_new,
            unchanged: s.unchanged,
            errors: &s.errors,
            error_count: s.error_count,
            skipped: s.skipped,
            incidents: &s.incidents,
            formats: &s.formats,
            dry_run: s.dry_run,
            committed: s.committed,
            sample: sample.then_some(s.sample.as_slice()),
        }
    }
}

fn print_import_summary(s: &crate::import::pipeline::ImportSummary) {
    for (file, format) in &s.formats {
        println!("{file}: {format}");
    }
    println!(
        "{}incidents: {} new, {} updated; records: {} events, {} messages, {} mentions, {} recipients new, {} unchanged",
        if s.dry_run {
            "dry run, nothing stored. "
        } else {
            ""
        },
        s.incidents_created,
        s.incidents_updated,
        s.events_new,
        s.messages_new,
        s.mentions_new,
        s.recipients_new,
        s.unchanged
    );
    if !s.incidents.is_empty() {
        let shown: Vec<&str> = s.incidents.iter().take(10).map(String::as_str).collect();
        let more = s.incidents.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        println!("incidents: {}{more}", shown.join(", "));
    }
    for e in &s.errors {
        println!("error: {e}");
    }
    if s.error_count > s.errors.len() {
        println!("… and {} more errors", s.error_count - s.errors.len());
    }
    if s.skipped > 0 {
        println!("{} invalid record(s) skipped", s.skipped);
    }
}

fn user(config: Config, cmd: UserCommand) -> Result<(), CliError> {
    let state = AppState::build(config)?;
    let mut conn = state.pool.get().map_err(db::StoreError::from)?;
    match cmd {
        UserCommand::Create {
            email,
            name,
            role,
            json,
        } => {
            let role: Role = role.parse().map_err(CliError::Usage)?;
            let (password, generated) = password_from_stdin_or_generate()?;
            let user = accounts::create_user(
                &mut conn,
                &email,
                &name,
                role,
                Some(&password),
                &Actor::cli(),
            )?;
            if json {
                return print_json(&serde_json::json!({
                    "id": user.id, "email": user.email, "role": user.role,
                    "generated_password": generated.then_some(&password),
                }));
            }
            println!("created {} ({})", user.email, user.role);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        UserCommand::ResetPassword { email, json } => {
            let user = db::users::find_by_email(&mut conn, &email)?.ok_or_else(|| {
                CliError::Usage(format!("no user with the e-mail address {email}"))
            })?;
            let (password, generated) = password_from_stdin_or_generate()?;
            crate::auth::check_password_strength(&password, &user.email)
                .map_err(|r| CliError::Usage(format!("password {r}")))?;
            let hash = crate::auth::hash_password(&password).map_err(CliError::Usage)?;
            db::users::set_password(&mut conn, user.id, &hash)?;
            db::auth::delete_user_sessions(&mut conn, user.id)?;
            db::audit::record(
                &mut conn,
                &Actor::cli(),
                "password.reset",
                Some(&user.email),
                None,
            )?;
            if json {
                return print_json(
                    &serde_json::json!({"email": user.email, "generated_password": generated.then_some(&password)}),
                );
            }
            println!(
                "password of {} changed; their sessions have ended",
                user.email
            );
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        UserCommand::List { json } => {
            let users = db::users::list(&mut conn)?;
            if json {
                return print_json(&users);
            }
            for u in users {
                println!(
                    "{:<4} {:<32} {:<7} {:<6} {}",
                    u.id,
                    u.email,
                    u.role,
                    if u.active { "active" } else { "off" },
                    u.name
                );
            }
            Ok(())
        }
    }
}

fn token(config: Config, cmd: TokenCommand) -> Result<(), CliError> {
    let state = AppState::build(config)?;
    let mut conn = state.pool.get().map_err(db::StoreError::from)?;
    let find = |conn: &mut db::DbConn, email: &str| {
        db::users::find_by_email(conn, email)?
            .ok_or_else(|| CliError::Usage(format!("no user with the e-mail address {email}")))
    };
    match cmd {
        TokenCommand::Create { email, name, json } => {
            let user = find(&mut conn, &email)?;
            let token = accounts::create_api_token(&mut conn, &user, &name, &Actor::cli())?;
            if json {
                return print_json(
                    &serde_json::json!({"email": user.email, "name": name, "token": token}),
                );
            }
            println!(
                "API token for {} (shown once, store it now):\n{token}",
                user.email
            );
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            let t = db::auth::find_api_token(&mut conn, id)?
                .ok_or_else(|| CliError::Usage(format!("no API token with id {id}")))?;
            let owner = db::users::find(&mut conn, t.user_id)?
                .ok_or_else(|| CliError::Usage("the token's user no longer exists".into()))?;
            if accounts::revoke_api_token(&mut conn, id, &owner, &Actor::cli())? {
                println!("token {id} ({}) of {} revoked", t.name, owner.email);
            } else {
                println!("token {id} was already revoked");
            }
            Ok(())
        }
        TokenCommand::List { email, json } => {
            let user = find(&mut conn, &email)?;
            let tokens = db::auth::list_api_tokens(&mut conn, user.id)?;
            if json {
                return print_json(&tokens);
            }
            for t in tokens {
                println!(
                    "{:<4} {:<12} {:<24} {}",
                    t.id,
                    t.prefix,
                    t.name,
                    if t.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    }
                );
            }
            Ok(())
        }
    }
}
