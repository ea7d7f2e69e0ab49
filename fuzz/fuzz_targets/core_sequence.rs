#![no_main]
//! See `confab::fuzzing::core_sequence`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| confab::fuzzing::core_sequence(data));
