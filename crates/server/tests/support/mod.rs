//! Helpers for the HTTP tests: a running server, a small cookie-keeping browser, HTML
//! scraping by plain string search, and a fixture of two employers.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

/// `both_engines!(scenario)` adds `scenario::sqlite` and `scenario::postgres`, which run
/// `async fn scenario(db: TestDb)` on a fresh database of each engine.
macro_rules! both_engines {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            use ebdesk_store::Engine;
            use ebdesk_store::test_support::TestDb;

            #[tokio::test]
            async fn sqlite() {
                let db = TestDb::new(Engine::Sqlite).await.unwrap();
                super::$name(db).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(db) = TestDb::new(Engine::Postgres).await {
                    super::$name(db).await;
                }
            }
        }
    )+};
}

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use ebdesk_domain::search::SearchTerm;
use ebdesk_domain::{AffiliationStatus, Gender, KboNumber, Language, NationalNumber, Rights};
use ebdesk_server::{AppSettings, Application, SecretKey};
use ebdesk_store::{
    EmployeeListQuery, ListCursor, NewAffiliation, NewEmployee, NewEmployer, NewUser, SortOrder,
    StatusFilter, Store,
};
use reqwest::cookie::Jar;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};

pub const PASSWORD: &str = "correct-paard-nietje";
pub const MASTER_A: &str = "master@a.test";
pub const CONSULT_A: &str = "consult@a.test";
pub const MASTER_B: &str = "master@b.test";
pub const BULK_A: &str = "bulk@a.test";
pub const EMPLOYER_A: &str = "530-101";
pub const EMPLOYER_B: &str = "530-202";
pub const NAME_A: &str = "Bouwbedrijf Proef NV";
pub const NAME_B: &str = "Zorgcentrum Proef VZW";

/// The key that encrypts TOTP secrets in the tests.
pub static TEST_KEY: std::sync::LazyLock<SecretKey> =
    std::sync::LazyLock::new(|| SecretKey::from_base64(&SecretKey::generate_base64()).unwrap());

/// The TOTP secret of a fixture account (base32): derived from its e-mail.
pub fn totp_secret(email: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bytes: Vec<u8> = format!("{email:-<32}").bytes().take(32).collect();
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % 32]))
        .collect()
}

/// Time steps already used per account: a code is accepted only once, so a test that logs
/// the same person in twice within 30 s must use the next step's code.
static USED_STEPS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, u64>>> =
    std::sync::LazyLock::new(Default::default);

