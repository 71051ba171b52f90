//! The scale data set of `ebdesk demo --employers N --size M`: M invented affiliates over N
//! employers 540-1 … 540-N (540-1 the largest, see [`scale_sizes`]), a master user and HR
//! users per employer, an external consultant at up to 500 employers, years of actions and
//! audit entries.

mod history;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use ebdesk_domain::{KboNumber, Language, Rights};
use ebdesk_keys::SecretKey;
use ebdesk_store::{
    LoadedEmployer, NewContactPoint, NewDemoUser, NewEmployer, NewScaleSheet, NewUser,
    ScaleContract, ScaleEmployer, Store, scale_sizes,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{
    Catalog, DEMO_PASSWORD, FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, demo_totp_secret, mail_part,
};

/// Prefix of the scale employers' numbers.
const PREFIX: &str = "540";
/// Person numbers of the scale set start here: national numbers stay apart from the demo's
/// other employers (which number their people from 0) up to 1 000 000 affiliates at 530-900.
const FIRST_PERSON: usize = 1_000_000;
/// Affiliates per transaction, as for 530-900.
const CHUNK: usize = 10_000;
/// Employers created per call.
const EMPLOYER_BATCH: usize = 1_000;
/// The consultant's employers, at most.
const CONSULTANT_EMPLOYERS: usize = 500;
pub const CONSULTANT_EMAIL: &str = "lotte.vermeulen@sociaal-secretariaat.test";
/// One HR user (besides the master) per this many affiliates, at most [`MAX_HR_USERS`].
const AFFILIATES_PER_HR_USER: usize = 500;
const MAX_HR_USERS: usize = 40;
/// Masters printed by name; above this many employers, the largest ones only.
const PRINTED_MASTERS: usize = 50;

const SECTORS: &[&str] = &[
    "Bouwbedrijf",
    "Bakkerij",
    "Transport",
    "Drukkerij",
    "Garage",
    "Zorgcentrum",
    "Advocatenkantoor",
    "Schrijnwerkerij",
    "Tuinaanleg",
    "Logistiek",
    "Brouwerij",
    "Ingenieursbureau",
];
const FORMS: &[&str] = &["NV", "BV", "VZW", "CV", "BVBA"];

/// What the scale set gave each employer: its id, affiliates, and its users (master first).
pub struct ScaleEmployerLoaded {
    pub employer: LoadedEmployer,
    /// 1 for the largest.
    pub rank: usize,
    pub domain: String,
    pub size: usize,
    pub users: Vec<(i64, Rights)>,
}

/// One account of the set, for the printed list.
struct Login {
    email: String,
    role: String,
}

/// Loads the scale set; prints its logins.
pub async fn load(
    store: &Store,
    key: &SecretKey,
    employers: usize,
    size: usize,
) -> anyhow::Result<()> {
    if store
        .find_employer_id(&format!("{PREFIX}-1"))
        .await?
        .is_some()
    {
        anyhow::bail!("{PREFIX}-1 bestaat al: de schaalset is al geladen in deze database");
    }
    let now = Utc::now();
    let sizes = scale_sizes(employers, size);
    let mut loaded = create_employers(store, &sizes, now).await?;
    println!("{} werkgevers aangemaakt.", loaded.len());
    load_affiliates(store, &loaded).await?;
    let logins = create_users(store, key, &mut loaded, now).await?;
    history::load(store, &loaded, size, now).await?;
    store.finish_bulk_load().await?;
    let census = store.load_census().await?;
    println!(
        "In de database: {} werkgevers, {} werknemers, {} aansluitingen, {} gebruikers, \
         {} fiches, {} acties, {} auditregels.",
        census.employers,
        census.employees,
        census.affiliations,
        census.users,
        census.sheets,
        census.actions,
        census.audit_entries
    );
    print_logins(&logins, employers);
    Ok(())
}

/// The number of contract `n` (1 or 2) of the employer of rank `rank`.
fn contract_number(rank: usize, n: usize) -> String {
    format!("{PREFIX}/{:06}", rank * 10 + n)
}

/// An invented employer of rank `rank` (1 is the largest).
fn scale_employer(rank: usize, rng: &mut StdRng) -> anyhow::Result<(ScaleEmployer, String)> {
    let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
    let sector = SECTORS[rng.gen_range(0..SECTORS.len())];
    let form = FORMS[rng.gen_range(0..FORMS.len())];
    let domain = format!("{}-{rank}.test", mail_part(last));
    let base = 4_700_000 + u32::try_from(rank)?;
    let kbo = KboNumber::from_base(base).ok_or_else(|| anyhow!("kbo base {base}"))?;
    let contract = |n: usize, name: &str, categories: &[&str]| ScaleContract {
        number: contract_number(rank, n),
        name: name.to_owned(),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
    };
    let employer = ScaleEmployer {
        employer: NewEmployer {
            number: format!("{PREFIX}-{rank}"),
            name: format!("{sector} {last} {form}"),
            kbo_number: kbo.formatted(),
            street: format!("Stationsstraat {}", 1 + rank % 200),
            postal_code: format!("{}", 1000 + (rank * 37) % 8900),
            city: "Gent".to_owned(),
            notification_email: format!("verzekeringen@{domain}"),
        },
        contracts: vec![
            contract(
                1,
                "Groepsverzekering bedienden",
                &["Bedienden", "Kaderleden"],
            ),
            contract(2, "Groepsverzekering arbeiders", &["Arbeiders"]),
        ],
    };
    Ok((employer, domain))
}

/// The contact points every scale employer gets (the insurer's, as for the demo's).
fn contact_points() -> Vec<NewContactPoint> {
    [
        ("administrative", "Dossierbeheer"),
        ("commercial", "Accountbeheer"),
        ("claims", "Schadebeheer"),
    ]
    .into_iter()
    .map(|(kind, person)| NewContactPoint {
        kind: kind.to_owned(),
        name: format!("{person} ebdesk"),
        email: format!("{kind}@verzekeraar.test"),
        phone: "+32 2 000 00 00".to_owned(),
    })
    .collect()
}

async fn create_employers(
    store: &Store,
    sizes: &[usize],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<ScaleEmployerLoaded>> {
    let mut rng = StdRng::seed_from_u64(540);
    let points = contact_points();
    let mut out = Vec::with_capacity(sizes.len());
    let ranks: Vec<usize> = (1..=sizes.len()).collect();
    for part in ranks.chunks(EMPLOYER_BATCH) {
        let mut batch = Vec::with_capacity(part.len());
        let mut domains = Vec::with_capacity(part.len());
        for &rank in part {
            let (employer, domain) = scale_employer(rank, &mut rng)?;
            batch.push(employer);
            domains.push(domain);
        }
        let created = store.insert_scale_employers(&batch, &points, now).await?;
        for ((employer, domain), &rank) in created.into_iter().zip(domains).zip(part) {
            out.push(ScaleEmployerLoaded {
                employer,
                rank,
                domain,
                size: sizes[rank - 1],
                users: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// Each employer's affiliates, in transactions of at most [`CHUNK`]; person numbers run on
/// over employers, so nobody works at two of them.
async fn load_affiliates(store: &Store, employers: &[ScaleEmployerLoaded]) -> anyhow::Result<()> {
    let now = Utc::now();
    let started = std::time::Instant::now();
    let mut person = FIRST_PERSON;
    let mut done = 0_usize;
    let mut next_report = 500_000;
    for e in employers {
        let catalog = Catalog {
            contracts: e.employer.contracts.clone(),
            executives: Vec::new(),
        };
        let mut start = 0;
        while start < e.size {
            let count = CHUNK.min(e.size - start);
            let batch = super::affiliates(540, person + start, count, &e.domain, &catalog)?;
            store
                .insert_employees(e.employer.id, &batch, now)
                .await
                .with_context(|| format!("affiliates of {}", e.employer.number))?;
            start += count;
            done += count;
            if done >= next_report {
                println!(
                    "  {done} aangeslotenen na {:.0} s",
                    started.elapsed().as_secs_f64()
                );
                next_report += 500_000;
                // Statistics that still say "empty" make PostgreSQL plan scans.
                store.analyze().await?;
            }
        }
        person += e.size;
    }
    Ok(())
}

/// A demo account with the demo password and its TOTP key.
fn demo_user(
    key: &SecretKey,
    hash: &str,
    email: String,
    name: String,
    language: Language,
) -> anyhow::Result<NewDemoUser> {
    let totp_secret = key
        .encrypt(demo_totp_secret(&email).as_bytes())
        .map_err(|e| anyhow!("encrypting the TOTP secret: {e}"))?;
    Ok(NewDemoUser {
        user: NewUser {
            email,
            display_name: name,
            password_hash: Some(hash.to_owned()),
            language,
            is_operator: false,
        },
        totp_secret,
    })
}

/// The master (first) and HR users of one employer: (account, rights).
fn employer_users(
    key: &SecretKey,
    hash: &str,
    e: &ScaleEmployerLoaded,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<(NewDemoUser, Rights)>> {
    let hr_users = (e.size / AFFILIATES_PER_HR_USER).min(MAX_HR_USERS);
    let mut users = Vec::with_capacity(1 + hr_users);
    for j in 0..=hr_users {
        let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
        let first = if rng.gen_bool(0.5) {
            FIRST_NAMES_F[rng.gen_range(0..FIRST_NAMES_F.len())]
        } else {
            FIRST_NAMES_M[rng.gen_range(0..FIRST_NAMES_M.len())]
        };
        let (email, rights) = match j {
            0 => (
                format!("{}.{}@{}", mail_part(first), mail_part(last), e.domain),
                Rights::Master,
            ),
            _ => (
                format!("{}.{}.{j}@{}", mail_part(first), mail_part(last), e.domain),
                if j % 4 == 0 {
                    Rights::Consult
                } else {
                    Rights::Input
                },
            ),
        };
        let language = if rng.gen_bool(0.8) {
            Language::Dutch
        } else {
            Language::French
        };
        let name = format!("{first} {last}");
        users.push((demo_user(key, hash, email, name, language)?, rights));
    }
    Ok(users)
}

/// Masters, HR users and the consultant, with their sheets; answers the logins to print.
async fn create_users(
    store: &Store,
    key: &SecretKey,
    employers: &mut [ScaleEmployerLoaded],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Login>> {
    let hash = ebdesk_app::credentials::hash_password(DEMO_PASSWORD)
        .map_err(|e| anyhow!("hashing: {e}"))?;
    let mut rng = StdRng::seed_from_u64(541);
    let mut logins = Vec::new();
    for part in employers.chunks_mut(EMPLOYER_BATCH) {
        let mut accounts = Vec::new();
        let mut owners = Vec::new();
        for (i, e) in part.iter().enumerate() {
            for (user, rights) in employer_users(key, &hash, e, &mut rng)? {
                if rights == Rights::Master {
                    let role = format!(
                        "master user, {} ({} aangeslotenen)",
                        e.employer.number, e.size
                    );
                    logins.push(Login {
                        email: user.user.email.clone(),
                        role,
                    });
                }
                accounts.push(user);
                owners.push((i, rights));
            }
        }
        let ids = store.insert_demo_users(&accounts, now).await?;
        let mut sheets = Vec::with_capacity(ids.len());
        for (id, (i, rights)) in ids.into_iter().zip(owners) {
            part[i].users.push((id, rights));
            let employer_id = part[i].employer.id;
            sheets.push(NewScaleSheet {
                employer_id,
                user_id: id,
                rights,
                external: false,
            });
        }
        store.insert_scale_sheets(&sheets, now).await?;
    }
    let consultant = consultant(store, key, &hash, employers, now).await?;
    logins.insert(0, consultant);
    Ok(logins)
}

/// The external consultant, with a consult sheet at every k-th employer (up to 500).
async fn consultant(
    store: &Store,
    key: &SecretKey,
    hash: &str,
    employers: &[ScaleEmployerLoaded],
    now: DateTime<Utc>,
) -> anyhow::Result<Login> {
    let email = CONSULTANT_EMAIL.to_owned();
    let user = demo_user(
        key,
        hash,
        email.clone(),
        "Lotte Vermeulen".to_owned(),
        Language::Dutch,
    )?;
    let id = store.insert_demo_users(&[user], now).await?[0];
    let count = employers.len().min(CONSULTANT_EMPLOYERS);
    let sheets: Vec<NewScaleSheet> = (0..count)
        .map(|k| NewScaleSheet {
            employer_id: employers[k * employers.len() / count].employer.id,
            user_id: id,
            rights: Rights::Consult,
            external: true,
        })
        .collect();
    store.insert_scale_sheets(&sheets, now).await?;
    Ok(Login {
        email,
        role: format!("extern consulent, raadplegen bij {count} werkgevers"),
    })
}

/// The consultant and the masters (all of them up to [`PRINTED_MASTERS`] employers, else
/// the largest), with their TOTP keys.
fn print_logins(logins: &[Login], employers: usize) {
    println!("Aanmeldingen van de schaalset (wachtwoord {DEMO_PASSWORD}):");
    for login in logins.iter().take(PRINTED_MASTERS + 1) {
        let key = demo_totp_secret(&login.email);
        println!("  {:<48} TOTP {key}  {}", login.email, login.role);
    }
    if employers > PRINTED_MASTERS {
        println!(
            "  … en de master users van {PREFIX}-{} tot {PREFIX}-{employers}, met hun TOTP-sleutel \
             volgens dezelfde regel (ebdesk demo leidt elke sleutel af van het e-mailadres).",
            PRINTED_MASTERS + 1
        );
    }
}

/// The process's peak resident memory (VmHWM) in MiB, when /proc tells it.
pub fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
