package vn.gocua.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.runDesktopComposeUiTest
import java.io.File
import java.time.format.DateTimeFormatter
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.FeedbackCategory
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer

/**
 * A volunteer's whole day (issue 11), clicked through the real screens of the app
 * ([vn.gocua.ui.nav.GoCuaNavHost]) over a real encrypted store and a real `gocua serve`; each
 * step checked on screen, in the phone's store and, once sent, in the server's database.
 * Screens: target/screens/journey-NN-*.png.
 *
 * [the commonest visits take few taps and no typing] counts the taps and typed characters of
 * the two commonest visits (docs/performance.md, "Taps for the commonest visits").
 */
class JourneyTest {
    private val vi = Lang.VI
    private val notHome = VisitOutcome.NotHome.label(vi)
    private val birth = "Thủ tục đăng ký khai sinh"
    private val vneid = "Kích hoạt tài khoản định danh điện tử VNeID mức độ 2"

    private fun ComposeUiTest.awaitThat(what: String, timeoutMs: Long = 20_000, condition: () -> Boolean) {
        try {
            waitUntil(timeoutMillis = timeoutMs) { condition() }
        } catch (e: Throwable) {
            throw AssertionError("timed out waiting for: $what", e)
        }
    }

    @Test
    fun `a volunteer's whole day, from the enrolment link to an erasure on request`() {
        val team = JourneyServer()
        val profile = FieldProfile.open(Fixtures.dataDir().path, generateKey())
        try {
            runDesktopComposeUiTest(width = 720, height = 1560) { day(team, profile) }
        } finally {
            profile.destroy()
        }
    }

