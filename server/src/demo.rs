//! `gocua demo`: the whole system on one machine, with nothing else installed. An embedded SQLite
//! server on a real port, the real area list and starter catalogue, the provincial union of Vĩnh
//! Long (which since July 2025 includes the former Bến Tre province of letter 2094-CV/TĐTN-TCKT)
//! with its commune unions, teams, hamlets, members, a campaign modelled on plan
//! 241-KH/TĐTN-TCKT and targets for every indicator — then several simulated phones, each the real
//! device library with its own encrypted store, enrolled over HTTP with a one-time code, recording
//! a few days of door-to-door work offline and syncing it. Ends with the progress table counted
//! on the server.
//!
//! [`run_demo`] does everything except waiting for Ctrl-C, so tests can run it.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use gocua_core::protocol::*;
use gocua_core::{
    AssistDraft, ConsentDraft, FeedbackDraft, HouseholdDraft, HttpTransport, QueueStatus,
    SessionDraft, Store, StoreKey, SyncReport, SystemClock, VisitDraft,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::db::{Db, DbError, Sql};
use crate::domain::coordination::{
    self, AdminError, NewCampaign, NewTarget, NewTeam, NewUnit, ServerCounts,
};
use crate::domain::progress::TeamProgress;
use crate::params;

pub const AREAS_FILE: &str = "vn-admin-units-2025-07.csv";
pub const SERVICES_FILE: &str = "services-starter.csv";
/// Vĩnh Long; since 1 July 2025 it includes the former provinces of Bến Tre and Trà Vinh.
pub const PROVINCE_CODE: &str = "86";
pub const LEGAL_REFERENCE: &str = "241-KH/TĐTN-TCKT";

/// Namespace of the demo's fixed ids: running the demo again on the same database updates the
/// same units, teams and members instead of adding copies.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x6f63_7561_2d64_656d_6f00_0000_0000_0001);

fn demo_id(kind: &str, name: &str) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, format!("{kind}:{name}").as_bytes())
}

