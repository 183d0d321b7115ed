//! Enrolment, push and pull.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use gocua_protocol::*;
use uuid::Uuid;

use super::body::{json_response, read_json, read_message, BodyLimit, JsonBody};
use super::error::ApiError;
use super::state::ApiState;
use crate::db::Sql;
use crate::domain::auth;
use crate::domain::enrol::{self, EnrolError, EnrolRefusal};
use crate::domain::ingest::{DeviceContext, Incoming, Ingest};
use crate::domain::progress::team_achievements;
use crate::domain::ratelimit::client_key;
use crate::domain::refdata;
use crate::params;

pub use gocua_protocol::body::MAX_CHANGES_PER_PUSH;

/// A push's verdicts, left on its answer (a response extension) for the metrics of the layer
/// above (`app/metrics.rs`); nothing of it is sent.
#[derive(Debug, Clone)]
pub struct PushVerdicts(pub Vec<Verdict>);

/// One record's verdict: its kind, the status and the machine code of a rejection or conflict.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub kind: RecordKind,
    pub status: RecordStatus,
    pub code: Option<String>,
}

pub async fn health(State(state): State<Arc<ApiState>>) -> Response {
    Json(serde_json::json!({ "status": "ok", "backend": state.db.backend_name(), "protocol_version": PROTOCOL_VERSION })).into_response()
}

/// The client's address as the edge (app/edge.rs) worked it out: the `X-Forwarded-For`
/// address when the TCP peer is a trusted proxy, else the TCP peer itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoteAddr(pub IpAddr);

/// The address per-address limits count a request against: the edge's [`RemoteAddr`] (the
/// TCP peer when the edge did not run), as a rate-limit key.
pub struct ClientAddr(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        let remote = parts
            .extensions
            .get::<RemoteAddr>()
            .map(|r| r.0)
            .or_else(|| {
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip())
            });
        Ok(ClientAddr(remote.map(client_key)))
    }
}

/// Finds the device behind the bearer token; revocation takes effect on the next request. A
/// client address that keeps sending no token or unknown ones is told to wait (429) before any
/// database work, whatever it sends next; other addresses are not affected.
async fn authenticate(
    state: &ApiState,
    client: &ClientAddr,
    headers: &HeaderMap,
) -> Result<DeviceContext, ApiError> {
    if let ClientAddr(Some(ip)) = *client {
        state
            .failed_auth_limiter
            .peek(ip)
            .map_err(ApiError::rate_limited)?;
    }
    let found = match bearer(headers) {
        Some(token) => find_device(state, token).await?,
        None => None,
    };
    found.ok_or_else(|| {
        if let ClientAddr(Some(ip)) = *client {
            let _ = state.failed_auth_limiter.check(ip);
        }
        ApiError::unauthorized()
    })
}

/// The device whose token this is, if any; an error for a revoked one.
async fn find_device(state: &ApiState, token: String) -> Result<Option<DeviceContext>, ApiError> {
    let token_hash = auth::sha256_hex(token.as_bytes());
    // Limit before any database work, keyed by the token (a flood with a bad token is limited too).
    let bucket = Uuid::parse_str(&token_hash[..32]).unwrap_or_else(|_| Uuid::nil());
    state
        .device_limiter
        .check(bucket)
        .map_err(ApiError::rate_limited)?;
    state
        .db
        .run(move |sql: &mut dyn Sql| {
            let row = sql.query_one(
                "SELECT id, team_id, member_id, revoked_at FROM devices WHERE token_hash = ?",
                params![token_hash],
            )?;
            let Some(row) = row else {
                return Ok(None);
            };
            if row.opt_int(3).is_some() {
                return Err(ApiError::revoked());
            }
            let device = DeviceContext {
                device_id: row.uuid(0)?,
                team_id: row.uuid(1)?,
                member_id: row.uuid(2)?,
            };
            sql.exec(
                "UPDATE devices SET last_seen_at = ? WHERE id = ?",
                params![Utc::now(), device.device_id],
            )?;
            Ok(Some(device))
        })
        .await
}

