//! Throttling in the store, on both engines: an attempt is counted and recorded in one step,
//! so that parallel attempts are refused exactly as a sequence would be.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use ebdesk_domain::access::ThrottlePolicy;
use ebdesk_store::{AttemptGrant, store_test};

const FIVE: ThrottlePolicy = ThrottlePolicy {
    max_failures: 5,
    window: Duration::minutes(15),
};

store_test!(parallel_attempts_are_granted_no_more_than_the_limit, |db| {
    let now = Utc::now();
    let keys = vec![("account:a@a.test".to_owned(), FIVE)];
    let attempts = (0..40).map(|_| {
        let store = db.store.clone();
        let keys = keys.clone();
        tokio::spawn(async move { store.begin_attempt(&keys, now).await.unwrap() })
    });
    let attempts: Vec<_> = attempts.collect();
    let mut granted = 0;
    for attempt in attempts {
        if let AttemptGrant::Granted(_) = attempt.await.unwrap() {
            granted += 1;
        }
    }
    assert_eq!(granted, 5);
    // The window decides when the key may try again.
    match db.store.begin_attempt(&keys, now).await.unwrap() {
        // PostgreSQL keeps microseconds.
        AttemptGrant::Throttled(at) => {
            assert!(
                (at - (now + Duration::minutes(15)))
                    .num_microseconds()
                    .unwrap()
                    .abs()
                    < 1
            )
        }
        AttemptGrant::Granted(_) => panic!("a sixth attempt in the window"),
    }
    let later = now + Duration::minutes(16);
    assert!(matches!(
        db.store.begin_attempt(&keys, later).await.unwrap(),
        AttemptGrant::Granted(_)
    ));
    db.cleanup().await;
});

store_test!(
    a_released_attempt_does_not_count_and_keys_count_apart,
    |db| {
        let now = Utc::now();
        let account = ("account:a@a.test".to_owned(), FIVE);
        let office = ("ip:10.0.0.1".to_owned(), FIVE);
        for _ in 0..10 {
            let both = vec![account.clone(), office.clone()];
            let AttemptGrant::Granted(ticket) = db.store.begin_attempt(&both, now).await.unwrap()
            else {
                panic!("a good login is never throttled by good logins");
            };
            db.store.release_attempt(ticket).await.unwrap();
        }
        for _ in 0..5 {
            let only = vec![office.clone()];
            assert!(matches!(
                db.store.begin_attempt(&only, now).await.unwrap(),
                AttemptGrant::Granted(_)
            ));
        }
        // The address is used up; the account by itself is not, but together they wait.
        let other_account = vec![("account:b@a.test".to_owned(), FIVE)];
        assert!(matches!(
            db.store.begin_attempt(&other_account, now).await.unwrap(),
            AttemptGrant::Granted(_)
        ));
        let both = vec![account, office];
        assert!(matches!(
            db.store.begin_attempt(&both, now).await.unwrap(),
            AttemptGrant::Throttled(_)
        ));
        db.cleanup().await;
    }
);
