package vn.gocua.ffi

import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.coroutines.cancellation.CancellationException
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.LastSyncOutcome
import uniffi.gocua_ffi.ProblemCode
import uniffi.gocua_ffi.QueueEntryState
import uniffi.gocua_ffi.SyncReportView
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.RecordKind
import vn.gocua.ffi.Fixtures.assist
import vn.gocua.ffi.Fixtures.household
import vn.gocua.ffi.Fixtures.visit

/** Enrolment and sync (both `suspend`) against a real `gocua serve` started by the tests. */
class SyncTest {
    private val server get() = TestServer.server

    companion object {
        fun assertProgress(events: List<Pair<UInt, UInt>>, total: UInt) {
            assertTrue(events.isNotEmpty(), "progress was reported")
            assertEquals(0u to total, events.first(), "progress starts at 0 of the queue")
            assertEquals(total to total, events.last(), "progress ends at total: $events")
            events.zipWithNext().forEach { (a, b) ->
                assertTrue(b.first >= a.first, "sent never goes back: $events")
                assertEquals(a.second, b.second, "the total stays put: $events")
            }
            assertTrue(events.all { it.first <= it.second }, "sent <= total: $events")
        }

        /**
         * Runs `profile.sync` in a coroutine and cancels that coroutine from the progress callback
         * once [sentAtLeast] records are acknowledged — as a user leaving the screen cancels it.
         * The callback (on the core's sync thread) holds the sync until the coroutine has really
         * finished, i.e. uniffi dropped the Rust future and so raised the core's cancel flag.
         */
        fun cancelDuringSync(p: FieldProfile, sentAtLeast: UInt = 1u): RecordingListener = runBlocking(Dispatchers.Default) {
            val finished = CountDownLatch(1)
            lateinit var cancel: () -> Unit
            val listener = RecordingListener { sent, _ ->
                if (sent >= sentAtLeast) {
                    cancel()
                    assertTrue(finished.await(10, TimeUnit.SECONDS), "the coroutine was cancelled")
                }
            }
            val job = async(start = CoroutineStart.LAZY) { p.sync(listener) }
            cancel = { job.cancel() }
            job.invokeOnCompletion { finished.countDown() }
            job.start()
            assertFailsWith<CancellationException> { job.await() }
            listener
        }
    }

    @Test
    fun `enrols with a one-time code and uploads everything with monotonic progress`(): Unit = runBlocking {
        Fixtures.enrolled("Nguyễn Hoàng Nam").use { p ->
            Fixtures.fieldDay(p, households = 30, visitsEach = 10) // 330 records: two batches
            assertEquals(330u, p.queueStatus().pending)

            val listener = RecordingListener()
            val report = p.sync(listener)
            assertEquals(SyncReportView(sent = 330u, accepted = 330u, rejected = 0u), report)
            assertProgress(listener.events, 330u)
            assertTrue(listener.events.size >= 3, "one event per batch of 200, plus the start: ${listener.events}")
            println("[sync] progress events: ${listener.events.joinToString { "${it.first}/${it.second}" }}")

            val status = p.queueStatus()
            assertEquals(0u, status.pending)
            assertEquals(330u, status.accepted)
            val last = assertNotNull(status.lastSync)
            assertEquals(LastSyncOutcome.Ok, last.outcome)
            assertEquals(330u, last.accepted)
            assertTrue(last.finishedAt.isAfter(java.time.Instant.now().minusSeconds(600)))

            // Nothing to send: a second sync is an empty pass.
            val again = RecordingListener()
            assertEquals(0u, p.sync(again, maxAttempts = 1u).sent)
            assertEquals(listOf(0u to 0u), again.events)
        }
    }

