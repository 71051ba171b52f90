//! The extractors every page stands on: who is logged in, with which rights at the employer
//! in the path, and the employee in their scope. Anyone else gets 404 (or 403 when they may
//! see the employer but not do this), as if the employer did not exist.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use ebdesk_domain::Rights;
use ebdesk_store::{Access, Actor, EmployeeDetail};
use futures_util::future::LocalBoxFuture;

use super::session::{PreloadedAccess, SessionUser};
use super::{AppError, AppState};

/// The current user's access to the employer named in the path.
pub struct Tenant {
    pub user: SessionUser,
    pub access: Access,
}

impl FromRequest for Tenant {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = SessionUser::from_request(req, payload).into_inner();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let number = req.match_info().get("employer").map(str::to_owned);
        // The session middleware read the access along with the session, for this number.
        let preloaded = req
            .extensions_mut()
            .remove::<PreloadedAccess>()
            .filter(|p| Some(&p.employer_number) == number.as_ref());
        Box::pin(async move {
            let user = user?;
            let access = match preloaded {
                Some(preloaded) => preloaded.access,
                None => {
                    let state =
                        state.ok_or_else(|| AppError::Internal("no app state".to_owned()))?;
                    let number = number.ok_or(AppError::NotFound)?;
                    state
                        .store
                        .find_access(user.user_id, &number, state.now().date_naive())
                        .await?
                }
            };
            Ok(Tenant {
                user,
                access: access.ok_or(AppError::NotFound)?,
            })
        })
    }
}

/// `FromRequest` for a wrapper of [`Tenant`] whose rights must pass `$allowed`: 403
/// otherwise (they may see the employer, not do this).
macro_rules! tenant_with_rights {
    ($wrapper:ident, $allowed:path) => {
        impl FromRequest for $wrapper {
            type Error = AppError;
            type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let tenant = Tenant::from_request(req, payload);
                Box::pin(async move {
                    let tenant = tenant.await?;
                    if $allowed(tenant.access.rights()) {
                        Ok($wrapper(tenant))
                    } else {
                        Err(AppError::Forbidden)
                    }
                })
            }
        }
    };
}

/// The current user's access to the employer in the path, as its master user.
pub struct MasterTenant(pub Tenant);
tenant_with_rights!(MasterTenant, Rights::can_manage_users);

/// The current user's access to the employer in the path, when it may change data (input or
/// master).
pub struct ChangeTenant(pub Tenant);
tenant_with_rights!(ChangeTenant, Rights::can_change);

/// The employee of the path (`{employee}`) inside the scope of a user who may change data:
/// 403 for a read-only user, 404 for an employee outside the scope or of another employer.
pub struct EmployeeToChange {
    pub tenant: Tenant,
    pub employee: EmployeeDetail,
}

impl FromRequest for EmployeeToChange {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let tenant = ChangeTenant::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let id = req.match_info().get("employee").map(str::parse::<i64>);
        Box::pin(async move {
            let ChangeTenant(tenant) = tenant.await?;
            let state = state.ok_or_else(|| AppError::Internal("no app state".to_owned()))?;
            let id = id.and_then(Result::ok).ok_or(AppError::NotFound)?;
            let employee = employee_in_scope(&state, &tenant, id).await?;
            Ok(EmployeeToChange { tenant, employee })
        })
    }
}

/// The employee with this id inside the tenant's scope; 404 for anyone else's.
pub async fn employee_in_scope(
    state: &AppState,
    tenant: &Tenant,
    id: i64,
) -> Result<EmployeeDetail, AppError> {
    state
        .store
        .find_employee(tenant.access.scope(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The logged-in operator.
pub struct Operator(pub SessionUser);

impl FromRequest for Operator {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = SessionUser::from_request(req, payload).into_inner();
        std::future::ready(match user {
            Ok(user) if user.is_operator => Ok(Operator(user)),
            Ok(_) => Err(AppError::Forbidden),
            Err(err) => Err(err),
        })
    }
}

/// Who is acting, from which address (the peer, not a header a client could forge).
pub fn actor(req: &HttpRequest, user_id: Option<i64>) -> Actor {
    Actor {
        user_id,
        ip: req.peer_addr().map(|a| a.ip().to_string()),
    }
}
