//! Invented demo data: no real people, generated national numbers that pass every check.

pub mod scale;

use anyhow::{Context, anyhow};
use chrono::{Duration, NaiveDate, Utc};
use ebdesk_domain::premium::{Cents, Fraction, Month, PlanRule, Rate, RuleFrom, SalaryFrom};
use ebdesk_domain::{
    AffiliationStatus, DocumentKind, ExitReason, Gender, KboNumber, Language, NationalNumber,
    Rights,
};
use ebdesk_keys::SecretKey;
use ebdesk_store::{
    Actor, AffiliationKey, IssueNotice, NewAffiliation, NewContactPoint, NewDocument, NewEmployee,
    NewEmployer, NewPayment, NewPlanRule, NewSalary, NewUser, Store,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const DEMO_PASSWORD: &str = "demo-ebdesk";

const LOGINS: &[(&str, &str)] = &[
    ("operator@ebdesk.test", "operator"),
    (
        "an.peeters@peeters.test",
        "master user, 530-101 Bouwbedrijf Peeters NV",
    ),
    ("jan.maes@peeters.test", "raadplegen en invoeren, 530-101"),
    (
        "emma.wilson@peeters.test",
        "view and input, 530-101 (reads English)",
    ),
    (
        "els.wouters@peeters.test",
        "raadplegen, 530-101, enkel het eerste contract",
    ),
    (
        "greet.claes@delinde.test",
        "master user, 530-202 Zorgcentrum De Linde VZW",
    ),
    (
        "sophie.dubois@delinde.test",
        "consultation et encodage, 530-202 (lit en français)",
    ),
    (
        "camille.lambert@delinde.test",
        "consultation et encodage, 530-202 (lit en français)",
    ),
    (
        "koen.jacobs@sociaal-advies.test",
        "extern consulent, raadplegen bij 530-101 en 530-202",
    ),
];

const LAST_NAMES: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martens",
    "Hermans",
    "Van den Broeck",
    "Smets",
    "De Clercq",
    "Pauwels",
    "Vermeulen",
    "Aerts",
    "Michiels",
    "Coppens",
    "Van Damme",
    "Lemmens",
    "Declercq",
    "Wuyts",
    "De Backer",
    "Desmet",
    "Leclercq",
    "Çelik",
    "Nuñez",
];
const FIRST_NAMES_F: &[&str] = &[
    "Marie", "Sofie", "Lotte", "Emma", "Julie", "Lien", "Hanne", "Elise", "Fien", "Ines", "Céline",
    "Anouk", "Sara", "Yasmine", "Nina",
];
const FIRST_NAMES_M: &[&str] = &[
    "Jan",
    "Tom",
    "Pieter",
    "Wout",
    "Bram",
    "Lucas",
    "Arne",
    "Seppe",
    "Jonas",
    "Thomas",
    "Mehdi",
    "François",
    "Kobe",
    "Stijn",
    "Ruben",
];

/// Lower-case ASCII for invented addresses.
fn mail_part(text: &str) -> String {
    ebdesk_domain::search::normalize_name(text).replace(' ', "")
}

struct Catalog {
    /// (contract id, category ids)
    contracts: Vec<(i64, Vec<i64>)>,
    /// The categories whose members earn an executive's salary.
    executives: Vec<i64>,
}

/// The plan rules of a demo category, oldest first: (from, rule).
fn plan_rules(category: &str) -> anyhow::Result<Vec<(NaiveDate, PlanRule)>> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow!("date"));
    let flat = |millionths| PlanRule::Flat {
        rate: Rate(millionths),
    };
    let since = date(1980, 1, 1)?;
    Ok(match category {
        "Bedienden" => vec![(since, flat(40_000)), (date(2024, 1, 1)?, flat(50_000))],
        "Kaderleden" => vec![(
            since,
            PlanRule::TwoTier {
                low: Rate(30_000),
                high: Rate(100_000),
                threshold: Cents(7_000_000),
            },
        )],
        "Arbeiders" => vec![(since, flat(30_000))],
        "Zorgpersoneel" => vec![(since, flat(35_000))],
        _ => vec![(since, flat(45_000))],
    })
}

