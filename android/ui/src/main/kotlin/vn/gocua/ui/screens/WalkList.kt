package vn.gocua.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.WalkItemView
import uniffi.gocua_ffi.WalkTargetKind
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.t

/**
 * "Danh sách của tôi": the member's hamlets and households, each with what is left (labels made by
 * the core). A hamlet opens its households not yet visited, a household opens the household.
 */
@Composable
fun MyListSection(items: List<WalkItemView>, onOpen: (WalkItemView) -> Unit) {
    if (items.isEmpty()) return
    SectionTitle(t("Danh sách của tôi", "My list"))
    InfoCard {
        items.forEachIndexed { i, item ->
            if (i > 0) HorizontalDivider()
            WalkRow(item, Modifier.clickable(role = Role.Button) { onOpen(item) })
        }
    }
}

/** One entry: kind, name (and commune), what is left. */
@Composable
fun WalkRow(item: WalkItemView, modifier: Modifier = Modifier, showMember: Boolean = false) {
    Row(modifier.fillMaxWidth().heightIn(min = 48.dp).padding(vertical = 6.dp), verticalAlignment = Alignment.CenterVertically) {
        Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            val kind = when (item.kind) {
                WalkTargetKind.HAMLET -> t("Thôn, ấp", "Hamlet")
                WalkTargetKind.HOUSEHOLD -> t("Hộ", "Household")
            }
            if (showMember) Text(item.memberName, style = MaterialTheme.typography.bodyMedium, fontWeight = FontWeight.SemiBold)
            Text(item.title, style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.Medium)
            Text(listOfNotNull(kind, item.subtitle).joinToString(" · "), style = MaterialTheme.typography.bodyMedium)
            Text(
                item.leftLabel,
                style = MaterialTheme.typography.bodyMedium,
                fontWeight = if (item.finished) FontWeight.Normal else FontWeight.SemiBold,
                color = if (item.finished) MaterialTheme.colorScheme.onSurfaceVariant else MaterialTheme.colorScheme.primary,
            )
        }
    }
}
