//! Templates and static files, embedded in the binary so it runs from anywhere.

use std::sync::LazyLock;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use rust_embed::RustEmbed;

use super::AppError;

#[derive(RustEmbed)]
#[folder = "../../web/templates"]
struct TemplateFiles;

#[derive(RustEmbed)]
#[folder = "../../web/static"]
struct StaticFiles;

fn load() -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    let mut sources = Vec::new();
    for name in template_names() {
        if let Some(file) = TemplateFiles::get(&name) {
            let text = String::from_utf8_lossy(&file.data).into_owned();
            sources.push((name.to_string(), text));
        }
    }
    tera.add_raw_templates(sources)?;
    tera.autoescape_on(vec![".html"]);
    tera.register_function("t", ebdesk_i18n::tera_function);
    Ok(tera)
}

static TERA: LazyLock<Result<tera::Tera, String>> =
    LazyLock::new(|| load().map_err(|e| format!("{e:?}")));

/// Names of the page templates (a test renders each one). The mail templates are the
/// account mails' (`ebdesk-app`).
pub fn template_names() -> Vec<String> {
    TemplateFiles::iter()
        .filter(|n| !n.starts_with("mail/"))
        .map(|n| n.to_string())
        .collect()
}

/// Renders a template to HTML.
pub fn render(name: &str, context: &tera::Context) -> Result<String, AppError> {
    let tera = TERA
        .as_ref()
        .map_err(|e| AppError::Internal(format!("templates did not load: {e}")))?;
    Ok(tera.render(name, context)?)
}

/// The Dutch error page; falls back to plain text if even that cannot render.
pub fn render_error_page(key: &str, status: u16, lang: &str) -> String {
    let mut context = tera::Context::new();
    context.insert("lang", lang);
    context.insert("key", key);
    context.insert("status", &status);
    render("error.html", &context).unwrap_or_else(|err| {
        tracing::error!(error = %err, "error page did not render");
        format!(
            "<!doctype html><title>Fout {status}</title><p>Er ging iets mis (fout {status}).</p>"
        )
    })
}

