//! The pages, one module per menu. Each stands on [`crate::shared`], the use cases and the
//! domain, and never imports another page.

mod account;
mod actions;
mod affiliations;
mod audit;
mod categories;
mod contact;
mod contact_points;
mod correspondence;
mod documents;
mod employees;
mod employer_choice;
mod employer_home;
mod exits;
mod login;
mod moves;
mod notification_link;
mod operator;
mod operator_documents;
mod operator_messages;
mod operator_plans;
mod payments;
mod personal_data;
mod premiums;
mod profile;
mod salaries;
mod uploads;
mod users;

use actix_web::web::ServiceConfig;

/// Every page's routes. The order matters where patterns overlap: the employee pages with
/// a `{employee}` segment come after the fixed paths beside them.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.configure(login::routes)
        .configure(employer_choice::routes)
        .configure(account::routes)
        .configure(notification_link::routes)
        .configure(profile::routes)
        .configure(users::routes)
        .configure(operator::routes)
        .configure(operator_documents::routes)
        .configure(operator_plans::routes)
        .configure(payments::routes)
        .configure(operator_messages::routes)
        .configure(contact_points::routes)
        .configure(audit::routes)
        .configure(actions::routes)
        .configure(uploads::routes)
        .configure(salaries::routes)
        .configure(affiliations::routes)
        .configure(exits::routes)
        .configure(moves::routes)
        .configure(personal_data::routes)
        .configure(categories::routes)
        .configure(premiums::routes)
        .configure(contact::routes)
        .configure(correspondence::routes)
        .configure(documents::routes)
        .configure(employer_home::routes)
        .configure(employees::routes);
}
