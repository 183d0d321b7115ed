//! Joining a team: the one-time code from the coordinator buys a device token, kept (like all
//! data) inside the encrypted store together with the server address and the profile.
//!
//! Leaving it: [`Store::unenrol`] empties the store (profile, the team's reference data, every
//! record) so the phone can enrol again, but never while records wait to be sent, unless the
//! volunteer exported them first ([`Store::export_unsent`]) and nothing was added since.
//! When the platform lost the store's key, [`discard_unreadable_store`] deletes the file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use gocua_protocol::enrol_link::{EnrolLink, EnrolLinkError};
use gocua_protocol::{
    Change, EnrolRequest, EnrolResponse, RecordKind, ValidationCode, ValidationError,
    ValidationErrors, PROTOCOL_VERSION,
};
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::http::HttpTransport;
use crate::millis::from_millis;
use crate::outbox::RejectReason;
use crate::store::{get_meta, set_meta, DeviceProfile, Store};

/// The queue states of records not (yet) on the server: waiting, being sent, or refused.
const UNSENT_STATES: &str = "('pending', 'in_flight', 'rejected')";
/// Meta key: the outbox position the last export of unsent records covered.
const EXPORT_POSITION: &str = "unsent_export_position";
/// Meta keys kept by `unenrol`: the installation's identity, its hybrid clock (later stamps
/// must still sort after earlier ones), and the proof of its id (below).
const KEPT_META: &str = "('device_id', 'hlc', 'left_server_url', 'left_device_token')";
/// Meta keys: the server and token of the team this store left. The server binds a device id to
/// its enrolment and enrols a known id again only with that id's current token, so `unenrol`
/// keeps the token aside (no transport is ever built from it) and the next `enrol` with the same
/// server sends it; any successful enrolment forgets it.
const LEFT_SERVER_URL: &str = "left_server_url";
const LEFT_DEVICE_TOKEN: &str = "left_device_token";

/// What `export_unsent` writes: the records as a push would carry them, with their queue state.
#[derive(Serialize)]
struct UnsentExport<'a> {
    format: &'static str,
    version: u32,
    exported_at: DateTime<Utc>,
    device_id: Uuid,
    server_url: Option<String>,
    team_name: Option<String>,
    profile: Option<&'a DeviceProfile>,
    /// Households first, then the rest oldest first — the order a push sends them in.
    changes: Vec<Change>,
    queue: Vec<ExportedEntry>,
}

#[derive(Serialize)]
struct ExportedEntry {
    kind: RecordKind,
    record_id: Uuid,
    state: String,
    attempts: u32,
    queued_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<RejectReason>,
}

/// The outbox's position: every local change adds exactly 1 (a new entry starts its change
/// counter at 1, a change to a queued record adds 1 to it) and entries are never removed, so the
/// sum only grows, and grows exactly when something is queued.
fn outbox_position(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(change_counter), 0) FROM outbox",
        [],
        |r| r.get(0),
    )?)
}

fn unsent_count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM outbox WHERE state IN {UNSENT_STATES}"),
        [],
        |r| r.get(0),
    )?)
}

fn enrol_link_problem(e: EnrolLinkError) -> Error {
    let code = match e {
        EnrolLinkError::ServerNotHttp | EnrolLinkError::InsecureServer => {
            ValidationCode::InvalidFormat
        }
        _ => ValidationCode::Required,
    };
    Error::Validation(ValidationErrors(vec![ValidationError {
        field: e.field().unwrap_or("code").to_owned(),
        code,
        message_vi: e.message_vi().to_owned(),
        message_en: e.message_en().to_owned(),
    }]))
}

