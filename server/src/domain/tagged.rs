//! Values kept as a code and its parameters in two columns (flags, audit entries): serde's
//! adjacently tagged form (`{"<tag>": code, "params": {…}}`) split apart and put back together.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The parameters of `value`, as JSON for its `params` column (`{}` when it has none).
pub fn params_json<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(mut o)) => o
            .remove("params")
            .unwrap_or_else(|| serde_json::json!({}))
            .to_string(),
        _ => "{}".to_owned(),
    }
}

/// The value stored as `code` with `params` (`tag` names the code's field); `None` when there are
/// no parameters (rows written before values were data) or this version cannot read them.
pub fn from_stored<T: DeserializeOwned>(tag: &str, code: &str, params: Option<&str>) -> Option<T> {
    let params: serde_json::Value = serde_json::from_str(params?).ok()?;
    serde_json::from_value(serde_json::json!({ tag: code, "params": params })).ok()
}
