//! An employer's data and its notification address: every test runs on SQLite and on
//! PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use ebdesk_domain::{Language, Rights};
use ebdesk_store::{
    Access, Actor, AuditEmployer, AuditEvent, AuditFilter, EmployerDetails, LinkProblem,
    NewEmployer, NewUser, NotificationChangeRequest, NotificationRequester, OutboxFilter,
    OutgoingMail, Store, StoreError, store_test,
};

const NUMBER: &str = "530-101";
const OLD: &str = "verzekeringen@werkgever.test";
const NEW: &str = "lijst@werkgever.test";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

struct Fixture {
    employer: i64,
    other: i64,
    master: i64,
    consult: i64,
    operator: i64,
}

fn employer(number: &str) -> NewEmployer {
    NewEmployer {
        number: number.to_owned(),
        name: format!("Werkgever {number}"),
        kbo_number: "0403170701".to_owned(),
        street: "Straat 1".to_owned(),
        postal_code: "1000".to_owned(),
        city: "Brussel".to_owned(),
        notification_email: OLD.to_owned(),
    }
}

async fn user(store: &Store, email: &str, is_operator: bool) -> i64 {
    let user = NewUser {
        email: email.to_owned(),
        display_name: email.to_owned(),
        password_hash: None,
        language: Language::Dutch,
        is_operator,
    };
    store.insert_user(&user, t0()).await.unwrap()
}

async fn fixture(store: &Store) -> Fixture {
    let employer_id = store
        .insert_employer(&employer(NUMBER), t0())
        .await
        .unwrap();
    let other = store
        .insert_employer(&employer("530-202"), t0())
        .await
        .unwrap();
    let master = user(store, "master@werkgever.test", false).await;
    let consult = user(store, "consult@werkgever.test", false).await;
    let operator = user(store, "beheer@ebdesk.test", true).await;
    let sheet = |user, rights| store.insert_sheet(employer_id, user, rights, None, None, t0());
    sheet(master, Rights::Master).await.unwrap();
    sheet(consult, Rights::Consult).await.unwrap();
    Fixture {
        employer: employer_id,
        other,
        master,
        consult,
        operator,
    }
}

async fn access(store: &Store, user_id: i64) -> Access {
    store
        .find_access(user_id, NUMBER, t0().date_naive())
        .await
        .unwrap()
        .unwrap()
}

fn by(user_id: i64) -> Actor {
    Actor {
        user_id: Some(user_id),
        ip: Some("127.0.0.1".to_owned()),
    }
}

fn mail(to: &str, subject: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        body: "Tekst".to_owned(),
    }
}

fn request(new: &str, token_hash: &str, at: DateTime<Utc>) -> NotificationChangeRequest {
    NotificationChangeRequest {
        new_email: new.to_owned(),
        token_hash: token_hash.to_owned(),
        language: "fr".to_owned(),
        expires_at: at + Duration::hours(72),
        mail: mail(new, "Bevestig"),
    }
}

async fn current_address(store: &Store, number: &str) -> String {
    store
        .find_employer(number)
        .await
        .unwrap()
        .unwrap()
        .notification_email
}

async fn events(store: &Store, employer_id: i64, event: AuditEvent) -> Vec<serde_json::Value> {
    let filter = AuditFilter {
        event: Some(event),
        ..AuditFilter::default()
    };
    store
        .list_audit_all(AuditEmployer::Employer(employer_id), &filter)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.details)
        .collect()
}

async fn mails_to(store: &Store, address: &str) -> Vec<String> {
    let filter = OutboxFilter {
        to: Some(address.to_owned()),
        ..OutboxFilter::default()
    };
    let page = store.list_outbox(&filter).await.unwrap();
    page.rows.into_iter().map(|r| r.subject).collect()
}

