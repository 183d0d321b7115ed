//! `gocua`: the server, its admin commands and the demo.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use gocua_protocol::import::CsvRowError;
use gocua_server::admin::{self, AdminError, ImportReport};
use gocua_server::db::{Db, Sql};
#[cfg(feature = "demo")]
use gocua_server::demo::{self, DemoOptions};
use gocua_server::web::accounts::{create_account, list_accounts, NewAccount, Role};
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "gocua",
    version,
    about = "Gõ Cửa sync server and coordinator tools"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the phone API (and later the dashboard).
    Serve {
        /// SQLite file path, or a postgres:// URL.
        #[arg(long, default_value = "gocua.db")]
        db: String,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
    /// Quản trị cho cán bộ Đoàn / coordinators' tools: reference data, teams, targets, devices.
    Admin(AdminArgs),
    /// Chạy thử toàn bộ hệ thống trên máy này / run the whole system on this machine: a server,
    /// real reference data and simulated phones syncing a few days of field work.
    #[cfg(feature = "demo")]
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// SQLite file path or postgres:// URL (default: a fresh SQLite file in a temporary directory).
        #[arg(long)]
        db: Option<String>,
        /// Directory with vn-admin-units-2025-07.csv and services-starter.csv (default: the copy
        /// of the repository's data/ built into gocua).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Simulated phones (at least 4).
        #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(4..=64))]
        devices: u16,
        /// Visits recorded in total over all phones.
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=20000))]
        visits: u32,
        /// Seed of the simulated field work: the same seed records the same households, visits,
        /// sessions and feedback (placed in the days before now). Default: random; the demo prints
        /// the seed it used.
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
    },
}

