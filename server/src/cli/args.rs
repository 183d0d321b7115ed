//! The command line of `gocua`: what each command and option is, as `--help` shows it.

#[cfg(feature = "demo")]
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "gocua",
    version,
    about = "Gõ Cửa sync server and coordinator tools"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the phone API and the dashboard. Settings come from the configuration file, the
    /// GOCUA_* environment variables and these flags (a flag wins over the environment, which
    /// wins over the file); see docs/operations.md.
    Serve(ServeArgs),
    /// Quản trị cho cán bộ Đoàn / coordinators' tools: reference data, teams, targets, devices.
    Admin(AdminArgs),
    #[cfg(feature = "demo")]
    /// Chạy thử toàn bộ hệ thống trên máy này / run the whole system on this machine: a server,
    /// real reference data and simulated phones syncing a few days of field work.
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

/// `gocua serve`'s flags, kept as typed: cli/config.rs checks them with the other sources.
#[derive(Args, Debug, Clone, Default)]
pub struct ServeArgs {
    /// The configuration file (TOML; default: GOCUA_CONFIG, else none).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// SQLite file path, or a postgres:// URL [env: GOCUA_DATABASE; default: gocua.db].
    #[arg(long)]
    pub db: Option<String>,
    /// Address and port to listen on [env: GOCUA_LISTEN; default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// The deployment's IANA time zone [env: GOCUA_TIME_ZONE; default: Asia/Ho_Chi_Minh].
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// The address phones and browsers use, e.g. https://gocua.example.vn [env: GOCUA_PUBLIC_URL].
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Reverse proxies whose X-Forwarded-* headers are believed: addresses and CIDR ranges,
    /// comma separated [env: GOCUA_TRUSTED_PROXIES; default: none].
    #[arg(long, value_name = "LIST")]
    pub trusted_proxies: Option<String>,
    /// text or json [env: GOCUA_LOG_FORMAT; default: text].
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<String>,
    /// Serve Prometheus metrics on this address, e.g. 127.0.0.1:9464
    /// [env: GOCUA_METRICS_LISTEN; default: no metrics].
    #[arg(long, value_name = "ADDR:PORT")]
    pub metrics_listen: Option<String>,
}

