//! Joining a team: the one-time code from the coordinator buys a device token, kept (like all
//! data) inside the encrypted store together with the server address and the profile.

use gocua_protocol::{EnrolRequest, EnrolResponse, PROTOCOL_VERSION};

use crate::error::{Error, Result};
use crate::http::{self, HttpTransport};
use crate::store::{get_meta, set_meta, DeviceProfile, Store};

impl Store {
    /// Enrols this device with `server_url` using the coordinator's `code`, then stores the token,
    /// the server address and the profile. The first sync downloads the team's reference data.
    pub fn enrol(
        &self,
        server_url: &str,
        code: &str,
        device_label: &str,
        app_version: &str,
    ) -> Result<EnrolResponse> {
        let request = EnrolRequest {
            protocol_version: PROTOCOL_VERSION,
            code: code.trim().to_owned(),
            device_id: self.device_id(),
            device_label: device_label.to_owned(),
            app_version: app_version.to_owned(),
        };
        let response = http::enrol(server_url, &request)?;
        let profile = DeviceProfile {
            volunteer_id: response.volunteer_id,
            volunteer_name: response.volunteer_name.clone(),
            team_id: response.team_id,
        };
        self.write(|tx| {
            set_meta(tx, "server_url", server_url.trim_end_matches('/'))?;
            set_meta(tx, "device_token", &response.device_token)?;
            set_meta(tx, "team_name", &response.team_name)?;
            set_meta(tx, "profile", &serde_json::to_string(&profile)?)?;
            set_meta(tx, "last_server_time", &response.server_time.to_rfc3339())
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
