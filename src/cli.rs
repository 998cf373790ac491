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
    /// Write a consistent copy of the SQLite database (safe while the server runs).
    Backup {
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Args)]
pub struct ImportArgs {
    /// Add every record to this incident.
    #[arg(long, conflicts_with = "new")]
    pub incident: Option<String>,
    /// Create incidents as the files describe them (the default).
    #[arg(long)]
    pub new: bool,
    /// debrief, statuspage, cstate, csv, pagerduty, email, slack (default: recognised from the content).
    #[arg(long)]
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
    /// For CSV: events, messages, mentions or recipients (default: from the headers).
    #[arg(long, value_parser = ["events", "messages", "mentions", "recipients"])]
    pub records: Option<String>,
    /// For CSV: a file header → Debrief field, e.g. --map "Gesendet am=sent_at" (repeatable).
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
    #[arg(long)]
    pub json: bool,
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
        Command::Backup { output } => {
            let target = DatabaseTarget::resolve(config.database_url(), &config.data_dir)?;
            let mut conn = db::connect(&target)?;
            db::backup(&mut conn, &output)?;
            println!("backup written to {}", output.display());
            Ok(())
        }
    }
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

fn pairs(
    values: &[String],
    flag: &str,
) -> Result<std::collections::BTreeMap<String, String>, CliError> {
    values
        .iter()
        .map(|v| {
            v.split_once('=')
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .filter(|(a, b)| !a.is_empty() && !b.is_empty())
                .ok_or_else(|| CliError::Usage(format!("{flag} expects LEFT=RIGHT, got '{v}'")))
        })
        .collect()
}

fn import(config: Config, args: ImportArgs) -> Result<(), CliError> {
    use crate::import::pipeline::{self, ImportRequest, SourceFile, Target};
    use crate::import::{ReadOptions, RecordKind};
    let state = AppState::build(config)?;
    let mut conn = state.pool.get().map_err(db::StoreError::from)?;
    let tz = match &args.tz {
        Some(z) => crate::domain::time::parse_zone(z).map_err(CliError::Usage)?,
        None => crate::domain::time::parse_zone(&crate::organisation::load(&mut conn)?.time_zone)
            .map_err(CliError::Usage)?,
    };
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
        files.push(SourceFile {
            name: path.display().to_string(),
            bytes: std::fs::read(path)?,
        });
    }
    let record_kind = args.records.as_deref().map(|r| match r {
        "events" => RecordKind::Events,
        "mentions" => RecordKind::Mentions,
        "recipients" => RecordKind::Recipients,
        _ => RecordKind::Messages,
    });
    let request = ImportRequest {
        format: args.format.clone(),
        target: match &args.incident {
            Some(k) => Target::Existing(k.clone()),
            None => Target::FromFiles,
        },
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        read: ReadOptions {
            tz,
            default_audience: args.audience.clone(),
            audience_by_address: pairs(&args.audience_for, "--audience-for")?
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
            record_kind,
            column_mapping: pairs(&args.map, "--map")?,
        },
    };
    let summary = pipeline::run(&mut conn, &files, &request, &Actor::cli())?;
    if args.json {
        print_json(&summary)?;
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
