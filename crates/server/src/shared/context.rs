//! The context every page template gets.

use ebdesk_domain::Rights;

use super::extract::Tenant;
use super::session::SessionUser;

/// Context every logged-in page needs: language, user, CSRF token.
pub fn page_context(user: &SessionUser) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("lang", &user.language);
    context.insert("user_name", &user.display_name);
    context.insert("user_email", &user.email);
    context.insert("csrf_token", &user.csrf_token);
    context.insert("is_operator", &user.is_operator);
    context
}

pub fn tenant_context(tenant: &Tenant) -> tera::Context {
    let mut context = page_context(&tenant.user);
    context.insert("employer", &tenant.access.employer());
    context.insert("rights", &tenant.access.rights());
    context.insert("can_change", &tenant.access.rights().can_change());
    context.insert("is_master", &(tenant.access.rights() == Rights::Master));
    context
}
