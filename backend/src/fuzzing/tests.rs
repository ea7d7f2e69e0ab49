//! Every input in the fuzz corpus (`fuzz/corpus/<target>/`), seeds and past
//! crashes alike, replayed on every `cargo test`: a crash once fixed stays fixed.

use std::path::PathBuf;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} fails", path.display());
        count += 1;
    }
    assert!(count > 0, "{} holds no inputs", dir.display());
}

#[test]
fn client_message_corpus() {
    replay("client_message", super::client_message);
}

#[test]
fn upgrade_request_corpus() {
    replay("upgrade_request", super::upgrade_request);
}

#[test]
fn inbound_frames_corpus() {
    replay("inbound_frames", super::inbound_frames);
}

#[test]
fn core_sequence_corpus() {
    replay("core_sequence", super::core_sequence);
}

/// The core target can fail: a hub whose indexes disagree is caught.
#[test]
fn a_long_random_sequence_keeps_every_invariant() {
    // A fixed pseudo-random walk, long enough to connect, chat, drop, resume,
    // commit and expire many times over.
    let mut state = 0x9e37_79b9_u32;
    let data: Vec<u8> = (0..20_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    super::core_sequence(&data);
}
