package vn.gocua.ui.nav

import kotlinx.serialization.Serializable
import uniffi.gocua_ffi.FeedbackSource

/**
 * Where the volunteer is: typed routes for Navigation Compose, carrying record ids and nothing
 * else. Each navigation makes a new back-stack entry with its own id, ViewModelStore and
 * SavedStateHandle, so two visits to the same household (or two outreach sessions in a row) are
 * two entries with two state holders: nothing is looked up by a text or a hash.
 */
object Dest {
    // The four tabs; Today is the bottom of the back stack.
    @Serializable data object Today
    /** [pickForVisit]: opened from "+ Ghi lượt đến hộ": a household tapped opens a new visit. */
    @Serializable data class Households(val pickForVisit: Boolean = false)
    @Serializable data object Queue
    @Serializable data object Settings

    @Serializable data class HouseholdDetail(val householdId: String)
    /**
     * [headName], [hamletCode]: what the search had, to save typing it twice (only a starting value).
     * [editId]: "Sửa thông tin hộ" of a household kept. [draftKey]: a draft reopened from Today.
     */
    @Serializable data class HouseholdForm(
        val headName: String = "", val hamletCode: String? = null, val thenVisit: Boolean = false,
        val editId: String? = null, val draftKey: String? = null,
    )
    @Serializable data class NewVisit(val householdId: String)
    @Serializable data class CorrectVisit(val visitId: String)
    @Serializable data class Session(val draftKey: String? = null)
    /** "Sửa" on an outreach session the server refused. */
    @Serializable data class CorrectSession(val sessionId: String)
    /** Walk lists: the leader's assigning screen; a hamlet of "my list" opened on its households not yet visited. */
    @Serializable data object Assign
    @Serializable data class WalkHamlet(val hamletCode: String)
    /** Feedback about a visit, a session, or in general (both null). */
    @Serializable data class Feedback(val visitId: String? = null, val sessionId: String? = null, val draftKey: String? = null) {
        val source: FeedbackSource
            get() = when {
                visitId != null -> FeedbackSource.Visit(visitId)
                sessionId != null -> FeedbackSource.Session(sessionId)
                else -> FeedbackSource.General
            }
    }
    @Serializable data class ServiceGuide(val serviceKey: String)
}
