//! A parser child that dies from outside (an OOM kill, a signal) is no verdict on the file:
//! the upload's check is tried again after its backoff, and a child that keeps dying ends
//! in "the check could not be completed", never in a refusal of the file. The child is the
//! real `ebdesk sheets-parse` behind a `/bin/sh` wrapper that kills itself with SIGKILL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../server/tests/support/mod.rs"]
#[macro_use]
mod support;
#[path = "../../sheets/tests/support/mod.rs"]
mod sheets_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use ebdesk_domain::{EmailAddress, ManualClock};
use ebdesk_jobs::RetryPolicy;
use ebdesk_jobs::kinds::ParserCommand;
use ebdesk_sheets::write_insured_overview;
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{InsuredEntry, Scope, Store, UploadPhase, UploadRecord};
use reqwest::StatusCode;
use support::{
    Browser, EMPLOYER_A, Fixture, MASTER_A, Page, count, fixture, spawn_app_with_worker_clock,
    wait_for,
};

const INCOMPLETE: &str = "De controle kon niet voltooid worden. Probeer het later opnieuw.";

/// Rows of people the employer does not know: each is an error row, and together they
/// make the child's output far longer than what the wrapper lets through before the kill.
const STRANGERS: usize = 4_000;

/// Bytes of the real child's output that reach the worker before the kill.
const SENT_BEFORE_KILL: u64 = 100_000;

/// First run: the first bytes of rows reach the worker, a second later the child is
/// SIGKILLed (mid-check, like an OOM kill); later runs are the real parser. `$0` is the
/// scratch directory, `$1` the ebdesk binary.
const KILLED_ONCE: &str = r#"echo run >> "$0/runs"
if mkdir "$0/killed" 2>/dev/null; then
  "$1" sheets-parse | head -c 100000 | tee "$0/sent"
  sleep 1
  kill -KILL $$
fi
exec "$1" sheets-parse"#;

/// Every run: killed after part of the rows went out.
const ALWAYS_KILLED: &str = r#"echo run >> "$0/runs"
"$1" sheets-parse | head -c 100000
kill -KILL $$"#;

/// A directory of the test's own, for the wrapper's markers.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("ebdesk-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// How many times the wrapper started.
    fn runs(&self) -> usize {
        std::fs::read_to_string(self.0.join("runs"))
            .map(|text| text.lines().count())
            .unwrap_or(0)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn wrapped(script: &str, scratch: &Scratch) -> ParserCommand {
    ParserCommand {
        exe: "/bin/sh".into(),
        args: vec![
            "-c".to_owned(),
            script.to_owned(),
            scratch.path().display().to_string(),
            env!("CARGO_BIN_EXE_ebdesk").to_owned(),
        ],
    }
}

/// The worker's clock, ahead of the pages' so that an upload is due at once; a retry only
/// becomes due when the test moves it.
fn worker_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(Utc::now() + TimeDelta::hours(1)))
}

async fn scope(store: &Store, f: &Fixture) -> Scope {
    store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap()
        .scope()
        .clone()
}

async fn entries(store: &Store, f: &Fixture) -> Vec<InsuredEntry> {
    store
        .list_insured_rows(&scope(store, f).await)
        .await
        .unwrap()
}

/// The stored rows with an address filled in, and `strangers` rows of unknown people.
fn workbook(entries: &[InsuredEntry], strangers: usize) -> Vec<u8> {
    let known = entries.iter().map(|e| {
        let mut row = e.row.clone();
        row.business_email =
            Some(EmailAddress::parse(&format!("werknemer{}@proef.test", e.employee_id)).unwrap());
        row
    });
    let rows = known.chain(sheets_support::sample_rows(strangers));
    write_insured_overview(rows, &ebdesk_i18n::default_language()).unwrap()
}

