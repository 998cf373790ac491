use std::collections::BTreeSet;
use std::path::Path;

use crate::common::backends;
use diesel::RunQueryDsl;

fn versions(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .expect("migrations folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_two_migration_folders_pair_up() {
    let sqlite = versions("migrations/sqlite");
    let postgres = versions("migrations/postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration needs a twin for the other backend"
    );
    for v in &sqlite {
        for backend in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let p = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("migrations")
                    .join(backend)
                    .join(v)
                    .join(file);
                assert!(p.is_file(), "{} is missing", p.display());
            }
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn user_tables(conn: &mut debrief::db::DbConn) -> i64 {
    let sql = match conn {
        debrief::db::DbConn::Sqlite(_) => {
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__diesel_schema_migrations'"
        }
        debrief::db::DbConn::Postgres(_) => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name != '__diesel_schema_migrations'"
        }
    };
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .expect("count tables")
        .n
}

#[test]
fn migrations_run_up_down_and_up_again_on_both_backends() {
    for db in backends() {
        let mut conn = db.connect();
        debrief::db::migrate(&mut conn).expect("up");
        let tables = user_tables(&mut conn);
        assert_eq!(tables, 39, "{:?}: the complete domain schema", db.backend);
        debrief::db::revert_all(&mut conn).expect("down");
        assert_eq!(
            user_tables(&mut conn),
            0,
            "{:?}: down removes everything",
            db.backend
        );
        debrief::db::migrate(&mut conn).expect("up again");
        assert_eq!(user_tables(&mut conn), tables);
        // The schema is what the code expects: the seeded defaults and the demo go in and come out.
        debrief::db::audiences::seed_defaults(&mut conn).expect("seed");
        let stored =
            debrief::demo::load(&mut conn, &debrief::db::audit::Actor::cli()).expect("demo");
        assert_eq!(stored.incidents_created, 2);
        let tl = debrief::incidents::timeline(&mut conn, "INC-2026-014").expect("timeline");
        assert_eq!(
            (tl.events.len(), tl.messages.len(), tl.mentions.len()),
            (11, 16, 4),
            "{:?}",
            db.backend
        );
    }
}

#[test]
fn sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout() {
    let db = crate::common::TestDb::sqlite();
    let state = crate::common::state_for(&db);
    let mut conn = state.pool.get().expect("conn");
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    let mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result::<Text>(&mut *conn)
        .expect("pragma");
    assert_eq!(mode.journal_mode, "wal");
    #[derive(diesel::QueryableByName)]
    struct Int {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        foreign_keys: i64,
    }
    let fk = diesel::sql_query("PRAGMA foreign_keys")
        .get_result::<Int>(&mut *conn)
        .expect("pragma");
    assert_eq!(fk.foreign_keys, 1);
    #[derive(diesel::QueryableByName)]
    struct Timeout {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        timeout: i64,
    }
    let t = diesel::sql_query("PRAGMA busy_timeout")
        .get_result::<Timeout>(&mut *conn)
        .expect("pragma");
    assert!(t.timeout >= 5000);
}

#[test]
fn backup_copies_a_live_sqlite_database() {
    let db = crate::common::TestDb::sqlite();
    let state = crate::common::state_for(&db);
    let mut conn = state.pool.get().expect("conn");
    debrief::demo::load(&mut conn, &debrief::db::audit::Actor::cli()).expect("demo");
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("copy.db");
    debrief::db::backup(&mut conn, &out).expect("backup");
    let mut copy = debrief::db::connect(&debrief::db::DatabaseTarget {
        url: out.to_string_lossy().into_owned(),
        backend: debrief::db::Backend::Sqlite,
    })
    .expect("open copy");
    let list = debrief::db::incidents::list(&mut copy, &Default::default()).expect("list");
    assert_eq!(list.len(), 2);
    assert!(
        debrief::db::backup(&mut conn, &out).is_err(),
        "an existing file is never overwritten"
    );
}
