package vn.gocua.ui.components

import androidx.compose.foundation.relocation.BringIntoViewRequester
import androidx.compose.foundation.relocation.bringIntoViewRequester
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.Modifier
import androidx.compose.ui.layout.onGloballyPositioned
import androidx.compose.ui.layout.positionInRoot

/**
 * The fields of the form on screen, by the core's field names ("assists[0].dossier_code"), so
 * that the error summary can bring a bad field into view — the first one on screen when a save
 * fails, or the one whose line the volunteer taps. [ScreenFrame] provides one per screen.
 */
class FieldRegistry {
    private class Entry(val requester: BringIntoViewRequester, var top: Float = Float.MAX_VALUE)

    private val entries = HashMap<String, Entry>()

    /** The names on the form, as snapshot state: the summary makes its lines tappable once their fields are there. */
    private val present = mutableStateMapOf<String, Unit>()

    internal fun add(field: String, requester: BringIntoViewRequester) {
        entries[field] = Entry(requester)
        present[field] = Unit
    }

    internal fun remove(field: String, requester: BringIntoViewRequester) {
        if (entries[field]?.requester === requester) {
            entries.remove(field)
            present.remove(field)
        }
    }

    internal fun moved(field: String, requester: BringIntoViewRequester, top: Float) {
        entries[field]?.takeIf { it.requester === requester }?.top = top
    }

    /**
     * The form has been on screen for a frame: a problem arriving now comes from a save, and the
     * form scrolls to it. A form that opens with a problem (put back after a restart) stays at
     * its top, where the summary is.
     */
    var shown: Boolean = false
        internal set

    /** Whether a field of that name is on the form (laid out or not). */

    fun has(field: String): Boolean = field in present

    /** Scrolls [field] into view; false when the form has no such field. */
    suspend fun reveal(field: String): Boolean {
        val e = entries[field] ?: return false
        e.requester.bringIntoView()
        return true
    }

    /** Scrolls to the highest of [fields] on the form (the first a volunteer meets); returns its name. */
    suspend fun revealFirst(fields: List<String>): String? {
        val first = fields.filter { it in entries }.minByOrNull { entries.getValue(it).top } ?: return null
        reveal(first)
        return first
    }
}

/** The registry of the current screen (null outside a [ScreenFrame]). */
val LocalFieldRegistry = staticCompositionLocalOf<FieldRegistry?> { null }

/** Marks this element as the place of the core's field [field], for the error summary to scroll to. */
@Composable
fun Modifier.fieldAnchor(field: String): Modifier {
    val registry = LocalFieldRegistry.current ?: return this
    val requester = remember { BringIntoViewRequester() }
    DisposableEffect(registry, field, requester) {
        registry.add(field, requester)
        onDispose { registry.remove(field, requester) }
    }
    return this
        .bringIntoViewRequester(requester)
        .onGloballyPositioned { registry.moved(field, requester, it.positionInRoot().y) }
}