#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Where to serve; port 0 picks a free one.
    pub listen: SocketAddr,
    /// SQLite path or postgres:// URL; `None` for a fresh SQLite file in a temporary directory.
    pub db: Option<String>,
    /// Directory holding the area list and catalogue (`--data`); `None` for the copy of the
    /// repository's `data/` built into the binary (see [`reference_data`]).
    pub data_dir: Option<PathBuf>,
    /// Simulated phones (at least 4).
    pub devices: usize,
    /// Visits recorded in total, over all phones.
    pub visits: usize,
    /// Seed of the simulated field work; `None` for a random one.
    pub seed: Option<u64>,
    /// Print what happens (the command does; tests may not).
    pub verbose: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: None,
            data_dir: None,
            devices: 6,
            visits: 300,
            seed: None,
            verbose: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "address {0} is already in use; pass --listen 127.0.0.1:0 (any free port) or another port"
    )]
    PortBusy(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{} does not hold {AREAS_FILE} and {SERVICES_FILE}; pass --data with a directory like the repository's data/, or leave --data out to use the copy built into gocua", list_paths(.0))]
    DataNotFound(Vec<PathBuf>),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", .0.message_en())]
    Admin(#[from] AdminError),
    #[error("{device}: {en}")]
    Device {
        device: String,
        vi: String,
        en: String,
    },
    #[error("{0}")]
    Other(String),
}

fn list_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<DbError> for DemoError {
    fn from(e: DbError) -> Self {
        DemoError::Admin(AdminError::Db(e))
    }
}

impl DemoError {
    pub fn message_vi(&self) -> String {
        match self {
            DemoError::PortBusy(addr) => format!(
                "Địa chỉ {addr} đang được một chương trình khác dùng. Hãy chạy lại với --listen 127.0.0.1:0 (tự chọn cổng trống) hoặc một cổng khác, ví dụ --listen 127.0.0.1:8090."
            ),
            DemoError::Listen { addr, source } => format!("Không mở được cổng {addr}: {source}."),
            DemoError::DataNotFound(paths) => format!(
                "Thư mục {} không có đủ hai tệp {AREAS_FILE} và {SERVICES_FILE}. Hãy chỉ --data tới một thư mục như data/ của kho mã nguồn, hoặc bỏ --data để dùng bản dữ liệu có sẵn trong gocua.",
                list_paths(paths)
            ),
            DemoError::Read { path, source } => format!("Không đọc được tệp {}: {source}.", path.display()),
            DemoError::Admin(e) => e.message_vi(),
            DemoError::Device { device, vi, .. } => format!("{device}: {vi}"),
            DemoError::Other(m) => format!("Lỗi: {m}"),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            DemoError::PortBusy(addr) => format!(
                "Address {addr} is already in use by another program. Run again with --listen 127.0.0.1:0 (any free port) or another port, e.g. --listen 127.0.0.1:8090."
            ),
            other => {
                let mut s = other.to_string();
                if let Some(first) = s.get(..1) {
                    s = format!("{}{}", first.to_uppercase(), &s[1..]);
                }
                if !s.ends_with('.') {
                    s.push('.');
                }
                s
            }
        }
    }
}

/// The repository's `data/` files the demo needs, built into the binary so that `gocua demo` runs
/// from any directory, with nothing beside the executable.
const BUILT_IN_AREAS: &[u8] = include_bytes!("../../data/vn-admin-units-2025-07.csv");
const BUILT_IN_SERVICES: &[u8] = include_bytes!("../../data/services-starter.csv");

/// The area list and the service catalogue the demo imports, and where they came from.
pub struct ReferenceData {
    /// The `--data` directory they were read from; `None` for the built-in copy.
    pub dir: Option<PathBuf>,
    pub areas_csv: Vec<u8>,
    pub services_csv: Vec<u8>,
}

/// The demo's reference data: from `dir` (`--data`) when given — which must then hold both
/// files — else the copy of the repository's `data/` built into the binary.
pub fn reference_data(dir: Option<&Path>) -> Result<ReferenceData, DemoError> {
    let Some(dir) = dir else {
        return Ok(ReferenceData {
            dir: None,
            areas_csv: BUILT_IN_AREAS.to_vec(),
            services_csv: BUILT_IN_SERVICES.to_vec(),
        });
    };
    if !(dir.join(AREAS_FILE).is_file() && dir.join(SERVICES_FILE).is_file()) {
        return Err(DemoError::DataNotFound(vec![dir.to_path_buf()]));
    }
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    Ok(ReferenceData {
        areas_csv: read(&dir.join(AREAS_FILE))?,
        services_csv: read(&dir.join(SERVICES_FILE))?,
        dir: Some(dir),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, DemoError> {
    std::fs::read(path).map_err(|source| DemoError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The server the demo started; it keeps serving after [`run_demo`] returns.
pub struct RunningServer {
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Serves until `signal` resolves (e.g. Ctrl-C), then stops gracefully. Returns early with the
    /// error if the server fails.
    pub async fn stop_on(mut self, signal: impl Future<Output = ()>) -> std::io::Result<()> {
        tokio::select! {
            _ = signal => {
                if let Some(tx) = self.shutdown.take() {
                    let _ = tx.send(());
                }
                self.task.await.map_err(std::io::Error::other)?
            }
            result = &mut self.task => result.map_err(std::io::Error::other)?,
        }
    }

    pub async fn stop(self) -> std::io::Result<()> {
        self.stop_on(async {}).await
    }
}

/// What one simulated phone did.
#[derive(Debug, Clone)]
pub struct DeviceReport {
    pub label: String,
    pub device_id: Uuid,
    pub team: String,
    pub volunteer: String,
    pub households: u32,
    pub visits: u32,
    pub sessions: u32,
    pub feedback: u32,
    pub sync: SyncReport,
    /// The phone's queue after its last sync.
    pub queue: QueueStatus,
}

/// What the demo did and where it serves.
pub struct DemoSummary {
    pub addr: SocketAddr,
    /// `http://ADDR/`.
    pub url: String,
    /// The database (path or URL).
    pub db: String,
    /// The `--data` directory the reference data came from; `None` for the built-in copy.
    pub data_dir: Option<PathBuf>,
    /// The seed of the simulated field work (`--seed`): the same seed replays the same work.
    pub seed: u64,
    pub campaign: Campaign,
    pub devices: Vec<DeviceReport>,
    pub progress: Vec<TeamProgress>,
    /// The progress table as printed.
    pub table: String,
    pub counts: ServerCounts,
    pub elapsed: std::time::Duration,
    pub server: RunningServer,
    /// Holds the temporary database directory (when no --db was given) while serving.
    pub db_dir: Option<tempfile::TempDir>,
    /// Dashboard accounts made for the demo.
    pub accounts: Vec<DemoAccount>,
}

// ---------------------------------------------------------------------------------------------
// The organisation of the demo: real communes of the former Bến Tre province, now in Vĩnh Long.

struct TeamSpec {
    unit: &'static str,
    team: &'static str,
    /// Commune names as in the official list, each with the hamlets the coordinator creates.
    communes: &'static [(&'static str, &'static [&'static str])],
    /// The first is the team leader.
    members: [&'static str; 3],
}

const TEAMS: &[TeamSpec] = &[
    TeamSpec {
        unit: "Đoàn phường Bến Tre",
        team: "Đội TNTN phường Bến Tre",
        communes: &[
            ("Phường Bến Tre", &["Khu phố 1", "Khu phố 2", "Khu phố 5"]),
            ("Phường Phú Tân", &["Khu phố Phú Hưng", "Khu phố 3"]),
        ],
        members: ["Nguyễn Thị Ngọc Hân", "Trần Minh Khoa", "Lê Thị Hoa"],
    },
    TeamSpec {
        unit: "Đoàn xã Mỏ Cày",
        team: "Đội TNXK xã Mỏ Cày",
        communes: &[
            ("Xã Mỏ Cày", &["Ấp 1", "Ấp Tân Hưng", "Ấp Phước Khánh"]),
            ("Xã Chợ Lách", &["Ấp Phú Hòa", "Ấp 4"]),
        ],
        members: ["Võ Văn Tài", "Huỳnh Thị Mỹ Duyên", "Phan Quốc Bảo"],
    },
    TeamSpec {
        unit: "Đoàn xã Giồng Trôm",
        team: "Đội TNTN xã Giồng Trôm",
        communes: &[
            ("Xã Giồng Trôm", &["Ấp Phú Hưng", "Ấp 3"]),
            ("Xã Ba Tri", &["Ấp An Bình", "Ấp 2"]),
            ("Xã Bình Đại", &["Ấp Thới Lai"]),
        ],
        members: ["Đặng Thanh Tú", "Bùi Thị Kim Ngân", "Lý Hoàng Phúc"],
    },
    TeamSpec {
        unit: "Đoàn xã Thạnh Phú",
        team: "Tổ công nghệ số xã Thạnh Phú",
        communes: &[
            ("Xã Thạnh Phú", &["Ấp Giồng Chùa", "Ấp 7"]),
            ("Xã Đại Điền", &["Ấp Thạnh Hòa", "Ấp 5"]),
        ],
        members: ["Trương Thị Yến Nhi", "Dương Văn Lợi", "Ngô Gia Huy"],
    },
];

#[derive(Debug, Clone)]
struct Place {
    code: String,
    name: String,
    commune_code: String,
    ward: bool,
}

/// What one phone needs to start: its code and where its team works.
#[derive(Debug, Clone)]
struct DevicePlan {
    index: usize,
    label: String,
    code: String,
    team: String,
    communes: Vec<Place>,
    hamlets: Vec<Place>,
    visits: usize,
    seed: u64,
}

struct Setup {
    campaign: Campaign,
    devices: Vec<DevicePlan>,
    teams: usize,
    accounts: Vec<DemoAccount>,
}

/// A dashboard account the demo made, with its password (shown once, on the terminal).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub role: crate::domain::accounts::Role,
    pub unit_name: String,
}

fn demo_account(
    sql: &mut dyn Sql,
    username: &str,
    display_name: &str,
    role: crate::domain::accounts::Role,
    unit: &OrgUnit,
) -> Result<DemoAccount, AdminError> {
    let password = crate::domain::auth::new_device_token()[..16].to_owned();
    crate::domain::accounts::create_account(
        sql,
        &crate::domain::accounts::NewAccount {
            username: username.into(),
            display_name: display_name.into(),
            role,
            org_unit_id: unit.id,
            password: password.clone(),
        },
        Utc::now(),
    )?;
    Ok(DemoAccount {
        username: username.into(),
        password,
        role,
        unit_name: unit.name.clone(),
    })
}

/// The campaign's dates around `today` (Vietnam's calendar): from the letter's date (18 Feb) —
/// or a week ago if earlier in the year — through 30 June (or a month ahead), with Youth Month
/// as its peak. The quick report is due 31 March; once March has passed, at the campaign's end.
pub fn campaign_dates(today: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate, PeakWindow) {
    let year = today.year();
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
    let starts_on = d(2, 18).min(today - Duration::days(7));
    let ends_on = d(6, 30).max(today + Duration::days(30));
    let march_end = d(3, 31);
    let deadline = if today <= march_end {
        march_end
    } else {
        ends_on
    };
    let peak = PeakWindow {
        name: format!("Tháng Thanh niên {year}"),
        starts_on: d(3, 1),
        ends_on: march_end,
    };
    (starts_on, ends_on, deadline, peak)
}

fn commune_code(sql: &mut dyn Sql, name: &str) -> Result<(String, bool), AdminError> {
    let row = sql.query_one(
        "SELECT code, division_type FROM areas WHERE parent_code = ? AND name = ? AND level = 'commune'",
        params![PROVINCE_CODE, name],
    )?;
    row.map(|r| (r.text(0), r.text(1) == "phường")).ok_or_else(|| {
        AdminError::not_found(
            format!("Không tìm thấy \"{name}\" thuộc tỉnh mã {PROVINCE_CODE} trong danh mục {AREAS_FILE}."),
            format!("\"{name}\" (province {PROVINCE_CODE}) is not in {AREAS_FILE}."),
        )
    })
}

/// Builds the organisation, campaign, targets and enrolment codes, in one transaction.
fn setup(
    sql: &mut dyn Sql,
    areas_csv: &[u8],
    services_csv: &[u8],
    opts: &DemoOptions,
    seed: u64,
) -> Result<Setup, AdminError> {
    coordination::import_areas(sql, areas_csv, false)?;
    coordination::import_services(sql, services_csv, false)?;
    let now = Utc::now();
    let today = crate::domain::calendar::day_of(now);
    let (starts_on, ends_on, report_deadline, peak) = campaign_dates(today);
    let year = today.year();
    let campaign_name = format!(
        "Đi từng ngõ, gõ từng nhà – hỗ trợ người dân sử dụng dịch vụ công trực tuyến năm {year}"
    );
    let campaign = coordination::create_campaign(
        sql,
        &NewCampaign {
            id: Some(demo_id("campaign", &campaign_name)),
            name: campaign_name.clone(),
            legal_reference: LEGAL_REFERENCE.into(),
            starts_on,
            ends_on,
            report_deadline,
            peak_windows: vec![peak],
        },
    )?;
    let province = coordination::create_unit(
        sql,
        &NewUnit {
            id: Some(demo_id("unit", "Tỉnh Đoàn Vĩnh Long")),
            name: "Tỉnh Đoàn Vĩnh Long".into(),
            kind: OrgUnitKind::ProvinceUnion,
            parent_id: None,
            area_code: Some(PROVINCE_CODE.into()),
        },
    )?;

    let mut accounts = vec![demo_account(
        sql,
        "tinhdoan",
        "Nguyễn Thị Thu Hà",
        crate::domain::accounts::Role::Admin,
        &province,
    )?];

    let devices_total = opts.devices.max(4);
    let teams_used = TEAMS.len().min(devices_total);
    let per_device = opts.visits.div_ceil(devices_total).max(1);
    let mut devices = Vec::new();
    for (t, spec) in TEAMS.iter().enumerate().take(teams_used) {
        let mut communes = Vec::new();
        let mut hamlets = Vec::new();
        let mut hamlet_csv = String::from("code,name,division_type,commune_code\n");
        for (name, hamlet_names) in spec.communes {
            let (code, ward) = commune_code(sql, name)?;
            for (i, h) in hamlet_names.iter().enumerate() {
                let hamlet_code = format!("{code}-{:02}", i + 1);
                let kind = if h.starts_with("Khu phố") {
                    "khu phố"
                } else {
                    "ấp"
                };
                hamlet_csv.push_str(&format!("{hamlet_code},{h},{kind},{code}\n"));
                hamlets.push(Place {
                    code: hamlet_code,
                    name: (*h).into(),
                    commune_code: code.clone(),
                    ward,
                });
            }
            communes.push(Place {
                code: code.clone(),
                name: (*name).into(),
                commune_code: code,
                ward,
            });
        }
        coordination::import_hamlets(sql, hamlet_csv.as_bytes(), false)?;
        let unit = coordination::create_unit(
            sql,
            &NewUnit {
                id: Some(demo_id("unit", spec.unit)),
                name: spec.unit.into(),
                kind: OrgUnitKind::CommuneUnion,
                parent_id: Some(province.id),
                area_code: Some(communes[0].code.clone()),
            },
        )?;
        if t == 0 {
            accounts.push(demo_account(
                sql,
                "xadoan",
                "Trần Văn Minh",
                crate::domain::accounts::Role::Coordinator,
                &unit,
            )?);
        }
        let team = coordination::create_team(
            sql,
            &NewTeam {
                id: Some(demo_id("team", spec.team)),
                name: spec.team.into(),
                org_unit_id: unit.id,
                area_codes: communes.iter().map(|c| c.code.clone()).collect(),
            },
        )?;
        let mut members = Vec::new();
        for (i, name) in spec.members.iter().enumerate() {
            let id = demo_id("member", &format!("{}/{name}", spec.team));
            members.push(coordination::add_member(
                sql,
                team.id,
                Some(id),
                name,
                i == 0,
            )?);
        }
        // This team's phones: devices are dealt to the teams in turn.
        let team_devices: Vec<usize> = (0..devices_total).filter(|d| d % teams_used == t).collect();
        // Targets a little under twice what the simulated days achieve: the campaign is under way.
        let households = (per_device * team_devices.len()) as u64 * 3 / 2;
        let round = |v: u64| v.div_ceil(10).max(1) * 10;
        let sessions = 4 * team_devices.len() as u64 + 2;
        let services = round(households / 3);
        let targets = [
            (Indicator::HouseholdsVisited, round(households)),
            (
                Indicator::PeopleReached,
                round(households * 2 + sessions * 30),
            ),
            (Indicator::Sessions, sessions),
            (Indicator::ServicesSupported, services),
            (Indicator::ServicesToanTrinh, round(services / 2)),
            (Indicator::ServicesLevel4, round(services / 2)),
            (Indicator::VneidActivations, round(households / 4)),
            (Indicator::HamletsCovered, hamlets.len() as u64),
        ];
        for (indicator, value) in targets {
            coordination::set_target(
                sql,
                &NewTarget {
                    campaign_id: campaign.id,
                    team_id: team.id,
                    indicator,
                    value,
                    starts_on: None,
                    ends_on: None,
                },
            )?;
        }
        for (k, d) in team_devices.iter().enumerate() {
            let member = &members[k % members.len()];
            let code = coordination::issue_enrol_code(sql, team.id, member.id, 2, now)?;
            let model = PHONES[d % PHONES.len()];
            devices.push(DevicePlan {
                index: *d + 1,
                label: format!("{model} – {}", member.name),
                code: code.code,
                team: team.name.clone(),
                communes: communes.clone(),
                hamlets: hamlets.clone(),
                visits: per_device,
                seed: seed.wrapping_add(*d as u64 * 7919),
            });
        }
    }
    devices.sort_by_key(|d| d.index);
    Ok(Setup {
        campaign,
        devices,
        teams: teams_used,
        accounts,
    })
}

// ---------------------------------------------------------------------------------------------
// Realistic field work

const PHONES: &[&str] = &[
    "Samsung Galaxy A05",
    "OPPO A18",
    "Xiaomi Redmi 13C",
    "vivo Y17s",
    "iPhone 11",
    "Nokia C32",
];

const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 10),
    ("Phạm", 7),
    ("Huỳnh", 6),
    ("Võ", 6),
    ("Phan", 4),
    ("Trương", 3),
    ("Bùi", 3),
    ("Đặng", 3),
    ("Đỗ", 2),
    ("Ngô", 2),
    ("Hồ", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Châu", 1),
    ("Đoàn", 1),
    ("Lâm", 1),
];
const MALE_MIDDLE: &[&str] = &[
    "Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Hoàng", "Đức",
];
const FEMALE_MIDDLE: &[&str] = &[
    "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Thu", "Bích",
];
const MALE_GIVEN: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Phúc", "Bình", "Sang", "Lộc", "Tâm", "Hải", "Nam", "Thành", "Trung",
    "Hiếu", "Khang", "Tài", "Nghĩa", "Vũ", "Long", "Toàn", "Quang",
];
const FEMALE_GIVEN: &[&str] = &[
    "Lan",
    "Hoa",
    "Mai",
    "Nhung",
    "Thảo",
    "Hạnh",
    "Trang",
    "Hương",
    "Yến",
    "Loan",
    "Phượng",
    "Diễm",
    "Tuyết",
    "Hằng",
    "Ngân",
    "Liên",
    "Cúc",
    "Đào",
    "Vân",
    "Thủy",
];
const STREETS: &[&str] = &[
    "Đồng Khởi",
    "Hùng Vương",
    "Nguyễn Đình Chiểu",
    "Đoàn Hoàng Minh",
    "Trần Quốc Tuấn",
    "Nguyễn Huệ",
    "Lê Lai",
];
const PHONE_PREFIXES: &[&str] = &[
    "090", "091", "093", "094", "097", "098", "086", "032", "035", "039", "070", "077", "079",
    "083", "085",
];

const MET_NOTES: &[&str] = &[
    "Hướng dẫn cài đặt ứng dụng VNeID cho con trai chủ hộ.",
    "Bà cụ sống một mình, con cháu làm ăn ở TP. Hồ Chí Minh.",
    "Hộ bán tạp hoá, nhờ hướng dẫn thanh toán tiền điện qua ứng dụng ngân hàng.",
    "Gia đình có cháu mới sinh, hướng dẫn làm liên thông khai sinh – thường trú – thẻ BHYT.",
    "Chủ hộ đi làm ở Bình Dương, chỉ gặp vợ và mẹ già.",
    "Người dân phấn khởi, nhờ đội quay lại hỗ trợ nhà hàng xóm.",
    "Nhà ở cuối đường đal, sóng điện thoại yếu, phải ra đầu hẻm mới gửi được.",
    "Hướng dẫn lưu mật khẩu VNeID vào sổ tay cho ông bà.",
];
const NOT_HOME_NOTES: &[&str] = &[
    "Nhà đóng cửa, hàng xóm cho biết cả nhà đi làm cỏ lúa.",
    "Cả nhà đi đám giỗ bên ngoại, hẹn quay lại.",
    "Chỉ có cháu nhỏ ở nhà, hẹn buổi tối quay lại.",
];
const REFUSED_NOTES: &[&str] = &[
    "Chủ hộ bận, chưa muốn nghe hướng dẫn.",
    "Ngại cung cấp thông tin cá nhân, xin để dịp khác.",
];

/// The services volunteers help with most, with how often, and (illustrative) levels.
const SERVICES: &[(&str, u32, Option<&str>, Option<&str>)] = &[
    ("vneid_level2_activation", 26, None, None),
    ("birth_registration", 8, Some("toan_trinh"), Some("4")),
    ("birth_bundle_under6", 7, Some("toan_trinh"), Some("4")),
    ("permanent_residence", 7, Some("toan_trinh"), Some("4")),
    ("temporary_residence", 7, Some("toan_trinh"), Some("4")),
    (
        "marital_status_certificate",
        4,
        Some("toan_trinh"),
        Some("4"),
    ),
    ("judicial_record", 4, Some("mot_phan"), Some("3")),
    ("certify_copy", 3, Some("mot_phan"), Some("3")),
    ("id_card_renewal", 3, Some("mot_phan"), Some("3")),
    ("health_insurance_renewal", 10, None, None),
    ("dvcqg_account", 9, None, None),
    ("utility_bill_payment", 7, None, None),
    ("traffic_fine_payment", 3, None, None),
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// An index into `weights`, each chosen in proportion to its weight.
fn weighted_index(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut n = rng.random_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if n < *w {
            return i;
        }
        n -= w;
    }
    weights.len() - 1
}

fn weighted<T: Clone>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let weights: Vec<u32> = items.iter().map(|i| i.1).collect();
    items[weighted_index(rng, &weights)].0.clone()
}

