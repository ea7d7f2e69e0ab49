#![no_main]
//! See `confab::fuzzing::inbound_frames`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| confab::fuzzing::inbound_frames(data));
