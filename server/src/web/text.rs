//! Small text helpers of the dashboard: URL-encoding and the order of Vietnamese names.

pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Orders Vietnamese names the way people expect (ignoring case and diacritics first).
pub fn sort_key(name: &str) -> (String, String) {
    (gocua_protocol::text::fold(name), name.to_owned())
}
