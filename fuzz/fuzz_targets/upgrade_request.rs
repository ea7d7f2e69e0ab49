#![no_main]
//! See `confab::fuzzing::upgrade_request`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| confab::fuzzing::upgrade_request(data));
