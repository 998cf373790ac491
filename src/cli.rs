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
    /// Write a consistent copy of the SQLite database (safe while the server runs).
    Backup {
        #[arg(short, long)]
        output: PathBuf,
    },
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
            let stored = crate::demo::load(&mut conn, &Actor::cli())?;
            if json {
                return print_json(&stored);
            }
            for s in stored {
                if s.created {
                    println!(
                        "{}: loaded ({} events, {} messages, {} mentions)",
                        s.key, s.events, s.messages, s.mentions
                    );
                } else {
                    println!("{}: already there, left unchanged", s.key);
                }
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
            for s in crate::demo::load(&mut conn, &Actor::cli())? {
                tracing::info!(key = %s.key, created = s.created, "demo incident");
            }
        }
        crate::db::auth::purge_expired(&mut conn)?;
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
