package vn.gocua.ffi

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.CancelHandle
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.generateKey
import vn.gocua.ffi.Fixtures.assist
import vn.gocua.ffi.Fixtures.household
import vn.gocua.ffi.Fixtures.visit

/** Enrolment and sync against a real `gocua serve` started by the tests. */
class SyncTest {
    private val server get() = TestServer.server

    private fun assertProgress(events: List<Pair<UInt, UInt>>, total: UInt) {
        assertTrue(events.isNotEmpty(), "progress was reported")
        assertEquals(0u to total, events.first(), "progress starts at 0 of the queue")
        assertEquals(total to total, events.last(), "progress ends at total: $events")
        events.zipWithNext().forEach { (a, b) ->
            assertTrue(b.first >= a.first, "sent never goes back: $events")
            assertEquals(a.second, b.second, "the total stays put: $events")
        }
        assertTrue(events.all { it.first <= it.second }, "sent <= total: $events")
    }

    @Test
    fun `enrols with a one-time code and uploads everything with monotonic progress`() {
        Fixtures.enrolled("Nguyễn Hoàng Nam").use { p ->
            Fixtures.fieldDay(p, households = 30, visitsEach = 10) // 330 records: two batches
            assertEquals(330u, p.queueStatus().pending)

            val listener = RecordingListener()
            CancelHandle().use { cancel ->
                val report = p.sync(listener, cancel, 3u)
                assertEquals(330u, report.sent)
                assertEquals(330u, report.accepted)
                assertEquals(0u, report.rejected)
            }
            assertProgress(listener.events, 330u)
            assertTrue(listener.events.size >= 3, "one event per batch of 200, plus the start: ${listener.events}")
            println("[sync] progress events: ${listener.events.joinToString { "${it.first}/${it.second}" }}")

            val status = p.queueStatus()
            assertEquals(0u, status.pending)
            assertEquals(330u, status.accepted)
            assertEquals("ok", status.lastSyncOutcome)
            assertTrue((status.lastSyncAtMs ?: 0) > 0)

            // Nothing to send: a second sync is an empty pass.
            val again = RecordingListener()
            assertEquals(0u, p.sync(again, CancelHandle(), 1u).sent)
            assertEquals(listOf(0u to 0u), again.events)
        }
    }

    @Test
    fun `an enrolment code works once`() {
        val code = server.enrolCode("Bùi Thị Lan")
        FieldProfile.open(Fixtures.dataDir().path, generateKey()).use { p -> p.enrol(server.url, code, "first", "0.1.0") }
        FieldProfile.open(Fixtures.dataDir().path, generateKey()).use { p ->
            val e = assertFailsWith<FieldKitException.ServerRefused> { p.enrol(server.url, code, "second", "0.1.0") }
            assertEquals("enrol_code_used", e.code)
            assertTrue(e.status.toInt() in 400..499, "status ${e.status}")
            assertEquals(null, p.profile(), "a failed enrolment leaves the profile unenrolled")
        }
    }

