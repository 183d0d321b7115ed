//! The server's folders are layers (docs/architecture.md): `cli/` → `app.rs` → `api/` and `web/`
//! → `domain/` → `db/`. A file may name (`crate::…`) its own layer or one below, never one above,
//! and `api/` and `web/` never name each other. Read from the source, so a new file that breaks
//! the order fails here with its path and line.

use std::path::{Path, PathBuf};

/// The layer of a top-level module; higher numbers may use lower ones.
fn rank(module: &str) -> Option<u8> {
    Some(match module {
        "cli" => 5,
        "app" => 4,
        "api" | "web" => 3,
        "domain" => 2,
        "db" => 1,
        // The db layer's exported macro lives at the crate root.
        "params" => 1,
        _ => return None,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/web/pages/flags.rs` → `web`, `src/app.rs` →
/// `app`); `None` for the crate's roots.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
    match first.as_str() {
        "lib.rs" | "main.rs" => None,
        f => Some(f.trim_end_matches(".rs").to_owned()),
    }
}

/// Every `crate::name` in `text` (comments included: a doc link to a layer above is a smell
/// too), with its line.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue; // `gocua_crate::`, `$crate::`
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
        }
    }
    out
}

#[test]
fn no_file_names_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let own = rank(&module).unwrap_or_else(|| {
            panic!(
                "{}: top-level module `{module}` has no layer; add it to `rank`",
                file.display()
            )
        });
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in crate_paths(&text) {
            seen += 1;
            let Some(theirs) = rank(&used) else {
                wrong.push(format!(
                    "{}:{line}: `crate::{used}` is not a layer",
                    file.display()
                ));
                continue;
            };
            let sideways = theirs == own && used != module && used != "params";
            if theirs > own || sideways {
                wrong.push(format!(
                    "{}:{line}: `{module}` names `crate::{used}`",
                    file.display()
                ));
            }
        }
    }
    assert!(seen > 100, "the scan found only {seen} crate paths");
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scan_sees_an_import_from_above() {
    let found = crate_paths(
        "use crate::web::i18n::Lang;\n// $crate::db::Value\nlet x = crate::params![1];",
    );
    assert_eq!(found, vec![(1, "web".to_owned()), (3, "params".to_owned())]);
}
