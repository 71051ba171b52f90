//! The three catalogs stay complete: a key in one language and not in another fails here,
//! and every message renders in every language by itself (no silent Dutch fallback).

#![allow(clippy::unwrap_used)]

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ebdesk_i18n::{Arg, Message, languages};

type Keys = BTreeMap<String, BTreeSet<String>>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/locales")
}

/// A message's first line: `key = …`.
fn message_key(line: &str) -> Option<String> {
    let (key, _) = line.split_once(" =")?;
    let valid = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| key.to_owned())
}

/// The variables (`$name`) a line uses.
fn variables(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split('$').skip(1).filter_map(|part| {
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!name.is_empty()).then_some(name)
    })
}

/// Each file's message keys with the variables their text uses.
fn messages(lang: &str) -> BTreeMap<String, Keys> {
    let mut files = BTreeMap::new();
    let dir = root().join(lang);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        let mut keys = Keys::new();
        let mut current: Option<String> = None;
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some(key) = message_key(line) {
                keys.entry(key.clone()).or_default();
                current = Some(key);
            } else if !line.starts_with(' ') {
                current = None;
            }
            if let Some(key) = &current {
                keys.entry(key.clone()).or_default().extend(variables(line));
            }
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.insert(name, keys);
    }
    files
}

#[test]
fn there_are_three_catalogs() {
    let mut codes: Vec<String> = languages().iter().map(|l| l.to_string()).collect();
    codes.sort();
    assert_eq!(codes, ["en", "fr", "nl"]);
}

#[test]
fn every_catalog_has_the_keys_and_arguments_of_the_dutch_one_file_by_file() {
    let dutch = messages("nl");
    for lang in languages() {
        let theirs = messages(&lang.to_string());
        assert_eq!(
            theirs.keys().collect::<Vec<_>>(),
            dutch.keys().collect::<Vec<_>>(),
            "{lang}: other files"
        );
        for (file, keys) in &dutch {
            let other = &theirs[file];
            let missing: Vec<_> = keys.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !keys.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}/{file}: missing {missing:?}, not in Dutch {extra:?}"
            );
            for (key, args) in keys {
                assert_eq!(
                    &other[key], args,
                    "{lang}/{file}: {key} takes other arguments"
                );
            }
        }
    }
}

#[test]
fn every_message_renders_in_every_language_by_itself() {
    for (file, keys) in messages("nl") {
        for (key, args) in keys {
            let message = Message {
                key: Cow::Owned(key.clone()),
                args: args
                    .iter()
                    .map(|a| (Cow::Owned(a.clone()), Arg::Number(2)))
                    .collect(),
            };
            for lang in languages() {
                assert!(
                    message.try_render_in(&lang).is_some(),
                    "{lang}/{file}: {key} does not render"
                );
            }
        }
    }
}

/// One word per notion: the employer's notification address (a distribution list) is
/// "notificatieadres", "adresse de notification", "notification address" wherever a text
/// names it, on the pages, in the forms and in the mails.
#[test]
fn the_notification_address_has_one_name_per_language() {
    let names = [
        (
            "nl",
            "notificatieadres",
            [
                "meldingsadres",
                "notificatie-e-mail",
                "notificatie-mailadres",
                "distributieadres",
            ],
        ),
        (
            "fr",
            "adresse de notification",
            [
                "adresse d'avis",
                "adresse d'alerte",
                "adresse de contact",
                "adresse de diffusion",
            ],
        ),
        (
            "en",
            "notification address",
            [
                "alert address",
                "notify address",
                "notifications address",
                "mailing address",
            ],
        ),
    ];
    for (lang, name, others) in names {
        let dir = root().join(lang);
        let mut uses = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "ftl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
            for other in others {
                assert!(
                    !text.contains(other),
                    "{}: {other:?} instead of {name:?}",
                    path.display()
                );
            }
            uses += text.matches(name).count();
        }
        assert!(uses > 10, "{lang}: {name:?} is used {uses} times");
    }
}
