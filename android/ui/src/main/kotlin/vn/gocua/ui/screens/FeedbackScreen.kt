package vn.gocua.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.FeedbackSource
import uniffi.gocua_ffi.feedbackCategories
import uniffi.gocua_protocol.FeedbackCategory
import vn.gocua.fieldkit.state.FeedbackState
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.DiscardButton
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.Field
import vn.gocua.ui.components.FieldError
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** Feedback: difficulties, obstacles, recommendations — they go into the unit's report. */
@Composable
fun FeedbackScreen(
    state: FeedbackState,
    onBack: () -> Unit = {},
    /** "Hủy": the form and its draft thrown away (none: no button). */
    onDiscard: (() -> Unit)? = null,
    onCategory: (FeedbackCategory) -> Unit = {},
    onText: (String) -> Unit = {},
    onSave: () -> Unit = {},
) {
    val lang = LocalLang.current
    val categories = remember { feedbackCategories() }
    ScreenFrame(t("Khó khăn, vướng mắc, kiến nghị", "Difficulties and recommendations"), onBack = onBack) {
        if (state.source !is FeedbackSource.General) {
            Text(state.source.label(lang), style = MaterialTheme.typography.bodyMedium)
        }
        ErrorBanner(state.error)
        SectionTitle(t("Loại", "Category"))
        Chips(categories, { it == state.category }, { it.label(lang) }, onCategory)
        FieldError(state.error?.field("category"))
        Field(t("Nội dung", "What happened"), state.text, onText, state.error, "text", singleLine = false)
        Button(onClick = onSave, enabled = !state.busy, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(t("Gửi phản ánh", "Save feedback")) }
        DiscardButton(onDiscard)
        if (state.savedId != null) Text(t("Đã lưu. Sẽ gửi khi đồng bộ.", "Saved. It will be sent at the next sync."))
    }
}
