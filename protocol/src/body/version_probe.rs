//! Reads a JSON document's top-level `protocol_version` and nothing else: every other member is
//! skipped without being stored, while the whole document's syntax is still checked.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The top-level object's `protocol_version` when it is a non-negative integer; every other
/// member is skipped without being stored.
pub(super) struct VersionProbe(pub(super) Option<u64>);

impl<'de> Deserialize<'de> for VersionProbe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = VersionProbe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VersionProbe, A::Error> {
                let mut version = None;
                while let Some(is_version) = map.next_key::<IsVersionKey>()? {
                    if is_version.0 {
                        version = map.next_value::<AnyNumber>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(VersionProbe(version))
            }
        }
        d.deserialize_map(Object)
    }
}

/// Whether a key is `protocol_version` (compared in place, never copied).
struct IsVersionKey(bool);

impl<'de> Deserialize<'de> for IsVersionKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key;
        impl Visitor<'_> for Key {
            type Value = IsVersionKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IsVersionKey, E> {
                Ok(IsVersionKey(v == "protocol_version"))
            }
        }
        d.deserialize_str(Key)
    }
}

/// Any JSON value: `Some` for a non-negative integer, `None` for anything else (skipped).
struct AnyNumber(Option<u64>);

impl<'de> Deserialize<'de> for AnyNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = AnyNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_u64<E>(self, v: u64) -> Result<AnyNumber, E> {
                Ok(AnyNumber(Some(v)))
            }
            fn visit_i64<E>(self, _: i64) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_unit<E>(self) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyNumber, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(AnyNumber(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyNumber, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnyNumber(None))
            }
        }
        d.deserialize_any(Any)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(text: &str) -> Result<Option<u64>, serde_json::Error> {
        serde_json::from_str::<VersionProbe>(text).map(|p| p.0)
    }

    #[test]
    fn the_version_is_read_without_the_rest() {
        assert_eq!(probe(r#"{"protocol_version": 1}"#).unwrap(), Some(1));
        assert_eq!(
            probe(r#"{"a": [1, {"b": "c"}], "protocol_version": 7, "z": null}"#).unwrap(),
            Some(7)
        );
        for not_a_version in [
            r#"{"protocol_version": "1"}"#,
            r#"{"protocol_version": -1}"#,
            r#"{"protocol_version": 1.0}"#,
            r#"{"protocol_version": [1]}"#,
            r#"{"protocol_version": {"v": 1}}"#,
            r#"{"protocol_version": null}"#,
            r#"{"other": 1}"#,
            r#"{"protocol\u005fversion": true}"#,
        ] {
            assert_eq!(probe(not_a_version).unwrap(), None, "{not_a_version}");
        }
        // An escaped key is still the key.
        assert_eq!(probe(r#"{"protocol\u005fversion": 3}"#).unwrap(), Some(3));
    }

    #[test]
    fn syntax_and_shape_errors_are_told_apart() {
        for malformed in [r#"{"protocol_version": 1, "x": "#, r#"{"a": 1} x"#, "{,}"] {
            assert!(!probe(malformed).unwrap_err().is_data(), "{malformed}");
        }
        for not_an_object in ["[1, 2, 3]", "[1]", "\"text\"", "42", "null"] {
            assert!(
                probe(not_an_object).unwrap_err().is_data(),
                "{not_an_object}"
            );
        }
    }
}
