package vn.gocua.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.Icon
import androidx.compose.ui.Alignment
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import uniffi.gocua_ffi.formatCount
import uniffi.gocua_protocol.VisitOutcome
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.formatDayTime
import vn.gocua.fieldkit.state.HouseholdDetailState
import vn.gocua.ui.components.EmptyNote
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** One household and its visits, newest first. */
@Composable
fun HouseholdDetailScreen(
    state: HouseholdDetailState,
    onBack: () -> Unit = {},
    onNewVisit: () -> Unit = {},
    onCorrect: (String) -> Unit = {},
    onFeedback: () -> Unit = {},
    onEdit: () -> Unit = {},
    onErase: () -> Unit = {},
    /** "Không có nhà" in one tap: records the not-home visit at once. */
    onNotHome: () -> Unit = {},
    /** "Gọi": the dialer with the household's number ([vn.gocua.ui.nav.GoCuaPlatform.dial]). */
    onCall: (String) -> Unit = {},
) {
    val lang = LocalLang.current
    val h = state.household
    var confirming by remember { mutableStateOf(false) }
    if (confirming) EraseDialog(onConfirm = { confirming = false; onErase() }, onDismiss = { confirming = false })
    ScreenFrame(h?.headName?.takeIf { it.isNotBlank() } ?: t("Hộ gia đình", "Household"), onBack = onBack) {
        ErrorBanner(state.error)
        if (h != null) {
            InfoCard {
                if (h.addressLine.isNotBlank()) Text(h.addressLine, style = MaterialTheme.typography.bodyLarge)
                Text(state.place, style = MaterialTheme.typography.bodyMedium)
                val members = formatCount(h.members.toLong(), lang)
                Text(t("$members người trong hộ", "$members people in the household"))
                h.phone?.let { phone -> PhoneRow(phone, onCall) }
                Text(if (h.consentGiven) t("Đã đồng ý lưu thông tin liên hệ", "Agreed to keep contact details") else t("Chưa đồng ý lưu thông tin liên hệ", "No consent to keep contact details"), style = MaterialTheme.typography.bodyMedium)
            }
            Button(onClick = onNewVisit, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(t("+ Ghi lượt đến hộ", "+ Log a visit")) }
            NotHomeNow(state, onNotHome)
            OutlinedButton(onClick = onFeedback, modifier = Modifier.fillMaxWidth()) { Text(t("Ghi phản ánh, kiến nghị", "Record feedback")) }
            if (h.erased) {
                EmptyNote(t("Dữ liệu cá nhân của hộ này đã được xóa theo yêu cầu.", "This household's personal data was erased on request."))
            } else {
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
                    OutlinedButton(onClick = onEdit, modifier = Modifier.weight(1f).heightIn(min = 48.dp)) {
                        Text(t("Sửa thông tin hộ", "Edit household"), textAlign = TextAlign.Center)
                    }
                    OutlinedButton(onClick = { confirming = true }, modifier = Modifier.weight(1f).heightIn(min = 48.dp)) {
                        Text(t("Xóa dữ liệu cá nhân", "Erase personal data"), color = MaterialTheme.colorScheme.error, textAlign = TextAlign.Center)
                    }
                }
            }
        }
        SectionTitle(t("Lịch sử đến hộ (${state.visits.size})", "Visit history (${state.visits.size})"))
        if (state.visits.isEmpty()) EmptyNote(t("Chưa có lượt đến nào.", "No visits yet."))
        state.visits.forEach { v ->
            InfoCard {
                Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
                    Text(formatDayTime(v.startedAt, lang), fontWeight = FontWeight.SemiBold, modifier = Modifier.weight(1f))
                    if (v.revision > 1u) Text(t("Đã sửa (lần ${v.revision})", "Corrected (rev. ${v.revision})"), style = MaterialTheme.typography.bodyMedium)
                }
                val people = formatCount(v.peopleReached.toLong(), lang)
                Text(v.outcome.label(lang) + " · " + t("$people người", "$people people"))
                v.assists.forEach { a ->
                    val name = t(a.serviceNameVi, a.serviceNameEn)
                    val extra = a.dossierCode?.let { " — $it" } ?: a.notFinishedReason?.let { " — " + it.label(lang) } ?: ""
                    Text("• $name: ${a.result.label(lang)}$extra", style = MaterialTheme.typography.bodyMedium)
                }
                v.followUpOn?.let { Text(t("Hẹn lại: ${formatDay(it, lang)}", "Follow up: ${formatDay(it, lang)}"), color = MaterialTheme.colorScheme.primary) }
                v.note?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
                OutlinedButton(onClick = { onCorrect(v.id) }) { Text(t("Sửa", "Correct")) }
            }
        }
    }
}

