package vn.gocua.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import vn.gocua.fieldkit.state.EnrolState
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.Field
import vn.gocua.ui.components.FieldError
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.theme.t

/** Enrol this phone: scan the coordinator's QR code, or type the server address and the code. */
@Composable
fun EnrolScreen(
    state: EnrolState,
    onScan: () -> Unit = {},
    onServerUrl: (String) -> Unit = {},
    onCode: (String) -> Unit = {},
    onSubmit: () -> Unit = {},
) {
    ScreenFrame(t("Ghi danh điện thoại", "Enrol this phone")) {
        Text(
            t(
                "Cán bộ Đoàn cấp cho đội một mã ghi danh. Quét mã QR hoặc nhập mã để bắt đầu.",
                "Your Youth Union coordinator gives the team an enrolment code. Scan the QR code or type the code to start.",
            ),
            style = MaterialTheme.typography.bodyLarge,
        )
        Button(onClick = onScan, enabled = !state.busy, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
            Text(t("Quét mã QR", "Scan QR code"))
        }
        FieldError(state.error?.field("enrol_link")) // a QR code that is not a Gõ Cửa enrolment code
        ErrorBanner(state.error)
        Field(t("Địa chỉ máy chủ", "Server address"), state.serverUrl, onServerUrl, state.error, "server_url", placeholder = "https://…")
        Field(t("Mã ghi danh", "Enrolment code"), state.code, onCode, state.error, "code", placeholder = "ABCD-1234")
        OutlinedButton(onClick = onSubmit, enabled = !state.busy, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
            Text(if (state.busy) t("Đang ghi danh…", "Enrolling…") else t("Ghi danh", "Enrol"))
        }
        state.enrolled?.let { p ->
            Text(t("Đã ghi danh: ${p.volunteerName} — ${p.teamName.orEmpty()}", "Enrolled: ${p.volunteerName} — ${p.teamName.orEmpty()}"))
        }
    }
}
