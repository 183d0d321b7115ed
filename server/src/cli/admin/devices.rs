//! `gocua admin enrol-code | devices | revoke-device`: the volunteers' phones.

use chrono::Utc;

use gocua_protocol::enrol_link::check_transport_security;

use super::{invalid, parse_id, tx, Failure};
use crate::cli::args::EnrolCodeArgs;
use crate::cli::config::PUBLIC_URL;
use crate::cli::print::{self, time};
use crate::db::Db;
use crate::domain::coordination;

pub fn enrol_code(db: &Db, args: EnrolCodeArgs) -> Result<(), Failure> {
    let team_id = parse_id("đội", "team", &args.team)?;
    let member_id = parse_id("đội viên", "member", &args.member)?;
    let server_url = enrol_server_url(args.server_url, std::env::var(PUBLIC_URL.env).ok())?;
    let code = tx(db, |sql| {
        coordination::issue_enrol_code(sql, team_id, member_id, args.valid_hours, Utc::now())
    })?;
    println!(
        "Mã đăng ký cho {} ({}), dùng một lần, hết hạn {}: / One-time enrolment code, expires {}:",
        code.member_name,
        code.team_name,
        time(Some(code.expires_at)),
        time(Some(code.expires_at))
    );
    println!("{}", code.code);
    println!("QR: {}", coordination::qr_payload(&server_url, &code.code));
    Ok(())
}

/// The address put into the QR code: `--server-url`, else the deployment's public URL (what
/// `gocua serve` is configured with through `GOCUA_PUBLIC_URL`), else this machine's default
/// listener. Checked as the phone will check it, before any code is issued: a phone refuses
/// plain `http://` to another machine, so such a code could never be used.
fn enrol_server_url(flag: Option<String>, public_url: Option<String>) -> Result<String, Failure> {
    let url = flag
        .or(public_url.filter(|u| !u.trim().is_empty()))
        .unwrap_or_else(|| DEFAULT_SERVER_URL.to_owned());
    check_transport_security(&url).map_err(|e| {
        invalid(
            format!("--server-url {url}: {}", e.message_vi()),
            format!("--server-url {url}: {}", e.message_en()),
        )
    })?;
    Ok(url.trim().trim_end_matches('/').to_owned())
}

/// Where `gocua serve` listens when nothing says otherwise.
const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8080";

pub fn devices(db: &Db, team: Option<String>) -> Result<(), Failure> {
    let team_id = team
        .as_deref()
        .map(|t| parse_id("đội", "team", t))
        .transpose()?;
    let devices = tx(db, |sql| coordination::list_devices(sql, team_id))?;
    print_devices(&devices);
    Ok(())
}

pub fn revoke_device(db: &Db, id: String) -> Result<(), Failure> {
    let id = parse_id("thiết bị", "device", &id)?;
    let device = tx(db, |sql| coordination::revoke_device(sql, id, Utc::now()))?;
    println!(
        "Đã thu hồi thiết bị \"{}\" của {} ({}) lúc {}; điện thoại này không gửi được dữ liệu nữa. / Device revoked; it can no longer sync.",
        device.label,
        device.member_name,
        device.team_name,
        time(device.revoked_at)
    );
    Ok(())
}

fn print_devices(devices: &[coordination::DeviceRow]) {
    if devices.is_empty() {
        println!("Chưa có thiết bị nào được đăng ký. / No devices enrolled yet.");
        return;
    }
    let rows: Vec<[String; 8]> = devices
        .iter()
        .map(|d| {
            [
                d.id.to_string(),
                d.team_name.clone(),
                d.member_name.clone(),
                d.label.clone(),
                time(d.enrolled_at),
                time(d.last_seen_at),
                time(d.last_push_at),
                match d.revoked_at {
                    Some(_) => format!("ĐÃ THU HỒI / REVOKED {}", time(d.revoked_at)),
                    None => "–".to_owned(),
                },
            ]
        })
        .collect();
    let headers = [
        "Mã thiết bị / id",
        "Đội / team",
        "Đội viên / member",
        "Tên máy / label",
        "Đăng ký / enrolled",
        "Lần cuối / last seen",
        "Gửi cuối / last push",
        "Thu hồi / revoked",
    ];
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([headers[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| print::pad(c, *w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    println!("{}", line(&headers.map(str::to_owned)));
    for r in &rows {
        println!("{}", line(r));
    }
    println!(
        "{} thiết bị ({} đang hoạt động). / {} device(s) ({} active).",
        devices.len(),
        devices.iter().filter(|d| d.revoked_at.is_none()).count(),
        devices.len(),
        devices.iter().filter(|d| d.revoked_at.is_none()).count()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_address_is_the_flag_else_the_public_url_else_loopback() {
        let url = |flag: Option<&str>, public: Option<&str>| {
            enrol_server_url(flag.map(Into::into), public.map(Into::into))
        };
        assert_eq!(url(None, None).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(
            url(None, Some("https://gocua.example.vn/")).unwrap(),
            "https://gocua.example.vn"
        );
        assert_eq!(url(None, Some(" ")).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(
            url(Some("https://a.example.vn"), Some("https://b.example.vn")).unwrap(),
            "https://a.example.vn"
        );
    }

    #[test]
    fn a_code_phones_would_refuse_is_never_issued() {
        for bad in [
            "http://192.168.1.20:8080",
            "ftp://gocua.example.vn",
            "gocua",
        ] {
            let Failure(e) = enrol_server_url(Some(bad.into()), None).unwrap_err();
            let shown = e.to_string();
            assert!(shown.contains(bad), "{shown}");
        }
        let Failure(e) = enrol_server_url(None, Some("http://10.0.0.5".into())).unwrap_err();
        assert!(e.to_string().contains("https://"), "{e}");
    }
}