fn person_name(rng: &mut StdRng) -> String {
    let family = weighted(rng, FAMILY);
    if rng.random_bool(0.5) {
        format!(
            "{family} {} {}",
            pick(rng, MALE_MIDDLE),
            pick(rng, MALE_GIVEN)
        )
    } else {
        format!(
            "{family} {} {}",
            pick(rng, FEMALE_MIDDLE),
            pick(rng, FEMALE_GIVEN)
        )
    }
}

fn phone_number(rng: &mut StdRng) -> String {
    format!(
        "{}{} {:03} {:03}",
        pick(rng, PHONE_PREFIXES),
        rng.random_range(0..10),
        rng.random_range(0..1000),
        rng.random_range(0..1000)
    )
}

fn address(rng: &mut StdRng, hamlet: &Place) -> String {
    if hamlet.ward {
        format!(
            "Số {}, đường {}, {}",
            rng.random_range(1..250),
            pick(rng, STREETS),
            hamlet.name.to_lowercase()
        )
    } else if rng.random_bool(0.5) {
        format!(
            "Số {}, tổ {}, {}",
            rng.random_range(1..400),
            rng.random_range(1..12),
            hamlet.name.to_lowercase()
        )
    } else {
        format!(
            "Tổ {}, {}",
            rng.random_range(1..12),
            hamlet.name.to_lowercase()
        )
    }
}

