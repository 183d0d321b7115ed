package vn.gocua.ui.nav

import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.SAVED_STATE_REGISTRY_OWNER_KEY
import androidx.lifecycle.SavedStateHandle
import androidx.lifecycle.VIEW_MODEL_STORE_OWNER_KEY
import androidx.lifecycle.ViewModel
import androidx.lifecycle.createSavedStateHandle
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.CreationExtras
import androidx.lifecycle.viewmodel.compose.viewModel
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineScope
import vn.gocua.fieldkit.state.UiError

/**
 * A fieldkit state holder kept in the ViewModelStore of the current owner — inside the NavHost,
 * the back-stack entry — running in the ViewModel's scope, with the entry's [SavedStateHandle]
 * (what the volunteer typed is kept there; it survives rotation and process death).
 * The state holders themselves are plain Kotlin, tested on the JVM.
 */
class Holder<T>(val saved: SavedStateHandle, create: (CoroutineScope) -> T) : ViewModel() {
    val value: T = create(viewModelScope)

    /** Whether [LaunchedOnce] has started its block for this holder. */
    internal var started = false

    /** Whether that block has finished (a form is loaded and its kept input put back): from then on, input is kept. */
    var ready = false
        internal set

    /** The volunteer threw the form away ("Hủy"): nothing more is kept of it. */
    var discarded = false
        internal set

    /** The core may hold a draft of this form (one was written or put back): one to delete if the form goes back to as it was. */
    internal var draftKept = false

    /** Why the last draft could not be kept by the core (shown above the form), or null. */
    var draftError by mutableStateOf<UiError?>(null)
        internal set
}

/**
 * The holder of type [T] of the current back-stack entry (created on first use). Keyed by type
 * within the entry's own store, so a new entry always gets a new holder.
 */
@Composable
inline fun <reified T : Any> rememberHolder(noinline create: (CoroutineScope) -> T): Holder<T> =
    viewModel(key = T::class.java.name) { Holder(savedStateHandleOrEmpty(), create) }

/**
 * The entry's SavedStateHandle; an empty one where the owner has no saved state (the root's
 * holders on the JVM: settings and enrolment keep nothing typed across process death).
 */
fun CreationExtras.savedStateHandleOrEmpty(): SavedStateHandle =
    if (this[SAVED_STATE_REGISTRY_OWNER_KEY] != null && this[VIEW_MODEL_STORE_OWNER_KEY] != null) createSavedStateHandle() else SavedStateHandle()

/**
 * Runs [block] once per holder: when the destination first shows, not again when the
 * volunteer comes back to it from a screen above (what was typed stays).
 */
@Composable
fun LaunchedOnce(holder: Holder<*>, block: suspend CoroutineScope.() -> Unit) {
    LaunchedEffect(holder) {
        if (!holder.started) {
            holder.started = true
            try {
                block()
                holder.ready = true
            } catch (e: CancellationException) {
                holder.started = false // left before it finished: start again next time
                throw e
            }
        }
    }
}
