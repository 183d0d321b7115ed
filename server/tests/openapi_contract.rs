//! Keeps docs/openapi.yaml (and the code tables of docs/protocol.md) true to the code:
//!
//! - the documented paths and methods are exactly the router's routes: scanned from
//!   `server/src/api/mod.rs` and probed on a real server (`serve_on`, SQLite in a temp dir);
//! - every error code the server can send — `ApiError::new(StatusCode::X, "code", …)`, the
//!   per-record `refusal(…, "code", …)` of the ingest, every `ValidationCode` — is documented in
//!   both files, with its HTTP status, and nothing undocumented-in-code is listed;
//! - every wire struct of `protocol/src/{wire,records,reference}.rs` has a schema of the same name
//!   with the same properties and the same required ones (a field without `#[serde(default…)]`
//!   is required), every open enum has its values listed, and `Change`/`FeedbackSource` have a
//!   branch per variant;
//! - real serialized messages (samples with every optional field set, and live answers of the
//!   server, errors included) validate against the schemas with a JSON Schema 2020-12 validator,
//!   and every property they carry is declared (the schemas do not forbid extra properties,
//!   since clients must ignore unknown ones, so this is checked separately).
//!
//! The source is scanned with plain string matching; when the scanner meets a form it does not
//! understand it fails and says where, rather than skipping it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use gocua_protocol::*;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::refdata;
use serde_json::{json, Value};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// The documents

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn openapi() -> Value {
    let text = std::fs::read_to_string(repo_root().join("docs/openapi.yaml"))
        .expect("docs/openapi.yaml is readable");
    serde_yaml::from_str(&text).expect("docs/openapi.yaml is valid YAML with string keys")
}

fn protocol_md() -> String {
    std::fs::read_to_string(repo_root().join("docs/protocol.md"))
        .expect("docs/protocol.md is readable")
}

/// Follows `$ref: '#/…'` (any number of times) inside the OpenAPI document.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("only local $refs are used: {r}"));
                v = doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling $ref {r}"));
            }
            None => return v,
        }
    }
    panic!("$ref loop");
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc.pointer(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("docs/openapi.yaml has no components/schemas/{name}"))
}

fn str_list(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// (path, method) of every documented operation.
fn documented_operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&method.as_str())
            {
                out.insert((path.clone(), method.clone()));
            }
        }
    }
    out
}

fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    doc["paths"]
        .get(path)
        .and_then(|p| p.get(method))
        .unwrap_or_else(|| panic!("{method} {path} is not documented"))
}

/// JSON pointer (for the validator) of the schema of one documented answer.
fn response_schema_pointer(doc: &Value, path: &str, method: &str, status: u16) -> Option<String> {
    let op = operation(doc, path, method);
    let resp = op["responses"].get(status.to_string())?;
    let base = match resp.get("$ref").and_then(Value::as_str) {
        Some(r) => r.trim_start_matches('#').to_owned(),
        None => format!(
            "/paths/{}/{method}/responses/{status}",
            path.replace('~', "~0").replace('/', "~1")
        ),
    };
    Some(format!("{base}/content/application~1json/schema"))
}

/// The error codes a documented answer lists (`allOf: [ErrorBody, {properties: {code: {enum}}}]`).
fn response_codes(doc: &Value, resp: &Value) -> BTreeSet<String> {
    let resp = resolve(doc, resp);
    let Some(schema) = resp.pointer("/content/application~1json/schema") else {
        return BTreeSet::new();
    };
    let mut codes = BTreeSet::new();
    let mut stack = vec![resolve(doc, schema)];
    while let Some(s) = stack.pop() {
        codes.extend(str_list(s.pointer("/properties/code/enum")));
        for part in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            stack.push(resolve(doc, part));
        }
    }
    codes
}