/// Visit start times over the last four days, in working hours (Vietnam time), oldest first,
/// all before `now`.
fn visit_times(rng: &mut StdRng, n: usize, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let today = crate::domain::calendar::day_of(now);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let day = today - Duration::days(rng.random_range(0..4));
        let minutes = if rng.random_bool(0.55) {
            rng.random_range(450..690)
        } else {
            rng.random_range(810..1050)
        };
        let local = day.and_time(NaiveTime::MIN) + Duration::minutes(minutes);
        let calendar = crate::domain::calendar::get();
        let utc = calendar.start_of(day) + (local - day.and_time(NaiveTime::MIN));
        // A slot not yet past today moves to the day before instead of being drawn again, so the
        // random draws — and with them everything a seed makes — are the same at any hour.
        out.push(if utc < now - Duration::minutes(20) {
            utc
        } else {
            utc - Duration::days(1)
        });
    }
    out.sort();
    out
}

fn dossier_code(rng: &mut StdRng, at: DateTime<Utc>) -> String {
    // Now and then a volunteer copies the receipt's code only in part: the dashboard flags it.
    if rng.random_ratio(1, 12) {
        return format!(
            "000.00.{:02}.H62-{}",
            rng.random_range(10..40),
            crate::domain::calendar::local_time(at).format("%y%m%d")
        );
    }
    format!(
        "000.00.{:02}.H62-{}-{:04}",
        rng.random_range(10..40),
        crate::domain::calendar::local_time(at).format("%y%m%d"),
        rng.random_range(1..9999)
    )
}