store_test!(
    an_employer_change_records_only_the_fields_that_changed,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let mut details = EmployerDetails {
            name: "Werkgever 530-101".to_owned(),
            kbo_number: "0403170701".to_owned(),
            street: "Straat 1".to_owned(),
            postal_code: "1000".to_owned(),
            city: "Brussel".to_owned(),
        };
        // Nothing differs: nothing is written, no audit entry.
        let op = by(f.operator);
        assert_eq!(
            s.update_employer_details(f.employer, &details, &op, t0())
                .await
                .unwrap(),
            0
        );
        assert!(
            events(s, f.employer, AuditEvent::EmployerChanged)
                .await
                .is_empty()
        );
        // The same KBO number written with dots is no change (and the stored form stays).
        details.kbo_number = "0403.170.701".to_owned();
        assert_eq!(
            s.update_employer_details(f.employer, &details, &op, t0())
                .await
                .unwrap(),
            0
        );

        details.name = "Bouwbedrijf Nieuw NV".to_owned();
        details.city = "Elsene".to_owned();
        let changed = s
            .update_employer_details(f.employer, &details, &op, t0())
            .await;
        assert_eq!(changed.unwrap(), 2);
        let stored = s.find_employer(NUMBER).await.unwrap().unwrap();
        assert_eq!(
            (stored.name.as_str(), stored.city.as_str()),
            ("Bouwbedrijf Nieuw NV", "Elsene")
        );
        assert_eq!(
            (stored.street.as_str(), stored.kbo_number.as_str()),
            ("Straat 1", "0403170701")
        );
        // The number and the notification address are not part of the data.
        assert_eq!(
            (stored.number.as_str(), stored.notification_email.as_str()),
            (NUMBER, OLD)
        );
        let logged = events(s, f.employer, AuditEvent::EmployerChanged).await;
        assert_eq!(
            logged,
            [serde_json::json!({
                "before": {"name": "Werkgever 530-101", "city": "Brussel"},
                "after": {"name": "Bouwbedrijf Nieuw NV", "city": "Elsene"},
            })]
        );
        // The other employer is untouched; an unknown one is not found.
        assert_eq!(
            s.find_employer("530-202").await.unwrap().unwrap().name,
            "Werkgever 530-202"
        );
        let missing = s
            .update_employer_details(f.other + 1000, &details, &op, t0())
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
        assert!(s.verify_audit_chain().await.unwrap().is_intact());
        db.cleanup().await;
    }
);

store_test!(
    a_new_notification_address_is_used_only_once_its_link_is_confirmed,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let master = access(s, f.master).await;
        let asked = request(NEW, "hash-1", t0());
        s.request_notification_change(
            NotificationRequester::Master(&master),
            &asked,
            &by(f.master),
            t0(),
        )
        .await
        .unwrap();
        // Pending: the current address stays, the new one got the link.
        assert_eq!(current_address(s, NUMBER).await, OLD);
        let pending = s
            .find_pending_notification_change(master.scope(), t0())
            .await
            .unwrap()
            .unwrap();
        assert_eq!((pending.new_email.as_str(), pending.expired), (NEW, false));
        assert_eq!(mails_to(s, NEW).await, ["Bevestig"]);
        assert_eq!(
            events(s, f.employer, AuditEvent::NotificationAddressRequested).await,
            [serde_json::json!({"current": OLD, "requested": NEW})]
        );
        let link = s
            .find_notification_link("hash-1", t0())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (link.current_email.as_str(), link.new_email.as_str()),
            (OLD, NEW)
        );
        assert_eq!(
            (link.employer_number.as_str(), link.language.as_str()),
            (NUMBER, "fr")
        );

        let later = t0() + Duration::hours(1);
        let notice = mail(OLD, "Vervangen");
        let done = s
            .confirm_notification_change("hash-1", OLD, notice.clone(), &Actor::default(), later)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (done.current_email.as_str(), done.new_email.as_str()),
            (OLD, NEW)
        );
        assert_eq!(current_address(s, NUMBER).await, NEW);
        assert_eq!(current_address(s, "530-202").await, OLD);
        assert_eq!(mails_to(s, OLD).await, ["Vervangen"]);
        assert!(
            s.find_pending_notification_change(master.scope(), later)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            events(s, f.employer, AuditEvent::NotificationAddressChanged).await,
            [serde_json::json!({"before": OLD, "after": NEW})]
        );
        // The link works once.
        let nobody = Actor::default();
        let again = s.confirm_notification_change("hash-1", NEW, notice, &nobody, later);
        assert_eq!(again.await.unwrap().unwrap_err(), LinkProblem::Used);
        assert_eq!(
            s.find_notification_link("hash-1", later)
                .await
                .unwrap()
                .unwrap_err(),
            LinkProblem::Used
        );
        assert_eq!(mails_to(s, OLD).await.len(), 1);
        assert!(s.verify_audit_chain().await.unwrap().is_intact());
        db.cleanup().await;
    }
);

store_test!(
    a_link_that_expired_was_replaced_or_is_wrong_changes_nothing,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let op = NotificationRequester::Operator {
            employer_id: f.employer,
        };
        s.request_notification_change(op, &request(NEW, "hash-1", t0()), &by(f.operator), t0())
            .await
            .unwrap();
        // A second request replaces the first: its link no longer works.
        let second = request("ander@werkgever.test", "hash-2", t0());
        s.request_notification_change(op, &second, &by(f.operator), t0())
            .await
            .unwrap();
        let notice = || mail(OLD, "Vervangen");
        let actor = Actor::default();
        let replaced = s
            .confirm_notification_change("hash-1", OLD, notice(), &actor, t0())
            .await;
        assert_eq!(replaced.unwrap().unwrap_err(), LinkProblem::Unknown);
        let wrong = s
            .confirm_notification_change("geen-hash", OLD, notice(), &actor, t0())
            .await;
        assert_eq!(wrong.unwrap().unwrap_err(), LinkProblem::Unknown);
        // 72 hours later the second has expired too; the page still says what waited.
        let late = t0() + Duration::hours(72);
        let expired = s
            .confirm_notification_change("hash-2", OLD, notice(), &actor, late)
            .await;
        assert_eq!(expired.unwrap().unwrap_err(), LinkProblem::Expired);
        let pending = s
            .find_pending_notification_change_of(f.employer, late)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (pending.new_email.as_str(), pending.expired),
            ("ander@werkgever.test", true)
        );
        assert_eq!(current_address(s, NUMBER).await, OLD);
        assert!(mails_to(s, OLD).await.is_empty());
        assert!(
            events(s, f.employer, AuditEvent::NotificationAddressChanged)
                .await
                .is_empty()
        );
        db.cleanup().await;
    }
);

