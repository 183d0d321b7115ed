package vn.gocua.ui.screens

import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import uniffi.gocua_ffi.sessionKinds
import uniffi.gocua_protocol.SessionKind
import vn.gocua.fieldkit.state.SessionState
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.DateField
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.Field
import vn.gocua.ui.components.FieldError
import vn.gocua.ui.components.FormActions
import vn.gocua.ui.components.FormFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** Outreach session (buổi tuyên truyền, tư vấn). */
@Composable
fun SessionScreen(
    state: SessionState,
    actions: FormActions = FormActions(),
    onKind: (SessionKind) -> Unit = {},
    onArea: (String) -> Unit = {},
    onPlace: (String) -> Unit = {},
    onHeldOn: (String) -> Unit = {},
    onAttendees: (String) -> Unit = {},
    onMaterials: (String) -> Unit = {},
    onNote: (String) -> Unit = {},
) {
    val lang = LocalLang.current
    val e = state.error
    val kinds = remember { sessionKinds() }
    val title = if (state.correcting != null) t("Sửa buổi tuyên truyền", "Correct the session") else t("Buổi tuyên truyền, tư vấn", "Outreach session")
    FormFrame(title, t("Lưu buổi tuyên truyền", "Save session"), state.busy, actions) {
        ErrorBanner(e)
        SectionTitle(t("Hình thức", "Kind"))
        Chips(kinds, { it == state.kind }, { it.label(lang) }, onKind)
        FieldError(e, "kind")
        SectionTitle(t("Địa bàn", "Area"))
        Chips(state.areas, { it.code == state.areaCode }, { it.name }) { onArea(it.code) }
        FieldError(e, "area_code")
        Field(t("Địa điểm", "Place"), state.place, onPlace, e, "place")
        DateField(t("Ngày tổ chức (ngày/tháng/năm)", "Date held (day/month/year)"), state.heldOn, onHeldOn, e, "held_on")
        Field(t("Số người tham dự", "Attendees"), state.attendees, onAttendees, e, "attendees", number = true)
        Field(t("Tài liệu đã dùng (cách nhau bởi dấu phẩy)", "Materials used (comma-separated)"), state.materials, onMaterials, e, "materials")
        Field(t("Ghi chú", "Note"), state.note, onNote, e, "note", singleLine = false)
        if (state.savedId != null) Text(t("Đã lưu. Sẽ gửi khi đồng bộ.", "Saved. It will be sent at the next sync."))
    }
}
