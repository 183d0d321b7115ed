//! The reference data the demo imports: the official area list and the starter service
//! catalogue, built into the binary from the repository's `data/`, or read from `--data`.

use std::path::{Path, PathBuf};

use super::DemoError;

pub const AREAS_FILE: &str = "vn-admin-units-2025-07.csv";
pub const SERVICES_FILE: &str = "services-starter.csv";

/// The repository's `data/` files the demo needs, built into the binary so that `gocua demo` runs
/// from any directory, with nothing beside the executable.
const BUILT_IN_AREAS: &[u8] = include_bytes!("../../../../data/vn-admin-units-2025-07.csv");
const BUILT_IN_SERVICES: &[u8] = include_bytes!("../../../../data/services-starter.csv");

/// The area list and the service catalogue the demo imports, and where they came from.
pub struct ReferenceData {
    /// The `--data` directory they were read from; `None` for the built-in copy.
    pub dir: Option<PathBuf>,
    pub areas_csv: Vec<u8>,
    pub services_csv: Vec<u8>,
}

/// The demo's reference data: from `dir` (`--data`) when given — which must then hold both
/// files — else the copy of the repository's `data/` built into the binary.
pub fn reference_data(dir: Option<&Path>) -> Result<ReferenceData, DemoError> {
    let Some(dir) = dir else {
        return Ok(ReferenceData {
            dir: None,
            areas_csv: BUILT_IN_AREAS.to_vec(),
            services_csv: BUILT_IN_SERVICES.to_vec(),
        });
    };
    if !(dir.join(AREAS_FILE).is_file() && dir.join(SERVICES_FILE).is_file()) {
        return Err(DemoError::DataNotFound(vec![dir.to_path_buf()]));
    }
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    Ok(ReferenceData {
        areas_csv: read(&dir.join(AREAS_FILE))?,
        services_csv: read(&dir.join(SERVICES_FILE))?,
        dir: Some(dir),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, DemoError> {
    std::fs::read(path).map_err(|source| DemoError::Read {
        path: path.to_path_buf(),
        source,
    })
}
