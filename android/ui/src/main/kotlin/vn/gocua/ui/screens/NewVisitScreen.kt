package vn.gocua.ui.screens

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import uniffi.gocua_ffi.assistResults
import uniffi.gocua_ffi.levels42
import uniffi.gocua_ffi.notFinishedReasons
import uniffi.gocua_ffi.visitOutcomes
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.state.NewVisitState
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.CheckboxRow
import vn.gocua.ui.components.DateField
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.Field
import vn.gocua.ui.components.FieldError
import vn.gocua.ui.components.FormActions
import vn.gocua.ui.components.FormFrame
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.pick
import vn.gocua.ui.theme.t

/**
 * New visit (or a correction of one): outcome, people reached, services with level and result,
 * the reason when not finished, dossier code, follow-up date, consent. The choices and their
 * labels are the core's; so is which fields a result needs. The core's problems appear under the
 * field they name, e.g. "assists[0].dossier_code". A service with a guide on the phone offers
 * "Hướng dẫn", which opens it (offline).
 */
@Composable
fun NewVisitScreen(
    state: NewVisitState,
    actions: FormActions = FormActions(),
    onOutcome: (VisitOutcome) -> Unit = {},
    onPeopleReached: (String) -> Unit = {},
    onAddService: (String) -> Unit = {},
    onRemoveService: (Int) -> Unit = {},
    onResult: (Int, AssistResult) -> Unit = { _, _ -> },
    onLevel42: (Int, Level42) -> Unit = { _, _ -> },
    onDossierCode: (Int, String) -> Unit = { _, _ -> },
    onReason: (Int, NotFinishedReason) -> Unit = { _, _ -> },
    onFollowUp: (String) -> Unit = {},
    onNote: (String) -> Unit = {},
    onConsent: (Boolean) -> Unit = {},
    onUseLocation: () -> Unit = {},
    onOpenGuide: (String) -> Unit = {},
) {
    val lang = LocalLang.current
    val e = state.error
    val outcomes = remember { visitOutcomes() }
    val levels = remember { levels42() }
    val results = remember { assistResults() }
    val reasons = remember { notFinishedReasons() }
    val title = if (state.correcting != null) t("Sửa lượt đến hộ", "Correct a visit") else t("Lượt đến hộ mới", "New visit")
    FormFrame(title, t("Lưu lượt đến hộ", "Save visit"), state.busy, actions, busyLabel = t("Đang lưu…", "Saving…")) {
        state.household?.let { h ->
            Text(h.headName, style = MaterialTheme.typography.titleMedium, fontWeight = FontWeight.SemiBold)
            Text(h.addressLine, style = MaterialTheme.typography.bodyMedium)
        }
        ErrorBanner(e)
        SectionTitle(t("Kết quả đến hộ", "Outcome"))
        Chips(outcomes, { it == state.outcome }, { it.label(lang) }, onOutcome)
        FieldError(e, "outcome")
        Field(t("Số người được tuyên truyền", "People reached"), state.peopleReached, onPeopleReached, e, "people_reached", number = true)

        SectionTitle(t("Dịch vụ đã hỗ trợ", "Services helped with"))
        FieldError(e, "assists")
        state.assists.forEachIndexed { i, a ->
            val service = state.services.firstOrNull { it.key == a.serviceKey }
            InfoCard {
                Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
                    Text(service?.let { t(it.nameVi, it.nameEn) } ?: a.serviceKey, fontWeight = FontWeight.SemiBold, modifier = Modifier.weight(1f))
                    if (a.serviceKey in state.guideKeys) {
                        TextButton(onClick = { onOpenGuide(a.serviceKey) }) { Text(t("Hướng dẫn", "Guide")) }
                    }
                    TextButton(onClick = { onRemoveService(i) }) { Text(t("Bỏ", "Remove")) }
                }
                FieldError(e, "assists[$i].service_key")
                Text(t("Mức độ (Nghị định 42/2022)", "Level (Decree 42/2022)"), style = MaterialTheme.typography.bodyMedium)
                Chips(levels, { it == a.level42 }, { it.label(lang) }) { onLevel42(i, it) }
                FieldError(e, "assists[$i].level_42")
                Text(t("Kết quả", "Result"), style = MaterialTheme.typography.bodyMedium)
                Chips(results, { it == a.result }, { it.label(lang) }) { onResult(i, it) }
                FieldError(e, "assists[$i].result")
                if (a.needsDossierCode) {
                    Field(t("Mã hồ sơ", "Dossier code"), a.dossierCode, { onDossierCode(i, it) }, e, "assists[$i].dossier_code")
                } else {
                    FieldError(e, "assists[$i].dossier_code")
                }
                if (a.needsReason) {
                    Text(t("Lý do chưa hoàn thành", "Why it could not be finished"), style = MaterialTheme.typography.bodyMedium)
                    Chips(reasons, { it == a.reason }, { it.label(lang) }) { onReason(i, it) }
                }
                FieldError(e, "assists[$i].not_finished_reason")
            }
        }
        if (state.allowsAssists) {
            Text(t("Thêm dịch vụ:", "Add a service:"), style = MaterialTheme.typography.bodyMedium)
            Chips(state.services, { false }, { lang.pick(it.nameVi, it.nameEn) }) { onAddService(it.key) }
        }

        DateField(t("Hẹn quay lại (ngày/tháng/năm)", "Follow up on (day/month/year)"), state.followUp, onFollowUp, e, "follow_up_on", placeholder = "30/11/2026")
        Field(t("Ghi chú", "Note"), state.note, onNote, e, "note", singleLine = false)
        if (state.asksConsent) {
            CheckboxRow(
                t("Hộ đồng ý cho lưu thông tin liên hệ (bỏ chọn: số điện thoại sẽ bị xóa)", "The household agrees to keep its contact details (unticked: the phone number is removed)"),
                state.consent, onConsent,
            )
            FieldError(e, "consent")
        }
        OutlinedButton(onClick = onUseLocation, modifier = Modifier.fillMaxWidth()) {
            Text(state.gps?.let { t("Đã lấy vị trí (±${it.accuracyM.toInt()} m)", "Location taken (±${it.accuracyM.toInt()} m)") } ?: t("Lấy vị trí (nếu đồng ý)", "Add location (if you agree)"))
        }
        FieldError(e, "gps")
    }
}
