//! The key check and the sealing of older clear e-mail bodies: on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use ebdesk_domain::Language;
use ebdesk_keys::SecretKey;
use ebdesk_store::{KeyCheck, NewUser, store_test};

store_test!(
    the_first_key_is_recorded_and_only_that_key_matches_after,
    |db| {
        let s = &db.store;
        let key = SecretKey::generate();
        let other = SecretKey::generate();
        assert_eq!(s.stored_key_check().await.unwrap(), None);
        assert_eq!(
            s.check_secret_key(&key, Utc::now()).await.unwrap(),
            KeyCheck::Recorded
        );
        assert_eq!(
            s.check_secret_key(&key, Utc::now()).await.unwrap(),
            KeyCheck::Matches
        );
        let differs = s.check_secret_key(&other, Utc::now()).await.unwrap();
        assert_eq!(
            differs,
            KeyCheck::Differs {
                stored_fingerprint: key.fingerprint()
            }
        );
        assert!(!differs.is_ok());
        // The stored value says nothing a node could use instead of the key.
        assert_eq!(s.stored_key_check().await.unwrap(), Some(key.check_value()));
        db.cleanup().await;
    }
);

store_test!(concurrent_first_starts_agree_on_one_key, |db| {
    let keys: Vec<SecretKey> = (0..4).map(|_| SecretKey::generate()).collect();
    let checks = check_all_at_once(&db.store, &keys).await;
    assert_eq!(checks.iter().filter(|c| c.is_ok()).count(), 1, "{checks:?}");
    db.cleanup().await;
});

async fn check_all_at_once(store: &ebdesk_store::Store, keys: &[SecretKey]) -> Vec<KeyCheck> {
    let mut tasks = tokio::task::JoinSet::new();
    for key in keys {
        let (store, key) = (store.clone(), key.clone());
        tasks.spawn(async move { store.check_secret_key(&key, Utc::now()).await.unwrap() });
    }
    tasks.join_all().await
}

store_test!(
    a_database_from_before_the_check_accepts_only_the_key_of_its_secrets,
    |db| {
        let s = &db.store;
        let key = SecretKey::generate();
        let id = s
            .insert_user(
                &NewUser {
                    email: "an@firma.test".to_owned(),
                    display_name: "An".to_owned(),
                    password_hash: None,
                    language: Language::Dutch,
                    is_operator: false,
                },
                Utc::now(),
            )
            .await
            .unwrap();
        let secret = key.encrypt(b"JBSWY3DPEHPK3PXP").unwrap();
        s.set_confirmed_totp_secret(id, &secret, Utc::now())
            .await
            .unwrap();
        assert_eq!(
            s.check_secret_key(&SecretKey::generate(), Utc::now())
                .await
                .unwrap(),
            KeyCheck::CannotDecrypt
        );
        assert_eq!(
            s.stored_key_check().await.unwrap(),
            None,
            "nothing recorded"
        );
        assert_eq!(
            s.check_secret_key(&key, Utc::now()).await.unwrap(),
            KeyCheck::Recorded
        );
        db.cleanup().await;
    }
);

/// Runs `sql` on the test database directly, as an older version would have written.
async fn execute(url: &str, sql: &str) {
    use sqlx::Connection as _;
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

store_test!(
    bodies_stored_in_clear_before_are_sealed_by_the_first_key_check,
    |db| {
        let s = &db.store;
        execute(
            &db.url,
            "INSERT INTO email_outbox (to_address, subject, body, created_at, next_attempt_at, \
         attempts, status) VALUES ('an@firma.test', 'Activeer', 'link /activeren/geheim', \
         '2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z', 0, 'pending')",
        )
        .await;
        let id = s.list_outbox(&Default::default()).await.unwrap().rows[0].id;
        assert_eq!(
            s.stored_email_body(id).await.unwrap(),
            ("link /activeren/geheim".to_owned(), None)
        );
        // The key the process seals with: the sender can open what the check sealed.
        let key = ebdesk_store::test_support::test_secret_key();
        assert_eq!(
            s.check_secret_key(key, Utc::now()).await.unwrap(),
            KeyCheck::Recorded
        );
        let (body, sealed) = s.stored_email_body(id).await.unwrap();
        assert_eq!(body, "");
        assert!(!sealed.unwrap().contains("geheim"));
        let opened = s
            .find_latest_email_to("an@firma.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(opened.body_text, "link /activeren/geheim");
        db.cleanup().await;
    }
);
