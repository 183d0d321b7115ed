package vn.gocua.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.runDesktopComposeUiTest
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.DraftForm
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.ffi.Fixtures

/**
 * Kill-safe drafts (issue 11): what was typed in a form reaches the core's draft table, so an app
 * killed WITHOUT saving its state ([AppUnderTest.kill]: new store handle, new NavHost, no saved
 * state) loses nothing; Today offers the draft, which reopens the form filled in. Saving the
 * record deletes the draft (in the core's transaction); "Hủy" deletes it. Screens:
 * target/screens/nav-drafts-*.png.
 */
class DraftsTest {
    private val notHome = VisitOutcome.NotHome.label(Lang.VI)

    /** An app over a store it can open again after a kill (same directory, same key). */
    private fun app(name: String, member: String, body: ComposeUiTest.(AppUnderTest, () -> FieldProfile) -> Unit) {
        val dir = Fixtures.dataDir()
        val key = generateKey()
        val profile = Fixtures.enrolled(member, dir, key)
        var app: AppUnderTest? = null
        try {
            runDesktopComposeUiTest(width = 720, height = 1560) {
                app = AppUnderTest(profile, name).also { it.start(this) }
                app!!.await(this, TODAY)
                body(app!!) { FieldProfile.open(dir.path, key) }
            }
        } finally {
            app?.kit?.profile?.destroy()
            profile.destroy()
        }
    }

    /** Waits (on the test's clock, then the core's thread) until the core keeps a draft of [form]. */
    private fun ComposeUiTest.awaitDraft(app: AppUnderTest, form: DraftForm) {
        mainClock.advanceTimeBy(1_000)
        waitUntil(timeoutMillis = 10_000) { app.kit.profile.drafts(form).isNotEmpty() }
    }

    @Test
    fun `a half-filled visit survives an app kill, is offered on Today and goes when saved`() =
        app("drafts-visit", "Trương Thị Hạnh") { app, reopen ->
            val h = app.kit.profile.createHousehold(Fixtures.household("Nguyễn Thị Hòa", addressLine = "21 Nguyễn Huệ, Khu phố 1"))
            app.openHousehold(this, "Nguyễn Thị Hòa")
            app.openVisitForm(this)
            app.tap(this, notHome)
            app.type(this, "Ghi chú", "Hẹn chiều thứ Bảy quay lại")
            awaitDraft(app, DraftForm.VISIT)
            app.shot(this, "visit-half-filled")
            assertEquals(listOf(h.id), app.kit.profile.drafts(DraftForm.VISIT).map { it.key }, "kept under the household's id")

            app.kill(this, reopen)
            app.await(this, TODAY)
            app.await(this, "Bản nháp chưa lưu (1)")
            app.shot(this, "today-offers-draft")
            assertTrue(app.shows(this, "Lượt đến hộ — Nguyễn Thị Hòa"), "the draft names its kind and household")

            app.reopenDraft(this, form = "Lượt đến hộ mới", kept = "Hẹn chiều thứ Bảy quay lại")
            app.shot(this, "visit-reopened")
            assertTrue(app.shows(this, "21 Nguyễn Huệ, Khu phố 1"), "on the same household")

            app.saveVisit(this, next = TODAY)
            waitForIdle()
            assertTrue(app.kit.profile.drafts(DraftForm.VISIT).isEmpty(), "saving the visit deleted its draft")
            assertFalse(app.shows(this, "Bản nháp chưa lưu", substring = true), "and Today offers none")
            val visit = app.kit.profile.householdVisits(h.id).single()
            assertEquals(VisitOutcome.NotHome, visit.outcome, "the restored outcome was saved")
            assertEquals("Hẹn chiều thứ Bảy quay lại", visit.note, "and the restored note")
            app.shot(this, "today-after-save")
        }

    @Test
    fun `a new session's draft survives a kill and Huy throws it away`() = app("drafts-session", "Huỳnh Văn Tám") { app, reopen ->
        // A form opened and left as it was keeps no draft.
        app.tap(this, "Phản ánh")
        app.await(this, "Gửi phản ánh")
        mainClock.advanceTimeBy(1_000)
        waitForIdle()
        app.backToToday(this)
        assertTrue(app.kit.profile.drafts(DraftForm.FEEDBACK).isEmpty(), "an untouched form keeps no draft")

        app.openSessionForm(this)
        app.fillSession(this, place = "Hội trường Ấp Phú Hòa", attendees = "31")
        awaitDraft(app, DraftForm.SESSION)

        app.kill(this, reopen)
        app.await(this, "Bản nháp chưa lưu (1)")
        assertTrue(app.shows(this, "${RecordKind.OutreachSession.label(Lang.VI)} — Hội trường Ấp Phú Hòa"))
        app.reopenDraft(this, form = "Lưu buổi tuyên truyền", kept = "Hội trường Ấp Phú Hòa")
        assertTrue(app.shows(this, "31"), "the attendees typed before")
        app.shot(this, "session-reopened")

        app.tap(this, "Hủy")
        app.await(this, TODAY)
        waitForIdle()
        assertTrue(app.kit.profile.drafts(DraftForm.SESSION).isEmpty(), "Hủy deleted the draft")
        assertFalse(app.shows(this, "Bản nháp chưa lưu", substring = true))
        assertEquals(0, app.kit.profile.pendingItems().count { it.kind is RecordKind.OutreachSession }, "and saved nothing")
    }

    @Test
    fun `a new household's draft reopened after a kill saves that household once`() = app("drafts-household", "Mai Văn Dũng") { app, reopen ->
        app.tap(this, "Hộ")
        app.openNewHouseholdForm(this)
        app.type(this, "Họ tên chủ hộ", "Đoàn Thị Xuân")
        app.type(this, "Địa chỉ (số nhà, đường, hẻm)", "3 Hẻm 12, Khu phố 1")
        awaitDraft(app, DraftForm.HOUSEHOLD)
        val key = app.kit.profile.drafts(DraftForm.HOUSEHOLD).single().key

        app.kill(this, reopen)
        app.await(this, "Bản nháp chưa lưu (1)")
        app.reopenDraft(this, form = "Lưu hộ", kept = "3 Hẻm 12, Khu phố 1")
        assertNotNull(app.kit.profile.draft(DraftForm.HOUSEHOLD, key), "kept until saved")
        app.saveHousehold(this, next = "Lịch sử đến hộ (0)")
        waitForIdle()
        assertTrue(app.kit.profile.drafts(DraftForm.HOUSEHOLD).isEmpty(), "saving the household deleted its draft")
        assertEquals("3 Hẻm 12, Khu phố 1", app.kit.profile.searchHouseholds("Đoàn Thị Xuân").items.single().addressLine)
    }
}
