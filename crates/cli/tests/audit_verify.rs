//! `ebdesk audit verify` on both engines: OK on an intact log, non-zero after tampering.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Output;

use chrono::Utc;
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{AuditEntry, AuditEvent, Engine, store_test};

fn verify(db: &TestDb) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ebdesk"))
        .args(["audit", "verify", "--database-url", &db.url])
        .env("EBDESK_LOG", "warn")
        .output()
        .unwrap()
}

/// Edits an entry as someone with direct database access would: triggers dropped first.
async fn tamper(db: &TestDb, id: i64) {
    let update = format!("UPDATE audit_log SET ip = '198.51.100.9' WHERE id = {id}");
    let sql = match db.store.engine() {
        Engine::Sqlite => format!("DROP TRIGGER audit_log_no_update; {update}"),
        Engine::Postgres => {
            format!("DROP TRIGGER audit_log_no_update_or_delete ON audit_log; {update}")
        }
    };
    let sql = sqlx::AssertSqlSafe(sql);
    if db.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

store_test!(audit_verify_fails_once_an_entry_is_altered, |db| {
    let mut ids = Vec::new();
    for _ in 0..3 {
        let entry =
            AuditEntry::new(AuditEvent::LoginFailed, Utc::now()).ip(Some("192.0.2.1".to_owned()));
        ids.push(db.store.record_audit(&entry).await.unwrap());
    }
    let intact = verify(&db);
    let stdout = String::from_utf8_lossy(&intact.stdout);
    assert!(intact.status.success(), "{stdout}");
    assert!(
        stdout.contains("zonder werkgever: 3 regels, OK"),
        "{stdout}"
    );

    tamper(&db, ids[1]).await;
    let broken = verify(&db);
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(!broken.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("GEBROKEN bij regel {} (inhoud gewijzigd)", ids[1])),
        "{stdout}"
    );
    db.cleanup().await;
});
