//! Vietnamese text folding for search and duplicate detection.
//!
//! "nguyen van a" must find "Nguyễn Văn Ả": fold removes tone and vowel marks (NFD, then drop
//! combining marks), maps đ/Đ to d (đ is a letter of its own, not a decomposable mark), lowercases
//! and keeps only letters and digits as words separated by single spaces. Phone and server both
//! use it, so a search and a duplicate check agree everywhere.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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
    fn folds_vietnamese() {
        assert_eq!(fold("Nguyễn Văn Ả"), "nguyen van a");
        assert_eq!(fold("ĐẶNG THỊ ĐÀO"), "dang thi dao");
        assert_eq!(fold("  Ấp  Phú-Hưng, tổ 3 "), "ap phu hung to 3");
        assert_eq!(fold("Ưu Ơn"), "uu on");
    }

    #[test]
    fn query_is_prefix_of_any_word() {
        assert!(matches_query("Nguyễn Văn Ả", "nguyen van a"));
        assert!(matches_query("Nguyễn Văn Ả", "van ng"));
        assert!(matches_query("Đỗ Thị Đào", "do dao"));
        assert!(!matches_query("Nguyễn Văn Ả", "nguyen b"));
        assert!(!matches_query("Trần Văn Bình", "an"));
    }

    #[test]
    fn phone_forms_are_the_same_number() {
        assert_eq!(phone_digits("+84 912 345 678"), "0912345678");
        assert_eq!(phone_digits("0912.345.678"), "0912345678");
    }
}
