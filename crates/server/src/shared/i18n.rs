//! The tera function `t` that templates use for every text; the catalogs themselves live
//! in `ebdesk-i18n`, which the worker and the workbooks use too.

use std::collections::HashMap;

pub use ebdesk_i18n::{language, lookup as message};

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
