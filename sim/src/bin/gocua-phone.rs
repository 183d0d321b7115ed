//! One simulated phone for tests that drive the server from outside Rust (the browser tests):
//! enrols with a coordinator's one-time code, records a field day offline in its team's first
//! area, syncs until the queue is empty, and prints one JSON line with what it recorded and
//! what the server accepted. Exits non-zero (with the reason) on anything unexpected.
//!
//! `gocua-phone --server http://127.0.0.1:PORT --code CODE [--households N]`

use gocua_sim::Device;

struct Options {
    server: String,
    code: String,
    households: usize,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let (mut server, mut code, mut households) = (None, None, 6);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => server = Some(value()?),
            "--code" => code = Some(value()?),
            "--households" => {
                households = value()?.parse().map_err(|e| format!("--households: {e}"))?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Options {
        server: server.ok_or("--server is required")?,
        code: code.ok_or("--code is required")?,
        households,
    })
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("gocua-phone: {e}");
            std::process::exit(2);
        }
    };
    let phone = Device::enrol(&o.server, &o.code);
    let team = phone.store.my_team().expect("the enrolled team");
    let area = team
        .area_codes
        .first()
        .expect("the team works in at least one area")
        .clone();
    let recorded = phone.record_field_day(&area, None, o.households);
    let report = phone.sync_clean(&phone.transport);
    phone.assert_all_accepted(recorded.records());
    println!(
        "{{\"team\":\"{}\",\"area\":\"{}\",\"households\":{},\"visits\":{},\"sessions\":{},\"feedback\":{},\"accepted\":{}}}",
        team.id,
        area,
        recorded.households.len(),
        recorded.visits.len(),
        recorded.sessions.len(),
        recorded.feedback.len(),
        report.accepted
    );
}