    private fun ComposeUiTest.day(team: JourneyServer, profile: FieldProfile) {
        val app = AppUnderTest(profile, "journey", enrolLink = team.enrolLink(), online = true, shots = "journey")

        // 1. The app opened from the QR code's gocua://enrol link enrols at once and shows Today.
        app.start(this)
        app.await(this, TODAY)
        app.await(this, "Nguyễn Thị Thu Hà", substring = true)
        app.shot(this, "enrolled-today")
        assertTrue(profile.isEnrolled())
        assertEquals("Nguyễn Thị Thu Hà", profile.profile()?.volunteerName)
        assertEquals(1, team.count("SELECT count(*) FROM devices WHERE team_id = ?"), "the server has the phone")

        // 2. A household the volunteer has not met before: searched, not found, added.
        app.searchHouseholds(this, "Lê Văn Tám")
        app.await(this, "Không tìm thấy hộ nào.")
        app.openNewHouseholdForm(this)
        app.tap(this, "Phường Bến Tre")
        app.tap(this, "Khu phố 1")
        app.type(this, "Địa chỉ (số nhà, đường, hẻm)", "15 Nguyễn Trãi, Khu phố 1")
        app.type(this, "Số người trong hộ", "5")
        app.shot(this, "new-household")
        app.saveHousehold(this, next = "Lượt đến hộ mới")
        val h = profile.searchHouseholds("Lê Văn Tám").items.single()
        assertEquals("15 Nguyễn Trãi, Khu phố 1", h.addressLine)
        assertTrue(app.shows(this, "15 Nguyễn Trãi, Khu phố 1"), "the visit form is the new household's")

        // 3. The visit: met, two services — one submitted with its dossier code, one not finished, with the reason.
        val dossier = "G22.86-" + profile.today().format(DateTimeFormatter.ofPattern("yyMMdd")) + "-0042"
        app.tap(this, birth)
        app.tap(this, vneid)
        app.tap(this, AssistResult.Submitted.label(vi), index = 0) // the first service's card
        app.type(this, "Mã hồ sơ", dossier)
        app.tap(this, AssistResult.NotFinished.label(vi), index = 1) // the second's
        app.tap(this, NotFinishedReason.NoChipIdCard.label(vi))
        app.scrollTo(this, NotFinishedReason.NoChipIdCard.label(vi))
        app.shot(this, "visit-two-services")
        app.saveVisit(this, next = "+ Thêm hộ mới") // back on the households it was picked from
        val first = profile.householdVisits(h.id).single()
        assertEquals(VisitOutcome.Met, first.outcome)
        assertEquals(
            listOf(AssistResult.Submitted to dossier, AssistResult.NotFinished to null),
            first.assists.map { it.result to it.dossierCode },
        )
        assertEquals(NotFinishedReason.NoChipIdCard, first.assists[1].notFinishedReason)

        // 4. Back to Today; later the same household again, nobody home: one tap on its page.
        app.tap(this, "Hôm nay")
        app.await(this, TODAY)
        app.openHousehold(this, "Lê Văn Tám")
        app.await(this, "Lịch sử đến hộ (1)")
        app.tap(this, "$notHome — ghi ngay")
        app.await(this, "Lịch sử đến hộ (2)")
        app.await(this, "✓ Đã ghi lượt đến: $notHome", substring = true)
        app.shot(this, "revisit-not-home")
        val visits = profile.householdVisits(h.id)
        assertEquals(listOf(VisitOutcome.NotHome, VisitOutcome.Met), visits.map { it.outcome }, "newest first, both on that household")
        assertEquals(0, visits[0].peopleReached.toInt())

        // 5. Two outreach sessions in a row. The first in Khu phố 3 (Phường Phú Khương).
        app.tap(this, "‹ Quay lại")
        app.tap(this, "Hôm nay")
        app.openSessionForm(this)
        app.fillSession(this, area = "Khu phố 3", place = "Nhà văn hóa Khu phố 3", attendees = "30")
        app.shot(this, "first-session")
        app.saveSession(this)
        app.openSessionForm(this)
        assertTrue(!app.shows(this, "Nhà văn hóa Khu phố 3"), "the second session starts empty")
        app.fillSession(this, area = "Khu phố 1", place = "Trường THCS Bến Tre", attendees = "45")
        app.saveSession(this)
        val sessions = profile.pendingItems().filter { it.kind is RecordKind.OutreachSession }
        assertEquals(listOf("Nhà văn hóa Khu phố 3", "Trường THCS Bến Tre"), sessions.map { profile.session(it.recordId).place })
        assertEquals(GoCuaServer.COMMUNE_A2 + "-KP3", profile.session(sessions[0].recordId).areaCode)

        // 6. Feedback.
        app.tap(this, "Phản ánh")
        app.await(this, "Gửi phản ánh")
        app.tap(this, FeedbackCategory.Infrastructure.label(vi))
        app.type(this, "Nội dung", "Khu phố 3 sóng 4G yếu, người dân khó kích hoạt VNeID tại nhà.")
        app.shot(this, "feedback")
        app.tap(this, "Gửi phản ánh")
        app.await(this, TODAY)

        // 7. The queue: each record with its kind's label (the core's) and its title.
        val waiting = profile.pendingItems()
        assertEquals(
            mapOf("household" to 1, "visit" to 2, "outreach_session" to 2, "feedback" to 1),
            waiting.groupingBy { it.kind.code() }.eachCount(),
        )
        app.openQueue(this, waiting = 6, heading = "Đang chờ gửi (6)")
        for (label in listOf(
            "${RecordKind.Household.label(vi)} — Lê Văn Tám",
            "${RecordKind.Visit.label(vi)} — Lê Văn Tám",
            "${RecordKind.OutreachSession.label(vi)} — Nhà văn hóa Khu phố 3",
            "${RecordKind.OutreachSession.label(vi)} — Trường THCS Bến Tre",
            RecordKind.Feedback.label(vi),
        )) assertTrue(app.shows(this, label, substring = true), "the queue lists $label")
        assertEquals(2, onAllNodes(androidx.compose.ui.test.hasText("${RecordKind.Visit.label(vi)} — Lê Văn Tám")).fetchSemanticsNodes().size, "two visits")
        app.shot(this, "queue-six")

        // 8. Meanwhile the coordinator hands Phường Phú Khương to another team: the first
        // session (in Khu phố 3) is no longer this team's to record. Sync: the server takes five
        // records and refuses that one, with its reason.
        team.setAreas(GoCuaServer.COMMUNE_A1)
        app.tap(this, "‹ Quay lại")
        app.syncNow(this, "Đã gửi 6: 5 được nhận, 1 bị từ chối")
        app.scrollTo(this, "Đã gửi 6: 5 được nhận, 1 bị từ chối")
        app.shot(this, "synced-one-refused")
        val refused = profile.rejectedItems().single()
        assertEquals(sessions[0].recordId, refused.recordId)
        assertEquals("outside_team_area", assertNotNull(refused.reason).code.code())
        assertEquals(5u, profile.queueStatus().accepted)
        assertEquals(1, team.count("SELECT count(*) FROM households WHERE team_id = ?"))
        assertEquals(2, team.count("SELECT count(*) FROM visits WHERE team_id = ?"))
        assertEquals(
            listOf(listOf("submitted", dossier), listOf("not_finished", "")),
            team.query("SELECT a.result, a.dossier_code FROM assists a JOIN visits v ON v.id = a.visit_id WHERE v.team_id = ? ORDER BY a.result DESC"),
        )
        assertEquals(listOf(listOf("Trường THCS Bến Tre")), team.query("SELECT json_extract(body, '$.place') FROM sessions WHERE team_id = ?"))
        assertEquals(1, team.count("SELECT count(*) FROM feedback WHERE team_id = ?"))

        // 9. Fixed from the queue: "Sửa" opens the refused session's correction (through the
        // NavHost), now with the team's areas only; another area, saved, sent again, accepted.
        app.openQueue(this, waiting = 1, heading = "Bị máy chủ từ chối (1)")
        app.await(this, "Địa bàn này không thuộc phạm vi phụ trách của đội.")
        app.shot(this, "queue-refused")
        app.tap(this, "Sửa")
        app.await(this, "Sửa buổi tuyên truyền")
        app.await(this, "Nhà văn hóa Khu phố 3")
        assertTrue(!app.shows(this, "Khu phố 3"), "Khu phố 3 is no longer offered")
        app.tap(this, "Khu phố 2")
        app.type(this, "Địa điểm", "Nhà văn hóa Khu phố 2")
        app.shot(this, "session-correction")
        app.saveSession(this, next = "Bị máy chủ từ chối (0)")
        app.await(this, "Đang chờ gửi (1)")
        assertEquals(sessions[0].recordId, profile.pendingItems().single().recordId, "the same session, queued again")
        app.tap(this, "‹ Quay lại")
        app.syncNow(this, "Đã gửi 1: 1 được nhận, 0 bị từ chối")
        assertEquals(0, profile.unsentCount().toInt())
        assertEquals(
            listOf(listOf("28789-KP2", "Nhà văn hóa Khu phố 2"), listOf(GoCuaServer.HAMLET_A1_KP1, "Trường THCS Bến Tre")),
            team.query("SELECT area_code, json_extract(body, '$.place') FROM sessions WHERE team_id = ? ORDER BY area_code DESC"),
        )
        app.shot(this, "resent-accepted")

        // 10. The household edited: a new address, sent; the server has it.
        app.openHousehold(this, "Lê Văn Tám")
        app.tap(this, "Sửa thông tin hộ")
        app.await(this, "15 Nguyễn Trãi, Khu phố 1")
        app.type(this, "Địa chỉ (số nhà, đường, hẻm)", "17 Nguyễn Trãi, Khu phố 1")
        app.shot(this, "household-edit")
        app.saveHousehold(this, next = "17 Nguyễn Trãi, Khu phố 1")
        assertEquals("17 Nguyễn Trãi, Khu phố 1", profile.household(h.id).addressLine)
        app.tap(this, "‹ Quay lại")
        app.tap(this, "Hôm nay")
        app.syncNow(this, "Đã gửi 1: 1 được nhận, 0 bị từ chối")
        assertEquals(listOf(listOf("17 Nguyễn Trãi, Khu phố 1", "0")), team.query("SELECT json_extract(body, '$.address_line'), erased FROM households WHERE team_id = ?"))

        // 11. The head asks for the household's personal data to be erased: asked, erased, sent.
        app.openHousehold(this, "Lê Văn Tám")
        app.tap(this, "Xóa dữ liệu cá nhân")
        app.await(this, "Xóa dữ liệu cá nhân của hộ?")
        app.shot(this, "erase-confirm")
        app.eraseHousehold(this)
        app.shot(this, "erased")
        val erased = profile.household(h.id)
        assertTrue(erased.erased && erased.headName.isBlank() && erased.addressLine.isBlank())
        assertNull(erased.phone)
        assertEquals(2, profile.householdVisits(h.id).size, "the visits still count")
        app.tap(this, "‹ Quay lại")
        app.tap(this, "Hôm nay")
        app.tap(this, "Đồng bộ ngay")
        awaitThat("the erasure on the server") { profile.unsentCount() == 0u && !app.shows(this, "Đang gửi", substring = true) }
        app.await(this, TODAY)
        assertEquals(
            listOf(listOf("1", "", "")),
            team.query("SELECT erased, json_extract(body, '$.head_name'), json_extract(body, '$.address_line') FROM households WHERE team_id = ?"),
            "the server erased its copy",
        )
        assertEquals(2, team.count("SELECT count(*) FROM visits WHERE team_id = ?"), "and kept the visits")
        app.shot(this, "end-of-day")
    }