/// A sync request of an enrolled phone: the phone authenticated first, then its body read
/// (current protocol) under the route's limit.
pub struct DeviceRequest {
    device: DeviceContext,
    json: JsonBody,
}

impl FromRequest<Arc<ApiState>> for DeviceRequest {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &Arc<ApiState>) -> Result<Self, ApiError> {
        let (mut parts, body) = request.into_parts();
        let Ok(client) = ClientAddr::from_request_parts(&mut parts, state).await;
        let Ok(limit) = BodyLimit::from_request_parts(&mut parts, state).await;
        let device = authenticate(state, &client, &parts.headers).await?;
        let json = read_json(&parts.headers, limit, body).await?;
        Ok(DeviceRequest { device, json })
    }
}

/// The request must name the phone's own device id.
fn own_device(device: &DeviceContext, named: Uuid) -> Result<(), ApiError> {
    if named == device.device_id {
        Ok(())
    } else {
        Err(device_mismatch())
    }
}

fn device_mismatch() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "device_mismatch",
        "Mã thiết bị trong dữ liệu không khớp với thiết bị đã đăng ký.",
        "The device id in the request does not match the enrolled device.",
    )
    .with_field("device_id")
}

fn enrol_refused(refusal: EnrolRefusal) -> ApiError {
    match refusal {
        EnrolRefusal::CodeInvalid => ApiError::new(
            StatusCode::BAD_REQUEST,
            "enrol_code_invalid",
            "Mã đăng ký không đúng. Hãy kiểm tra lại từng ký tự.",
            "The enrolment code is not valid. Check each character.",
        )
        .with_field("code"),
        EnrolRefusal::CodeExpired => ApiError::new(
            StatusCode::GONE,
            "enrol_code_expired",
            "Mã đăng ký đã hết hạn. Hãy xin cán bộ Đoàn mã mới.",
            "The enrolment code has expired. Ask your coordinator for a new one.",
        )
        .with_field("code"),
        EnrolRefusal::CodeUsed => ApiError::new(
            StatusCode::CONFLICT,
            "enrol_code_used",
            "Mã đăng ký này đã được dùng cho một thiết bị khác. Mỗi mã chỉ dùng một lần.",
            "This enrolment code was already used by another device. Each code works once.",
        )
        .with_field("code"),
        EnrolRefusal::DeviceRevoked => ApiError::revoked(),
        EnrolRefusal::DeviceTaken => ApiError::new(
            StatusCode::CONFLICT,
            "device_taken",
            "Mã thiết bị này đã được đăng ký cho một điện thoại đang dùng. Muốn đăng ký lại, điện thoại phải gửi kèm mã truy cập hiện tại của nó; nếu không, hãy liên hệ cán bộ Đoàn.",
            "This device id is already enrolled on a phone in use. Enrolling it again needs that phone's current access token; otherwise contact your coordinator.",
        )
        .with_field("device_id"),
    }
}

impl From<EnrolError> for ApiError {
    fn from(e: EnrolError) -> Self {
        match e {
            EnrolError::Refused(r) => enrol_refused(r),
            EnrolError::Db(e) => e.into(),
        }
    }
}

/// The bearer token of a request, if it has one.
fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Enrols a phone (rules in `domain/enrol.rs`). A device id the server already knows needs its
/// current token as `Authorization: Bearer …`, unless the request retries the enrolment that
/// bound it; every refusal rolls the transaction back.
pub async fn enrol(
    State(state): State<Arc<ApiState>>,
    headers: HeaderMap,
    limit: BodyLimit,
    body: Body,
) -> Result<Response, ApiError> {
    state
        .enrol_limiter
        .check(Uuid::nil())
        .map_err(ApiError::rate_limited)?;
    let request: EnrolRequest = read_message(&headers, limit, body).await?;
    let presented = bearer(&headers);
    let now = Utc::now();
    let response = state
        .db
        .run(move |sql: &mut dyn Sql| {
            enrol::enrol(sql, &request, presented.as_deref(), now).map_err(ApiError::from)
        })
        .await?;
    Ok(json_response(&headers, &response))
}

