//! The first-run set-up link as the console shows it (`gocua serve` on an empty database, and
//! `gocua admin setup-link`). The line's form is stable — scripts and the browser tests find the
//! link by `/setup/` on standard output (docs/operations.md):
//!
//! ```text
//! Thiết lập lần đầu (dùng một lần, hết hạn lúc 09:41, 30/11/2026) / first-run set-up: http://127.0.0.1:8080/setup/<64 hex digits>
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::domain::calendar;
use crate::domain::setup::SetupLink;

/// Where a browser reaches a server listening on `listen` when no public URL is configured: a
/// wildcard address (`0.0.0.0`, `[::]`) is reached through the loopback address.
pub fn base_url_for_listen(listen: SocketAddr) -> String {
    let ip = match listen.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, listen.port()))
}

/// The one line that shows a set-up link: Vietnamese, then English, then the link.
pub fn line(base_url: &str, link: &SetupLink) -> String {
    let expires = gocua_protocol::format::day_time(
        link.expires_at,
        &calendar::get(),
        gocua_protocol::format::Lang::Vi,
    );
    format!(
        "Thiết lập lần đầu (dùng một lần, hết hạn lúc {expires}) / first-run set-up: {}{}",
        base_url.trim().trim_end_matches('/'),
        link.path()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_line_names_the_link_and_its_end_in_the_deployment_calendar() {
        let link = SetupLink {
            secret: "ab".repeat(32),
            expires_at: Utc.with_ymd_and_hms(2026, 11, 30, 2, 41, 0).unwrap(),
        };
        let text = line("https://gocua.example.vn/", &link);
        assert!(
            text.ends_with(&format!(
                "https://gocua.example.vn/setup/{}",
                "ab".repeat(32)
            )),
            "{text}"
        );
        assert!(
            text.starts_with("Thiết lập lần đầu (dùng một lần, hết hạn lúc "),
            "{text}"
        );
        assert_eq!(
            base_url_for_listen("0.0.0.0:9000".parse().unwrap()),
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            base_url_for_listen("[::]:9000".parse().unwrap()),
            "http://[::1]:9000"
        );
        assert_eq!(
            base_url_for_listen("192.168.1.5:8080".parse().unwrap()),
            "http://192.168.1.5:8080"
        );
    }
}
