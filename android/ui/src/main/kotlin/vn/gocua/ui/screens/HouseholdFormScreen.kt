package vn.gocua.ui.screens

import androidx.compose.runtime.Composable
import vn.gocua.fieldkit.state.HouseholdFormState
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.CheckboxRow
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.Field
import vn.gocua.ui.components.FieldError
import vn.gocua.ui.components.FormActions
import vn.gocua.ui.components.FormFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.t

/** A new household, when search did not find it. */
@Composable
fun HouseholdFormScreen(
    state: HouseholdFormState,
    actions: FormActions = FormActions(),
    onCommune: (String) -> Unit = {},
    onHamlet: (String?) -> Unit = {},
    onHeadName: (String) -> Unit = {},
    onAddress: (String) -> Unit = {},
    onPhone: (String) -> Unit = {},
    onMembers: (String) -> Unit = {},
    onConsent: (Boolean) -> Unit = {},
) {
    val title = if (state.editing != null) t("Sửa thông tin hộ", "Edit household") else t("Thêm hộ mới", "New household")
    FormFrame(title, t("Lưu hộ", "Save household"), state.busy, actions) {
        ErrorBanner(state.error)
        if (state.communes.size > 1) {
            SectionTitle(t("Xã, phường", "Commune"))
            Chips(state.communes, { it.code == state.communeCode }, { it.name }) { onCommune(it.code) }
        }
        FieldError(state.error, "commune_code")
        if (state.hamletsOfCommune.isNotEmpty()) {
            SectionTitle(t("Thôn, ấp, khu phố", "Hamlet"))
            Chips(state.hamletsOfCommune, { it.code == state.hamletCode }, { it.name }) { onHamlet(it.code) }
            FieldError(state.error, "hamlet_code")
        }
        Field(t("Họ tên chủ hộ", "Head of household"), state.headName, onHeadName, state.error, "head_name")
        Field(t("Địa chỉ (số nhà, đường, hẻm)", "Address (number, street, lane)"), state.addressLine, onAddress, state.error, "address_line")
        Field(t("Số người trong hộ", "People in the household"), state.members, onMembers, state.error, "members", number = true)
        Field(t("Số điện thoại (không bắt buộc)", "Phone (optional)"), state.phone, onPhone, state.error, "phone", number = true)
        if (state.asksConsent) {
            CheckboxRow(t("Chủ hộ đồng ý cho lưu số điện thoại", "The head of household agrees to keep the phone number"), state.consent, onConsent)
            FieldError(state.error, "consent")
        }
    }
}
