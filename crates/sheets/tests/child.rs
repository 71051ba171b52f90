//! The parse in a child process: same answers as in-process, and a child that aborts,
//! hangs, burns CPU or eats memory costs one incomplete check, never the caller, and is
//! never taken for a verdict on the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use ebdesk_sheets::child::{ChildFailure, IsolatedError, IsolationLimits, parse_isolated};
use ebdesk_sheets::{FileRejection, UploadLimits, read_insured_upload, write_insured_overview};
use support::{Package, data_row_xml, sample_rows, shared_strings_xml};

const CHILD: &str = env!("CARGO_BIN_EXE_sheets-parse-test");

fn limits() -> IsolationLimits {
    support::child_limits()
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

#[test]
fn the_child_gives_the_same_answer_as_the_reader_in_process() {
    let bytes =
        write_insured_overview(sample_rows(2_000), &ebdesk_i18n::default_language()).unwrap();
    let isolated = parse_isolated(Path::new(CHILD), &[], &bytes, &limits()).unwrap();
    let direct = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
    assert_eq!(isolated, direct);
    assert_eq!(isolated.rows.len(), 2_000);
}

#[test]
fn a_refusal_in_the_child_comes_back_as_the_same_refusal() {
    let mut package = Package::minimal(&data_row_xml(2, "85.07.30-033.28", ""));
    package.set(
        "xl/sharedStrings.xml",
        shared_strings_xml("4000000000", &[]),
    );
    let bytes = package.zip();
    assert_eq!(
        parse_isolated(Path::new(CHILD), &[], &bytes, &limits()),
        Err(IsolatedError::Refused(FileRejection::Malformed))
    );
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(4096, 0);
    assert_eq!(
        parse_isolated(Path::new(CHILD), &[], &xls, &limits()),
        Err(IsolatedError::Refused(FileRejection::OldExcelFormat))
    );
}

#[test]
fn row_errors_cross_the_process_boundary() {
    let rows = format!(
        "{}{}",
        data_row_xml(2, "85.07.30-033.29", "jan@x.be"),
        data_row_xml(3, "85.07.30-033.28", "jan at x.be")
    );
    let bytes = Package::minimal(&rows).zip();
    let upload = parse_isolated(Path::new(CHILD), &[], &bytes, &limits()).unwrap();
    assert_eq!(
        upload.rows[0].national_number.as_ref().unwrap_err().code(),
        "national-number-check-digits"
    );
    assert_eq!(
        upload.rows[1].business_email.as_ref().unwrap_err().value(),
        "jan at x.be"
    );
}

/// SIGABRT, SIGKILL, SIGXCPU.
const ABORT: i32 = 6;
const KILL: i32 = 9;
const XCPU: i32 = 24;

fn incomplete(result: Result<ebdesk_sheets::ParsedUpload, IsolatedError>) -> ChildFailure {
    match result {
        Err(IsolatedError::Incomplete(failure)) => failure,
        other => panic!("expected an incomplete check, got {other:?}"),
    }
}

#[test]
fn a_child_that_aborts_is_an_incomplete_check() {
    let bytes = Package::minimal("").zip();
    let (result, took) = timed(|| parse_isolated(Path::new(CHILD), &["abort"], &bytes, &limits()));
    assert_eq!(incomplete(result), ChildFailure::Signal(ABORT));
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn a_child_that_exits_without_its_end_frame_is_an_incomplete_check() {
    let bytes = Package::minimal("").zip();
    let result = parse_isolated(Path::new(CHILD), &["exit"], &bytes, &limits());
    assert_eq!(incomplete(result), ChildFailure::Exit(1));
}

#[test]
fn a_child_killed_from_outside_is_an_incomplete_check() {
    // What the OOM killer does: SIGKILL while the child reads.
    let bytes = Package::minimal("").zip();
    let wrapper = format!("kill -KILL $$; exec {CHILD}");
    let result = parse_isolated(Path::new("/bin/sh"), &["-c", &wrapper], &bytes, &limits());
    assert_eq!(incomplete(result), ChildFailure::Signal(KILL));
}

#[test]
fn a_child_that_hangs_is_killed_at_the_deadline() {
    let bytes = Package::minimal("").zip();
    let limits = IsolationLimits {
        wall_clock: Duration::from_millis(500),
        ..limits()
    };
    let (result, took) = timed(|| parse_isolated(Path::new(CHILD), &["sleep"], &bytes, &limits));
    assert_eq!(
        incomplete(result),
        ChildFailure::Timeout(Duration::from_millis(500))
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn a_child_that_burns_cpu_is_stopped_by_its_cpu_limit() {
    let bytes = Package::minimal("").zip();
    let limits = IsolationLimits {
        cpu_seconds: 1,
        wall_clock: Duration::from_secs(30),
        ..limits()
    };
    let (result, took) = timed(|| parse_isolated(Path::new(CHILD), &["spin"], &bytes, &limits));
    let failure = incomplete(result);
    assert!(
        [ChildFailure::Signal(XCPU), ChildFailure::Signal(KILL)].contains(&failure),
        "{failure:?}"
    );
    // Stopped by the kernel after about a second of CPU, long before the wall clock.
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_child_that_eats_memory_is_stopped_by_its_memory_limit() {
    let bytes = Package::minimal("").zip();
    let (result, took) = timed(|| parse_isolated(Path::new(CHILD), &["hog"], &bytes, &limits()));
    // The allocation fails and Rust aborts.
    assert_eq!(incomplete(result), ChildFailure::Signal(ABORT));
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn cheap_refusals_and_a_missing_program_need_no_child() {
    let missing = Path::new("/nonexistent/ebdesk");
    assert_eq!(
        parse_isolated(missing, &[], b"", &limits()),
        Err(IsolatedError::Refused(FileRejection::Empty))
    );
    let big = vec![0u8; 25 * 1024 * 1024 + 1];
    assert!(matches!(
        parse_isolated(missing, &[], &big, &limits()),
        Err(IsolatedError::Refused(FileRejection::TooLarge { .. }))
    ));
    // A program that does not start is ours to fix, not the file's.
    assert_eq!(
        incomplete(parse_isolated(missing, &[], b"PK\x03\x04", &limits())),
        ChildFailure::Spawn(std::io::ErrorKind::NotFound)
    );
}

#[test]
fn hostile_files_are_refused_by_a_child_held_to_64_mb() {
    let limits = IsolationLimits {
        memory_bytes: 64 * 1024 * 1024,
        ..limits()
    };
    let mut bomb = Package::minimal(&format!(
        "{}{}",
        data_row_xml(2, "85.07.30-033.28", ""),
        " ".repeat(8 * 1024 * 1024)
    ));
    bomb.level = 9;
    let mut sst = Package::minimal(&data_row_xml(2, "85.07.30-033.28", ""));
    sst.set(
        "xl/sharedStrings.xml",
        shared_strings_xml("4000000000", &[]),
    );
    let corner = Package::minimal(&format!(
        "<row r=\"1048576\">{}</row>",
        support::inline_cell("XFD1048576", "x")
    ));
    for (package, expected) in [
        (bomb, FileRejection::SuspiciousCompression),
        (sst, FileRejection::Malformed),
        (corner, FileRejection::TooManyColumns { max: 256 }),
    ] {
        let bytes = package.zip();
        let (result, took) = timed(|| parse_isolated(Path::new(CHILD), &[], &bytes, &limits));
        assert_eq!(result, Err(IsolatedError::Refused(expected)));
        assert!(took < Duration::from_secs(1), "{took:?}");
    }
    // And a real download of 20 000 rows still fits.
    let bytes =
        write_insured_overview(sample_rows(20_000), &ebdesk_i18n::default_language()).unwrap();
    assert_eq!(
        parse_isolated(Path::new(CHILD), &[], &bytes, &limits)
            .unwrap()
            .rows
            .len(),
        20_000
    );
}
