package vn.gocua.ui.components

import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.runtime.Composable

/** What a record form's frame offers around its fields: back, "Hủy" and save. */
class FormActions(
    val onBack: () -> Unit = {},
    /** "Hủy": the form and its draft thrown away (none: no button). */
    val onDiscard: (() -> Unit)? = null,
    val onSave: () -> Unit = {},
)

/**
 * The frame of a record form (household, visit, session, feedback): [ScreenFrame] under [title],
 * with the [SaveBar] below the fields — [save] its button's label, [busyLabel] (if any) while
 * [busy].
 */
@Composable
fun FormFrame(
    title: String,
    save: String,
    busy: Boolean,
    actions: FormActions,
    busyLabel: String? = null,
    body: @Composable ColumnScope.() -> Unit,
) {
    ScreenFrame(
        title, onBack = actions.onBack,
        bottom = { SaveBar(save, actions.onSave, busy = busy, busyLabel = busyLabel, onDiscard = actions.onDiscard) },
        body = body,
    )
}