pub async fn static_file(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = path.into_inner();
    let file = StaticFiles::get(&name).ok_or(AppError::NotFound)?;
    let content_type = match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .body(file.data.into_owned()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// tera only checks a template when it renders: render each one with a full context, in
    /// each language, and make sure no message key is missing (tests/catalogs.rs in
    /// ebdesk-i18n makes sure no language lacks a key Dutch has).
    #[test]
    fn every_template_renders_in_every_language_without_missing_messages() {
        let mut context = tera::Context::from_value(serde_json::json!({
            "lang": "nl", "csrf_token": "t", "email": "a@b.test", "error_key": "login-failed",
            "user_name": "An", "user_email": "an@peeters.test", "key": "error-not-found", "status": 404,
            "employer": {"number": "530-101", "name": "Bouwbedrijf Peeters NV", "kbo_number": "0403.170.701",
                "street": "Industrieweg 12", "postal_code": "2800", "city": "Mechelen",
                "notification_email": "v@peeters.test"},
            "rights": "master", "can_change": true, "is_master": true, "languages": ["nl", "fr", "en"], "saved": true, "document_notices": true, "count_cap": 1000,
            "language_error": "profile-language-unknown",
            "question": {"action_key": "users-revoke", "text_key": "confirm-revoke", "name": "Els", "post_to": "/x", "back_to": "/y"},
            "choices": [{"number": "530-101", "name": "Peeters", "rights": "consult"}],
            "by": "de beheerder",
            "invitations": [{"invitation_id": 3, "employer_number": "530-202", "employer_name": "De Linde",
                "rights": "input", "invited_by": "Greet", "display_name": "Koen", "email": "k@x.test",
                "all_contracts": true, "created_at": "2026-12-01T10:00:00Z",
                "expires_at": "2026-12-15T10:00:00Z"}],
            "contact_points": [{"kind": "claims", "name": "S", "email": "s@x.test", "phone": "1"}],
            "contracts": [{"id": 1, "number": "530/000101", "name": "Bedienden"}],
            "category_contracts": [{"number": "530/000101", "name": "Bedienden", "categories": [
                {"name": "Bedienden",
                 "current": {"from": "01/01/2024", "until": null, "kind": "flat", "rate": "5 %",
                    "low": null, "high": null, "threshold": null},
                 "others": [{"from": "01/01/1980", "until": "31/12/2023", "kind": "two_tier",
                    "rate": null, "low": "3 %", "high": "10 %", "threshold": "70 000,00 €"}]},
                {"name": "Kaderleden", "current": null, "others": []}]},
                {"number": "530/000102", "name": "Arbeiders", "categories": []}],
            "plan_contracts": [{"number": "530/000101", "name": "Bedienden", "categories": [
                {"id": 2, "name": "Bedienden",
                 "current": {"from": "01/01/2024", "until": null, "kind": "flat", "rate": "5 %",
                    "low": null, "high": null, "threshold": null}, "others": []}]}],
            "category_form": {"values": {"contract": "1", "name": "<b>K</b>"},
                "errors": {"name": "category-name-taken"}},
            "rule_form": {"values": {"category": "2", "from": "01/01/2026", "kind": "two_tier",
                "rate": "", "low": "3", "high": "8", "threshold": "70000"},
                "errors": {"from": "plan-rule-date-taken", "category": "plan-rule-category-unknown",
                    "kind": "plan-kind-invalid"}},
            "year": 2026, "previous_year": 2025, "next_year": null,
            "months": [{"key": "2026-11", "label": "11/2026", "charges": [
                {"contract": "530/000101", "amount": "563,33 €", "paid": "0,00 €",
                 "outstanding": "563,33 €", "due_date": "30/11/2026", "status": "late",
                 "communication": "+++000/0000/00101+++"}]}],
            "statement_months": [{"key": "2026-11", "label": "11/2026"}],
            "document_search": "brief",
            "document_sections": [{"kind": "correspondence", "years": [{"year": "2026", "documents": [
                {"title": "Brief", "href": "/werkgevers/530-101/documenten/1", "date": "01/12/2026",
                 "contract": "530/000102", "is_new": true, "format": "PDF"}]}]},
                {"kind": "legal", "years": []}],
            "document_kinds": ["correspondence", "legal", "categories", "premium_payment"],
            "published_documents": [{"title": "Brief", "kind": "legal", "contract": null,
                "file_name": "Brief.pdf", "date": "01/12/2026", "kilobytes": 12}],
            "publish_form": {"values": {"titel": "Brief", "soort": "legal", "contract": "1"},
                "errors": {"titel": "T", "soort": "S", "contract": "C", "bestand": "B"}},
            "max_document_mb": 20,
            "salaries": [{"contract": "530/000101", "category": "Bedienden", "from": "01/01/2026",
                "annual": "48 000,00 €", "fraction": "80 %", "recorded": "02/01/2026"}],
            "statement_error": "statement-month-unknown",
            "outcome": {"recorded": 2, "already": 1, "problems": [[3, "payment-amount-invalid"]]},
            "payment_errors": {"mededeling": "payment-communication-invalid", "bestand": "payment-file-columns"},
            "payment_values": {"mededeling": "+++", "bedrag": "12", "datum": "x"},
            "form_token": "abc",
            "q": "jan", "sort": "name", "statuses": ["all", "active", "passive", "terminated"],
            "next_after": 7, "previous_before": 3, "total": 1234, "filters_open": true,
            "list_query": "q=jan&status=all&sort=name",
            "filter_contracts": [{"value": "1", "label": "530/000101 Bedienden", "selected": true}],
            "category_groups": [{"contract": "530/000101 Bedienden",
                "options": [{"value": "2", "label": "Kaderleden", "selected": false}]}],
            "filter_form": {"values": {"q": "jan", "in_van": "2024-01-01", "in_tot": "x"},
                "errors": {"q": "search-too-long", "contract": "filter-contract-unknown",
                    "categorie": "filter-category-other-contract", "in_tot": "date-invalid",
                    "uit_tot": "filter-period-reversed"}},
            "rows": [{"id": 1, "name": "Peeters, Jan", "national_number": "85.07.30-***.**",
                "employee_number": "1", "status": "passive", "status_label": "Passief"}],
            "national_number": "85.07.30-033.28",
            "qr_svg": "<svg></svg>", "secret": "ABCD EFGH", "codes": ["abcd-efgh-jkmn"],
            "message_key": "link-expired", "activation": true, "action": "/activeren/x",
            "retry_time": "10:15", "name": "An", "link": "http://ebdesk.test/x",
            "sheets": [{"sheet_id": 3, "user_id": 4, "display_name": "Els", "email": "els@a.test",
                "rights": "consult", "all_contracts": false, "contract_ids": [1],
                "contract_numbers": ["530/000101"], "external": true, "valid_until": "2027-01-31",
                "last_login_at": "2026-11-20T08:15:00Z", "invited": false, "locked": true,
                "disabled": false, "expired": false}],
            "sheet_id": 3,
            "notification": {"new_email": "nieuw@peeters.test", "requested_at": "2026-12-01T10:00:00.123456Z",
                "expires_at": "2026-12-04T10:00:00Z", "expired": false},
            "notification_form": {"value": "nieuw@", "error": "email-invalid-domain"},
            "notification_action": "/werkgevers/530-101/notificatieadres",
            "notification_link": {"employer_id": 1, "employer_number": "530-101", "employer_name": "Peeters",
                "current_email": "oud@peeters.test", "new_email": "nieuw@peeters.test", "language": "fr"},
            "data_form": {"values": {"name": "Peeters", "kbo": "0403.170.701", "street": "Industrieweg 12",
                "postal_code": "2800", "city": "Mechelen"}, "errors": {"kbo": "kbo-check-digits"}},
            "details": {"id": 1, "number": "530-101", "name": "Peeters", "kbo_number": "0403170701",
                "street": "Industrieweg 12", "postal_code": "2800", "city": "Mechelen",
                "notification_email": "v@peeters.test"},
            "summary": {"id": 1, "number": "530-101", "name": "Peeters", "kbo_number": "0403170701",
                "master_email": "an@peeters.test", "master_invited": true},
            "employers": [{"id": 1, "number": "530-101", "name": "Peeters", "kbo_number": "0403170701",
                "master_email": null, "master_invited": null}],
            "is_operator": true, "operator_view": true, "base": "/beheer/auditlog",
            "events": [["login_failed", "Aanmelden mislukt"]], "query": "event=login_failed",
            "params": {"event": "login_failed", "person": "an@peeters.test", "since": "2026-11-01",
                "until": "2026-11-30", "employer": "530-101"},
            "people": [{"email": "els@a.test", "display_name": "Els"}], "download_cap": 10000,
            "entries": [{"at": "24/11/2026 11:00:00", "employer": "530-101", "who": "an@peeters.test",
                "event": "Rechten van een gebruiker gewijzigd", "details": ["Rechten: a → b"], "ip": "127.0.0.1"}],
            "next_before": 7, "errors": {"event": "audit-filter-event", "since": "audit-filter-date",
                "until": "audit-filter-period", "employer": "audit-filter-employer"},
            "page": 2, "mails": {"next_before": 7, "rows": [{"id": 8, "to_address": "a@b.test",
                "subject": "S", "created_at": "2026-11-24T10:00:00Z", "status": "failed",
                "attempts": 3, "sent_at": null, "last_error": "550"}]},
            "form": {"values": {"number": "530-1", "name": "X", "email": "a@b.test"}, "name": "Els", "email": "els@a.test", "rights": "input", "scope": "some",
                "contracts": [1], "external": true, "valid_until": "2027-01-31",
                "errors": {"name": "user-name-required", "email": "login-email-generic",
                    "rights": "user-rights-required", "scope": "user-scope-empty",
                    "valid_until": "user-end-date-past", "national_number": "national-number-check-digits",
                    "contract": "affiliation-overlap", "end_date": "exit-before-affiliation",
                    "employees": "exit-employees-required", "affiliation": "exit-already-exited",
                    "category": "move-same-category", "from": "move-not-after-start",
                    "soort": "contact-kind-required", "onderwerp": "contact-subject-required",
                    "bericht": "contact-message-required", "bijlage": "contact-attachment-type"},
                "affiliation": 1, "category": 3, "from": "01/12/2026",
                "kind": "claims", "subject": "Vraag", "message": "Dag,\nGroeten",
                "step": "details", "known": "in_scope", "end_date": "30/04/2026", "reason": "death",
                "affiliations": [1], "refusals": [["Peeters, Jan", "exit-already-exited"]],
                "was": {"last_name": "Peeters"}, "version": 3, "notice": "personal-data-changed-meanwhile",
                "meanwhile": [{"field": "gender", "before": "M", "after": "F"}]},
            "categories": [{"id": 2, "contract_id": 1, "name": "Bedienden"},
                {"id": 3, "contract_id": 1, "name": "Kaderleden"}],
            "known_person": {"id": 1, "last_name": "Peeters", "first_name": "Jan", "gender": "M",
                "birth_date": "1985-07-30", "employee_number": "7"},
            "known_national_number": "85.07.30-033.28",
            "reasons": ["dismissal_by_employer", "death"],
            "exit_employee": {"id": 1, "last_name": "Peeters", "first_name": "Jan",
                "affiliations": [{"id": 1, "contract_number": "530/000101", "category_name": "B",
                    "affiliation_start": "2020-01-01", "end_date": null}]},
            "other_category": true,
            "contact_kinds": ["administrative", "commercial", "claims"],
            "about_employee": {"id": 1, "last_name": "Peeters", "first_name": "Jan"},
            "threads": [{"id": 3, "employer_number": "530-101", "employer_name": "Peeters",
                "contact_kind": "claims", "subject": "Vraag", "author_name": "An",
                "employee_name": "Peeters, Jan", "last_message_at": "2026-12-01T10:00:00Z",
                "answered_at": null}],
            "thread": {"thread": {"id": 3, "employer_number": "530-101", "employer_name": "Peeters",
                "contact_kind": "claims", "subject": "Vraag", "author_name": "An",
                "employee_name": "Peeters, Jan", "last_message_at": "2026-12-01T10:00:00Z",
                "answered_at": "2026-12-02T10:00:00Z"},
                "messages": [{"id": 4, "from_operator": false, "author_name": "An", "body": "Dag\n<b>x</b>",
                    "created_at": "2026-12-01T10:00:00Z", "attachment_name": "brief.pdf"},
                    {"id": 5, "from_operator": true, "author_name": "Beheer", "body": "Antwoord",
                    "created_at": "2026-12-02T10:00:00Z", "attachment_name": null}]},
            "thread_base": "/werkgevers/530-101/correspondentie/3",
            "threads_base": "/werkgevers/530-101/correspondentie",
            "move_employee": {"id": 1, "last_name": "Peeters", "first_name": "Jan",
                "affiliations": [{"id": 1, "contract_id": 1, "category_id": 2,
                    "contract_number": "530/000101", "category_name": "B",
                    "affiliation_start": "2020-01-01", "end_date": null}]},
            "chosen": [[1, "Peeters, Jan"]], "chosen_count": 1, "exited": 3, "late": true,
            "end_date": "30/04/2026",
            "change_employee": {"id": 1, "last_name": "Peeters", "first_name": "Jan"},
            "person_fields": ["last_name", "gender"],
            "change_view": {"kind": "personal_data_change", "warnings": [],
                "rows": [{"field": "language", "before": "nl", "after": "fr"}]},
            "warnings": ["personal-data-bis-to-register"],
            "change": {"kind": "exit", "end_date": "30/04/2026", "reason": "end_of_contract",
                "warnings": ["exit-late"], "rows": []},
            "can_withdraw": true, "employee_id": 1, "has_active": true,
            "history": [{"action_id": 5, "kind": "new_affiliation", "status": "withdrawn", "at": "01/12/2026",
                "effective_date": "01/11/2026", "by": "An", "details": {"kind": "new_affiliation",
                "contract": "530/000101", "category": "B", "employment_start": "01/11/2026",
                "affiliation_start": "01/11/2026", "warnings": ["affiliation-later-than-employment"], "rows": []}},
                {"action_id": 6, "kind": "category_move", "status": "processed", "at": "01/12/2026",
                "effective_date": "01/12/2026", "by": "An", "details": {"kind": "category_move",
                "contract": "530/000101", "previous_category": "B", "category": "K",
                "end_date": "30/11/2026", "affiliation_start": "01/12/2026",
                "warnings": ["move-late"], "rows": []}}],
            "actions": [{"id": 5, "kind": "insured_overview_download", "status": "running",
                "is_final": false, "description": "Aangevraagd op 24/11/2026", "employee_name": null,
                "employee_number": null, "requested_at": "24/11/2026", "status_at": "24/11/2026",
                "processed_at": null, "error": null}],
            "kinds": ["insured_overview_download", "insured_overview_upload"],
            "action_statuses": ["requested", "running", "available", "processed", "failed"],
            "filter_kind": "", "filter_status": "failed", "all_time": false, "by_number": true,
            "live": true, "requested_by_name": "An Peeters", "can_decide": true,
            "refusal": "upload-stale", "upload_error": "Kies een bestand.", "expired_on": "24/10/2026",
            "action_id": 5, "salary_years": [2025, 2026, 2027], "salary_year": 2026,
            "salary_year_error": true, "preview_words": "preview-salary", "salary_upload": true, "salary_upload_error": "Kies een bestand.",
            "action": {"id": 5, "kind": "insured_overview_upload", "status": "failed",
                "is_final": true, "description": "lijst.xlsx", "employee_name": null,
                "employee_number": null, "requested_at": "24/11/2026", "status_at": "24/11/2026",
                "processed_at": "24/11/2026", "effective_date": "01/12/2026",
                "error": "job-error-file-refused"},
            "file": {"name": "Fouten.xlsx", "expires": "24/12/2026", "expired": false},
            "upload": {"action_id": 5, "file_name": "lijst.xlsx", "phase": "ready", "rows_done": 3,
                "rows_total": 9, "counts": "{}", "decided_at": null},
            "rejection": "Het bestand is leeg.",
            "preview": {"new": 1, "changed": 1, "removed": 1, "unchanged": 4, "rows_read": 9,
                "error_rows": 1, "has_errors": true, "page": 1, "pages": 2,
                "changes": [{"kind": "new", "row": 2, "employee_id": 1, "version": 1, "name": "Peeters, Jan",
                    "national_number": "85.07.30-033.28", "old": null, "new": "jan@a.test"}],
                "warnings": [{"row": 3, "column": "Naam", "code": "warning-read-only-ignored", "message": "M"}],
                "errors": [{"row": 4, "column": "Rijksregisternummer", "value": "1", "code": "x", "message": "M"}]},
            "employee": {"id": 1, "last_name": "Peeters", "first_name": "Jan", "gender": "M",
                "language": "fr", "birth_date": "1985-07-30", "employee_number": null,
                "business_email": null, "private_email_known": true, "version": 1,
                "affiliations": [{"id": 1, "contract_number": "530/000101", "contract_name": "B",
                    "category_name": "Bedienden", "employment_start": "2020-01-01",
                    "affiliation_start": "2020-01-01", "end_date": "2024-04-30",
                    "exit_reason": "end_of_contract", "status": "terminated"}]}
        }))
        .unwrap();
        let names = template_names();
        assert!(names.len() >= 6);
        let logout = [
            ("nl", "Afmelden"),
            ("fr", "Se déconnecter"),
            ("en", "Log out"),
        ];
        for (lang, logout) in logout {
            context.insert("lang", lang);
            for name in &names {
                let html = render(name, &context).unwrap();
                // fluent-templates answers an unknown key with the key itself.
                assert!(
                    !html.contains("Unknown localization"),
                    "{lang} {name}: {html}"
                );
                for key in ["menu-employees", "login-failed", "col-status", "gender-M"] {
                    assert!(!html.contains(key), "{lang} {name} shows the raw key {key}");
                }
                if html.contains("class=\"logout\"") {
                    assert!(
                        html.contains(logout),
                        "{lang} {name} is not in its language"
                    );
                }
            }
        }
    }

    #[test]
    fn the_error_page_says_in_dutch_what_happened_and_nothing_else() {
        let html = render_error_page("error-internal", 500, "nl");
        assert!(html.contains("Er ging iets mis"));
        assert!(html.contains("500"));
    }
}
