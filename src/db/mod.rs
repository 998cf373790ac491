//! Storage: one diesel schema, two backends. SQLite is the embedded default; PostgreSQL is chosen by
//! a `postgres://` URL. Query functions live in one file per area and take `&mut DbConn`.

pub mod actions;
pub mod audiences;
pub mod audit;
pub mod auth;
pub mod imports;
pub mod incidents;
pub mod invitations;
pub mod outbox;
pub mod recipients;
pub mod responses;
pub mod review_people;
pub mod reviews;
pub mod schema;
pub mod scores;
pub mod settings;
pub mod staged;
pub mod surveys;
pub mod timeline;
pub mod users;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConn>>;
pub type PooledConn = PooledConnection<ConnectionManager<DbConn>>;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database connection: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("{0}")]
    Config(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }

    /// The database could not be reached or dropped the connection (a restart, a failover, the
    /// network): worth a retry, not a bug. PostgreSQL's "terminating connection" (SQLSTATE
    /// 57P01) reaches diesel only as a message, without its code.
    pub fn is_unavailable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            StoreError::Pool(_) | StoreError::Connect(_) => true,
            StoreError::Query(Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)) => true,
            StoreError::Query(Error::DatabaseError(DatabaseErrorKind::Unknown, info)) => {
                let message = info.message();
                [
                    "terminating connection",
                    "server closed the connection",
                    "connection to server",
                    "no connection to the server",
                    "the database system is shutting down",
                    "the database system is starting up",
                ]
                .iter()
                .any(|sign| message.contains(sign))
            }
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the data lives, resolved from `DATABASE_URL` or the data directory.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseTarget {
    pub url: String,
    pub backend: Backend,
}

impl std::fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A PostgreSQL URL may carry a password.
        let shown = match url::Url::parse(&self.url) {
            Ok(mut u) if u.password().is_some() => {
                let _ = u.set_password(Some("***"));
                u.to_string()
            }
            _ => self.url.clone(),
        };
        write!(f, "{shown}")
    }
}

impl DatabaseTarget {
    /// `postgres://…` selects PostgreSQL; `sqlite://PATH`, a bare path, or nothing (→ `DATA_DIR/debrief.db`)
    /// select SQLite.
    pub fn resolve(database_url: Option<&str>, data_dir: &Path) -> StoreResult<Self> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => Ok(Self {
                url: u.to_string(),
                backend: Backend::Postgres,
            }),
            Some(u) => {
                let path = u.strip_prefix("sqlite://").unwrap_or(u);
                let path = PathBuf::from(path);
                // Refuse a path into a missing directory instead of silently starting empty elsewhere.
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
                    && !parent.is_dir()
                {
                    return Err(StoreError::Config(format!(
                        "the directory of the SQLite database {} does not exist",
                        path.display()
                    )));
                }
                Ok(Self {
                    url: path.to_string_lossy().into_owned(),
                    backend: Backend::Sqlite,
                })
            }
            None => {
                std::fs::create_dir_all(data_dir).map_err(|e| {
                    StoreError::Config(format!(
                        "cannot create data directory {}: {e}",
                        data_dir.display()
                    ))
                })?;
                Ok(Self {
                    url: data_dir.join("debrief.db").to_string_lossy().into_owned(),
                    backend: Backend::Sqlite,
                })
            }
        }
    }
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(SQLITE_PRAGMAS)
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

// busy_timeout first: switching to WAL itself may wait for another connection. Another process
// (a CLI import of a large file) can hold the write lock for the whole of its all-or-nothing
// transaction; a web request waits for it rather than fail with "database is locked".
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

pub fn connect(target: &DatabaseTarget) -> StoreResult<DbConn> {
    let mut conn = DbConn::establish(&target.url)?;
    if let DbConn::Sqlite(c) = &mut conn {
        c.batch_execute(SQLITE_PRAGMAS)?;
    }
    Ok(conn)
}

pub fn pool(target: &DatabaseTarget, max_size: u32) -> StoreResult<DbPool> {
    let manager = ConnectionManager::<DbConn>::new(target.url.clone());
    Ok(Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(15))
        .connection_customizer(Box::new(SqlitePragmas))
        .build(manager)?)
}

pub fn backend(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Sqlite(_) => Backend::Sqlite,
        DbConn::Postgres(_) => Backend::Postgres,
    }
}

/// Runs pending migrations; returns the versions applied.
pub fn migrate(conn: &mut DbConn) -> StoreResult<Vec<String>> {
    let applied = match conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|versions| versions.iter().map(|v| v.to_string()).collect::<Vec<_>>()),
        DbConn::Postgres(c) => {
            // Instances starting together take turns: the second finds the work done.
            c.batch_execute("SELECT pg_advisory_lock(7311004)")?;
            let applied = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|versions| versions.iter().map(|v| v.to_string()).collect::<Vec<_>>());
            c.batch_execute("SELECT pg_advisory_unlock(7311004)")?;
            applied
        }
    }
    .map_err(|e| StoreError::Migration(e.to_string()))?;
    Ok(applied)
}

