package vn.gocua.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.formatCount
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
) {
    val lang = LocalLang.current
    val h = state.household
    ScreenFrame(h?.headName ?: t("Hộ gia đình", "Household"), onBack = onBack) {
        ErrorBanner(state.error)
        if (h != null) {
            InfoCard {
                Text(h.addressLine, style = MaterialTheme.typography.bodyLarge)
                Text(state.place, style = MaterialTheme.typography.bodyMedium)
                val members = formatCount(h.members.toLong(), lang)
                Text(t("$members người trong hộ", "$members people in the household"))
                h.phone?.let { Text(t("Điện thoại: $it", "Phone: $it")) }
                Text(if (h.consentGiven) t("Đã đồng ý lưu thông tin liên hệ", "Agreed to keep contact details") else t("Chưa đồng ý lưu thông tin liên hệ", "No consent to keep contact details"), style = MaterialTheme.typography.bodyMedium)
            }
            Button(onClick = onNewVisit, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(t("+ Ghi lượt đến hộ", "+ Log a visit")) }
            OutlinedButton(onClick = onFeedback, modifier = Modifier.fillMaxWidth()) { Text(t("Ghi phản ánh, kiến nghị", "Record feedback")) }
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
