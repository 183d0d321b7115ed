//! Vietnamese text: tidying what people type, and folding for search and duplicate detection.
//!
//! [`tidy`] is applied by the core to every free-text field before validation and storage, so
//! whatever keyboard or app sent it (some send decomposed diacritics), the same name is stored as
//! the same bytes.
//!
//! "nguyen van a" must find "Nguyễn Văn Ả": fold removes tone and vowel marks (NFD, then drop
//! combining marks), maps đ/Đ to d (đ is a letter of its own, not a decomposable mark), lowercases
//! and keeps only letters and digits as words separated by single spaces. Phone and server both
//! use it, so a search and a duplicate check agree everywhere.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Tidies typed text: Unicode NFC (composed diacritics: "Nguye\u{302}\u{303}n" → "Nguyễn"),
/// every run of whitespace (spaces, tabs, line breaks, no-break spaces) made one space, trimmed.
/// Letters and marks are never changed otherwise; search folding is [`fold`]'s job.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.nfc().collect::<String>().split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`tidy`] for an optional field: `None` when nothing is left after tidying.
pub fn tidy_opt(text: Option<&str>) -> Option<String> {
    text.map(tidy).filter(|t| !t.is_empty())
}

/// Initials for an avatar: "Nguyễn Văn Ả" → "NẢ" (first letters of the first and last words,
/// upper case); "?" when there is no word.
pub fn initials(name: &str) -> String {
    let tidied = tidy(name);
    let words: Vec<&str> = tidied.split(' ').filter(|w| !w.is_empty()).collect();
    let first_letter = |w: &str| w.chars().next().into_iter().flat_map(char::to_uppercase);
    match words.as_slice() {
        [] => "?".to_owned(),
        [only] => first_letter(only).collect(),
        [first, .., last] => first_letter(first).chain(first_letter(last)).collect(),
    }
}

/// Folds text to lowercase ASCII-like words: diacritics removed, `đ` → `d`, punctuation dropped.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// The folded words of a text.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// True when every word of `query` is a prefix of some word of `haystack` (both folded).
pub fn matches_query(haystack: &str, query: &str) -> bool {
    let hay = words(haystack);
    words(query)
        .iter()
        .all(|q| hay.iter().any(|h| h.starts_with(q.as_str())))
}

/// Keeps only the digits of a phone number and writes `+84…` as `0…`, so `+84 912 345 678`,
/// `0912.345.678` and `0912345678` are the same number.
pub fn phone_digits(phone: &str) -> String {
    let trimmed = phone.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if trimmed.starts_with('+') {
        if let Some(rest) = digits.strip_prefix("84") {
            return format!("0{rest}");
        }
    }
    digits
}

/// The key that makes two households "probably the same": commune, folded head name and folded
/// address. Used by the server's duplicate flag; never to merge automatically.
pub fn household_duplicate_key(commune_code: &str, head_name: &str, address_line: &str) -> String {
    format!(
        "{}|{}|{}",
        commune_code.trim(),
        fold(head_name),
        fold(address_line)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_composes_and_collapses_spaces() {
        assert_eq!(tidy("Nguye\u{302}\u{303}n  Văn   A "), "Nguyễn Văn A");
        assert_eq!(tidy("Nguye\u{302}\u{303}n"), "Nguy\u{1ec5}n");
        assert_eq!(tidy("\t Ấp\u{a0}Phú\nHưng \r\n"), "Ấp Phú Hưng");
        assert_eq!(tidy("   "), "");
        assert_eq!(tidy_opt(Some(" \n ")), None);
        assert_eq!(tidy_opt(None), None);
        assert_eq!(
            tidy_opt(Some(" 0912  345 678 ")).as_deref(),
            Some("0912 345 678")
        );
    }

    /// Asserts `f(given) == expected` for each case.
    fn assert_maps(f: fn(&str) -> String, cases: &[(&str, &str)]) {
        for (given, expected) in cases {
            assert_eq!(f(given), *expected, "{given:?}");
        }
    }

    #[test]
    fn initials_of_first_and_last_word() {
        assert_maps(
            initials,
            &[
                ("Nguyễn Văn Ả", "NẢ"),
                ("  hoa ", "H"),
                ("đặng thị đào", "ĐĐ"),
                (" ", "?"),
            ],
        );
    }

    #[test]
    fn folds_vietnamese() {
        assert_maps(
            fold,
            &[
                ("Nguyễn Văn Ả", "nguyen van a"),
                ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
                ("  Ấp  Phú-Hưng, tổ 3 ", "ap phu hung to 3"),
                ("Ưu Ơn", "uu on"),
            ],
        );
    }

    #[test]
    fn query_is_prefix_of_any_word() {
        for (name, query, matches) in [
            ("Nguyễn Văn Ả", "nguyen van a", true),
            ("Nguyễn Văn Ả", "van ng", true),
            ("Đỗ Thị Đào", "do dao", true),
            ("Nguyễn Văn Ả", "nguyen b", false),
            ("Trần Văn Bình", "an", false),
        ] {
            assert_eq!(matches_query(name, query), matches, "{name:?} ~ {query:?}");
        }
    }

    #[test]
    fn phone_forms_are_the_same_number() {
        assert_eq!(phone_digits("+84 912 345 678"), "0912345678");
        assert_eq!(phone_digits("0912.345.678"), "0912345678");
    }

    proptest::proptest! {
        #[test]
        fn tidy_is_idempotent_and_has_no_double_spaces(s in "\\PC{0,40}") {
            let once = tidy(&s);
            proptest::prop_assert_eq!(tidy(&once), once.clone());
            proptest::prop_assert!(!once.contains("  "));
            proptest::prop_assert_eq!(once.trim(), once.as_str());
            proptest::prop_assert_eq!(fold(&once), fold(&s));
        }
    }
}
