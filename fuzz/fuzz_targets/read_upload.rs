//! Arbitrary bytes as an upload: the reader must answer (parsed or refused), never panic,
//! hang or abort. Seeds worth adding to the corpus: the files in ../fixtures.
#![no_main]

use ebdesk_sheets::{UploadLimits, read_insured_upload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_insured_upload(data, &UploadLimits::default());
});
