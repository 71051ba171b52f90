//! Times the employee list and its count on an existing database for a few searches and
//! filters: the page and its capped count as the Werknemers page asks them
//! (`list_employees_counted`), then the exact count.
//!
//!   cargo run --release -p ebdesk-store --example list_timing -- <database url> <employer
//!   number> <user e-mail> [contract id]
//!
//! With `ebdesk demo --size 100000` loaded: `sqlite://data/ebdesk.sqlite 530-900
//! master@groot.test`. Prints the median of 15 runs of each, after 3 unmeasured ones.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use ebdesk_domain::AffiliationStatus;
use ebdesk_domain::search::classify;
use ebdesk_store::{
    EmployeeFilters, EmployeeListQuery, ListCursor, SortOrder, StatusFilter, Store,
};

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// What is timed: a name, what is typed, the status and the filters.
type Case = (&'static str, &'static str, StatusFilter, EmployeeFilters);

fn cases(contract: Option<i64>) -> Vec<Case> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let none = EmployeeFilters::default;
    let all = StatusFilter::All;
    let in_2020 = EmployeeFilters {
        entry_from: date(2020, 1, 1),
        entry_to: date(2020, 12, 31),
        ..none()
    };
    let contract_only = EmployeeFilters {
        contract_id: contract,
        ..none()
    };
    let left_jan_2024 = EmployeeFilters {
        exit_from: date(2024, 1, 1),
        exit_to: date(2024, 1, 31),
        ..none()
    };
    let passive = StatusFilter::Only(AffiliationStatus::Passive);
    vec![
        ("everything", "", all, none()),
        ("q=mertens", "mertens", all, none()),
        ("q=anouk mertens", "anouk mertens", all, none()),
        ("q=jan", "jan", all, none()),
        ("q=jan peeters", "jan peeters", all, none()),
        ("q=m", "m", all, none()),
        ("q=zzz (nobody)", "zzz", all, none()),
        ("q=12345 (number)", "12345", all, none()),
        ("status=passive", "", passive, none()),
        ("contract", "", all, contract_only),
        ("in 2020", "", all, in_2020.clone()),
        ("uit jan 2024", "", all, left_jan_2024),
        (
            "q=lien + contract + in 2020",
            "lien",
            all,
            EmployeeFilters {
                contract_id: contract,
                ..in_2020
            },
        ),
    ]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, employer, email, rest @ ..] = args.as_slice() else {
        return Err(
            "usage: list_timing <database url> <employer number> <user e-mail> [contract id]"
                .into(),
        );
    };
    let contract: Option<i64> = rest.first().map(|c| c.parse()).transpose()?;
    let store = Store::connect(url).await?;
    let user = store
        .find_account_by_email(email)
        .await?
        .ok_or("no such user")?;
    let access = store
        .find_access(user.id, employer, Utc::now().date_naive())
        .await?
        .ok_or("no sheet there")?;
    let scope = access.scope();
    let cases = cases(contract);
    println!(
        "| case | rows | capped count | page and capped count ms | page ms | capped count ms \
         | exact count | exact count ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, q, status, filters) in cases {
        let query = EmployeeListQuery {
            search: classify(q),
            status,
            filters,
            sort: SortOrder::Name,
            cursor: ListCursor::First,
        };
        let (mut list_times, mut count_times) = (Vec::new(), Vec::new());
        let (mut page_times, mut capped_times) = (Vec::new(), Vec::new());
        let (mut rows, mut capped, mut count) = (0, 0, 0);
        for run in 0..18 {
            let t = Instant::now();
            let (page, n) = store.list_employees_counted(scope, &query, 1000).await?;
            (rows, capped) = (page.rows.len(), n);
            let listed = t.elapsed();
            let t = Instant::now();
            store.list_employees(scope, &query).await?;
            let paged = t.elapsed();
            let t = Instant::now();
            store.count_employees_up_to(scope, &query, 1000).await?;
            let capped_alone = t.elapsed();
            let t = Instant::now();
            count = store.count_employees(scope, &query).await?;
            let counted = t.elapsed();
            if run >= 3 {
                page_times.push(paged);
                capped_times.push(capped_alone);
                list_times.push(listed);
                count_times.push(counted);
            }
        }
        println!(
            "| {name} | {rows} | {capped} | {:.2} | {:.2} | {:.2} | {count} | {:.1} |",
            median(list_times),
            median(page_times),
            median(capped_times),
            median(count_times)
        );
    }
    store.close().await;
    Ok(())
}
