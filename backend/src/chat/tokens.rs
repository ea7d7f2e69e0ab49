//! Resume tokens that the server can check without storing them.
//!
//! A token names a *session key* (the scope within which a client's `txn_id`s are
//! recognised, so a resend is stored once) and the moment it was issued, signed
//! with HMAC-SHA256 under a secret kept in the database. So:
//! - no token is stored anywhere, in memory or on disk, not even as a hash;
//! - after the resume grace period, or after a restart, a client that comes back
//!   with its last token gets a new user but keeps its session key, and the server
//!   still recognises what it had stored from that session (for [`TOKEN_LIFETIME`]);
//! - a live session accepts only its newest token: each resume issues a new one, so
//!   a token seen by someone else stops working once its owner resumes.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// How long a token keeps its session's dedupe scope after it was issued.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The scope of a client's transaction ids; survives reconnects and restarts.
pub type SessionKey = u64;

/// What a valid token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenClaim {
    pub session: SessionKey,
    /// Unix milliseconds; also tells a rotated-out token from the current one.
    pub issued_ms: u64,
}

/// Issues and checks tokens with the server's secret.
pub struct TokenSigner {
    secret: [u8; 32],
}

const MAC_BYTES: usize = 16;

impl TokenSigner {
    pub fn new(secret: [u8; 32]) -> Self {
        Self { secret }
    }

    /// A token for `session`, issued at `issued_ms`: 64 hex digits.
    pub fn issue(&self, claim: TokenClaim) -> String {
        let body = body(claim);
        let mac = self.mac(&body);
        let mut bytes = body.to_vec();
        bytes.extend_from_slice(&mac[..MAC_BYTES]);
        encode_hex(&bytes)
    }

    /// The claim of a well-formed token with a valid signature, issued no longer ago
    /// than [`TOKEN_LIFETIME`] before `now_ms`; None otherwise.
    pub fn verify(&self, token: &str, now_ms: u64) -> Option<TokenClaim> {
        let bytes = decode_hex(token)?;
        let (body, mac) = bytes.split_at(16);
        let mut check = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        check.update(body);
        check.verify_truncated_left(mac).ok()?;
        let claim = TokenClaim {
            session: u64::from_be_bytes(body[..8].try_into().ok()?),
            issued_ms: u64::from_be_bytes(body[8..].try_into().ok()?),
        };
        // A token rotated within the same millisecond is issued a millisecond
        // ahead (so it differs from the last), hence the saturating age.
        let age = now_ms.saturating_sub(claim.issued_ms);
        let ahead = claim.issued_ms.saturating_sub(now_ms);
        (age <= TOKEN_LIFETIME.as_millis() as u64 && ahead <= 60_000).then_some(claim)
    }

    fn mac(&self, body: &[u8]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

/// Lower-case hex, two digits a byte.
pub(super) fn encode_hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(2 * bytes.len());
    for byte in bytes {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

fn body(claim: TokenClaim) -> [u8; 16] {
    let mut body = [0; 16];
    body[..8].copy_from_slice(&claim.session.to_be_bytes());
    body[8..].copy_from_slice(&claim.issued_ms.to_be_bytes());
    body
}

/// Exactly 32 bytes from 64 hex digits.
fn decode_hex(token: &str) -> Option<Vec<u8>> {
    let digits = token.as_bytes();
    if digits.len() != 2 * (16 + MAC_BYTES) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

/// A fresh random session key or secret material (from the OS's generator).
pub fn random_u64() -> u64 {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    u64::from_be_bytes(bytes[..8].try_into().expect("16 bytes"))
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_until_they_expire_and_resist_tampering() {
        let signer = TokenSigner::new([7; 32]);
        let claim = TokenClaim {
            session: 42,
            issued_ms: 1_000,
        };
        let token = signer.issue(claim);
        assert_eq!(token.len(), 64);
        assert_eq!(signer.verify(&token, 1_000), Some(claim));
        let day = TOKEN_LIFETIME.as_millis() as u64;
        assert_eq!(signer.verify(&token, 1_000 + day), Some(claim));
        assert_eq!(signer.verify(&token, 1_001 + day), None);
        // Issued a moment ahead (rotated twice within a millisecond) still counts.
        assert_eq!(signer.verify(&token, 999), Some(claim));
        // Another session's key with this token's signature.
        let forged = format!("{:016x}{}", 43, &token[16..]);
        assert_eq!(signer.verify(&forged, 1_000), None);
        assert_eq!(TokenSigner::new([8; 32]).verify(&token, 1_000), None);
        for junk in ["", "zz", &token[..63], &format!("{token}0")] {
            assert_eq!(signer.verify(junk, 1_000), None, "{junk}");
        }
    }
}
