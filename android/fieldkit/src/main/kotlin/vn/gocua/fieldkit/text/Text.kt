package vn.gocua.fieldkit.text

import uniffi.gocua_protocol.Lang

/**
 * A piece of text the user reads, in both languages (most come from the Rust core: messages,
 * labels, titles). The language itself is the core's [Lang] (`uniffi.gocua_protocol.Lang`);
 * formatting of numbers, days and instants is the core's too (`formatCount`, `formatDay`,
 * `formatDayTime`, `formatAgo`, `formatProgress` in `uniffi.gocua_ffi`): no Kotlin copy.
 */
data class Text(val vi: String, val en: String) {
    fun pick(lang: Lang): String = if (lang == Lang.EN) en else vi
}
