//! The language of a page. Logged in: the account's own (set on "Mijn account"). Before
//! login: the visitor's choice on the NL / FR / EN switch (`?taal=`, remembered in a
//! cookie), else the first language of the browser's Accept-Language that has a catalog,
//! else Dutch.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{HttpMessage, HttpRequest};

use super::{SessionUser, is_https};

/// The languages of the pages, in the switch's order.
pub const LANGUAGES: [&str; 3] = ["nl", "fr", "en"];

/// Remembers the switch's choice before login.
pub const LANGUAGE_COOKIE: &str = "ebdesk_lang";

/// `code` when it is one of [`LANGUAGES`].
pub fn supported(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(code))
}

/// What the switch asked in this request (`?taal=fr`).
fn switched(req: &HttpRequest) -> Option<&'static str> {
    // Only "nl", "fr" or "en" count, so no percent-decoding is needed.
    req.query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("taal="))
        .and_then(supported)
}

/// The first language of the browser's list that has a catalog ("fr-BE" reads as "fr").
fn from_browser(req: &HttpRequest) -> Option<&'static str> {
    let header = req.headers().get(ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept_language::parse(header)
        .iter()
        .find_map(|tag| supported(tag.split('-').next().unwrap_or(tag)))
}

/// The language of a visitor who is not logged in.
pub fn visitor_language(req: &HttpRequest) -> &'static str {
    switched(req)
        .or_else(|| {
            req.cookie(LANGUAGE_COOKIE)
                .and_then(|c| supported(c.value()))
        })
        .or_else(|| from_browser(req))
        .unwrap_or(LANGUAGES[0])
}

/// The language of whoever sent `req`: the account's when a session is loaded, else the
/// visitor's.
pub fn request_language(req: &HttpRequest) -> String {
    match req.extensions().get::<SessionUser>() {
        Some(user) => user.language.clone(),
        None => visitor_language(req).to_owned(),
    }
}

/// The cookie that keeps the switch's choice, when this request made one.
pub fn switch_cookie(req: &HttpRequest) -> Option<Cookie<'static>> {
    let chosen = switched(req)?;
    Some(
        Cookie::build(LANGUAGE_COOKIE, chosen)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(is_https(req))
            .max_age(Duration::days(365))
            .finish(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn the_switch_beats_the_cookie_which_beats_the_browser() {
        let browser = TestRequest::default()
            .insert_header((ACCEPT_LANGUAGE, "de-DE, fr-BE;q=0.8, nl;q=0.5"))
            .to_http_request();
        assert_eq!(visitor_language(&browser), "fr");
        let cookie = TestRequest::default()
            .insert_header((ACCEPT_LANGUAGE, "fr-BE"))
            .cookie(Cookie::new(LANGUAGE_COOKIE, "en"))
            .to_http_request();
        assert_eq!(visitor_language(&cookie), "en");
        let switch = TestRequest::with_uri("/login?taal=NL")
            .insert_header((ACCEPT_LANGUAGE, "fr-BE"))
            .cookie(Cookie::new(LANGUAGE_COOKIE, "en"))
            .to_http_request();
        assert_eq!(visitor_language(&switch), "nl");
        assert_eq!(switch_cookie(&switch).unwrap().value(), "nl");
    }

    #[test]
    fn anything_else_is_dutch() {
        let odd = TestRequest::with_uri("/login?taal=xx")
            .insert_header((ACCEPT_LANGUAGE, "de, *;q=0.1"))
            .cookie(Cookie::new(LANGUAGE_COOKIE, "<script>"))
            .to_http_request();
        assert_eq!(visitor_language(&odd), "nl");
        assert!(switch_cookie(&odd).is_none());
        assert_eq!(
            visitor_language(&TestRequest::default().to_http_request()),
            "nl"
        );
    }
}
