package vn.gocua.fieldkit.drafts

import java.io.StringReader
import java.io.StringWriter
import java.time.Instant
import java.util.Properties
import uniffi.gocua_ffi.DraftForm
import uniffi.gocua_ffi.draftRecordKind
import uniffi.gocua_protocol.RecordKind

/**
 * The body of a draft kept by the core (`saveDraft`): a form's fields as typed, as text in the
 * JDK's properties format (it escapes newlines and separators; the core never reads it).
 */
object DraftBody {
    fun encode(fields: Map<String, String?>): String {
        val p = Properties()
        fields.forEach { (k, v) -> if (v != null) p.setProperty(k, v) }
        val w = StringWriter()
        p.store(w, null)
        // store() starts with a comment holding the wall-clock time: not part of the body.
        return w.toString().lines().filter { !it.startsWith("#") && it.isNotEmpty() }.sorted().joinToString("\n")
    }

    fun decode(body: String): Map<String, String> {
        val p = Properties()
        p.load(StringReader(body))
        return p.stringPropertyNames().associateWith { p.getProperty(it) }
    }
}

/** The kind of record a form makes, as the core maps it (`draftRecordKind`); its label is the core's too. */
val DraftForm.recordKind: RecordKind
    get() = draftRecordKind(this)

/**
 * An unsaved form kept by the core, as Today offers it ("Bản nháp chưa lưu"): which form, its
 * key, a title (the household's head, the session's place, the feedback's text), when it was
 * last kept, and its fields (to reopen it: a visit's household, a feedback's source).
 */
data class DraftItem(
    val form: DraftForm,
    val key: String,
    val title: String,
    val updatedAt: Instant,
    val fields: Map<String, String>,
)
