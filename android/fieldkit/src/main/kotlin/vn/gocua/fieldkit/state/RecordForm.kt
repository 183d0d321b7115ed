package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import vn.gocua.fieldkit.FieldKit

/**
 * The state of a record form (household, visit, session, feedback): whether its save is running,
 * and the core's refusal of the last one.
 */
interface RecordFormState<S> {
    val busy: Boolean
    val error: UiError?

    /** This state with [busy] and [error] set (the data class's `copy`). */
    fun withStatus(busy: Boolean, error: UiError?): S
}

/** The state holder of a record form: [record] saves it the same way for every form. */
abstract class RecordFormHolder<S : RecordFormState<S>>(initial: S, scope: CoroutineScope, io: CoroutineDispatcher) :
    StateHolder<S>(initial, scope, io) {

    /**
     * Saves the form with the core's [call]: busy while it runs; then either [saved] with what the
     * core recorded (no error) and a sync soon, or the core's error (the form kept as it is).
     */
    protected suspend fun <T> record(kit: FieldKit, call: suspend () -> T, saved: S.(T) -> S) {
        set { it.withStatus(busy = true, error = it.error) }
        core(call)
            .onSuccess { v -> set { it.saved(v).withStatus(busy = false, error = null) }; kit.requestSyncSoon() }
            .onFailure { e -> set { it.withStatus(busy = false, error = e.ui) } }
    }
}
