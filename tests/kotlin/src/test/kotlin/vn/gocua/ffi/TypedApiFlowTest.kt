package vn.gocua.ffi

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.ConsentDraft
import uniffi.gocua_ffi.FeedbackDraft
import uniffi.gocua_ffi.FeedbackSource
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.LastSyncOutcome
import uniffi.gocua_ffi.ProblemCode
import uniffi.gocua_ffi.QueueEntryState
import uniffi.gocua_ffi.SessionDraft
import uniffi.gocua_ffi.discardUnreadableStore
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.ConsentMethod
import uniffi.gocua_protocol.FeedbackCategory
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.SessionKind
import vn.gocua.ffi.Fixtures.assist
import vn.gocua.ffi.Fixtures.household
import vn.gocua.ffi.Fixtures.visit

/**
 * One phone's life through the typed API, end to end against the real `gocua serve`: enrol →
 * household → a visit with two services and a consent change in one call → outreach session →
 * feedback → the queue as the Queue screen shows it → sync with progress → a sync coroutine
 * cancelled mid-way → a record the server refuses, fixed and sent again → leaving the team refused
 * while records wait → the platform loses the key.
 */
class TypedApiFlowTest {
    private val server get() = TestServer.server

    @Test
    fun `a phone's life through the typed API`() {
        val dir = Fixtures.dataDir()
        val key = generateKey()
        val p = FieldProfile.open(dir.path, key)
        try {
            // Enrol (suspend).
            val me = runBlocking { p.enrol(server.url, server.enrolCode("Lâm Quốc Việt"), "JVM test phone", "0.1.0-test") }
            assertEquals("Lâm Quốc Việt", me.volunteerName)
            assertTrue(p.isEnrolled())

            // A household that agreed to keep its phone number.
            val h = p.createHousehold(household("  Nguye\u0302\u0303n Thị  Hoa ", phone = "0912 345 678"))
            assertEquals("Nguyễn Thị Hoa", h.headName, "the core tidies what was typed")
            assertTrue(h.consentGiven)

            // A visit with two services — one submitted (with its dossier code), one not finished
            // (with the reason) — and, asked at the same visit, the consent withdrawn: one call.
            val v = p.recordVisit(
                visit(
                    h.id,
                    peopleReached = 3,
                    assists = listOf(
                        assist("birth_registration", result = AssistResult.Submitted, dossierCode = "G22.46.11-251123-0042"),
                        assist("vneid_level2_activation", result = AssistResult.NotFinished, notFinishedReason = NotFinishedReason.NoChipIdCard),
                    ),
                ).copy(consent = ConsentDraft(given = false, method = ConsentMethod.Verbal), followUpOn = p.today()),
            )
            assertEquals(listOf(AssistResult.Submitted, AssistResult.NotFinished), v.assists.map { it.result })
            assertEquals(p.today(), v.followUpOn)
            val after = p.household(h.id)
            assertFalse(after.consentGiven, "the consent change was recorded with the visit")
            assertNull(after.phone, "without consent the phone number is not kept")
            assertEquals(listOf(h.id), p.followUpsDue().map { it.household.id }, "the follow-up due today is listed")

            // An outreach session, and feedback raised there.
            val place = "Nhà văn hóa Khu phố 1"
            val session = p.recordSession(
                SessionDraft(
                    kind = SessionKind.CommunityMeeting, areaCode = GoCuaServer.HAMLET_A1_KP1, place = place,
                    heldOn = p.today(), attendees = 46u, materials = listOf("tờ rơi", " pano hướng dẫn VNeID "),
                ),
            )
            p.recordFeedback(FeedbackDraft(FeedbackSource.Session(session), FeedbackCategory.PortalIssues, "Cổng dịch vụ công báo lỗi khi thanh toán."))

            // The queue as the Queue screen shows it: the core's kinds, labels and titles.
            val items = p.pendingItems()
            assertEquals(
                listOf(RecordKind.Household, RecordKind.Visit, RecordKind.OutreachSession, RecordKind.Feedback),
                items.map { it.kind }.distinct(),
            )
            val sessionRow = items.single { it.kind is RecordKind.OutreachSession }
            val label = sessionRow.kind.label(Lang.VI)
            assertEquals(RecordKind.OutreachSession.label(Lang.VI), label)
            assertNotEquals("outreach_session", label, "a label, never the raw code")
            assertNotEquals("session", label)
            assertEquals(place, sessionRow.titleVi)
            val visitRow = items.single { it.kind is RecordKind.Visit }
            assertEquals("Nguyễn Thị Hoa", visitRow.titleVi)
            assertEquals(listOf("Thủ tục đăng ký khai sinh", "Kích hoạt tài khoản định danh điện tử VNeID mức độ 2"), visitRow.services.map { it.nameVi })
            assertTrue(items.all { it.state == QueueEntryState.Pending })

            // Sync (suspend) with progress.
            val n = p.queueStatus().pending
            val listener = RecordingListener()
            val report = runBlocking { p.sync(listener) }
            assertEquals(n, report.accepted)
            SyncTest.assertProgress(listener.events, n)
            assertEquals(LastSyncOutcome.Ok, p.queueStatus().lastSync?.outcome)

            // A sync coroutine cancelled mid-way: every record not acknowledged waits in the queue,
            // and a later sync sends them.
            Fixtures.fieldDay(p, households = 1, visitsEach = 249) // 250 records: batches of 200 and 50
            SyncTest.cancelDuringSync(p)
            Fixtures.waitUntil("the cancelled sync is recorded") { p.queueStatus().lastSync?.outcome == LastSyncOutcome.Cancelled }
            val cancelled = p.queueStatus()
            assertEquals(0u, cancelled.inFlight)
            assertEquals(50u, cancelled.pending)
            assertEquals(50u, runBlocking { p.sync() }.accepted)

            // A record the server refuses (the coordinator withdrew the service meanwhile), fixed
            // on the server and sent again.
            val doomed = p.recordVisit(visit(h.id, listOf(assist(GoCuaServer.WITHDRAWN_SERVICE))))
            server.withdrawService(true)
            try {
                assertEquals(1u, runBlocking { p.sync() }.rejected)
                val refused = p.rejectedItems().single()
                assertEquals(doomed.id, refused.recordId)
                assertEquals(ProblemCode.UnknownService, refused.reason?.code)
                assertNotNull(refused.reason?.fieldLabelVi)
                server.withdrawService(false)
                p.requeue(refused.kind, refused.recordId)
                assertEquals(1u, runBlocking { p.sync() }.accepted)
                assertEquals(emptyList(), p.rejectedItems())
            } finally {
                server.withdrawService(false)
            }

            // Leaving the team is refused while a record waits.
            p.recordVisit(visit(h.id))
            val unsent = assertFailsWith<FieldKitException.UnsentRecords> { p.unenrol() }
            assertEquals(1u, unsent.count)
            assertTrue(p.isEnrolled())
            assertTrue(formatDay(p.today(), Lang.VI).isNotBlank())
        } finally {
            p.destroy()
        }

        // The platform lost the key: the store cannot be opened, is discarded, and the phone enrols again.
        val newKey = generateKey()
        assertFailsWith<FieldKitException.WrongKey> { FieldProfile.open(dir.path, newKey) }
        discardUnreadableStore(dir.path)
        FieldProfile.open(dir.path, newKey).use { fresh ->
            assertFalse(fresh.isEnrolled())
            assertEquals(0u, fresh.queueStatus().pending)
            val again = runBlocking { fresh.enrol(server.url, server.enrolCode("Lâm Quốc Việt (máy khôi phục)"), "JVM test phone", "0.1.0-test") }
            assertEquals("Lâm Quốc Việt (máy khôi phục)", again.volunteerName)
        }
    }
}
