package vn.gocua.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.LastSyncOutcome
import uniffi.gocua_ffi.formatAgo
import uniffi.gocua_ffi.formatCount
import uniffi.gocua_ffi.formatDayTime
import uniffi.gocua_ffi.formatProgress
import uniffi.gocua_ffi.weekFigures
import androidx.compose.ui.platform.testTag
import vn.gocua.fieldkit.drafts.DraftItem
import vn.gocua.fieldkit.drafts.recordKind
import vn.gocua.fieldkit.state.TodayState
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text as T
import vn.gocua.ui.components.EmptyNote
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** Test tag of the card with this week's figures. */
const val WEEK_TAG = "today-week"

/** Today: what I did against the targets, what waits to be sent, and the sync button. */
@Composable
fun TodayScreen(
    state: TodayState,
    onNewVisit: () -> Unit = {},
    onSession: () -> Unit = {},
    onFeedback: () -> Unit = {},
    onSync: () -> Unit = {},
    onSendNowOnMobileData: () -> Unit = {},
    onCancelSync: () -> Unit = {},
    onOpenQueue: () -> Unit = {},
    onOpenWalkItem: (uniffi.gocua_ffi.WalkItemView) -> Unit = {},
    onAssign: () -> Unit = {},
    onOpenDraft: (DraftItem) -> Unit = {},
    onDiscardDraft: (DraftItem) -> Unit = {},
) {
    val lang = LocalLang.current
    ScreenFrame(t("Hôm nay", "Today")) {
        state.profile?.let { p ->
            Text("${p.volunteerName} · ${p.teamName.orEmpty()}", style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.Medium)
        }
        ErrorBanner(state.error)
        state.clockWarning?.let { w -> ErrorBanner(UiError(T(w.messageVi, w.messageEn))) }
        // Walk lists first: what I was given to cover, and for the leader, giving it.
        MyListSection(state.myList, onOpenWalkItem)
        DraftsSection(state.drafts, onOpenDraft, onDiscardDraft)
        if (state.isLeader) {
            OutlinedButton(onClick = onAssign, shape = MaterialTheme.shapes.medium, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
                Text(t("Phân công cho đội viên", "Assign to members"))
            }
        }
        Button(onClick = onNewVisit, modifier = Modifier.fillMaxWidth().heightIn(min = 60.dp)) {
            Text(t("+ Ghi lượt đến hộ", "+ Log a household visit"), style = MaterialTheme.typography.titleMedium)
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
            // Rounded rectangles, not pills: with a large font the labels wrap onto two lines.
            OutlinedButton(onClick = onSession, shape = MaterialTheme.shapes.medium, modifier = Modifier.weight(1f).heightIn(min = 48.dp)) {
                Text(t("Buổi tuyên truyền", "Outreach session"), textAlign = androidx.compose.ui.text.style.TextAlign.Center)
            }
            OutlinedButton(onClick = onFeedback, shape = MaterialTheme.shapes.medium, modifier = Modifier.weight(1f).heightIn(min = 48.dp)) {
                Text(t("Phản ánh", "Feedback"), textAlign = androidx.compose.ui.text.style.TextAlign.Center)
            }
        }

        state.counts?.let { c ->
            SectionTitle(t("Hôm nay tôi đã", "Today I have"))
            InfoCard {
                Stat(t("Lượt đến hộ", "Household visits"), formatCount(c.today.visits.toLong(), lang))
                Stat(t("Người được tuyên truyền", "People reached"), formatCount(c.today.peopleReached.toLong(), lang))
                Stat(t("Dịch vụ đã hỗ trợ", "Services supported"), formatCount(c.today.servicesSupported.toLong(), lang))
                Stat(t("Tài khoản VNeID kích hoạt", "VNeID accounts activated"), formatCount(c.today.vneidActivations.toLong(), lang))
            }
        }

        // This week (Monday to today, the core's week): labels and numbers from the core.
        state.counts?.let { c ->
            SectionTitle(t("Tuần này (từ thứ Hai)", "This week (since Monday)"))
            InfoCard(Modifier.testTag(WEEK_TAG)) {
                weekFigures(c.thisWeek, lang).forEach { f -> Stat(f.label, f.value) }
            }
        }

        SectionTitle(state.counts?.campaignName?.let { t("Chỉ tiêu: $it", "Targets: $it") } ?: t("Chỉ tiêu của đội", "Team targets"))
        if (state.targets.isEmpty()) EmptyNote(t("Chưa có chỉ tiêu cho đội.", "No targets for the team yet."))
        state.targets.forEach { p ->
            Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
                    Text(p.indicator.label(lang), modifier = Modifier.weight(1f), style = MaterialTheme.typography.bodyLarge)
                    Text(formatProgress(p.achieved, p.target, lang), fontWeight = FontWeight.SemiBold)
                }
                LinearProgressIndicator(progress = { (p.percent.toFloat() / 100f).coerceIn(0f, 1f) }, modifier = Modifier.fillMaxWidth().heightIn(min = 8.dp))
                if (p.achievedWaiting > 0u) {
                    val waiting = formatCount(p.achievedWaiting.toLong(), lang)
                    Text(t("$waiting chưa gửi lên máy chủ", "$waiting not yet on the server"), style = MaterialTheme.typography.bodyMedium)
                }
            }
        }

        SectionTitle(t("Đồng bộ", "Sync"))
        InfoCard {
            val q = state.queue
            Stat(t("Đang chờ gửi", "Waiting to send"), formatCount(((q?.pending ?: 0u) + (q?.inFlight ?: 0u)).toLong(), lang))
            Stat(t("Bị máy chủ từ chối", "Refused by the server"), formatCount((q?.rejected ?: 0u).toLong(), lang))
            val last = q?.lastSync
            Text(
                last?.let {
                    val ago = formatAgo(it.finishedAt, lang)
                    val at = formatDayTime(it.finishedAt, lang)
                    t("Lần đồng bộ cuối: $ago ($at) — ${it.outcome.label(lang)}", "Last sync: $ago ($at) — ${it.outcome.label(lang)}")
                } ?: t("Chưa đồng bộ lần nào", "Never synced"),
                style = MaterialTheme.typography.bodyMedium,
            )
            if (last != null && last.outcome !is LastSyncOutcome.Ok && (last.messageVi != null || last.messageEn != null)) {
                Text(t(last.messageVi.orEmpty(), last.messageEn.orEmpty()), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyMedium)
            }
            OutlinedButton(onClick = onOpenQueue, modifier = Modifier.fillMaxWidth()) { Text(t("Xem hàng chờ", "Open the queue")) }
        }
        val s = state.sync
        if (s.running) {
            val sent = formatCount(s.sent.toLong(), lang)
            val total = formatCount(s.total.toLong(), lang)
            val label = t("Đang gửi $sent/$total", "Sending $sent/$total")
            Text(label, fontWeight = FontWeight.Medium)
            LinearProgressIndicator(progress = { s.fraction }, modifier = Modifier.fillMaxWidth().heightIn(min = 10.dp).semantics { contentDescription = label })
            OutlinedButton(onClick = onCancelSync, modifier = Modifier.fillMaxWidth()) { Text(t("Dừng", "Stop")) }
        } else {
            s.lastReport?.let { r ->
                val sent = formatCount(r.sent.toLong(), lang)
                val accepted = formatCount(r.accepted.toLong(), lang)
                val rejected = formatCount(r.rejected.toLong(), lang)
                Text(t("Đã gửi $sent: $accepted được nhận, $rejected bị từ chối", "Sent $sent: $accepted accepted, $rejected refused"))
            }
            s.error?.let { ErrorBanner(it) }
            s.waiting?.let { Text(t(it), style = MaterialTheme.typography.bodyMedium) }
            Button(onClick = onSync, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) { Text(t("Đồng bộ ngay", "Sync now")) }
            if (state.canForce) {
                OutlinedButton(onClick = onSendNowOnMobileData, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
                    Text(t("Gửi ngay bằng dữ liệu di động", "Send now on mobile data"))
                }
            }
        }
    }
}