#[derive(Args)]
pub struct AdminArgs {
    /// SQLite file path, or a postgres:// URL.
    #[arg(long, global = true, default_value = "gocua.db")]
    pub db: String,
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Subcommand)]
pub enum AdminCommand {
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
    EnrolCode(EnrolCodeArgs),
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
    /// Xoá thông tin cá nhân của hộ theo yêu cầu / erase a household's personal data at the
    /// person's request (as the volunteer's phone would); written to the audit log.
    EraseHousehold {
        /// The household's id (shown in the dashboard's address bar: /households/<id>).
        id: String,
        /// Who took the request (a name or dashboard username), for the audit log.
        #[arg(long)]
        by: String,
    },
    /// Sao lưu cơ sở dữ liệu SQLite đang chạy / copy a live SQLite database to FILE, consistent
    /// while `gocua serve` keeps serving (PostgreSQL: pg_dump, see docs/backup.md).
    Backup {
        /// The new backup file (must not exist).
        file: PathBuf,
    },
    /// Khôi phục từ bản sao lưu / restore a backup FILE into the --db path (SQLite). Refused
    /// while a server holds the database, or when it holds data, unless --replace.
    Restore {
        file: PathBuf,
        /// Replace a database that already holds data (never one a server has open).
        #[arg(long)]
        replace: bool,
    },
    /// Đánh dấu đã khôi phục / after restoring a PostgreSQL dump (pg_restore): give the database
    /// a new generation so phones send again what the dump lacks (docs/backup.md).
    MarkRestored,
    // uploads: the service catalogue (as the dashboard's /admin/services page edits it)
    /// Sửa một dịch vụ trong danh mục / edit a catalogue entry: only the options given change.
    EditService(EditServiceArgs),
    // units (and the first-run set-up)
    /// Danh sách đơn vị Đoàn / list the Youth Union units as a tree: kind, area, active teams,
    /// status, id.
    Units,
    /// Đổi tên đơn vị / rename a unit.
    RenameUnit {
        /// The unit's id (`gocua admin units`).
        id: String,
        #[arg(long)]
        name: String,
    },
    /// Chuyển đơn vị sang đơn vị cấp trên khác / move a unit under another (never under itself
    /// or a unit below it).
    MoveUnit {
        id: String,
        /// The new parent unit's id.
        #[arg(long)]
        parent: String,
    },
    /// Đổi địa bàn của đơn vị / set the area a unit answers for: a province, district or commune
    /// code within its parent's area, or "none".
    SetUnitArea {
        id: String,
        #[arg(long)]
        area: String,
    },
    /// Ngừng hoạt động đơn vị / deactivate a unit (refused while it has active teams or units
    /// below it); its records and reports stay.
    DeactivateUnit { id: String },
    /// Cho đơn vị hoạt động lại / reactivate a unit.
    ReactivateUnit { id: String },
    /// Đường dẫn thiết lập lần đầu / print a new one-time first-run set-up link (valid 2 hours;
    /// an earlier unused one stops working). Refused once an account exists.
    SetupLink {
        /// The address browsers use to reach the server [default: GOCUA_PUBLIC_URL, else
        /// http://127.0.0.1:8080].
        #[arg(long)]
        url: Option<String>,
    },
    // accounts and campaigns: the same domain functions as /admin/accounts and /admin/campaigns
    /// Đặt lại mật khẩu / reset a dashboard account's password: a new one is made up and printed
    /// once; the account's browser sessions end and a failed-login lock is lifted.
    ResetPassword {
        username: String,
        /// Who did it, for the audit log.
        #[arg(long, default_value = "gocua admin")]
        by: String,
    },
    /// Khoá tài khoản / lock a dashboard account until it is unlocked; its sessions end.
    LockCoordinator {
        username: String,
        #[arg(long, default_value = "gocua admin")]
        by: String,
    },
    /// Mở khoá tài khoản / unlock a dashboard account (an administrator's lock or a failed-login
    /// lock).
    UnlockCoordinator {
        username: String,
        #[arg(long, default_value = "gocua admin")]
        by: String,
    },
    /// Ngừng tài khoản / deactivate a dashboard account for good; its sessions end
    /// (create-coordinator with the same username brings it back).
    DeactivateCoordinator {
        username: String,
        #[arg(long, default_value = "gocua admin")]
        by: String,
    },
    /// Sửa kế hoạch / edit a campaign; only the options given change. New dates recount the
    /// campaign's progress; targets set for the whole campaign move with them.
    EditCampaign(EditCampaignArgs),
    // teams and members (the same domain functions as the /admin/teams pages)
    /// Danh sách đội / list teams: unit, areas, members, leader, phones, status.
    Teams {
        /// Only the teams of this unit and the units below it.
        #[arg(long)]
        unit: Option<String>,
        /// Deactivated teams too.
        #[arg(long)]
        all: bool,
    },
    /// Đổi tên đội / rename a team.
    RenameTeam {
        #[arg(long)]
        team: String,
        #[arg(long)]
        name: String,
    },
    /// Đặt địa bàn phụ trách của đội / set the areas a team works in (each within its unit's area).
    SetTeamAreas {
        #[arg(long)]
        team: String,
        /// Area codes, comma separated.
        #[arg(long, value_delimiter = ',', required = true)]
        areas: Vec<String>,
    },
    /// Ngừng hoạt động đội / deactivate a team: its phones are revoked, its records stay.
    DeactivateTeam {
        #[arg(long)]
        team: String,
    },
    /// Cho đội hoạt động lại / reactivate a team (its members' phones need new codes).
    ReactivateTeam {
        #[arg(long)]
        team: String,
    },
    /// Đổi tên đội viên / rename a member.
    RenameMember {
        #[arg(long)]
        member: String,
        #[arg(long)]
        name: String,
    },
    /// Chuyển đội viên sang đội khác / move a member to another team; their phones follow at
    /// their next sync.
    MoveMember {
        #[arg(long)]
        member: String,
        /// The team the member joins.
        #[arg(long)]
        team: String,
    },
    /// Chọn đội trưởng / make a member their team's leader (the previous leader becomes a member).
    SetLeader {
        #[arg(long)]
        member: String,
    },
    /// Ngừng hoạt động đội viên / deactivate a member: their phones are revoked, visits stay.
    DeactivateMember {
        #[arg(long)]
        member: String,
    },
    // walk lists
    /// Phân công / give a member a hamlet (--hamlet CODE) or a household (--household ID) to
    /// cover in the campaign running today.
    Assign(AssignArgs),
    /// Danh sách phân công / a team's assignments in the running campaign, with what is left.
    Assignments {
        #[arg(long)]
        team: String,
    },
    /// Thu hồi phân công / revoke an assignment.
    RevokeAssignment {
        id: String,
        /// Who did it, for the audit log.
        #[arg(long, default_value = "gocua admin")]
        by: String,
    },
    // service guides (as the dashboard's /admin/services/{key}/guide page writes them)
    /// Viết hướng dẫn cho một dịch vụ / set a service's guide from a Markdown file.
    SetGuide {
        /// The service's key, e.g. birth_registration.
        #[arg(long)]
        service: String,
        /// A UTF-8 Markdown file (at most 8,000 characters).
        #[arg(long)]
        file: PathBuf,
        /// The content has been checked by a coordinator (else it is marked as needing a check).
        #[arg(long)]
        checked: bool,
    },
    /// Danh sách hướng dẫn dịch vụ / list the service guides.
    Guides,
    /// Nạp hướng dẫn mẫu / load the built-in starter guides for services that have none.
    LoadStarterGuides,
}

