//! "Werknemers": the employee list and the employee page. Every handler takes a [`Tenant`],
//! which only exists for a user holding a valid sheet at the employer in the path; anyone
//! else gets 404, as if the employer did not exist.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use std::collections::BTreeMap;

use ebdesk_domain::AffiliationStatus;
use ebdesk_domain::changes::{FieldErrors, parse_date};
use ebdesk_domain::search::classify;
use ebdesk_store::{
    Category, Contract, EmployeeFilters, EmployeeListQuery, EmployeeListRow, SortOrder,
    StatusFilter,
};
use serde::{Deserialize, Serialize};

use crate::shared::notice::Notice;
use crate::shared::pager::{cursor, insert_pager};
use crate::shared::{
    AppError, AppState, RouteExt, Tenant, employee_in_scope, html, render, tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/werknemers", list_employees)
        .get(
            "/werkgevers/{employer}/werknemers/{employee}",
            show_employee,
        );
}

#[derive(Deserialize)]
pub struct ListParams {
    q: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    /// A contract id (of the scope).
    contract: Option<String>,
    /// A category id (of a contract of the scope).
    categorie: Option<String>,
    /// Affiliation start date ("Datum aansluiting") from / to, inclusive.
    in_van: Option<String>,
    in_tot: Option<String>,
    /// Affiliation end date ("Datum uittreding") from / to, inclusive.
    uit_van: Option<String>,
    uit_tot: Option<String>,
    after: Option<i64>,
    before: Option<i64>,
    page: Option<u32>,
}

/// The longest search the list takes: a name, a number, or a few words of a name.
const MAX_SEARCH_CHARS: usize = 100;

#[derive(Serialize)]
struct ListRowView {
    id: i64,
    name: String,
    national_number: String,
    /// Empty when the employer gave none.
    employee_number: String,
    status: AffiliationStatus,
    status_label: String,
}

/// One option of a filter's select.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// The categories of one contract, for the category filter.
#[derive(Serialize)]
struct CategoryGroup {
    contract: String,
    options: Vec<Choice>,
}

/// What the filter form shows: the values as they will be sent again, and the message of
/// each value that was refused.
#[derive(Serialize, Default)]
struct FilterView {
    values: BTreeMap<&'static str, String>,
    errors: FieldErrors,
}

/// The filter fields the `<details>` holds: it opens when one of them is used.
const MORE_FILTERS: [&str; 6] = [
    "contract",
    "categorie",
    "in_van",
    "in_tot",
    "uit_van",
    "uit_tot",
];

fn given(value: &Option<String>) -> &str {
    value.as_deref().map_or("", str::trim)
}

impl ListParams {
    /// The status and sort order; 400 for a value the page does not offer (a select).
    fn status_and_sort(&self) -> Result<(StatusFilter, SortOrder), AppError> {
        let status = match self.status.as_deref() {
            None | Some("") | Some("all") => StatusFilter::All,
            Some(s) => {
                StatusFilter::Only(AffiliationStatus::from_db(s).ok_or(AppError::BadRequest)?)
            }
        };
        let sort = match self.sort.as_deref() {
            None | Some("") | Some("name") => SortOrder::Name,
            Some("number") => SortOrder::Number,
            Some(_) => return Err(AppError::BadRequest),
        };
        Ok((status, sort))
    }

