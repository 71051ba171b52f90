//! Threads with the contact points on both engines: who sees which thread, employees outside
//! the scope, the operator's answer and the HR reply, and the operator's edit of the
//! contact points.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod premium_fixture;

use ebdesk_domain::contact::ContactKind;
use ebdesk_store::{
    Actor, AuditEvent, AuditFilter, ContactReply, NewAttachment, NewContactPoint, NewContactThread,
    OutboxFilter, OutgoingMail, Scope,
};
use premium_fixture::*;

fn thread(subject: &str, employee_id: Option<i64>) -> NewContactThread {
    NewContactThread {
        kind: ContactKind::Administrative,
        subject: subject.to_owned(),
        body: "Dag,\nwat is de stand?".to_owned(),
        employee_id,
        attachment: Some(NewAttachment {
            name: "brief.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            bytes: b"%PDF-1.4 brief".to_vec(),
        }),
    }
}

fn mail(to: &str) -> Option<OutgoingMail> {
    Some(OutgoingMail {
        to: to.to_owned(),
        subject: "ebdesk: bericht".to_owned(),
        body: "Er is een bericht.".to_owned(),
    })
}

async fn start(s: &Store, scope: &Scope, new: &NewContactThread) -> Result<i64, StoreError> {
    let actor = Actor::default();
    let started = s.start_contact_thread(scope, new, mail("admin@verzekeraar.test"), &actor, t0());
    started.await
}

async fn subjects(s: &Store, scope: &Scope) -> Vec<String> {
    let threads = s.list_contact_threads(scope).await.unwrap();
    let mut subjects: Vec<String> = threads.into_iter().map(|t| t.subject).collect();
    subjects.sort();
    subjects
}

store_test!(a_thread_is_seen_by_its_author_and_the_masters_only, |db| {
    let s = &db.store;
    let f = fixture(s).await;
    let bediende = employee_in(s, &f, "Bedienden").await;
    let arbeider = employee_in(s, &f, "Arbeiders").await;

    let by_master = start(s, f.master.scope(), &thread("Van de master", None))
        .await
        .unwrap();
    let about_bediende = thread("Over een bediende", Some(bediende));
    let by_consult = start(s, f.restricted.scope(), &about_bediende)
        .await
        .unwrap();
    // The consult user's sheet has contract 1 only: an employee of contract 2 is not there.
    let about_arbeider = thread("Over een arbeider", Some(arbeider));
    let outside = start(s, f.restricted.scope(), &about_arbeider).await;
    assert!(matches!(outside, Err(StoreError::NotFound)));

    assert_eq!(
        subjects(s, f.master.scope()).await,
        ["Over een bediende", "Van de master"]
    );
    assert_eq!(
        subjects(s, f.restricted.scope()).await,
        ["Over een bediende"]
    );
    assert!(subjects(s, f.master_b.scope()).await.is_empty());
    // By id: another user's thread, or another employer's, is not there.
    assert!(
        s.find_contact_thread(f.restricted.scope(), by_master)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.find_contact_thread(f.master_b.scope(), by_consult)
            .await
            .unwrap()
            .is_none()
    );
    let seen = s
        .find_contact_thread(f.master.scope(), by_consult)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.thread.employee_name.as_deref(), Some("Naam1, Test"));
    let message = seen.messages[0].id;
    let file = s
        .find_contact_attachment(f.restricted.scope(), by_consult, message)
        .await
        .unwrap();
    assert_eq!(file.unwrap().attachment, b"%PDF-1.4 brief");
    let theirs = s.find_contact_attachment(f.master_b.scope(), by_consult, message);
    assert!(theirs.await.unwrap().is_none());
    // A message of one thread is not reached through another thread's id.
    let crossed = s.find_contact_attachment(f.master.scope(), by_master, message);
    assert!(crossed.await.unwrap().is_none());

    // One e-mail per message, to the contact point, and one audit entry without the text.
    let to = OutboxFilter {
        to: Some("admin@verzekeraar.test".to_owned()),
        ..OutboxFilter::default()
    };
    assert_eq!(s.list_outbox(&to).await.unwrap().rows.len(), 2);
    let filter = AuditFilter {
        event: Some(AuditEvent::ContactMessageSent),
        ..AuditFilter::default()
    };
    let entries = s.list_audit(f.master.scope(), &filter).await.unwrap().rows;
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .all(|e| !e.details.to_string().contains("stand"))
    );
    db.cleanup().await;
});