    @Test
    fun `the commonest visits take few taps and no typing`() = runApp("taps", "Đinh Thị Mến") { app, profile ->
        val h = profile.createHousehold(Fixtures.household("Trần Thị Mười", addressLine = "4 Hẻm 7, Khu phố 1"))

        // (a) A known household met, helped with one service, guided only.
        app.resetCounts()
        app.tap(this, "+ Ghi lượt đến hộ")
        app.tap(this, "Trần Thị Mười", substring = true)
        app.tap(this, birth)
        app.shot(this, "met-guided-only")
        app.saveVisit(this, next = "+ Thêm hộ mới")
        val met = Count("met, one service guided only", app.taps, app.typedChars, app.path.toList())
        val v = profile.householdVisits(h.id).single()
        assertEquals(VisitOutcome.Met, v.outcome)
        assertEquals(1, v.peopleReached.toInt())
        assertEquals(listOf(AssistResult.GuidedOnly), v.assists.map { it.result })

        // (b) The same household another day: nobody home.
        app.tap(this, "Hôm nay")
        app.await(this, TODAY)
        app.resetCounts()
        app.openHousehold(this, "Trần Thị Mười")
        app.tap(this, "$notHome — ghi ngay")
        app.await(this, "✓ Đã ghi lượt đến: $notHome", substring = true)
        app.shot(this, "not-home-one-tap")
        val away = Count("not home", app.taps, app.typedChars, app.path.toList())
        assertEquals(listOf(VisitOutcome.NotHome, VisitOutcome.Met), profile.householdVisits(h.id).map { it.outcome })

        val report = listOf(met, away).joinToString("\n") { it.line() }
        File(System.getProperty("screens.dir") ?: "target/screens").parentFile.resolve("journey-taps.txt").writeText(report + "\n")
        println(report)
        for (c in listOf(met, away)) {
            assertTrue(c.taps <= 8, "${c.what}: ${c.taps} taps (aim: at most 8)")
            assertEquals(0, c.chars, "${c.what}: nothing typed")
        }
        assertEquals(4, met.taps, met.line())
        assertEquals(3, away.taps, away.line())
    }

    private data class Count(val what: String, val taps: Int, val chars: Int, val path: List<String>) {
        fun line() = "$what: $taps taps, $chars characters — " + path.joinToString(" › ")
    }
}
