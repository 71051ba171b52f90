//! The sender against a real store (SQLite and PostgreSQL), a folder and local SMTP servers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};
use ebdesk_domain::EmailAddress;
use ebdesk_mail::{MailSettings, Mailer, SenderOptions, SmtpSecurity, SmtpSettings, send_due};
use ebdesk_store::{ClaimedEmail, EmailStatus, FailureKind, OutgoingEmail, Store, store_test};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const SUBJECT: &str = "Activeer je toegang tot ebdesk – één stap";
const BODY: &str = "Beste Anaïs,\n\nKlik binnen 72 uur op deze link:\nhttps://ebdesk.test/activeren/abc\n\nMet vriendelijke groeten\n";

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ebdesk_mail_{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file_mailer(dir: &Path) -> Mailer {
    Mailer::new(&MailSettings {
        from: "ebdesk <no-reply@ebdesk.test>".to_owned(),
        smtp: None,
        mail_dir: dir.to_owned(),
    })
    .unwrap()
}

fn smtp_mailer(port: u16) -> Mailer {
    Mailer::new(&MailSettings {
        from: "no-reply@ebdesk.test".to_owned(),
        smtp: Some(SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port: Some(port),
            username: None,
            password: None,
            security: SmtpSecurity::None,
        }),
        mail_dir: temp_dir(),
    })
    .unwrap()
}

async fn enqueue(store: &Store, to: &str) -> i64 {
    let email = OutgoingEmail {
        to: EmailAddress::parse(to).unwrap(),
        subject: SUBJECT.to_owned(),
        body_text: BODY.to_owned(),
    };
    store.enqueue_email(&email, Utc::now()).await.unwrap()
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
}

store_test!(the_eml_transport_writes_a_parseable_utf8_message, |db| {
    let dir = temp_dir();
    let id = enqueue(&db.store, "anais@firma.test").await;
    let report = send_due(
        &db.store,
        &file_mailer(&dir),
        &SenderOptions::default(),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));

    let files = eml_files(&dir);
    assert_eq!(files.len(), 1);
    assert!(files[0].to_string_lossy().ends_with(&format!("-{id}.eml")));
    let raw = std::fs::read(&files[0]).unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(&raw[..])
        .unwrap();
    assert_eq!(message.subject(), Some(SUBJECT));
    let to = message
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(to, Some("anais@firma.test"));
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(from, Some("no-reply@ebdesk.test"));
    assert_eq!(message.body_text(0).unwrap().replace("\r\n", "\n"), BODY);
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.contains("charset=utf-8"), "{raw}");

    let row = db
        .store
        .find_latest_email_to("anais@firma.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, EmailStatus::Sent);
    std::fs::remove_dir_all(dir).unwrap();
    db.cleanup().await;
});

store_test!(
    an_unreachable_smtp_server_schedules_a_retry_with_the_reason,
    |db| {
        // A port that was just free: nothing listens there.
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            listener.local_addr().unwrap().port()
        };
        enqueue(&db.store, "anais@firma.test").await;
        let before = Utc::now();
        let report = send_due(
            &db.store,
            &smtp_mailer(port),
            &SenderOptions::default(),
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!((report.sent, report.failed), (0, 1));
        let row = db
            .store
            .find_latest_email_to("anais@firma.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, EmailStatus::Pending);
        assert_eq!(row.attempts, 1);
        let error = row.last_error.clone().unwrap();
        assert!(error.starts_with("SMTP:"), "{error}");
        assert!(error.to_lowercase().contains("connect"), "{error}");
        // The first retry comes a minute later, not before.
        assert!(row.next_attempt_at >= before + Duration::minutes(1));
        assert!(row.next_attempt_at <= Utc::now() + Duration::minutes(1));
        db.cleanup().await;
    }
);

store_test!(two_senders_deliver_each_message_exactly_once, |db| {
    let dir = temp_dir();
    let mut ids = HashSet::new();
    for i in 0..30 {
        ids.insert(enqueue(&db.store, &format!("p{i}@firma.test")).await);
    }
    let options = SenderOptions {
        batch: 3,
        ..SenderOptions::default()
    };
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let store = db.store.clone();
            let mailer = file_mailer(&dir);
            let options = options.clone();
            tokio::spawn(async move {
                let mut sent = 0;
                loop {
                    let report = send_due(&store, &mailer, &options, Utc::now())
                        .await
                        .unwrap();
                    sent += report.sent;
                    if report.claimed == 0 {
                        break sent;
                    }
                }
            })
        })
        .collect();
    let mut total = 0;
    for sender in senders {
        total += sender.await.unwrap();
    }
    assert_eq!(total, 30);
    let sent_ids: Vec<i64> = eml_files(&dir)
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            stem.rsplit('-').next().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(sent_ids.len(), 30);
    assert_eq!(sent_ids.iter().copied().collect::<HashSet<_>>(), ids);
    std::fs::remove_dir_all(dir).unwrap();
    db.cleanup().await;
});

