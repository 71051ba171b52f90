//! The child side of `child::parse_isolated` for the tests, standing in for
//! `ebdesk sheets-parse`. Its first argument picks a misbehaviour to prove that the parent
//! survives it: `abort`, `spin` (burns CPU), `sleep` (hangs), `hog` (allocates 1 GiB, twice
//! what the tests allow it), `exit` (exits with code 1, no end frame).

use std::process::ExitCode;
use std::time::Duration;

use ebdesk_sheets::FileRejection;
use ebdesk_sheets::child::{serve_stdio, serve_stdio_with};

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        Some("abort") => serve_stdio_with(|_, _| std::process::abort()),
        Some("spin") => serve_stdio_with(|_, _| {
            loop {
                std::hint::spin_loop();
            }
        }),
        Some("sleep") => serve_stdio_with(|_, _| {
            std::thread::sleep(Duration::from_secs(3600));
            Err(FileRejection::Malformed)
        }),
        Some("hog") => serve_stdio_with(|_, _| {
            let hog = std::hint::black_box(vec![1u8; 1 << 30]);
            Err(FileRejection::TooLarge {
                max_bytes: hog.len() as u64,
            })
        }),
        Some("exit") => serve_stdio_with(|_, _| std::process::exit(1)),
        _ => serve_stdio(),
    }
}
