//! "Betalingen" (operator): record what employers paid for their statements, one payment
//! typed in, or a bank's CSV export read row by row. A payment names its charge by the
//! structured communication; recording the same bank reference twice changes nothing.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_domain::premium::payments::{
    BankPayment, payment_amount, payment_communication, payment_date, read_bank_csv,
};
use ebdesk_store::{NewPayment, PaymentResult};
use serde::{Deserialize, Serialize};

use crate::shared::file_field::{ReceivedFile, read_file_field};
use crate::shared::{AppError, AppState, Operator, RouteExt, actor, html, page_context, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/beheer/betalingen", payments_page)
        .post("/beheer/betalingen", record_payment)
        .post("/beheer/betalingen/bestand", record_bank_file);
}

/// A bank file's largest size: 20 000 rows of a bank export fit in far less.
const MAX_BANK_FILE: u64 = 2 * 1024 * 1024;

#[derive(Deserialize)]
pub struct PaymentForm {
    mededeling: String,
    bedrag: String,
    datum: String,
    /// A token of the form, so a form sent twice records one payment.
    formulier: String,
}

/// What a recording did, for the page.
#[derive(Default, Serialize)]
struct Outcome {
    recorded: usize,
    already: usize,
    /// Line number (0 for a typed payment) and message key.
    problems: Vec<(usize, &'static str)>,
}

fn page(
    operator: &Operator,
    status: StatusCode,
    outcome: Option<&Outcome>,
    form_errors: &HashMap<&str, &str>,
    values: &HashMap<&str, String>,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&operator.0);
    context.insert("outcome", &outcome);
    context.insert("payment_errors", form_errors);
    context.insert("payment_values", values);
    context.insert("form_token", &ebdesk_app::credentials::random_token());
    Ok(html(status, render("payments.html", &context)?))
}

pub async fn payments_page(operator: Operator) -> Result<HttpResponse, AppError> {
    page(
        &operator,
        StatusCode::OK,
        None,
        &HashMap::new(),
        &HashMap::new(),
    )
}

/// Records `payments` (with their line numbers) and says what became of them.
async fn record(
    req: &HttpRequest,
    state: &AppState,
    operator: &Operator,
    payments: Vec<(usize, BankPayment)>,
    mut outcome: Outcome,
) -> Result<Outcome, AppError> {
    let new: Vec<NewPayment> = payments
        .iter()
        .map(|(_, p)| NewPayment {
            charge_id: i64::try_from(p.communication.number()).unwrap_or(i64::MAX),
            amount: p.amount,
            paid_on: p.paid_on,
            bank_reference: p.reference.clone(),
        })
        .collect();
    let actor = actor(req, Some(operator.0.user_id));
    let results = state
        .store
        .record_payments(&new, &actor, state.now())
        .await?;
    for ((line, _), result) in payments.iter().zip(results) {
        match result {
            PaymentResult::Recorded => outcome.recorded += 1,
            PaymentResult::AlreadyRecorded => outcome.already += 1,
            PaymentResult::UnknownCharge => {
                outcome.problems.push((*line, "payment-charge-unknown"))
            }
        }
    }
    outcome.problems.sort_unstable();
    Ok(outcome)
}

/// The typed payment, or the message key of each field that is wrong.
fn typed_payment(form: &PaymentForm) -> Result<BankPayment, HashMap<&'static str, &'static str>> {
    let mut errors = HashMap::new();
    let communication = payment_communication(&form.mededeling)
        .map_err(|key| errors.insert("mededeling", key))
        .ok();
    let amount = payment_amount(&form.bedrag)
        .map_err(|key| errors.insert("bedrag", key))
        .ok();
    let paid_on = payment_date(&form.datum)
        .map_err(|key| errors.insert("datum", key))
        .ok();
    match (communication, amount, paid_on) {
        (Some(communication), Some(amount), Some(paid_on)) => Ok(BankPayment {
            communication,
            amount,
            paid_on,
            reference: format!("manueel-{}", form.formulier.trim()),
        }),
        _ => Err(errors),
    }
}

pub async fn record_payment(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    form: web::Form<PaymentForm>,
) -> Result<HttpResponse, AppError> {
    let token = form.formulier.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(AppError::BadRequest);
    }
    let values = HashMap::from([
        ("mededeling", form.mededeling.clone()),
        ("bedrag", form.bedrag.clone()),
        ("datum", form.datum.clone()),
    ]);
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let payment = match typed_payment(&form) {
        Ok(payment) => payment,
        Err(errors) => return page(&operator, refused, None, &errors, &values),
    };
    let outcome = record(
        &req,
        &state,
        &operator,
        vec![(0, payment)],
        Outcome::default(),
    )
    .await?;
    if outcome.problems.is_empty() {
        return page(
            &operator,
            StatusCode::OK,
            Some(&outcome),
            &HashMap::new(),
            &HashMap::new(),
        );
    }
    let errors = HashMap::from([("mededeling", "payment-charge-unknown")]);
    page(&operator, refused, None, &errors, &values)
}

/// The text of the received bank file, or the message key of why there is none.
fn bank_text(received: Option<ReceivedFile>) -> Result<String, &'static str> {
    match received {
        None => Err("payment-file-empty"),
        Some(ReceivedFile { bytes: None, .. }) => Err("payment-file-too-large"),
        Some(ReceivedFile {
            bytes: Some(bytes), ..
        }) => Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            // Bank exports in Windows-1252: their accents only matter in names we do not read.
            Err(err) => err.into_bytes().iter().map(|b| char::from(*b)).collect(),
        }),
    }
}

pub async fn record_bank_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let received = read_file_field(multipart, "bestand", &[], MAX_BANK_FILE).await?;
    let none: HashMap<&str, String> = HashMap::new();
    let rows = match bank_text(received).and_then(|text| read_bank_csv(&text)) {
        Ok(rows) => rows,
        Err(key) => {
            let errors = HashMap::from([("bestand", key)]);
            return page(
                &operator,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                &errors,
                &none,
            );
        }
    };
    let mut outcome = Outcome::default();
    let mut good = Vec::new();
    for (line, row) in rows {
        match row {
            Ok(payment) => good.push((line, payment)),
            Err(key) => outcome.problems.push((line, key)),
        }
    }
    let outcome = record(&req, &state, &operator, good, outcome).await?;
    page(
        &operator,
        StatusCode::OK,
        Some(&outcome),
        &HashMap::new(),
        &none,
    )
}