/// Salaries for the affiliations of `keys`: varied, higher for executives, about one in
/// four part-time, and a raise from 2025 for some who started before.
fn salaries(
    rng: &mut StdRng,
    keys: &[AffiliationKey],
    catalog: &Catalog,
) -> anyhow::Result<Vec<NewSalary>> {
    let raise_from = NaiveDate::from_ymd_opt(2025, 1, 1).ok_or_else(|| anyhow!("date"))?;
    let mut out = Vec::with_capacity(keys.len() * 5 / 4);
    for key in keys {
        let euros: i64 = if catalog.executives.contains(&key.category_id) {
            rng.gen_range(650..1_200) * 100
        } else {
            rng.gen_range(280..600) * 100
        };
        let fraction = match rng.gen_range(0..20) {
            0..=1 => 5_000,
            2..=3 => 8_000,
            4 => 6_000,
            _ => 10_000,
        };
        let fraction = Fraction::new(fraction).ok_or_else(|| anyhow!("fraction"))?;
        let salary = |from, euros: i64| NewSalary {
            affiliation_id: key.id,
            salary: SalaryFrom {
                from,
                annual: Cents(euros * 100),
                fraction,
            },
        };
        out.push(salary(key.affiliation_start, euros));
        if key.affiliation_start < raise_from && rng.gen_bool(0.3) {
            out.push(salary(raise_from, euros * 103 / 100));
        }
    }
    Ok(out)
}

/// Gives the employer's affiliations with an id above `after` their salaries; answers the
/// last id seen.
async fn load_salaries(
    store: &Store,
    employer_id: i64,
    catalog: &Catalog,
    mut after: i64,
) -> anyhow::Result<i64> {
    const PAGE: i64 = 10_000;
    let now = Utc::now();
    loop {
        let keys = store
            .list_affiliation_keys(employer_id, after, PAGE)
            .await?;
        let Some(last) = keys.last() else {
            return Ok(after);
        };
        let mut rng = StdRng::seed_from_u64(last.id.unsigned_abs());
        after = last.id;
        let batch = salaries(&mut rng, &keys, catalog)?;
        store.insert_salaries(employer_id, &batch, now).await?;
    }
}

async fn employer(
    store: &Store,
    number: &str,
    name: &str,
    kbo_base: u32,
    city: (&str, &str, &str),
    domain: &str,
    contracts: &[(&str, &str, &[&str])],
) -> anyhow::Result<(i64, Catalog)> {
    let now = Utc::now();
    let kbo = KboNumber::from_base(kbo_base).ok_or_else(|| anyhow!("kbo base"))?;
    let id = store
        .insert_employer(
            &NewEmployer {
                number: number.to_owned(),
                name: name.to_owned(),
                kbo_number: kbo.formatted(),
                street: city.0.to_owned(),
                postal_code: city.1.to_owned(),
                city: city.2.to_owned(),
                notification_email: format!("verzekeringen@{domain}"),
            },
            now,
        )
        .await?;
    for (kind, person) in [
        ("administrative", "Dossierbeheer"),
        ("commercial", "Accountbeheer"),
        ("claims", "Schadebeheer"),
    ] {
        store
            .insert_contact_point(
                id,
                &NewContactPoint {
                    kind: kind.to_owned(),
                    name: format!("{person} ebdesk"),
                    email: format!("{}@verzekeraar.test", kind),
                    phone: "+32 2 000 00 00".to_owned(),
                },
            )
            .await?;
    }
    let mut catalog = Catalog {
        contracts: Vec::new(),
        executives: Vec::new(),
    };
    for (contract_number, contract_name, categories) in contracts {
        let contract_id = store
            .insert_contract(id, contract_number, contract_name)
            .await?;
        let mut category_ids = Vec::new();
        for category in *categories {
            let category_id = store.insert_category(id, contract_id, category).await?;
            for (from, rule) in plan_rules(category)? {
                let rule = RuleFrom { from, rule };
                let new = NewPlanRule { category_id, rule };
                store.insert_plan_rule(id, &new).await?;
            }
            if *category == "Kaderleden" {
                catalog.executives.push(category_id);
            }
            category_ids.push(category_id);
        }
        catalog.contracts.push((contract_id, category_ids));
    }
    Ok((id, catalog))
}

