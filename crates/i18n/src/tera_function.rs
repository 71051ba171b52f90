//! The tera function `t` that templates use for every text: the server's pages and the
//! account mails render with the same catalog lookup.

use std::collections::HashMap;

use crate::{language, lookup};

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
    Ok(tera::Value::String(lookup(&lang, key, &rest)))
}

/// A tera error with its causes: tera's Display hides them, and the chain says which
/// template failed and why.
pub fn tera_error_text(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn t_looks_the_key_up_in_the_language_with_its_arguments() {
        let mut tera = tera::Tera::default();
        tera.register_function("t", tera_function);
        tera.add_raw_template(
            "x",
            r#"{{ t(key="upload-too-many-rows", lang="nl", max=5) }}"#,
        )
        .unwrap();
        let text = tera.render("x", &tera::Context::new()).unwrap();
        assert!(text.contains('5'), "{text}");
        assert!(!text.contains("upload-too-many-rows"), "{text}");
    }
}
