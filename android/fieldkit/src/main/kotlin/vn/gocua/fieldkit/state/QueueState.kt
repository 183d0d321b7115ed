package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.QueueItemView
import uniffi.gocua_ffi.QueueStatusView
import vn.gocua.fieldkit.FieldKit

/** A queued record with what the user recognises it by (the household's head, for a visit). */
data class QueueRow(val item: QueueItemView, val title: String)

data class QueueState(
    val status: QueueStatusView? = null,
    val pending: List<QueueRow> = emptyList(),
    /** Refused by the server, each with the server's reason (and the field it names). */
    val rejected: List<QueueRow> = emptyList(),
    val error: UiError? = null,
)

/** Queue: what waits to be sent, and what the server refused; fix it and send it again. */
class QueueViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<QueueState>(QueueState(), scope, kit.io) {

    fun load(): Job = launch {
        core {
            val names = HashMap<String, String>()
            fun title(i: QueueItemView): String = when (i.kind) {
                "household" -> runCatching { kit.profile.household(i.recordId).headName }.getOrDefault("")
                "visit" -> runCatching {
                    val v = kit.profile.visitRevisions(i.recordId).maxBy { it.revision }
                    names.getOrPut(v.householdId) { kit.profile.household(v.householdId).headName }
                }.getOrDefault("")
                else -> ""
            }
            QueueState(
                status = kit.profile.queueStatus(),
                pending = kit.profile.pendingItems().map { QueueRow(it, title(it)) },
                rejected = kit.profile.rejectedItems().map { QueueRow(it, title(it)) },
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