/// Generates `count` affiliates for an employer. Person `i` gets a unique birth date and
/// serial pair, so national numbers never collide within one employer.
fn affiliates(
    seed: u64,
    start: usize,
    count: usize,
    domain: &str,
    catalog: &Catalog,
) -> anyhow::Result<Vec<NewEmployee>> {
    let mut rng = StdRng::seed_from_u64(seed.wrapping_add(start as u64));
    let first_day = NaiveDate::from_ymd_opt(1960, 1, 1).ok_or_else(|| anyhow!("date"))?;
    const DAYS: usize = 16_000; // 1960 to 2003: some affiliates are born in 2000 or later
    let mut out = Vec::with_capacity(count);
    for i in start..start + count {
        let gender = if rng.gen_bool(0.5) {
            Gender::Male
        } else {
            Gender::Female
        };
        let birth_date = first_day + Duration::days((i % DAYS) as i64);
        let pair = (i / DAYS) as u16;
        let serial = 2 * pair + if gender == Gender::Male { 1 } else { 2 };
        let national_number = if rng.gen_bool(0.03) {
            NationalNumber::bis_from_birth_date(birth_date, serial)
        } else {
            NationalNumber::from_birth_date(birth_date, serial)
        }
        .ok_or_else(|| anyhow!("no national number for person {i}"))?;
        let last_name = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
        let first_name = match gender {
            Gender::Male => FIRST_NAMES_M[rng.gen_range(0..FIRST_NAMES_M.len())],
            Gender::Female => FIRST_NAMES_F[rng.gen_range(0..FIRST_NAMES_F.len())],
        };
        let (contract_id, categories) = &catalog.contracts[i % catalog.contracts.len()];
        let category_id = categories[rng.gen_range(0..categories.len())];
        let hired = (birth_date + Duration::days(365 * 20 + rng.gen_range(0..3650)))
            .min(NaiveDate::from_ymd_opt(2025, 9, 1).ok_or_else(|| anyhow!("date"))?);
        let roll: f64 = rng.r#gen();
        let (status, end_date, exit_reason) = if roll < 0.85 {
            (AffiliationStatus::Active, None, None)
        } else if roll < 0.95 {
            (
                AffiliationStatus::Passive,
                Some(hired + Duration::days(900)),
                Some(ExitReason::DismissalByEmployee.as_str().to_owned()),
            )
        } else {
            (
                AffiliationStatus::Terminated,
                Some(hired + Duration::days(400)),
                Some(ExitReason::EndOfContract.as_str().to_owned()),
            )
        };
        out.push(NewEmployee {
            national_number,
            employee_number: Some(format!("{}", 2000 + i)),
            last_name: last_name.to_owned(),
            first_name: first_name.to_owned(),
            gender,
            language: if rng.gen_bool(0.8) {
                Language::Dutch
            } else {
                Language::French
            },
            birth_date,
            business_email: rng.gen_bool(0.8).then(|| {
                format!(
                    "{}.{}{}@{domain}",
                    mail_part(first_name),
                    mail_part(last_name),
                    i
                )
            }),
            private_email_known: rng.gen_bool(0.4),
            affiliations: vec![NewAffiliation {
                contract_id: *contract_id,
                category_id,
                employment_start: hired,
                affiliation_start: hired,
                end_date,
                exit_reason,
                status,
            }],
        });
    }
    Ok(out)
}

/// The fixed TOTP secret of a demo account (base32), printed beside the password so that
/// anyone can log in with an authenticator app or a script.
pub fn demo_totp_secret(email: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("ebdesk-demo:{email}").as_bytes());
    base32_encode(&digest[..20])
}

/// RFC 4648 base32 without padding (20 bytes give 32 characters).
fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

async fn user(
    store: &Store,
    key: &SecretKey,
    email: &str,
    name: &str,
    hash: &str,
    operator: bool,
    language: Language,
) -> anyhow::Result<i64> {
    let id = store
        .insert_user(
            &NewUser {
                email: email.to_owned(),
                display_name: name.to_owned(),
                password_hash: Some(hash.to_owned()),
                language,
                is_operator: operator,
            },
            Utc::now(),
        )
        .await?;
    let secret = key
        .encrypt(demo_totp_secret(email).as_bytes())
        .map_err(|e| anyhow!("encrypting the TOTP secret: {e}"))?;
    store
        .set_confirmed_totp_secret(id, &secret, Utc::now())
        .await?;
    Ok(id)
}

