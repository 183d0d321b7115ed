package vn.gocua.fieldkit.state

import uniffi.gocua_ffi.Choice
import uniffi.gocua_ffi.choices
import vn.gocua.fieldkit.text.Lang

/** The core's closed vocabularies (outcomes, results, reasons, levels, kinds, categories). */
object Vocab {
    const val VISIT_OUTCOME = "visit_outcome"
    const val ASSIST_RESULT = "assist_result"
    const val NOT_FINISHED_REASON = "not_finished_reason"
    const val LEVEL_42 = "level_42"
    const val LEVEL_43 = "level_43"
    const val SESSION_KIND = "session_kind"
    const val FEEDBACK_CATEGORY = "feedback_category"

    private val cache = java.util.concurrent.ConcurrentHashMap<String, List<Choice>>()

    fun of(vocabulary: String): List<Choice> = cache.getOrPut(vocabulary) { choices(vocabulary) }

    /** The label of [code] in [vocabulary], or the code itself for a value this build does not know. */
    fun label(vocabulary: String, code: String?, lang: Lang): String {
        if (code == null) return ""
        val c = of(vocabulary).firstOrNull { it.code == code } ?: return code
        return if (lang == Lang.EN) c.labelEn else c.labelVi
    }
}

fun Choice.label(lang: Lang): String = if (lang == Lang.EN) labelEn else labelVi
