package vn.gocua.fieldkit.state

import uniffi.gocua_ffi.FieldKitException
import vn.gocua.fieldkit.text.Text

/**
 * An error as a screen shows it: one message, and the problems the core attached to named fields
 * ("people_reached", "assists[0].dossier_code", …) so each appears next to its field.
 */
data class UiError(
    val message: Text,
    val fields: Map<String, Text> = emptyMap(),
    /** The core's error kind (validation, network, server_refused, …), for the caller's logic. */
    val kind: String = "other",
) {
    fun field(name: String): Text? = fields[name]

    companion object {
        fun of(t: Throwable): UiError = when (t) {
            is FieldKitException.Validation -> UiError(
                Text(t.messageVi, t.messageEn),
                t.problems.associate { it.field to Text(it.messageVi, it.messageEn) },
                "validation",
            )
            is FieldKitException.WrongKey -> UiError(Text(t.messageVi, t.messageEn), kind = "wrong_key")
            is FieldKitException.StorageFull -> UiError(Text(t.messageVi, t.messageEn), kind = "storage_full")
            is FieldKitException.NotEnrolled -> UiError(Text(t.messageVi, t.messageEn), kind = "not_enrolled")
            is FieldKitException.Network -> UiError(Text(t.messageVi, t.messageEn), kind = "network")
            is FieldKitException.ServerRefused -> UiError(Text(t.messageVi, t.messageEn), kind = "server_refused")
            is FieldKitException.Cancelled -> UiError(Text(t.messageVi, t.messageEn), kind = "cancelled")
            is FieldKitException.NotFound -> UiError(Text(t.messageVi, t.messageEn), kind = "not_found")
            is FieldKitException.Closed -> UiError(Text(t.messageVi, t.messageEn), kind = "closed")
            is FieldKitException.Other -> UiError(Text(t.messageVi, t.messageEn), kind = t.code)
            else -> UiError(
                Text("Đã có lỗi không mong muốn: ${t.message ?: t::class.simpleName}", "Unexpected error: ${t.message ?: t::class.simpleName}"),
            )
        }

        /** A problem found before calling the core (e.g. a number field with letters in it). */
        fun field(name: String, vi: String, en: String) =
            UiError(Text("Hãy sửa các ô được đánh dấu.", "Please fix the marked fields."), mapOf(name to Text(vi, en)), "validation")
    }
}
