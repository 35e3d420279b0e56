//! Time-based one-time passwords (RFC 6238, as authenticator apps use them): HMAC-SHA1, 30-second
//! steps, six digits; secrets of 160 bits written in base32 (RFC 4648). A code is accepted for the
//! step before, the current one and the one after (clock drift), and never twice: the caller
//! keeps the last step used.

use sha1::{Digest, Sha1};

const STEP_SECONDS: i64 = 30;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 without padding.
pub fn encode_base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Reads base32 as people copy it: any case, spaces and padding ignored.
pub fn decode_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = ALPHABET.iter().position(|a| *a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha1::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha1::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The code for a step (RFC 4226's dynamic truncation), `digits` long.
pub fn code(secret: &[u8], step: u64, digits: u32) -> String {
    let mac = hmac_sha1(secret, &step.to_be_bytes());
    let offset = usize::from(mac[19] & 0x0f);
    let binary = (u32::from(mac[offset] & 0x7f) << 24)
        | (u32::from(mac[offset + 1]) << 16)
        | (u32::from(mac[offset + 2]) << 8)
        | u32::from(mac[offset + 3]);
    format!("{:0width$}", binary % 10u32.pow(digits), width = digits as usize)
}

/// The step a Unix time falls in.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECONDS)
}

/// The step whose code `typed` is, among the one before `unix`'s step, it, and the one after,
/// and later than `last_used`; `None` when the code is wrong or already used.
pub fn verify(secret: &str, typed: &str, unix: i64, last_used: Option<i64>) -> Option<i64> {
    let key = decode_base32(secret)?;
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix);
    (now - 1..=now + 1)
        .filter(|step| last_used.is_none_or(|last| *step > last))
        .find(|step| *step >= 0 && code(&key, *step as u64, 6) == typed)
}

/// A new secret from 20 random bytes, in base32.
pub fn new_secret(random: [u8; 20]) -> String {
    encode_base32(&random)
}

/// The address an authenticator app reads (`otpauth://`), for those who type it in or scan it.
pub fn uri(secret: &str, username: &str, issuer: &str) -> String {
    let label: String = format!("{issuer}:{username}")
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b':' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("otpauth://totp/{label}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, with the RFC's eight digits.
    #[test]
    fn the_rfc_test_vectors_hold() {
        let key = b"12345678901234567890";
        for (time, expected) in [
            (59_i64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code(key, step_of(time) as u64, 8), expected, "at {time}");
        }
    }

    #[test]
    fn base32_round_trips_and_reads_what_people_type() {
        let secret = new_secret(*b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(decode_base32(&secret).unwrap(), b"12345678901234567890");
        assert_eq!(
            decode_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap(),
            b"12345678901234567890"
        );
        assert_eq!(decode_base32("not base32!"), None);
    }

    #[test]
    fn a_code_is_accepted_once_and_within_one_step() {
        let secret = new_secret(*b"12345678901234567890");
        let key = decode_base32(&secret).unwrap();
        let now = 1_700_000_000;
        let current = code(&key, step_of(now) as u64, 6);
        assert_eq!(verify(&secret, &current, now, None), Some(step_of(now)));
        assert_eq!(
            verify(&secret, &current, now + 30, None),
            Some(step_of(now)),
            "a step late"
        );
        assert_eq!(verify(&secret, &current, now + 90, None), None, "too late");
        assert_eq!(verify(&secret, &current, now, Some(step_of(now))), None, "used");
        assert_eq!(verify(&secret, "12345", now, None), None);
        assert!(uri(&secret, "admin", "danvan").starts_with("otpauth://totp/danvan:admin?secret=GEZD"));
    }
}
