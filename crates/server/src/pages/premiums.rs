//! "Aangerekende premies": per month and contract of the scope, what the statements charged,
//! what was paid and what is outstanding, with the status (Open, Betaald, Te laat); and a
//! statement's PDF summary, made on request from what was issued and written in the audit
//! log like every statement download.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;
use ebdesk_domain::premium::{
    COLLECTION_COST, Cents, InsurerAccount, MANAGEMENT_COST, Month, Rate,
};
use ebdesk_i18n::{LanguageIdentifier, Message};
use ebdesk_sheets::{
    ChargeLine, StatementSummary, charges_book_name, write_charges_book, write_statement_pdf,
};
use ebdesk_store::{AuditEvent, ChargeStatus, StatementCharge, StatementHeader};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::shared::local::display_date;
use crate::shared::respond::attachment;
use crate::shared::{AppError, AppState, RouteExt, Tenant, actor, html, render, tenant_context};
use ebdesk_app::amounts::{format_amount, format_rate};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/premies", charges_page)
        .get(
            "/werkgevers/{employer}/premies/{year}/xlsx",
            charges_workbook,
        )
        .get("/werkgevers/{employer}/premies/{month}/pdf", statement_pdf);
}

#[derive(Deserialize)]
pub struct YearParams {
    jaar: Option<i32>,
}

#[derive(Serialize)]
struct ChargeView {
    contract: String,
    amount: String,
    paid: String,
    outstanding: String,
    due_date: String,
    status: &'static str,
    communication: String,
}

#[derive(Serialize)]
struct MonthView {
    /// "2026-11", for the links.
    key: String,
    /// "11/2026".
    label: String,
    charges: Vec<ChargeView>,
}

/// A year the pages offer: from 2000 to next year.
fn offered_year(year: i32, today: chrono::NaiveDate) -> bool {
    (2000..=today.year() + 1).contains(&year)
}

fn status_name(status: ChargeStatus) -> &'static str {
    match status {
        ChargeStatus::Open => "open",
        ChargeStatus::Paid => "paid",
        ChargeStatus::Late => "late",
    }
}

fn charge_view(charge: &StatementCharge, lang: &str) -> ChargeView {
    ChargeView {
        contract: charge.contract_number.clone(),
        amount: format_amount(Cents(charge.amount_cents), lang),
        paid: format_amount(Cents(charge.paid_cents), lang),
        outstanding: format_amount(Cents(charge.outstanding_cents()), lang),
        due_date: display_date(charge.due_date),
        status: status_name(charge.status),
        communication: charge.communication.clone(),
    }
}

/// The charges grouped by month, in the order they come (latest month first).
fn month_views(charges: &[StatementCharge], lang: &str) -> Vec<MonthView> {
    let mut months: Vec<MonthView> = Vec::new();
    for charge in charges {
        let view = charge_view(charge, lang);
        match months.last_mut() {
            Some(month) if month.key == charge.month.key() => month.charges.push(view),
            _ => months.push(MonthView {
                key: charge.month.key(),
                label: charge.month.label(),
                charges: vec![view],
            }),
        }
    }
    months
}

pub async fn charges_page(
    state: web::Data<AppState>,
    tenant: Tenant,
    params: web::Query<YearParams>,
) -> Result<HttpResponse, AppError> {
    let today = state.today();
    let year = params
        .jaar
        .filter(|y| offered_year(*y, today))
        .unwrap_or(today.year());
    let charges = state
        .store
        .list_charges(tenant.access.scope(), year, today)
        .await?;
    let lang = tenant.user.language.as_str();
    let mut context = tenant_context(&tenant);
    // Years as text: Fluent would group a number's digits (2 026).
    context.insert("year", &year.to_string());
    context.insert("previous_year", &(year - 1).to_string());
    let next = (year < today.year()).then(|| (year + 1).to_string());
    context.insert("next_year", &next);
    context.insert("months", &month_views(&charges, lang));
    Ok(html(StatusCode::OK, render("premiums.html", &context)?))
}

