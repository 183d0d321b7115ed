package vn.gocua.ui.components

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.defaultMinSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.windowInsetsPadding
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.Send
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBarDefaults
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.formatCount
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** The four places a volunteer moves between. */
enum class Tab { TODAY, HOUSEHOLDS, QUEUE, SETTINGS }

/** Test tag of a tab's icon: `tab-icon-today`, `tab-icon-households`, … */
fun tabIconTag(tab: Tab): String = "tab-icon-" + tab.name.lowercase()

private val Tab.icon: ImageVector
    get() = when (this) {
        Tab.TODAY -> Icons.Filled.DateRange
        Tab.HOUSEHOLDS -> Icons.Filled.Home
        Tab.QUEUE -> Icons.AutoMirrored.Filled.Send
        Tab.SETTINGS -> Icons.Filled.Settings
    }

/**
 * The bottom bar: an icon and a label per tab. The queue's label carries the count of records not
 * yet accepted ("Chờ gửi (3)"), and its icon a badge with the same number; the icons are
 * decoration for screen readers, which read the label.
 */
@Composable
fun GoCuaBottomBar(selected: Tab, queueBadge: Int = 0, onSelect: (Tab) -> Unit) {
    val lang = LocalLang.current
    // Material's NavigationBar is 80 dp high, whatever the font: at 1.5× a label would be cut.
    // The same items in a row that grows with its labels (up to two lines each).
    Surface(color = NavigationBarDefaults.containerColor, tonalElevation = NavigationBarDefaults.Elevation) {
        Row(
            Modifier.fillMaxWidth().windowInsetsPadding(NavigationBarDefaults.windowInsets).defaultMinSize(minHeight = 80.dp).selectableGroup(),
            horizontalArrangement = Arrangement.spacedBy(8.dp),
            verticalAlignment = Alignment.CenterVertically,
        ) {
            Tab.entries.forEach { tab ->
                val label = when (tab) {
                    Tab.TODAY -> t("Hôm nay", "Today")
                    Tab.HOUSEHOLDS -> t("Hộ", "Households")
                    Tab.QUEUE -> if (queueBadge > 0) t("Chờ gửi ($queueBadge)", "Queue ($queueBadge)") else t("Chờ gửi", "Queue")
                    Tab.SETTINGS -> t("Cài đặt", "Settings")
                }
                NavigationBarItem(
                    selected = tab == selected,
                    onClick = { onSelect(tab) },
                    icon = {
                        val icon = @Composable { Icon(tab.icon, contentDescription = null, modifier = Modifier.testTag(tabIconTag(tab))) }
                        if (tab == Tab.QUEUE && queueBadge > 0) {
                            BadgedBox(badge = { Badge(Modifier.clearAndSetSemantics { }) { Text(formatCount(queueBadge.toLong(), lang)) } }) { icon() }
                        } else {
                            icon()
                        }
                    },
                    // The label wraps rather than being cut; it grows at most 1.3× with the font.
                    label = {
                        Text(label, style = MaterialTheme.typography.labelMedium.capScale(1.3f), textAlign = TextAlign.Center, maxLines = 2)
                    },
                )
            }
        }
    }
}
