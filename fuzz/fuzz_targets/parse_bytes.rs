//! Any bytes, as an uploaded file: the parser must return, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = danvan_docparse::parse_bytes(data);
    // Serialising what was found must work too, as `danvan parse --json` does.
    let _ = format!("{parsed:?}");
});
