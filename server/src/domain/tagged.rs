//! Values kept as a code and its parameters in two columns (flags, audit entries): serde's
//! adjacently tagged form (`{"<tag>": code, "params": {…}}`) split apart and put back together.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A value stored as its code and its parameters.
pub trait Tagged: Serialize + DeserializeOwned {
    /// The name of the code's field in the serde form (`#[serde(tag = …)]`).
    const TAG: &'static str;

    /// The code (the action of an audit entry, the kind of a flag): the tag serde writes, so the
    /// enum's serde attributes are the one list of codes.
    fn code(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut o)) => match o.remove(Self::TAG) {
                Some(serde_json::Value::String(code)) => code,
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    /// The parameters, as JSON for the `params` column (`{}` when there are none).
    fn params_json(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut o)) => o
                .remove("params")
                .unwrap_or_else(|| serde_json::json!({}))
                .to_string(),
            _ => "{}".to_owned(),
        }
    }

    /// The value stored as `code` with `params`; `None` when there are no parameters (rows
    /// written before values were data: their `detail` holds the old text) or this version
    /// cannot read them.
    fn from_stored(code: &str, params: Option<&str>) -> Option<Self> {
        let params: serde_json::Value = serde_json::from_str(params?).ok()?;
        serde_json::from_value(serde_json::json!({ Self::TAG: code, "params": params })).ok()
    }
}
