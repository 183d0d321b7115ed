//! `gocua admin enrol-code | devices | revoke-device`: the volunteers' phones.

use chrono::Utc;

use super::{parse_id, tx, Failure};
use crate::cli::print::{self, time};
use crate::db::Db;
use crate::domain::coordination;

pub fn enrol_code(
    db: &Db,
    team: String,
    member: String,
    valid_hours: u32,
    server_url: String,
) -> Result<(), Failure> {
    let team_id = parse_id("đội", "team", &team)?;
    let member_id = parse_id("đội viên", "member", &member)?;
    let code = tx(db, |sql| {
        coordination::issue_enrol_code(sql, team_id, member_id, valid_hours, Utc::now())
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
