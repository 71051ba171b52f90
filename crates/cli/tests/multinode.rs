//! Several nodes on one PostgreSQL database, as separate `ebdesk` processes: two `serve`
//! nodes (each with its in-process worker) and one `worker` node. Identical download requests
//! racing on both web nodes queue one action per user while it is pending; with more
//! downloads queued beside them, 50 in all are each produced exactly once and can be fetched from the other
//! node; an upload previewed on one node is confirmed on the other.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use ebdesk_domain::EmailAddress;
use ebdesk_sheets::write_insured_overview;
use ebdesk_store::Engine;
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use sha2::Digest;
use tokio::task::JoinSet;

const EMPLOYER: &str = "530-101";
/// Master user of 530-101: requests on node A, uploads there.
const MASTER: &str = "an.peeters@peeters.test";
/// Input user of 530-101 with every contract: requests on node B, confirms there.
const INPUT: &str = "jan.maes@peeters.test";
const PASSWORD: &str = "demo-ebdesk";
/// Downloads requested on each web node.
const PER_NODE: usize = 25;
/// How long the jobs may take in all.
const JOBS_DEADLINE: Duration = Duration::from_secs(45);

// ---------------------------------------------------------------------------------------
// Processes.

/// The `ebdesk` processes of the test and their folder; kills them all when dropped, also
/// when the test panics (then it prints the end of their logs first).
struct Cluster {
    dir: PathBuf,
    children: Vec<(String, Child)>,
}

impl Cluster {
    fn new() -> Cluster {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("ebdesk-multinode-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Cluster {
            dir,
            children: Vec::new(),
        }
    }

    fn log(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.log"))
    }

    /// `ebdesk <args>` with the shared data folder, its output in `<name>.log`.
    fn command(&self, name: &str, args: &[&str]) -> Command {
        let log = std::fs::File::create(self.log(name)).unwrap();
        let mut command = self.bare_command(&self.dir.join("data"), args);
        command.stdout(log.try_clone().unwrap()).stderr(log);
        command
    }

    /// `ebdesk <args>` with `data_dir`, none of the environment's settings, output not set.
    fn bare_command(&self, data_dir: &std::path::Path, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ebdesk"));
        command
            .args(args)
            .arg("--data-dir")
            .arg(data_dir)
            .stdin(Stdio::null());
        for var in [
            "DATABASE_URL",
            "EBDESK_DATA_DIR",
            "EBDESK_SECRET_KEY",
            "EBDESK_BIND",
            "EBDESK_JOBS",
            "EBDESK_PUBLIC_URL",
            "EBDESK_SMTP_HOST",
        ] {
            command.env_remove(var);
        }
        command.env("EBDESK_LOG", "info");
        command
    }

    /// Runs `ebdesk <args>` to the end; panics with its log when it fails.
    fn run(&self, name: &str, args: &[&str]) {
        let status = self.command(name, args).status().unwrap();
        assert!(
            status.success(),
            "ebdesk {args:?}: {status}\n{}",
            self.tail(name)
        );
    }

    fn spawn(&mut self, name: &str, args: &[&str]) {
        let child = self.command(name, args).spawn().unwrap();
        self.children.push((name.to_owned(), child));
    }