/// Reverts every migration (used by the migration round-trip test and `migrate --revert-all`).
pub fn revert_all(conn: &mut DbConn) -> StoreResult<()> {
    match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    }
    .map_err(|e| StoreError::Migration(e.to_string()))
}

/// A consistent copy of a live SQLite database (`VACUUM INTO` reads one snapshot under WAL).
pub fn backup(conn: &mut DbConn, out: &Path) -> StoreResult<()> {
    match conn {
        DbConn::Sqlite(c) => {
            if out.exists() {
                return Err(StoreError::Config(format!(
                    "{} already exists; choose a new file name",
                    out.display()
                )));
            }
            let quoted = out.to_string_lossy().replace('\'', "''");
            c.batch_execute(&format!("VACUUM INTO '{quoted}'"))?;
            Ok(())
        }
        DbConn::Postgres(_) => Err(StoreError::Config(
            "debrief backup copies the embedded SQLite database only. For PostgreSQL use \
             pg_dump, e.g. `pg_dump --format=custom --file=debrief.dump \"$DATABASE_URL\"`, and \
             restore with pg_restore."
                .into(),
        )),
    }
}

/// The current time as stored: UTC, truncated to microseconds so both backends read back what was written.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros())
        .unwrap_or(now)
        .naive_utc()
}

static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// Whether this thread holds the writer lock: a second outermost write transaction on another
    /// connection in the same thread must not wait for itself.
    static HOLDS_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

struct SqliteWriter(Option<std::sync::MutexGuard<'static, ()>>);

impl SqliteWriter {
    fn acquire() -> Self {
        if HOLDS_WRITER.with(std::cell::Cell::get) {
            return SqliteWriter(None);
        }
        let guard = SQLITE_WRITER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        HOLDS_WRITER.with(|h| h.set(true));
        SqliteWriter(Some(guard))
    }
}

impl Drop for SqliteWriter {
    fn drop(&mut self) {
        if self.0.is_some() {
            HOLDS_WRITER.with(|h| h.set(false));
        }
    }
}

/// Runs several reads on one snapshot. On SQLite that is also what makes them cheap under
/// concurrent writers: in WAL mode a connection discards its whole page cache at the start of a
/// read transaction whenever another connection has committed since, so separate statements
/// (each its own transaction) would each read their pages afresh. On PostgreSQL the reads run as
/// they are, since a transaction there costs two more round trips.
pub fn read_snapshot<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(_) => conn.transaction(f),
        DbConn::Postgres(_) => f(conn),
    }
}

/// A transaction that writes. On SQLite it takes the write lock at the start (`BEGIN
/// IMMEDIATE`): a deferred transaction that reads first and writes later can find the lock taken
/// and fail at once with "database is locked", which the busy timeout does not cover. Nested in
/// another transaction it is a savepoint, as diesel's own transactions are.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let outermost_sqlite = match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()
            .map_err(E::from)?
            .is_none(),
        DbConn::Postgres(_) => false,
    };
    if !outermost_sqlite {
        return conn.transaction(f);
    }
    // Writers of this process queue here rather than in SQLite's busy handler, which sleeps in
    // steps of up to 100 ms before it retries; other processes (the CLI) still meet the busy timeout.
    let _writer = SqliteWriter::acquire();
    if let DbConn::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE").map_err(E::from)?;
    }
    let result = f(conn);
    if let DbConn::Sqlite(c) = conn {
        match &result {
            Ok(_) => AnsiTransactionManager::commit_transaction(c).map_err(E::from)?,
            Err(_) => AnsiTransactionManager::rollback_transaction(c).map_err(E::from)?,
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::StoreError;
    use diesel::result::{DatabaseErrorKind, Error};

    fn database_error(kind: DatabaseErrorKind, message: &str) -> StoreError {
        StoreError::Query(Error::DatabaseError(kind, Box::new(message.to_string())))
    }

    #[test]
    fn a_dropped_connection_is_unavailable_and_a_bad_query_is_not() {
        let restart = database_error(
            DatabaseErrorKind::Unknown,
            "terminating connection due to administrator command",
        );
        assert!(restart.is_unavailable());
        assert!(database_error(DatabaseErrorKind::ClosedConnection, "closed").is_unavailable());
        assert!(
            !database_error(DatabaseErrorKind::Unknown, "syntax error at or near").is_unavailable()
        );
        assert!(
            !database_error(DatabaseErrorKind::UniqueViolation, "duplicate key").is_unavailable()
        );
        assert!(!StoreError::Query(Error::NotFound).is_unavailable());
    }
}
