package vn.gocua.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import vn.gocua.fieldkit.state.FeedbackState
import vn.gocua.fieldkit.state.Vocab
import vn.gocua.fieldkit.state.label
import vn.gocua.ui.components.Chips
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
    onCategory: (String) -> Unit = {},
    onText: (String) -> Unit = {},
    onSave: () -> Unit = {},
) {
    val lang = LocalLang.current
    ScreenFrame(t("Khó khăn, vướng mắc, kiến nghị", "Difficulties and recommendations"), onBack = onBack) {
        if (state.sourceType != "general") {
            Text(t("Gắn với lượt đến hộ hoặc buổi tuyên truyền vừa ghi.", "Linked to the visit or session just recorded."), style = MaterialTheme.typography.bodyMedium)
        }
        ErrorBanner(state.error)
        SectionTitle(t("Loại", "Category"))
        Chips(Vocab.of(Vocab.FEEDBACK_CATEGORY), { it.code == state.category }, { it.label(lang) }) { onCategory(it.code) }
        FieldError(state.error?.field("category"))
        Field(t("Nội dung", "What happened"), state.text, onText, state.error, "text", singleLine = false)
        Button(onClick = onSave, enabled = !state.busy, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(t("Gửi phản ánh", "Save feedback")) }
        if (state.savedId != null) Text(t("Đã lưu. Sẽ gửi khi đồng bộ.", "Saved. It will be sent at the next sync."))
    }
}
