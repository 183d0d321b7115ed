package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.ServiceGuideView
import vn.gocua.fieldkit.FieldKit

data class ServiceGuideState(
    /** The guide as the core hands it over: title, banner text, date label and ready-to-draw rows. */
    val guide: ServiceGuideView? = null,
    /** The service has no guide on this phone (e.g. it was removed at the last sync). */
    val missing: Boolean = false,
    val error: UiError? = null,
)

/**
 * One service's guide, opened from the visit form. Read from the phone's store (works offline);
 * the core parses the Markdown and formats the labels in the chosen language.
 */
class ServiceGuideViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<ServiceGuideState>(ServiceGuideState(), scope, kit.io) {

    fun load(serviceKey: String): Job = launch {
        val lang = kit.settings.settings.value.lang
        core { kit.profile.serviceGuide(serviceKey, lang) }
            .onSuccess { g -> set { ServiceGuideState(guide = g, missing = g == null) } }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }
}