/// A code for `email` that the server at `base` has not seen yet (waits for the next step
/// if needed). Each test has its own server and database, so its own used steps.
pub async fn fresh_code(base: &str, email: &str) -> String {
    let account = format!("{base} {email}");
    loop {
        let unix = u64::try_from(server_now(base).timestamp()).unwrap();
        let now = unix / 30;
        let step = {
            let mut used = USED_STEPS.lock().unwrap();
            let last = used.get(&account).copied();
            let step = [now.saturating_sub(1), now, now + 1]
                .into_iter()
                .find(|s| last.is_none_or(|l| *s > l));
            if let Some(step) = step {
                used.insert(account.clone(), step);
            }
            step
        };
        if let Some(step) = step {
            return ebdesk_server::totp_code_at(&totp_secret(email), step * 30).unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    }
}

/// The clocks of servers started with [`spawn_app_with_clock`], by base URL.
static SERVER_CLOCKS: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<String, Arc<dyn ebdesk_domain::Clock>>>,
> = std::sync::LazyLock::new(Default::default);

/// What the server at `base` takes for now: its test clock, or the machine's.
pub fn server_now(base: &str) -> chrono::DateTime<Utc> {
    SERVER_CLOCKS
        .lock()
        .unwrap()
        .get(base)
        .map_or_else(Utc::now, |clock| clock.now())
}

/// The application reading `clock` for "now" (sessions, codes, changes, "today").
pub async fn spawn_app_with_clock(store: Store, clock: Arc<dyn ebdesk_domain::Clock>) -> String {
    let mut settings = AppSettings::new(TEST_KEY.clone(), "http://ebdesk.test".to_owned());
    settings.clock = clock.clone();
    let app = Application::build(store, "127.0.0.1:0", settings, Default::default())
        .expect("server binds");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let base = format!("http://127.0.0.1:{port}");
    SERVER_CLOCKS.lock().unwrap().insert(base.clone(), clock);
    base
}

/// Starts the real application on a free port; returns its base URL.
pub async fn spawn_app(store: Store) -> String {
    let settings = AppSettings::new(TEST_KEY.clone(), "http://ebdesk.test".to_owned());
    let app = Application::build(store, "127.0.0.1:0", settings, Default::default())
        .expect("server binds");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    format!("http://127.0.0.1:{port}")
}

/// The application with a worker in the same process that runs every job kind; uploads are
/// parsed by `parser` (the `ebdesk` binary in the tests of the cli crate).
pub async fn spawn_app_with_worker(
    store: Store,
    parser: ebdesk_jobs::kinds::ParserCommand,
) -> String {
    spawn_app_with_worker_clock(store, parser, Arc::new(ebdesk_domain::SystemClock)).await
}

/// [`spawn_app_with_worker`] whose worker reads `clock` (the pages keep the real time), so
/// a test can make a retry due without waiting for its backoff.
pub async fn spawn_app_with_worker_clock(
    store: Store,
    parser: ebdesk_jobs::kinds::ParserCommand,
    clock: Arc<dyn ebdesk_domain::Clock>,
) -> String {
    let config = ebdesk_jobs::WorkerConfig {
        poll_interval: std::time::Duration::from_millis(50),
        ..Default::default()
    };
    let mut worker = ebdesk_jobs::Worker::new(store.clone(), clock, config);
    ebdesk_jobs::kinds::register_all(&mut worker, parser, "http://ebdesk.test");
    let notifier = worker.notifier();
    tokio::spawn(worker.run(tokio_util::sync::CancellationToken::new()));
    let settings = AppSettings::new(TEST_KEY.clone(), "http://ebdesk.test".to_owned());
    let app = Application::build(store, "127.0.0.1:0", settings, notifier).expect("server binds");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    format!("http://127.0.0.1:{port}")
}

/// One response, read completely.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Page {
    /// The message shown at form field `field` (`<p … id="FIELD-error">`), as read.
    pub fn field_error(&self, field: &str) -> Option<String> {
        let marker = format!("id=\"{field}-error\">");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find("</p>")? + start;
        Some(unescape(&self.body[start..end]))
    }

    async fn read(response: reqwest::Response) -> Page {
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookies = headers
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let body = response.text().await.unwrap();
        Page {
            status,
            location,
            set_cookies,
            body,
        }
    }

    /// The whole `Set-Cookie` line for `name`, if the response set it.
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        self.set_cookies
            .iter()
            .find(|c| c.starts_with(&prefix))
            .map(String::as_str)
    }

    /// The value the response gave cookie `name`.
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        let line = self.set_cookie(name)?;
        let first = line.split(';').next()?;
        Some(first.split_once('=')?.1.to_owned())
    }

    /// The value of the hidden `csrf_token` input.
    pub fn csrf_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no csrf_token in page:\n{}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').unwrap() + start;
        unescape(&self.body[start..end])
    }

    /// The text of the `form-error` paragraph.
    pub fn form_error(&self) -> Option<String> {
        let start = self.body.find("class=\"form-error\"")?;
        let open = self.body[start..].find('>')? + start + 1;
        let close = self.body[open..].find("</p>")? + open;
        Some(unescape(&self.body[open..close]))
    }

    /// The employee rows of a list page: (id, "Last, First").
    /// The rows of a list: each table cell that starts with a link to an employee or an
    /// action (`<td …><a href="/werkgevers/…/ID">NAME</a>`), as (ID, NAME).
    pub fn rows(&self) -> Vec<(i64, String)> {
        let mut out = Vec::new();
        let marker = "<a href=\"/werkgevers/";
        let mut from = 0;
        while let Some(found) = self.body[from..].find(marker) {
            let at = from + found;
            from = at + marker.len();
            let before = &self.body[..at];
            let in_cell = before
                .rfind('<')
                .is_some_and(|tag| before[tag..].starts_with("<td") && before.ends_with('>'));
            if !in_cell {
                continue;
            }
            let rest = &self.body[from..];
            let href_end = rest.find('"').unwrap();
            let id: i64 = rest[..href_end]
                .rsplit('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let text_start = rest.find('>').unwrap() + 1;
            let text_end = rest.find("</a>").unwrap();
            out.push((id, unescape(&rest[text_start..text_end])));
        }
        out
    }

    pub fn names(&self) -> Vec<String> {
        self.rows().into_iter().map(|(_, name)| name).collect()
    }

    /// The href of the link with class `class`, unescaped.
    pub fn link(&self, class: &str) -> Option<String> {
        let marker = format!("class=\"{class}\" href=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(unescape(&self.body[start..end]))
    }

    /// Every `href` and form `action` in the page, unescaped.
    pub fn urls(&self) -> Vec<String> {
        let mut out = Vec::new();
        for marker in ["href=\"", "action=\""] {
            let mut rest = self.body.as_str();
            while let Some(at) = rest.find(marker) {
                rest = &rest[at + marker.len()..];
                let end = rest.find('"').unwrap();
                out.push(unescape(&rest[..end]));
                rest = &rest[end..];
            }
        }
        out
    }
}

/// Undoes the HTML escaping tera applies.
pub fn unescape(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A client that keeps cookies and does not follow redirects, like a careful browser.
pub struct Browser {
    pub base: String,
    client: Client,
    jar: Arc<Jar>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            .build()
            .unwrap();
        Browser {
            base: base.to_owned(),
            client,
            jar,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Puts a cookie in the jar as if the server (or an attacker) had set it.
    pub fn plant_cookie(&self, name: &str, value: &str) {
        let url: reqwest::Url = self.base.parse().unwrap();
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }

    pub async fn get(&self, path: &str) -> Page {
        Page::read(self.client.get(self.url(path)).send().await.unwrap()).await
    }

    pub async fn get_query(&self, path: &str, query: &[(&str, &str)]) -> Page {
        Page::read(
            self.client
                .get(self.url(path))
                .query(query)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with_headers(path, form, &[]).await
    }

    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::read(request.send().await.unwrap()).await
    }

    pub async fn post_with_headers(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut request = self.client.post(self.url(path)).form(form);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::read(request.send().await.unwrap()).await
    }

    /// A file from `path`: status, content type and bytes.
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (
            status,
            content_type,
            response.bytes().await.unwrap().to_vec(),
        )
    }

    /// Posts `bytes` as the file field `field` of a multipart form, as a file input does.
    pub async fn upload(&self, path: &str, field: &str, file_name: &str, bytes: Vec<u8>) -> Page {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let form = reqwest::multipart::Form::new().part(field.to_owned(), part);
        Page::read(
            self.client
                .post(self.url(path))
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts the text `fields` and then `bytes` as the file field `field` of one multipart
    /// form, in that order, as a form with its file input last does.
    pub async fn upload_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        field: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text((*name).to_owned(), (*value).to_owned());
        }
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let form = form.part(field.to_owned(), part);
        let sent = self.client.post(self.url(path)).multipart(form).send();
        Page::read(sent.await.unwrap()).await
    }

    /// The whole answer to a GET, headers and all.
    pub async fn get_response(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Loads the login page and submits it; returns the answer to the POST.
    pub async fn login(&self, email: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        assert_eq!(form.status, StatusCode::OK, "login page");
        let token = form.csrf_token();
        self.post(
            "/login",
            &[
                ("email", email),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
        .await
    }

    /// Password, then code: returns the answer to the code.
    pub async fn login_fully(&self, email: &str, password: &str) -> Page {
        let page = self.login(email, password).await;
        assert_eq!(
            page.location.as_deref(),
            Some("/login/code"),
            "password of {email}"
        );
        self.submit_code(email).await
    }

    /// Submits the second step of login with a fresh code of `email`'s authenticator.
    pub async fn submit_code(&self, email: &str) -> Page {
        let form = self.get("/login/code").await;
        assert_eq!(form.status, StatusCode::OK, "code page");
        let token = form.csrf_token();
        let code = fresh_code(&self.base, &email.trim().to_lowercase()).await;
        self.post("/login/code", &[("code", &code), ("csrf_token", &token)])
            .await
    }

    /// Logs in (password, then code) and checks that it worked.
    pub async fn logged_in(base: &str, email: &str) -> Browser {
        let browser = Browser::new(base);
        let page = browser.login(email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "password of {email}");
        assert_eq!(page.location.as_deref(), Some("/login/code"));
        let page = browser.submit_code(email).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "code of {email}: {}",
            page.body
        );
        assert!(page.set_cookie("ebdesk_session").is_some());
        browser
    }
}

/// A GET with exactly this `Cookie` header and nothing else (no jar).
pub async fn get_with_cookie(base: &str, path: &str, cookie: &str) -> Page {
    let client = Client::builder().redirect(Policy::none()).build().unwrap();
    Page::read(
        client
            .get(format!("{base}{path}"))
            .header("Cookie", cookie)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// An employee of the fixture.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub national_number: NationalNumber,
    pub employee_number: String,
}

impl Person {
    /// As the list shows it.
    pub fn name(&self) -> String {
        format!("{}, {}", self.last_name, self.first_name)
    }
}

pub struct Fixture {
    pub employer_a: i64,
    pub c1: i64,
    pub c2: i64,
    pub employer_b: i64,
    pub master_a: i64,
    pub consult_a: i64,
    pub master_b: i64,
    /// Every employee of A.
    pub a: Vec<Person>,
    /// The one employee of B.
    pub b: Person,
}

impl Fixture {
    pub fn person(&self, last_name: &str) -> &Person {
        self.a
            .iter()
            .chain(std::iter::once(&self.b))
            .find(|p| p.last_name == last_name)
            .unwrap()
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Spec {
    last: &'static str,
    first: &'static str,
    birth: NaiveDate,
    serial: u16,
    number: &'static str,
    /// (contract, category, status)
    affiliations: Vec<(i64, i64, AffiliationStatus)>,
}

fn employee(spec: &Spec) -> NewEmployee {
    NewEmployee {
        national_number: NationalNumber::from_birth_date(spec.birth, spec.serial).unwrap(),
        employee_number: Some(spec.number.to_owned()),
        last_name: spec.last.to_owned(),
        first_name: spec.first.to_owned(),
        gender: if spec.serial % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        },
        language: Language::Dutch,
        birth_date: spec.birth,
        business_email: None,
        private_email_known: false,
        affiliations: spec
            .affiliations
            .iter()
            .map(|&(contract_id, category_id, status)| {
                let passive = status != AffiliationStatus::Active;
                NewAffiliation {
                    contract_id,
                    category_id,
                    employment_start: date(2015, 1, 1),
                    affiliation_start: date(2015, 1, 1),
                    end_date: passive.then(|| date(2024, 1, 31)),
                    exit_reason: passive.then(|| "dismissal_by_employee".to_owned()),
                    status,
                }
            })
            .collect(),
    }
}

async fn new_employer(store: &Store, number: &str, name: &str, kbo_base: u32) -> i64 {
    store
        .insert_employer(
            &NewEmployer {
                number: number.to_owned(),
                name: name.to_owned(),
                kbo_number: KboNumber::from_base(kbo_base).unwrap().formatted(),
                street: "Proefstraat 1".to_owned(),
                postal_code: "2800".to_owned(),
                city: "Mechelen".to_owned(),
                notification_email: "meldingen@proef.test".to_owned(),
            },
            Utc::now(),
        )
        .await
        .unwrap()
}

pub async fn new_user(store: &Store, email: &str, name: &str, hash: &str) -> i64 {
    new_account(store, email, name, hash, false).await
}

/// An operator account (active, with its TOTP secret).
pub async fn new_operator(store: &Store, email: &str, name: &str, hash: &str) -> i64 {
    new_account(store, email, name, hash, true).await
}

async fn new_account(store: &Store, email: &str, name: &str, hash: &str, is_operator: bool) -> i64 {
    let id = store
        .insert_user(
            &NewUser {
                email: email.to_owned(),
                display_name: name.to_owned(),
                password_hash: Some(hash.to_owned()),
                language: Language::Dutch,
                is_operator,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let secret = TEST_KEY.encrypt(totp_secret(email).as_bytes()).unwrap();
    store
        .set_confirmed_totp_secret(id, &secret, Utc::now())
        .await
        .unwrap();
    id
}

/// The id of the employee with this national number, looked up with `user_id`'s access.
async fn employee_id(store: &Store, user_id: i64, employer: &str, nn: &NationalNumber) -> i64 {
    let access = store
        .find_access(user_id, employer, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let page = store
        .list_employees(
            access.scope(),
            &EmployeeListQuery {
                search: Some(SearchTerm::NationalNumber(nn.clone())),
                status: StatusFilter::All,
                filters: Default::default(),
                sort: SortOrder::Name,
                cursor: ListCursor::First,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 1, "one employee with {nn:?}");
    page.rows[0].id
}

async fn insert_people(
    store: &Store,
    employer_id: i64,
    employer: &str,
    master: i64,
    specs: &[Spec],
) -> Vec<Person> {
    let rows: Vec<NewEmployee> = specs.iter().map(employee).collect();
    store
        .insert_employees(employer_id, &rows, Utc::now())
        .await
        .unwrap();
    let mut out = Vec::new();
    for row in rows {
        out.push(Person {
            id: employee_id(store, master, employer, &row.national_number).await,
            last_name: row.last_name,
            first_name: row.first_name,
            national_number: row.national_number,
            employee_number: row.employee_number.unwrap(),
        });
    }
    out
}

/// Employer A (two contracts, five employees, a master and a consult user limited to the
/// first contract) and employer B (one employee, a master).
pub async fn fixture(store: &Store) -> Fixture {
    let now = Utc::now();
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();

    let employer_a = new_employer(store, EMPLOYER_A, NAME_A, 4_031_707).await;
    let c1 = store
        .insert_contract(employer_a, "530/000101", "Groepsverzekering bedienden")
        .await
        .unwrap();
    let c2 = store
        .insert_contract(employer_a, "530/000102", "Groepsverzekering arbeiders")
        .await
        .unwrap();
    let cat1 = store
        .insert_category(employer_a, c1, "Bedienden")
        .await
        .unwrap();
    let cat2 = store
        .insert_category(employer_a, c2, "Arbeiders")
        .await
        .unwrap();

    let employer_b = new_employer(store, EMPLOYER_B, NAME_B, 4_101_202).await;
    let cb = store
        .insert_contract(employer_b, "530/000201", "Groepsverzekering personeel")
        .await
        .unwrap();
    let catb = store
        .insert_category(employer_b, cb, "Zorgpersoneel")
        .await
        .unwrap();

    let master_a = new_user(store, MASTER_A, "Meester Proef", &hash).await;
    let consult_a = new_user(store, CONSULT_A, "Raad Pleger", &hash).await;
    let master_b = new_user(store, MASTER_B, "Meester Linde", &hash).await;
    store
        .insert_sheet(employer_a, master_a, Rights::Master, None, None, now)
        .await
        .unwrap();
    store
        .insert_sheet(
            employer_a,
            consult_a,
            Rights::Consult,
            Some(&[c1]),
            None,
            now,
        )
        .await
        .unwrap();
    store
        .insert_sheet(employer_b, master_b, Rights::Master, None, None, now)
        .await
        .unwrap();

    use AffiliationStatus::{Active, Passive};
    let a = insert_people(
        store,
        employer_a,
        EMPLOYER_A,
        master_a,
        &[
            Spec {
                last: "Peeters",
                first: "Jan",
                birth: date(1980, 1, 15),
                serial: 11,
                number: "1001",
                affiliations: vec![(c1, cat1, Active)],
            },
            Spec {
                last: "Çelik",
                first: "Ayşe",
                birth: date(1990, 5, 20),
                serial: 12,
                number: "1002",
                affiliations: vec![(c1, cat1, Active)],
            },
            Spec {
                last: "Passief",
                first: "Piet",
                birth: date(1975, 3, 3),
                serial: 13,
                number: "1003",
                affiliations: vec![(c1, cat1, Passive)],
            },
            Spec {
                last: "Beide",
                first: "Bram",
                birth: date(1970, 10, 10),
                serial: 15,
                number: "1004",
                affiliations: vec![(c1, cat1, Active), (c2, cat2, Active)],
            },
            Spec {
                last: "Tweede",
                first: "Contract",
                birth: date(1988, 8, 8),
                serial: 14,
                number: "2001",
                affiliations: vec![(c2, cat2, Active)],
            },
        ],
    )
    .await;
    let b = insert_people(
        store,
        employer_b,
        EMPLOYER_B,
        master_b,
        &[Spec {
            last: "Buiten",
            first: "Bea",
            birth: date(1992, 2, 2),
            serial: 16,
            number: "9001",
            affiliations: vec![(cb, catb, Active)],
        }],
    )
    .await
    .remove(0);

    Fixture {
        employer_a,
        c1,
        c2,
        employer_b,
        master_a,
        consult_a,
        master_b,
        a,
        b,
    }
}

/// A third contract at A with `count` employees "Reeks, Persoon NNN", and a consult user
/// ([`BULK_A`]) who sees only that contract.
pub async fn bulk_contract(store: &Store, fixture: &Fixture, count: usize) {
    let now = Utc::now();
    let c3 = store
        .insert_contract(fixture.employer_a, "530/000103", "Groepsverzekering reeks")
        .await
        .unwrap();
    let cat3 = store
        .insert_category(fixture.employer_a, c3, "Reeks")
        .await
        .unwrap();
    let rows: Vec<NewEmployee> = (0..count)
        .map(|i| {
            let birth = date(1960, 1, 1) + chrono::Duration::days(i as i64);
            let mut row = employee(&Spec {
                last: "Reeks",
                first: "Persoon",
                birth,
                serial: 101,
                number: "0",
                affiliations: vec![(c3, cat3, AffiliationStatus::Active)],
            });
            row.first_name = format!("Persoon {i:03}");
            row.employee_number = Some(format!("{}", 5000 + i));
            row
        })
        .collect();
    store
        .insert_employees(fixture.employer_a, &rows, now)
        .await
        .unwrap();
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    let user = new_user(store, BULK_A, "Reeks Lezer", &hash).await;
    store
        .insert_sheet(
            fixture.employer_a,
            user,
            Rights::Consult,
            Some(&[c3]),
            None,
            now,
        )
        .await
        .unwrap();
}

/// Two active employees of A named "Mertens, Anouk" (contract 530/000101): one with
/// employee number 1043, one without.
pub async fn namesakes(store: &Store, fixture: &Fixture) {
    let category = store
        .insert_category(fixture.employer_a, fixture.c1, "Kaderleden")
        .await
        .unwrap();
    let spec = |serial, number| Spec {
        last: "Mertens",
        first: "Anouk",
        birth: date(1988, 3, 8),
        serial,
        number,
        affiliations: vec![(fixture.c1, category, AffiliationStatus::Active)],
    };
    let mut without_number = employee(&spec(42, "0"));
    without_number.employee_number = None;
    let rows = [employee(&spec(40, "1043")), without_number];
    store
        .insert_employees(fixture.employer_a, &rows, Utc::now())
        .await
        .unwrap();
}

/// Reloads `path` until `done` holds (a worker runs in the background), for a minute at most.
pub async fn wait_for(browser: &Browser, path: &str, done: impl Fn(&Page) -> bool) -> Page {
    let started = std::time::Instant::now();
    loop {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        if done(&page) {
            return page;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{path} never got there:\n{}",
            page.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The number in `<dd id="count-…">N</dd>` of an upload's preview.
pub fn count(page: &Page, name: &str) -> usize {
    let marker = format!("id=\"count-{name}\">");
    let start = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no count {name}:\n{}", page.body))
        + marker.len();
    let end = page.body[start..].find('<').unwrap() + start;
    page.body[start..end].parse().unwrap()
}
