package vn.gocua.ui.screens

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import uniffi.gocua_protocol.Lang
import vn.gocua.fieldkit.state.SettingsState
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.components.SwitchRow
import vn.gocua.ui.theme.t

/** Settings: sync on wifi only, language, and who this phone is enrolled as. */
@Composable
fun SettingsScreen(
    state: SettingsState,
    onWifiOnly: (Boolean) -> Unit = {},
    onLang: (Lang) -> Unit = {},
) {
    ScreenFrame(t("Cài đặt", "Settings")) {
        SectionTitle(t("Đồng bộ", "Sync"))
        SwitchRow(t("Chỉ đồng bộ khi có wifi", "Sync on wifi only"), state.settings.wifiOnly, onWifiOnly)
        Text(
            t("Khi tắt, ứng dụng cũng gửi bằng dữ liệu di động. Bạn luôn có thể bấm \"Gửi ngay\" ở màn hình Hôm nay.",
                "When off, the app also sends over mobile data. You can always tap \"Send now\" on the Today screen."),
            style = MaterialTheme.typography.bodyMedium,
        )
        SectionTitle(t("Ngôn ngữ", "Language"))
        Chips(listOf(Lang.VI, Lang.EN), { it == state.settings.lang }, { if (it == Lang.VI) "Tiếng Việt" else "English" }, onLang)
        state.profile?.let { p ->
            SectionTitle(t("Điện thoại này", "This phone"))
            InfoCard {
                Text(t("Tình nguyện viên: ${p.volunteerName}", "Volunteer: ${p.volunteerName}"))
                Text(t("Đội: ${p.teamName.orEmpty()}", "Team: ${p.teamName.orEmpty()}"))
                p.serverUrl?.let { Text(t("Máy chủ: $it", "Server: $it"), style = MaterialTheme.typography.bodyMedium) }
                Text(t("Mã thiết bị: ${p.deviceId.take(8)}", "Device id: ${p.deviceId.take(8)}"), style = MaterialTheme.typography.bodyMedium)
            }
        }
    }
}
