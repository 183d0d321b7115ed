//! Enrolment links: what the coordinator's QR code carries (`gocua admin enrol-code` prints it)
//! and what a volunteer types by hand — the server's address and a one-time code.
//!
//! `gocua://enrol?server=<url-encoded address>&code=ABCD-1234`. Parsing accepts the server's
//! address percent-encoded or written plainly (`server=https://host/`), in any letter case of
//! the scheme and host.

use std::fmt;

use url::form_urlencoded;
use url::Url;

use crate::text::tidy;

/// The scheme of enrolment links.
pub const SCHEME: &str = "gocua";
/// The "host" part of an enrolment link: `gocua://enrol?…`.
pub const ENROL_HOST: &str = "enrol";

/// A server address and an enrolment code, both tidied: the address without a trailing `/`,
/// the code in upper case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolLink {
    pub server_url: String,
    pub code: String,
}

/// Why a scanned or typed enrolment could not be used. Each has a stable code, the field it is
/// about, and a message in Vietnamese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnrolLinkError {
    /// The QR code is something else (a web address, another app's code, …).
    NotGocuaLink,
    /// No server address.
    MissingServer,
    /// No enrolment code.
    MissingCode,
    /// The server address is not an `http://` or `https://` address.
    ServerNotHttp,
    /// The server address is plain `http://` to another machine: the device token and the
    /// households' data would cross the network unencrypted. Only `https://` is used, except to
    /// this device itself (127.0.0.0/8, ::1, `localhost`) for demos and tests. See
    /// [`check_transport_security`].
    InsecureServer,
}

impl EnrolLinkError {
    /// Stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            EnrolLinkError::NotGocuaLink => "not_gocua_link",
            EnrolLinkError::MissingServer => "missing_server",
            EnrolLinkError::MissingCode => "missing_code",
            EnrolLinkError::ServerNotHttp => "server_not_http",
            EnrolLinkError::InsecureServer => "insecure_server_url",
        }
    }

    /// The form field the problem is about (`server_url` or `code`); `None` for a QR code that
    /// is not an enrolment code at all.
    pub fn field(self) -> Option<&'static str> {
        match self {
            EnrolLinkError::NotGocuaLink => None,
            EnrolLinkError::MissingServer
            | EnrolLinkError::ServerNotHttp
            | EnrolLinkError::InsecureServer => Some("server_url"),
            EnrolLinkError::MissingCode => Some("code"),
        }
    }

    pub fn message_vi(self) -> &'static str {
        match self {
            EnrolLinkError::NotGocuaLink => {
                "Mã QR này không phải mã đăng ký Gõ Cửa. Hãy quét mã do cán bộ Đoàn cấp."
            }
            EnrolLinkError::MissingServer => "Hãy nhập địa chỉ máy chủ.",
            EnrolLinkError::MissingCode => "Hãy nhập mã đăng ký do cán bộ Đoàn cấp.",
            EnrolLinkError::ServerNotHttp => {
                "Địa chỉ máy chủ không đúng: cần là địa chỉ web bắt đầu bằng https:// (hoặc http://)."
            }
            EnrolLinkError::InsecureServer => {
                "Địa chỉ máy chủ dùng kết nối không mã hoá (http://) nên dữ liệu của các hộ có thể bị lộ. Hãy dùng địa chỉ bắt đầu bằng https:// do cán bộ Đoàn cung cấp."
            }
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            EnrolLinkError::NotGocuaLink => {
                "This QR code is not a Gõ Cửa enrolment code. Scan the code from your coordinator."
            }
            EnrolLinkError::MissingServer => "Enter the server address.",
            EnrolLinkError::MissingCode => "Enter the enrolment code from your coordinator.",
            EnrolLinkError::ServerNotHttp => {
                "The server address is not valid: it must be a web address starting with https:// (or http://)."
            }
            EnrolLinkError::InsecureServer => {
                "The server address uses an unencrypted connection (http://), which could expose households' data. Use the https:// address from your coordinator."
            }
        }
    }
}

impl fmt::Display for EnrolLinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message_en())
    }
}

impl std::error::Error for EnrolLinkError {}

/// Whether `server_url` may carry a device's data: `https://`, or plain `http://` only to this
/// device itself (a host in 127.0.0.0/8, `::1` or `localhost`: a demo or a test). Every other
/// `http://` address is [`EnrolLinkError::InsecureServer`]; an address that is not a web
/// address at all is [`EnrolLinkError::ServerNotHttp`].
pub fn check_transport_security(server_url: &str) -> Result<(), EnrolLinkError> {
    let url = Url::parse(server_url.trim()).map_err(|_| EnrolLinkError::ServerNotHttp)?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(EnrolLinkError::InsecureServer),
        _ => Err(EnrolLinkError::ServerNotHttp),
    }
}