/// One service helped with at a visit, with a plausible result for its kind.
fn assist(
    rng: &mut StdRng,
    service: &Service,
    levels: (Option<&str>, Option<&str>),
    at: DateTime<Utc>,
) -> AssistDraft {
    use AssistResult as R;
    use NotFinishedReason as N;
    type Weighted<T> = &'static [(T, u32)];
    let (results, reasons): (Weighted<AssistResult>, Weighted<NotFinishedReason>) =
        match service.kind {
            ServiceKind::VneidActivation => (
                &[
                    (R::CompletedOnline, 62),
                    (R::GuidedOnly, 10),
                    (R::NotFinished, 28),
                ],
                &[
                    (N::NoChipIdCard, 5),
                    (N::NoSmartphone, 3),
                    (N::NoInternet, 2),
                    (N::PortalError, 1),
                ],
            ),
            ServiceKind::PortalAccount => (
                &[
                    (R::CompletedOnline, 70),
                    (R::GuidedOnly, 15),
                    (R::NotFinished, 15),
                ],
                &[
                    (N::NoVneidLevel2, 4),
                    (N::ForgotPassword, 3),
                    (N::PortalError, 2),
                ],
            ),
            ServiceKind::OnlinePayment => (
                &[
                    (R::CompletedOnline, 60),
                    (R::GuidedOnly, 25),
                    (R::NotFinished, 15),
                ],
                &[
                    (N::NoInternet, 2),
                    (N::NoSmartphone, 2),
                    (N::ForgotPassword, 1),
                    (N::Other, 1),
                ],
            ),
            _ => (
                &[
                    (R::Submitted, 48),
                    (R::CompletedOnline, 14),
                    (R::GuidedOnly, 22),
                    (R::NotFinished, 16),
                ],
                &[
                    (N::NoVneidLevel2, 4),
                    (N::PortalError, 3),
                    (N::NoChipIdCard, 2),
                    (N::NoInternet, 2),
                    (N::ForgotPassword, 1),
                    (N::Refused, 1),
                ],
            ),
        };
    let result = weighted(rng, results);
    AssistDraft {
        service_key: service.key.clone(),
        level_43: levels.1.map(Level43::parse),
        level_42: levels.0.map(Level42::parse),
        dossier_code: (result == R::Submitted).then(|| dossier_code(rng, at)),
        not_finished_reason: (result == R::NotFinished).then(|| weighted(rng, reasons)),
        result,
    }
}

/// A difficulty as a volunteer would write it, for a reason a service could not be finished.
fn feedback_for(reason: &NotFinishedReason, place: &str) -> (FeedbackCategory, String) {
    use FeedbackCategory as C;
    match reason {
        NotFinishedReason::NoInternet => (C::Infrastructure, format!("Sóng 4G ở {place} rất yếu, nhiều lúc không tải được trang Cổng Dịch vụ công; phải ra đầu ấp mới nộp được hồ sơ.")),
        NotFinishedReason::NoSmartphone => (C::Devices, format!("Nhiều hộ ở {place} chỉ có người cao tuổi ở nhà, dùng điện thoại bàn phím, không cài được VNeID.")),
        NotFinishedReason::NoChipIdCard => (C::Procedures, format!("Một số người dân ở {place} chưa được cấp căn cước gắn chip nên chưa kích hoạt được VNeID mức độ 2; đề nghị Công an xã tổ chức cấp lưu động.")),
        NotFinishedReason::PortalError => (C::PortalIssues, "Cổng Dịch vụ công báo lỗi khi thanh toán lệ phí vào buổi chiều; mã OTP về chậm hơn 10 phút, người dân phải nộp lại hồ sơ.".to_owned()),
        NotFinishedReason::ForgotPassword | NotFinishedReason::NoVneidLevel2 => (C::DigitalSkills, "Người dân quên mật khẩu VNeID, phải đặt lại nhiều lần; cần hướng dẫn cách ghi nhớ và bảo mật mật khẩu.".to_owned()),
        _ => (C::Other, format!("Một số hộ ở {place} chưa hợp tác, cần phối hợp với trưởng ấp vận động thêm.")),
    }
}

const GENERAL_FEEDBACK: &[(FeedbackCategory, &str)] = &[
    (FeedbackCategory::Materials, "Cần thêm tờ rơi in chữ to, có mã QR hướng dẫn cài VNeID, để phát cho người cao tuổi."),
    (FeedbackCategory::Coordination, "Lịch trực Bộ phận một cửa trùng giờ họp tổ nhân dân tự quản; đề nghị UBND xã thống nhất lịch để đội bố trí người."),
    (FeedbackCategory::Recommendation, "Đề nghị Đoàn xã hỗ trợ 2 bộ phát wifi di động cho đội hình đi từng ngõ, gõ từng nhà ở các ấp xa."),
    (FeedbackCategory::DigitalSkills, "Người lớn tuổi ngại thao tác trên điện thoại; nên mở lớp \"Bình dân học vụ số\" vào buổi tối tại nhà văn hoá ấp."),
];

struct SessionKindSpec {
    kind: SessionKind,
    place: &'static str,
    attendees: (u32, u32),
    in_hamlet: bool,
}

const SESSION_KINDS: &[SessionKindSpec] = &[
    SessionKindSpec {
        kind: SessionKind::DoorToDoorDay,
        place: "Ngày thứ Bảy tình nguyện đi từng ngõ, gõ từng nhà",
        attendees: (12, 35),
        in_hamlet: true,
    },
    SessionKindSpec {
        kind: SessionKind::CommunityMeeting,
        place: "Họp tổ nhân dân tự quản tại nhà văn hoá",
        attendees: (25, 70),
        in_hamlet: true,
    },
    SessionKindSpec {
        kind: SessionKind::OneStopShop,
        place: "Trực hướng dẫn tại Bộ phận một cửa UBND",
        attendees: (15, 45),
        in_hamlet: false,
    },
    SessionKindSpec {
        kind: SessionKind::School,
        place: "Sinh hoạt dưới cờ tại trường THCS",
        attendees: (100, 300),
        in_hamlet: false,
    },
    SessionKindSpec {
        kind: SessionKind::Online,
        place: "Livestream trên Fanpage Đoàn xã",
        attendees: (80, 250),
        in_hamlet: false,
    },
];

