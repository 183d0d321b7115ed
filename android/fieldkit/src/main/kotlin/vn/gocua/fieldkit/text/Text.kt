package vn.gocua.fieldkit.text

/** The two languages of the app. Vietnamese is the default everywhere. */
enum class Lang { VI, EN }

/** A piece of text the user reads, in both languages (most of them come from the Rust core). */
data class Text(val vi: String, val en: String) {
    fun pick(lang: Lang): String = if (lang == Lang.EN) en else vi
}