/// The URL's host is this device: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses a scanned QR payload; see [`EnrolLink::parse`].
pub fn parse(payload: &str) -> Result<EnrolLink, EnrolLinkError> {
    EnrolLink::parse(payload)
}

impl EnrolLink {
    /// A server address and code typed by hand: tidied (Unicode NFC, spaces collapsed), the
    /// address's trailing `/` dropped, the code upper-cased; both required, the address must be
    /// `http(s)://` with a host.
    pub fn new(server_url: &str, code: &str) -> Result<EnrolLink, EnrolLinkError> {
        let server_url = tidy(server_url);
        let server_url = server_url.trim_end_matches('/');
        if server_url.is_empty() {
            return Err(EnrolLinkError::MissingServer);
        }
        let parsed = Url::parse(server_url).map_err(|_| EnrolLinkError::ServerNotHttp)?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.host_str().is_none_or(str::is_empty)
            || server_url.contains(' ')
        {
            return Err(EnrolLinkError::ServerNotHttp);
        }
        let code = tidy(code).to_uppercase();
        if code.is_empty() {
            return Err(EnrolLinkError::MissingCode);
        }
        Ok(EnrolLink {
            server_url: server_url.to_owned(),
            code,
        })
    }

    /// Parses `gocua://enrol?server=…&code=…` (surrounding spaces ignored). The server value
    /// may be percent-encoded or plain.
    pub fn parse(payload: &str) -> Result<EnrolLink, EnrolLinkError> {
        let url = Url::parse(payload.trim()).map_err(|_| EnrolLinkError::NotGocuaLink)?;
        let host_ok = url
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(ENROL_HOST));
        if url.scheme() != SCHEME || !host_ok || !matches!(url.path(), "" | "/") {
            return Err(EnrolLinkError::NotGocuaLink);
        }
        let (mut server, mut code) = (None, None);
        for (name, value) in url.query_pairs() {
            match name.as_ref() {
                "server" if server.is_none() => server = Some(value.into_owned()),
                "code" if code.is_none() => code = Some(value.into_owned()),
                _ => {}
            }
        }
        EnrolLink::new(
            server.as_deref().unwrap_or_default(),
            code.as_deref().unwrap_or_default(),
        )
    }

    /// Whether this link's server may carry the device's data (see [`check_transport_security`]).
    /// Parsing accepts any `http(s)://` address so the app can show it; enrolling checks this.
    pub fn check_secure(&self) -> Result<(), EnrolLinkError> {
        check_transport_security(&self.server_url)
    }

    /// The link, with both values percent-encoded: `gocua://enrol?server=https%3A%2F%2F…&code=…`.
    pub fn to_uri(&self) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("server", &self.server_url)
            .append_pair("code", &self.code)
            .finish();
        format!("{SCHEME}://{ENROL_HOST}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn link(server: &str, code: &str) -> EnrolLink {
        EnrolLink {
            server_url: server.into(),
            code: code.into(),
        }
    }

    #[test]
    fn parses_encoded_and_plain_links() {
        let expected = link("https://gocua.tinhdoan.vn:8443/api", "ABCD-1234");
        for payload in [
            "gocua://enrol?server=https%3A%2F%2Fgocua.tinhdoan.vn%3A8443%2Fapi&code=ABCD-1234",
            "gocua://enrol?server=https://gocua.tinhdoan.vn:8443/api/&code=abcd-1234",
            "  GOCUA://ENROL?code=abcd-1234&server=https%3A%2F%2Fgocua.tinhdoan.vn%3A8443%2Fapi \n",
            "gocua://enrol/?server=https://gocua.tinhdoan.vn:8443/api&code=%20abcd-1234%20&x=1",
        ] {
            assert_eq!(parse(payload), Ok(expected.clone()), "{payload}");
        }
    }

    #[test]
    fn server_admin_payload_parses() {
        // What `gocua admin enrol-code` prints today: the address plainly, the code normalised.
        assert_eq!(
            parse("gocua://enrol?server=http://127.0.0.1:8080&code=ABCDEFGH"),
            Ok(link("http://127.0.0.1:8080", "ABCDEFGH"))
        );
    }

    #[test]
    fn specific_errors() {
        use EnrolLinkError::*;
        let cases = [
            ("https://gocua.tinhdoan.vn/enrol?code=ABCD", NotGocuaLink),
            ("gocua://login?server=https://x.vn&code=ABCD", NotGocuaLink),
            (
                "gocua://enrol/other?server=https://x.vn&code=ABCD",
                NotGocuaLink,
            ),
            ("hello", NotGocuaLink),
            ("", NotGocuaLink),
            ("gocua://enrol?code=ABCD", MissingServer),
            ("gocua://enrol?server=%20&code=ABCD", MissingServer),
            ("gocua://enrol?server=https://x.vn", MissingCode),
            ("gocua://enrol?server=https://x.vn&code=+", MissingCode),
            ("gocua://enrol?server=ftp://x.vn&code=ABCD", ServerNotHttp),
            ("gocua://enrol?server=x.vn&code=ABCD", ServerNotHttp),
            ("gocua://enrol?server=https://&code=ABCD", ServerNotHttp),
            (
                "gocua://enrol?server=https://x.vn/a b&code=ABCD",
                ServerNotHttp,
            ),
        ];
        for (payload, error) in cases {
            assert_eq!(parse(payload), Err(error), "{payload}");
        }
    }

    #[test]
    fn errors_have_codes_fields_and_both_languages() {
        use EnrolLinkError::*;
        let all = [NotGocuaLink, MissingServer, MissingCode, ServerNotHttp];
        let codes: std::collections::HashSet<_> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), all.len());
        for e in all {
            assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
            assert_ne!(e.message_vi(), e.message_en());
            if let Some(field) = e.field() {
                assert_ne!(crate::fields::label(field).0, field, "{field} has a label");
            }
        }
        assert_eq!(MissingCode.field(), Some("code"));
        assert_eq!(ServerNotHttp.field(), Some("server_url"));
    }

    #[test]
    fn typed_by_hand() {
        assert_eq!(
            EnrolLink::new("  https://gocua.tinhdoan.vn/ ", " abcd  1234 "),
            Ok(link("https://gocua.tinhdoan.vn", "ABCD 1234"))
        );
        assert_eq!(
            EnrolLink::new("", "ABCD"),
            Err(EnrolLinkError::MissingServer)
        );
        assert_eq!(
            EnrolLink::new("gocua.tinhdoan.vn", "ABCD"),
            Err(EnrolLinkError::ServerNotHttp)
        );
    }

    #[test]
    fn to_uri_encodes() {
        let l = link("https://gocua.tinhdoan.vn:8443/api", "ABCD-1234");
        assert_eq!(
            l.to_uri(),
            "gocua://enrol?server=https%3A%2F%2Fgocua.tinhdoan.vn%3A8443%2Fapi&code=ABCD-1234"
        );
    }

    #[test]
    fn plain_http_only_to_this_device() {
        for ok in [
            "https://gocua.tinhdoan.vn",
            "HTTPS://GOCUA.TINHDOAN.VN:8443/api",
            "http://127.0.0.1:8080",
            "http://127.10.0.3",
            "http://localhost:3000",
            "http://LOCALHOST",
            "http://[::1]:8080",
        ] {
            assert_eq!(check_transport_security(ok), Ok(()), "{ok}");
        }
        for insecure in [
            "http://gocua.tinhdoan.vn",
            "http://192.168.1.20:8080",
            "http://10.0.2.2:8080",
            "http://[::2]",
            "http://localhost.evil.vn",
            "http://127.0.0.1.nip.io",
        ] {
            assert_eq!(
                check_transport_security(insecure),
                Err(EnrolLinkError::InsecureServer),
                "{insecure}"
            );
        }
        assert_eq!(
            check_transport_security("ftp://x.vn"),
            Err(EnrolLinkError::ServerNotHttp)
        );
        let link = parse("gocua://enrol?server=http://gocua.tinhdoan.vn&code=ABCD").unwrap();
        assert_eq!(link.check_secure(), Err(EnrolLinkError::InsecureServer));
        let e = EnrolLinkError::InsecureServer;
        assert_eq!(e.code(), "insecure_server_url");
        assert_eq!(e.field(), Some("server_url"));
        assert!(e.message_vi().contains("https://") && e.message_vi().contains("mã hoá"));
        assert!(e.message_en().contains("https://"));
    }

    proptest! {
        #[test]
        fn to_uri_round_trips(
            host in "[a-z][a-z0-9]{0,20}(\\.[a-z]{2,6}){1,2}",
            port in proptest::option::of(1u16..),
            path in "(/[a-zA-Z0-9_.~-]{1,8}){0,3}",
            https in any::<bool>(),
            code in "[A-Z0-9]{4}-[A-Z0-9]{4}",
        ) {
            let scheme = if https { "https" } else { "http" };
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let l = EnrolLink::new(&format!("{scheme}://{host}{port}{path}"), &code).unwrap();
            prop_assert_eq!(parse(&l.to_uri()), Ok(l));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = parse(&s);
        }
    }
}
