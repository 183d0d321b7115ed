package vn.gocua.ui.components

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Check
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.FilterChip
import androidx.compose.material3.FilterChipDefaults
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.withFrameNanos
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.error
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.style.TextDecoration
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text as T
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/**
 * The frame of every screen: a title bar (with "back" when there is somewhere to go back to) and
 * a vertically scrolling body, so nothing is cut off at 360 dp or with a large font. [bottom]
 * stays on screen below the body (a form's [SaveBar]). The frame keeps a [FieldRegistry] of the
 * form's fields, for the error summary to scroll to.
 */
@Composable
fun ScreenFrame(
    title: String,
    onBack: (() -> Unit)? = null,
    modifier: Modifier = Modifier,
    bottom: (@Composable () -> Unit)? = null,
    body: @Composable ColumnScope.() -> Unit,
) {
    // A Surface, not a bare background: texts without their own colour must take onBackground,
    // or they stay black on the dark theme's background.
    val registry = remember { FieldRegistry() }
    LaunchedEffect(registry) {
        withFrameNanos { }
        registry.shown = true
    }
    Surface(modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background, contentColor = MaterialTheme.colorScheme.onBackground) {
    CompositionLocalProvider(LocalFieldRegistry provides registry) {
    Column(Modifier.fillMaxSize()) {
        Surface(color = MaterialTheme.colorScheme.primary, contentColor = MaterialTheme.colorScheme.onPrimary) {
            Row(Modifier.fillMaxWidth().heightIn(min = 56.dp).padding(horizontal = 8.dp), verticalAlignment = Alignment.CenterVertically) {
                if (onBack != null) {
                    TextButton(onClick = onBack) {
                        Text("‹ " + t("Quay lại", "Back"), color = MaterialTheme.colorScheme.onPrimary, maxLines = 1, softWrap = false)
                    }
                } else {
                    Spacer(Modifier.width(8.dp))
                }
                // The title wraps (never cut off) beside "Quay lại"; it is already large, so it
                // grows less than body text with the font size (as Android 14's non-linear scaling).
                Text(
                    title, style = MaterialTheme.typography.titleLarge.capScale(1.2f), fontWeight = FontWeight.SemiBold,
                    modifier = Modifier.weight(1f).padding(vertical = 12.dp),
                )
            }
        }
        Column(
            Modifier.weight(1f).fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
            content = body,
        )
        bottom?.invoke()
    }
    }
    }
}

/** [this] style, its font grown by the user's font scale but by at most [max] times. */
@Composable
fun TextStyle.capScale(max: Float): TextStyle {
    val scale = LocalDensity.current.fontScale
    if (scale <= max) return this
    return copy(fontSize = fontSize * (max / scale), lineHeight = lineHeight * (max / scale))
}

@Composable
fun SectionTitle(text: String) {
    Text(text, style = MaterialTheme.typography.titleMedium, fontWeight = FontWeight.SemiBold, color = MaterialTheme.colorScheme.primary)
}

/** An error next to the field it belongs to, read out by screen readers as an error. */
@Composable
fun FieldError(text: T?) {
    if (text == null) return
    val s = t(text)
    Text(s, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.semantics { error(s) })
}

/** The core's problem with [field], under that field; the error summary can scroll to it. */
@Composable
fun FieldError(error: UiError?, field: String) {
    val text = error?.field(field) ?: return
    Box(Modifier.fieldAnchor(field)) { FieldError(text) }
}

/**
 * The error at the top of a form, when there is one: its message, or — when the core named fields —
 * one line per problem with the field's label from the core ("Mã hồ sơ (dịch vụ 1): …"), so a
 * problem of a field that is off screen is still understood. Each problem also shows under its field.
 */