    @Test
    fun `an enrolment code works once, and an enrolled profile refuses a second enrolment`(): Unit = runBlocking {
        val code = server.enrolCode("Bùi Thị Lan")
        FieldProfile.open(Fixtures.dataDir().path, generateKey()).use { p ->
            p.enrol(server.url, code, "first", "0.1.0")
            val again = assertFailsWith<FieldKitException.AlreadyEnrolled> { p.enrol(server.url, server.enrolCode("Bùi Thị Lan 2"), "first", "0.1.0") }
            assertEquals("already_enrolled", again.code)
        }
        FieldProfile.open(Fixtures.dataDir().path, generateKey()).use { p ->
            val e = assertFailsWith<FieldKitException.ServerRefused> { p.enrol(server.url, code, "second", "0.1.0") }
            assertEquals("enrol_code_used", e.code)
            assertTrue(e.status.toInt() in 400..499, "status ${e.status}")
            assertEquals(null, p.profile(), "a failed enrolment leaves the profile unenrolled")
        }
    }

    @Test
    fun `a record the server rejects is quarantined with its reason, and sent again after the fix`(): Unit = runBlocking {
        Fixtures.enrolled("Đoàn Văn Hậu").use { p ->
            val h = p.createHousehold(household("Mai Thị Thu"))
            // Recorded while the service is in the catalogue: the phone accepts it.
            val doomed = p.recordVisit(visit(h.id, listOf(assist(GoCuaServer.WITHDRAWN_SERVICE))))
            val fine = p.recordVisit(visit(h.id, listOf(assist("birth_registration"))))
            // Before the phone syncs, the coordinator withdraws that service from the catalogue.
            server.withdrawService(true)
            try {
                val report = p.sync()
                assertEquals(3u, report.sent)
                assertEquals(2u, report.accepted, "the household and the other visit went through")
                assertEquals(1u, report.rejected)

                val rejected = p.rejectedItems().single()
                assertEquals(RecordKind.Visit, rejected.kind)
                assertEquals(doomed.id, rejected.recordId)
                assertEquals(QueueEntryState.Rejected, rejected.state)
                assertEquals("Mai Thị Thu", rejected.titleVi, "the volunteer recognises the visit by the household")
                val reason = assertNotNull(rejected.reason)
                assertEquals(ProblemCode.UnknownService, reason.code)
                assertEquals("assists[0].service_key", reason.field)
                assertTrue(!reason.fieldLabelVi.isNullOrBlank() && !reason.fieldLabelEn.isNullOrBlank(), "$reason")
                // Named as the volunteer knows it, never by its key.
                assertTrue(reason.messageVi.contains("Cấp phiếu lý lịch tư pháp"), reason.messageVi)
                assertTrue(reason.messageEn.contains("withdrawn from the catalogue"), reason.messageEn)
                assertFalse(reason.messageVi.contains(GoCuaServer.WITHDRAWN_SERVICE), reason.messageVi)
                println("[rejected] ${rejected.kind.label(Lang.VI)} — ${rejected.titleVi}: ${reason.fieldLabelVi}: ${reason.messageVi}")

                val status = p.queueStatus()
                assertEquals(0u, status.pending)
                assertEquals(1u, status.rejected)
                assertEquals(LastSyncOutcome.Partial, status.lastSync?.outcome)
                assertTrue(p.pendingItems().none { it.recordId == fine.id })
                // The same sync downloaded the new catalogue: the service is gone from the form.
                assertTrue(p.services().none { it.key == GoCuaServer.WITHDRAWN_SERVICE })

                // The coordinator restores it; the volunteer sends the record again, unchanged.
                server.withdrawService(false)
                p.requeue(rejected.kind, doomed.id)
                assertEquals(1u, p.queueStatus().pending)
                assertEquals(1u, p.sync().accepted)
                assertEquals(emptyList(), p.rejectedItems())
                assertEquals(0u, p.queueStatus().rejected)
            } finally {
                server.withdrawService(false)
            }
        }
    }