/// A push's checked body as the device id it names and its changes (the protocol's decoding).
pub fn decode_push(json: &JsonBody) -> Result<(Uuid, Vec<Incoming>), ApiError> {
    Ok(gocua_protocol::body::decode_push(json)?)
}

pub async fn push(
    State(state): State<Arc<ApiState>>,
    headers: HeaderMap,
    DeviceRequest { device, json }: DeviceRequest,
) -> Result<Response, ApiError> {
    let (device_id, incoming) = decode_push(&json)?;
    own_device(&device, device_id)?;
    drop(json);
    let st = state.clone();
    // Retried inside the server if PostgreSQL cancels it (deadlock, serialization): the push is
    // idempotent, and the phone must not see a 503 for it. `apply` keeps the team's rollup.
    let (results, generation) = state
        .db
        .run_retrying(move |sql: &mut dyn Sql| {
            let data = st.validation.get(sql)?;
            let ingest = Ingest {
                data: &data,
                device,
                now: Utc::now(),
            };
            let results = ingest.apply(sql, incoming.clone())?;
            let generation = crate::domain::generation::current(sql)?;
            Ok::<_, ApiError>((results, generation))
        })
        .await?;
    let verdicts = PushVerdicts(
        results
            .iter()
            .map(|r| Verdict {
                kind: r.kind.clone(),
                status: r.status.clone(),
                code: r.code.clone(),
            })
            .collect(),
    );
    let now = Utc::now();
    let response = PushResponse {
        generation: Some(generation),
        results,
        server_time: now,
        server_hlc: Hlc::of_clock(now.timestamp_millis()),
    };
    let mut answer = json_response(&headers, &response);
    answer.extensions_mut().insert(verdicts);
    Ok(answer)
}

/// The pull cursor: `r<reference>`, with `a<assignments>` once walk lists have changed (so
/// cursors of servers without walk lists stay valid).
fn pull_cursor(reference_seq: i64, assignments_seq: i64) -> String {
    if assignments_seq == 0 {
        format!("r{reference_seq}")
    } else {
        format!("r{reference_seq}a{assignments_seq}")
    }
}

pub async fn pull(
    State(state): State<Arc<ApiState>>,
    headers: HeaderMap,
    DeviceRequest { device, json }: DeviceRequest,
) -> Result<Response, ApiError> {
    let request: PullRequest = json.parse()?;
    own_device(&device, request.device_id)?;
    let st = state.clone();
    let response = state
        .db
        .run(move |sql: &mut dyn Sql| {
            let now = Utc::now();
            let data = st.validation.get(sql)?;
            let seq = data.seq;
            // The cursor names both counters; walk lists move their own (refdata.rs).
            let walk_seq = refdata::assignments_seq(sql)?;
            let current = pull_cursor(seq, walk_seq);
            let since = request.cursor.as_deref();
            // A member moved to another team: the phone follows now, after sending its queue.
            let (team_id, moved) = refdata::follow_member(sql, device.device_id, device.team_id)?;
            let full = moved || since != Some(current.as_str());
            let mut reference = refdata::team_snapshot(sql, team_id)?;
            reference.achievements = team_achievements(
                sql,
                team_id,
                &reference.targets,
                &data.services,
                &data.tree,
                now,
            )?;
            if !full {
                // Nothing changed since the device's cursor: only the fresh counts travel.
                reference = ReferenceData {
                    achievements: reference.achievements,
                    time_zone: reference.time_zone,
                    ..Default::default()
                };
            }
            Ok::<_, ApiError>(PullResponse {
                reference,
                cursor: current,
                full,
                server_time: now,
                generation: Some(crate::domain::generation::current(sql)?),
            })
        })
        .await?;
    Ok(json_response(&headers, &response))
}