@Composable
fun ErrorBanner(error: UiError?) {
    if (error == null) return
    val lang = LocalLang.current
    val registry = LocalFieldRegistry.current
    val scope = rememberCoroutineScope()
    // A save the core refused: bring its first bad field into view (after the frame that lays it
    // out). A form opening with a problem shows this summary first instead.
    LaunchedEffect(error) {
        if (registry != null && registry.shown && error.problems.isNotEmpty()) {
            withFrameNanos { }
            registry.revealFirst(error.problems.map { it.field })
        }
    }
    Surface(color = MaterialTheme.colorScheme.errorContainer, contentColor = MaterialTheme.colorScheme.onErrorContainer, shape = MaterialTheme.shapes.medium) {
        Column(Modifier.fillMaxWidth().padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            if (error.problems.isEmpty()) {
                Text(t(error.message), style = MaterialTheme.typography.bodyLarge)
            } else {
                Text(t("Hãy sửa các ô sau:", "Please fix:"), style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.SemiBold)
                val goTo = t("Đến ô này", "Go to this field")
                error.problems.zip(error.summary(lang)).forEach { (problem, line) ->
                    // Each line takes the volunteer to its field (when the form shows that field).
                    val canGo = registry?.has(problem.field) == true
                    Text(
                        "• $line",
                        style = MaterialTheme.typography.bodyMedium,
                        textDecoration = if (canGo) TextDecoration.Underline else null,
                        modifier = Modifier.fillMaxWidth().heightIn(min = 32.dp).then(
                            if (canGo && registry != null) {
                                Modifier.clickable(role = Role.Button, onClickLabel = goTo) { scope.launch { registry.reveal(problem.field) } }
                            } else Modifier,
                        ),
                    )
                }
            }
        }
    }
}

/** A text field with its label and, under it, the core's problem for [field] if there is one. */
@Composable
fun Field(
    label: String,
    value: String,
    onChange: (String) -> Unit,
    error: UiError?,
    field: String,
    number: Boolean = false,
    singleLine: Boolean = true,
    placeholder: String? = null,
    /** An action at the field's end (the date field's calendar). */
    trailingIcon: (@Composable () -> Unit)? = null,
) {
    val problem = error?.field(field)
    Column(Modifier.fillMaxWidth().fieldAnchor(field)) {
        OutlinedTextField(
            value = value,
            onValueChange = onChange,
            label = { Text(label) },
            placeholder = placeholder?.let { p -> { Text(p) } },
            isError = problem != null,
            singleLine = singleLine,
            keyboardOptions = if (number) KeyboardOptions(keyboardType = KeyboardType.Number) else KeyboardOptions.Default,
            trailingIcon = trailingIcon,
            modifier = Modifier.fillMaxWidth(),
        )
        FieldError(problem)
    }
}

/** Test tag of the check mark on a selected chip. */
const val CHIP_CHECK_TAG = "chip-check"

/**
 * One choice among a few, as big tappable chips that wrap on narrow screens. A selected chip
 * carries a check mark (not only a colour: in bright sun, or for colour-blind eyes) and says
 * "selected" to screen readers.
 */
@Composable
fun <C> Chips(options: List<C>, selected: (C) -> Boolean, label: (C) -> String, onSelect: (C) -> Unit) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        options.forEach { o -> ChoiceChip(label(o), selected(o)) { onSelect(o) } }
    }
}

/** One chip of [Chips] (also used alone: the "Chưa đến" filter). */
@Composable
fun ChoiceChip(label: String, selected: Boolean, onClick: () -> Unit) {
    FilterChip(
        selected = selected,
        onClick = onClick,
        label = { Text(label, modifier = Modifier.padding(vertical = 8.dp)) },
        leadingIcon = if (selected) {
            { Icon(Icons.Filled.Check, contentDescription = null, modifier = Modifier.size(FilterChipDefaults.IconSize).testTag(CHIP_CHECK_TAG)) }
        } else null,
    )
}

@Composable
fun InfoCard(modifier: Modifier = Modifier, content: @Composable ColumnScope.() -> Unit) {
    Card(
        modifier.fillMaxWidth(),
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceVariant, contentColor = MaterialTheme.colorScheme.onSurfaceVariant),
    ) {
        Column(Modifier.padding(14.dp), verticalArrangement = Arrangement.spacedBy(6.dp), content = content)
    }
}

@Composable
fun EmptyNote(text: String) {
    Text(text, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.onSurfaceVariant, modifier = Modifier.padding(vertical = 8.dp))
}
