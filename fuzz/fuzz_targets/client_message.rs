#![no_main]
//! See `confab::fuzzing::client_message`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| confab::fuzzing::client_message(data));