    @Test
    fun `a sync coroutine cancelled at once loses nothing`(): Unit = runBlocking {
        Fixtures.enrolled("Châu Ngọc Hân").use { p ->
            Fixtures.fieldDay(p, households = 2, visitsEach = 3)
            // Started (the core's sync thread is spawned), then cancelled before the first await returns.
            val job = async(start = CoroutineStart.UNDISPATCHED) { p.sync(RecordingListener()) }
            job.cancel()
            assertFailsWith<CancellationException> { job.await() }
            // Whatever the core's thread managed before it saw the flag, nothing is lost: the next
            // sync (which waits for that thread to finish) sends the rest.
            val listener = RecordingListener()
            val report = p.sync(listener)
            assertEquals(report.sent, report.accepted)
            assertProgress(listener.events, report.sent)
            val status = p.queueStatus()
            assertEquals(8u, status.accepted)
            assertEquals(0u, status.pending)
            assertEquals(0u, status.inFlight)
        }
    }

    @Test
    fun `cancelling a running sync coroutine keeps every unsent record queued, and the next sync sends them`() {
        Fixtures.enrolled("Tạ Minh Luân").use { p ->
            Fixtures.fieldDay(p, households = 1, visitsEach = 449) // 450 records: batches of 200
            val listener = cancelDuringSync(p)
            assertEquals(listOf(0u to 450u, 200u to 450u), listener.events)

            // The core's sync thread winds down on its own: it sees the flag before the next batch.
            Fixtures.waitUntil("the cancelled sync is recorded") { p.queueStatus().lastSync?.outcome == LastSyncOutcome.Cancelled }
            val afterCancel = p.queueStatus()
            assertEquals(200u, afterCancel.accepted, "the acknowledged batch is done")
            assertEquals(250u, afterCancel.pending, "the rest went back to the queue")
            assertEquals(0u, afterCancel.inFlight, "nothing is left in flight")
            assertEquals("Cancelled", afterCancel.lastSync?.outcome?.label(Lang.EN))
            assertEquals(250, p.pendingItems().size)

            val resume = RecordingListener()
            val report = runBlocking { p.sync(resume) }
            assertEquals(250u, report.sent)
            assertEquals(250u, report.accepted)
            assertProgress(resume.events, 250u)
            val done = p.queueStatus()
            assertEquals(450u, done.accepted, "nothing was lost")
            assertEquals(0u, done.pending)
        }
    }

    @Test
    fun `two syncs at once run one after the other`(): Unit = runBlocking(Dispatchers.Default) {
        Fixtures.enrolled("Hồ Thị Ngân").use { p ->
            Fixtures.fieldDay(p, households = 5, visitsEach = 4) // 25 records
            val reports = listOf(async { p.sync() }, async { p.sync() }).awaitAll()
            assertEquals(listOf(0u, 25u), reports.map { it.sent }.sorted())
            assertEquals(25u, p.queueStatus().accepted)
        }
    }

    @Test
    fun `leaving the team is refused while records wait, then allowed once they are on the server`(): Unit = runBlocking {
        Fixtures.enrolled("Kiều Văn Sơn").use { p ->
            val h = p.createHousehold(household("Ông Tám"))
            p.recordVisit(visit(h.id, listOf(assist("birth_registration"))))
            val refused = assertFailsWith<FieldKitException.UnsentRecords> { p.unenrol() }
            assertEquals("unsent_records", refused.code)
            assertEquals(2u, refused.count)
            assertTrue(refused.messageVi.contains("2"), refused.messageVi)
            assertTrue(p.isEnrolled(), "nothing was removed")
            assertTrue(p.exportUnsent().contains("gocua-unsent-records"))

            assertEquals(2u, p.sync().accepted)
            p.unenrol()
            assertFalse(p.isEnrolled())
            assertEquals(null, p.profile())
            // The same profile (same key) can join again.
            p.enrol(server.url, server.enrolCode("Kiều Văn Sơn (lần 2)"), "JVM test phone", "0.1.0-test")
            assertTrue(p.isEnrolled() && p.teamAreas().isNotEmpty())
        }
    }
}
