package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.QueueItemView
import uniffi.gocua_ffi.QueueStatusView
import vn.gocua.fieldkit.FieldKit

data class QueueState(
    val status: QueueStatusView? = null,
    /**
     * Waiting or being sent, oldest first. Each item carries what the screen shows, from the
     * core: its kind (`kind.label(lang)`), its title (the household's head, the session's place,
     * …), a visit's service names.
     */
    val pending: List<QueueItemView> = emptyList(),
    /** Refused by the server, each with the server's reason and the label of the field it names. */
    val rejected: List<QueueItemView> = emptyList(),
    val error: UiError? = null,
)

/** Queue: what waits to be sent, and what the server refused; fix it and send it again. */
class QueueViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<QueueState>(QueueState(), scope, kit.io) {

    fun load(): Job = launch {
        core {
            QueueState(
                status = kit.profile.queueStatus(),
                pending = kit.profile.pendingItems(),
                rejected = kit.profile.rejectedItems(),
            )
        }.onSuccess { s -> set { s } }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /** Sends a rejected record again (after it was fixed, or after the coordinator fixed the server side). */
    fun resend(item: QueueItemView): Job = launch {
        core { kit.profile.requeue(item.kind, item.recordId) }
            .onSuccess { kit.requestSyncSoon() }
            .onFailure { e -> set { it.copy(error = e.ui) } }
        load().join()
    }
}