/// Loads the two demo employers and their users.
pub async fn load(store: &Store, key: &SecretKey) -> anyhow::Result<()> {
    let now = Utc::now();
    let hash = ebdesk_app::credentials::hash_password(DEMO_PASSWORD)
        .map_err(|e| anyhow!("hashing: {e}"))?;

    let (peeters, peeters_catalog) = employer(
        store,
        "530-101",
        "Bouwbedrijf Peeters NV",
        4_031_707,
        ("Industrieweg 12", "2800", "Mechelen"),
        "peeters.test",
        &[
            (
                "530/000101",
                "Groepsverzekering bedienden",
                &["Bedienden", "Kaderleden"],
            ),
            ("530/000102", "Groepsverzekering arbeiders", &["Arbeiders"]),
        ],
    )
    .await?;
    let (first_contract, first_categories) = &peeters_catalog.contracts[0];
    let fixed = NewEmployee {
        national_number: NationalNumber::from_birth_date(
            NaiveDate::from_ymd_opt(1985, 7, 30).ok_or_else(|| anyhow!("date"))?,
            998,
        )
        .ok_or_else(|| anyhow!("national number"))?,
        employee_number: Some("1001".to_owned()),
        last_name: "Verhaegen".to_owned(),
        first_name: "Noor".to_owned(),
        gender: Gender::Female,
        language: Language::Dutch,
        birth_date: NaiveDate::from_ymd_opt(1985, 7, 30).ok_or_else(|| anyhow!("date"))?,
        business_email: Some("noor.verhaegen@peeters.test".to_owned()),
        private_email_known: true,
        affiliations: vec![NewAffiliation {
            contract_id: *first_contract,
            category_id: first_categories[0],
            employment_start: NaiveDate::from_ymd_opt(2012, 3, 1).ok_or_else(|| anyhow!("date"))?,
            affiliation_start: NaiveDate::from_ymd_opt(2012, 3, 1)
                .ok_or_else(|| anyhow!("date"))?,
            end_date: None,
            exit_reason: None,
            status: AffiliationStatus::Active,
        }],
    };
    store.insert_employees(peeters, &[fixed], now).await?;
    store
        .insert_employees(
            peeters,
            &affiliates(101, 0, 1999, "peeters.test", &peeters_catalog)?,
            now,
        )
        .await?;
    load_salaries(store, peeters, &peeters_catalog, 0).await?;

    let (linde, linde_catalog) = employer(
        store,
        "530-202",
        "Zorgcentrum De Linde VZW",
        4_101_202,
        ("Lindelaan 3", "3000", "Leuven"),
        "delinde.test",
        &[(
            "530/000201",
            "Groepsverzekering personeel",
            &["Zorgpersoneel", "Administratie"],
        )],
    )
    .await?;
    store
        .insert_employees(
            linde,
            &affiliates(202, 0, 30, "delinde.test", &linde_catalog)?,
            now,
        )
        .await?;
    load_salaries(store, linde, &linde_catalog, 0).await?;

    let operator = user(
        store,
        key,
        "operator@ebdesk.test",
        "Operator ebdesk",
        &hash,
        true,
        Language::Dutch,
    )
    .await?;
    let an = user(
        store,
        key,
        "an.peeters@peeters.test",
        "An Peeters",
        &hash,
        false,
        Language::Dutch,
    )
    .await?;
    let jan = user(
        store,
        key,
        "jan.maes@peeters.test",
        "Jan Maes",
        &hash,
        false,
        Language::Dutch,
    )
    .await?;
    let els = user(
        store,
        key,
        "els.wouters@peeters.test",
        "Els Wouters",
        &hash,
        false,
        Language::Dutch,
    )
    .await?;
    let greet = user(
        store,
        key,
        "greet.claes@delinde.test",
        "Greet Claes",
        &hash,
        false,
        Language::Dutch,
    )
    .await?;
    let koen = user(
        store,
        key,
        "koen.jacobs@sociaal-advies.test",
        "Koen Jacobs",
        &hash,
        false,
        Language::Dutch,
    )
    .await?;
    store
        .insert_sheet(peeters, an, Rights::Master, None, None, now)
        .await?;
    store
        .insert_sheet(peeters, jan, Rights::Input, None, None, now)
        .await?;
    let emma = user(
        store,
        key,
        "emma.wilson@peeters.test",
        "Emma Wilson",
        &hash,
        false,
        Language::English,
    )
    .await?;
    store
        .insert_sheet(peeters, emma, Rights::Input, None, None, now)
        .await?;
    store
        .insert_sheet(
            peeters,
            els,
            Rights::Consult,
            Some(&[*first_contract]),
            None,
            now,
        )
        .await?;
    store
        .insert_sheet(linde, greet, Rights::Master, None, None, now)
        .await?;
    let sophie = user(
        store,
        key,
        "sophie.dubois@delinde.test",
        "Sophie Dubois",
        &hash,
        false,
        Language::French,
    )
    .await?;
    store
        .insert_sheet(linde, sophie, Rights::Input, None, None, now)
        .await?;
    let camille = user(
        store,
        key,
        "camille.lambert@delinde.test",
        "Camille Lambert",
        &hash,
        false,
        Language::French,
    )
    .await?;
    store
        .insert_sheet(linde, camille, Rights::Input, None, None, now)
        .await?;
    store
        .insert_sheet(peeters, koen, Rights::Consult, None, None, now)
        .await?;
    store
        .insert_sheet(linde, koen, Rights::Consult, None, None, now)
        .await?;
    statements(store, &[peeters, linde], operator, now).await?;
    let second_contract = peeters_catalog.contracts.get(1).map(|(id, _)| *id);
    documents(store, peeters, second_contract, operator, now).await?;
    documents(store, linde, None, operator, now).await?;
    store.analyze().await?;
    Ok(())
}

