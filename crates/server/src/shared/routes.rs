//! Route registration that also keeps a list of every route, so that the authorization
//! matrix test fails when a route is added without an entry.

use std::collections::BTreeSet;
use std::sync::Mutex;

use actix_web::{FromRequest, Handler, Responder, web};

static REGISTERED: Mutex<BTreeSet<(&'static str, &'static str)>> = Mutex::new(BTreeSet::new());

/// Every (method, path pattern) registered by an application built in this process.
pub fn registered_routes() -> Vec<(&'static str, &'static str)> {
    REGISTERED
        .lock()
        .map(|set| set.iter().copied().collect())
        .unwrap_or_default()
}

fn remember(method: &'static str, path: &'static str) {
    if let Ok(mut set) = REGISTERED.lock() {
        set.insert((method, path));
    }
}

/// `cfg.get(path, handler)` and `cfg.post(path, handler)`: `ServiceConfig::route` that
/// remembers the route.
pub trait RouteExt {
    fn get<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static;

    fn post<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static;
}

impl RouteExt for web::ServiceConfig {
    fn get<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        remember("GET", path);
        self.route(path, web::get().to(handler))
    }

    fn post<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        remember("POST", path);
        self.route(path, web::post().to(handler))
    }
}
