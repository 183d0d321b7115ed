package vn.gocua.fieldkit

import java.util.Collections
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import java.time.LocalDate
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import org.junit.jupiter.api.Test
import uniffi.gocua_core.SyncTrigger
import uniffi.gocua_core.SyncWaitReason
import uniffi.gocua_ffi.AttentionView
import uniffi.gocua_ffi.LastSyncOutcome
import uniffi.gocua_ffi.ProblemCode
import uniffi.gocua_ffi.SessionDraft
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.SessionKind
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer
import vn.gocua.ffi.TestServer
import vn.gocua.fieldkit.state.QueueViewModel
import vn.gocua.fieldkit.state.TodayViewModel
import vn.gocua.fieldkit.sync.AttentionCondition
import vn.gocua.fieldkit.sync.AttentionRule
import vn.gocua.fieldkit.sync.BackgroundSync
import vn.gocua.fieldkit.sync.InMemoryAttentionLog
import vn.gocua.fieldkit.sync.SyncOutcome
import vn.gocua.fieldkit.sync.WorkResult

/** Sync through the state holders against the real `gocua serve`. */
class SyncStateTest {
    @Test
    fun `Today's send-now is work that follows wifi-only, goes on mobile data when the volunteer says so, with real progress`() {
        withKit(Fixtures.enrolled("Ngô Thị Hồng Nhung")) {
            Fixtures.fieldDay(kit.profile, households = 25, visitsEach = 9) // 250 records: two batches
            val vm = TodayViewModel(kit, scope)
            vm.load().join()
            assertEquals(250u, vm.state.value.queue?.pending)

            val fractions = Collections.synchronizedList(mutableListOf<Float>())
            val watcher = scope.launch { kit.sync.progress.collect { if (it.running) fractions += it.fraction } }

            network.facts = FakeNetwork.OFFLINE
            vm.syncNow().join()
            assertTrue(!vm.state.value.canForce, "offline: nothing to force")
            assertNotNull(vm.state.value.sync.waiting)
            assertTrue(scheduler.runOneOffs(kit, network.facts).isEmpty(), "offline: the work waits")

            network.facts = FakeNetwork.MOBILE_DATA
            vm.syncNow().join()
            val s = vm.state.value
            assertTrue(s.canForce, "on mobile data with wifi-only: the core would send if the user asks")
            assertTrue(s.sync.waiting!!.vi.contains("dữ liệu di động"), s.sync.waiting!!.vi)
            assertTrue(scheduler.runOneOffs(kit, network.facts).isEmpty(), "\"Gửi ngay\" waits for wifi")
            assertEquals(250u, kit.profile.queueStatus().pending, "nothing was sent")

            vm.sendNowOnMobileData().join()
            val ran = scheduler.runOneOffs(kit, network.facts)
            assertEquals(listOf(WorkResult.SUCCESS), ran.map { it.second }, "the override's work ran")
            assertTrue(ran.single().first.expedited && ran.single().first.mobileDataOnce)
            vm.load().join()
            watcher.cancel()
            val done = vm.state.value
            assertEquals(250u, done.sync.lastReport?.sent)
            assertEquals(250u, done.sync.lastReport?.accepted)
            assertNull(done.sync.error)
            assertNull(done.sync.waiting)
            assertTrue(!done.sync.running)
            assertEquals(0u, done.queue?.pending)
            assertEquals(LastSyncOutcome.Ok, done.queue?.lastSync?.outcome)
            assertEquals(250u, done.sync.sent)
            assertEquals(250u, done.sync.total)
            // The progress bar moved forward and reached the end.
            assertTrue(fractions.zipWithNext().all { (a, b) -> b >= a }, "$fractions")
            assertTrue(fractions.any { it in 0.01f..0.99f } || fractions.size >= 2, "intermediate progress was shown: $fractions")
        }
    }

    @Test
    fun `the core asks the network again between batches - leaving wifi stops the work, nothing lost, the rest goes once`() {
        withKit(Fixtures.enrolled("Hà Văn Thắng")) {
            Fixtures.fieldDay(kit.profile, households = 1, visitsEach = 449) // 450 records: batches of 200
            // Wifi for the worker's own look (1) and the core's question before the first batch (2);
            // mobile data from the core's next question on, before the second batch.
            network.script = { n -> if (n <= 2) FakeNetwork.WIFI else FakeNetwork.MOBILE_DATA }
            val result = BackgroundSync.run(kit, SyncTrigger.PERIODIC, mobileDataOnce = false)
            assertEquals(WorkResult.RETRY, result, "WorkManager runs the work again under its constraint")
            val status = kit.profile.queueStatus()
            assertEquals(0u, status.inFlight, "nothing in flight")
            assertEquals(200u to 250u, status.accepted to status.pending, "the first batch went, the rest waits")
            val last = assertNotNull(status.lastSync)
            assertEquals(LastSyncOutcome.Stopped, last.outcome)
            assertEquals("metered", last.errorCode)
            assertTrue(last.messageVi!!.contains("wifi"), last.messageVi)
            val shown = assertNotNull(kit.sync.progress.value.waiting, "Today shows why it stopped")
            assertEquals(last.messageVi, shown.vi)
            println("[recheck] left wifi after the first batch: ${status.accepted} accepted, ${status.pending} waiting, ${last.outcome.label(Lang.EN)}")

            // The coordinator answers Stopped with the core's typed reason.
            network.script = { FakeNetwork.MOBILE_DATA }
            val again = assertIs<SyncOutcome.Stopped>(kit.sync.sync(FakeNetwork.WIFI, SyncTrigger.PERIODIC, wifiOnly = true))
            assertEquals(SyncWaitReason.METERED, again.reason)
            assertEquals(0u, again.report.sent)

            network.script = null
            network.facts = FakeNetwork.WIFI
            val rest = assertIs<SyncOutcome.Done>(kit.sync.sync(network.current(), SyncTrigger.PERIODIC, wifiOnly = true))
            assertEquals(250u, rest.report.sent, "each record of the rest sent once")
            assertEquals(250u, rest.report.accepted)
            assertNull(rest.report.stopped)
            assertEquals(450u to 0u, kit.profile.queueStatus().let { it.accepted to it.pending })
        }
    }