    /// The filters, checked against the scope's contracts and categories; each value that is
    /// not usable gets its message in `view.errors`. An id outside the scope reads the same as
    /// one that does not exist.
    fn filters(
        &self,
        contracts: &[Contract],
        categories: &[Category],
        view: &mut FilterView,
    ) -> EmployeeFilters {
        let mut filters = EmployeeFilters::default();
        let contract = given(&self.contract);
        if !contract.is_empty() {
            match contract
                .parse::<i64>()
                .ok()
                .filter(|id| contracts.iter().any(|c| c.id == *id))
            {
                Some(id) => filters.contract_id = Some(id),
                None => {
                    view.errors.insert("contract", "filter-contract-unknown");
                }
            }
        }
        let category = given(&self.categorie);
        if !category.is_empty() {
            let known = category
                .parse::<i64>()
                .ok()
                .and_then(|id| categories.iter().find(|c| c.id == id));
            match known {
                None => {
                    view.errors.insert("categorie", "filter-category-unknown");
                }
                Some(c) if filters.contract_id.is_some_and(|id| id != c.contract_id) => {
                    view.errors
                        .insert("categorie", "filter-category-other-contract");
                }
                Some(c) => filters.category_id = Some(c.id),
            }
        }
        let mut date = |key: &'static str, value: &Option<String>| {
            let text = given(value);
            if text.is_empty() {
                return None;
            }
            let date = parse_date(text);
            match date {
                // The browser's date field shows only the ISO form.
                Some(d) => {
                    view.values.insert(key, d.format("%Y-%m-%d").to_string());
                }
                None => {
                    view.errors.insert(key, "date-invalid");
                }
            }
            date
        };
        filters.entry_from = date("in_van", &self.in_van);
        filters.entry_to = date("in_tot", &self.in_tot);
        filters.exit_from = date("uit_van", &self.uit_van);
        filters.exit_to = date("uit_tot", &self.uit_tot);
        if let (Some(from), Some(to)) = (filters.entry_from, filters.entry_to)
            && from > to
        {
            view.errors.insert("in_tot", "filter-period-reversed");
        }
        if let (Some(from), Some(to)) = (filters.exit_from, filters.exit_to)
            && from > to
        {
            view.errors.insert("uit_tot", "filter-period-reversed");
        }
        filters
    }

    /// The store's query, or the filter form with a message at each field that was refused.
    /// 400 (`AppError`) for a status or sort order the page does not offer.
    fn query(
        &self,
        contracts: &[Contract],
        categories: &[Category],
    ) -> Result<(EmployeeListQuery, FilterView), AppError> {
        let (status, sort) = self.status_and_sort()?;
        let mut view = FilterView::default();
        let q = self.q.as_deref().unwrap_or_default();
        view.values.insert("q", q.to_owned());
        for (key, value) in [
            ("contract", &self.contract),
            ("categorie", &self.categorie),
            ("in_van", &self.in_van),
            ("in_tot", &self.in_tot),
            ("uit_van", &self.uit_van),
            ("uit_tot", &self.uit_tot),
        ] {
            view.values.insert(key, given(value).to_owned());
        }
        if q.chars().count() > MAX_SEARCH_CHARS {
            view.errors.insert("q", "search-too-long");
        }
        let filters = self.filters(contracts, categories, &mut view);
        let query = EmployeeListQuery {
            search: if view.errors.contains_key("q") {
                None
            } else {
                classify(q)
            },
            status,
            filters,
            sort,
            cursor: cursor(self.after, self.before),
        };
        Ok((query, view))
    }
}

impl ListRowView {
    fn of(row: &EmployeeListRow, labels: &StatusLabels) -> Self {
        ListRowView {
            id: row.id,
            name: format!("{}, {}", row.last_name, row.first_name),
            national_number: row.national_number.masked(),
            employee_number: row.employee_number.clone().unwrap_or_default(),
            status: row.status,
            status_label: labels.of(row.status).to_owned(),
        }
    }
}

/// The status words in the reader's language, looked up once per page.
struct StatusLabels([String; 3]);

impl StatusLabels {
    const ALL: [AffiliationStatus; 3] = [
        AffiliationStatus::Active,
        AffiliationStatus::Passive,
        AffiliationStatus::Terminated,
    ];

    fn new(lang: &str) -> Self {
        let lang = ebdesk_i18n::language(lang);
        StatusLabels(
            Self::ALL.map(|s| ebdesk_i18n::lookup(&lang, &format!("status-{}", s.as_str()), &[])),
        )
    }

    fn of(&self, status: AffiliationStatus) -> &str {
        let [active, passive, terminated] = &self.0;
        match status {
            AffiliationStatus::Active => active,
            AffiliationStatus::Passive => passive,
            AffiliationStatus::Terminated => terminated,
        }
    }
}

/// The contracts of the scope as the contract filter offers them.
fn contract_choices(contracts: &[Contract], chosen: &str) -> Vec<Choice> {
    contracts
        .iter()
        .map(|c| Choice {
            value: c.id.to_string(),
            label: format!("{} {}", c.number, c.name),
            selected: c.id.to_string() == chosen,
        })
        .collect()
}

