package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.FeedbackDraft
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.text.VietText

data class FeedbackState(
    val category: String = "",
    val text: String = "",
    /** "general", or "visit"/"session" with [sourceId]: feedback raised during that visit or session. */
    val sourceType: String = "general",
    val sourceId: String? = null,
    val areaCode: String? = null,
    val busy: Boolean = false,
    val error: UiError? = null,
    val savedId: String? = null,
)

/** Feedback (khó khăn, vướng mắc, kiến nghị): a category and free text, for the report. */
class FeedbackViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<FeedbackState>(FeedbackState(), scope, kit.io) {

    fun start(sourceType: String = "general", sourceId: String? = null, areaCode: String? = null) =
        set { FeedbackState(category = Vocab.of(Vocab.FEEDBACK_CATEGORY).first().code, sourceType = sourceType, sourceId = sourceId, areaCode = areaCode) }

    fun onCategory(code: String) = set { it.copy(category = code, error = null) }
    fun onText(s: String) = set { it.copy(text = s, error = null) }

    fun submit(): Job = launch {
        val s = current
        val draft = FeedbackDraft(s.sourceType, s.sourceId, s.category, VietText.clean(s.text), s.areaCode)
        set { it.copy(busy = true) }
        core { kit.profile.recordFeedback(draft) }
            .onSuccess { id -> set { it.copy(busy = false, savedId = id, error = null) }; kit.requestSyncSoon() }
            .onFailure { e -> set { it.copy(busy = false, error = e.ui) } }
    }
}
