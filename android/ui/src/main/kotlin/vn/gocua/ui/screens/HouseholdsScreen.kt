package vn.gocua.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.HouseholdSummaryView
import uniffi.gocua_ffi.formatCount
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.formatDayTime
import vn.gocua.fieldkit.state.HouseholdsState
import vn.gocua.ui.components.ChoiceChip
import vn.gocua.ui.components.EmptyNote
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/**
 * Households: search as you type (accents optional), hamlet filter, the "Chưa đến" (not yet
 * visited in this campaign) toggle with the area's coverage — and, over the whole team, what is
 * left of each hamlet — follow-ups due, a page at a time.
 */
@Composable
fun HouseholdsScreen(
    state: HouseholdsState,
    onQuery: (String) -> Unit = {},
    onHamlet: (String?) -> Unit = {},
    onNotVisited: (Boolean) -> Unit = {},
    onOpen: (String) -> Unit = {},
    onCreate: () -> Unit = {},
    onLoadMore: () -> Unit = {},
) {
    val lang = LocalLang.current
    val names = state.areaNames
    ScreenFrame(t("Hộ gia đình", "Households")) {
        OutlinedTextField(
            value = state.query,
            onValueChange = onQuery,
            label = { Text(t("Tìm tên chủ hộ, địa chỉ, số điện thoại", "Search head of household, address, phone")) },
            placeholder = { Text(t("vd: nguyen van a", "e.g. nguyen van a")) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        val notVisitedLabel = state.notVisitedCount
            ?.let { n -> t("Chưa đến (${formatCount(n, lang)})", "Not visited (${formatCount(n, lang)})") }
            ?: t("Chưa đến", "Not visited")
        val allLabel = t("Tất cả", "All")
        // "Chưa đến" first, then the hamlet filter, in one row of chips that wraps.
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            ChoiceChip(notVisitedLabel, state.notVisited) { onNotVisited(!state.notVisited) }
            if (state.hamlets.isNotEmpty()) {
                (listOf<String?>(null) + state.hamlets.map { it.code }).forEach { c ->
                    ChoiceChip(if (c == null) allLabel else names[c] ?: c, c == state.hamlet) { onHamlet(c) }
                }
            }
        }
        state.coverage?.let { c ->
            val visited = formatCount(c.visited.toLong(), lang)
            val households = formatCount(c.households.toLong(), lang)
            Text(
                t("Đã đến $visited/$households hộ", "Visited $visited of $households households"),
                style = MaterialTheme.typography.bodyMedium,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
        ErrorBanner(state.error)
        // "Chưa đến" over every hamlet: what is left of each, a tap lists that hamlet's households.
        if (state.notVisited && state.hamlet == null && state.query.isBlank()) HamletsLeftSection(state.hamletsLeft) { onHamlet(it) }
        if (state.followUps.isNotEmpty()) {
            SectionTitle(t("Cần quay lại (${state.followUps.size})", "Follow-ups due (${state.followUps.size})"))
            state.followUps.forEach { f ->
                InfoCard {
                    HouseholdRow(f.household, names, onOpen)
                    Text(t("Hẹn ngày ${formatDay(f.followUpOn, lang)}", "Due ${formatDay(f.followUpOn, lang)}"), color = MaterialTheme.colorScheme.error, fontWeight = FontWeight.Medium)
                }
            }
        }
        // The count of what is shown; "+" when more pages wait.
        val shown = state.results.size.toString() + if (state.hasMore) "+" else ""
        SectionTitle(
            when {
                state.notVisited -> t("Hộ chưa đến trong đợt này", "Not visited in this campaign")
                state.query.isBlank() -> t("Danh sách hộ", "All households")
                else -> t("Kết quả tìm ($shown)", "Results ($shown)")
            },
        )
        if (state.results.isEmpty() && !state.loading) {
            EmptyNote(
                when {
                    state.notVisited -> t("Đã đến tất cả các hộ.", "Every household has been visited.")
                    state.query.isBlank() -> t("Chưa có hộ nào.", "No households yet.")
                    else -> t("Không tìm thấy hộ nào.", "No household found.")
                },
            )
        }
        state.results.forEach { h ->
            HouseholdRow(h, names, onOpen)
            HorizontalDivider()
        }
        if (state.hasMore) {
            OutlinedButton(onClick = onLoadMore, enabled = !state.loading, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) { Text(t("Xem thêm", "Show more")) }
        }
        Button(onClick = onCreate, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(t("+ Thêm hộ mới", "+ New household")) }
    }
}

@Composable
private fun HouseholdRow(h: HouseholdSummaryView, names: Map<String, String>, onOpen: (String) -> Unit) {
    val lang = LocalLang.current
    Column(Modifier.fillMaxWidth().clickable { onOpen(h.id) }.padding(vertical = 6.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
        Text(h.headName, style = MaterialTheme.typography.titleMedium, fontWeight = FontWeight.SemiBold)
        Text(listOfNotNull(h.addressLine, h.hamletCode?.let { names[it] ?: it }).joinToString(" · "), style = MaterialTheme.typography.bodyMedium)
        val last = h.lastVisitAt?.let { at ->
            val outcome = h.lastOutcome?.let { " — " + it.label(lang) }.orEmpty()
            t("Lần cuối: ${formatDayTime(at, lang)}$outcome", "Last: ${formatDayTime(at, lang)}$outcome")
        } ?: t("Chưa đến lần nào", "Not visited yet")
        Text(last, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
    }
}
