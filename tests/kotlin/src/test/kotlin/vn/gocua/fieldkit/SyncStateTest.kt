package vn.gocua.fieldkit

import java.util.Collections
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import org.junit.jupiter.api.Test
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer
import vn.gocua.ffi.TestServer
import vn.gocua.fieldkit.state.QueueViewModel
import vn.gocua.fieldkit.state.TodayViewModel
import vn.gocua.fieldkit.sync.SyncOutcome
import vn.gocua.fieldkit.sync.Triggers

/** Sync through the state holders against the real `gocua serve`. */
class SyncStateTest {
    @Test
    fun `Today's sync follows wifi-only, sends on mobile data when the user says so, with real progress`() {
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

            network.facts = FakeNetwork.MOBILE_DATA
            vm.syncNow().join()
            val s = vm.state.value
            assertTrue(s.canForce, "on mobile data with wifi-only: the user may send anyway")
            assertTrue(s.sync.waiting!!.vi.contains("dữ liệu di động"), s.sync.waiting!!.vi)
            assertEquals(250u, s.queue?.pending, "nothing was sent")

            vm.sendNowOnMobileData().join()
            watcher.cancel()
            val done = vm.state.value
            assertEquals(250u, done.sync.lastReport?.sent)
            assertEquals(250u, done.sync.lastReport?.accepted)
            assertNull(done.sync.error)
            assertTrue(!done.sync.running)
            assertEquals(0u, done.queue?.pending)
            assertEquals("ok", done.queue?.lastSyncOutcome)
            assertTrue((done.queue?.lastSyncAtMs ?: 0) > 0)
            assertEquals(250u, done.sync.sent)
            assertEquals(250u, done.sync.total)
            // The progress bar moved forward and reached the end.
            assertTrue(fractions.zipWithNext().all { (a, b) -> b >= a }, "$fractions")
            assertTrue(fractions.any { it in 0.01f..0.99f } || fractions.size >= 2, "intermediate progress was shown: $fractions")
        }
    }

    @Test
    fun `never two syncs at once`() {
        withKit(Fixtures.enrolled("Trương Văn Lộc")) {
            Fixtures.fieldDay(kit.profile, households = 40, visitsEach = 9) // 400 records
            val first = scope.async { kit.sync.sync(network.current(), Triggers.PERIODIC, wifiOnly = true) }
            while (!kit.sync.isRunning) {
                check(!first.isCompleted) { "the first sync ended before it was seen running" }
                delay(1)
            }
            // Two batches over HTTP take far longer than this call: the first sync is still running.
            val second = kit.sync.sync(network.current(), Triggers.USER_FORCED, wifiOnly = true)
            assertEquals(SyncOutcome.Busy, second, "the second request did not start a second sync")
            val a = first.await()
            assertEquals(400u, assertIs<SyncOutcome.Done>(a).report.sent)
            assertIs<SyncOutcome.Done>(a)
            assertEquals(0u, kit.profile.queueStatus().pending)
            assertEquals(400u, kit.profile.queueStatus().accepted)
        }
    }

    @Test
    fun `a refused record shows the server's reason in the queue and is sent again after the fix`() {
        val server = TestServer.server
        withKit(Fixtures.enrolled("Phan Thị Kim Chi")) {
            val h = kit.profile.createHousehold(Fixtures.household("Trần Thị Bích Ngọc"))
            val doomed = kit.profile.recordVisit(Fixtures.visit(h.id, listOf(Fixtures.assist(GoCuaServer.WITHDRAWN_SERVICE))))
            try {
                server.withdrawService(true)
                assertIs<SyncOutcome.Done>(kit.sync.sync(network.current(), Triggers.USER_FORCED, wifiOnly = true))
                val q = QueueViewModel(kit, scope)
                q.load().join()
                val row = q.state.value.rejected.single()
                assertEquals(doomed.id, row.item.recordId)
                assertEquals("Trần Thị Bích Ngọc", row.title, "the user recognises the visit by the household")
                assertEquals("unknown_service", row.item.reasonCode)
                assertEquals("assists[0].service_key", row.item.reasonField)
                assertTrue(!row.item.reasonVi.isNullOrBlank() && !row.item.reasonEn.isNullOrBlank())
                assertTrue(q.state.value.pending.isEmpty())
                assertEquals(1u, q.state.value.status?.rejected)

                server.withdrawService(false) // the coordinator fixes the catalogue
                q.resend(row.item).join()
                assertTrue(q.state.value.rejected.isEmpty())
                assertEquals(listOf(doomed.id), q.state.value.pending.map { it.item.recordId })
                assertTrue(scheduler.enqueued.any { !it.periodic }, "re-sending asks for a sync")
                val again = kit.sync.sync(network.current(), Triggers.USER_FORCED, wifiOnly = true)
                assertEquals(1u, assertIs<SyncOutcome.Done>(again).report.accepted)
                q.load().join()
                assertTrue(q.state.value.pending.isEmpty() && q.state.value.rejected.isEmpty())
            } finally {
                server.withdrawService(false)
            }
        }
    }
}