    @Test
    fun `after a background sync a refused record is notified once a day, in the volunteer's language`() {
        val server = TestServer.server
        withKit(Fixtures.enrolled("Mai Văn Bình")) {
            val shown = Collections.synchronizedList(mutableListOf<AttentionView>())
            val log = InMemoryAttentionLog()
            val k = FieldKit(kit.profile, settings, Dispatchers.IO, network, scheduler, notifier = { shown += it }, attentionLog = log)
            val h = k.profile.createHousehold(Fixtures.household("Trần Thị Mận"))
            k.profile.recordVisit(Fixtures.visit(h.id, listOf(Fixtures.assist(GoCuaServer.WITHDRAWN_SERVICE))))
            try {
                server.withdrawService(true)
                assertEquals(WorkResult.SUCCESS, BackgroundSync.run(k, SyncTrigger.PERIODIC, mobileDataOnce = false))
                val a = shown.single()
                assertEquals(1u to 0u, a.refused to a.waitingOverDay)
                assertEquals("Bản ghi bị máy chủ từ chối", a.title)
                assertTrue(a.body.contains("Hàng chờ"), a.body)
                // Another background sync the same day: not again.
                BackgroundSync.run(k, SyncTrigger.PERIODIC, mobileDataOnce = false)
                assertEquals(1, shown.size, "at most once a day")
                // Shown yesterday (the deployment's day): shown again today, in English when chosen.
                log.markShown(AttentionCondition.REFUSED, k.profile.today().minusDays(1))
                settings.update { it.copy(lang = Lang.EN) }
                BackgroundSync.run(k, SyncTrigger.PERIODIC, mobileDataOnce = false)
                assertEquals(2, shown.size)
                assertEquals("Records refused by the server", shown.last().title)
            } finally {
                server.withdrawService(false)
            }
        }
    }

    @Test
    fun `the once-a-day rule is per condition`() {
        val log = InMemoryAttentionLog()
        val day = LocalDate.of(2026, 3, 10)
        val waiting = AttentionView("t", "b", waitingOverDay = 2u, refused = 0u)
        val both = AttentionView("t", "b", waitingOverDay = 2u, refused = 1u)
        assertEquals(emptySet(), AttentionRule.due(null, day, log))
        assertEquals(setOf(AttentionCondition.WAITING_OVER_DAY), AttentionRule.due(waiting, day, log))
        log.markShown(AttentionCondition.WAITING_OVER_DAY, day)
        assertEquals(emptySet(), AttentionRule.due(waiting, day, log), "shown today")
        assertEquals(setOf(AttentionCondition.REFUSED), AttentionRule.due(both, day, log), "a new condition is shown the same day")
        assertEquals(setOf(AttentionCondition.WAITING_OVER_DAY), AttentionRule.due(waiting, day.plusDays(1), log), "and again the next day")
    }

    @Test
    fun `the policy's reason comes back typed when the core says to wait`() {
        withKit(Fixtures.enrolled("Tôn Nữ Thanh")) {
            val skipped = kit.sync.sync(FakeNetwork.MOBILE_DATA, SyncTrigger.PERIODIC, wifiOnly = true)
            assertEquals(SyncWaitReason.METERED, assertIs<SyncOutcome.Skipped>(skipped).reason)
            assertTrue(skipped.message.en.isNotBlank())
        }
    }

    @Test
    fun `never two syncs at once`() {
        withKit(Fixtures.enrolled("Trương Văn Lộc")) {
            Fixtures.fieldDay(kit.profile, households = 40, visitsEach = 9) // 400 records
            val first = scope.async { kit.sync.sync(network.current(), SyncTrigger.PERIODIC, wifiOnly = true) }
            while (!kit.sync.isRunning) {
                check(!first.isCompleted) { "the first sync ended before it was seen running" }
                delay(1)
            }
            // Two batches over HTTP take far longer than this call: the first sync is still running.
            val second = kit.sync.sync(network.current(), SyncTrigger.USER_FORCED, wifiOnly = true)
            assertEquals(SyncOutcome.Busy, second, "the second request did not start a second sync")
            val a = first.await()
            assertEquals(400u, assertIs<SyncOutcome.Done>(a).report.sent)
            assertEquals(0u, kit.profile.queueStatus().pending)
            assertEquals(400u, kit.profile.queueStatus().accepted)
        }
    }