const MATERIALS: &[&str] = &[
    "Tờ rơi hướng dẫn cài đặt VNeID",
    "Sổ tay dịch vụ công trực tuyến",
    "Mã QR Cổng Dịch vụ công quốc gia",
    "Áp phích \"Đi từng ngõ, gõ từng nhà\"",
    "Video hướng dẫn nộp hồ sơ khai sinh trực tuyến",
];

fn device_error(label: &str, e: &gocua_core::Error) -> DemoError {
    DemoError::Device {
        device: label.to_owned(),
        vi: e.message_vi(),
        en: format!("{} ({e})", e.message_en()),
    }
}

/// A sync pass, retried a few times when the network or the server asks to (429, 503).
fn sync(
    store: &Store,
    transport: &HttpTransport,
    label: &str,
    verbose: bool,
) -> Result<SyncReport, DemoError> {
    let progress = |p: gocua_core::SyncProgress| {
        if verbose && p.total > 0 && p.sent > 0 {
            println!("  ⇅ {label}: đã gửi / sent {}/{}", p.sent, p.total);
        }
    };
    let cancel = AtomicBool::new(false);
    let mut attempt = 0;
    loop {
        attempt += 1;
        match store.sync_once(transport, 60, &progress, &cancel) {
            Ok(report) => return Ok(report),
            Err(gocua_core::Error::Transport(t)) if t.is_transient() && attempt < 6 => {
                std::thread::sleep(std::time::Duration::from_millis(400 * attempt));
            }
            Err(e) => return Err(device_error(label, &e)),
        }
    }
}

/// One phone: enrol, download reference data, work offline for a few days, then sync.
fn simulate_device(
    plan: &DevicePlan,
    url: &str,
    campaign: &Campaign,
    dir: &Path,
    verbose: bool,
) -> Result<DeviceReport, DemoError> {
    let label = format!("Điện thoại {} ({})", plan.index, plan.label);
    let store_err = |e: gocua_core::Error| device_error(&label, &e);
    let key = StoreKey::generate();
    let store = Store::open(
        dir.join(format!("phone-{}.db", plan.index)),
        &key,
        Arc::new(SystemClock),
    )
    .map_err(store_err)?;
    // Enrol as the app does: the code buys a token, kept in the encrypted store with the profile.
    let app_version = concat!("gocua-demo/", env!("CARGO_PKG_VERSION"));
    let mut attempt = 0;
    let enrolled = loop {
        attempt += 1;
        match store.enrol(url, &plan.code, &plan.label, app_version) {
            Ok(r) => break r,
            Err(gocua_core::Error::Transport(t)) if t.is_transient() && attempt < 6 => {
                std::thread::sleep(std::time::Duration::from_millis(400 * attempt))
            }
            Err(e) => return Err(store_err(e)),
        }
    };
    let transport = store.http_transport().map_err(store_err)?;
    // First sync on the commune office's wifi: the team's areas, catalogue, campaign, targets.
    sync(&store, &transport, &label, false)?;
    if verbose {
        println!("  ✓ {label}: đã đăng ký vào \"{}\" và tải danh mục / enrolled and downloaded reference data", enrolled.team_name);
    }

    // Then days in the hamlets without signal: everything waits in the encrypted queue.
    let services = store.services().map_err(store_err)?;
    let now = Utc::now();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let times = visit_times(&mut rng, plan.visits, now);
    let weights: Vec<u32> = SERVICES.iter().map(|s| s.1).collect();
    let (mut households, mut visits, mut sessions, mut feedback) = (0u32, 0u32, 0u32, 0u32);
    // Households nobody answered at, waiting for another try.
    let mut revisit: Vec<(Uuid, usize)> = Vec::new();
    let mut not_finished: Vec<(Uuid, NotFinishedReason, String)> = Vec::new();
    for at in times {
        let local_day = crate::domain::calendar::day_of(at);
        let (household_id, hamlet) = if !revisit.is_empty() && rng.random_bool(0.35) {
            let i = rng.random_range(0..revisit.len());
            let (id, h) = revisit.swap_remove(i);
            (id, h)
        } else {
            let h = rng.random_range(0..plan.hamlets.len());
            let hamlet = &plan.hamlets[h];
            let consent = rng.random_bool(0.4);
            let created = store
                .create_household(&HouseholdDraft {
                    draft_key: None,
                    commune_code: hamlet.commune_code.clone(),
                    hamlet_code: Some(hamlet.code.clone()),
                    address_line: address(&mut rng, hamlet),
                    head_name: person_name(&mut rng),
                    phone: consent.then(|| phone_number(&mut rng)),
                    members: weighted(
                        &mut rng,
                        &[(1u16, 2), (2, 4), (3, 6), (4, 8), (5, 5), (6, 3), (7, 1)],
                    ),
                    consent: consent.then_some(ConsentDraft {
                        given: true,
                        method: ConsentMethod::Verbal,
                    }),
                })
                .map_err(store_err)?;
            households += 1;
            (created.id, h)
        };
        let members = store.household(household_id).map_err(store_err)?.members;
        let outcome = weighted(
            &mut rng,
            &[
                (VisitOutcome::Met, 76),
                (VisitOutcome::NotHome, 15),
                (VisitOutcome::Refused, 5),
                (VisitOutcome::MovedAway, 2),
                (VisitOutcome::Other, 2),
            ],
        );
        let met = outcome == VisitOutcome::Met;
        let mut assists = Vec::new();
        if met {
            let n = weighted(&mut rng, &[(0usize, 30), (1, 50), (2, 20)]);
            let mut used = Vec::new();
            while assists.len() < n {
                let i = weighted_index(&mut rng, &weights);
                if used.contains(&i) {
                    continue;
                }
                used.push(i);
                let (key, _, l42, l43) = SERVICES[i];
                if let Some(service) = services.iter().find(|s| s.key == key && s.active) {
                    assists.push(assist(&mut rng, service, (l42, l43), at));
                } else {
                    break;
                }
            }
        }
        let unfinished = assists
            .iter()
            .find_map(|a: &AssistDraft| a.not_finished_reason.clone());
        let follow_up_on = match (&outcome, &unfinished) {
            (VisitOutcome::NotHome, _) => Some(local_day + Duration::days(rng.random_range(1..4))),
            (_, Some(_)) => Some(local_day + Duration::days(rng.random_range(3..8))),
            _ => None,
        };
        let note = match outcome {
            VisitOutcome::Met if rng.random_bool(0.3) => {
                Some(pick(&mut rng, MET_NOTES).to_string())
            }
            VisitOutcome::NotHome => Some(pick(&mut rng, NOT_HOME_NOTES).to_string()),
            VisitOutcome::Refused => Some(pick(&mut rng, REFUSED_NOTES).to_string()),
            VisitOutcome::MovedAway => {
                Some("Hộ đã chuyển lên TP. Hồ Chí Minh sinh sống.".to_owned())
            }
            VisitOutcome::Other => Some("Nhà có tang, xin phép quay lại dịp khác.".to_owned()),
            _ => None,
        };
        let minutes = if met {
            rng.random_range(8..35)
        } else {
            rng.random_range(1..4)
        };
        let ended_at = (at + Duration::minutes(minutes)).min(now);
        let gps = rng.random_bool(0.8).then(|| GeoPoint {
            lat: 10.24 - rng.random_range(0.0..0.12),
            lon: 106.37 + rng.random_range(0.0..0.25),
            accuracy_m: rng.random_range(4.0..40.0),
        });
        let visit = store
            .record_visit(&VisitDraft {
                draft_key: None,
                household_id,
                campaign_id: Some(campaign.id),
                started_at: Some(at),
                ended_at: Some(ended_at),
                outcome: outcome.clone(),
                people_reached: if met {
                    rng.random_range(1..=members.clamp(1, 4))
                } else {
                    0
                },
                gps,
                note,
                follow_up_on,
                assists,
                consent: None,
            })
            .map_err(store_err)?;
        visits += 1;
        if outcome == VisitOutcome::NotHome {
            revisit.push((household_id, hamlet));
        }
        if let Some(reason) = unfinished {
            not_finished.push((visit.id, reason, plan.hamlets[hamlet].name.clone()));
        }
    }

    // Outreach sessions of these days.
    let today = crate::domain::calendar::day_of(now);
    let n_sessions = rng.random_range(2..=4);
    let mut session_ids = Vec::new();
    for _ in 0..n_sessions {
        let spec = &SESSION_KINDS[weighted_index(&mut rng, &[4, 4, 3, 1, 1])];
        let (area, where_) = if spec.in_hamlet {
            let h = pick(&mut rng, &plan.hamlets);
            (h.code.clone(), h.name.clone())
        } else {
            let c = pick(&mut rng, &plan.communes);
            (c.code.clone(), c.name.clone())
        };
        let materials: Vec<String> = MATERIALS
            .iter()
            .filter(|_| rng.random_bool(0.4))
            .map(|m| (*m).to_owned())
            .collect();
        let s = store
            .record_session(&SessionDraft {
                draft_key: None,
                campaign_id: Some(campaign.id),
                kind: spec.kind.clone(),
                area_code: area,
                place: format!("{} – {where_}", spec.place),
                held_on: today - Duration::days(rng.random_range(0..4)),
                attendees: rng.random_range(spec.attendees.0..=spec.attendees.1),
                materials,
                note: None,
            })
            .map_err(store_err)?;
        session_ids.push(s.id);
        sessions += 1;
    }

    // Difficulties met, truthfully: from visits that could not finish, and general ones.
    for (visit_id, reason, place) in not_finished.iter().take(2) {
        let (category, text) = feedback_for(reason, place);
        store
            .record_feedback(&FeedbackDraft {
                draft_key: None,
                source: FeedbackSource::Visit(*visit_id),
                category,
                text,
                area_code: None,
            })
            .map_err(store_err)?;
        feedback += 1;
    }
    let (category, text) = pick(&mut rng, GENERAL_FEEDBACK).clone();
    store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: session_ids
                .first()
                .map_or(FeedbackSource::General, |s| FeedbackSource::Session(*s)),
            category,
            text: text.to_owned(),
            area_code: Some(pick(&mut rng, &plan.communes).code.clone()),
        })
        .map_err(store_err)?;
    feedback += 1;

    let waiting = store.queue_status().map_err(store_err)?.pending;
    if verbose {
        println!(
            "  ✎ {label}: ghi ngoại tuyến {households} hộ, {visits} lượt đến hộ, {sessions} buổi tuyên truyền, {feedback} phản ánh; {waiting} bản ghi chờ gửi / recorded offline, {waiting} queued"
        );
    }

    // Back on wifi.
    let report = sync(&store, &transport, &label, verbose)?;
    let queue = store.queue_status().map_err(store_err)?;
    if verbose {
        println!(
            "  ✓ {label}: máy chủ nhận {} / accepted {}, từ chối / rejected {}, còn chờ / pending {}",
            report.accepted, report.accepted, report.rejected, queue.pending
        );
        for e in store.rejected_entries().map_err(store_err)? {
            if let Some(r) = e.reason {
                println!(
                    "    ✗ {} {}: {} / {}",
                    e.kind, e.record_id, r.message_vi, r.message_en
                );
            }
        }
    }
    Ok(DeviceReport {
        label: plan.label.clone(),
        device_id: store.device_id(),
        team: plan.team.clone(),
        volunteer: enrolled.volunteer_name,
        households,
        visits,
        sessions,
        feedback,
        sync: report,
        queue,
    })
}

