//! The core's error type. Every variant has a stable machine code and a message a volunteer can
//! understand, in Vietnamese and English; no personal data goes into messages.

use gocua_protocol::{ErrorBody, ValidationErrors};
use uuid::Uuid;

use crate::transport::TransportError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid record: {0}")]
    Validation(#[from] ValidationErrors),
    #[error("wrong key, or the file is not a Gõ Cửa store")]
    WrongKey,
    #[error("the phone's storage is full")]
    StorageFull,
    #[error(
        "the store was written by a newer version (schema {found}, this version knows {supported})"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("{kind} {id} does not exist")]
    NotFound { kind: &'static str, id: Uuid },
    #[error("this device is not enrolled in a team yet")]
    NotEnrolled,
    #[error("this device is already enrolled in a team")]
    AlreadyEnrolled,
    #[error("{count} records are not on the server yet")]
    UnsentRecords { count: u32 },
    #[error("visit {id} was already corrected by {by}; correct the newest revision")]
    AlreadyCorrected { id: Uuid, by: Uuid },
    #[error("household {0} had its personal data erased")]
    Erased(Uuid),
    #[error("record {0} is already on the server; it cannot be changed")]
    AlreadyOnServer(Uuid),
    #[error("invalid key: {0}")]
    InvalidKey(&'static str),
    #[error("a sync is already running")]
    SyncInProgress,
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Storage(rusqlite::Error),
    #[error("file error: {0}")]
    File(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::StorageFull,
            Some(ErrorCode::NotADatabase) => Error::WrongKey,
            _ => Error::Storage(e),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Corrupt(e.to_string())
    }
}

impl Error {
    /// Stable machine code, for the apps and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::WrongKey => "wrong_key",
            Error::StorageFull => "storage_full",
            Error::NewerSchema { .. } => "newer_schema",
            Error::NotFound { .. } => "not_found",
            Error::NotEnrolled => "not_enrolled",
            Error::AlreadyEnrolled => "already_enrolled",
            Error::UnsentRecords { .. } => "unsent_records",
            Error::AlreadyCorrected { .. } => "already_corrected",
            Error::Erased(_) => "erased",
            Error::AlreadyOnServer(_) => "already_on_server",
            Error::InvalidKey(_) => "invalid_key",
            Error::SyncInProgress => "sync_in_progress",
            Error::Cancelled => "cancelled",
            Error::Transport(t) => t.code(),
            Error::Corrupt(_) => "corrupt",
            Error::Storage(_) => "storage",
            Error::File(_) => "file",
        }
    }

    /// What to tell the volunteer, in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Error::Validation(v) => v.first().message_vi.clone(),
            Error::WrongKey => "Không mở được dữ liệu: khoá giải mã không đúng hoặc tệp không phải dữ liệu Gõ Cửa.".into(),
            Error::StorageFull => "Bộ nhớ điện thoại đã đầy. Dữ liệu đã lưu vẫn còn nguyên; hãy xoá bớt ảnh hoặc ứng dụng rồi thử lại.".into(),
            Error::NewerSchema { .. } => "Dữ liệu được tạo bởi phiên bản Gõ Cửa mới hơn. Hãy cập nhật ứng dụng.".into(),
            Error::NotFound { .. } => "Không tìm thấy bản ghi này trên điện thoại.".into(),
            Error::NotEnrolled => "Điện thoại chưa được đăng ký vào đội. Hãy nhập mã đăng ký do cán bộ Đoàn cấp.".into(),
            Error::AlreadyEnrolled => "Điện thoại đã được đăng ký vào một đội. Muốn đăng ký lại, hãy rời đội trước (trong Cài đặt).".into(),
            Error::UnsentRecords { count } => format!("Còn {count} bản ghi chưa gửi lên máy chủ. Hãy đồng bộ trước, hoặc xuất các bản ghi chưa gửi để bàn giao cho cán bộ Đoàn, rồi mới rời đội."),
            Error::AlreadyCorrected { .. } => "Lượt đến hộ này đã được sửa; hãy sửa bản mới nhất.".into(),
            Error::Erased(_) => "Thông tin cá nhân của hộ này đã bị xoá theo yêu cầu; không thể sửa.".into(),
            Error::AlreadyOnServer(_) => "Máy chủ đã nhận bản ghi này; không thể sửa trên điện thoại nữa.".into(),
            Error::InvalidKey(_) => "Khoá mã hoá không hợp lệ (cần đúng 32 byte).".into(),
            Error::SyncInProgress => "Đang đồng bộ; vui lòng chờ.".into(),
            Error::Cancelled => "Đã huỷ.".into(),
            Error::Transport(t) => t.message_vi(),
            Error::Corrupt(_) | Error::Storage(_) => "Lỗi lưu trữ trên điện thoại. Dữ liệu đã lưu không bị mất; hãy thử lại.".into(),
            Error::File(_) => "Không đọc hoặc xoá được tệp dữ liệu trên điện thoại; hãy thử lại.".into(),
        }
    }

    /// What to tell the volunteer, in English.
    pub fn message_en(&self) -> String {
        match self {
            Error::Validation(v) => v.first().message_en.clone(),
            Error::WrongKey => {
                "Cannot open the data: the key is wrong or the file is not a Gõ Cửa store.".into()
            }
            Error::StorageFull => {
                "The phone's storage is full. Saved data is safe; free some space and try again."
                    .into()
            }
            Error::NewerSchema { .. } => {
                "The data was written by a newer Gõ Cửa. Please update the app.".into()
            }
            Error::NotFound { .. } => "This record is not on the phone.".into(),
            Error::NotEnrolled => {
                "This phone is not enrolled in a team yet. Enter the code from your coordinator."
                    .into()
            }
            Error::AlreadyEnrolled => {
                "This phone is already enrolled in a team. To enrol again, leave the team first (in Settings)."
                    .into()
            }
            Error::UnsentRecords { count } => format!(
                "{count} records are not on the server yet. Sync first, or export the unsent records to hand them to your coordinator, before leaving the team."
            ),
            Error::AlreadyCorrected { .. } => {
                "This visit was already corrected; correct the newest revision.".into()
            }
            Error::Erased(_) => {
                "This household's personal data was erased on request; it cannot be edited.".into()
            }
            Error::AlreadyOnServer(_) => {
                "The server already has this record; it can no longer be changed on the phone."
                    .into()
            }
            Error::InvalidKey(_) => {
                "The encryption key is not valid (it must be exactly 32 bytes).".into()
            }
            Error::SyncInProgress => "A sync is running; please wait.".into(),
            Error::Cancelled => "Cancelled.".into(),
            Error::Transport(t) => t.message_en(),
            Error::Corrupt(_) | Error::Storage(_) => {
                "Storage error on the phone. Saved data is not lost; try again.".into()
            }
            Error::File(_) => "Cannot read or delete the data file on the phone; try again.".into(),
        }
    }

    /// The same, as the wire's error body (used when the server or apps need one shape).
    pub fn to_body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code().to_owned(),
            message_vi: self.message_vi(),
            message_en: self.message_en(),
            field: match self {
                Error::Validation(v) => Some(v.first().field.clone()),
                _ => None,
            },
        }
    }
}
