//! Secrets: device tokens (≥ 128 random bits, only their SHA-256 stored) and one-time enrolment
//! codes short enough to type (8 characters from an alphabet without look-alikes).

use rand::Rng;
use sha2::{Digest, Sha256};

/// No 0/O, 1/I/L: codes are read aloud and typed on small keyboards.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 8;

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A new device token: 32 random bytes, hex (256 bits).
pub fn new_device_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    hex::encode(bytes)
}

/// A new enrolment code, shown as `ABCD-EFGH`.
pub fn new_enrol_code() -> String {
    let mut rng = rand::rng();
    let raw: String = (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &raw[..4], &raw[4..])
}

/// Normalises what a person typed: case, spaces and dashes do not matter.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub fn code_hash(typed: &str) -> String {
    sha256_hex(normalise_code(typed).as_bytes())
}

/// What a QR code for enrolment carries.
pub fn qr_payload(server_url: &str, code: &str) -> String {
    format!(
        "gocua://enrol?server={}&code={}",
        server_url.trim_end_matches('/'),
        normalise_code(code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typeable_and_normalised() {
        let code = new_enrol_code();
        assert_eq!(code.len(), 9);
        assert!(normalise_code(&code)
            .bytes()
            .all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(
            code_hash(&code.to_lowercase().replace('-', " ")),
            code_hash(&code)
        );
        assert_ne!(new_enrol_code(), new_enrol_code());
    }

    #[test]
    fn tokens_have_256_bits() {
        let t = new_device_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_device_token());
        assert_eq!(sha256_hex(t.as_bytes()).len(), 64);
    }
}