fn date_vi(d: NaiveDate) -> String {
    crate::domain::format::date(d)
}

/// Runs the demo up to the progress table; the returned server keeps serving.
pub async fn run_demo(opts: DemoOptions) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    let verbose = opts.verbose;
    let ReferenceData {
        dir: data_dir,
        areas_csv,
        services_csv,
    } = reference_data(opts.data_dir.as_deref())?;
    let seed = opts.seed.unwrap_or_else(|| rand::rng().random());
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::AddrInUse {
                DemoError::PortBusy(opts.listen)
            } else {
                DemoError::Listen {
                    addr: opts.listen,
                    source,
                }
            }
        })?;
    let addr = listener.local_addr().map_err(|source| DemoError::Listen {
        addr: opts.listen,
        source,
    })?;
    let url = format!("http://{addr}");

    let (db_target, db_dir) = match &opts.db {
        Some(db) => (db.clone(), None),
        None => {
            let dir = tempfile::Builder::new()
                .prefix("gocua-demo-")
                .tempdir()
                .map_err(|e| {
                    DemoError::Other(format!("cannot create a temporary directory: {e}"))
                })?;
            (
                dir.path().join("gocua-demo.db").display().to_string(),
                Some(dir),
            )
        }
    };
    if verbose {
        println!("Gõ Cửa – chạy thử / demo");
        if db_dir.is_some() {
            println!("  Cơ sở dữ liệu tạm, xoá khi dừng; dùng --db TỆP để giữ lại / temporary database, deleted on exit; pass --db FILE to keep it: {db_target}");
        } else {
            println!("  Cơ sở dữ liệu / database: {db_target}");
        }
        match &data_dir {
            Some(dir) => println!("  Danh mục địa bàn và dịch vụ / area list and catalogue: {}", dir.display()),
            None => println!("  Danh mục địa bàn và dịch vụ / area list and catalogue: {AREAS_FILE}, {SERVICES_FILE} (có sẵn trong gocua / built in)"),
        }
        println!("  Hạt giống / seed: {seed} (chạy lại với --seed {seed} để có cùng dữ liệu / run again with --seed {seed} for the same data)");
    }
    let setup_opts = opts.clone();
    let target = db_target.clone();
    let (db, setup) = tokio::task::spawn_blocking(move || -> Result<(Db, Setup), DemoError> {
        let db = Db::open(&target)?;
        let setup = db.tx(|sql| setup(sql, &areas_csv, &services_csv, &setup_opts, seed))?;
        Ok((db, setup))
    })
    .await
    .map_err(|e| DemoError::Other(e.to_string()))??;
    let campaign = setup.campaign.clone();
    if verbose {
        let peak = campaign.peak_windows.first();
        println!(
            "  Kế hoạch / campaign: \"{}\" ({}), {} – {}{}, hạn báo cáo / report due {}",
            campaign.name,
            campaign.legal_reference,
            date_vi(campaign.starts_on),
            date_vi(campaign.ends_on),
            peak.map_or(String::new(), |p| format!(
                ", cao điểm / peak \"{}\" {} – {}",
                p.name,
                date_vi(p.starts_on),
                date_vi(p.ends_on)
            )),
            date_vi(campaign.report_deadline)
        );
        println!(
            "  Tỉnh Đoàn Vĩnh Long, {} đội, {} điện thoại, chỉ tiêu cho mọi chỉ số / {} teams, {} phones, targets for every indicator",
            setup.teams,
            setup.devices.len(),
            setup.teams,
            setup.devices.len()
        );
    }

    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let task = tokio::spawn(crate::serve_on(db.clone(), listener, async move {
        let _ = shutdown_rx.await;
    }));
    let server = RunningServer {
        shutdown: Some(shutdown_tx),
        task,
    };
    if verbose {
        println!("  Máy chủ đang chạy tại / server running at {url}/");
        println!("Điện thoại / phones:");
    }

    // The phones, one thread each, like real phones in the field.
    let plans = setup.devices.clone();
    let device_url = url.clone();
    let device_campaign = campaign.clone();
    let devices = tokio::task::spawn_blocking(move || -> Result<Vec<DeviceReport>, DemoError> {
        let dir = tempfile::Builder::new()
            .prefix("gocua-demo-phones-")
            .tempdir()
            .map_err(|e| DemoError::Other(format!("cannot create a temporary directory: {e}")))?;
        std::thread::scope(|scope| {
            let handles: Vec<_> = plans
                .iter()
                .map(|plan| {
                    let (url, campaign, dir) = (&device_url, &device_campaign, dir.path());
                    scope.spawn(move || simulate_device(plan, url, campaign, dir, verbose))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(DemoError::Other("a simulated phone panicked".into()))
                    })
                })
                .collect()
        })
    })
    .await
    .map_err(|e| DemoError::Other(e.to_string()))?;
    let devices = match devices {
        Ok(d) => d,
        Err(e) => {
            let _ = server.stop().await;
            return Err(e);
        }
    };

    let campaign_id = campaign.id;
    let (progress, counts) = db
        .run(move |sql| -> Result<_, AdminError> {
            Ok((
                crate::domain::progress::campaign_progress(sql, campaign_id)?,
                coordination::server_counts(sql)?,
            ))
        })
        .await?;
    let table = crate::cli::print::progress_table(&progress);
    if verbose {
        println!();
        println!("Tiến độ theo đội và xã, phường, đếm trên máy chủ / progress by team and commune, counted on the server:");
        println!("{table}");
        println!(
            "Máy chủ đã nhận / the server holds: {} hộ / households, {} lượt đến hộ / visits, {} lượt hỗ trợ dịch vụ / assists, {} buổi tuyên truyền / sessions, {} phản ánh / feedback, {} thiết bị / devices.",
            counts.households, counts.visits, counts.assists, counts.sessions, counts.feedback, counts.devices
        );
        println!("Trang quản lý cho cán bộ Đoàn / coordinators' dashboard: {url}/ — API tại / at {url}/v1/ (ví dụ / e.g. {url}/v1/health)");
        for a in &setup.accounts {
            println!(
                "  Đăng nhập / sign in: {} / {}  ({}, {})",
                a.username,
                a.password,
                a.role.label(crate::web::i18n::Lang::Vi),
                a.unit_name
            );
        }
        println!(
            "Quản trị / admin: gocua admin devices --db {db_target}   (chạy thử mất / demo took {:.1} s)",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(DemoSummary {
        addr,
        url: format!("{url}/"),
        db: db_target,
        data_dir,
        seed,
        campaign,
        devices,
        progress,
        table,
        counts,
        elapsed: started.elapsed(),
        server,
        db_dir,
        accounts: setup.accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_contains_today_all_year() {
        let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while day.year() == 2026 {
            let (from, to, deadline, peak) = campaign_dates(day);
            assert!(from <= day - Duration::days(4) && day <= to, "{day}");
            assert!(peak.starts_on >= from && peak.ends_on <= to, "{day}");
            assert!(deadline >= from, "{day}");
            if day.month() <= 3 {
                assert_eq!(deadline, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
            }
            day += Duration::days(1);
        }
    }

    #[test]
    fn visit_times_are_past_working_hours() {
        let mut rng = StdRng::seed_from_u64(7);
        let now = Utc::now();
        let times = visit_times(&mut rng, 200, now);
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        for t in times {
            assert!(t < now && t > now - Duration::days(5));
            let local = crate::domain::calendar::local_time(t).time();
            assert!(
                local >= NaiveTime::from_hms_opt(7, 30, 0).unwrap()
                    && local < NaiveTime::from_hms_opt(17, 30, 0).unwrap()
            );
        }
    }

    #[test]
    fn a_seed_draws_the_same_at_any_hour() {
        // Just after midnight nothing of today has happened yet; in the evening all of it has.
        let midnight =
            crate::domain::calendar::get().start_of(crate::domain::calendar::day_of(Utc::now()));
        let times_at = |now: DateTime<Utc>| {
            let mut rng = StdRng::seed_from_u64(2094);
            let times = visit_times(&mut rng, 120, now);
            (times, rng.random::<u64>())
        };
        let (early, next_early) = times_at(midnight + Duration::minutes(5));
        let (late, next_late) = times_at(midnight + Duration::hours(23));
        assert_eq!(next_early, next_late, "the same draws whatever the hour");
        assert_eq!(early.len(), late.len());
        assert!(early.iter().all(|t| *t < midnight));
    }

    #[test]
    fn names_and_phones_look_real() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..50 {
            let name = person_name(&mut rng);
            assert_eq!(name.split(' ').count(), 3, "{name}");
            let phone = phone_number(&mut rng);
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.len() == 10 && digits.starts_with('0'), "{phone}");
        }
    }
}
