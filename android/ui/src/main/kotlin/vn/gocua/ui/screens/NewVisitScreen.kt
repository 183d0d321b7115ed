package vn.gocua.ui.screens

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import vn.gocua.fieldkit.state.NewVisitState
import vn.gocua.fieldkit.state.Vocab
import vn.gocua.fieldkit.state.label
import vn.gocua.fieldkit.text.Lang
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.Field
import vn.gocua.ui.components.FieldError
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/**
 * New visit (or a correction of one): outcome, people reached, services with level and result,
 * the reason when not finished, dossier code, follow-up date, consent. The core's problems appear
 * under the field they name, e.g. "assists[0].dossier_code".
 */
@Composable
fun NewVisitScreen(
    state: NewVisitState,
    onBack: () -> Unit = {},
    onOutcome: (String) -> Unit = {},
    onPeopleReached: (String) -> Unit = {},
    onAddService: (String) -> Unit = {},
    onRemoveService: (Int) -> Unit = {},
    onResult: (Int, String) -> Unit = { _, _ -> },
    onLevel42: (Int, String) -> Unit = { _, _ -> },
    onDossierCode: (Int, String) -> Unit = { _, _ -> },
    onReason: (Int, String) -> Unit = { _, _ -> },
    onFollowUp: (String) -> Unit = {},
    onNote: (String) -> Unit = {},
    onConsent: (Boolean) -> Unit = {},
    onUseLocation: () -> Unit = {},
    onSave: () -> Unit = {},
) {
    val lang = LocalLang.current
    val e = state.error
    val title = if (state.correcting != null) t("Sửa lượt đến hộ", "Correct a visit") else t("Lượt đến hộ mới", "New visit")
    ScreenFrame(title, onBack = onBack) {
        state.household?.let { h ->
            Text(h.headName, style = MaterialTheme.typography.titleMedium, fontWeight = FontWeight.SemiBold)
            Text(h.addressLine, style = MaterialTheme.typography.bodyMedium)
        }
        ErrorBanner(e)
        SectionTitle(t("Kết quả đến hộ", "Outcome"))
        Chips(Vocab.of(Vocab.VISIT_OUTCOME), { it.code == state.outcome }, { it.label(lang) }) { onOutcome(it.code) }
        FieldError(e?.field("outcome"))
        Field(t("Số người được tuyên truyền", "People reached"), state.peopleReached, onPeopleReached, e, "people_reached", number = true)

        SectionTitle(t("Dịch vụ đã hỗ trợ", "Services helped with"))
        FieldError(e?.field("assists"))
        state.assists.forEachIndexed { i, a ->
            val service = state.services.firstOrNull { it.key == a.serviceKey }
            InfoCard {
                Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
                    Text(service?.let { if (lang == Lang.EN) it.nameEn else it.nameVi } ?: a.serviceKey, fontWeight = FontWeight.SemiBold, modifier = Modifier.weight(1f))
                    TextButton(onClick = { onRemoveService(i) }) { Text(t("Bỏ", "Remove")) }
                }
                FieldError(e?.field("assists[$i].service_key"))
                Text(t("Mức độ (Nghị định 42/2022)", "Level (Decree 42/2022)"), style = MaterialTheme.typography.bodyMedium)
                Chips(Vocab.of(Vocab.LEVEL_42), { it.code == a.level42 }, { it.label(lang) }) { onLevel42(i, it.code) }
                FieldError(e?.field("assists[$i].level_42"))
                Text(t("Kết quả", "Result"), style = MaterialTheme.typography.bodyMedium)
                Chips(Vocab.of(Vocab.ASSIST_RESULT), { it.code == a.result }, { it.label(lang) }) { onResult(i, it.code) }
                FieldError(e?.field("assists[$i].result"))
                if (state.needsDossier(i)) {
                    Field(t("Mã hồ sơ", "Dossier code"), a.dossierCode, { onDossierCode(i, it) }, e, "assists[$i].dossier_code")
                } else {
                    FieldError(e?.field("assists[$i].dossier_code"))
                }
                if (state.needsReason(i)) {
                    Text(t("Lý do chưa hoàn thành", "Why it could not be finished"), style = MaterialTheme.typography.bodyMedium)
                    Chips(Vocab.of(Vocab.NOT_FINISHED_REASON), { it.code == a.reason }, { it.label(lang) }) { onReason(i, it.code) }
                }
                FieldError(e?.field("assists[$i].not_finished_reason"))
            }
        }
        Text(t("Thêm dịch vụ:", "Add a service:"), style = MaterialTheme.typography.bodyMedium)
        Chips(state.services, { false }, { if (lang == Lang.EN) it.nameEn else it.nameVi }) { onAddService(it.key) }

        Field(t("Hẹn quay lại (ngày/tháng/năm)", "Follow up on (day/month/year)"), state.followUp, onFollowUp, e, "follow_up_on", placeholder = "30/11/2026")
        Field(t("Ghi chú", "Note"), state.note, onNote, e, "note", singleLine = false)
        if (state.household?.phone != null) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Checkbox(checked = state.consent, onCheckedChange = onConsent)
                Text(t("Hộ đồng ý cho lưu thông tin liên hệ (bỏ chọn: số điện thoại sẽ bị xóa)", "The household agrees to keep its contact details (unticked: the phone number is removed)"))
            }
        }
        OutlinedButton(onClick = onUseLocation, modifier = Modifier.fillMaxWidth()) {
            Text(state.gps?.let { t("Đã lấy vị trí (±${it.accuracyM.toInt()} m)", "Location taken (±${it.accuracyM.toInt()} m)") } ?: t("Lấy vị trí (nếu đồng ý)", "Add location (if you agree)"))
        }
        FieldError(e?.field("gps"))
        Button(onClick = onSave, enabled = !state.busy, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
            Text(if (state.busy) t("Đang lưu…", "Saving…") else t("Lưu lượt đến hộ", "Save visit"))
        }
    }
}
