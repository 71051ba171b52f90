//! The tera function `t` that templates use for every text: the server's pages and the
//! account mails render with the same catalog lookup.

use std::collections::HashMap;

use std::borrow::Cow;

use crate::{Arg, Message, language};

/// `{{ t(key="…", lang=lang, name=…) }}`: every other argument is passed to the message.
pub fn tera_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let key = args
        .get("key")
        .and_then(|v| v.as_str())
        .ok_or_else(|| tera::Error::msg("t() needs key"))?;
    let lang = language(args.get("lang").and_then(|v| v.as_str()).unwrap_or("nl"));
    let message = Message {
        key: Cow::Owned(key.to_owned()),
        args: args
            .iter()
            .filter(|(k, _)| k.as_str() != "key" && k.as_str() != "lang")
            .map(|(k, v)| {
                // A whole number stays a number, so that plurals and grouping apply.
                let arg = match v {
                    tera::Value::Number(n) if n.is_u64() => Arg::Number(n.as_u64().unwrap_or(0)),
                    tera::Value::String(s) => Arg::Text(s.clone()),
                    other => Arg::Text(other.to_string()),
                };
                (Cow::Owned(k.clone()), arg)
            })
            .collect(),
    };
    Ok(tera::Value::String(message.render(&lang)))
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
