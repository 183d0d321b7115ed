package vn.gocua.ui.screens

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import uniffi.gocua_ffi.FeedbackSource
import uniffi.gocua_ffi.feedbackCategories
import uniffi.gocua_protocol.FeedbackCategory
import vn.gocua.fieldkit.state.FeedbackState
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.Field
import vn.gocua.ui.components.FieldError
import vn.gocua.ui.components.FormActions
import vn.gocua.ui.components.FormFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** Feedback: difficulties, obstacles, recommendations — they go into the unit's report. */
@Composable
fun FeedbackScreen(
    state: FeedbackState,
    actions: FormActions = FormActions(),
    onCategory: (FeedbackCategory) -> Unit = {},
    onText: (String) -> Unit = {},
) {
    val lang = LocalLang.current
    val categories = remember { feedbackCategories() }
    FormFrame(t("Khó khăn, vướng mắc, kiến nghị", "Difficulties and recommendations"), t("Gửi phản ánh", "Save feedback"), state.busy, actions) {
        if (state.source !is FeedbackSource.General) {
            Text(state.source.label(lang), style = MaterialTheme.typography.bodyMedium)
        }
        ErrorBanner(state.error)
        SectionTitle(t("Loại", "Category"))
        Chips(categories, { it == state.category }, { it.label(lang) }, onCategory)
        FieldError(state.error, "category")
        Field(t("Nội dung", "What happened"), state.text, onText, state.error, "text", singleLine = false)
        if (state.savedId != null) Text(t("Đã lưu. Sẽ gửi khi đồng bộ.", "Saved. It will be sent at the next sync."))
    }
}
