//! The message catalogs (Fluent files under web/locales, one folder per language) and the
//! tera function `t` that templates use for every text.

use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};

static_loader! {
    static LOCALES = {
        locales: "../../web/locales",
        fallback_language: "nl",
        // Fluent wraps arguments in Unicode isolation marks; HTML does not need them.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The language of a user's account, as a catalog identifier (Dutch when unknown).
pub fn language(code: &str) -> LanguageIdentifier {
    code.parse()
        .unwrap_or_else(|_| fluent_templates::langid!("nl"))
}

/// Looks a message up, with string arguments.
pub fn message(lang: &LanguageIdentifier, key: &str, args: &[(&str, String)]) -> String {
    if args.is_empty() {
        return LOCALES.lookup(lang, key);
    }
    let args: HashMap<std::borrow::Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| {
            (
                std::borrow::Cow::Owned((*k).to_owned()),
                FluentValue::from(v.clone()),
            )
        })
        .collect();
    LOCALES.lookup_with_args(lang, key, &args)
}

/// `{{ t(key="…", lang=lang, name=…) }}`: every other argument is passed to the message.
pub fn tera_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let key = args
        .get("key")
        .and_then(|v| v.as_str())
        .ok_or_else(|| tera::Error::msg("t() needs key"))?;
    let lang = language(args.get("lang").and_then(|v| v.as_str()).unwrap_or("nl"));
    let rest: Vec<(&str, String)> = args
        .iter()
        .filter(|(k, _)| k.as_str() != "key" && k.as_str() != "lang")
        .map(|(k, v)| {
            let text = match v {
                tera::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.as_str(), text)
        })
        .collect();
    Ok(tera::Value::String(message(&lang, key, &rest)))
}
