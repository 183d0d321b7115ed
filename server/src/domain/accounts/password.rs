//! A new password for an account: typed by a person (checked for length) or made up by the server
//! (readable, shown once). Either way it is hashed when it is made, before any transaction, so
//! the argon2 work never holds the database; only the hash is ever stored.

use rand::Rng;

use super::{hash_password, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
use crate::domain::coordination::{AdminError, AdminResult};

/// Lower-case letters and digits without look-alikes (no i, l, o, 0, 1): read off a screen and
/// typed on a phone without doubt.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters drawn: 12 of 31 is about 59 bits, far beyond online guessing (sign-ins lock after
/// five failures) and costly offline against argon2id.
const DRAWN: usize = 12;

/// A password ready to store: its hash, and the clear text only when the server made it up (to
/// be shown once, then dropped).
pub struct Password {
    hash: String,
    generated: Option<String>,
}

impl Password {
    /// Checks a typed password's length, in the account's words.
    pub fn check(typed: &str) -> AdminResult<()> {
        if typed.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AdminError::refused(
                "password_too_short",
                format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."),
                format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
            ));
        }
        if typed.len() > MAX_PASSWORD_BYTES {
            return Err(AdminError::refused(
                "password_too_long",
                format!("Mật khẩu dài tối đa {MAX_PASSWORD_BYTES} byte."),
                format!("A password has at most {MAX_PASSWORD_BYTES} bytes."),
            ));
        }
        Ok(())
    }

    /// A typed password, checked and hashed (tens to hundreds of milliseconds: call it outside
    /// any transaction).
    pub fn typed(typed: &str) -> AdminResult<Password> {
        Password::check(typed)?;
        Ok(Password {
            hash: hash_password(typed),
            generated: None,
        })
    }

    /// A new random password, `xxxx-xxxx-xxxx`, hashed (as slow as [`Password::typed`]).
    pub fn generated() -> Password {
        let plain = readable_password(&mut rand::rng());
        Password {
            hash: hash_password(&plain),
            generated: Some(plain),
        }
    }

    /// The clear text of a made-up password, to show the one time.
    pub fn shown_once(&self) -> Option<&str> {
        self.generated.as_deref()
    }

    pub(super) fn hash(&self) -> &str {
        &self.hash
    }
}

/// Twelve characters of [`ALPHABET`] in three groups of four (the dashes are part of it).
fn readable_password(rng: &mut impl Rng) -> String {
    let mut out = String::with_capacity(DRAWN + 2);
    for i in 0..DRAWN {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn made_up_passwords_are_readable_and_long_enough() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(15);
        let p = readable_password(&mut rng);
        assert_eq!(p.len(), 14, "{p}");
        assert_eq!(p.matches('-').count(), 2, "{p}");
        assert!(p.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)), "{p}");
        assert!(!p.contains(['i', 'l', 'o', '0', '1']), "{p}");
        assert_ne!(p, readable_password(&mut rng));
        assert!(Password::check(&p).is_ok());
    }

    #[test]
    fn typed_passwords_are_checked_for_length() {
        let code = |p: &str| Password::check(p).err().map(|e| e.code());
        assert_eq!(code("ngan-qua"), Some("password_too_short"));
        assert_eq!(
            code(&"x".repeat(MAX_PASSWORD_BYTES + 1)),
            Some("password_too_long")
        );
        assert_eq!(code("đủ-mười-ký-tự"), None);
    }
}
