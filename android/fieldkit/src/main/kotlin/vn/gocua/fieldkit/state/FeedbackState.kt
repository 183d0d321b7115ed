package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.FeedbackDraft
import uniffi.gocua_ffi.FeedbackSource
import uniffi.gocua_ffi.feedbackCategories
import uniffi.gocua_protocol.FeedbackCategory
import vn.gocua.fieldkit.FieldKit

data class FeedbackState(
    /** One of the core's categories (`feedbackCategories()`); null until [FeedbackViewModel.start]. */
    val category: FeedbackCategory? = null,
    val text: String = "",
    /** General, or raised during a visit or a session (with its id). */
    val source: FeedbackSource = FeedbackSource.General,
    val areaCode: String? = null,
    override val busy: Boolean = false,
    override val error: UiError? = null,
    val savedId: String? = null,
) : RecordFormState<FeedbackState> {
    override fun withStatus(busy: Boolean, error: UiError?) = copy(busy = busy, error = error)
}

/** Feedback (khó khăn, vướng mắc, kiến nghị): a category and free text, for the report. */
class FeedbackViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    RecordFormHolder<FeedbackState>(FeedbackState(), scope, kit.io) {

    /** The key of this form's draft in the core (`saveDraft`): saving the record deletes that draft in the same transaction. */
    var draftKey: String? = null

    fun start(source: FeedbackSource = FeedbackSource.General, areaCode: String? = null) =
        set { FeedbackState(category = feedbackCategories().first(), source = source, areaCode = areaCode) }

    fun onCategory(category: FeedbackCategory) = set { it.copy(category = category, error = null) }
    fun onText(s: String) = set { it.copy(text = s, error = null) }

    fun submit(): Job = launch {
        val s = current
        val category = s.category ?: feedbackCategories().first()
        // The text goes as typed: the core tidies it (and refuses it empty).
        val draft = FeedbackDraft(source = s.source, category = category, text = s.text, areaCode = s.areaCode, draftKey = draftKey)
        record(kit, { kit.profile.recordFeedback(draft) }) { copy(savedId = it) }
    }
}