@Composable
internal fun Stat(label: String, value: String) {
    Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
        Text(label, modifier = Modifier.weight(1f), style = MaterialTheme.typography.bodyLarge)
        Text(value, style = MaterialTheme.typography.titleMedium, fontWeight = FontWeight.Bold)
    }
}

/** "Bản nháp chưa lưu": forms left half-filled, each reopened filled in, or thrown away. */
@Composable
private fun DraftsSection(drafts: List<DraftItem>, onOpen: (DraftItem) -> Unit, onDiscard: (DraftItem) -> Unit) {
    if (drafts.isEmpty()) return
    val lang = LocalLang.current
    SectionTitle(t("Bản nháp chưa lưu (${drafts.size})", "Unsaved drafts (${drafts.size})"))
    drafts.forEach { d ->
        InfoCard {
            val kind = d.form.recordKind.label(lang)
            Text(
                if (d.title.isNotBlank()) "$kind — ${d.title}" else kind, fontWeight = FontWeight.SemiBold,
                maxLines = 2, overflow = androidx.compose.ui.text.style.TextOverflow.Ellipsis,
            )
            Text(t("Ghi dở ${formatAgo(d.updatedAt, lang)}", "Left ${formatAgo(d.updatedAt, lang)}"), style = MaterialTheme.typography.bodyMedium)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
                OutlinedButton(onClick = { onDiscard(d) }, modifier = Modifier.weight(1f)) { Text(t("Hủy", "Discard")) }
                Button(onClick = { onOpen(d) }, modifier = Modifier.weight(1f)) { Text(t("Mở tiếp", "Continue")) }
            }
        }
    }
}