/// The statements of the two months before this one, the older one paid, the last one paid
/// for its first contract only: "Aangerekende premies" shows Betaald and Te laat.
async fn statements(
    store: &Store,
    employers: &[i64],
    operator: i64,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let last = Month::of(now.date_naive()).previous();
    let actor = Actor {
        user_id: Some(operator),
        ip: None,
    };
    let mut payments = Vec::new();
    for &employer_id in employers {
        for (month, paid) in [(last.previous(), usize::MAX), (last, 1)] {
            let issued = store
                .issue_statement(employer_id, month, &IssueNotice::default(), &actor, now)
                .await?;
            let charges = store
                .statement_charges(employer_id, issued.statement_id)
                .await?;
            for charge in charges.into_iter().take(paid) {
                payments.push(NewPayment {
                    charge_id: charge.0,
                    amount: Cents(charge.1),
                    paid_on: month.last_day(),
                    bank_reference: format!("DEMO-{}", charge.0),
                });
            }
        }
    }
    store.record_payments(&payments, &actor, now).await?;
    Ok(())
}

/// The demo's documents of one employer: (kind, title, paragraphs, days ago, for the
/// contract given). Invented texts.
const DOCUMENTS: &[(DocumentKind, &str, &[&str], i64, bool)] = &[
    (
        DocumentKind::Correspondence,
        "Indexering van de bijdragen 2026",
        &[
            "Geachte,",
            "Vanaf 1 januari worden de vaste bijdragen van uw groepsverzekering geïndexeerd. \
             U hoeft niets te doen: het volgende premiebordereel houdt er rekening mee.",
            "Met vriendelijke groeten, de dienst groepsverzekeringen.",
        ],
        12,
        false,
    ),
    (
        DocumentKind::Correspondence,
        "Jaarlijkse bevestiging van de aansluitingen",
        &[
            "Geachte,",
            "In bijlage vindt u het overzicht van de aansluitingen op 1 januari.",
        ],
        400,
        false,
    ),
    (
        DocumentKind::Legal,
        "Pensioenreglement (alle contracten)",
        &[
            "Artikel 1. Dit reglement beschrijft de rechten en plichten van de aangeslotenen.",
            "Artikel 2. De aansluiting begint op de dag van indiensttreding.",
        ],
        90,
        false,
    ),
    (
        DocumentKind::Legal,
        "Pensioenreglement arbeiders",
        &[
            "Artikel 1. Dit reglement geldt enkel voor het contract van de arbeiders.",
            "Artikel 2. De bijdrage bedraagt 3 % van het loon.",
        ],
        60,
        true,
    ),
    (
        DocumentKind::Categories,
        "Beschrijving van de personeelscategorieën",
        &["Bedienden, kaderleden en arbeiders: wie behoort tot welke categorie."],
        200,
        false,
    ),
    (
        DocumentKind::PremiumPayment,
        "Betalingsinstructies groepsverzekering",
        &["Betaal elk premiebordereel met de gestructureerde mededeling die erop staat."],
        30,
        false,
    ),
];