// The options of `edit-service` (cli/admin/services.rs).
#[derive(Args)]
pub struct EditServiceArgs {
    /// The service's key, e.g. birth_registration.
    pub key: String,
    #[arg(long)]
    pub name_vi: Option<String>,
    #[arg(long)]
    pub name_en: Option<String>,
    /// National procedure code, e.g. 1.001193 ("" removes it).
    #[arg(long)]
    pub code: Option<String>,
    /// The code was checked against an official source: true or false.
    #[arg(long)]
    pub verified: Option<bool>,
    /// Decree 42/2022 level: toan_trinh, mot_phan or a label ("" when not known).
    #[arg(long)]
    pub level_42: Option<String>,
    /// Decree 43/2011 level: 1 to 4 ("" when not known).
    #[arg(long)]
    pub level_43: Option<String>,
    #[arg(long)]
    pub authority: Option<String>,
    /// In use: true or false.
    #[arg(long)]
    pub active: Option<bool>,
}

// The options of `edit-campaign` (cli/admin/campaigns.rs).
#[derive(Args)]
pub struct EditCampaignArgs {
    #[arg(long)]
    pub campaign: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub reference: Option<String>,
    /// YYYY-MM-DD or DD/MM/YYYY.
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub deadline: Option<String>,
    /// NAME:FROM:TO; may be repeated; replaces all peak windows.
    #[arg(long, conflicts_with = "no_peaks")]
    pub peak: Vec<String>,
    /// Remove every peak window.
    #[arg(long)]
    pub no_peaks: bool,
    #[arg(long, default_value = "gocua admin")]
    pub by: String,
}

// The options of `enrol-code` (cli/admin/devices.rs).
#[derive(Args)]
pub struct EnrolCodeArgs {
    #[arg(long)]
    pub team: String,
    #[arg(long)]
    pub member: String,
    #[arg(long, default_value_t = 72)]
    pub valid_hours: u32,
    /// The address phones use to reach this server (goes into the QR code): https://, or
    /// http:// to this machine only [default: GOCUA_PUBLIC_URL, else http://127.0.0.1:8080].
    #[arg(long)]
    pub server_url: Option<String>,
}

// The options of `assign` (cli/admin/assignments.rs).
#[derive(Args)]
pub struct AssignArgs {
    #[arg(long)]
    pub team: String,
    #[arg(long)]
    pub member: String,
    #[arg(long, conflicts_with = "household")]
    pub hamlet: Option<String>,
    #[arg(long)]
    pub household: Option<String>,
    /// Who did it, for the audit log.
    #[arg(long, default_value = "gocua admin")]
    pub by: String,
}
