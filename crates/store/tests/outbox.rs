//! E-mail outbox tests: every one runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ebdesk_domain::EmailAddress;
use ebdesk_store::{
    EmailStatus, FailureKind, FailureOutcome, MAX_EMAIL_ATTEMPTS, OutboxFilter, OutgoingEmail,
    retry_delay, store_test,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

fn email(to: &str, subject: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: EmailAddress::parse(to).unwrap(),
        subject: subject.to_owned(),
        body_text: format!("Beste collega,\n\n{subject}: één klik.\n"),
    }
}

const LEASE: i64 = 5;

fn lease() -> Duration {
    Duration::minutes(LEASE)
}

store_test!(a_message_is_claimed_by_one_sender_and_marked_sent, |db| {
    let s = &db.store;
    let id = s
        .enqueue_email(&email("An@Firma.test", "Activeer je account"), t0())
        .await
        .unwrap();
    let claimed = s.claim_due_emails(t0(), 10, lease()).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let m = &claimed[0];
    assert_eq!((m.id, m.attempts), (id, 1));
    assert_eq!(m.to_address, "an@firma.test");
    assert_eq!(
        m.body_text.as_deref(),
        Some("Beste collega,\n\nActiveer je account: één klik.\n")
    );
    // Leased: nobody else gets it, not even a minute later.
    assert!(
        s.claim_due_emails(t0(), 10, lease())
            .await
            .unwrap()
            .is_empty()
    );
    let later = t0() + Duration::minutes(1);
    assert!(
        s.claim_due_emails(later, 10, lease())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!s.mark_email_sent(id, "not-the-token", later).await.unwrap());
    assert!(s.mark_email_sent(id, &m.lease_token, later).await.unwrap());
    // Sent once: not again after the lease, and the operator sees it sent.
    let much_later = t0() + Duration::hours(1);
    assert!(
        s.claim_due_emails(much_later, 10, lease())
            .await
            .unwrap()
            .is_empty()
    );
    let row = s
        .find_latest_email_to("an@firma.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, EmailStatus::Sent);
    assert_eq!(row.sent_at, Some(later));
    assert_eq!(row.attempts, 1);
    db.cleanup().await;
});

store_test!(
    an_expired_lease_passes_to_another_sender_and_fences_the_first,
    |db| {
        let s = &db.store;
        let id = s
            .enqueue_email(&email("an@firma.test", "Reset"), t0())
            .await
            .unwrap();
        let first = s
            .claim_due_emails(t0(), 10, lease())
            .await
            .unwrap()
            .remove(0);
        let after_lease = t0() + Duration::minutes(LEASE + 1);
        let second = s
            .claim_due_emails(after_lease, 10, lease())
            .await
            .unwrap()
            .remove(0);
        assert_eq!(second.id, id);
        assert_eq!(second.attempts, 2);
        assert_ne!(second.lease_token, first.lease_token);
        assert!(
            !s.mark_email_sent(id, &first.lease_token, after_lease)
                .await
                .unwrap()
        );
        let outcome = s
            .mark_email_failed(
                id,
                &first.lease_token,
                "late",
                FailureKind::Transient,
                after_lease,
            )
            .await
            .unwrap();
        assert_eq!(outcome, FailureOutcome::LeaseLost);
        assert!(
            s.mark_email_sent(id, &second.lease_token, after_lease)
                .await
                .unwrap()
        );
        db.cleanup().await;
    }
);

store_test!(failures_back_off_then_give_up_and_stay_visible, |db| {
    let s = &db.store;
    let id = s
        .enqueue_email(&email("an@firma.test", "Welkom"), t0())
        .await
        .unwrap();
    let mut now = t0();
    for attempt in 1..=MAX_EMAIL_ATTEMPTS {
        let m = s
            .claim_due_emails(now, 10, lease())
            .await
            .unwrap()
            .remove(0);
        assert_eq!(m.attempts, attempt);
        let error = format!("451 probeer later ({attempt})");
        let outcome = s
            .mark_email_failed(id, &m.lease_token, &error, FailureKind::Transient, now)
            .await
            .unwrap();
        let row = s
            .find_latest_email_to("an@firma.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.last_error.as_deref(), Some(error.as_str()));
        match retry_delay(attempt) {
            Some(delay) => {
                assert_eq!(outcome, FailureOutcome::RetryAt(now + delay));
                assert_eq!(row.status, EmailStatus::Pending);
                // Not due a second early, due on time.
                let early = now + delay - Duration::seconds(1);
                assert!(
                    s.claim_due_emails(early, 10, lease())
                        .await
                        .unwrap()
                        .is_empty()
                );
                now += delay;
            }
            None => {
                assert_eq!(outcome, FailureOutcome::GaveUp);
                assert_eq!(row.status, EmailStatus::Failed);
                assert_eq!(row.failed_at, Some(now));
            }
        }
    }
    let far = now + Duration::days(30);
    assert!(
        s.claim_due_emails(far, 10, lease())
            .await
            .unwrap()
            .is_empty()
    );
    let failed = s
        .list_outbox(&OutboxFilter {
            status: Some(EmailStatus::Failed),
            ..OutboxFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.rows.len(), 1);
    assert_eq!(failed.rows[0].attempts, MAX_EMAIL_ATTEMPTS);
    // The operator sends it again: one more attempt, due at once.
    assert!(s.retry_email(id, far).await.unwrap());
    assert!(!s.retry_email(id, far).await.unwrap());
    let again = s.claim_due_emails(far, 10, lease()).await.unwrap();
    assert_eq!(again.len(), 1);
    assert!(
        s.mark_email_sent(id, &again[0].lease_token, far)
            .await
            .unwrap()
    );
    db.cleanup().await;
});

store_test!(a_permanent_refusal_gives_up_at_once, |db| {
    let s = &db.store;
    let id = s
        .enqueue_email(&email("weg@firma.test", "Welkom"), t0())
        .await
        .unwrap();
    let m = s
        .claim_due_emails(t0(), 10, lease())
        .await
        .unwrap()
        .remove(0);
    let outcome = s
        .mark_email_failed(
            id,
            &m.lease_token,
            "550 no such user",
            FailureKind::Permanent,
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(outcome, FailureOutcome::GaveUp);
    let row = s
        .find_latest_email_to("weg@firma.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, EmailStatus::Failed);
    assert_eq!(row.last_error.as_deref(), Some("550 no such user"));
    db.cleanup().await;
});

store_test!(concurrent_claims_never_hand_out_a_message_twice, |db| {
    for i in 0..60 {
        db.store
            .enqueue_email(&email(&format!("p{i}@firma.test"), "Welkom"), t0())
            .await
            .unwrap();
    }
    let senders: Vec<_> = (0..4)
        .map(|_| {
            let store = db.store.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let batch = store.claim_due_emails(t0(), 4, lease()).await.unwrap();
                    if batch.is_empty() {
                        break mine;
                    }
                    for m in batch {
                        assert!(
                            store
                                .mark_email_sent(m.id, &m.lease_token, t0())
                                .await
                                .unwrap()
                        );
                        mine.push(m.id);
                    }
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for sender in senders {
        all.extend(sender.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 60);
    assert_eq!(distinct.len(), 60);
    db.cleanup().await;
});

store_test!(
    the_outbox_lists_newest_first_by_recipient_and_status,
    |db| {
        let s = &db.store;
        s.enqueue_email(&email("an@firma.test", "Eerste"), t0())
            .await
            .unwrap();
        s.enqueue_email(&email("bo@firma.test", "Ander"), t0())
            .await
            .unwrap();
        let second = s
            .enqueue_email(&email("an@firma.test", "Tweede"), t0())
            .await
            .unwrap();
        let latest = s
            .find_latest_email_to("an@firma.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((latest.id, latest.subject.as_str()), (second, "Tweede"));
        assert!(
            s.find_latest_email_to("niemand@firma.test")
                .await
                .unwrap()
                .is_none()
        );
        let page = s
            .list_outbox(&OutboxFilter {
                limit: 2,
                ..OutboxFilter::default()
            })
            .await
            .unwrap();
        let subjects: Vec<_> = page.rows.iter().map(|r| r.subject.as_str()).collect();
        assert_eq!(subjects, vec!["Tweede", "Ander"]);
        let rest = s
            .list_outbox(&OutboxFilter {
                before_id: page.next_before,
                ..OutboxFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(rest.rows.len(), 1);
        assert_eq!(rest.rows[0].subject, "Eerste");
        assert!(rest.next_before.is_none());
        let pending = s
            .list_outbox(&OutboxFilter {
                status: Some(EmailStatus::Pending),
                to: Some("bo@firma.test".to_owned()),
                ..OutboxFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(pending.rows.len(), 1);
        assert_eq!(pending.rows[0].attempts, 0);
        db.cleanup().await;
    }
);

store_test!(
    a_queued_body_is_not_readable_at_rest_and_opens_for_the_sender,
    |db| {
        let s = &db.store;
        let token = "Zq8xT3vYp0sK1mN4bC7dE2fG5hJ6kL9a";
        let mut mail = email("an@firma.test", "Activeer je account");
        mail.body_text = format!("Activeer: http://127.0.0.1:8080/activeren/{token}\n");
        let id = s.enqueue_email(&mail, t0()).await.unwrap();
        let (body, sealed) = s.stored_email_body(id).await.unwrap();
        assert_eq!(body, "");
        let sealed = sealed.expect("a sealed body");
        assert!(!sealed.contains(token) && !sealed.contains("activeren"));
        // Bound to its recipient: moved to another row, it does not open.
        let key = ebdesk_store::test_support::test_secret_key();
        assert!(
            key.decrypt_for(b"ebdesk outbox:an@firma.test", &sealed)
                .is_ok()
        );
        assert!(
            key.decrypt_for(b"ebdesk outbox:bo@firma.test", &sealed)
                .is_err()
        );
        // The operator's list carries no body at all.
        let page = s.list_outbox(&OutboxFilter::default()).await.unwrap();
        let listed = format!("{:?}", page.rows[0]);
        assert!(!listed.contains(token), "{listed}");
        let claimed = s.claim_due_emails(t0(), 10, lease()).await.unwrap();
        assert_eq!(
            claimed[0].body_text.as_deref(),
            Some(mail.body_text.as_str())
        );
        db.cleanup().await;
    }
);