    @Test
    fun `Stop cancels the sync's coroutine - what was not acknowledged waits in the queue and goes next time`() {
        withKit(Fixtures.enrolled("Lạc Thị Mơ")) {
            Fixtures.fieldDay(kit.profile, households = 1, visitsEach = 449) // 450 records: batches of 200
            val vm = TodayViewModel(kit, scope)
            val before = kit.profile.queueStatus().lastSync // enrolment's own sync
            // "Dừng" as soon as the progress bar shows the first batch acknowledged.
            val stopper = scope.launch { kit.sync.progress.collect { if (it.running && it.sent > 0u) vm.cancelSync() } }
            val outcome = kit.sync.sync(network.current(), SyncTrigger.USER_FORCED, wifiOnly = true)
            stopper.cancel()
            assertEquals(SyncOutcome.Cancelled, outcome)
            assertTrue(!kit.sync.progress.value.running)
            // The core's thread winds down by itself (it sees the flag between batches); then
            // nothing is in flight and nothing is lost.
            Fixtures.waitUntil("the core's sync thread finished") { kit.profile.queueStatus().lastSync != before }
            val status = kit.profile.queueStatus()
            assertEquals(0u, status.inFlight)
            assertEquals(450u, status.accepted + status.pending)
            println("[stop] after \"Dừng\": ${status.accepted} accepted, ${status.pending} waiting, last sync ${status.lastSync?.outcome?.label(Lang.EN)}")

            val again = kit.sync.sync(network.current(), SyncTrigger.USER_FORCED, wifiOnly = true)
            assertEquals(status.pending, assertIs<SyncOutcome.Done>(again).report.accepted)
            assertEquals(450u, kit.profile.queueStatus().accepted)
        }
    }

    @Test
    fun `the queue shows the core's kinds and titles, and a refused record with its reason is sent again after the fix`() {
        val server = TestServer.server
        withKit(Fixtures.enrolled("Phan Thị Kim Chi")) {
            val h = kit.profile.createHousehold(Fixtures.household("Trần Thị Bích Ngọc"))
            val doomed = kit.profile.recordVisit(Fixtures.visit(h.id, listOf(Fixtures.assist(GoCuaServer.WITHDRAWN_SERVICE))))
            kit.profile.recordSession(
                SessionDraft(SessionKind.OneStopShop, GoCuaServer.COMMUNE_A1, "Bộ phận một cửa phường", kit.profile.today(), 12u),
            )
            val q = QueueViewModel(kit, scope)
            q.load().join()
            val session = q.state.value.pending.single { it.kind is RecordKind.OutreachSession }
            assertEquals(RecordKind.OutreachSession.label(Lang.VI), session.kind.label(Lang.VI), "the core's label of the kind")
            assertEquals("Bộ phận một cửa phường", session.titleVi)
            assertEquals("Trần Thị Bích Ngọc", q.state.value.pending.single { it.kind is RecordKind.Visit }.titleVi)
            try {
                server.withdrawService(true)
                assertIs<SyncOutcome.Done>(kit.sync.sync(network.current(), SyncTrigger.USER_FORCED, wifiOnly = true))
                q.load().join()
                val row = q.state.value.rejected.single()
                assertEquals(doomed.id, row.recordId)
                assertEquals("Trần Thị Bích Ngọc", row.titleVi, "the user recognises the visit by the household")
                val reason = assertNotNull(row.reason)
                assertEquals(ProblemCode.UnknownService, reason.code)
                assertEquals("assists[0].service_key", reason.field)
                assertTrue(!reason.fieldLabelVi.isNullOrBlank() && !reason.fieldLabelEn.isNullOrBlank())
                assertTrue(reason.messageVi.isNotBlank() && reason.messageEn.isNotBlank())
                assertTrue(q.state.value.pending.isEmpty())
                assertEquals(1u, q.state.value.status?.rejected)

                server.withdrawService(false) // the coordinator fixes the catalogue
                q.resend(row).join()
                assertTrue(q.state.value.rejected.isEmpty())
                assertEquals(listOf(doomed.id), q.state.value.pending.map { it.recordId })
                assertTrue(scheduler.enqueued.any { !it.periodic }, "re-sending asks for a sync")
                val again = kit.sync.sync(network.current(), SyncTrigger.USER_FORCED, wifiOnly = true)
                assertEquals(1u, assertIs<SyncOutcome.Done>(again).report.accepted)
                q.load().join()
                assertTrue(q.state.value.pending.isEmpty() && q.state.value.rejected.isEmpty())
            } finally {
                server.withdrawService(false)
            }
        }
    }
}
