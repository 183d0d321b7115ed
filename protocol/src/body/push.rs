//! A push's checked body to the device id it names and its changes, each parsed on its own.

use serde::Deserialize;
use serde_json::value::RawValue;
use uuid::Uuid;

use super::{BodyError, BodyProblem, JsonBody};
use crate::enums::RecordKind;
use crate::wire::Change;

/// The most changes one push may carry (a phone sends its queue in batches of this size at most).
pub const MAX_CHANGES_PER_PUSH: usize = 2_000;

/// One element of a push's `changes` as received: parsed, or why not.
#[derive(Clone)]
pub enum Incoming {
    Parsed(Box<Change>),
    Unparsable {
        id: Uuid,
        kind: RecordKind,
        message: String,
    },
}

/// The envelope of a push, each change still a slice of the body, so one bad record cannot fail
/// the batch and no JSON tree of the whole batch is ever built.
#[derive(Deserialize)]
struct PushEnvelope<'a> {
    device_id: Uuid,
    #[serde(borrow)]
    changes: Vec<&'a RawValue>,
}

/// One change of a push (valid JSON: the envelope was parsed).
fn parse_change(raw: &RawValue) -> Incoming {
    let raw: serde_json::Value = serde_json::from_str(raw.get()).unwrap_or_default();
    let id = raw
        .pointer("/record/id")
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(Uuid::nil);
    let kind = RecordKind::parse(raw.get("kind").and_then(|k| k.as_str()).unwrap_or(""));
    if !kind.is_known() {
        return Incoming::Unparsable {
            id,
            kind,
            message: "unknown record kind".into(),
        };
    }
    match serde_json::from_value::<Change>(raw) {
        Ok(change) => Incoming::Parsed(Box::new(change)),
        Err(e) => Incoming::Unparsable {
            id,
            kind,
            message: e.to_string(),
        },
    }
}

/// A push's checked body as the device id it names and its changes, each parsed on its own: at
/// most [`MAX_CHANGES_PER_PUSH`] of them, and one that does not parse spoils only itself.
pub fn decode_push(json: &JsonBody) -> Result<(Uuid, Vec<Incoming>), BodyError> {
    let envelope: PushEnvelope = json.parse()?;
    if envelope.changes.len() > MAX_CHANGES_PER_PUSH {
        return Err(BodyError::new(
            BodyProblem::TooLarge,
            "too_many_changes",
            format!("Một lần gửi tối đa {MAX_CHANGES_PER_PUSH} bản ghi."),
            format!("At most {MAX_CHANGES_PER_PUSH} records per upload."),
        ));
    }
    let incoming = envelope.changes.into_iter().map(parse_change).collect();
    Ok((envelope.device_id, incoming))
}
