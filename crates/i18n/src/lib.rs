//! The message catalogs: the Fluent files under web/locales (one folder per language, every
//! `.ftl` in it), embedded at compile time. Pages, jobs and workbooks look texts up here, so
//! that a crate below the server (sheets) produces a [`Message`] (a key and its arguments)
//! and never a sentence, and whoever shows it picks the reader's language.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use serde::{Deserialize, Deserializer, Serialize};

pub use fluent_templates::LanguageIdentifier;

#[cfg(feature = "tera")]
mod tera_function;
#[cfg(feature = "tera")]
pub use tera_function::{tera_error_text, tera_function};

static_loader! {
    static LOCALES = {
        locales: "../../web/locales",
        fallback_language: "nl",
        customise: |bundle| {
            // Fluent wraps arguments in Unicode isolation marks; HTML and cells do not need them.
            bundle.set_use_isolating(false);
            let numbers = number_formatter(&bundle.locales);
            bundle.set_formatter(Some(numbers));
        },
    };
}

/// Dutch: the language of an account whose language is unknown, and the fallback of every
/// catalog.
pub fn default_language() -> LanguageIdentifier {
    fluent_templates::langid!("nl")
}

/// Every language that has a catalog.
pub fn languages() -> Vec<LanguageIdentifier> {
    LOCALES.locales().cloned().collect()
}

/// The language of an account, as a catalog identifier (Dutch when unknown).
pub fn language(code: &str) -> LanguageIdentifier {
    code.parse().unwrap_or_else(|_| default_language())
}

/// Looks a message up, with string arguments; a key missing from the catalog comes back as
/// a visible "Unknown localization key" text rather than an error.
pub fn lookup(lang: &LanguageIdentifier, key: &str, args: &[(&str, String)]) -> String {
    if args.is_empty() {
        return LOCALES.lookup(lang, key);
    }
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone())))
        .collect();
    LOCALES.lookup_with_args(lang, key, &args)
}

/// An argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A quantity: shown with the language's thousands separator, and usable in plural
    /// selectors (`{ $count -> [one] … *[other] … }`).
    Number(u64),
    /// Shown as it is: names, values, and numbers that are labels (a row number).
    Text(String),
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Number(n)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Number(u64::from(n))
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

/// Key of the message that shows a text stored before messages had keys.
pub const STORED_TEXT_KEY: &str = "stored-text";

/// A message to show to a user: a catalog key and its arguments, rendered in the reader's
/// language when shown. Serializes as `{"key": …, "args": {…}}` so that it can be stored
/// and shown later in another language; a plain JSON string (a text stored before) reads as
/// [`Message::verbatim`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub key: Cow<'static, str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<Cow<'static, str>, Arg>,
}

impl Message {
    pub fn new(key: &'static str) -> Self {
        Message {
            key: Cow::Borrowed(key),
            args: BTreeMap::new(),
        }
    }

    /// Adds the argument `name`.
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.insert(Cow::Borrowed(name), value.into());
        self
    }

    /// A text stored before messages had keys: shown as it is, in every language.
    pub fn verbatim(text: impl Into<String>) -> Self {
        Message::new(STORED_TEXT_KEY).with("text", text.into())
    }

    fn fluent_args(&self) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
        self.args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    // Fluent numbers are f64: exact up to 2^53, far beyond any count here.
                    Arg::Number(n) => FluentValue::from(*n as f64),
                    Arg::Text(text) => FluentValue::from(text.clone()),
                };
                (name.clone(), value)
            })
            .collect()
    }

    /// The text in `lang` (or in Dutch when `lang` lacks the key).
    pub fn render(&self, lang: &LanguageIdentifier) -> String {
        LOCALES.lookup_with_args(lang, &self.key, &self.fluent_args())
    }

    /// The text in `lang`, or `None` when the key is missing or its pattern fails (an
    /// argument it needs is not given). For tests of the catalog.
    pub fn try_render(&self, lang: &LanguageIdentifier) -> Option<String> {
        LOCALES.try_lookup_with_args(lang, &self.key, &self.fluent_args())
    }

    /// The text in `lang` itself, without falling back to Dutch: `None` when that catalog
    /// lacks the key or its pattern fails. For tests of the catalog.
    pub fn try_render_in(&self, lang: &LanguageIdentifier) -> Option<String> {
        LOCALES
            .lookup_single_language(lang, &self.key, Some(&self.fluent_args()))
            .ok()
    }

    /// The JSON text to store.
    pub fn to_stored(&self) -> String {
        // A map of strings and numbers always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads [`Message::to_stored`]; any other text (stored before messages had keys) is
    /// shown as it is.
    pub fn from_stored(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_else(|_| Message::verbatim(text))
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Keyed {
                key: String,
                #[serde(default)]
                args: BTreeMap<String, Arg>,
            },
            Text(String),
        }
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Keyed { key, args } => Message {
                key: Cow::Owned(key),
                args: args.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect(),
            },
            Stored::Text(text) => Message::verbatim(text),
        })
    }
}

/// The formatter of a catalog's numbers: whole numbers with the language's thousands
/// separator (Fluent itself does not group).
fn number_formatter<M>(
    locales: &[LanguageIdentifier],
) -> fn(&FluentValue<'_>, &M) -> Option<String> {
    match locales.first().map(|l| l.language.as_str()) {
        Some("en") => grouped::<',', M>,
        // Dutch writes 200 000 (as French does, with a narrower space).
        _ => grouped::<' ', M>,
    }
}

fn grouped<const SEP: char, M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    if number.value.fract() != 0.0 || number.value < 0.0 {
        return None;
    }
    let digits = format!("{}", number.value as u64);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(SEP);
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_loads_and_dutch_is_the_default() {
        // A duplicate key or a syntax error panics when the catalogs load.
        assert!(LOCALES.locales().count() >= 1);
        assert_eq!(language("xx-invalid-!"), default_language());
        assert_eq!(
            Message::verbatim("Het bestand is leeg.").render(&default_language()),
            "Het bestand is leeg."
        );
    }

    #[test]
    fn a_message_survives_storage_and_old_plain_text_still_reads() {
        let message = Message::new("upload-too-many-rows").with("max", 200_000u32);
        let stored = message.to_stored();
        assert_eq!(
            stored,
            r#"{"key":"upload-too-many-rows","args":{"max":200000}}"#
        );
        assert_eq!(Message::from_stored(&stored), message);
        assert_eq!(
            Message::from_stored("Het bestand is leeg."),
            Message::verbatim("Het bestand is leeg.")
        );
        let old: Message = serde_json::from_str(r#""Rij 2 is fout.""#).unwrap();
        assert_eq!(old, Message::verbatim("Rij 2 is fout."));
    }

    #[test]
    fn numbers_are_grouped_and_missing_keys_or_arguments_are_found() {
        let nl = default_language();
        let rows = Message::new("upload-too-many-rows").with("max", 200_000u32);
        assert_eq!(
            rows.render(&nl),
            "Het bestand bevat meer dan 200 000 rijen. Verdeel het over meerdere bestanden."
        );
        assert!(
            Message::new("upload-too-many-rows")
                .try_render(&nl)
                .is_none()
        );
        assert!(Message::new("no-such-key").try_render(&nl).is_none());
    }
}
