package vn.gocua.ui.components

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.error
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text as T
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/**
 * The frame of every screen: a title bar (with "back" when there is somewhere to go back to) and
 * a vertically scrolling body, so nothing is cut off at 360 dp or with a large font.
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
    Surface(modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background, contentColor = MaterialTheme.colorScheme.onBackground) {
    Column(Modifier.fillMaxSize()) {
        Surface(color = MaterialTheme.colorScheme.primary, contentColor = MaterialTheme.colorScheme.onPrimary) {
            Row(Modifier.fillMaxWidth().heightIn(min = 56.dp).padding(horizontal = 8.dp), verticalAlignment = Alignment.CenterVertically) {
                if (onBack != null) {
                    TextButton(onClick = onBack) { Text("‹ " + t("Quay lại", "Back"), color = MaterialTheme.colorScheme.onPrimary) }
                } else {
                    Spacer(Modifier.width(8.dp))
                }
                Text(title, style = MaterialTheme.typography.titleLarge, fontWeight = FontWeight.SemiBold, modifier = Modifier.padding(vertical = 12.dp))
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

/**
 * The error at the top of a form, when there is one: its message, or — when the core named fields —
 * one line per problem with the field's label from the core ("Mã hồ sơ (dịch vụ 1): …"), so a
 * problem of a field that is off screen is still understood. Each problem also shows under its field.
 */
@Composable
fun ErrorBanner(error: UiError?) {
    if (error == null) return
    val lang = LocalLang.current
    Surface(color = MaterialTheme.colorScheme.errorContainer, contentColor = MaterialTheme.colorScheme.onErrorContainer, shape = MaterialTheme.shapes.medium) {
        Column(Modifier.fillMaxWidth().padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            if (error.problems.isEmpty()) {
                Text(t(error.message), style = MaterialTheme.typography.bodyLarge)
            } else {
                Text(t("Hãy sửa các ô sau:", "Please fix:"), style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.SemiBold)
                error.summary(lang).forEach { Text("• $it", style = MaterialTheme.typography.bodyMedium) }
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
) {
    val problem = error?.field(field)
    Column(Modifier.fillMaxWidth()) {
        OutlinedTextField(
            value = value,
            onValueChange = onChange,
            label = { Text(label) },
            placeholder = placeholder?.let { p -> { Text(p) } },
            isError = problem != null,
            singleLine = singleLine,
            keyboardOptions = if (number) KeyboardOptions(keyboardType = KeyboardType.Number) else KeyboardOptions.Default,
            modifier = Modifier.fillMaxWidth(),
        )
        FieldError(problem)
    }
}

/** One choice among a few, as big tappable chips that wrap on narrow screens. */
@Composable
fun <C> Chips(options: List<C>, selected: (C) -> Boolean, label: (C) -> String, onSelect: (C) -> Unit) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        options.forEach { o ->
            FilterChip(selected = selected(o), onClick = { onSelect(o) }, label = { Text(label(o), modifier = Modifier.padding(vertical = 8.dp)) })
        }
    }
}

@Composable
fun InfoCard(content: @Composable ColumnScope.() -> Unit) {
    Card(
        Modifier.fillMaxWidth(),
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceVariant, contentColor = MaterialTheme.colorScheme.onSurfaceVariant),
    ) {
        Column(Modifier.padding(14.dp), verticalArrangement = Arrangement.spacedBy(6.dp), content = content)
    }
}

@Composable
fun EmptyNote(text: String) {
    Text(text, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.onSurfaceVariant, modifier = Modifier.padding(vertical = 8.dp))
}

/** "Hủy": throws the form away with its kept draft (the back arrow keeps it, for Today to offer). */
@Composable
fun DiscardButton(onDiscard: (() -> Unit)?) {
    if (onDiscard == null) return
    androidx.compose.material3.OutlinedButton(onClick = onDiscard, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
        Text(t("Hủy", "Discard"))
    }
}
