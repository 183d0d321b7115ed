package vn.gocua.fieldkit.state

import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.fieldLabel
import uniffi.gocua_protocol.Lang
import vn.gocua.fieldkit.text.Text

/**
 * One problem with one field, as the core reported it: the field's path (`assists[0].dossier_code`,
 * for the screen to put the message under that field), its label from the core ("Mã hồ sơ
 * (dịch vụ 1)", for an error summary that names the field even when it is off screen) and the
 * message.
 */
data class FieldIssue(val field: String, val label: Text, val message: Text)

/**
 * An error as a screen shows it: one message, and the problems attached to named fields, each
 * shown next to its field. [code] is the core's machine code (`validation`, `network`,
 * `enrol_code_used`, …, for logs); [exception] is the core's typed error, for logic
 * (`error.exception is FieldKitException.Network`). Nothing here decides what is valid.
 */
data class UiError(
    val message: Text,
    val problems: List<FieldIssue> = emptyList(),
    val code: String = "internal",
    val exception: FieldKitException? = null,
) {
    /** The message for [name] ("assists[0].dossier_code"), if the core named that field. */
    fun field(name: String): Text? = problems.firstOrNull { it.field == name }?.message

    /** "Mã hồ sơ (dịch vụ 1): Cần nhập mã hồ sơ …", one line per problem, for a summary. */
    fun summary(lang: Lang): List<String> = problems.map { "${it.label.pick(lang)}: ${it.message.pick(lang)}" }

    companion object {
        fun of(t: Throwable): UiError = when (t) {
            is CoreFailure -> t.error
            is FieldKitException.Validation -> UiError(
                Text(t.messageVi, t.messageEn),
                t.problems.map { FieldIssue(it.field, Text(it.fieldLabelVi, it.fieldLabelEn), Text(it.messageVi, it.messageEn)) },
                t.code,
                t,
            )
            is FieldKitException -> {
                val (code, vi, en) = t.parts()
                UiError(Text(vi, en), code = code, exception = t)
            }
            else -> UiError(
                Text("Đã có lỗi không mong muốn: ${t.message ?: t::class.simpleName}", "Unexpected error: ${t.message ?: t::class.simpleName}"),
            )
        }

        /**
         * A problem of input handling found before the core could be asked (a day that is not a
         * day, a number field left empty where the draft needs a number). The field's label is the
         * core's ([fieldLabel]); the message is the form's.
         */
        fun input(field: String, vi: String, en: String): UiError {
            val issue = FieldIssue(field, Text(fieldLabel(field, Lang.VI), fieldLabel(field, Lang.EN)), Text(vi, en))
            return UiError(Text(vi, en), listOf(issue), "input")
        }

        /** Every variant carries its code and both messages; a new variant breaks this `when` at compile time. */
        private fun FieldKitException.parts(): Triple<String, String, String> = when (this) {
            is FieldKitException.Validation -> Triple(code, messageVi, messageEn)
            is FieldKitException.WrongKey -> Triple(code, messageVi, messageEn)
            is FieldKitException.StorageFull -> Triple(code, messageVi, messageEn)
            is FieldKitException.NotEnrolled -> Triple(code, messageVi, messageEn)
            is FieldKitException.AlreadyEnrolled -> Triple(code, messageVi, messageEn)
            is FieldKitException.UnsentRecords -> Triple(code, messageVi, messageEn)
            is FieldKitException.Network -> Triple(code, messageVi, messageEn)
            is FieldKitException.ServerRefused -> Triple(code, messageVi, messageEn)
            is FieldKitException.Cancelled -> Triple(code, messageVi, messageEn)
            is FieldKitException.NotFound -> Triple(code, messageVi, messageEn)
            is FieldKitException.Closed -> Triple(code, messageVi, messageEn)
            is FieldKitException.Other -> Triple(code, messageVi, messageEn)
        }
    }
}