/// Every (status, code) pair the documented operations answer with.
fn documented_error_codes(doc: &Value) -> BTreeSet<(u16, String)> {
    let mut out = BTreeSet::new();
    for (path, method) in documented_operations(doc) {
        for (status, resp) in operation(doc, &path, &method)["responses"]
            .as_object()
            .expect("responses")
        {
            let status: u16 = status.parse().unwrap_or_else(|_| {
                panic!("{method} {path}: response key {status} is not a status")
            });
            for code in response_codes(doc, resp) {
                out.insert((status, code));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// JSON Schema validation (boon, draft 2020-12) and the declared-property walk

const DOC_URL: &str = "file:///gocua/openapi.json";

struct Validator {
    doc: Value,
    compiler: boon::Compiler,
    schemas: boon::Schemas,
}

impl Validator {
    fn new(doc: &Value) -> Self {
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        compiler.enable_format_assertions();
        compiler
            .add_resource(DOC_URL, doc.clone())
            .expect("openapi document loads");
        Validator {
            doc: doc.clone(),
            compiler,
            schemas: boon::Schemas::new(),
        }
    }

    /// Validates `value` against the schema at `pointer` and walks it for undeclared or missing
    /// properties. Returns the problems found.
    fn check(&mut self, pointer: &str, value: &Value, what: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let index = match self
            .compiler
            .compile(&format!("{DOC_URL}#{pointer}"), &mut self.schemas)
        {
            Ok(i) => i,
            Err(e) => return vec![format!("{what}: schema {pointer} does not compile: {e:#}")],
        };
        if let Err(e) = self.schemas.validate(value, index) {
            problems.push(format!(
                "{what}: does not validate against {pointer}: {e:#}"
            ));
        }
        let schema = self
            .doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no {pointer}"))
            .clone();
        walk(&self.doc, &schema, value, what, &mut problems);
        problems
    }

    fn check_schema(&mut self, name: &str, value: &Value) -> Vec<String> {
        self.check(&format!("/components/schemas/{name}"), value, name)
    }
}

/// The object schemas `schema` stands for, given the value (follows $ref, allOf, and picks the
/// matching branch of oneOf/anyOf by their `const` properties).
fn object_parts<'a>(doc: &'a Value, schema: &'a Value, value: &Value, out: &mut Vec<&'a Value>) {
    let schema = resolve(doc, schema);
    if schema.get("properties").is_some() || schema.get("required").is_some() {
        out.push(schema);
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        object_parts(doc, part, value, out);
    }
    for key in ["oneOf", "anyOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let b = resolve(doc, branch);
            let consts_match = b
                .get("properties")
                .and_then(Value::as_object)
                .is_none_or(|props| {
                    props
                        .iter()
                        .all(|(k, p)| match resolve(doc, p).get("const") {
                            Some(c) => value.get(k) == Some(c),
                            None => true,
                        })
                });
            let is_object_branch = b.get("properties").is_some()
                || b.get("allOf").is_some()
                || b.get("oneOf").is_some();
            if consts_match && is_object_branch && value.is_object() {
                object_parts(doc, b, value, out);
                if key == "oneOf" {
                    break;
                }
            }
        }
    }
}

fn walk(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    match value {
        Value::Object(map) => {
            let mut parts = Vec::new();
            object_parts(doc, schema, value, &mut parts);
            if parts.is_empty() {
                problems.push(format!(
                    "{at}: an object where the schema declares no properties"
                ));
                return;
            }
            for key in map.keys() {
                match parts
                    .iter()
                    .find_map(|p| p.get("properties").and_then(|ps| ps.get(key)))
                {
                    Some(prop) => walk(doc, prop, &map[key], &format!("{at}.{key}"), problems),
                    None => problems.push(format!(
                        "{at}.{key}: sent by the code but not declared in the schema"
                    )),
                }
            }
            for part in &parts {
                for required in str_list(part.get("required")) {
                    if !map.contains_key(&required) {
                        problems.push(format!(
                            "{at}.{required}: required by the schema but not sent by the code"
                        ));
                    }
                }
            }
        }
        Value::Array(items) => {
            let item_schema = [schema]
                .into_iter()
                .chain(
                    schema
                        .get("allOf")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .find_map(|s| resolve(doc, s).get("items"));
            match item_schema {
                Some(items_schema) => {
                    for (i, item) in items.iter().enumerate() {
                        walk(doc, items_schema, item, &format!("{at}[{i}]"), problems);
                    }
                }
                None => problems.push(format!("{at}: an array where the schema declares no items")),
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Scanning the Rust source

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn server_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&repo_root().join("server/src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("source is readable"),
            )
        })
        .collect()
}

fn status_number(name: &str) -> Option<u16> {
    Some(match name {
        "BAD_REQUEST" => 400,
        "UNAUTHORIZED" => 401,
        "FORBIDDEN" => 403,
        "NOT_FOUND" => 404,
        "METHOD_NOT_ALLOWED" => 405,
        "REQUEST_TIMEOUT" => 408,
        "CONFLICT" => 409,
        "GONE" => 410,
        "PAYLOAD_TOO_LARGE" => 413,
        "UNSUPPORTED_MEDIA_TYPE" => 415,
        "UNPROCESSABLE_ENTITY" => 422,
        "TOO_MANY_REQUESTS" => 429,
        "INTERNAL_SERVER_ERROR" => 500,
        "SERVICE_UNAVAILABLE" => 503,
        _ => return None,
    })
}

/// Reads a string literal at the start of `s` (after whitespace).
fn leading_literal(s: &str) -> Option<&str> {
    let s = s.trim_start().strip_prefix('"')?;
    s.find('"').map(|end| &s[..end])
}

/// Every `ApiError::new(StatusCode::X, "code"` of the server: (status, code).
fn api_error_codes() -> BTreeSet<(u16, String)> {
    let mut out = BTreeSet::new();
    let mut unreadable = Vec::new();
    for (file, text) in server_sources() {
        for (at, _) in text.match_indices("ApiError::new(") {
            let rest = &text[at + "ApiError::new(".len()..];
            let parsed = (|| {
                let rest = rest.trim_start().strip_prefix("StatusCode::")?;
                let name_len = rest.find(|c: char| !(c.is_ascii_uppercase() || c == '_'))?;
                let status = status_number(&rest[..name_len])?;
                let code = leading_literal(rest[name_len..].trim_start().strip_prefix(',')?)?;
                Some((status, code.to_owned()))
            })();
            match parsed {
                Some(pair) => {
                    out.insert(pair);
                }
                None => unreadable.push(format!(
                    "{file}: {}",
                    rest.chars().take(80).collect::<String>()
                )),
            }
        }
    }
    // A request body's refusals are the protocol's (`protocol/src/body/`), each of a kind the
    // server answers with one status (`api/body.rs`).
    for file in ["mod.rs", "push.rs"] {
        let path = repo_root().join("protocol/src/body").join(file);
        let text = std::fs::read_to_string(&path).expect("protocol/src/body");
        for (at, _) in text.match_indices("BodyError::new(") {
            let rest = &text[at + "BodyError::new(".len()..];
            let parsed = (|| {
                let rest = rest.trim_start().strip_prefix("BodyProblem::")?;
                let name_len = rest.find(|c: char| !c.is_ascii_alphabetic())?;
                let status = match &rest[..name_len] {
                    "TooLarge" => 413,
                    "Unreadable" => 400,
                    "WrongShape" => 422,
                    _ => return None,
                };
                let code = leading_literal(rest[name_len..].trim_start().strip_prefix(',')?)?;
                Some((status, code.to_owned()))
            })();
            match parsed {
                Some(pair) => {
                    out.insert(pair);
                }
                None if rest.trim_start().starts_with("problem:") => {} // the constructor itself
                None => unreadable.push(format!(
                    "{file}: {}",
                    rest.chars().take(80).collect::<String>()
                )),
            }
        }
    }
    assert!(unreadable.is_empty(), "ApiError::new calls this test cannot read (status constant or code literal); extend the scanner:\n{}", unreadable.join("\n"));
    out
}

/// Every code of a per-record refusal in the ingest: `refusal(…, "code", …)` calls.
fn refusal_codes() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, text) in server_sources() {
        for (at, _) in text.match_indices("refusal(") {
            let rest = &text[at + "refusal(".len()..];
            let Some(quote) = rest.find('"') else {
                continue;
            };
            let before = &rest[..quote];
            if before.contains('{') || before.contains(';') {
                continue; // the definition `fn refusal(id: Uuid, …) -> RecordResult {`
            }
            out.insert(leading_literal(&rest[quote..]).expect("literal").to_owned());
        }
    }
    out
}

/// The wire value of every `ValidationCode` (`ValidationCode::ALL`, made by the same table as
/// the enum and its `as_str`), each checked against serde both ways.
fn validation_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for c in ValidationCode::ALL {
        let code = c.as_str();
        let parsed: ValidationCode = serde_json::from_value(json!(code))
            .unwrap_or_else(|e| panic!("{code} is not a ValidationCode: {e}"));
        assert_eq!(parsed.as_str(), code, "as_str and serde disagree");
        assert_eq!(
            serde_json::to_value(c).unwrap(),
            json!(code),
            "serde writes {code}"
        );
        codes.insert(code.to_owned());
    }
    assert_eq!(
        codes.len(),
        ValidationCode::ALL.len(),
        "every ValidationCode variant has its own code: {codes:?}"
    );
    codes
}

#[derive(Debug)]
struct RustStruct {
    /// Field name → required (no `#[serde(default…)]`).
    fields: BTreeMap<String, bool>,
}

#[derive(Debug, Default)]
struct WireTypes {
    structs: BTreeMap<String, RustStruct>,
    /// Serde enums with data (`Change`, `FeedbackSource`): variant names in snake_case.
    tagged_enums: BTreeMap<String, Vec<String>>,
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Structs and data-carrying enums deriving `Serialize` in the protocol's wire files.
fn wire_types() -> WireTypes {
    let mut types = WireTypes::default();
    // ReferenceData has its own file; the walk-list and guide types are checked through the
    // sample values validated against their schemas.
    for file in ["wire.rs", "records.rs", "reference.rs", "reference_data.rs"] {
        let text = std::fs::read_to_string(repo_root().join("protocol/src").join(file))
            .expect("protocol source");
        let lines: Vec<&str> = text.lines().collect();
        let mut attrs: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim();
            if line.starts_with("#[") {
                attrs.push(line);
            } else if line.starts_with("///") || line.starts_with("//") {
            } else if let Some(rest) = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))
            {
                let is_enum = line.starts_with("pub enum ");
                let name = rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .expect("name")
                    .to_owned();
                let serialized = attrs
                    .iter()
                    .any(|a| a.starts_with("#[derive(") && a.contains("Serialize"));
                assert!(
                    !attrs
                        .iter()
                        .any(|a| a.contains("rename_all = \"camel") || a.contains("deny_unknown")),
                    "{name}: unexpected serde container attribute"
                );
                let container_default = attrs
                    .iter()
                    .any(|a| a.starts_with("#[serde(") && a.contains("default"));
                attrs.clear();
                if !line.ends_with('{') {
                    i += 1;
                    continue; // unit or tuple struct
                }
                let mut fields = BTreeMap::new();
                let mut variants = Vec::new();
                let mut field_attrs: Vec<&str> = Vec::new();
                i += 1;
                while i < lines.len() && lines[i] != "}" {
                    let l = lines[i].trim();
                    if l.starts_with("#[") {
                        assert!(
                            !l.contains("rename") && !l.contains("flatten"),
                            "{name}: field attribute {l} needs the scanner extended"
                        );
                        field_attrs.push(l);
                    } else if let Some(f) = l.strip_prefix("pub ") {
                        let field = f.split(':').next().expect("field name").trim().to_owned();
                        let defaulted = container_default
                            || field_attrs
                                .iter()
                                .any(|a| a.starts_with("#[serde(") && a.contains("default"));
                        fields.insert(field, !defaulted);
                        field_attrs.clear();
                    } else if is_enum && !l.is_empty() && !l.starts_with("//") {
                        let variant = l
                            .split(|c: char| !c.is_alphanumeric())
                            .next()
                            .expect("variant");
                        variants.push(snake_case(variant));
                        field_attrs.clear();
                    }
                    i += 1;
                }
                if serialized {
                    if is_enum {
                        types.tagged_enums.insert(name, variants);
                    } else {
                        types.structs.insert(name, RustStruct { fields });
                    }
                }
            } else {
                attrs.clear();
            }
            i += 1;
        }
    }
    types
}

