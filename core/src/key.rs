//! The store's encryption key. The apps keep it in Android Keystore / iOS Keychain and pass it
//! in; it is used raw (no passphrase derivation) so opening stays fast on cheap phones.

use std::fmt;

use crate::error::{Error, Result};

pub const KEY_LEN: usize = 32;

#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey([u8; KEY_LEN]);

impl StoreKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| Error::InvalidKey("key must be 32 bytes"))?;
        if arr.iter().all(|b| *b == 0) {
            return Err(Error::InvalidKey("key must not be all zeros"));
        }
        Ok(StoreKey(arr))
    }

    /// A fresh random key, for a new profile.
    pub fn generate() -> Self {
        let mut arr = [0u8; KEY_LEN];
        rand::fill(&mut arr);
        StoreKey(arr)
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// SQLCipher's raw-key literal: `x'…'` (64 hex digits), used without key derivation.
    pub(crate) fn pragma_literal(&self) -> String {
        let mut s = String::with_capacity(KEY_LEN * 2 + 5);
        s.push_str("\"x'");
        for b in self.0 {
            s.push_str(&format!("{b:02x}"));
        }
        s.push_str("'\"");
        s
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(..)")
    }
}

impl Drop for StoreKey {
    fn drop(&mut self) {
        // Best effort: do not leave the key lying in freed memory.
        for b in self.0.iter_mut() {
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_wrong_lengths_and_zero_key() {
        assert!(matches!(
            StoreKey::from_bytes(&[1; 31]),
            Err(Error::InvalidKey(_))
        ));
        assert!(matches!(
            StoreKey::from_bytes(&[0; 32]),
            Err(Error::InvalidKey(_))
        ));
        let k = StoreKey::from_bytes(&[0xab; 32]).unwrap();
        assert_eq!(k.pragma_literal().len(), 64 + 5);
        assert!(format!("{k:?}").contains(".."));
    }
}