/// Publishes [`DOCUMENTS`] for the employer; the one for a contract goes to `contract`
/// (skipped when there is none), which the demo consult user of 530-101 does not have.
async fn documents(
    store: &Store,
    employer_id: i64,
    contract: Option<i64>,
    operator: i64,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let actor = Actor {
        user_id: Some(operator),
        ip: None,
    };
    for (kind, title, paragraphs, days_ago, for_contract) in DOCUMENTS {
        let contract_id = match (for_contract, contract) {
            (false, _) => None,
            (true, Some(id)) => Some(id),
            (true, None) => continue,
        };
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| (*p).to_owned()).collect();
        let document = NewDocument {
            contract_id,
            kind: *kind,
            title: (*title).to_owned(),
            file_name: format!("{title}.pdf"),
            content_type: "application/pdf".to_owned(),
            content: ebdesk_sheets::write_text_pdf(title, &paragraphs),
        };
        let at = now - Duration::days(*days_ago);
        store
            .publish_document(employer_id, &document, &actor, at)
            .await?;
    }
    Ok(())
}

/// Adds "Groot Bedrijf NV" (530-900) with `size` affiliates, in transactions of 10 000.
pub async fn load_large_employer(
    store: &Store,
    key: &SecretKey,
    size: usize,
) -> anyhow::Result<()> {
    if store.find_employer_id("530-900").await?.is_some() {
        anyhow::bail!("530-900 bestaat al in deze database");
    }
    let now = Utc::now();
    let (groot, catalog) = employer(
        store,
        "530-900",
        "Groot Bedrijf NV",
        4_509_900,
        ("Havenlaan 100", "1000", "Brussel"),
        "groot.test",
        &[
            (
                "530/000901",
                "Groepsverzekering bedienden",
                &["Bedienden", "Kaderleden"],
            ),
            ("530/000902", "Groepsverzekering arbeiders", &["Arbeiders"]),
        ],
    )
    .await?;
    const CHUNK: usize = 10_000;
    let mut start = 0;
    let mut chunks = 0_u32;
    let mut salaries_after = 0_i64;
    while start < size {
        let count = CHUNK.min(size - start);
        let batch = affiliates(900, start, count, "groot.test", &catalog)?;
        store
            .insert_employees(groot, &batch, now)
            .await
            .context("inserting affiliates")?;
        salaries_after = load_salaries(store, groot, &catalog, salaries_after)
            .await
            .context("inserting salaries")?;
        start += count;
        chunks += 1;
        // Statistics that still say "empty" make PostgreSQL plan scans for every check.
        if chunks.is_power_of_two() {
            store.analyze().await?;
        }
    }
    store.finish_bulk_load().await?;
    let hash = ebdesk_app::credentials::hash_password(DEMO_PASSWORD)
        .map_err(|e| anyhow!("hashing: {e}"))?;
    let master = user(
        store,
        key,
        "master@groot.test",
        "Master Groot",
        &hash,
        false,
        Language::Dutch,
    )
    .await?;
    store
        .insert_sheet(groot, master, Rights::Master, None, None, now)
        .await?;
    Ok(())
}

/// The accounts of "Groot Bedrijf NV", when `demo --size` loaded it.
const LARGE_LOGINS: &[(&str, &str)] =
    &[("master@groot.test", "master user, 530-900 Groot Bedrijf NV")];

/// Prints every demo account of the database with its TOTP key.
pub async fn print_logins(store: &Store) -> anyhow::Result<()> {
    let large = store.find_employer_id("530-900").await?.is_some();
    println!(
        "Demo-aanmeldingen (wachtwoord voor allemaal: {DEMO_PASSWORD}; voeg de TOTP-sleutel toe \
         aan een authenticator-app voor de code):"
    );
    let extra = if large { LARGE_LOGINS } else { &[] };
    for (email, role) in LOGINS.iter().chain(extra) {
        println!("  {email:<34} TOTP {}  {role}", demo_totp_secret(email));
    }
    Ok(())
}
