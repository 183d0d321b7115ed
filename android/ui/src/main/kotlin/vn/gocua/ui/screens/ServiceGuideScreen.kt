package vn.gocua.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.AnnotatedString
import androidx.compose.ui.text.SpanStyle
import androidx.compose.ui.text.buildAnnotatedString
import androidx.compose.ui.text.font.FontStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.withStyle
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.GuideBlockKind
import uniffi.gocua_ffi.GuideBlockView
import uniffi.gocua_ffi.GuideRunView
import vn.gocua.fieldkit.state.ServiceGuideState
import vn.gocua.ui.components.EmptyNote
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.theme.t

/**
 * A service's guide, opened from the visit form, offline: the core's rows drawn as headings,
 * paragraphs and list items (marker and depth from the core), bold and italic runs, a link's
 * address shown after its words. While a coordinator has not checked it, a banner says so.
 */
@Composable
fun ServiceGuideScreen(state: ServiceGuideState, onBack: () -> Unit = {}) {
    val g = state.guide
    // A short bar title: the service's (often long) name is the guide's own first heading, or is
    // drawn as one when the guide does not start with a heading.
    vn.gocua.ui.components.ScreenFrame(t("Hướng dẫn", "Guide"), onBack = onBack) {
        ErrorBanner(state.error)
        if (state.missing) {
            EmptyNote(t("Dịch vụ này chưa có hướng dẫn trên máy. Hãy đồng bộ khi có mạng.", "This service has no guide on this phone. Sync when online."))
        }
        if (g != null) {
            if (g.needsCheck) {
                Surface(color = MaterialTheme.colorScheme.tertiaryContainer, contentColor = MaterialTheme.colorScheme.onTertiaryContainer, shape = MaterialTheme.shapes.medium) {
                    Text("⚠ " + g.needsCheckLabel, style = MaterialTheme.typography.bodyMedium, fontWeight = FontWeight.SemiBold, modifier = Modifier.fillMaxWidth().padding(12.dp))
                }
            }
            if (g.blocks.firstOrNull()?.kind != GuideBlockKind.HEADING) {
                Text(g.title, style = MaterialTheme.typography.headlineSmall, fontWeight = FontWeight.SemiBold, color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { heading() })
            }
            Text(g.updatedLabel, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
            g.blocks.forEach { GuideBlock(it) }
        }
    }
}

@Composable
private fun GuideBlock(b: GuideBlockView) {
    val linkColor = MaterialTheme.colorScheme.onSurfaceVariant
    val text = runs(b.runs, linkColor)
    when (b.kind) {
        GuideBlockKind.HEADING -> Text(
            text,
            style = when (b.level.toInt()) {
                1 -> MaterialTheme.typography.headlineSmall
                2 -> MaterialTheme.typography.titleLarge
                else -> MaterialTheme.typography.titleMedium
            },
            fontWeight = FontWeight.SemiBold,
            color = MaterialTheme.colorScheme.primary,
            modifier = Modifier.semantics { heading() },
        )
        GuideBlockKind.PARAGRAPH -> Text(text, style = MaterialTheme.typography.bodyLarge)
        GuideBlockKind.LIST_ITEM -> Row(
            Modifier.fillMaxWidth().padding(start = (20 * b.level.toInt()).dp),
            horizontalArrangement = Arrangement.spacedBy(6.dp),
        ) {
            Text(b.marker, style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.SemiBold, modifier = Modifier.widthIn(min = 22.dp))
            Text(text, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
        }
    }
}

private fun runs(runs: List<GuideRunView>, linkColor: Color): AnnotatedString = buildAnnotatedString {
    runs.forEach { r ->
        val style = SpanStyle(
            fontWeight = if (r.bold) FontWeight.Bold else null,
            fontStyle = if (r.italic) FontStyle.Italic else null,
        )
        withStyle(style) { append(r.text) }
        val link = r.link
        if (link != null && link != r.text) withStyle(SpanStyle(color = linkColor)) { append(" ($link)") }
    }
}
