package vn.gocua.fieldkit.state

import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The base of every screen's state holder: one immutable state in a [StateFlow], changed only
 * here. Calls into the Rust core block (SQLCipher), so they run on [io]; `enrol` and `sync` are
 * `suspend` and cancellable. The state holder lives as long as [scope] (on Android, a ViewModel's
 * scope; in tests, a test scope). Actions return their [Job] so a caller (or a test) can wait.
 */
abstract class StateHolder<S>(
    initial: S,
    protected val scope: CoroutineScope,
    protected val io: CoroutineDispatcher,
) {
    private val _state = MutableStateFlow(initial)
    val state: StateFlow<S> = _state.asStateFlow()

    protected val current: S get() = _state.value

    protected fun set(transform: (S) -> S) = _state.update(transform)

    protected fun launch(block: suspend CoroutineScope.() -> Unit): Job = scope.launch(block = block)

    /** Runs a core call on [io]; a failure comes back as a [UiError], cancellation stays cancellation. */
    protected suspend fun <T> core(call: suspend () -> T): Result<T> = withContext(io) {
        try {
            Result.success(call())
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            Result.failure(CoreFailure(UiError.of(e), e))
        }
    }

    protected val Throwable.ui: UiError get() = (this as? CoreFailure)?.error ?: UiError.of(this)
}

class CoreFailure(val error: UiError, cause: Throwable) : Exception(error.message.en, cause)