store_test!(the_operator_answers_and_the_author_replies, |db| {
    let s = &db.store;
    let actor = Actor::default();
    let f = fixture(s).await;
    let id = start(s, f.restricted.scope(), &thread("Vraag", None))
        .await
        .unwrap();
    let inbox = s.list_contact_inbox().await.unwrap();
    assert_eq!((inbox[0].id, inbox[0].answered_at), (id, None));

    let operator = user(s, "beheer@ebdesk.test").await;
    let later = t0() + Duration::hours(2);
    let answered = s.answer_contact_thread(
        id,
        operator,
        "Alles in orde.",
        mail("consult@a.test"),
        &actor,
        later,
    );
    answered.await.unwrap();
    let unknown = s.answer_contact_thread(999_999, operator, "x", None, &actor, later);
    assert!(matches!(unknown.await, Err(StoreError::NotFound)));
    let seen = s
        .find_contact_thread(f.restricted.scope(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.messages.len(), 2);
    assert!(seen.messages[1].from_operator);
    assert!(seen.thread.answered_at.is_some());
    let to = OutboxFilter {
        to: Some("consult@a.test".to_owned()),
        ..OutboxFilter::default()
    };
    assert_eq!(s.list_outbox(&to).await.unwrap().rows.len(), 1);

    // The reply waits for the operator again; another employer's user cannot reply.
    let reply = ContactReply {
        thread_id: id,
        body: "Dank u.",
        attachment: None,
    };
    let replied = s.reply_contact_thread(f.restricted.scope(), reply, None, &actor, later);
    replied.await.unwrap();
    let theirs = s.reply_contact_thread(f.master_b.scope(), reply, None, &actor, later);
    assert!(matches!(theirs.await, Err(StoreError::NotFound)));
    let seen = s
        .find_contact_thread(f.master.scope(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.messages.len(), 3);
    assert!(seen.thread.answered_at.is_none());
    db.cleanup().await;
});

store_test!(the_operator_replaces_the_contact_points, |db| {
    let s = &db.store;
    let actor = Actor::default();
    let f = fixture(s).await;
    let point = |kind: &str, name: &str| NewContactPoint {
        kind: kind.to_owned(),
        name: name.to_owned(),
        email: format!("{kind}@verzekeraar.test"),
        phone: "03 200 00 00".to_owned(),
    };
    let first = [point("administrative", "Leen"), point("claims", "Erwin")];
    s.replace_contact_points(f.employer, &first, &actor, t0())
        .await
        .unwrap();
    let second = [point("administrative", "Pascal")];
    s.replace_contact_points(f.employer, &second, &actor, t0())
        .await
        .unwrap();
    let points = s.list_contact_points(f.master.scope()).await.unwrap();
    let names: Vec<(String, String)> = points.into_iter().map(|p| (p.kind, p.name)).collect();
    assert_eq!(names, [("administrative".to_owned(), "Pascal".to_owned())]);
    // Employer B's are its own.
    assert!(
        s.list_contact_points(f.master_b.scope())
            .await
            .unwrap()
            .is_empty()
    );
    let filter = AuditFilter {
        event: Some(AuditEvent::ContactPointsChanged),
        ..AuditFilter::default()
    };
    let entries = s.list_audit(f.master.scope(), &filter).await.unwrap().rows;
    assert_eq!(entries.len(), 2);
    db.cleanup().await;
});