/// Uploads `bytes`; answers the action's path and id.
async fn upload(browser: &Browser, bytes: Vec<u8>) -> (String, i64) {
    let token = browser
        .get("/werkgevers/530-101/uploads")
        .await
        .csrf_token();
    let sent = browser
        .upload(
            &format!("/werkgevers/530-101/uploads?csrf_token={token}"),
            "bestand",
            "overzicht.xlsx",
            bytes,
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let path = sent.location.unwrap();
    let id = path.rsplit('/').next().unwrap().parse().unwrap();
    (path, id)
}

/// Waits until the wrapper started its `n`th run (the job was claimed again).
async fn wait_for_run(scratch: &Scratch, n: usize) {
    let started = Instant::now();
    while scratch.runs() < n {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "run {n} never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The attempt ended: failed for good, or waiting for its retry.
fn settled(page: &Page) -> bool {
    page.body.contains("status-failed") || page.body.contains("id=\"retrying\"")
}

async fn stored_upload(store: &Store, f: &Fixture, id: i64) -> UploadRecord {
    store
        .find_upload(&scope(store, f).await, id)
        .await
        .unwrap()
        .unwrap()
}

async fn a_child_killed_mid_check_is_retried_and_the_preview_comes(db: TestDb) {
    let f = fixture(&db.store).await;
    let scratch = Scratch::new("killed-once");
    let clock = worker_clock();
    let base = spawn_app_with_worker_clock(
        db.store.clone(),
        wrapped(KILLED_ONCE, &scratch),
        clock.clone(),
    )
    .await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let stored = entries(&db.store, &f).await;
    let (path, id) = upload(&master, workbook(&stored, STRANGERS)).await;

    // Killed with rows on their way: the action waits for its retry and blames nothing.
    wait_for_run(&scratch, 1).await;
    let waiting = wait_for(&master, &path, settled).await;
    assert!(!waiting.body.contains("status-failed"), "{}", waiting.body);
    assert!(waiting.body.contains("Aangevraagd"), "{}", waiting.body);
    assert!(waiting.body.contains("wordt straks opnieuw geprobeerd"));
    assert!(!waiting.body.contains("id=\"rejection\""));
    assert!(!waiting.body.contains("id=\"count-rows\""));
    assert_eq!(
        std::fs::metadata(scratch.path().join("sent"))
            .unwrap()
            .len(),
        SENT_BEFORE_KILL,
        "the kill came before the child had sent everything"
    );
    // Nothing of the killed attempt is left: no progress, no preview.
    let upload = stored_upload(&db.store, &f, id).await;
    assert_eq!(upload.phase, UploadPhase::Waiting);
    assert_eq!((upload.rows_done, upload.rows_total), (0, 0));
    assert!(upload.preview.is_none() && upload.rejection.is_none());
    assert_eq!(scratch.runs(), 1, "the retry waits for its backoff");

    // Past the first backoff the check runs again, to the end.
    clock.advance(TimeDelta::from_std(RetryPolicy::default().delay(1)).unwrap());
    let ready = wait_for(&master, &path, |p| {
        p.body.contains("status-available") || p.body.contains("status-failed")
    })
    .await;
    assert!(ready.body.contains("Beschikbaar"), "{}", ready.body);
    assert_eq!(scratch.runs(), 2);
    assert_eq!(count(&ready, "rows"), stored.len() + STRANGERS);
    assert_eq!(count(&ready, "errors"), STRANGERS);
    assert!(!ready.body.contains("id=\"retrying\""));
    assert!(!ready.body.contains(INCOMPLETE));
    db.cleanup().await;
}

async fn a_child_that_keeps_dying_ends_in_could_not_be_completed(db: TestDb) {
    let f = fixture(&db.store).await;
    let scratch = Scratch::new("always-killed");
    let clock = worker_clock();
    let base = spawn_app_with_worker_clock(
        db.store.clone(),
        wrapped(ALWAYS_KILLED, &scratch),
        clock.clone(),
    )
    .await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let stored = entries(&db.store, &f).await;
    let (path, id) = upload(&master, workbook(&stored, STRANGERS)).await;

    // Each attempt dies; the clock moves only while the job waits, so no lease expires.
    let policy = RetryPolicy::default();
    let mut attempt = 1;
    let failed = loop {
        wait_for_run(&scratch, attempt as usize).await;
        let page = wait_for(&master, &path, settled).await;
        if page.body.contains("status-failed") {
            break page;
        }
        clock.advance(TimeDelta::from_std(policy.delay(attempt)).unwrap());
        attempt += 1;
    };
    assert_eq!(scratch.runs(), policy.max_attempts as usize);
    assert!(failed.body.contains("Mislukt"), "{}", failed.body);
    assert!(failed.body.contains(INCOMPLETE), "{}", failed.body);
    // Not a word against the file, and no check that looks busy.
    assert!(!failed.body.contains("id=\"rejection\""), "{}", failed.body);
    assert!(!failed.body.contains("kon niet gelezen"));
    assert!(!failed.body.contains("geweigerd"));
    assert!(!failed.body.contains("<progress"));
    assert!(!failed.body.contains("data-live"));
    assert!(!failed.body.contains("apply-"));
    let upload = stored_upload(&db.store, &f, id).await;
    assert_eq!(upload.phase, UploadPhase::Failed);
    assert!(upload.rejection.is_none());
    assert!(entries(&db.store, &f).await.iter().all(|e| e.version == 1));
    db.cleanup().await;
}

both_engines!(
    a_child_killed_mid_check_is_retried_and_the_preview_comes,
    a_child_that_keeps_dying_ends_in_could_not_be_completed,
);
