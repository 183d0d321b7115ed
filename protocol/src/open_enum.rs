//! Enums that survive values added later.
//!
//! A phone may talk to a newer server (or a server read rows written by a newer phone). A value it
//! does not know is kept verbatim in `Unknown(String)` and written back unchanged, instead of
//! failing the whole message. Every known value carries its Vietnamese and English label so the
//! apps never spell them themselves.
//!
//! With the `uniffi` feature (enabled by the phone FFI in `bindings/`, never by the server) every
//! open enum is also a uniffi enum — a Kotlin sealed class, a Swift enum, a Python class — with
//! the methods `label(lang)`, `code()` (the wire value) and `is_known()`, so a misspelt value is a
//! compile error in the apps and the labels come from here.

/// What code generic over the open enums needs of them (e.g. the importers' messages).
pub trait OpenEnum: Clone + 'static {
    /// Every value this version knows, in declaration order.
    fn known() -> &'static [Self];
    /// The value as written on the wire.
    fn wire(&self) -> &str;
}

/// Declares an open enum: `Variant = "wire_value" => ("nhãn", "label")`.
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal => ($vi:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value from a newer version of Gõ Cửa, kept as it was received.
            Unknown(String),
        }

        impl $name {
            /// Every value this version knows, in declaration order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The value as written on the wire and in the database.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// Parses a wire value; anything unrecognised becomes `Unknown`.
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }

            /// Reads a value typed by a person (a coordinator in a terminal or a form): the wire
            /// value (`households_visited`, or with spaces: `households visited`) or the
            /// Vietnamese or English label, ignoring case, diacritics and punctuation
            /// (`gocua_protocol::text::fold`): "Tỉnh Đoàn", "tinh doan". `None` when it is
            /// none of the values this version knows (never `Unknown`: a typo is not a value
            /// from a newer version).
            pub fn from_human(raw: &str) -> Option<Self> {
                let folded = $crate::text::fold(raw);
                let as_wire = folded.replace(' ', "_");
                Self::KNOWN
                    .iter()
                    .find(|k| {
                        let wire = k.as_str();
                        wire == raw.trim()
                            || wire == as_wire
                            || $crate::text::fold(k.label_vi()) == folded
                            || $crate::text::fold(k.label_en()) == folded
                    })
                    .cloned()
            }

            /// Label shown to a Vietnamese reader (the default language).
            pub fn label_vi(&self) -> &str {
                match self {
                    $( $name::$variant => $vi, )+
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// Label shown to an English reader.
            pub fn label_en(&self) -> &str {
                match self {
                    $( $name::$variant => $en, )+
                    $name::Unknown(other) => other.as_str(),
                }
            }
        }

        impl $crate::open_enum::OpenEnum for $name {
            fn known() -> &'static [Self] {
                Self::KNOWN
            }
            fn wire(&self) -> &str {
                self.as_str()
            }
        }

        /// The FFI face of the enum (feature `uniffi`): its label in a language, its wire value and
        /// whether this version knows it.
        #[cfg(feature = "uniffi")]
        #[uniffi::export]
        impl $name {
            /// The label to show, in `lang`; a value from a newer version shows as received.
            #[uniffi::method(name = "label")]
            pub fn uniffi_label(&self, lang: $crate::format::Lang) -> String {
                match lang {
                    $crate::format::Lang::Vi => self.label_vi().to_owned(),
                    $crate::format::Lang::En => self.label_en().to_owned(),
                }
            }

            /// The value as written on the wire and in the database (for logs, never for display).
            #[uniffi::method(name = "code")]
            pub fn uniffi_code(&self) -> String {
                self.as_str().to_owned()
            }

            /// Whether this version of Gõ Cửa knows the value (not `Unknown`).
            #[uniffi::method(name = "is_known")]
            pub fn uniffi_is_known(&self) -> bool {
                self.is_known()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Ok($name::parse(&raw))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    open_enum! {
        pub enum Colour {
            Red = "red" => ("đỏ", "red"),
            Blue = "blue" => ("xanh", "blue"),
        }
    }

    #[test]
    fn known_values_round_trip() {
        for c in Colour::KNOWN {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(serde_json::from_str::<Colour>(&json).unwrap(), *c);
        }
        assert_eq!(Colour::Red.label_vi(), "đỏ");
        assert_eq!(Colour::Blue.label_en(), "blue");
    }

    #[test]
    fn typed_values_are_read_by_wire_value_or_label() {
        use crate::enums::{Indicator, OrgUnitKind as Kind};
        for typed in [
            "province_union",
            " province_union ",
            "Province Union",
            "PROVINCE-UNION",
            "Tỉnh Đoàn",
            "tinh doan",
            "  TỈNH   ĐOÀN ",
            "provincial union",
        ] {
            assert_eq!(
                Kind::from_human(typed),
                Some(Kind::ProvinceUnion),
                "{typed:?}"
            );
        }
        assert_eq!(Kind::from_human("doan xa phuong"), Some(Kind::CommuneUnion));
        assert_eq!(
            Kind::from_human("Đoàn xã, phường"),
            Some(Kind::CommuneUnion)
        );
        for bad in ["", "  ", "club", "tinh", "province"] {
            assert_eq!(Kind::from_human(bad), None, "{bad:?}");
        }
        assert_eq!(
            Indicator::from_human("households visited"),
            Some(Indicator::HouseholdsVisited)
        );
        assert_eq!(
            Indicator::from_human("Hộ được đến"),
            Some(Indicator::HouseholdsVisited)
        );
        assert_eq!(Colour::from_human("Xanh"), Some(Colour::Blue));
    }

    #[test]
    fn unknown_value_is_kept_verbatim() {
        let c: Colour = serde_json::from_str("\"ultraviolet\"").unwrap();
        assert_eq!(c, Colour::Unknown("ultraviolet".into()));
        assert!(!c.is_known());
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"ultraviolet\"");
    }
}
