package vn.gocua.ui.components

import androidx.compose.foundation.layout.Box
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.text.style.TextAlign
import vn.gocua.ui.theme.t

/** The four places a volunteer moves between. */
enum class Tab { TODAY, HOUSEHOLDS, QUEUE, SETTINGS }

@Composable
fun GoCuaBottomBar(selected: Tab, queueBadge: Int = 0, onSelect: (Tab) -> Unit) {
    NavigationBar {
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
                icon = { Box {} },
                label = { Text(label, textAlign = TextAlign.Center) },
            )
        }
    }
}
