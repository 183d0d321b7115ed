//! The reference data the demo imports: the official area list (July 2025) and the starter
//! service catalogue, as built into the binary (`domain::builtin_data`), or read from `--data`.

use std::path::{Path, PathBuf};

use super::DemoError;
use crate::domain::builtin_data::{self, AreaList};

pub const AREAS_FILE: &str = builtin_data::AREAS_2025_07_FILE;
pub const SERVICES_FILE: &str = builtin_data::SERVICES_FILE;

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
            areas_csv: AreaList::July2025.csv().to_vec(),
            services_csv: builtin_data::services_csv().to_vec(),
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