store_test!(
    only_the_master_or_an_operator_asks_and_the_link_dies_with_their_right,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        // A consult user's access is no master's; a user who is no operator is not one.
        let consult = access(s, f.consult).await;
        let asked = request(NEW, "hash-1", t0());
        let refused = s
            .request_notification_change(
                NotificationRequester::Master(&consult),
                &asked,
                &by(f.consult),
                t0(),
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Forbidden)), "{refused:?}");
        let posing = NotificationRequester::Operator {
            employer_id: f.employer,
        };
        let refused = s
            .request_notification_change(posing, &asked, &by(f.master), t0())
            .await;
        assert!(matches!(refused, Err(StoreError::Forbidden)), "{refused:?}");
        // The current address again is refused at its field; an unknown employer is not found.
        let master = access(s, f.master).await;
        let same = request(OLD, "hash-0", t0());
        let refused = s
            .request_notification_change(
                NotificationRequester::Master(&master),
                &same,
                &by(f.master),
                t0(),
            )
            .await;
        assert!(
            matches!(
                refused,
                Err(StoreError::Refused("notification-address-unchanged"))
            ),
            "{refused:?}"
        );
        let nowhere = NotificationRequester::Operator {
            employer_id: f.other + 1000,
        };
        let refused = s
            .request_notification_change(nowhere, &asked, &by(f.operator), t0())
            .await;
        assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
        assert!(mails_to(s, NEW).await.is_empty());

        // The master asks, then loses the master sheet before anyone confirms.
        s.request_notification_change(
            NotificationRequester::Master(&master),
            &asked,
            &by(f.master),
            t0(),
        )
        .await
        .unwrap();
        let invitation = ebdesk_store::Invitation {
            language: "nl".to_owned(),
            token_hash: "activatie".to_owned(),
            expires_at: t0() + Duration::hours(72),
            activation_mail: mail("nieuw@werkgever.test", "Activeer"),
            access_mail: mail("nieuw@werkgever.test", "Toegang"),
        };
        s.designate_master(
            f.employer,
            "nieuw@werkgever.test",
            "Nieuw",
            invitation,
            &by(f.operator),
            t0(),
        )
        .await
        .unwrap();
        let found = s.find_notification_link("hash-1", t0()).await.unwrap();
        assert_eq!(found.unwrap_err(), LinkProblem::Unknown);
        let nobody = Actor::default();
        let confirmed = s.confirm_notification_change("hash-1", OLD, mail(OLD, "V"), &nobody, t0());
        assert_eq!(confirmed.await.unwrap().unwrap_err(), LinkProblem::Unknown);
        assert_eq!(current_address(s, NUMBER).await, OLD);
        // The stale access of the old master asks nothing any more.
        let again = request(NEW, "hash-9", t0());
        let refused = s
            .request_notification_change(
                NotificationRequester::Master(&master),
                &again,
                &by(f.master),
                t0(),
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Forbidden)), "{refused:?}");
        db.cleanup().await;
    }
);

store_test!(two_confirmations_at_once_change_the_address_once, |db| {
    let s = &db.store;
    let f = fixture(s).await;
    let op = NotificationRequester::Operator {
        employer_id: f.employer,
    };
    s.request_notification_change(op, &request(NEW, "hash-1", t0()), &by(f.operator), t0())
        .await
        .unwrap();
    let actor = Actor::default();
    let (a, b) = tokio::join!(
        s.confirm_notification_change("hash-1", OLD, mail(OLD, "V"), &actor, t0()),
        s.confirm_notification_change("hash-1", OLD, mail(OLD, "V"), &actor, t0()),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{a:?} {b:?}"
    );
    let refused = if a.is_ok() { b } else { a };
    assert_eq!(refused.unwrap_err(), LinkProblem::Used);
    assert_eq!(current_address(s, NUMBER).await, NEW);
    assert_eq!(mails_to(s, OLD).await.len(), 1);
    assert_eq!(
        events(s, f.employer, AuditEvent::NotificationAddressChanged)
            .await
            .len(),
        1
    );
    db.cleanup().await;
});
