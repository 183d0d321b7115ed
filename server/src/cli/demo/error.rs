//! Why the demo could not run, in Vietnamese and in English: a busy port, missing reference
//! data, a refusal of the coordinators' tools, or a simulated phone that could not finish.

use std::net::SocketAddr;
use std::path::PathBuf;

use gocua_sim::PhoneError;

use super::data::{AREAS_FILE, SERVICES_FILE};
use crate::db::DbError;
use crate::domain::coordination::AdminError;

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

impl From<PhoneError> for DemoError {
    fn from(e: PhoneError) -> Self {
        match e {
            PhoneError::Device { device, vi, en } => DemoError::Device { device, vi, en },
            PhoneError::Other(m) => DemoError::Other(m),
        }
    }
}
