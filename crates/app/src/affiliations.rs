//! "Nieuwe aansluiting": the contract and category chosen, and the affiliation. The store
//! holds the one check of the choice ([`Store::find_contract_choice`]), which the form asks
//! first (so its message stands next to the others) and [`Store::affiliate`] makes again in
//! its transaction.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::salary_list::SalaryValues;
use ebdesk_store::{
    Actor, AffiliatePerson, AffiliationDone, ContractChoice, NewAffiliationRequest, Scope, Store,
};

use crate::Error;

/// Checks the contract and category a form chose (`None`: nothing chosen, or not a number).
/// Refused with `contract-not-in-scope` or `category-not-of-contract`.
pub async fn choose_contract(
    store: &Store,
    scope: &Scope,
    contract_id: Option<i64>,
    category_id: Option<i64>,
) -> Result<ContractChoice, Error> {
    Ok(store
        .find_contract_choice(scope, contract_id, category_id)
        .await?)
}

/// A new affiliation of a person to a chosen contract and category.
#[derive(Debug, Clone)]
pub struct NewAffiliation {
    pub person: AffiliatePerson,
    pub choice: ContractChoice,
    pub employment_start: NaiveDate,
    pub affiliation_start: NaiveDate,
    pub salary: SalaryValues,
}

/// Affiliates the person (see [`Store::affiliate`], whose refusals come as
/// [`Error::Refused`]); the action reads "contract number — category".
pub async fn register_affiliation(
    store: &Store,
    scope: &Scope,
    affiliation: NewAffiliation,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<AffiliationDone, Error> {
    let NewAffiliation {
        person,
        choice,
        employment_start,
        affiliation_start,
        salary,
    } = affiliation;
    let request = NewAffiliationRequest {
        person,
        contract_id: choice.contract_id,
        category_id: choice.category_id,
        employment_start,
        affiliation_start,
        salary,
        description: format!("{} — {}", choice.contract_number, choice.category_name),
    };
    Ok(store.affiliate(scope, &request, actor, now).await?)
}