impl Store {
    /// Enrols this device with `server_url` using the coordinator's `code`, then stores the token,
    /// the server address and the profile. The first sync downloads the team's reference data.
    /// Both are tidied and checked first (a missing code, an address that is not `http(s)://`,
    /// a plain `http://` address of another machine are validation problems on `code` /
    /// `server_url`); an enrolled store refuses with
    /// [`Error::AlreadyEnrolled`] (leave the team first: [`Store::unenrol`]).
    pub fn enrol(
        &self,
        server_url: &str,
        code: &str,
        device_label: &str,
        app_version: &str,
    ) -> Result<EnrolResponse> {
        let link = EnrolLink::new(server_url, code).map_err(enrol_link_problem)?;
        // Plain http:// only to this device: the token and the households' data are not sent
        // across a network unencrypted.
        link.check_secure().map_err(enrol_link_problem)?;
        if self.is_enrolled()? {
            return Err(Error::AlreadyEnrolled);
        }
        let server_url = link.server_url.as_str();
        let request = EnrolRequest {
            protocol_version: PROTOCOL_VERSION,
            code: link.code.clone(),
            device_id: self.device_id(),
            device_label: device_label.to_owned(),
            app_version: app_version.to_owned(),
        };
        // The token of the team this store left, only for the server that issued it.
        let proof = self.read(|c| {
            Ok(match get_meta(c, LEFT_SERVER_URL)? {
                Some(url) if url == server_url => get_meta(c, LEFT_DEVICE_TOKEN)?,
                _ => None,
            })
        })?;
        let response = HttpTransport::new(server_url, proof)?.enrol(&request)?;
        let profile = DeviceProfile {
            volunteer_id: response.volunteer_id,
            volunteer_name: response.volunteer_name.clone(),
            team_id: response.team_id,
        };
        self.write(|tx| {
            // Another server's generation says nothing about this one's (docs/protocol.md,
            // "Restores"): forget it, the next answer sets it.
            if get_meta(tx, "server_url")?.as_deref() != Some(server_url) {
                tx.execute(
                    "DELETE FROM meta WHERE key = ?1",
                    [crate::outbox::SERVER_GENERATION],
                )?;
            }
            set_meta(tx, "server_url", server_url)?;
            set_meta(tx, "device_token", &response.device_token)?;
            set_meta(tx, "team_name", &response.team_name)?;
            set_meta(tx, "profile", &serde_json::to_string(&profile)?)?;
            set_meta(tx, "last_server_time", &response.server_time.to_rfc3339())?;
            tx.execute(
                "DELETE FROM meta WHERE key IN (?1, ?2)",
                [LEFT_SERVER_URL, LEFT_DEVICE_TOKEN],
            )?;
            Ok(())
        })?;
        Ok(response)
    }

    /// The server this device is enrolled with.
    pub fn server_url(&self) -> Result<Option<String>> {
        self.read(|c| get_meta(c, "server_url"))
    }

    /// The enrolled team's name, as the server gave it.
    pub fn team_name(&self) -> Result<Option<String>> {
        self.read(|c| get_meta(c, "team_name"))
    }

    /// An HTTP transport to the enrolled server with this device's token.
    pub fn http_transport(&self) -> Result<HttpTransport> {
        let (url, token) =
            self.read(|c| Ok((get_meta(c, "server_url")?, get_meta(c, "device_token")?)))?;
        match (url, token) {
            (Some(url), Some(token)) => Ok(HttpTransport::new(&url, Some(token))?),
            _ => Err(Error::NotEnrolled),
        }
    }
}

impl Store {
    /// Whether this store belongs to a volunteer of a team (enrolled, and not left since).
    pub fn is_enrolled(&self) -> Result<bool> {
        Ok(self.profile()?.is_some())
    }

    /// How many records are not on the server: waiting to be sent, being sent, or refused.
    pub fn unsent_count(&self) -> Result<u32> {
        self.read(unsent_count)
    }