/** The number, and "Gọi" beside it: one tap opens the dialer with the number filled in. */
@Composable
private fun PhoneRow(phone: String, onCall: (String) -> Unit) {
    Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
        Text(t("Điện thoại: $phone", "Phone: $phone"), modifier = Modifier.weight(1f))
        val callLabel = t("Gọi $phone", "Call $phone")
        FilledTonalButton(
            onClick = { onCall(phone) },
            modifier = Modifier.heightIn(min = 48.dp).semantics { contentDescription = callLabel },
        ) {
            Icon(Icons.Filled.Call, contentDescription = null, modifier = Modifier.size(ButtonDefaults.IconSize))
            Spacer(Modifier.width(ButtonDefaults.IconSpacing))
            Text(t("Gọi", "Call"))
        }
    }
}

/** Asks before erasing: what goes (name, address, phone, notes, locations) and what stays (the counts). */
@Composable
private fun EraseDialog(onConfirm: () -> Unit, onDismiss: () -> Unit) {
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(t("Xóa dữ liệu cá nhân của hộ?", "Erase this household's personal data?")) },
        text = {
            Text(
                t(
                    "Họ tên chủ hộ, địa chỉ, số điện thoại, ghi chú và vị trí của các lượt đến hộ sẽ bị xóa khỏi máy này và máy chủ. " +
                        "Số lượt đến hộ, số người và các dịch vụ đã hỗ trợ vẫn được tính. Không thể hoàn tác.",
                    "The head's name, address, phone number, and the visits' notes and locations will be erased from this phone and the server. " +
                        "The visits, people reached and services supported still count. This cannot be undone.",
                ),
            )
        },
        confirmButton = {
            TextButton(onClick = onConfirm) { Text(t("Xóa dữ liệu", "Erase"), color = MaterialTheme.colorScheme.error) }
        },
        dismissButton = { TextButton(onClick = onDismiss) { Text(t("Không xóa", "Keep")) } },
    )
}

/**
 * The one-tap "Không có nhà" (the outcome's label is the core's) and, once recorded, what was
 * saved: the visit is at the top of the history below, where "Sửa" corrects a mistaken tap.
 */
@Composable
private fun NotHomeNow(state: HouseholdDetailState, onNotHome: () -> Unit) {
    val lang = LocalLang.current
    val notHome = VisitOutcome.NotHome.label(lang)
    OutlinedButton(
        onClick = onNotHome, enabled = !state.recordingNotHome,
        modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp).testTag("not-home-now"),
    ) {
        Text(t("$notHome — ghi ngay", "$notHome — record now"), textAlign = TextAlign.Center)
    }
    state.notHomeSaved?.let { v ->
        val at = formatDayTime(v.startedAt, lang)
        Text(
            t("✓ Đã ghi lượt đến: $notHome ($at). Sẽ gửi khi đồng bộ. Ghi nhầm thì bấm \"Sửa\" ở lượt đến này bên dưới.",
                "✓ Visit saved: $notHome ($at). It will be sent at the next sync. A mistake? Tap \"Correct\" on this visit below."),
            color = MaterialTheme.colorScheme.primary, fontWeight = FontWeight.Medium,
            modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite },
        )
    }
}