    /// The end of a process's log.
    fn tail(&self, name: &str) -> String {
        let text = std::fs::read_to_string(self.log(name)).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Panics with the log of any process that has already ended.
    fn check_alive(&mut self) {
        let mut dead = Vec::new();
        for (name, child) in &mut self.children {
            if let Some(status) = child.try_wait().unwrap() {
                dead.push(format!("{name} ended: {status}"));
            }
        }
        if !dead.is_empty() {
            panic!("{}", dead.join("; "));
        }
    }

    /// Waits until the serve node `name` says its port and answers /healthz; its base URL.
    async fn wait_for_node(&mut self, name: &str) -> String {
        const MARKER: &str = "ebdesk luistert op ";
        let started = Instant::now();
        let client = reqwest::Client::new();
        loop {
            self.check_alive();
            let text = std::fs::read_to_string(self.log(name)).unwrap_or_default();
            if let Some(at) = text.find(MARKER) {
                let rest = &text[at + MARKER.len()..];
                let base = rest[..rest.find(char::is_whitespace).unwrap()].to_owned();
                let health = client.get(format!("{base}/healthz")).send().await;
                if health.is_ok_and(|r| r.status() == StatusCode::OK) {
                    return base;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{name} did not come up:\n{}",
                self.tail(name)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
        }
        for (_, child) in &mut self.children {
            let _ = child.wait();
        }
        if std::thread::panicking() {
            for (name, _) in &self.children {
                eprintln!("----- end of the log of {name} -----\n{}", self.tail(name));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ---------------------------------------------------------------------------------------
// A small browser: keeps its cookies, follows no redirects.

#[derive(Clone)]
struct Browser {
    base: String,
    client: reqwest::Client,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Page {
    async fn read(response: reqwest::Response) -> Page {
        let status = response.status();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = response.text().await.unwrap();
        Page {
            status,
            location,
            body,
        }
    }

    /// The value of the hidden `csrf_token` input.
    fn csrf_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no csrf_token in page:\n{}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').unwrap() + start;
        unescape(&self.body[start..end])
    }

    /// The number in `<dd id="count-…">N</dd>` of an upload's preview.
    fn count(&self, name: &str) -> usize {
        let marker = format!("id=\"count-{name}\">");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no count {name}:\n{}", self.body))
            + marker.len();
        let end = self.body[start..].find('<').unwrap() + start;
        self.body[start..end].parse().unwrap()
    }
}

/// Undoes the HTML escaping tera applies.
fn unescape(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Browser {
    fn new(base: &str) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Browser {
            base: base.to_owned(),
            client,
        }
    }

    async fn get(&self, path: &str) -> Page {
        let response = self.client.get(format!("{}{path}", self.base)).send();
        Page::read(response.await.unwrap()).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send();
        Page::read(response.await.unwrap()).await
    }

    async fn get_bytes(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.bytes().await.unwrap().to_vec())
    }

    /// Posts `bytes` as the form's file field `bestand`, the token in the query string.
    async fn upload(&self, path: &str, token: &str, file_name: &str, bytes: Vec<u8>) -> Page {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let form = reqwest::multipart::Form::new().part("bestand", part);
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .query(&[("csrf_token", token)])
            .multipart(form)
            .send();
        Page::read(response.await.unwrap()).await
    }

    /// Password, then the code of the demo authenticator. A code is accepted once per
    /// account, which is why each node gets its own user.
    async fn logged_in(base: &str, email: &str) -> Browser {
        Browser::logged_in_with(base, email, &demo_totp_secret(email)).await
    }

    /// Password, then a code of the TOTP key `secret` (base32).
    async fn logged_in_with(base: &str, email: &str, secret: &str) -> Browser {
        let browser = Browser::new(base);
        let token = browser.get("/login").await.csrf_token();
        let page = browser
            .post(
                "/login",
                &[
                    ("email", email),
                    ("password", PASSWORD),
                    ("csrf_token", &token),
                ],
            )
            .await;
        assert_eq!(page.location.as_deref(), Some("/login/code"), "{email}");
        let token = browser.get("/login/code").await.csrf_token();
        let unix = u64::try_from(Utc::now().timestamp()).unwrap();
        let code = ebdesk_server::totp_code_at(secret, unix).unwrap();
        let page = browser
            .post("/login/code", &[("code", &code), ("csrf_token", &token)])
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "code of {email}: {}",
            page.body
        );
        assert_ne!(
            page.location.as_deref(),
            Some("/login/code"),
            "code of {email}"
        );
        browser
    }
}

/// The fixed TOTP secret of a demo account: base32 of the first 20 bytes of
/// sha256("ebdesk-demo:" + email), as `ebdesk demo` prints it.
fn demo_totp_secret(email: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = sha2::Sha256::digest(format!("ebdesk-demo:{email}").as_bytes());
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in &digest[..20] {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    out
}

/// The action id at the end of `/werkgevers/530-101/acties/{id}` (a repeated request adds
/// `?bestaand=1`).
fn action_id(location: &str) -> i64 {
    let prefix = format!("/werkgevers/{EMPLOYER}/acties/");
    let rest = location
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("not an action: {location}"));
    rest.split('?').next().unwrap().parse().unwrap()
}

/// Queues downloads of `email`'s scope until the user has `count` (other parameters than a
/// request from the page has, as later kinds of download will; straight into the queue,
/// past the per-user cap, to give the workers a load); answers the new action ids.
async fn queue_more(db: &TestDb, pool: &sqlx::PgPool, email: &str, count: usize) -> Vec<i64> {
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap();
    let scope = db
        .store
        .find_access(user_id, EMPLOYER, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap()
        .scope()
        .clone();
    let mut ids = Vec::new();
    for n in 0..count {
        let action = ebdesk_store::NewAction {
            kind: ebdesk_domain::ActionKind::InsuredOverviewDownload,
            description: "Aangevraagd op 03/03/2025".to_owned(),
            employee_id: None,
            payload: format!("{{\"n\":{n}}}"),
            effective_date: None,
        };
        ids.push(
            db.store
                .enqueue_action(&scope, &action, Utc::now())
                .await
                .unwrap(),
        );
    }
    ids
}

/// Requests `count` downloads at once; answers their action ids.
async fn request_downloads(browser: &Browser, count: usize) -> Vec<i64> {
    let token = browser
        .get(&format!("/werkgevers/{EMPLOYER}"))
        .await
        .csrf_token();
    let mut requests = JoinSet::new();
    for _ in 0..count {
        let (browser, token) = (browser.clone(), token.clone());
        requests.spawn(async move {
            let path = format!("/werkgevers/{EMPLOYER}/downloads/overzicht-verzekerden");
            let page = browser.post(&path, &[("csrf_token", &token)]).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
            action_id(&page.location.unwrap())
        });
    }
    requests.join_all().await
}

/// Fetches every file from `browser`'s node, all at once: each is an xlsx workbook.
async fn fetch_files(browser: &Browser, ids: &[i64]) {
    let mut fetches = JoinSet::new();
    for &id in ids {
        let browser = browser.clone();
        fetches.spawn(async move {
            let path = format!("/werkgevers/{EMPLOYER}/acties/{id}/bestand");
            let (status, bytes) = browser.get_bytes(&path).await;
            assert_eq!(status, StatusCode::OK, "{} {path}", browser.base);
            assert!(bytes.starts_with(b"PK"), "{path} is not an xlsx workbook");
        });
    }
    fetches.join_all().await;
}

// ---------------------------------------------------------------------------------------
// The scenario.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_web_nodes_and_a_worker_share_one_database() {
    let Some(db) = TestDb::new(Engine::Postgres).await else {
        return;
    };
    let started = Instant::now();
    let url = db.url.clone();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let mut cluster = Cluster::new();

    // Demo data first: it creates the secret key in the shared data folder.
    cluster.run("demo", &["demo", "--database-url", &url]);
    let serve = ["serve", "--database-url", &url, "--bind", "127.0.0.1:0"];
    cluster.spawn("node-a", &serve);
    cluster.spawn("node-b", &serve);
    cluster.spawn("worker", &["worker", "--database-url", &url]);
    let base_a = cluster.wait_for_node("node-a").await;
    let base_b = cluster.wait_for_node("node-b").await;
    assert_ne!(base_a, base_b);
    let a = Browser::logged_in(&base_a, MASTER).await;
    let b = Browser::logged_in(&base_b, INPUT).await;
    eprintln!("nodes up and logged in after {:?}", started.elapsed());

    // 25 identical requests on each node, all at once: each user's land on one pending
    // action (a new one only when the first was already done).
    let (on_a, on_b) = tokio::join!(
        request_downloads(&a, PER_NODE),
        request_downloads(&b, PER_NODE)
    );
    let mut on_a: Vec<i64> = on_a
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut on_b: Vec<i64> = on_b
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    eprintln!(
        "25 requests on each node made {} and {} actions",
        on_a.len(),
        on_b.len()
    );
    assert!(
        on_a.len() < PER_NODE && on_b.len() < PER_NODE,
        "{on_a:?} {on_b:?}"
    );
    on_a.extend(queue_more(&db, &pool, MASTER, PER_NODE - on_a.len()).await);
    on_b.extend(queue_more(&db, &pool, INPUT, PER_NODE - on_b.len()).await);
    let requested: BTreeSet<i64> = on_a.iter().chain(&on_b).copied().collect();
    assert_eq!(requested.len(), 2 * PER_NODE, "50 distinct actions");

    // Wait until every one is available (and none failed).
    let waiting = Instant::now();
    loop {
        cluster.check_alive();
        let statuses: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, count(*) FROM actions \
             WHERE kind = 'insured_overview_download' GROUP BY status",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        let counts: BTreeMap<String, i64> = statuses.into_iter().collect();
        assert!(
            !counts.contains_key("failed"),
            "a download failed: {counts:?}"
        );
        if counts.get("available").copied() == Some(2 * PER_NODE as i64) {
            break;
        }
        assert!(
            waiting.elapsed() < JOBS_DEADLINE,
            "the downloads are not all done: {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!(
        "50 downloads produced in {:?} (total {:?})",
        waiting.elapsed(),
        started.elapsed()
    );

    // Produced exactly once: one run each, one file each.
    let actions: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, status, attempts FROM actions \
         WHERE kind = 'insured_overview_download' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(actions.len(), 2 * PER_NODE);
    let ids: BTreeSet<i64> = actions.iter().map(|x| x.0).collect();
    assert_eq!(ids, requested);
    for (id, status, attempts) in &actions {
        assert_eq!(status, "available", "action {id}");
        assert_eq!(*attempts, 1, "action {id} ran {attempts} times");
    }
    let files: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT action_id, count(*) FROM generated_files GROUP BY action_id ORDER BY action_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(files.len(), 2 * PER_NODE, "{files:?}");
    for (id, count) in &files {
        assert!(requested.contains(id), "a file for action {id}");
        assert_eq!(*count, 1, "action {id} has {count} files");
    }
    // Which process ran them, from the logs (information only: any split is right).
    let by_process: Vec<(String, usize)> = cluster
        .children
        .iter()
        .map(|(name, _)| {
            let log = std::fs::read_to_string(cluster.log(name)).unwrap_or_default();
            (name.clone(), log.matches("job started").count())
        })
        .collect();
    eprintln!("jobs started per process: {by_process:?}");

    // Each file from the node that did not request it, both nodes at once.
    tokio::join!(fetch_files(&b, &on_a), fetch_files(&a, &on_b));
    let downloaded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE event = 'personal_data_downloaded'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(downloaded, 2 * PER_NODE as i64, "one audit entry per fetch");

    // An upload on node A: one employee without a business address gets one.
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(MASTER)
        .fetch_one(&pool)
        .await
        .unwrap();
    let access = db
        .store
        .find_access(user_id, EMPLOYER, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let entries = db.store.list_insured_rows(access.scope()).await.unwrap();
    let employee_id = entries
        .iter()
        .find(|e| e.row.business_email.is_none())
        .expect("an affiliate without a business address")
        .employee_id;
    let address = format!("multinode.{employee_id}@peeters.test");
    let rows = entries
        .iter()
        .filter(|e| e.employee_id == employee_id)
        .map(|e| {
            let mut row = e.row.clone();
            row.business_email = Some(EmailAddress::parse(&address).unwrap());
            row
        });
    let workbook = write_insured_overview(rows, &ebdesk_i18n::default_language()).unwrap();
    let uploads = format!("/werkgevers/{EMPLOYER}/uploads");
    let token = a.get(&uploads).await.csrf_token();
    let sent = a.upload(&uploads, &token, "overzicht.xlsx", workbook).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let action = sent.location.unwrap();
    action_id(&action);

    // The preview on node A (whichever worker checked it).
    let waiting = Instant::now();
    let preview = loop {
        cluster.check_alive();
        let page = a.get(&action).await;
        assert_eq!(page.status, StatusCode::OK, "{action}: {}", page.body);
        assert!(!page.body.contains("status-failed"), "{}", page.body);
        if page.body.contains("id=\"count-new\"") {
            break page;
        }
        assert!(
            waiting.elapsed() < Duration::from_secs(30),
            "no preview for {action}:\n{}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(preview.count("new"), 1, "{}", preview.body);
    assert_eq!(preview.count("errors"), 0, "{}", preview.body);
    assert!(preview.body.contains(&address), "{}", preview.body);

    // Confirmed on node B, with node B's session.
    let on_b = b.get(&action).await;
    assert_eq!(on_b.status, StatusCode::OK);
    assert!(on_b.body.contains("id=\"apply-all\""), "{}", on_b.body);
    let token = on_b.csrf_token();
    let applied = b
        .post(
            &format!("{action}/toepassen"),
            &[("csrf_token", &token), ("keuze", "alles")],
        )
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    assert_eq!(
        applied.location.as_deref(),
        Some(format!("{action}?bewaard=toegepast").as_str())
    );
    let phase: String = sqlx::query_scalar("SELECT phase FROM uploads WHERE action_id = $1")
        .bind(action_id(&action))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(phase, "applied");

    // Node A shows the new address.
    let employee = a
        .get(&format!("/werkgevers/{EMPLOYER}/werknemers/{employee_id}"))
        .await;
    assert_eq!(employee.status, StatusCode::OK);
    assert!(employee.body.contains(&address), "{}", employee.body);

    // The audit chain written by three processes at once is intact.
    cluster.run("audit", &["audit", "verify", "--database-url", &url]);

    eprintln!("done after {:?}", started.elapsed());
    drop(cluster);
    pool.close().await;
    db.cleanup().await;
}

// ---------------------------------------------------------------------------------------
// The server key: every node proves it holds the key of the database.

/// Runs `ebdesk <args>` on `data_dir` with `env`, expecting it to refuse to start: a non-zero
/// exit within 30 s. Answers its stderr. Kills it (and fails) when it keeps running.
fn refused(
    cluster: &Cluster,
    data_dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
) -> String {
    let mut command = cluster.bare_command(data_dir, args);
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ebdesk {args:?} kept running with a wrong key");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success(), "ebdesk {args:?} started: {stderr}");
    stderr
}

/// The message of a node whose key is not the database's, with what to do about it.
fn assert_wrong_key(stderr: &str) {
    assert!(
        stderr.contains("is not the key the database was set up with")
            && stderr.contains("set EBDESK_SECRET_KEY to the key of the other nodes"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_with_another_key_refuses_to_start_on_postgresql() {
    let Some(db) = TestDb::new(Engine::Postgres).await else {
        return;
    };
    let url = db.url.clone();
    let mut cluster = Cluster::new();
    // The first node sets the database up: its key file, and the key check.
    cluster.run("demo", &["demo", "--database-url", &url]);
    let key = std::fs::read_to_string(cluster.dir.join("data/secret.key")).unwrap();

    // A second machine without EBDESK_SECRET_KEY: refused, and no key file of its own.
    let other_dir = cluster.dir.join("other");
    let stderr = refused(
        &cluster,
        &other_dir,
        &[],
        &["serve", "--database-url", &url, "--bind", "127.0.0.1:0"],
    );
    assert!(stderr.contains("this node has no server key"), "{stderr}");
    assert!(
        stderr.contains("set EBDESK_SECRET_KEY to the key of the other nodes"),
        "{stderr}"
    );
    assert!(!other_dir.join("secret.key").exists());

    // Another key, from the environment: serve, worker and operator add all refuse.
    let wrong = ebdesk_keys::SecretKey::generate_base64();
    let env = [("EBDESK_SECRET_KEY", wrong.as_str())];
    for args in [
        &["serve", "--database-url", &url, "--bind", "127.0.0.1:0"][..],
        &["worker", "--database-url", &url][..],
        &[
            "operator",
            "add",
            "nieuw@ebdesk.test",
            "--database-url",
            &url,
        ][..],
        &["demo", "--database-url", &url][..],
    ] {
        assert_wrong_key(&refused(&cluster, &other_dir, &env, args));
    }
    let operators: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE email = 'nieuw@ebdesk.test'")
            .fetch_one(&sqlx::PgPool::connect(&url).await.unwrap())
            .await
            .unwrap();
    assert_eq!(operators, 0, "a refused command changed nothing");

    // What the message says to do works: the other nodes' key.
    let mut command = cluster.bare_command(
        &other_dir,
        &["serve", "--database-url", &url, "--bind", "127.0.0.1:0"],
    );
    let log = std::fs::File::create(cluster.log("same-key")).unwrap();
    command
        .env("EBDESK_SECRET_KEY", key.trim())
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    cluster
        .children
        .push(("same-key".to_owned(), command.spawn().unwrap()));
    let base = cluster.wait_for_node("same-key").await;
    Browser::logged_in(&base, MASTER).await;
    drop(cluster);
    db.cleanup().await;
}

/// `demo --size` prints the accounts of Groot Bedrijf NV with their TOTP keys, and the printed
/// key logs in; then, on SQLite, a node with another key file (or none) refuses to start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_big_demo_employer_logs_in_and_another_key_file_is_refused_on_sqlite() {
    let mut cluster = Cluster::new();
    let data = cluster.dir.join("data");
    let output = cluster
        .bare_command(&data, &["demo", "--size", "20"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("master@groot.test"))
        .unwrap_or_else(|| panic!("no master@groot.test in:\n{stdout}"));
    let printed = line
        .split_whitespace()
        .skip_while(|w| *w != "TOTP")
        .nth(1)
        .unwrap_or_else(|| panic!("no TOTP key in {line:?}"))
        .to_owned();
    assert_eq!(printed, demo_totp_secret("master@groot.test"));

    // The printed key is the one stored: its code is accepted.
    cluster.spawn("groot", &["serve", "--bind", "127.0.0.1:0"]);
    let base = cluster.wait_for_node("groot").await;
    let browser = Browser::logged_in_with(&base, "master@groot.test", &printed).await;
    let home = browser.get("/werkgevers/530-900").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("Groot Bedrijf NV"));
    let (_, mut child) = cluster.children.pop().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();

    // Another key file: refused with the message, the file left as it is.
    let key_file = data.join("secret.key");
    let wrong = ebdesk_keys::SecretKey::generate_base64();
    std::fs::write(&key_file, &wrong).unwrap();
    assert_wrong_key(&refused(
        &cluster,
        &data,
        &[],
        &["serve", "--bind", "127.0.0.1:0"],
    ));
    assert_wrong_key(&refused(&cluster, &data, &[], &["worker"]));
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), wrong);
    // No key file at all: refused, and none is made up.
    std::fs::remove_file(&key_file).unwrap();
    let stderr = refused(&cluster, &data, &[], &["serve", "--bind", "127.0.0.1:0"]);
    assert!(stderr.contains("this node has no server key"), "{stderr}");
    assert!(!key_file.exists());
}