/// Open enums of `protocol/src/enums.rs`: name → wire values in declaration order.
fn open_enums() -> BTreeMap<String, Vec<String>> {
    let text =
        std::fs::read_to_string(repo_root().join("protocol/src/enums.rs")).expect("enums.rs");
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
        if let Some(rest) = line.strip_prefix("pub enum ") {
            let name = rest.trim_end_matches('{').trim().to_owned();
            out.insert(name.clone(), Vec::new());
            current = Some(name);
        } else if let (Some(name), Some((_, right))) = (&current, line.split_once(" = ")) {
            if line.contains("=>") {
                out.get_mut(name)
                    .expect("current enum")
                    .push(leading_literal(right).expect("wire literal").to_owned());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// (a) Routes

#[test]
fn documented_routes_are_the_routers_routes() {
    let doc = openapi();
    let documented = documented_operations(&doc);

    // Statically: the `.route("…", get(…).post(…))` calls of the router.
    let router =
        std::fs::read_to_string(repo_root().join("server/src/api/mod.rs")).expect("api/mod.rs");
    let mut routed = BTreeSet::new();
    for (at, _) in router.match_indices(".route(") {
        let rest = &router[at + ".route(".len()..];
        let path = leading_literal(rest)
            .expect("route path literal")
            .to_owned();
        let line = rest.lines().next().unwrap_or_default();
        let mut found = false;
        for method in ["get", "post", "put", "delete", "patch", "head", "options"] {
            if line.contains(&format!("({method}("))
                || line.contains(&format!(".{method}("))
                || line.contains(&format!(" {method}("))
            {
                routed.insert((path.clone(), method.to_owned()));
                found = true;
            }
        }
        assert!(found, "cannot read the methods of route {path}: {line}");
    }
    assert_eq!(
        documented, routed,
        "docs/openapi.yaml paths (left) differ from the router's routes (right)"
    );

    // Live: each documented operation exists, other methods are 405, other paths 404.
    let server = TestServer::start(false);
    for (path, method) in &documented {
        let answer = server.request(&method.to_uppercase(), path, &[], b"");
        assert!(
            answer.status != 404 && answer.status != 405,
            "{method} {path} is documented but answers {}",
            answer.status
        );
        let statuses: BTreeSet<String> = operation(&doc, path, method)["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .cloned()
            .collect();
        assert!(
            statuses.contains(&answer.status.to_string()),
            "{method} {path} with no body answered {} which is not documented ({statuses:?})",
            answer.status
        );
    }
    let paths: BTreeSet<&String> = documented.iter().map(|(p, _)| p).collect();
    for path in &paths {
        for method in ["get", "post", "put", "delete", "patch"] {
            if !documented.contains(&((*path).clone(), method.to_owned())) {
                let answer = server.request(&method.to_uppercase(), path, &[], b"");
                assert_eq!(
                    answer.status, 405,
                    "{method} {path} is not documented but answers {}",
                    answer.status
                );
            }
        }
    }
    // Outside /v1/ is the coordinators' dashboard (HTML pages, not part of the phone API):
    // unauthenticated, it sends browsers to its login page.
    let dashboard = server.request("GET", "/", &[], b"");
    assert_eq!(
        dashboard.status, 303,
        "GET / should redirect to the dashboard's login page"
    );
    for path in [
        "/v1",
        "/v1/nope",
        "/v1/sync",
        "/v1/devices",
        "/v1/sync/pushes",
        "/v2/sync/push",
        "/v1/devices/enrol/x",
    ] {
        for method in ["GET", "POST"] {
            let answer = server.request(method, path, &[], b"");
            assert_eq!(
                answer.status, 404,
                "{method} {path} is undocumented but answers {}",
                answer.status
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Error codes

#[test]
fn every_error_code_is_documented_in_both_files() {
    let doc = openapi();
    let md = protocol_md();
    let mut missing = Vec::new();

    // Whole-request refusals, with their status.
    let api = api_error_codes();
    for code in [
        "server_error",
        "unauthorized",
        "device_revoked",
        "rate_limited",
        "body_too_large",
        "enrol_code_invalid",
        "too_many_changes",
    ] {
        assert!(
            api.iter().any(|(_, c)| c == code),
            "the scanner missed {code}: {api:?}"
        );
    }
    let documented = documented_error_codes(&doc);
    for (status, code) in &api {
        if !documented.contains(&(*status, code.clone())) {
            missing.push(format!(
                "openapi.yaml: no operation lists `{code}` under its status {status}"
            ));
        }
        let in_table = md
            .lines()
            .any(|l| l.contains(&format!("`{code}`")) && l.contains(&status.to_string()));
        if !in_table {
            missing.push(format!(
                "protocol.md: no line with `{code}` and its status {status}"
            ));
        }
    }
    for (status, code) in &documented {
        if !api.contains(&(*status, code.clone())) {
            missing.push(format!(
                "openapi.yaml lists `{code}` under {status}, but the server never answers that"
            ));
        }
    }

    // Per-record refusals.
    let refusals = refusal_codes();
    for code in [
        "not_your_team",
        "conflict_different_content",
        "unknown_household",
        "invalid_record",
        "already_corrected",
        "deleted",
    ] {
        assert!(
            refusals.contains(code),
            "the scanner missed the refusal code {code}: {refusals:?}"
        );
    }
    let ingest_enum = str_list(schema(&doc, "IngestCode").get("enum"));
    if ingest_enum != refusals {
        missing.push(format!("openapi.yaml IngestCode enum {ingest_enum:?} differs from the ingest's refusal codes {refusals:?}"));
    }
    let validation = validation_codes();
    let validation_enum = str_list(schema(&doc, "ValidationCode").get("enum"));
    if validation_enum != validation {
        missing.push(format!("openapi.yaml ValidationCode enum {validation_enum:?} differs from ValidationCode::as_str {validation:?}"));
    }
    for code in refusals.iter().chain(&validation) {
        if !md.contains(&format!("`{code}`")) {
            missing.push(format!(
                "protocol.md does not mention the per-record code `{code}`"
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "undocumented or stale error codes:\n{}",
        missing.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// (c) Wire types

#[test]
fn wire_structs_and_enums_match_the_schemas() {
    let doc = openapi();
    let types = wire_types();
    for name in [
        "PushRequest",
        "Household",
        "Visit",
        "Assist",
        "ReferenceData",
        "ErrorBody",
        "EnrolResponse",
    ] {
        assert!(
            types.structs.contains_key(name),
            "the scanner missed {name}: {:?}",
            types.structs.keys()
        );
    }
    let mut problems = Vec::new();
    for (name, rust) in &types.structs {
        let Some(s) = doc.pointer(&format!("/components/schemas/{name}")) else {
            problems.push(format!("{name}: no schema in docs/openapi.yaml"));
            continue;
        };
        let declared: BTreeSet<String> = s
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let fields: BTreeSet<String> = rust.fields.keys().cloned().collect();
        if declared != fields {
            problems.push(format!(
                "{name}: fields only in Rust {:?}, properties only in the schema {:?}",
                fields.difference(&declared).collect::<Vec<_>>(),
                declared.difference(&fields).collect::<Vec<_>>()
            ));
        }
        let required = str_list(s.get("required"));
        let rust_required: BTreeSet<String> = rust
            .fields
            .iter()
            .filter(|(_, r)| **r)
            .map(|(f, _)| f.clone())
            .collect();
        if required != rust_required {
            problems.push(format!("{name}: required in the schema {required:?}, fields without serde default in Rust {rust_required:?}"));
        }
    }
    for (name, variants) in &types.tagged_enums {
        let Some(s) = doc.pointer(&format!("/components/schemas/{name}")) else {
            problems.push(format!("{name}: no schema in docs/openapi.yaml"));
            continue;
        };
        let tag = s
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{name}: oneOf needs a discriminator"));
        let consts: BTreeSet<String> = s["oneOf"]
            .as_array()
            .expect("oneOf")
            .iter()
            .filter_map(|b| {
                resolve(&doc, b)
                    .pointer(&format!("/properties/{tag}/const"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect();
        let variants: BTreeSet<String> = variants.iter().cloned().collect();
        if consts != variants {
            problems.push(format!(
                "{name}: variants {variants:?}, documented branches {consts:?}"
            ));
        }
        if let Some(mapping) = s
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
        {
            let keys: BTreeSet<String> = mapping.keys().cloned().collect();
            if keys != variants {
                problems.push(format!(
                    "{name}: discriminator mapping {keys:?}, variants {variants:?}"
                ));
            }
        }
    }
    // The kinds of Change are the record kinds.
    let kinds: BTreeSet<String> = RecordKind::KNOWN
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect();
    assert_eq!(
        types
            .tagged_enums
            .get("Change")
            .map(|v| v.iter().cloned().collect::<BTreeSet<_>>()),
        Some(kinds)
    );

    let enums = open_enums();
    assert!(
        enums.len() >= 14,
        "the scanner missed open enums: {:?}",
        enums.keys()
    );
    assert_eq!(
        enums["RecordStatus"],
        RecordStatus::KNOWN
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect::<Vec<_>>()
    );
    for (name, values) in &enums {
        match doc.pointer(&format!("/components/schemas/{name}/enum")) {
            Some(listed) => {
                let listed: Vec<String> = listed
                    .as_array()
                    .expect("enum")
                    .iter()
                    .map(|v| v.as_str().expect("string").to_owned())
                    .collect();
                if &listed != values {
                    problems.push(format!(
                        "{name}: values in the code {values:?}, in the schema {listed:?}"
                    ));
                }
            }
            None => problems.push(format!(
                "{name}: no schema with an enum in docs/openapi.yaml"
            )),
        }
    }
    // Limits written into the schemas.
    assert_eq!(
        schema(&doc, "PushRequest").pointer("/properties/changes/maxItems"),
        Some(&json!(gocua_server::api::MAX_CHANGES_PER_PUSH))
    );
    for name in [
        "PushRequest",
        "PullRequest",
        "EnrolRequest",
        "HealthResponse",
    ] {
        assert_eq!(
            schema(&doc, name).pointer("/properties/protocol_version/const"),
            Some(&json!(PROTOCOL_VERSION)),
            "{name}"
        );
    }
    assert!(
        problems.is_empty(),
        "wire types and docs/openapi.yaml disagree:\n{}",
        problems.join("\n")
    );
}

fn sample_ids(n: u128) -> Uuid {
    Uuid::from_u128(0x0190_f000_0000_7000_8000_0000_0000_0000 | n)
}

fn stamp(n: i64) -> Hlc {
    Hlc {
        wall_ms: 1_773_108_000_000 + n,
        counter: 2,
        node: 0x1a2b_3c4d,
    }
}

fn device_time() -> DeviceTime {
    DeviceTime {
        utc: Utc::now(),
        offset_minutes: 420,
    }
}

fn full_household(id: Uuid, team: Uuid, volunteer: Uuid) -> Household {
    Household {
        id,
        commune_code: "28789".into(),
        hamlet_code: Some("28789-KP1".into()),
        address_line: "12 Đường Hùng Vương".into(),
        head_name: "Nguyễn Văn Ả".into(),
        phone: Some("0912345678".into()),
        members: 4,
        consent: Some(Consent {
            given: true,
            method: ConsentMethod::Verbal,
            recorded_at: Utc::now(),
            recorded_by: volunteer,
        }),
        erased: false,
        created_by: volunteer,
        team_id: team,
        created: device_time(),
        clocks: HouseholdClocks::all(stamp(0)),
    }
}

fn full_visit(id: Uuid, household: Uuid, team: Uuid, volunteer: Uuid, campaign: Uuid) -> Visit {
    let now = Utc::now();
    Visit {
        id,
        household_id: household,
        volunteer_id: volunteer,
        team_id: team,
        campaign_id: Some(campaign),
        revision: 1,
        supersedes: None,
        started_at: now - chrono::Duration::minutes(20),
        ended_at: Some(now - chrono::Duration::minutes(5)),
        outcome: VisitOutcome::Met,
        people_reached: 2,
        gps: Some(GeoPoint {
            lat: 10.2415,
            lon: 106.3759,
            accuracy_m: 12.5,
        }),
        note: Some("Hẹn quay lại nộp hồ sơ".into()),
        follow_up_on: Some(Calendar::VIETNAM.day_of(now) + chrono::Duration::days(7)),
        assists: vec![
            Assist {
                id: sample_ids(0x51),
                service_key: "birth_registration".into(),
                level_43: Some(Level43::Level4),
                level_42: Some(Level42::ToanTrinh),
                result: AssistResult::Submitted,
                dossier_code: Some("G22.99-260310-0001".into()),
                not_finished_reason: None,
            },
            Assist {
                id: sample_ids(0x52),
                service_key: "vneid_level2_activation".into(),
                level_43: None,
                level_42: None,
                result: AssistResult::NotFinished,
                dossier_code: None,
                not_finished_reason: Some(NotFinishedReason::NoChipIdCard),
            },
        ],
        recorded: device_time(),
        hlc: stamp(1),
    }
}

fn full_session(id: Uuid, team: Uuid, volunteer: Uuid, campaign: Uuid) -> OutreachSession {
    OutreachSession {
        id,
        team_id: team,
        volunteer_id: volunteer,
        campaign_id: Some(campaign),
        kind: SessionKind::CommunityMeeting,
        area_code: "28789-KP1".into(),
        place: "Nhà văn hoá khu phố 1".into(),
        held_on: Calendar::VIETNAM.day_of(Utc::now()),
        attendees: 35,
        materials: vec!["Tờ rơi VNeID".into()],
        note: Some("Đông người cao tuổi".into()),
        recorded: device_time(),
        hlc: stamp(2),
    }
}

fn feedback(id: Uuid, team: Uuid, volunteer: Uuid, source: FeedbackSource) -> Feedback {
    Feedback {
        id,
        team_id: team,
        volunteer_id: volunteer,
        source,
        category: FeedbackCategory::PortalIssues,
        text: "Cổng dịch vụ công báo lỗi khi thanh toán lệ phí.".into(),
        area_code: Some("28789".into()),
        recorded: device_time(),
        hlc: stamp(3),
    }
}

fn sample_reference() -> ReferenceData {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
    ReferenceData {
        areas: vec![Area {
            code: "28789-KP1".into(),
            name: "Khu phố 1".into(),
            level: AreaLevel::Hamlet,
            division_type: "khu phố".into(),
            parent_code: Some("28789".into()),
        }],
        org_units: vec![OrgUnit {
            id: sample_ids(0x0a),
            name: "Đoàn phường Bến Tre".into(),
            kind: OrgUnitKind::CommuneUnion,
            parent_id: Some(sample_ids(0x0b)),
            area_code: Some("28789".into()),
        }],
        teams: vec![Team {
            id: sample_ids(1),
            name: "Đội TNTN Phường Bến Tre".into(),
            org_unit_id: sample_ids(0x0a),
            area_codes: vec!["28789".into()],
            members: vec![TeamMember {
                id: sample_ids(0xa1),
                name: "Lê Thị Hoa".into(),
                role: MemberRole::Leader,
            }],
        }],
        services: vec![Service {
            key: "birth_registration".into(),
            code: Some("1.001193".into()),
            code_verified: true,
            name_vi: "Đăng ký khai sinh".into(),
            name_en: "Birth registration".into(),
            authority: "UBND cấp xã".into(),
            kind: ServiceKind::Procedure,
            level_42: Some(Level42::ToanTrinh),
            level_43: Some(Level43::Level4),
            active: true,
        }],
        campaigns: vec![Campaign {
            id: sample_ids(0xc1),
            name: "Ra quân 2026".into(),
            legal_reference: "241-KH/TĐTN-TCKT".into(),
            starts_on: d(3, 1),
            ends_on: d(6, 30),
            peak_windows: vec![PeakWindow {
                name: "Tháng Thanh niên".into(),
                starts_on: d(3, 1),
                ends_on: d(3, 31),
            }],
            report_deadline: d(7, 5),
        }],
        targets: vec![Target {
            id: sample_ids(0x71),
            campaign_id: sample_ids(0xc1),
            team_id: Some(sample_ids(1)),
            org_unit_id: Some(sample_ids(0x0a)),
            indicator: Indicator::ServicesSupported,
            value: 100,
            starts_on: d(3, 1),
            ends_on: d(6, 30),
        }],
        achievements: vec![TargetAchievement {
            target_id: sample_ids(0x71),
            achieved: 12,
            as_of: Utc::now(),
        }],
        time_zone: Some("Asia/Ho_Chi_Minh".into()),
        assignments: vec![
            sample_assignment(
                0xe1,
                AssignmentTarget::Hamlet {
                    commune_code: "28789".into(),
                    hamlet_code: "28789-KP1".into(),
                },
            ),
            sample_assignment(
                0xe2,
                AssignmentTarget::Household {
                    household_id: sample_ids(0x11),
                },
            ),
        ],
        guides: vec![gocua_protocol::guide::ServiceGuide {
            service_key: "birth_registration".into(),
            body: "## Khai sinh\n\n- Giấy chứng sinh\n- **VNeID** mức 2".into(),
            needs_check: true,
            updated_at: Utc::now(),
        }],
    }
}

/// A walk-list entry of the sample team (its leader assigns to themself).
fn sample_assignment(n: u128, target: AssignmentTarget) -> Assignment {
    Assignment {
        id: sample_ids(n),
        campaign_id: sample_ids(0xc1),
        team_id: sample_ids(1),
        member_id: sample_ids(0xa1),
        target,
        assigned_by: if n % 2 == 0 {
            Assigner::Coordinator(sample_ids(0xf1))
        } else {
            Assigner::Member(sample_ids(0xa1))
        },
        created_at: Utc::now(),
        revoked: n % 2 == 0,
        hlc: stamp(4),
    }
}

#[test]
fn serialized_wire_values_validate_against_the_schemas() {
    let doc = openapi();
    let mut v = Validator::new(&doc);
    let (team, volunteer, campaign) = (sample_ids(1), sample_ids(0xa1), sample_ids(0xc1));
    let household = full_household(sample_ids(0x11), team, volunteer);
    let mut erased = full_household(sample_ids(0x12), team, volunteer);
    erased.erased = true;
    erased.blank_personal_data();
    let visit = full_visit(sample_ids(0x21), household.id, team, volunteer, campaign);
    let correction = Visit {
        id: sample_ids(0x22),
        revision: 2,
        supersedes: Some(visit.id),
        ..visit.clone()
    };
    let push = PushRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: sample_ids(0xd1),
        changes: vec![
            Change::Household(household),
            Change::Household(erased),
            Change::Visit(visit.clone()),
            Change::Visit(correction),
            Change::OutreachSession(full_session(sample_ids(0x31), team, volunteer, campaign)),
            Change::Feedback(feedback(
                sample_ids(0x41),
                team,
                volunteer,
                FeedbackSource::Visit(visit.id),
            )),
            Change::Feedback(feedback(
                sample_ids(0x42),
                team,
                volunteer,
                FeedbackSource::Session(sample_ids(0x31)),
            )),
            Change::Feedback(feedback(
                sample_ids(0x43),
                team,
                volunteer,
                FeedbackSource::General,
            )),
            Change::Assignment(sample_assignment(
                0xe3,
                AssignmentTarget::Hamlet {
                    commune_code: "28789".into(),
                    hamlet_code: "28789-KP1".into(),
                },
            )),
        ],
    };
    let result = RecordResult::plain;
    let push_response = PushResponse {
        results: vec![
            result(
                sample_ids(0x11),
                RecordKind::Household,
                RecordStatus::Accepted,
            ),
            result(sample_ids(0x21), RecordKind::Visit, RecordStatus::Duplicate),
            RecordResult {
                code: Some("outside_team_area".into()),
                message_vi: Some("Địa bàn này không thuộc phạm vi phụ trách của đội.".into()),
                message_en: Some("This area is outside your team's areas.".into()),
                field: Some("commune_code".into()),
                ..result(
                    sample_ids(0x12),
                    RecordKind::Household,
                    RecordStatus::Rejected,
                )
            },
            RecordResult {
                code: Some("conflict_different_content".into()),
                ..result(
                    sample_ids(0x31),
                    RecordKind::OutreachSession,
                    RecordStatus::Conflict,
                )
            },
            RecordResult {
                code: Some("deleted".into()),
                ..result(
                    sample_ids(0x41),
                    RecordKind::Feedback,
                    RecordStatus::Deleted,
                )
            },
            RecordResult {
                code: Some("invalid_record".into()),
                ..result(
                    Uuid::nil(),
                    RecordKind::Unknown("photo".into()),
                    RecordStatus::Rejected,
                )
            },
        ],
        server_time: Utc::now(),
        server_hlc: Hlc {
            wall_ms: Utc::now().timestamp_millis(),
            counter: 0,
            node: 0,
        },
        generation: Some("0193a5b2-7c10-7e21-9d4f-3b1c2a9e8f99".into()),
    };
    let pull_request = PullRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: sample_ids(0xd1),
        cursor: Some("r42".into()),
    };
    let pull_response = PullResponse {
        reference: sample_reference(),
        cursor: "r42".into(),
        full: true,
        server_time: Utc::now(),
        generation: Some("0193a5b2-7c10-7e21-9d4f-3b1c2a9e8f99".into()),
    };
    let enrol_request = EnrolRequest {
        protocol_version: PROTOCOL_VERSION,
        code: "K7QM-3XPD".into(),
        device_id: sample_ids(0xd1),
        device_label: "Galaxy A05".into(),
        app_version: "0.1.0".into(),
    };
    let enrol_response = EnrolResponse {
        device_token: "ab".repeat(32),
        device_id: sample_ids(0xd1),
        team_id: team,
        team_name: "Đội TNTN Phường Bến Tre".into(),
        volunteer_id: volunteer,
        volunteer_name: "Lê Thị Hoa".into(),
        server_time: Utc::now(),
    };
    let error = ErrorBody {
        code: "device_mismatch".into(),
        message_vi: "Mã thiết bị không khớp.".into(),
        message_en: "The device id does not match.".into(),
        field: Some("device_id".into()),
    };

    let examples = [
        ("PushRequest", to(&push)),
        ("PushResponse", to(&push_response)),
        ("PullRequest", to(&pull_request)),
        (
            "PullRequest",
            to(&PullRequest {
                cursor: None,
                ..pull_request.clone()
            }),
        ),
        ("PullResponse", to(&pull_response)),
        ("ReferenceData", to(&ReferenceData::default())),
        ("EnrolRequest", to(&enrol_request)),
        ("EnrolResponse", to(&enrol_response)),
        ("ErrorBody", to(&error)),
        (
            "ErrorBody",
            to(&ErrorBody {
                field: None,
                ..error.clone()
            }),
        ),
    ];
    let mut problems = Vec::new();
    for (schema, value) in &examples {
        problems.extend(v.check_schema(schema, value));
    }
    for change in &push.changes {
        problems.extend(v.check_schema("Change", &to(change)));
    }
    assert!(
        problems.is_empty(),
        "serialized values and docs/openapi.yaml disagree:\n{}",
        problems.join("\n")
    );

    // And the schemas are not vacuous: broken messages are refused.
    let mut broken = to(&push);
    broken["changes"][2]["record"]["outcome"] = json!(7);
    assert!(
        !v.check_schema("PushRequest", &broken).is_empty(),
        "a number as outcome must not validate"
    );
    let mut broken = to(&push);
    broken["changes"][0]["record"]
        .as_object_mut()
        .expect("object")
        .remove("clocks");
    assert!(
        !v.check_schema("PushRequest", &broken).is_empty(),
        "a household without clocks must not validate"
    );
    let mut broken = to(&enrol_response);
    broken["volunteer_nickname"] = json!("Hoa");
    assert!(
        !v.check_schema("EnrolResponse", &broken).is_empty(),
        "an undeclared property must be reported"
    );
    let mut broken = to(&push);
    broken["changes"][0]["kind"] = json!("photo");
    assert!(
        !v.check_schema("PushRequest", &broken).is_empty(),
        "an unknown change kind is not a documented Change"
    );
}

fn to<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializes")
}

// ---------------------------------------------------------------------------------------------
// A real server and a plain HTTP/1.1 client

const PROVINCE: &str = "86";
const COMMUNE: &str = "28789";
const HAMLET: &str = "28789-KP1";

struct TestServer {
    addr: SocketAddr,
    db: Db,
    team: Uuid,
    member: Uuid,
    campaign: Uuid,
    runtime: Option<tokio::runtime::Runtime>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "answer {} is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size = usize::from_str_radix(
            std::str::from_utf8(&body[..line_end])
                .expect("ascii")
                .split(';')
                .next()
                .expect("size")
                .trim(),
            16,
        )
        .expect("hex size");
        body = &body[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

impl TestServer {
    fn start(with_data: bool) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = gocua_server::domain::open::open_database(
            dir.path().join("server.db").to_str().expect("utf-8 path"),
        )
        .expect("database opens");
        let (team, member, campaign) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        if with_data {
            db.tx(|sql: &mut dyn Sql| setup_reference(sql, team, member, campaign))
                .expect("reference data");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(gocua_server::app::serve_on(
            db.clone(),
            listener,
            async move {
                let _ = stopped.await;
            },
        ));
        TestServer {
            addr,
            db,
            team,
            member,
            campaign,
            runtime: Some(runtime),
            stop: Some(stop),
            _dir: dir,
        }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("write head");
        let _ = stream.write_all(body); // the server may answer (and close) before reading it all
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read answer");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("end of head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        if answer
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            body = dechunk(&body);
        }
        if answer.header("content-encoding") == Some("gzip") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .expect("gzip answer");
            body = out;
        }
        Answer { body, ..answer }
    }

    fn post_json(&self, path: &str, token: Option<&str>, value: &Value) -> Answer {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        self.request(
            "POST",
            path,
            &headers,
            &serde_json::to_vec(value).expect("json"),
        )
    }

    fn issue_code(&self, valid_for: chrono::Duration) -> String {
        let (team, member) = (self.team, self.member);
        self.db
            .tx(|sql: &mut dyn Sql| {
                refdata::issue_enrol_code(sql, team, member, Utc::now(), valid_for)
            })
            .expect("code")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

fn setup_reference(
    sql: &mut dyn Sql,
    team: Uuid,
    member: Uuid,
    campaign: Uuid,
) -> gocua_server::db::DbResult<()> {
    let area = |code: &str, name: &str, level: AreaLevel, parent: Option<&str>| Area {
        code: code.into(),
        name: name.into(),
        level,
        division_type: "x".into(),
        parent_code: parent.map(Into::into),
    };
    refdata::upsert_areas(
        sql,
        &[
            area(PROVINCE, "Vĩnh Long", AreaLevel::Province, None),
            area(
                COMMUNE,
                "Phường Bến Tre",
                AreaLevel::Commune,
                Some(PROVINCE),
            ),
            area(HAMLET, "Khu phố 1", AreaLevel::Hamlet, Some(COMMUNE)),
            area("01", "Hà Nội", AreaLevel::Province, None),
            area("00070", "Phường Hoàn Kiếm", AreaLevel::Commune, Some("01")),
        ],
    )?;
    let org = OrgUnit {
        id: Uuid::now_v7(),
        name: "Đoàn phường Bến Tre".into(),
        kind: OrgUnitKind::CommuneUnion,
        parent_id: None,
        area_code: Some(COMMUNE.into()),
    };
    refdata::upsert_org_unit(sql, &org)?;
    refdata::upsert_team(
        sql,
        &Team {
            id: team,
            name: "Đội TNTN Phường Bến Tre".into(),
            org_unit_id: org.id,
            area_codes: vec![COMMUNE.into()],
            members: vec![TeamMember {
                id: member,
                name: "Lê Thị Hoa".into(),
                role: MemberRole::Member,
            }],
        },
    )?;
    let service = |key: &str, kind: ServiceKind| Service {
        key: key.into(),
        code: None,
        code_verified: false,
        name_vi: key.into(),
        name_en: key.into(),
        authority: "UBND cấp xã".into(),
        kind,
        level_42: Some(Level42::ToanTrinh),
        level_43: Some(Level43::Level4),
        active: true,
    };
    refdata::upsert_services(
        sql,
        &[
            service("birth_registration", ServiceKind::Procedure),
            service("vneid_level2_activation", ServiceKind::VneidActivation),
        ],
    )?;
    let today = Calendar::VIETNAM.day_of(Utc::now());
    refdata::upsert_campaign(
        sql,
        &Campaign {
            id: campaign,
            name: "Ra quân".into(),
            legal_reference: "241-KH/TĐTN-TCKT".into(),
            starts_on: today - chrono::Duration::days(30),
            ends_on: today + chrono::Duration::days(60),
            peak_windows: vec![],
            report_deadline: today + chrono::Duration::days(61),
        },
    )?;
    refdata::upsert_target(
        sql,
        &Target {
            id: Uuid::now_v7(),
            campaign_id: campaign,
            team_id: Some(team),
            org_unit_id: None,
            indicator: Indicator::ServicesSupported,
            value: 50,
            starts_on: today - chrono::Duration::days(30),
            ends_on: today + chrono::Duration::days(60),
        },
    )?;
    Ok(())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

/// Checks a live answer: its status is documented for the operation, its body validates against
/// the documented schema (for errors: the code is one listed under that status).
/// The live answers checked against the contract, and the disagreements found so far.
struct LiveCheck {
    doc: Value,
    v: Validator,
    problems: Vec<String>,
}

impl LiveCheck {
    fn new(doc: Value) -> LiveCheck {
        let v = Validator::new(&doc);
        LiveCheck {
            doc,
            v,
            problems: Vec::new(),
        }
    }

    /// Checks the answer to `POST path` (GET for the health check): the `expected` status and
    /// machine code, a status the contract documents, a Retry-After on 429 and 503, and the body
    /// against the documented schema.
    fn answer(&mut self, path: &str, answer: &Answer, expected: (u16, Option<&str>)) {
        let problems = &mut self.problems;
        let what = format!("POST {path} → {}", answer.status);
        if answer.status != expected.0 {
            problems.push(format!(
                "{what}: expected {} ({:?}); body {}",
                expected.0,
                expected.1,
                String::from_utf8_lossy(&answer.body)
            ));
            return;
        }
        let method = if path == "/v1/health" { "get" } else { "post" };
        let Some(pointer) = response_schema_pointer(&self.doc, path, method, answer.status) else {
            problems.push(format!("{what}: status not documented"));
            return;
        };
        let body = answer.json();
        if let Some(code) = expected.1 {
            if body["code"] != json!(code) {
                problems.push(format!("{what}: expected code {code}, got {body}"));
            }
            if [429, 503].contains(&answer.status)
                && answer
                    .header("retry-after")
                    .and_then(|s| s.parse::<u64>().ok())
                    .is_none_or(|s| s < 1)
            {
                problems.push(format!("{what}: no Retry-After of at least 1 second"));
            }
        }
        problems.extend(self.v.check(&pointer, &body, &what));
    }
}

#[test]
fn live_answers_match_the_contract() {
    let mut live = LiveCheck::new(openapi());
    let server = TestServer::start(true);
    let (enrol, push, pull) = ("/v1/devices/enrol", "/v1/sync/push", "/v1/sync/pull");

    let health = server.request("GET", "/v1/health", &[], b"");
    live.answer("/v1/health", &health, (200, None));

    // Enrolment.
    let code = server.issue_code(chrono::Duration::hours(1));
    assert_eq!(code.len(), 9, "codes are shown as ABCD-EFGH");
    let device = Uuid::now_v7();
    let enrol_body = |code: &str, device: Uuid| json!({"protocol_version": PROTOCOL_VERSION, "code": code, "device_id": device, "device_label": "Galaxy A05", "app_version": "0.1.0"});
    let typed_lowercase = code.to_lowercase().replace('-', " ");
    let answer = server.post_json(enrol, None, &enrol_body(&typed_lowercase, device));
    live.answer(enrol, &answer, (200, None));
    let first_token = answer.json()["device_token"]
        .as_str()
        .expect("token")
        .to_owned();
    // The same device again (a lost answer): a new token, the old one dies.
    let answer = server.post_json(enrol, None, &enrol_body(&code, device));
    live.answer(enrol, &answer, (200, None));
    let token = answer.json()["device_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_ne!(token, first_token);
    let answer = server.post_json(enrol, None, &enrol_body(&code, Uuid::now_v7()));
    live.answer(enrol, &answer, (409, Some("enrol_code_used")));
    let answer = server.post_json(enrol, None, &enrol_body("AAAA-AAAA", Uuid::now_v7()));
    live.answer(enrol, &answer, (400, Some("enrol_code_invalid")));
    let expired = server.issue_code(chrono::Duration::seconds(-1));
    let answer = server.post_json(enrol, None, &enrol_body(&expired, Uuid::now_v7()));
    live.answer(enrol, &answer, (410, Some("enrol_code_expired")));
    let mut future = enrol_body(&code, device);
    future["protocol_version"] = json!(99);
    let answer = server.post_json(enrol, None, &future);
    live.answer(enrol, &answer, (400, Some("unsupported_protocol_version")));

    // Whole-request refusals of push and pull.
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];
    let minimal = json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": []});
    let answer = server.post_json(push, None, &minimal);
    live.answer(push, &answer, (401, Some("unauthorized")));
    let answer = server.post_json(push, Some(&first_token), &minimal);
    live.answer(push, &answer, (401, Some("unauthorized")));
    let answer = server.request("POST", push, &auth, b"{\"protocol_version\": 1,");
    live.answer(push, &answer, (400, Some("malformed_json")));
    let answer = server.request("POST", push, &auth, b"{\"a\": \"\xff\"}");
    live.answer(push, &answer, (400, Some("invalid_utf8")));
    let answer = server.request(
        "POST",
        push,
        &[auth[0], ("Content-Encoding", "gzip")],
        b"not gzip at all",
    );
    live.answer(push, &answer, (400, Some("bad_compression")));
    let answer = server.request("POST", push, &[auth[0], ("Content-Encoding", "br")], b"{}");
    live.answer(push, &answer, (415, Some("unsupported_encoding")));
    let bomb = gzip(&vec![b' '; gocua_server::api::MAX_JSON_BYTES + 1]);
    let answer = server.request(
        "POST",
        push,
        &[auth[0], ("Content-Encoding", "gzip")],
        &bomb,
    );
    live.answer(push, &answer, (413, Some("body_too_large")));
    // Below the documented 4 MiB on the wire, a plain body is read in full (no smaller default
    // limit of the HTTP framework applies).
    let mut padded = format!(
        r#"{{"protocol_version": {PROTOCOL_VERSION}, "device_id": "{device}", "changes": []"#
    )
    .into_bytes();
    padded.resize(3 * 1024 * 1024, b' ');
    padded.push(b'}');
    let answer = server.request("POST", push, &auth, &padded);
    live.answer(push, &answer, (200, None));
    let answer = server.post_json(
        push,
        Some(&token),
        &json!({"device_id": device, "changes": []}),
    );
    live.answer(push, &answer, (422, Some("invalid_body")));
    let answer = server.post_json(
        push,
        Some(&token),
        &json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": {}}),
    );
    live.answer(push, &answer, (422, Some("invalid_body")));
    let answer = server.post_json(
        push,
        Some(&token),
        &json!({"protocol_version": PROTOCOL_VERSION, "device_id": Uuid::now_v7(), "changes": []}),
    );
    live.answer(push, &answer, (403, Some("device_mismatch")));
    let many = json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": vec![json!({}); gocua_server::api::MAX_CHANGES_PER_PUSH + 1]});
    let answer = server.post_json(push, Some(&token), &many);
    live.answer(push, &answer, (413, Some("too_many_changes")));
    let answer = server.post_json(
        pull,
        Some(&token),
        &json!({"protocol_version": 2, "device_id": device}),
    );
    live.answer(pull, &answer, (400, Some("unsupported_protocol_version")));
    let answer = server.post_json(
        pull,
        Some(&token),
        &json!({"protocol_version": PROTOCOL_VERSION, "device_id": Uuid::now_v7()}),
    );
    live.answer(pull, &answer, (403, Some("device_mismatch")));

    // A real push: one of each kind, an unparsable record and an unknown kind; gzip both ways.
    let (team, member, campaign) = (server.team, server.member, server.campaign);
    let household = full_household(Uuid::now_v7(), team, member);
    let visit = full_visit(Uuid::now_v7(), household.id, team, member, campaign);
    let session = full_session(Uuid::now_v7(), team, member, campaign);
    let fb = feedback(
        Uuid::now_v7(),
        team,
        member,
        FeedbackSource::Visit(visit.id),
    );
    let foreign = Household {
        id: Uuid::now_v7(),
        commune_code: "00070".into(),
        hamlet_code: None,
        ..household.clone()
    };
    let mut changes: Vec<Value> = [
        Change::Household(household.clone()),
        Change::Visit(visit.clone()),
        Change::OutreachSession(session),
        Change::Feedback(fb),
        Change::Household(foreign),
    ]
    .iter()
    .map(|c| serde_json::to_value(c).expect("json"))
    .collect();
    changes.push(json!({"kind": "visit", "record": {"id": Uuid::now_v7(), "note": 5}}));
    changes.push(json!({"kind": "photo", "record": {"id": Uuid::now_v7()}}));
    let body =
        json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": changes});
    let answer = server.request(
        "POST",
        push,
        &[
            auth[0],
            ("Content-Encoding", "gzip"),
            ("Accept-Encoding", "gzip"),
        ],
        &gzip(&serde_json::to_vec(&body).expect("json")),
    );
    live.answer(push, &answer, (200, None));
    assert_eq!(
        answer.header("content-encoding"),
        Some("gzip"),
        "a large answer to a gzip-accepting client is compressed"
    );
    let results: PushResponse = serde_json::from_value(answer.json()).expect("push response");
    let verdicts: Vec<(String, Option<String>)> = results
        .results
        .iter()
        .map(|r| (r.status.as_str().to_owned(), r.code.clone()))
        .collect();
    let expected: Vec<(String, Option<String>)> = [
        ("accepted", None),
        ("accepted", None),
        ("accepted", None),
        ("accepted", None),
        ("rejected", Some("outside_team_area")),
        ("rejected", Some("invalid_record")),
        ("rejected", Some("invalid_record")),
    ]
    .iter()
    .map(|(s, c)| ((*s).to_owned(), c.map(str::to_owned)))
    .collect();
    assert_eq!(verdicts, expected, "{results:?}");
    assert_eq!(results.results[6].kind, RecordKind::Unknown("photo".into()));
    // Resent: duplicates. Changed under the same id: a conflict.
    let answer = server.post_json(push, Some(&token), &json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": [Change::Household(household), Change::Visit(visit.clone())]}));
    live.answer(push, &answer, (200, None));
    let statuses: Vec<String> = answer.json()["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["status"].as_str().expect("status").to_owned())
        .collect();
    assert_eq!(statuses, ["duplicate", "duplicate"]);
    let changed = Visit {
        people_reached: 3,
        ..visit.clone()
    };
    let answer = server.post_json(push, Some(&token), &json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": [Change::Visit(changed)]}));
    live.answer(push, &answer, (200, None));
    assert_eq!(
        answer.json()["results"][0]["code"],
        json!("conflict_different_content")
    );

    // Pull: full, then only achievements.
    let answer = server.post_json(
        pull,
        Some(&token),
        &json!({"protocol_version": PROTOCOL_VERSION, "device_id": device}),
    );
    live.answer(pull, &answer, (200, None));
    let full = answer.json();
    assert_eq!(full["full"], json!(true));
    assert!(!full["reference"]["areas"]
        .as_array()
        .expect("areas")
        .is_empty());
    let answer = server.post_json(pull, Some(&token), &json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "cursor": full["cursor"]}));
    live.answer(pull, &answer, (200, None));
    let delta = answer.json();
    assert_eq!(delta["full"], json!(false));
    assert!(delta["reference"]["areas"]
        .as_array()
        .expect("areas")
        .is_empty());
    assert_eq!(
        delta["reference"]["achievements"]
            .as_array()
            .expect("achievements")
            .len(),
        1
    );

    // Revocation works from the next request, for sync and for enrolment again.
    server
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.exec(
                "UPDATE devices SET revoked_at = ? WHERE id = ?",
                gocua_server::params![Utc::now(), device],
            )
        })
        .expect("revoke");
    let answer = server.post_json(
        pull,
        Some(&token),
        &json!({"protocol_version": PROTOCOL_VERSION, "device_id": device}),
    );
    live.answer(pull, &answer, (401, Some("device_revoked")));
    let answer = server.post_json(enrol, None, &enrol_body(&code, device));
    live.answer(enrol, &answer, (401, Some("device_revoked")));

    // A database failure: 503 with Retry-After, for a second device.
    let other_code = server.issue_code(chrono::Duration::hours(1));
    let other = Uuid::now_v7();
    let answer = server.post_json(enrol, None, &enrol_body(&other_code, other));
    live.answer(enrol, &answer, (200, None));
    let other_token = answer.json()["device_token"]
        .as_str()
        .expect("token")
        .to_owned();
    server
        .db
        .tx(|sql: &mut dyn Sql| sql.exec("DROP TABLE visits", &[]))
        .expect("drop");
    let answer = server.post_json(push, Some(&other_token), &json!({"protocol_version": PROTOCOL_VERSION, "device_id": other, "changes": [Change::Visit(visit)]}));
    live.answer(push, &answer, (503, Some("server_error")));

    // Enrolment is rate limited for everyone at once (bursts of 100, then 20 per second).
    let mut limited = None;
    for _ in 0..400 {
        let answer = server.post_json(enrol, None, &enrol_body("BBBB-BBBB", Uuid::now_v7()));
        if answer.status == 429 {
            limited = Some(answer);
            break;
        }
    }
    match limited {
        Some(answer) => live.answer(enrol, &answer, (429, Some("rate_limited"))),
        None => live
            .problems
            .push("400 quick enrolments were never rate limited".into()),
    }

    assert!(
        live.problems.is_empty(),
        "live answers and docs/openapi.yaml disagree:\n{}",
        live.problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// (e) Numbers and behaviours written in prose: read from the docs, compared with the code's
// constants and with a live server, so that changing one side without the other fails here.

/// The text with every run of whitespace made one space (the docs wrap their paragraphs).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `## N.` section of protocol.md (up to the next `## `), flattened.
fn md_section(md: &str, number: u32) -> String {
    let start = md
        .find(&format!("\n## {number}. "))
        .unwrap_or_else(|| panic!("protocol.md has no section {number}"));
    let rest = &md[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    flat(&rest[..end])
}

/// The decimal number (thousands commas allowed) that starts at the beginning of `s`.
fn leading_number(s: &str) -> Option<u64> {
    let digits: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The number right after `label` in `text` ("names 120 characters": label "names ").
fn number_after(text: &str, label: &str) -> Result<u64, String> {
    let at = text
        .find(label)
        .ok_or_else(|| format!("the docs no longer say \"{label}…\""))?;
    leading_number(&text[at + label.len()..])
        .ok_or_else(|| format!("no number after \"{label}\" in the docs"))
}

/// The number right before `label` in `text` ("20 assists per visit": label " assists per visit").
fn number_before(text: &str, label: &str) -> Result<u64, String> {
    let at = text
        .find(label)
        .ok_or_else(|| format!("the docs no longer say \"…{label}\""))?;
    let head = &text[..at];
    let start = head
        .rfind(|c: char| !(c.is_ascii_digit() || c == ','))
        .map_or(0, |i| i + 1);
    leading_number(&head[start..]).ok_or_else(|| format!("no number before \"{label}\""))
}

/// "R per second, bursts of B" (or "R requests per second, bursts of B") after `label`.
fn rate_after(text: &str, label: &str) -> Result<(u64, u64), String> {
    let at = text
        .find(label)
        .ok_or_else(|| format!("the docs no longer say \"{label}…\""))?;
    let rest = &text[at + label.len()..];
    let rest = &rest[..rest.len().min(120)];
    let rate = number_before(rest, " per second")
        .or_else(|_| number_before(rest, " requests per second"))?;
    let burst = number_after(rest, "bursts of ")?;
    Ok((rate, burst))
}

/// `NAME: RateLimiter::new(RATE, BURST)` in the server's sources: (requests per second, burst).
fn code_rate_limit(name: &str) -> (u64, u64) {
    let needle = format!("{name}: RateLimiter::new(");
    let found: Vec<(u64, u64)> = server_sources()
        .iter()
        .flat_map(|(_, text)| {
            text.match_indices(&needle)
                .map(|(i, _)| &text[i + needle.len()..])
        })
        .map(|rest| {
            let args = &rest[..rest.find(')').expect("closing parenthesis")];
            let (rate, burst) = args.split_once(',').unwrap_or_else(|| {
                panic!("{name}: expected RateLimiter::new(rate, burst), got ({args})")
            });
            let rate: f64 = rate
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name}: rate {rate}"));
            assert_eq!(
                rate.fract(),
                0.0,
                "{name}: the docs state whole requests per second"
            );
            let burst: u64 = burst
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name}: burst {burst}"));
            (rate as u64, burst)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one `{needle}…)` in server/src (the scanner needs a literal rate and burst): {found:?}"
    );
    found[0]
}

const MIB: usize = 1024 * 1024;

#[test]
fn documented_limits_are_the_codes_limits() {
    use gocua_protocol::validation::*;
    let doc = openapi();
    let md = protocol_md();
    let mut problems = Vec::new();
    let mut same = |what: &str, documented: Result<u64, String>, code: u64| match documented {
        Ok(n) if n == code => {}
        Ok(n) => problems.push(format!("{what}: the docs say {n}, the code has {code}")),
        Err(e) => problems.push(format!("{what}: {e}")),
    };

    // protocol.md §8, the table.
    let limits = md_section(&md, 8);
    let row = |start: &str| -> String {
        limits
            .split(" | ")
            .skip_while(|cell| !cell.ends_with(start))
            .nth(1)
            .map(str::to_owned)
            .unwrap_or_default()
    };
    same(
        "§8 body on the wire (MiB)",
        number_after(&row("request body on the wire (compressed or not)"), ""),
        (gocua_server::api::MAX_BODY_BYTES / MIB) as u64,
    );
    same(
        "§8 body after decompression (MiB)",
        number_after(&row("request body after decompression"), ""),
        (gocua_server::api::MAX_JSON_BYTES / MIB) as u64,
    );
    same(
        "§8 changes per push",
        number_after(&row("changes per push"), ""),
        gocua_server::api::MAX_CHANGES_PER_PUSH as u64,
    );
    let device = code_rate_limit("device_limiter");
    let enrol = code_rate_limit("enrol_limiter");
    for (what, documented, code) in [
        (
            "§8 requests per device",
            rate_after(&row("requests per device (push + pull)"), ""),
            device,
        ),
        (
            "§8 enrolments",
            rate_after(&row("enrolments, all callers together"), ""),
            enrol,
        ),
        (
            "§4 enrolment",
            rate_after(&md_section(&md, 4), "rate limit for enrolment ("),
            enrol,
        ),
        (
            "§4 per-token",
            rate_after(&md_section(&md, 4), "per-token rate limit ("),
            device,
        ),
        (
            "openapi.yaml enrol",
            rate_after(
                &flat(
                    operation(&doc, "/v1/devices/enrol", "post")["description"]
                        .as_str()
                        .unwrap_or(""),
                ),
                "share one rate limit (",
            ),
            enrol,
        ),
    ] {
        same(
            &format!("{what}: per second"),
            documented.clone().map(|d| d.0),
            code.0,
        );
        same(&format!("{what}: burst"), documented.map(|d| d.1), code.1);
    }
    // The 503's Retry-After (protocol.md §8 and §9, openapi.yaml's ServerError).
    let retry_after = server_sources()
        .iter()
        .find_map(|(_, text)| {
            let at = text.find("err.retry_after_secs = Some(")?;
            leading_number(&text[at + "err.retry_after_secs = Some(".len()..])
        })
        .expect("the database error's Retry-After in server/src/api/error.rs");
    same(
        "§8 database failure Retry-After",
        number_after(&limits, "`503 server_error` + `Retry-After: "),
        retry_after,
    );
    same(
        "openapi.yaml ServerError Retry-After",
        number_before(
            &flat(
                doc.pointer("/components/responses/ServerError/description")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            ),
            " s)",
        ),
        retry_after,
    );
    // openapi.yaml's prose about the same limits.
    let described =
        |pointer: &str| flat(doc.pointer(pointer).and_then(Value::as_str).unwrap_or(""));
    let too_large = described("/components/responses/BodyTooLarge/description");
    same(
        "openapi.yaml BodyTooLarge (wire)",
        number_after(&too_large, "More than "),
        (gocua_server::api::MAX_BODY_BYTES / MIB) as u64,
    );
    same(
        "openapi.yaml BodyTooLarge (decompressed)",
        number_before(&too_large, " MiB decompressed"),
        (gocua_server::api::MAX_JSON_BYTES / MIB) as u64,
    );
    same(
        "openapi.yaml push: changes per request",
        number_after(
            &described("/paths/~1v1~1sync~1push/post/description"),
            "At most ",
        ),
        gocua_server::api::MAX_CHANGES_PER_PUSH as u64,
    );
    same(
        "openapi.yaml PushTooLarge",
        number_after(
            &described("/components/responses/PushTooLarge/description"),
            "more than ",
        ),
        gocua_server::api::MAX_CHANGES_PER_PUSH as u64,
    );

    // protocol.md §8, the validation limits (protocol/src/validation.rs).
    let at = limits
        .find("Validation limits")
        .expect("protocol.md §8 has a paragraph on validation limits");
    let rules = &limits[at..];
    let range_after = |label: &str| -> Result<(u64, u64), String> {
        let low = number_after(rules, label)?;
        let at = rules.find(label).expect("found above") + label.len();
        let dash = rules[at..]
            .find('–')
            .ok_or_else(|| format!("no range after \"{label}\""))?;
        let high = leading_number(&rules[at + dash + '–'.len_utf8()..])
            .ok_or_else(|| format!("no upper bound after \"{label}\""))?;
        Ok((low, high))
    };
    for (what, documented, code) in [
        (
            "names",
            number_after(rules, "names "),
            MAX_NAME_CHARS as u64,
        ),
        (
            "addresses and session places",
            number_after(rules, "addresses and session places "),
            MAX_ADDRESS_CHARS as u64,
        ),
        (
            "notes",
            number_after(rules, "notes "),
            MAX_NOTE_CHARS as u64,
        ),
        (
            "feedback text",
            number_after(rules, "feedback text "),
            MAX_FEEDBACK_CHARS as u64,
        ),
        (
            "dossier codes",
            number_after(rules, "dossier codes "),
            MAX_DOSSIER_CODE_CHARS as u64,
        ),
        (
            "household members (max)",
            range_after("household members ").map(|r| r.1),
            u64::from(MAX_HOUSEHOLD_MEMBERS),
        ),
        (
            "people reached per visit (max)",
            range_after("people reached per visit ").map(|r| r.1),
            u64::from(MAX_PEOPLE_PER_VISIT),
        ),
        (
            "assists per visit",
            number_before(rules, " assists per visit"),
            MAX_ASSISTS_PER_VISIT as u64,
        ),
        (
            "session attendees",
            number_after(rules, "session attendees at most "),
            u64::from(MAX_SESSION_ATTENDEES),
        ),
        (
            "visit length (hours)",
            number_after(rules, "a visit lasts at most "),
            MAX_VISIT_HOURS as u64,
        ),
        (
            "days back",
            number_before(rules, " days back"),
            MAX_BACKDATE_DAYS as u64,
        ),
        (
            "hours ahead",
            number_before(rules, " hours ahead"),
            MAX_AHEAD_HOURS as u64,
        ),
        (
            "earliest year",
            number_after(rules, "never before "),
            u64::try_from(chrono::Datelike::year(&earliest_plausible())).expect("a year AD"),
        ),
    ] {
        same(&format!("§8 validation: {what}"), documented, code);
    }
    same(
        "§8 validation: household members (min)",
        range_after("household members ").map(|r| r.0),
        1,
    );
    same(
        "§8 validation: people reached (min)",
        range_after("people reached per visit ").map(|r| r.0),
        0,
    );
    if !(MAX_FOLLOW_UP_DAYS == 365 && rules.contains("follow-up date within a year")) {
        problems.push(format!(
            "§8 validation: a follow-up date \"within a year\" in the docs, {MAX_FOLLOW_UP_DAYS} days in the code"
        ));
    }

    assert!(
        problems.is_empty(),
        "the docs' limits and the code's differ (fix whichever is wrong):\n{}",
        problems.join("\n")
    );
}

/// Enrols one phone on a test server: (device id, token).
fn enrol_one(server: &TestServer) -> (Uuid, String) {
    let code = server.issue_code(chrono::Duration::hours(1));
    let device = Uuid::now_v7();
    let answer = server.post_json(
        "/v1/devices/enrol",
        None,
        &json!({"protocol_version": PROTOCOL_VERSION, "code": code, "device_id": device, "device_label": "Galaxy A05", "app_version": "0.1.0"}),
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let token = answer.json()["device_token"]
        .as_str()
        .expect("token")
        .to_owned();
    (device, token)
}

/// Sends requests until one is answered 429; checks that the documented burst got through (and
/// not more than the burst plus what the documented rate refilled meanwhile), and the 429.
fn count_until_limited(
    what: &str,
    (rate, burst): (u64, u64),
    already_spent: u64,
    started: std::time::Instant,
    mut send: impl FnMut() -> Answer,
    problems: &mut Vec<String>,
) {
    let mut passed = already_spent;
    for _ in 0..(burst * 4) {
        let answer = send();
        if answer.status != 429 {
            passed += 1;
            continue;
        }
        let refilled = (started.elapsed().as_secs_f64() * rate as f64).ceil() as u64;
        if passed < burst || passed > burst + refilled + 1 {
            problems.push(format!(
                "{what}: {passed} requests got through before the first 429; the docs say bursts of {burst} (then {rate} per second: at most {} here)",
                burst + refilled + 1
            ));
        }
        let body = answer.json();
        let retry = answer
            .header("retry-after")
            .and_then(|s| s.parse::<u64>().ok());
        if body["code"] != json!("rate_limited")
            || !retry.is_some_and(|s| (1..=1 + 1 / rate.max(1)).contains(&s))
        {
            problems.push(format!("{what}: 429 without rate_limited and a Retry-After of about 1/{rate} s: {body}, {retry:?}"));
        }
        return;
    }
    problems.push(format!(
        "{what}: {} quick requests were never rate limited (docs: bursts of {burst})",
        burst * 4
    ));
}

#[test]
fn documented_rate_limits_hold_on_a_live_server() {
    let doc = openapi();
    let md = protocol_md();
    let limits = md_section(&md, 8);
    let documented =
        |label: &str| rate_after(&limits, label).unwrap_or_else(|e| panic!("protocol.md §8: {e}"));
    let enrol_limit = documented("enrolments, all callers together | ");
    let device_limit = documented("requests per device (push + pull) | ");
    let enrol_in_openapi = rate_after(
        &flat(
            operation(&doc, "/v1/devices/enrol", "post")["description"]
                .as_str()
                .unwrap_or(""),
        ),
        "share one rate limit (",
    )
    .expect("openapi.yaml states the enrolment rate limit");
    assert_eq!(
        enrol_in_openapi, enrol_limit,
        "openapi.yaml and protocol.md §8 disagree on the enrolment limit"
    );

    let server = TestServer::start(true);
    let mut problems = Vec::new();
    let started = std::time::Instant::now();
    let (device, token) = enrol_one(&server);
    count_until_limited(
        "enrolment (all callers)",
        enrol_limit,
        1,
        started,
        || {
            server.post_json(
                "/v1/devices/enrol",
                None,
                &json!({"protocol_version": PROTOCOL_VERSION, "code": "BBBB-BBBB", "device_id": Uuid::now_v7(), "device_label": "x", "app_version": "0.1.0"}),
            )
        },
        &mut problems,
    );
    // The per-device limit is checked before the body is read: unreadable bodies count too.
    let bearer = format!("Bearer {token}");
    let started = std::time::Instant::now();
    count_until_limited(
        "push and pull (per device)",
        device_limit,
        0,
        started,
        || {
            server.request(
                "POST",
                "/v1/sync/pull",
                &[("Authorization", bearer.as_str())],
                b"{",
            )
        },
        &mut problems,
    );
    let _ = device;
    assert!(
        problems.is_empty(),
        "rate limits: docs and server differ:\n{}",
        problems.join("\n")
    );
}

/// The backticked words of the docs' claim that starts with `start` and ends with `end` (both in
/// the flattened text).
fn claim(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("protocol.md no longer says \"{start}…\""));
    let rest = &text[at..];
    let stop = rest
        .find(end)
        .unwrap_or_else(|| panic!("protocol.md: \"{start}…\" no longer ends with \"{end}\""));
    rest[..stop]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn documented_assist_id_rules_hold_on_a_live_server() {
    let md = flat(&protocol_md());
    let server = TestServer::start(true);
    let (device, token) = enrol_one(&server);
    let (team, member, campaign) = (server.team, server.member, server.campaign);
    let household = full_household(Uuid::now_v7(), team, member);
    let first = full_visit(Uuid::now_v7(), household.id, team, member, campaign);
    let fresh_assists = |v: &Visit| {
        let mut v = v.clone();
        for a in &mut v.assists {
            a.id = Uuid::now_v7();
        }
        v
    };
    // Another visit that reuses an assist id the server already has (of the first visit).
    let mut reusing = fresh_assists(&first);
    reusing.id = Uuid::now_v7();
    reusing.assists[1].id = first.assists[0].id;
    // A correction that copies its original's assist ids.
    let mut correction = first.clone();
    correction.id = Uuid::now_v7();
    correction.revision = 2;
    correction.supersedes = Some(first.id);
    // A visit repeating an id among its own assists.
    let mut repeating = fresh_assists(&first);
    repeating.id = Uuid::now_v7();
    repeating.assists[1].id = repeating.assists[0].id;
    // And a good visit after them in the same batch.
    let mut good = fresh_assists(&first);
    good.id = Uuid::now_v7();
    good.started_at -= chrono::Duration::minutes(1);
    let changes = [
        Change::Household(household),
        Change::Visit(first),
        Change::Visit(reusing),
        Change::Visit(correction),
        Change::Visit(repeating),
        Change::Visit(good),
    ];
    let answer = server.post_json(
        "/v1/sync/push",
        Some(&token),
        &json!({"protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": changes}),
    );
    assert_eq!(
        answer.status,
        200,
        "a reused assist id never fails the whole batch: {}",
        String::from_utf8_lossy(&answer.body)
    );
    let results: PushResponse = serde_json::from_value(answer.json()).expect("push response");
    let verdict = |i: usize| {
        let r = &results.results[i];
        (
            r.status.as_str().to_owned(),
            r.code.clone().unwrap_or_default(),
            r.field.clone(),
        )
    };
    assert_eq!(verdict(0).0, "accepted", "{results:?}");
    assert_eq!(verdict(1).0, "accepted", "{results:?}");
    assert_eq!(
        verdict(5).0,
        "accepted",
        "the rest of the batch goes on: {results:?}"
    );

    // What protocol.md says, in §5 ("Visits and their corrections") and in §12.
    let stored = claim(
        &md,
        "an assist id the server already has",
        "; nothing of the visit is stored",
    );
    let repeated = claim(
        &md,
        "An assist id repeated within one visit",
        " for the second one",
    );
    let caveat = claim(&md, "**A reused assist id", "(section 5,");
    let mut problems = Vec::new();
    for (what, i) in [
        ("an assist id of another visit", 2),
        ("a correction copying its original's assist ids", 3),
    ] {
        let (status, code, _) = verdict(i);
        for words in [&stored, &caveat] {
            if !(words.contains(&status) && words.contains(&code)) {
                problems.push(format!(
                    "{what}: the server answers `{status}`, `{code}`; protocol.md says {words:?}"
                ));
            }
        }
    }
    let (status, code, field) = verdict(4);
    let field = format!("field: \"{}\"", field.unwrap_or_default());
    if !(repeated.contains(&status) && repeated.contains(&code) && repeated.contains(&field)) {
        problems.push(format!("a repeated assist id within a visit: the server answers `{status}`, `{code}`, `{field}`; protocol.md §5 says {repeated:?}"));
    }
    if !(caveat.contains(&status) && caveat.contains(&code)) {
        problems.push(format!("a repeated assist id within a visit: the server answers `{status}`, `{code}`; protocol.md §12 says {caveat:?}"));
    }
    assert!(
        problems.is_empty(),
        "assist ids: docs and server differ:\n{}",
        problems.join("\n")
    );
}
