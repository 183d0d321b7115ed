package vn.gocua.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.HamletLeftView
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.t

/**
 * "Chưa đến" over the whole team: what is left of each hamlet ("còn 12/40 hộ", the core's words);
 * a hamlet opens its own list of households not yet visited. The commune is named when the team
 * covers more than one.
 */
@Composable
fun HamletsLeftSection(hamlets: List<HamletLeftView>, onHamlet: (String) -> Unit) {
    if (hamlets.isEmpty()) return
    val communes = hamlets.map { it.communeCode }.distinct().size
    SectionTitle(t("Còn lại theo thôn, ấp", "What is left, by hamlet"))
    InfoCard {
        hamlets.forEachIndexed { i, h ->
            if (i > 0) HorizontalDivider()
            Column(
                Modifier.fillMaxWidth().heightIn(min = 48.dp).clickable(role = Role.Button) { onHamlet(h.hamletCode) }.padding(vertical = 6.dp),
                verticalArrangement = Arrangement.spacedBy(2.dp),
            ) {
                Text(if (communes > 1) "${h.name} · ${h.communeName}" else h.name, style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.Medium)
                Text(
                    h.leftLabel,
                    style = MaterialTheme.typography.bodyMedium,
                    fontWeight = if (h.finished) FontWeight.Normal else FontWeight.SemiBold,
                    color = if (h.finished) MaterialTheme.colorScheme.onSurfaceVariant else MaterialTheme.colorScheme.primary,
                )
            }
        }
    }
}