#[derive(Args)]
struct AdminArgs {
    /// SQLite file path, or a postgres:// URL.
    #[arg(long, global = true, default_value = "gocua.db")]
    db: String,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Nhập danh mục đơn vị hành chính / import an official area list
    /// (code,name,level,division_type,parent_code).
    ImportAreas {
        file: PathBuf,
        /// Import the good rows and leave out the bad ones (they are listed).
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// Nhập danh sách thôn, ấp, khu phố / import hamlets (code,name,division_type,commune_code).
    ImportHamlets {
        file: PathBuf,
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// Nhập danh mục dịch vụ / import the service catalogue.
    ImportServices {
        file: PathBuf,
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// Sửa mã thủ tục của một dịch vụ và đánh dấu đã kiểm tra / set a procedure code, verified.
    SetServiceCode { key: String, code: String },
    /// Tạo đơn vị Đoàn / create a Youth Union unit.
    CreateUnit {
        #[arg(long)]
        name: String,
        /// province_union, district_union, agency_union, police_union, school_union, commune_union, other.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        parent: Option<String>,
        /// The area the unit answers for (province or commune code).
        #[arg(long)]
        area: Option<String>,
    },
    /// Tạo đội / create a team working in some areas.
    CreateTeam {
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        /// Area codes, comma separated.
        #[arg(long, value_delimiter = ',', required = true)]
        areas: Vec<String>,
    },
    /// Thêm đội viên / add a member to a team.
    AddMember {
        #[arg(long)]
        team: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        leader: bool,
    },
    /// Tạo kế hoạch / create a campaign.
    CreateCampaign {
        #[arg(long)]
        name: String,
        /// Legal reference, e.g. "241-KH/TĐTN-TCKT".
        #[arg(long, default_value = "")]
        reference: String,
        /// YYYY-MM-DD or DD/MM/YYYY.
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        deadline: String,
        /// NAME:FROM:TO, e.g. "Tháng Thanh niên:2026-03-01:2026-03-31"; may be repeated.
        #[arg(long)]
        peak: Vec<String>,
    },
    /// Liệt kê kế hoạch / list campaigns.
    Campaigns,
    /// Đặt chỉ tiêu cho đội / set a team's target.
    SetTarget {
        #[arg(long)]
        campaign: String,
        #[arg(long)]
        team: String,
        /// sessions, people_reached, households_visited, services_supported, services_toan_trinh,
        /// services_level4, vneid_activations, hamlets_covered.
        #[arg(long)]
        indicator: String,
        #[arg(long)]
        value: u64,
        /// Default: the campaign's start.
        #[arg(long)]
        from: Option<String>,
        /// Default: the campaign's end.
        #[arg(long)]
        to: Option<String>,
    },
    /// Cấp mã đăng ký điện thoại / issue a one-time enrolment code for a member's phone.
    EnrolCode {
        #[arg(long)]
        team: String,
        #[arg(long)]
        member: String,
        #[arg(long, default_value_t = 72)]
        valid_hours: u32,
        /// The address phones use to reach this server (goes into the QR code).
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        server_url: String,
    },
    /// Danh sách thiết bị / list enrolled devices.
    Devices {
        #[arg(long)]
        team: Option<String>,
    },
    /// Thu hồi thiết bị / revoke a device (its token stops working).
    RevokeDevice { id: String },
    /// Tiến độ theo đội và xã / progress of a campaign by team and commune.
    Progress {
        #[arg(long)]
        campaign: String,
    },
    /// Tạo tài khoản cán bộ cho trang quản lý / create (or reset) a dashboard account. The
    /// password is read from GOCUA_PASSWORD, or else from the first line of standard input.
    CreateCoordinator {
        #[arg(long)]
        username: String,
        /// Họ tên hiển thị / display name.
        #[arg(long)]
        name: String,
        /// admin | coordinator | viewer
        #[arg(long, default_value = "coordinator")]
        role: String,
        /// The unit whose subtree the account sees.
        #[arg(long)]
        unit: String,
    },
    /// Danh sách tài khoản cán bộ / list dashboard accounts.
    Coordinators,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // The deployment's calendar, before anything counts a day.
    match gocua_server::calendar::configure_from_env() {
        Ok(calendar) => tracing::debug!(zone = calendar.zone_name(), "calendar"),
        Err(e) => {
            eprintln!(
                "{}: {e}. Sửa biến môi trường {} (ví dụ Asia/Ho_Chi_Minh).",
                gocua_server::calendar::ZONE_VAR,
                gocua_server::calendar::ZONE_VAR
            );
            return ExitCode::from(2);
        }
    }
    match cli.command {
        Command::Serve { db, listen } => runtime().block_on(serve(db, listen)),
        Command::Admin(args) => run_admin(args),
        #[cfg(feature = "demo")]
        Command::Demo {
            listen,
            db,
            data,
            devices,
            visits,
            seed,
        } => {
            let opts = DemoOptions {
                listen,
                db,
                data_dir: data,
                devices: devices.into(),
                visits: visits as usize,
                seed,
                verbose: true,
            };
            runtime().block_on(run_demo(opts))
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("cannot start the async runtime")
}

async fn serve(db: String, listen: SocketAddr) -> ExitCode {
    let opened = tokio::task::spawn_blocking(move || Db::open(&db)).await;
    let db = match opened {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => {
            eprintln!("gocua: cannot open the database: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("gocua: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "gocua: serving on http://{listen} ({} backend)",
        db.backend_name()
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = gocua_server::serve(db, listen, shutdown).await {
        eprintln!("gocua: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

#[cfg(feature = "demo")]
async fn run_demo(opts: DemoOptions) -> ExitCode {
    let summary = match demo::run_demo(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Lỗi: {}", e.message_vi());
            eprintln!("Error: {}", e.message_en());
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Đang phục vụ tại {} — nhấn Ctrl-C để dừng / serving at {} — press Ctrl-C to stop.",
        summary.url, summary.url
    );
    let stopped = summary
        .server
        .stop_on(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    match stopped {
        Ok(()) => {
            println!("Đã dừng / stopped.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Lỗi máy chủ / server error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------------
// gocua admin

/// A failure of an admin command, already worded for the coordinator.
struct Failure(AdminError);

impl From<AdminError> for Failure {
    fn from(e: AdminError) -> Self {
        Failure(e)
    }
}

fn invalid(vi: impl Into<String>, en: impl Into<String>) -> Failure {
    Failure(AdminError::invalid(vi, en))
}

fn parse_id(what_vi: &str, what_en: &str, raw: &str) -> Result<Uuid, Failure> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        invalid(
            format!("Mã {what_vi} \"{raw}\" không hợp lệ (cần dạng 0190f000-0000-7000-8000-000000000001)."),
            format!("The {what_en} id \"{raw}\" is not valid (expected a UUID like 0190f000-0000-7000-8000-000000000001)."),
        )
    })
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        invalid(
            format!("Không đọc được tệp {}: {e}.", path.display()),
            format!("Cannot read the file {}: {e}.", path.display()),
        )
    })
}

/// Vietnamese thousands separator: 3.321.
fn n(v: usize) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn vn_time(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(
        || "–".to_owned(),
        |t| {
            gocua_server::calendar::local_time(t)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        },
    )
}

fn print_csv_errors(errors: &[CsvRowError]) {
    for e in errors {
        eprintln!("  {}", e.message_vi);
        eprintln!("    {}", e.message_en);
    }
}

fn level_name(level: &str) -> (&'static str, &'static str) {
    match level {
        "province" => ("tỉnh, thành phố", "provinces"),
        "district" => ("quận, huyện", "districts"),
        "commune" => ("xã, phường, đặc khu", "communes"),
        "hamlet" => ("thôn, ấp, khu phố", "hamlets"),
        _ => ("khác", "other"),
    }
}

fn print_import(what_vi: &str, what_en: &str, report: &ImportReport) {
    let rank = |level: &str| {
        ["province", "district", "commune", "hamlet"]
            .iter()
            .position(|l| *l == level)
            .unwrap_or(9)
    };
    let mut by_level: Vec<(&String, &usize)> = report.by_level.iter().collect();
    by_level.sort_by_key(|(level, _)| rank(level));
    let levels: Vec<(String, String)> = by_level
        .into_iter()
        .map(|(level, count)| {
            let (vi, en) = level_name(level);
            (format!("{} {vi}", n(*count)), format!("{} {en}", n(*count)))
        })
        .collect();
    let detail = |pick: fn(&(String, String)) -> &String| {
        if levels.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                levels
                    .iter()
                    .map(pick)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    println!(
        "Đã nhập {} {what_vi}{}. / Imported {} {what_en}{}.",
        n(report.imported),
        detail(|l| &l.0),
        n(report.imported),
        detail(|l| &l.1)
    );
    if report.skipped_rows > 0 {
        eprintln!(
            "Đã bỏ qua {} dòng có lỗi / skipped {} bad row(s):",
            report.skipped_rows, report.skipped_rows
        );
        print_csv_errors(&report.skipped);
    }
}

fn run_admin(args: AdminArgs) -> ExitCode {
    let db = match Db::open(&args.db) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("Lỗi: không mở được cơ sở dữ liệu {}: {e}", args.db);
            eprintln!("Error: cannot open the database {}: {e}", args.db);
            return ExitCode::from(2);
        }
    };
    match admin_command(&db, args.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(AdminError::Csv(errors))) => {
            eprintln!(
                "Tệp có {} lỗi; chưa nhập dòng nào. / The file has {} problem(s); nothing was imported.",
                errors.len(),
                errors.len()
            );
            print_csv_errors(&errors);
            eprintln!("Hãy sửa tệp rồi nhập lại, hoặc chạy lại với --skip-bad-rows để chỉ nhập các dòng đúng.");
            eprintln!("Fix the file and import it again, or run again with --skip-bad-rows to import only the good rows.");
            ExitCode::FAILURE
        }
        Err(Failure(e)) => {
            eprintln!("Lỗi: {}", e.message_vi());
            eprintln!("Error: {}", e.message_en());
            ExitCode::FAILURE
        }
    }
}

fn tx<T>(db: &Db, f: impl FnOnce(&mut dyn Sql) -> Result<T, AdminError>) -> Result<T, Failure> {
    db.tx(f).map_err(Failure)
}

fn admin_command(db: &Db, command: AdminCommand) -> Result<(), Failure> {
    match command {
        AdminCommand::ImportAreas {
            file,
            skip_bad_rows,
        } => {
            let text = read_file(&file)?;
            let report = tx(db, |sql| admin::import_areas(sql, &text, skip_bad_rows))?;
            print_import("địa bàn", "areas", &report);
        }
        AdminCommand::ImportHamlets {
            file,
            skip_bad_rows,
        } => {
            let text = read_file(&file)?;
            let report = tx(db, |sql| admin::import_hamlets(sql, &text, skip_bad_rows))?;
            print_import("thôn, ấp, khu phố", "hamlets", &report);
        }
        AdminCommand::ImportServices {
            file,
            skip_bad_rows,
        } => {
            let text = read_file(&file)?;
            let report = tx(db, |sql| admin::import_services(sql, &text, skip_bad_rows))?;
            print_import("dịch vụ", "services", &report);
        }
        AdminCommand::SetServiceCode { key, code } => {
            let (before, after) = tx(db, |sql| admin::set_service_code(sql, &key, &code))?;
            let old = before.code.as_deref().unwrap_or("–");
            let new = after.code.as_deref().unwrap_or("–");
            println!(
                "Đã cập nhật \"{}\": mã thủ tục {old} → {new} (đã kiểm tra). / Updated {}: procedure code {old} → {new} (verified).",
                after.name_vi, after.key
            );
        }
        AdminCommand::CreateUnit {
            name,
            kind,
            parent,
            area,
        } => {
            let kind = admin::parse_unit_kind(&kind)?;
            let parent_id = parent
                .as_deref()
                .map(|p| parse_id("đơn vị cấp trên", "parent unit", p))
                .transpose()?;
            let unit = tx(db, |sql| {
                admin::create_unit(
                    sql,
                    &admin::NewUnit {
                        id: None,
                        name,
                        kind,
                        parent_id,
                        area_code: area,
                    },
                )
            })?;
            println!(
                "Đã tạo đơn vị \"{}\" ({}). / Created unit \"{}\" ({}).",
                unit.name,
                unit.kind.label_vi(),
                unit.name,
                unit.kind.label_en()
            );
            println!("{}", unit.id);
        }
        AdminCommand::CreateTeam { name, unit, areas } => {
            let org_unit_id = parse_id("đơn vị", "unit", &unit)?;
            let team = tx(db, |sql| {
                admin::create_team(
                    sql,
                    &admin::NewTeam {
                        id: None,
                        name,
                        org_unit_id,
                        area_codes: areas,
                    },
                )
            })?;
            println!(
                "Đã tạo đội \"{}\", phụ trách {}. / Created team \"{}\" working in {}.",
                team.name,
                team.area_codes.join(", "),
                team.name,
                team.area_codes.join(", ")
            );
            println!("{}", team.id);
        }
        AdminCommand::AddMember { team, name, leader } => {
            let team_id = parse_id("đội", "team", &team)?;
            let member = tx(db, |sql| {
                admin::add_member(sql, team_id, None, &name, leader)
            })?;
            println!(
                "Đã thêm {} \"{}\". / Added {} \"{}\".",
                member.role.label_vi().to_lowercase(),
                member.name,
                member.role.label_en().to_lowercase(),
                member.name
            );
            println!("{}", member.id);
        }
        AdminCommand::CreateCampaign {
            name,
            reference,
            from,
            to,
            deadline,
            peak,
        } => {
            let starts_on = admin::parse_date("bắt đầu", "start", &from)?;
            let ends_on = admin::parse_date("kết thúc", "end", &to)?;
            let report_deadline = admin::parse_date("hạn báo cáo", "report deadline", &deadline)?;
            let peak_windows = peak
                .iter()
                .map(|p| admin::parse_peak(p))
                .collect::<Result<Vec<_>, _>>()?;
            let campaign = tx(db, |sql| {
                admin::create_campaign(
                    sql,
                    &admin::NewCampaign {
                        id: None,
                        name,
                        legal_reference: reference,
                        starts_on,
                        ends_on,
                        report_deadline,
                        peak_windows,
                    },
                )
            })?;
            println!(
                "Đã tạo kế hoạch \"{}\" {} ({} – {}, hạn báo cáo {}). / Created campaign ({} to {}, report due {}).",
                campaign.name,
                campaign.legal_reference,
                campaign.starts_on.format("%d/%m/%Y"),
                campaign.ends_on.format("%d/%m/%Y"),
                campaign.report_deadline.format("%d/%m/%Y"),
                campaign.starts_on,
                campaign.ends_on,
                campaign.report_deadline
            );
            println!("{}", campaign.id);
        }
        AdminCommand::Campaigns => {
            let campaigns = tx(db, admin::list_campaigns)?;
            if campaigns.is_empty() {
                println!("Chưa có kế hoạch nào. / No campaigns yet.");
            }
            for c in campaigns {
                println!(
                    "{}  {} – {}  {}  {}",
                    c.id,
                    c.starts_on.format("%d/%m/%Y"),
                    c.ends_on.format("%d/%m/%Y"),
                    c.legal_reference,
                    c.name
                );
            }
        }
        AdminCommand::SetTarget {
            campaign,
            team,
            indicator,
            value,
            from,
            to,
        } => {
            let campaign_id = parse_id("kế hoạch", "campaign", &campaign)?;
            let team_id = parse_id("đội", "team", &team)?;
            let indicator = admin::parse_indicator(&indicator)?;
            let starts_on = from
                .as_deref()
                .map(|d| admin::parse_date("bắt đầu", "start", d))
                .transpose()?;
            let ends_on = to
                .as_deref()
                .map(|d| admin::parse_date("kết thúc", "end", d))
                .transpose()?;
            let target = tx(db, |sql| {
                admin::set_target(
                    sql,
                    &admin::NewTarget {
                        campaign_id,
                        team_id,
                        indicator,
                        value,
                        starts_on,
                        ends_on,
                    },
                )
            })?;
            println!(
                "Đã đặt chỉ tiêu \"{}\": {} ({} – {}). / Set target \"{}\": {} ({} to {}).",
                target.indicator.label_vi(),
                target.value,
                target.starts_on.format("%d/%m/%Y"),
                target.ends_on.format("%d/%m/%Y"),
                target.indicator.label_en(),
                target.value,
                target.starts_on,
                target.ends_on
            );
            println!("{}", target.id);
        }
        AdminCommand::EnrolCode {
            team,
            member,
            valid_hours,
            server_url,
        } => {
            let team_id = parse_id("đội", "team", &team)?;
            let member_id = parse_id("đội viên", "member", &member)?;
            let code = tx(db, |sql| {
                admin::issue_enrol_code(sql, team_id, member_id, valid_hours, Utc::now())
            })?;
            println!(
                "Mã đăng ký cho {} ({}), dùng một lần, hết hạn {}: / One-time enrolment code, expires {}:",
                code.member_name,
                code.team_name,
                vn_time(Some(code.expires_at)),
                vn_time(Some(code.expires_at))
            );
            println!("{}", code.code);
            println!("QR: {}", admin::qr_payload(&server_url, &code.code));
        }
        AdminCommand::Devices { team } => {
            let team_id = team
                .as_deref()
                .map(|t| parse_id("đội", "team", t))
                .transpose()?;
            let devices = tx(db, |sql| admin::list_devices(sql, team_id))?;
            print_devices(&devices);
        }
        AdminCommand::RevokeDevice { id } => {
            let id = parse_id("thiết bị", "device", &id)?;
            let device = tx(db, |sql| admin::revoke_device(sql, id, Utc::now()))?;
            println!(
                "Đã thu hồi thiết bị \"{}\" của {} ({}) lúc {}; điện thoại này không gửi được dữ liệu nữa. / Device revoked; it can no longer sync.",
                device.label,
                device.member_name,
                device.team_name,
                vn_time(device.revoked_at)
            );
        }
        AdminCommand::CreateCoordinator {
            username,
            name,
            role,
            unit,
        } => {
            let unit_id = parse_id("đơn vị", "unit", &unit)?;
            let role = Role::parse(&role).ok_or_else(|| {
                Failure(AdminError::invalid(
                    format!("Vai trò \"{role}\" không có; chọn admin, coordinator hoặc viewer."),
                    format!("There is no role \"{role}\"; choose admin, coordinator or viewer."),
                ))
            })?;
            let password = match std::env::var("GOCUA_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line).map_err(|e| {
                        Failure(AdminError::invalid(
                            format!("Không đọc được mật khẩu: {e}"),
                            format!("Cannot read the password: {e}"),
                        ))
                    })?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let account = tx(db, |sql| {
                create_account(
                    sql,
                    &NewAccount {
                        username,
                        display_name: name,
                        role,
                        org_unit_id: unit_id,
                        password,
                    },
                    Utc::now(),
                )
            })?;
            println!(
                "Tài khoản \"{}\" ({}) đã sẵn sàng / account ready: {}",
                account.username,
                account.role.as_str(),
                account.id
            );
        }
        AdminCommand::Coordinators => {
            let accounts = tx(db, |sql| Ok(list_accounts(sql)?))?;
            for a in accounts {
                println!(
                    "{}\t{}\t{}\t{}",
                    a.username,
                    a.role.as_str(),
                    a.display_name,
                    a.org_unit_id
                );
            }
        }
        AdminCommand::Progress { campaign } => {
            let campaign_id = parse_id("kế hoạch", "campaign", &campaign)?;
            let progress = tx(db, |sql| admin::campaign_progress(sql, campaign_id))?;
            print!("{}", admin::render_progress(&progress));
        }
    }
    Ok(())
}

fn pad(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count >= width {
        text.to_owned()
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

fn print_devices(devices: &[admin::DeviceRow]) {
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
                vn_time(d.enrolled_at),
                vn_time(d.last_seen_at),
                vn_time(d.last_push_at),
                match d.revoked_at {
                    Some(_) => format!("ĐÃ THU HỒI / REVOKED {}", vn_time(d.revoked_at)),
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
            .map(|(c, w)| pad(c, *w))
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
