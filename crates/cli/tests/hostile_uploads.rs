//! Hostile files through the real application: each upload fails as an action with a Dutch
//! reason, nothing stored changes, and the server keeps answering while the worker's child
//! process refuses them (a parser abort costs one failed action, not the server). A refusal
//! is the user's answer, not a fault: it is logged below ERROR.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../server/tests/support/mod.rs"]
#[macro_use]
mod support;
#[path = "../../sheets/tests/support/mod.rs"]
mod sheets_support;

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use ebdesk_jobs::kinds::ParserCommand;
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use sheets_support::{
    Package, data_row_xml, header_row_xml, inline_cell, shared_strings_xml, sheet_xml,
};
use support::{Browser, EMPLOYER_A, MASTER_A, fixture, spawn_app_with_worker};

const VALID_NN: &str = "85073003328";

/// What this test binary logs, without colours, so a level reads as a plain word.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static LOGS: std::sync::LazyLock<Captured> = std::sync::LazyLock::new(|| {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("info")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();
    captured
});

/// Each hostile file with words its refusal must contain.
fn corpus() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut files = Vec::new();

    let padding = " ".repeat(8 * 1024 * 1024);
    let mut bomb = Package::minimal(&format!("{}{padding}", data_row_xml(2, VALID_NN, "")));
    bomb.level = 9;
    files.push(("zip bomb", bomb.zip(), "Excel-werkmap"));

    let mut strings = Package::minimal(&data_row_xml(2, VALID_NN, ""));
    strings.set(
        "xl/sharedStrings.xml",
        shared_strings_xml("4000000000000000000", &["Verzekerden"]),
    );
    files.push(("huge shared-strings count", strings.zip(), "Excel-werkmap"));

    let corner = format!(
        "{}<row r=\"1048576\">{}</row>",
        data_row_xml(2, VALID_NN, ""),
        inline_cell("XFD1048576", "x")
    );
    files.push((
        "cell at the far corner",
        Package::minimal(&corner).zip(),
        "kolom",
    ));

    let doctype = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaa\">]>{}",
        sheet_xml(&header_row_xml(1)).split_once("?>").unwrap().1
    );
    let mut dtd = Package::minimal("");
    dtd.set("xl/worksheets/sheet1.xml", doctype);
    files.push(("DTD", dtd.zip(), "Excel-werkmap"));

    let mut truncated = Package::minimal(&data_row_xml(2, VALID_NN, "")).zip();
    truncated.truncate(truncated.len() / 2);
    files.push(("truncated zip", truncated, "Excel-werkmap"));
    files
}

async fn hostile_files_fail_their_action_and_the_server_keeps_answering(db: TestDb) {
    let logs = LOGS.clone();
    let f = fixture(&db.store).await;
    let parser = ParserCommand {
        exe: env!("CARGO_BIN_EXE_ebdesk").into(),
        args: vec!["sheets-parse".to_owned()],
    };
    let base = spawn_app_with_worker(db.store.clone(), parser).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    // Health checks from another client for as long as the files are being refused.
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let probe = {
        let (stop, answered, base) = (stop.clone(), answered.clone(), base.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            while !stop.load(Ordering::Relaxed) {
                let status = client
                    .get(format!("{base}/healthz"))
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await
                    .map(|r| r.status());
                assert_eq!(
                    status.ok(),
                    Some(StatusCode::OK),
                    "health check during a hostile upload"
                );
                answered.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };

    for (what, bytes, words) in corpus() {
        let token = master.get("/werkgevers/530-101/uploads").await.csrf_token();
        let sent = master
            .upload(
                &format!("/werkgevers/530-101/uploads?csrf_token={token}"),
                "bestand",
                "overzicht.xlsx",
                bytes,
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{what}: {}", sent.body);
        let path = sent.location.unwrap();
        let started = Instant::now();
        let page = loop {
            let page = master.get(&path).await;
            if page.body.contains("status-failed") || page.body.contains("id=\"count-new\"") {
                break page;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{what}: never refused"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(page.body.contains("Mislukt"), "{what}: {}", page.body);
        assert!(
            page.body.contains("id=\"rejection\""),
            "{what}: no reason shown"
        );
        assert!(page.body.contains(words), "{what}: {}", page.body);
        assert!(!page.body.contains("apply-"), "{what}: offered to apply");
    }
    stop.store(true, Ordering::Relaxed);
    probe.await.unwrap();
    assert!(answered.load(Ordering::Relaxed) > 0);

    // Nothing stored changed.
    let access = db
        .store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let rows = db.store.list_insured_rows(access.scope()).await.unwrap();
    assert!(rows.iter().all(|e| e.version == 1));

    // Refusals are logged, none at ERROR (the other engine's run shares the log).
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("job refused its input"), "{logged}");
    let errors: Vec<&str> = logged.lines().filter(|l| l.contains(" ERROR ")).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    db.cleanup().await;
}

both_engines!(hostile_files_fail_their_action_and_the_server_keeps_answering);
