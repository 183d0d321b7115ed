//! Cookies of the dashboard: reading one from a request, and setting one HttpOnly and
//! SameSite=Strict (the edge adds Secure when the answer goes over HTTPS, see [`set_cookie`]).

use axum::http::{header, HeaderMap, HeaderValue};

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A cookie for `Path=/`, HttpOnly and SameSite=Strict. `Secure` is added by the edge
/// (app/edge.rs) on every answer that goes out over HTTPS through a trusted proxy, or when the
/// deployment's public URL is https: only the edge knows which peers may say a request came
/// over HTTPS, so no page decides it from a header a client could forge.
pub fn set_cookie(_headers: &HeaderMap, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}"
    ))
    .expect("cookie text is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forged_forwarded_proto_does_not_make_a_cookie_secure_here() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let c = set_cookie(&headers, "s", "v", 60);
        assert_eq!(
            c.to_str().unwrap(),
            "s=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60"
        );
    }
}
