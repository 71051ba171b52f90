//! The use cases against a real store: every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ebdesk_app::Error;
use ebdesk_app::affiliations::{NewAffiliation, choose_contract, register_affiliation};
use ebdesk_app::credentials::{ACTIVATION_VALIDITY, hash_password, hash_token};
use ebdesk_app::invite::{self, Invitee};
use ebdesk_app::uploads::{UploadCounts, apply_upload};
use ebdesk_domain::{ActionKind, EmailAddress, Language, Rights};
use ebdesk_i18n::Message;
use ebdesk_sheets::{EmailChange, PreviewError, UploadPreview};
use ebdesk_store::queue_fixture::{QueueFixture, queue_fixture};
use ebdesk_store::{
    Access, Actor, AffiliatePerson, AuditEvent, AuditFilter, NewSheet, NewUser, SheetAdded,
    SheetSettings, Store, StoreError, TokenPurpose, TokenState, store_test,
};

const URL: &str = "https://ebdesk.test";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

/// The master's access to employer A (530-101).
async fn master_access(store: &Store, f: &QueueFixture) -> Access {
    store
        .find_access(f.master_user, "530-101", now().date_naive())
        .await
        .unwrap()
        .unwrap()
}

/// The token of the activation link in the newest mail to `to`.
async fn mailed_token(store: &Store, to: &str) -> String {
    let mail = store.find_latest_email_to(to).await.unwrap().unwrap();
    let prefix = format!("{URL}/activeren/");
    let at = mail.body_text.find(&prefix).expect("an activation link");
    mail.body_text[at + prefix.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

async fn token_state(store: &Store, token: &str, at: DateTime<Utc>) -> TokenState {
    store
        .find_token(&hash_token(token), TokenPurpose::Activation, at)
        .await
        .unwrap()
}

fn colleague(address: &str) -> NewSheet {
    NewSheet {
        email: address.to_owned(),
        display_name: "Els Wouters".to_owned(),
        language: "nl".to_owned(),
        settings: SheetSettings {
            rights: Rights::Consult,
            contracts: None,
            external: false,
            valid_until: None,
        },
    }
}

store_test!(
    an_invited_colleague_gets_a_link_of_which_only_the_hash_is_stored,
    |db| {
        let s = &db.store;
        let f = queue_fixture(s, now()).await;
        let access = master_access(s, &f).await;
        let added = invite::add_colleague(
            s,
            &access,
            &colleague("els@a.test"),
            URL,
            &Actor::default(),
            now(),
        )
        .await
        .unwrap();
        assert!(matches!(added, SheetAdded::Created { .. }));
        let mail = s.find_latest_email_to("els@a.test").await.unwrap().unwrap();
        assert_eq!(mail.subject, "ebdesk: activeer uw account");
        assert!(mail.body_text.starts_with("Beste Els Wouters,"));
        let token = mailed_token(s, "els@a.test").await;
        // The link works until now + 72 hours, for this account, and the token itself is not
        // what the database holds.
        let last = now() + ACTIVATION_VALIDITY - Duration::seconds(1);
        assert!(matches!(
            token_state(s, &token, last).await,
            TokenState::Valid { email, .. } if email == "els@a.test"
        ));
        assert!(matches!(
            token_state(
                s,
                &token,
                now() + ACTIVATION_VALIDITY + Duration::seconds(1)
            )
            .await,
            TokenState::Expired
        ));
        assert!(matches!(
            s.find_token(&token, TokenPurpose::Activation, now())
                .await
                .unwrap(),
            TokenState::Unknown
        ));

        // Sent again: a new link, the old one no longer works.
        let sheet = s.list_sheets(&access).await.unwrap();
        let sheet = sheet.iter().find(|r| r.email == "els@a.test").unwrap();
        let later = now() + Duration::hours(1);
        invite::resend_invitation(s, &access, sheet.sheet_id, URL, &Actor::default(), later)
            .await
            .unwrap();
        let again = mailed_token(s, "els@a.test").await;
        assert_ne!(again, token);
        assert!(matches!(
            token_state(s, &again, later).await,
            TokenState::Valid { .. }
        ));
        assert!(!matches!(
            token_state(s, &token, later).await,
            TokenState::Valid { .. }
        ));
        // Another employer's sheet, or none: not found.
        assert!(matches!(
            invite::resend_invitation(s, &access, 999_999, URL, &Actor::default(), later).await,
            Err(Error::Store(StoreError::NotFound))
        ));

        // Twice the same person: the store's refusal, with its key.
        let twice = invite::add_colleague(
            s,
            &access,
            &colleague("els@a.test"),
            URL,
            &Actor::default(),
            now(),
        )
        .await;
        assert!(matches!(twice, Err(Error::Refused(_))), "{twice:?}");
        db.cleanup().await;
    }
);

store_test!(
    an_existing_account_is_invited_by_mail_without_a_link,
    |db| {
        let s = &db.store;
        let f = queue_fixture(s, now()).await;
        let access = master_access(s, &f).await;
        // The master of B has an account already.
        let added = invite::add_colleague(
            s,
            &access,
            &colleague("master@b.test"),
            URL,
            &Actor::default(),
            now(),
        )
        .await
        .unwrap();
        assert!(matches!(added, SheetAdded::Invited { .. }));
        let mail = s
            .find_latest_email_to("master@b.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(mail.subject, "ebdesk: uitnodiging van een werkgever");
        assert!(mail.body_text.contains("Werkgever 530-101 nodigt u uit"));
        assert!(mail.body_text.contains(&format!("{URL}/login")));
        assert!(!mail.body_text.contains("/activeren/"));
        db.cleanup().await;
    }
);

store_test!(the_operator_designates_a_master_new_or_known, |db| {
    let s = &db.store;
    let f = queue_fixture(s, now()).await;
    let employers = s.list_employers().await.unwrap();
    let b = employers.iter().find(|e| e.id == f.employer_b).unwrap();
    let operator = Actor::default();

    let greet = email("greet@b.test");
    let master = Invitee {
        email: &greet,
        name: "Greet Claes",
        language: "fr",
    };
    let sent = invite::designate_master(s, b, master, URL, &operator, now())
        .await
        .unwrap();
    assert!(sent, "a new account gets an activation link");
    // She reads French: her account and her activation mail are French.
    let mail = s
        .find_latest_email_to("greet@b.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mail.subject, "ebdesk : activez votre compte");
    let token = mailed_token(s, "greet@b.test").await;
    let TokenState::Valid { user_id, .. } = token_state(s, &token, now()).await else {
        panic!("the link does not work");
    };
    let access = s
        .find_access(user_id, "530-202", now().date_naive())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(access.rights(), Rights::Master);
    let account = s.find_account(user_id).await.unwrap().unwrap();
    assert_eq!(account.language, "fr");

    // An activated account gets the access mail, no link.
    let koen = NewUser {
        email: "koen@b.test".to_owned(),
        display_name: "Koen Peeters".to_owned(),
        password_hash: Some(hash_password("wachtwoord van Koen").unwrap()),
        language: Language::Dutch,
        is_operator: false,
    };
    s.insert_user(&koen, now()).await.unwrap();
    let koen_address = email("koen@b.test");
    let master = Invitee {
        email: &koen_address,
        name: "Koen Peeters",
        language: "nl",
    };
    let sent = invite::designate_master(s, b, master, URL, &operator, now())
        .await
        .unwrap();
    assert!(!sent);
    let mail = s
        .find_latest_email_to("koen@b.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mail.subject, "ebdesk: u kreeg toegang tot een werkgever");
    assert!(mail.body_text.contains("toegang tot Werkgever 530-202"));
    assert!(!mail.body_text.contains("/activeren/"));
    db.cleanup().await;
});

store_test!(an_operator_is_added_with_the_link_that_is_mailed, |db| {
    let s = &db.store;
    let link = invite::add_operator(
        s,
        &email("beheer@ebdesk.test"),
        "Beheerder",
        URL,
        &Actor::default(),
        now(),
    )
    .await
    .unwrap();
    let token = mailed_token(s, "beheer@ebdesk.test").await;
    assert_eq!(link, format!("{URL}/activeren/{token}"));
    let TokenState::Valid { user_id, .. } = token_state(s, &token, now()).await else {
        panic!("the link does not work");
    };
    let account = s.find_account(user_id).await.unwrap().unwrap();
    assert!(account.is_operator);
    assert!(account.password_hash.is_none());
    // The address is taken now.
    let again = invite::add_operator(
        s,
        &email("beheer@ebdesk.test"),
        "Beheerder",
        URL,
        &Actor::default(),
        now(),
    )
    .await;
    assert!(again.is_err());
    db.cleanup().await;
});

/// A checked upload waiting for the decision: a new address for the C1 employee, and one
/// row with an error. Answers the action's id.
async fn checked_upload(s: &Store, f: &QueueFixture) -> i64 {
    let id = s
        .create_upload(&f.master, "lijst.xlsx", b"PK", now())
        .await
        .unwrap();
    let job = s
        .claim_next_job(
            "test",
            Some(&[ActionKind::InsuredOverviewUpload]),
            now(),
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.id, id);
    let employee = s
        .find_employee(&f.master, f.employee_c1)
        .await
        .unwrap()
        .unwrap();
    let preview = UploadPreview {
        rows_read: 3,
        new: vec![EmailChange {
            row: 2,
            employee_id: employee.id,
            version: employee.version,
            name: "Eerste, Test".to_owned(),
            national_number: employee.national_number.formatted(),
            old: None,
            new: Some("eerste@a.test".to_owned()),
        }],
        changed: Vec::new(),
        removed: Vec::new(),
        unchanged: 1,
        warnings: Vec::new(),
        errors: vec![PreviewError {
            row: 4,
            column: "Rijksregisternummer".to_owned(),
            value: "123".to_owned(),
            code: "national-number-length".to_owned(),
            message: Message::new("national-number-length"),
        }],
        extra_errors: Vec::new(),
    };
    // What the worker stores with the preview.
    let counts = serde_json::to_string(&UploadCounts::from(&preview.summary())).unwrap();
    s.finish_upload_check(
        id,
        &job.lease_token,
        &preview.to_stored(),
        &counts,
        None,
        now(),
    )
    .await
    .unwrap();
    id
}

store_test!(
    applying_the_valid_rows_writes_them_and_records_the_counts,
    |db| {
        let s = &db.store;
        let f = queue_fixture(s, now()).await;
        let id = checked_upload(s, &f).await;
        let actor = Actor {
            user_id: Some(f.master_user),
            ..Actor::default()
        };
        // "All" with an error row is refused; a choice that does not exist is no choice.
        let all = apply_upload(s, &f.master, id, "alles", &actor, now()).await;
        assert!(
            matches!(all, Err(Error::Refused("upload-has-errors"))),
            "{all:?}"
        );
        let bogus = apply_upload(s, &f.master, id, "misschien", &actor, now()).await;
        assert!(matches!(bogus, Err(Error::UnknownChoice(_))), "{bogus:?}");
        // Another employer's scope does not see it.
        let foreign = apply_upload(s, &f.master_b, id, "geldige", &actor, now()).await;
        assert!(
            matches!(foreign, Err(Error::Store(StoreError::NotFound))),
            "{foreign:?}"
        );

        let counts = apply_upload(s, &f.master, id, "geldige", &actor, now())
            .await
            .unwrap();
        let expected = UploadCounts {
            rows: 3,
            new: 1,
            changed: 0,
            removed: 0,
            unchanged: 1,
            warnings: 0,
            error_rows: 1,
        };
        assert_eq!(counts, expected);
        let employee = s
            .find_employee(&f.master, f.employee_c1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(employee.business_email.as_deref(), Some("eerste@a.test"));

        // One shape: the counts stored by the check are the audit entry's, with the choice.
        let stored = s.find_upload(&f.master, id).await.unwrap().unwrap();
        let stored: serde_json::Value =
            serde_json::from_str(stored.counts.as_deref().unwrap()).unwrap();
        let log = s
            .list_audit(
                &f.master,
                &AuditFilter {
                    event: Some(AuditEvent::UploadApplied),
                    ..AuditFilter::default()
                },
            )
            .await
            .unwrap();
        let details = &log.rows[0].details;
        assert_eq!(details["action_id"], serde_json::json!(id));
        let mut audited = details["counts"].clone();
        assert_eq!(audited["choice"], "geldige");
        audited.as_object_mut().unwrap().remove("choice");
        assert_eq!(audited, stored);
        assert_eq!(stored, serde_json::to_value(expected).unwrap());

        // Decided once.
        let again = apply_upload(s, &f.master, id, "geldige", &actor, now()).await;
        assert!(
            matches!(again, Err(Error::Refused("upload-not-ready"))),
            "{again:?}"
        );
        db.cleanup().await;
    }
);

store_test!(
    an_affiliation_is_registered_with_the_contract_checked_once,
    |db| {
        let s = &db.store;
        let f = queue_fixture(s, now()).await;
        let contracts = s.list_contracts(&f.master).await.unwrap();
        let categories = s.list_categories(&f.master).await.unwrap();
        let c1 = contracts.iter().find(|c| c.number == "530/000101").unwrap();
        let c2 = contracts.iter().find(|c| c.number == "530/000102").unwrap();
        let k1 = categories.iter().find(|k| k.contract_id == c1.id).unwrap();
        let k2 = categories.iter().find(|k| k.contract_id == c2.id).unwrap();

        let refused = |r: Result<_, Error>| match r {
            Err(Error::Refused(code)) => code,
            other => panic!("not refused: {other:?}"),
        };
        let choose = |scope, contract, category| choose_contract(s, scope, contract, category);
        assert_eq!(
            refused(choose(&f.master, Some(c1.id), Some(k2.id)).await),
            "category-not-of-contract"
        );
        assert_eq!(
            refused(choose(&f.master, Some(c1.id), None).await),
            "category-not-of-contract"
        );
        assert_eq!(
            refused(choose(&f.master, None, None).await),
            "contract-not-in-scope"
        );
        assert_eq!(
            refused(choose(&f.master_b, Some(c1.id), Some(k1.id)).await),
            "contract-not-in-scope"
        );

        // The employee of C1 joins C2 too.
        let choice = choose(&f.master, Some(c2.id), Some(k2.id)).await.unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let done = register_affiliation(
            s,
            &f.master,
            NewAffiliation {
                person: AffiliatePerson::Existing {
                    employee_id: f.employee_c1,
                },
                choice,
                employment_start: start,
                affiliation_start: start,
                salary: ebdesk_domain::salary_list::SalaryValues {
                    annual: ebdesk_domain::premium::Cents(3_600_000),
                    fraction: ebdesk_domain::premium::Fraction::new(10_000).unwrap(),
                },
            },
            &Actor {
                user_id: Some(f.master_user),
                ..Actor::default()
            },
            now(),
        )
        .await
        .unwrap();
        assert_eq!(done.employee_id, f.employee_c1);
        let action = s
            .find_action(&f.master, done.action_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(action.action.description, "530/000102 — Arbeiders");
        db.cleanup().await;
    }
);