/// The categories by contract, in the contracts' order.
fn category_groups(
    contracts: &[Contract],
    categories: &[Category],
    chosen: &str,
) -> Vec<CategoryGroup> {
    contracts
        .iter()
        .map(|c| CategoryGroup {
            contract: format!("{} {}", c.number, c.name),
            options: categories
                .iter()
                .filter(|g| g.contract_id == c.id)
                .map(|g| Choice {
                    value: g.id.to_string(),
                    label: g.name.clone(),
                    selected: g.id.to_string() == chosen,
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// The query string of the list as filtered now, for the pager's links (without paging).
fn filter_query_string(view: &FilterView, status: &str, sort: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("q", view.values.get("q").map_or("", String::as_str))];
    pairs.push(("status", status));
    pairs.push(("sort", sort));
    for key in MORE_FILTERS {
        if let Some(value) = view.values.get(key).filter(|v| !v.is_empty()) {
            pairs.push((key, value));
        }
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The filter form as chosen: status, sort, the contracts and categories to pick from, and
/// whether the "Filters" box opens (it does when a filter is set or refused).
fn insert_filters(
    context: &mut tera::Context,
    view: &FilterView,
    contracts: &[Contract],
    categories: &[Category],
    status: &str,
    sort: &str,
) {
    context.insert("status", status);
    context.insert("sort", sort);
    context.insert("statuses", &["all", "active", "passive", "terminated"]);
    let set = |k: &&str| {
        view.errors.contains_key(k) || view.values.get(*k).is_some_and(|v| !v.is_empty())
    };
    context.insert("filters_open", &MORE_FILTERS.iter().any(set));
    let chosen = |key: &str| view.values.get(key).map_or("", String::as_str);
    let contract_list = contract_choices(contracts, chosen("contract"));
    context.insert("filter_contracts", &contract_list);
    let groups = category_groups(contracts, categories, chosen("categorie"));
    context.insert("category_groups", &groups);
    context.insert("list_query", &filter_query_string(view, status, sort));
}

/// The list counts exactly up to this many employees and says "more than" beyond: an exact
/// count of a large employer costs more than the page itself (docs/decisions.md).
const COUNT_CAP: i64 = 1000;

/// The status filter and the sort order of a list query, as the form and links name them.
fn list_labels(query: &EmployeeListQuery) -> (&'static str, &'static str) {
    let status = match query.status {
        StatusFilter::All => "all",
        StatusFilter::Only(s) => s.as_str(),
    };
    let sort = match query.sort {
        SortOrder::Name => "name",
        SortOrder::Number => "number",
    };
    (status, sort)
}

pub async fn list_employees(
    state: web::Data<AppState>,
    tenant: Tenant,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let scope = tenant.access.scope();
    let (contracts, categories) = state.store.list_contracts_and_categories(scope).await?;
    let (query, view) = params.query(&contracts, &categories)?;
    let (status, sort) = list_labels(&query);
    let mut context = tenant_context(&tenant);
    context.insert("q", params.q.as_deref().unwrap_or_default());
    context.insert("page", &params.page.unwrap_or(1).max(1));
    insert_filters(&mut context, &view, &contracts, &categories, status, sort);
    let refused = !view.errors.is_empty();
    context.insert("filter_form", &view);
    if refused {
        // Nothing is looked up with a refused filter: the form, with the message at the field.
        context.insert("rows", &Vec::<ListRowView>::new());
        context.insert("total", &Option::<i64>::None);
        context.insert("next_after", &Option::<i64>::None);
        context.insert("previous_before", &Option::<i64>::None);
        let body = render("employees.html", &context)?;
        return Ok(html(StatusCode::BAD_REQUEST, body));
    }
    let (page, total) = (state.store)
        .list_employees_counted(scope, &query, COUNT_CAP)
        .await?;
    context.insert("count_cap", &COUNT_CAP);
    let labels = StatusLabels::new(&tenant.user.language);
    let rows: Vec<ListRowView> = page
        .rows
        .iter()
        .map(|r| ListRowView::of(r, &labels))
        .collect();
    context.insert("total", &Some(total));
    insert_pager(&mut context, &page, |r| r.id);
    context.insert("rows", &rows);
    Ok(html(StatusCode::OK, render("employees.html", &context)?))
}

/// Every salary period of the employee's affiliations, newest first per affiliation, in
/// the reader's way of writing amounts and percents.
async fn salary_history(
    state: &AppState,
    tenant: &Tenant,
    employee: &ebdesk_store::EmployeeDetail,
) -> Result<Vec<serde_json::Value>, AppError> {
    let lang = tenant.user.language.as_str();
    let mut rows = Vec::new();
    for affiliation in &employee.affiliations {
        let records = state
            .store
            .list_affiliation_salaries(tenant.access.scope(), affiliation.id)
            .await?;
        for record in records.iter().rev() {
            let fraction = u32::from(record.salary.fraction.ten_thousandths()) * 100;
            rows.push(serde_json::json!({
                "contract": affiliation.contract_number,
                "category": affiliation.category_name,
                "from": record.salary.from.format("%d/%m/%Y").to_string(),
                "annual": ebdesk_app::amounts::format_amount(record.salary.annual, lang),
                "fraction": ebdesk_app::amounts::format_rate(
                    ebdesk_domain::premium::Rate(fraction),
                    lang,
                ),
                "recorded": crate::shared::local::display_date(
                    crate::shared::local::today(record.recorded_at),
                ),
            }));
        }
    }
    Ok(rows)
}

pub async fn show_employee(
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64)>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let (_, employee_id) = path.into_inner();
    let employee = employee_in_scope(&state, &tenant, employee_id).await?;
    let history: Vec<serde_json::Value> = state
        .store
        .list_employee_history(tenant.access.scope(), employee_id)
        .await?
        .iter()
        .map(crate::shared::history::history_line)
        .collect();
    let salaries = salary_history(&state, &tenant, &employee).await?;
    let mut context = tenant_context(&tenant);
    context.insert("salaries", &salaries);
    context.insert("national_number", &employee.national_number.formatted());
    context.insert(
        "has_active",
        &employee.affiliations.iter().any(|a| a.end_date.is_none()),
    );
    context.insert("employee", &employee);
    context.insert("history", &history);
    notice.insert(&mut context);
    Ok(html(StatusCode::OK, render("employee.html", &context)?))
}
