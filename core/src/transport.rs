//! The seam between the sync engine and the network. The real implementation (HTTP) comes with
//! the server; tests inject transports that fail in chosen ways.

use std::time::Duration;

use gocua_protocol::{ErrorBody, PullRequest, PullResponse, PushRequest, PushResponse};

/// Why a request did not get a usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection, a cut connection, a timeout: try again later.
    #[error("network error: {0}")]
    Network(String),
    /// The server failed (5xx) or asked to slow down (429): try again later.
    #[error("server unavailable (HTTP {status})")]
    Unavailable {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The server refused the whole request (4xx), e.g. a revoked device: retrying will not help.
    #[error("server refused the request (HTTP {status}): {}", body.code)]
    Refused { status: u16, body: ErrorBody },
}

impl TransportError {
    /// True when trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        !matches!(self, TransportError::Refused { .. })
    }

    pub fn code(&self) -> &'static str {
        match self {
            TransportError::Network(_) => "network",
            TransportError::Unavailable { .. } => "server_unavailable",
            TransportError::Refused { .. } => "server_refused",
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            TransportError::Network(_) => "Không kết nối được máy chủ. Dữ liệu vẫn nằm an toàn trong hàng chờ; sẽ gửi lại khi có mạng.".into(),
            TransportError::Unavailable { .. } => "Máy chủ đang bận. Dữ liệu vẫn nằm an toàn trong hàng chờ; sẽ thử lại sau.".into(),
            TransportError::Refused { body, .. } => body.message_vi.clone(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            TransportError::Network(_) => "Cannot reach the server. Your data is safe in the queue and will be sent when there is a connection.".into(),
            TransportError::Unavailable { .. } => "The server is busy. Your data is safe in the queue; it will try again later.".into(),
            TransportError::Refused { body, .. } => body.message_en.clone(),
        }
    }
}

/// Carries pushes and pulls to a server. Blocking; called from the sync engine's thread.
pub trait Transport: Send + Sync {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError>;
}