    /// Every record the server has not accepted (waiting, being sent or refused), as JSON for
    /// the volunteer to hand over before leaving the team: `changes` has the records exactly as
    /// a push carries them, `queue` their queue state and any refusal reason. Remembers the
    /// queue position it covered, so [`Store::unenrol`] with `discard_after_export` can tell
    /// whether anything was recorded since.
    pub fn export_unsent(&self) -> Result<String> {
        let profile = self.profile()?;
        let now = self.clock.now();
        let device_id = self.device_id();
        // One write transaction: the export and the position it records are the same snapshot.
        self.write(|tx| {
            let position = outbox_position(tx)?;
            let queue: Vec<ExportedEntry> = {
                let mut stmt = tx.prepare(&format!(
                    "SELECT kind, record_id, state, attempts, queued_at,
                            reason_code, reason_message_vi, reason_message_en, reason_field
                     FROM outbox WHERE state IN {UNSENT_STATES}
                     ORDER BY CASE kind WHEN 'household' THEN 0 ELSE 1 END, queued_at, record_id"
                ))?;
                let rows = stmt.query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, u32>(3)?,
                        r.get::<_, i64>(4)?,
                        RejectReason::from_columns(r, 5)?,
                    ))
                })?;
                let mut out = Vec::new();
                for row in rows {
                    let (kind, id, state, attempts, queued_at, reason) = row?;
                    out.push(ExportedEntry {
                        kind: RecordKind::parse(&kind),
                        record_id: Uuid::parse_str(&id)
                            .map_err(|e| Error::Corrupt(e.to_string()))?,
                        state,
                        attempts,
                        queued_at: from_millis(queued_at),
                        reason,
                    });
                }
                out
            };
            let changes = queue
                .iter()
                .map(|e| crate::records::load_change(tx, &e.kind, e.record_id))
                .collect::<Result<Vec<_>>>()?;
            let export = UnsentExport {
                format: "gocua-unsent-records",
                version: 1,
                exported_at: now,
                device_id,
                server_url: get_meta(tx, "server_url")?,
                team_name: get_meta(tx, "team_name")?,
                profile: profile.as_ref(),
                changes,
                queue,
            };
            let json = serde_json::to_string_pretty(&export)?;
            set_meta(tx, EXPORT_POSITION, &position.to_string())?;
            Ok(json)
        })
    }

    /// Leaves the team: removes the profile, the server address and token, the team's reference
    /// data, every record and every draft, leaving an empty store that can enrol again (the
    /// installation's device id stays; the old token is set aside only to prove that id at the
    /// next enrolment with the same server, see `LEFT_DEVICE_TOKEN`). Refused with [`Error::UnsentRecords`] while records are not on the
    /// server — unless `discard_after_export` and they were all exported by
    /// [`Store::export_unsent`] with nothing recorded or changed since. Refused with
    /// [`Error::SyncInProgress`] during a sync.
    pub fn unenrol(&self, discard_after_export: bool) -> Result<()> {
        let _no_sync = self
            .sync_lock
            .try_lock()
            .map_err(|_| Error::SyncInProgress)?;
        self.write(|tx| {
            let unsent = unsent_count(tx)?;
            if unsent > 0 {
                let exported = get_meta(tx, EXPORT_POSITION)?;
                let covered = exported == Some(outbox_position(tx)?.to_string());
                if !(discard_after_export && covered) {
                    return Err(Error::UnsentRecords { count: unsent });
                }
            }
            // Set aside (not usable for sync): proves this installation's id at its next
            // enrolment with the same server.
            if let (Some(url), Some(token)) =
                (get_meta(tx, "server_url")?, get_meta(tx, "device_token")?)
            {
                set_meta(tx, LEFT_SERVER_URL, &url)?;
                set_meta(tx, LEFT_DEVICE_TOKEN, &token)?;
            }
            tx.execute_batch(&format!(
                "DELETE FROM assists;
                 DELETE FROM visits;
                 DELETE FROM households;
                 DELETE FROM sessions;
                 DELETE FROM feedback;
                 DELETE FROM outbox;
                 DELETE FROM drafts;
                 DELETE FROM areas;
                 DELETE FROM reference_items;
                 DELETE FROM meta WHERE key NOT IN {KEPT_META};"
            ))?;
            Ok(())
        })?;
        self.invalidate_reference_cache();
        // Rewrite the file so the removed records do not linger in free pages or the journal.
        // Best effort: the records are already gone, and a later VACUUM would do the same.
        let compacted = self.read(|c| {
            c.execute_batch("VACUUM;")?;
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        });
        if let Err(e) = compacted {
            tracing::warn!(code = e.code(), "unenrol: could not compact the store: {e}");
        }
        Ok(())
    }
}

/// The files of a store: the database and its SQLite companions (`-wal`, `-shm`, `-journal`).
fn store_files(path: &Path) -> Vec<PathBuf> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

/// Deletes the store at `path` and its `-wal`/`-shm` companions, so a new one can be created
/// and the phone enrol again. Only for a store that can never be read again: call it after
/// [`Store::open`] failed with [`Error::WrongKey`] because the platform lost the key (a reset
/// Keystore or Keychain). Every record in it is lost. Files already missing are fine.
pub fn discard_unreadable_store(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    if path.is_dir() {
        return Err(Error::File(format!("{} is a directory", path.display())));
    }
    for file in store_files(path) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::File(format!("{}: {e}", file.display()))),
        }
    }
    Ok(())
}