    @Test
    fun `a record the server rejects is quarantined with its reason and does not block the queue`() {
        Fixtures.enrolled("Đoàn Văn Hậu").use { p ->
            val h = p.createHousehold(household("Mai Thị Thu"))
            // Recorded while the service is in the catalogue: the phone accepts it.
            val doomed = p.recordVisit(visit(h.id, listOf(assist(GoCuaServer.WITHDRAWN_SERVICE))))
            val fine = p.recordVisit(visit(h.id, listOf(assist("birth_registration"))))
            // Before the phone syncs, the coordinator withdraws that service from the catalogue.
            server.withdrawService(true)
            try {
                val report = p.sync(RecordingListener(), CancelHandle(), 3u)
                assertEquals(3u, report.sent)
                assertEquals(2u, report.accepted, "the household and the other visit went through")
                assertEquals(1u, report.rejected)

                val rejected = p.rejectedItems().single()
                assertEquals("visit", rejected.kind)
                assertEquals(doomed.id, rejected.recordId)
                assertEquals("rejected", rejected.state)
                assertEquals("unknown_service", rejected.reasonCode)
                assertEquals("assists[0].service_key", rejected.reasonField)
                assertTrue(rejected.reasonVi!!.contains(GoCuaServer.WITHDRAWN_SERVICE), rejected.reasonVi)
                assertTrue(rejected.reasonEn!!.contains("not in the catalogue"), rejected.reasonEn)
                println("[rejected] ${rejected.kind} ${rejected.recordId}: ${rejected.reasonCode} — ${rejected.reasonVi}")

                val status = p.queueStatus()
                assertEquals(0u, status.pending)
                assertEquals(1u, status.rejected)
                assertEquals("partial", status.lastSyncOutcome)
                assertTrue(p.pendingItems().none { it.recordId == fine.id })
                // The same sync downloaded the new catalogue: the service is gone from the form.
                assertTrue(p.services().none { it.key == GoCuaServer.WITHDRAWN_SERVICE })

                // The coordinator restores it; the volunteer sends the record again, unchanged.
                server.withdrawService(false)
                p.requeue("visit", doomed.id)
                assertEquals(1u, p.queueStatus().pending)
                val retry = p.sync(RecordingListener(), CancelHandle(), 3u)
                assertEquals(1u, retry.accepted)
                assertEquals(emptyList(), p.rejectedItems())
                assertEquals(0u, p.queueStatus().rejected)
            } finally {
                server.withdrawService(false)
            }
        }
    }

    @Test
    fun `a sync cancelled before it starts sends nothing and loses nothing`() {
        Fixtures.enrolled("Châu Ngọc Hân").use { p ->
            Fixtures.fieldDay(p, households = 2, visitsEach = 3)
            CancelHandle().use { cancel ->
                cancel.cancel()
                assertTrue(cancel.isCancelled())
                val e = assertFailsWith<FieldKitException.Cancelled> { p.sync(RecordingListener(), cancel, 3u) }
                assertTrue(e.messageVi.isNotBlank())
            }
            val status = p.queueStatus()
            assertEquals(8u, status.pending)
            assertEquals(0u, status.inFlight)
            assertEquals(0u, status.accepted)
            assertEquals("cancelled", status.lastSyncOutcome)

            val listener = RecordingListener()
            assertEquals(8u, p.sync(listener, CancelHandle(), 3u).accepted)
            assertProgress(listener.events, 8u)
        }
    }

    @Test
    fun `a sync cancelled while running keeps every unsent record queued`() {
        Fixtures.enrolled("Tạ Minh Luân").use { p ->
            Fixtures.fieldDay(p, households = 1, visitsEach = 449) // 450 records: batches of 200
            val cancel = CancelHandle()
            // Cancel from the progress callback, on the syncing thread, after the first batch.
            val listener = RecordingListener { sent, _ -> if (sent > 0u) cancel.cancel() }
            assertFailsWith<FieldKitException.Cancelled> { p.sync(listener, cancel, 3u) }
            cancel.destroy()
            assertEquals(listOf(0u to 450u, 200u to 450u), listener.events)

            val afterCancel = p.queueStatus()
            assertEquals(200u, afterCancel.accepted, "the acknowledged batch is done")
            assertEquals(250u, afterCancel.pending, "the rest went back to the queue")
            assertEquals(0u, afterCancel.inFlight, "nothing is left in flight")
            assertEquals("cancelled", afterCancel.lastSyncOutcome)

            val resume = RecordingListener()
            val report = p.sync(resume, CancelHandle(), 3u)
            assertEquals(250u, report.sent)
            assertEquals(250u, report.accepted)
            assertProgress(resume.events, 250u)
            val done = p.queueStatus()
            assertEquals(450u, done.accepted, "nothing was lost")
            assertEquals(0u, done.pending)
        }
    }
}
