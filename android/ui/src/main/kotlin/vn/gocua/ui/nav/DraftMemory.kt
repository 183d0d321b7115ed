package vn.gocua.ui.nav

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import androidx.compose.runtime.LaunchedEffect
import androidx.lifecycle.SavedStateHandle
import java.util.UUID
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import uniffi.gocua_ffi.DraftForm
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.drafts.DraftBody
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text
import vn.gocua.ui.components.ErrorBanner

/*
 * Kill-safe drafts: a form's input goes to the core's draft table a moment after each change, so
 * an app killed without saving its state (the system reclaiming memory, a swipe from recents, a
 * flat battery) loses nothing typed. A visit's draft is keyed by its household (a correction by
 * the visit); a new household, session or feedback by an id made for its back-stack entry (kept
 * in its SavedStateHandle, and carried by the route when Today reopens it). Saving the record
 * deletes the draft in the core, in the same transaction (the drafts carry `draftKey`); "Hủy"
 * deletes it; the back arrow leaves it, for Today to offer.
 */

/** Where a form's draft is kept in the core. */
data class DraftSlot(val form: DraftForm, val key: String)

/** How long typing must pause before the draft is written (one small write, not one per key). */
const val DRAFT_DELAY_MS = 500L

private const val KEY = "draft.key"
private const val INITIAL = "draft.initial"

/** The key of a new record's draft: the route's (reopened from Today), else this entry's own. */
fun SavedStateHandle.draftKey(fromRoute: String?): String =
    fromRoute ?: get<String>(KEY) ?: UUID.randomUUID().toString().also { this[KEY] = it }

/**
 * Starts a form: [load] it, remember its untouched fields (a form opened and left as it was
 * keeps no draft), then put back what was typed — from the entry's saved state, else from the
 * core's draft.
 */
suspend fun startForm(kit: FieldKit, holder: Holder<*>, slot: DraftSlot, load: suspend () -> Unit, fields: () -> Fields, restore: (Fields) -> Unit) {
    load()
    if (holder.saved.get<String>(INITIAL) == null) holder.saved[INITIAL] = DraftBody.encode(fields())
    val kept = holder.saved.keptFields
        ?: withContext(kit.io) { runCatching { kit.profile.draft(slot.form, slot.key) }.getOrNull() }?.body?.let(DraftBody::decode)
    if (kept != null) {
        holder.draftKept = true
        restore(kept)
    }
}

/**
 * Keeps [fields] of each new [state]: at once in the entry's SavedStateHandle, and after
 * [DRAFT_DELAY_MS] without a change in the core's draft table. Not while the form is being saved
 * or once it is ([settled] false), nor after "Hủy". A form edited back to as it opened keeps no
 * draft: the one kept before is deleted (Today would offer a draft with nothing in it). When the
 * core cannot keep the draft (storage full, store closed), the form says so ([Holder.draftError],
 * shown by [DraftProblem]) instead of the volunteer learning it after an app kill.
 */
@Composable
fun <S> KeepInput(kit: FieldKit, holder: Holder<*>, slot: DraftSlot, state: S, settled: (S) -> Boolean, fields: (S) -> Fields) {
    LaunchedEffect(state) {
        if (!holder.ready || holder.discarded || !settled(state)) return@LaunchedEffect
        val f = fields(state)
        holder.saved.keep(f)
        delay(DRAFT_DELAY_MS)
        val body = DraftBody.encode(f)
        val untouched = body == holder.saved.get<String>(INITIAL)
        if (untouched && !holder.draftKept) return@LaunchedEffect
        val done = withContext(kit.io) {
            runCatching {
                if (untouched) kit.profile.discardDraft(slot.form, slot.key) else kit.profile.saveDraft(slot.form, slot.key, body)
            }
        }
        done.onSuccess { holder.draftKept = !untouched; holder.draftError = null }
            .onFailure { e -> holder.draftError = draftProblem(e) }
    }
}

/** "Chưa lưu được bản nháp: <the core's message>", with the core's code (for logs). */
internal fun draftProblem(e: Throwable): UiError {
    val core = UiError.of(e)
    return UiError(
        Text(
            "Chưa lưu được bản nháp: ${core.message.vi} Những gì đã nhập vẫn còn trên màn hình; hãy lưu sớm.",
            "Could not keep a draft: ${core.message.en} What you typed is still on the screen; save it soon.",
        ),
        code = core.code, exception = core.exception,
    )
}

/** A form with, above it, why its draft could not be kept (nothing when it was). */
@Composable
fun DraftProblem(holder: Holder<*>, form: @Composable () -> Unit) {
    Column(Modifier.fillMaxSize()) {
        holder.draftError?.let { e -> Box(Modifier.padding(8.dp).testTag("draft-error")) { ErrorBanner(e) } }
        Box(Modifier.weight(1f)) { form() }
    }
}

/**
 * "Hủy": the form is thrown away with its draft. On the calling thread (one small delete), so the
 * draft is gone before the screen is.
 */
fun discardForm(kit: FieldKit, holder: Holder<*>, slot: DraftSlot) {
    holder.discarded = true
    runCatching { kit.profile.discardDraft(slot.form, slot.key) }
}
