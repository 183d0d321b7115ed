package vn.gocua.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.QueueItemView
import vn.gocua.fieldkit.state.QueueRow
import vn.gocua.fieldkit.state.QueueState
import vn.gocua.fieldkit.text.Format
import vn.gocua.ui.components.EmptyNote
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** The queue: refused records first (with the server's reason, to fix and send again), then pending ones. */
@Composable
fun QueueScreen(
    state: QueueState,
    nowMs: Long,
    onBack: () -> Unit = {},
    onFix: (QueueItemView) -> Unit = {},
    onResend: (QueueItemView) -> Unit = {},
) {
    val lang = LocalLang.current
    ScreenFrame(t("Hàng chờ gửi", "Upload queue"), onBack = onBack) {
        ErrorBanner(state.error)
        SectionTitle(t("Bị máy chủ từ chối (${state.rejected.size})", "Refused by the server (${state.rejected.size})"))
        if (state.rejected.isEmpty()) EmptyNote(t("Không có mục nào bị từ chối.", "Nothing was refused."))
        state.rejected.forEach { row ->
            InfoCard {
                RowTitle(row)
                Text(t(row.item.reasonVi.orEmpty(), row.item.reasonEn.orEmpty()), color = MaterialTheme.colorScheme.error, fontWeight = FontWeight.Medium)
                row.item.reasonField?.let { f ->
                    val label = fieldLabel(f)
                    Text(t("Ô cần sửa: ${label.vi}", "Field to fix: ${label.en}"), style = MaterialTheme.typography.bodyMedium)
                }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
                    OutlinedButton(onClick = { onFix(row.item) }, modifier = Modifier.weight(1f)) { Text(t("Sửa", "Fix")) }
                    Button(onClick = { onResend(row.item) }, modifier = Modifier.weight(1f)) { Text(t("Gửi lại", "Send again")) }
                }
            }
        }
        SectionTitle(t("Đang chờ gửi (${state.pending.size})", "Waiting to send (${state.pending.size})"))
        if (state.pending.isEmpty()) EmptyNote(t("Đã gửi hết.", "Everything has been sent."))
        state.pending.forEach { row ->
            InfoCard {
                RowTitle(row)
                Text(
                    t("Ghi lúc ${Format.dayTime(row.item.queuedAtMs)} (${Format.ago(row.item.queuedAtMs, nowMs, lang)}), đã thử ${row.item.attempts} lần",
                        "Recorded ${Format.dayTime(row.item.queuedAtMs)} (${Format.ago(row.item.queuedAtMs, nowMs, lang)}), ${row.item.attempts} attempts"),
                    style = MaterialTheme.typography.bodyMedium,
                )
            }
        }
    }
}

/** The form field a server reason names ("assists[0].service_key"), as the user knows it. */
internal fun fieldLabel(field: String): vn.gocua.fieldkit.text.Text {
    val n = Regex("^assists\\[(\\d+)]\\.").find(field)?.groupValues?.get(1)?.toIntOrNull()
    val leaf = field.substringAfterLast('.')
    val (vi, en) = when (leaf) {
        "service_key" -> "dịch vụ" to "service"
        "dossier_code" -> "mã hồ sơ" to "dossier code"
        "not_finished_reason" -> "lý do chưa hoàn thành" to "reason not finished"
        "level_42", "level_43" -> "mức độ" to "level"
        "result" -> "kết quả" to "result"
        "people_reached" -> "số người được tuyên truyền" to "people reached"
        "follow_up_on" -> "ngày hẹn lại" to "follow-up date"
        "head_name" -> "họ tên chủ hộ" to "head of household"
        "address_line" -> "địa chỉ" to "address"
        "phone" -> "số điện thoại" to "phone"
        "commune_code", "hamlet_code", "area_code" -> "địa bàn" to "area"
        else -> field to field
    }
    return if (n != null) vn.gocua.fieldkit.text.Text("$vi (dịch vụ thứ ${n + 1})", "$en (service ${n + 1})") else vn.gocua.fieldkit.text.Text(vi, en)
}

@Composable
private fun RowTitle(row: QueueRow) {
    val kind = when (row.item.kind) {
        "household" -> t("Hộ gia đình", "Household")
        "visit" -> t("Lượt đến hộ", "Visit")
        "session" -> t("Buổi tuyên truyền", "Outreach session")
        "feedback" -> t("Phản ánh", "Feedback")
        else -> row.item.kind
    }
    Text(if (row.title.isNotEmpty()) "$kind — ${row.title}" else kind, fontWeight = FontWeight.SemiBold, style = MaterialTheme.typography.bodyLarge)
}