/// "Aangerekende premies" of a year as a workbook, as the scope sees them.
pub async fn charges_workbook(
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let today = state.today();
    let year = path
        .1
        .parse::<i32>()
        .ok()
        .filter(|y| offered_year(*y, today));
    let year = year.ok_or(AppError::NotFound)?;
    let charges = state
        .store
        .list_charges(tenant.access.scope(), year, today)
        .await?;
    let lines: Vec<ChargeLine> = charges
        .iter()
        .map(|c| ChargeLine {
            month: c.month,
            contract: c.contract_number.clone(),
            amount: Cents(c.amount_cents),
            paid: Cents(c.paid_cents),
            due_date: c.due_date,
            status_key: match c.status {
                ChargeStatus::Open => "charge-status-open",
                ChargeStatus::Paid => "charge-status-paid",
                ChargeStatus::Late => "charge-status-late",
            },
            communication: c.communication.clone(),
        })
        .collect();
    let lang = ebdesk_i18n::language(tenant.user.language.as_str());
    let bytes = write_charges_book(&lines, year, &lang)?;
    let name = charges_book_name(year, &lang);
    Ok(attachment(ebdesk_sheets::XLSX_CONTENT_TYPE, name, bytes))
}

/// The plan's costs inside `total_cents`, in words.
fn costs_line(total_cents: i64, lang: &LanguageIdentifier) -> String {
    let code = lang.to_string();
    let amount = |cost: Rate| format_amount(cost.of(Cents(total_cents)), &code);
    Message::new("premium-pdf-costs")
        .with("management", format_rate(MANAGEMENT_COST, &code))
        .with("management_amount", amount(MANAGEMENT_COST))
        .with("collection", format_rate(COLLECTION_COST, &code))
        .with("collection_amount", amount(COLLECTION_COST))
        .render(lang)
}

/// The texts of the PDF in `lang`, amounts written the reader's way.
fn summary(
    account: &InsurerAccount,
    tenant: &Tenant,
    header: &StatementHeader,
    lang: &LanguageIdentifier,
) -> StatementSummary {
    let code = lang.to_string();
    let say = |key: &str| ebdesk_i18n::lookup(lang, key, &[]);
    let amount = |cents: i64| format_amount(Cents(cents), &code);
    let employer = tenant.access.employer();
    let mut facts = vec![
        Message::new("premium-pdf-issued")
            .with("date", display_date(header.issued_at.date_naive()))
            .render(lang),
        Message::new("premium-pdf-due")
            .with("date", display_date(header.due_date))
            .render(lang),
    ];
    if !tenant.access.scope().covers_all_contracts() {
        facts.push(say("premium-pdf-scope"));
    }
    StatementSummary {
        title: Message::new("premium-pdf-title")
            .with("month", header.month.label())
            .render(lang),
        employer: vec![
            format!("{} ({})", employer.name, employer.number),
            employer.street.clone(),
            format!("{} {}", employer.postal_code, employer.city),
        ],
        facts,
        columns: ["contract", "category", "lines", "amount"]
            .map(|c| say(&format!("premium-pdf-col-{c}"))),
        subtotals: header
            .subtotals
            .iter()
            .map(|s| {
                [
                    s.contract_number.clone(),
                    s.category_name.clone(),
                    s.lines.to_string(),
                    amount(s.amount_cents),
                ]
            })
            .collect(),
        total: [say("premium-pdf-total"), amount(header.total_cents)],
        costs: vec![costs_line(header.total_cents, lang)],
        payment_title: say("premium-pdf-payment"),
        payment_facts: vec![
            Message::new("premium-pdf-account")
                .with("iban", account.as_str())
                .with("date", display_date(header.due_date))
                .render(lang),
        ],
        payment_columns: ["contract", "amount", "communication"]
            .map(|c| say(&format!("premium-pdf-col-{c}"))),
        payments: header
            .charges
            .iter()
            .map(|c| {
                [
                    c.contract_number.clone(),
                    amount(c.amount_cents),
                    c.communication.clone(),
                ]
            })
            .collect(),
    }
}

/// The PDF summary of the statement of `month` ("2026-11"), as the scope sees it.
pub async fn statement_pdf(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (_, month) = path.into_inner();
    let month = Month::parse(&month).ok_or(AppError::NotFound)?;
    let scope = tenant.access.scope();
    let header = state
        .store
        .find_statement(scope, month, state.today())
        .await?
        .ok_or(AppError::NotFound)?;
    let lang = ebdesk_i18n::language(tenant.user.language.as_str());
    let pdf = write_statement_pdf(&summary(
        &state.settings.insurer_account,
        &tenant,
        &header,
        &lang,
    ));
    state
        .store
        .record_event(
            &actor(&req, Some(tenant.user.user_id)),
            Some(scope.employer_id()),
            AuditEvent::PremiumStatementDownloaded,
            json!({ "month": month.key(), "format": "pdf", "lines": header.line_count }),
            state.now(),
        )
        .await?;
    let file_name = Message::new("premium-pdf-file-name")
        .with("month", month.key())
        .render(&lang);
    Ok(attachment("application/pdf", file_name, pdf))
}