/// A minimal SMTP server for one connection: answers `rcpt_reply` to RCPT TO and sends every
/// message it accepts (the DATA lines) on the channel.
async fn fake_smtp(rcpt_reply: &'static str) -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
        let mut data: Option<String> = None;
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(message) = data.as_mut() {
                if line == "." {
                    // The line break before the final dot belongs to the terminator.
                    let mut message = data.take().unwrap();
                    message.pop();
                    tx.send(message).unwrap();
                    write.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                } else {
                    message.push_str(&line);
                    message.push('\n');
                }
                continue;
            }
            let command = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply = match command.as_str() {
                "EHLO" => "250-fake\r\n250 8BITMIME\r\n",
                "RCPT" => rcpt_reply,
                "DATA" => {
                    data = Some(String::new());
                    "354 end with .\r\n"
                }
                "QUIT" => "221 bye\r\n",
                _ => "250 ok\r\n",
            };
            write.write_all(reply.as_bytes()).await.unwrap();
        }
    });
    (port, rx)
}

store_test!(an_smtp_server_receives_the_message, |db| {
    let (port, mut received) = fake_smtp("250 ok\r\n").await;
    enqueue(&db.store, "anais@firma.test").await;
    let report = send_due(
        &db.store,
        &smtp_mailer(port),
        &SenderOptions::default(),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(report.sent, 1);
    let data = received.recv().await.unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .unwrap();
    assert_eq!(message.subject(), Some(SUBJECT));
    assert_eq!(message.body_text(0).unwrap().replace("\r\n", "\n"), BODY);
    let row = db
        .store
        .find_latest_email_to("anais@firma.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, EmailStatus::Sent);
    db.cleanup().await;
});

store_test!(
    a_refused_recipient_is_kept_for_retry_with_the_server_reply,
    |db| {
        let (port, _received) = fake_smtp("550 5.1.1 mailbox unavailable\r\n").await;
        enqueue(&db.store, "weg@firma.test").await;
        let report = send_due(
            &db.store,
            &smtp_mailer(port),
            &SenderOptions::default(),
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(report.failed, 1);
        let row = db
            .store
            .find_latest_email_to("weg@firma.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, EmailStatus::Pending);
        assert!(
            row.last_error
                .clone()
                .unwrap()
                .contains("mailbox unavailable")
        );
        db.cleanup().await;
    }
);

store_test!(the_sender_wakes_when_notified_and_stops_on_shutdown, |db| {
    let dir = temp_dir();
    let options = SenderOptions {
        // Longer than the test: only the notification can make it send.
        poll: std::time::Duration::from_secs(600),
        ..SenderOptions::default()
    };
    let sender = ebdesk_mail::spawn_sender(db.store.clone(), file_mailer(&dir), options);
    // Let it find the outbox empty and go to sleep.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    enqueue(&db.store, "anais@firma.test").await;
    sender.waker().notify_one();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while eml_files(&dir).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "not sent after the wake-up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::timeout(std::time::Duration::from_secs(10), sender.stop())
        .await
        .expect("the sender did not stop");
    std::fs::remove_dir_all(dir).unwrap();
    db.cleanup().await;
});

store_test!(
    an_activation_link_is_sealed_at_rest_and_arrives_whole,
    |db| {
        let dir = temp_dir();
        let token = "q3Vn8TzL0pXw5RyA2bCd7EfGh9JkMn4P";
        let link = format!("https://ebdesk.test/activeren/{token}");
        let email = OutgoingEmail {
            to: EmailAddress::parse("anais@firma.test").unwrap(),
            subject: SUBJECT.to_owned(),
            body_text: format!("Beste Anaïs,\n\nKlik op deze link:\n{link}\n"),
        };
        let id = db.store.enqueue_email(&email, Utc::now()).await.unwrap();
        let (body, sealed) = db.store.stored_email_body(id).await.unwrap();
        assert!(!body.contains(token) && !sealed.unwrap().contains(token));

        let report = send_due(
            &db.store,
            &file_mailer(&dir),
            &SenderOptions::default(),
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(report.sent, 1);
        let raw = std::fs::read(&eml_files(&dir)[0]).unwrap();
        let message = mail_parser::MessageParser::default()
            .parse(&raw[..])
            .unwrap();
        let text = message.body_text(0).unwrap().replace("\r\n", "\n");
        assert!(text.contains(&link), "{text}");
        // Sent: still nothing readable at rest.
        let (body, sealed) = db.store.stored_email_body(id).await.unwrap();
        assert!(!body.contains(token) && !sealed.unwrap().contains(token));
        std::fs::remove_dir_all(dir).unwrap();
        db.cleanup().await;
    }
);

#[test]
fn a_body_this_node_cannot_open_is_given_up_at_once() {
    let email = ClaimedEmail {
        id: 1,
        to_address: "anais@firma.test".to_owned(),
        subject: SUBJECT.to_owned(),
        body_text: None,
        attempts: 1,
        lease_token: "t".to_owned(),
    };
    let err = file_mailer(&std::env::temp_dir())
        .build_message(&email)
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::Permanent);
    assert!(err.message.contains("key"), "{}", err.message);
}
