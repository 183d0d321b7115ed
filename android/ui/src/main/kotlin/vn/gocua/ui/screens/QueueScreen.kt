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
import uniffi.gocua_ffi.formatAgo
import uniffi.gocua_ffi.formatCount
import uniffi.gocua_ffi.formatDayTime
import uniffi.gocua_protocol.RecordKind
import vn.gocua.fieldkit.state.QueueState
import vn.gocua.ui.components.EmptyNote
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.pick
import vn.gocua.ui.theme.t

/** The records the app has an edit screen for: a visit, an outreach session (corrections) and a household. */
fun hasEditScreen(item: QueueItemView): Boolean =
    item.kind is RecordKind.Visit || item.kind is RecordKind.Household || item.kind is RecordKind.OutreachSession

/**
 * The queue: refused records first (with the server's reason, to fix and send again), then pending
 * ones. Every item shows what the core says it is — its kind's label, its title, a visit's services.
 */
@Composable
fun QueueScreen(
    state: QueueState,
    onBack: () -> Unit = {},
    onFix: (QueueItemView) -> Unit = {},
    onResend: (QueueItemView) -> Unit = {},
    canFix: (QueueItemView) -> Boolean = ::hasEditScreen,
) {
    val lang = LocalLang.current
    ScreenFrame(t("Hàng chờ gửi", "Upload queue"), onBack = onBack) {
        ErrorBanner(state.error)
        SectionTitle(t("Bị máy chủ từ chối (${state.rejected.size})", "Refused by the server (${state.rejected.size})"))
        if (state.rejected.isEmpty()) EmptyNote(t("Không có mục nào bị từ chối.", "Nothing was refused."))
        state.rejected.forEach { item ->
            InfoCard {
                ItemTitle(item)
                item.reason?.let { r ->
                    Text(t(r.messageVi, r.messageEn), color = MaterialTheme.colorScheme.error, fontWeight = FontWeight.Medium)
                    if (r.fieldLabelVi != null || r.fieldLabelEn != null) {
                        Text(t("Ô cần sửa: ${r.fieldLabelVi.orEmpty()}", "Field to fix: ${r.fieldLabelEn.orEmpty()}"), style = MaterialTheme.typography.bodyMedium)
                    }
                }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
                    if (canFix(item)) OutlinedButton(onClick = { onFix(item) }, modifier = Modifier.weight(1f)) { Text(t("Sửa", "Fix")) }
                    Button(onClick = { onResend(item) }, modifier = Modifier.weight(1f)) { Text(t("Gửi lại", "Send again")) }
                }
            }
        }
        SectionTitle(t("Đang chờ gửi (${state.pending.size})", "Waiting to send (${state.pending.size})"))
        if (state.pending.isEmpty()) EmptyNote(t("Đã gửi hết.", "Everything has been sent."))
        state.pending.forEach { item ->
            InfoCard {
                ItemTitle(item)
                val at = formatDayTime(item.queuedAt, lang)
                val ago = formatAgo(item.queuedAt, lang)
                val attempts = formatCount(item.attempts.toLong(), lang)
                Text(
                    t("Ghi lúc $at ($ago) · ${item.state.label(lang)}, đã thử $attempts lần", "Recorded $at ($ago) · ${item.state.label(lang)}, $attempts attempts"),
                    style = MaterialTheme.typography.bodyMedium,
                )
            }
        }
    }
}

/** "Lượt đến hộ — Nguyễn Văn Ả", then a visit's services by name. */
@Composable
private fun ItemTitle(item: QueueItemView) {
    val lang = LocalLang.current
    val kind = item.kind.label(lang)
    val title = t(item.titleVi, item.titleEn)
    Text(if (title.isNotEmpty()) "$kind — $title" else kind, fontWeight = FontWeight.SemiBold, style = MaterialTheme.typography.bodyLarge)
    if (item.services.isNotEmpty()) {
        Text(item.services.joinToString(", ") { lang.pick(it.nameVi, it.nameEn) }, style = MaterialTheme.typography.bodyMedium)
    }
}
