package vn.gocua.ui

import androidx.compose.ui.test.ComposeUiTest
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.ffi.Fixtures

/**
 * Navigation regression tests (issue 11): the real app ([vn.gocua.ui.nav.GoCuaNavHost]) clicked
 * through on the JVM over a real encrypted store enrolled on a real `gocua serve`. Each test is
 * one defect of the old AppRoot, whose state holders were cached by keys that repeat and whose
 * back stack was a plain `remember`. Screens of each step: target/screens/nav-*.png.
 */
class NavigationTest {
    private val notHome = VisitOutcome.NotHome.label(Lang.VI)

    private fun sessions(profile: FieldProfile) = profile.pendingItems().count { it.kind is RecordKind.OutreachSession }

    /**
     * The old AppRoot's defect: a form opened again closed itself within its first frames. Two
     * seconds on, the form ([saveLabel]'s button) is still open; screenshot [shot].
     */
    private fun ComposeUiTest.assertStillOpen(app: AppUnderTest, shot: String, saveLabel: String, message: String) {
        mainClock.advanceTimeBy(2_000)
        waitForIdle()
        app.shot(this, shot)
        assertTrue(app.shows(this, saveLabel), message)
    }

    @Test
    fun `a second outreach session opens empty and stays open`() = runApp("session", "Võ Thị Sáu") { app, profile ->
        app.openSessionForm(this)
        app.fillSession(this, place = "Nhà văn hóa Khu phố 1", attendees = "25")
        app.shot(this, "first-session-filled")
        app.saveSession(this)
        assertEquals(1, sessions(profile), "the first session is in the store")

        // The old AppRoot kept one holder under "session": its savedId closed the second form at once.
        app.openSessionForm(this)
        assertStillOpen(app, shot = "second-session-open", saveLabel = "Lưu buổi tuyên truyền", message = "the second session form is still open")
        assertFalse(app.shows(this, "Nhà văn hóa Khu phố 1"), "and empty: nothing of the first session")
        assertFalse(app.shows(this, "Đã lưu. Sẽ gửi khi đồng bộ."), "not marked saved")
        app.fillSession(this, place = "Trường Tiểu học Phú Khương", attendees = "40")
        app.saveSession(this)
        assertEquals(2, sessions(profile), "both sessions are in the store")
    }

    @Test
    fun `revisiting a household as not home keeps the visit form open on that household`() =
        runApp("revisit", "Đặng Văn Ngữ") { app, profile ->
            val h = profile.createHousehold(Fixtures.household("Trần Văn Bình", addressLine = "14 Lê Lợi, Khu phố 1"))
            app.openHousehold(this, "Trần Văn Bình")
            app.openVisitForm(this)
            app.tap(this, notHome)
            app.shot(this, "morning-not-home")
            app.saveVisit(this, next = "Lịch sử đến hộ (1)")

            // "Back this afternoon": the old holder key (household id + stack size) repeated, and
            // its saved visit closed the new form on its first frame.
            app.openVisitForm(this)
            assertStillOpen(app, shot = "afternoon-form-open", saveLabel = "Lưu lượt đến hộ", message = "the afternoon's visit form is still open")
            assertTrue(app.shows(this, "14 Lê Lợi, Khu phố 1"), "on the same household")
            app.saveVisitAs(this, notHome, next = "Lịch sử đến hộ (2)")
            app.shot(this, "two-visits")
            val visits = profile.householdVisits(h.id)
            assertEquals(2, visits.size, "both visits are recorded, on that household")
            assertTrue(visits.all { it.outcome == VisitOutcome.NotHome })
        }

    @Test
    fun `a second new household with the same search text gets an empty form and its own visit`() =
        runApp("new-household", "Lý Thị Mai") { app, profile ->
            app.searchHouseholds(this, "Lê Thị Hoa")
            app.openNewHouseholdForm(this)
            app.type(this, "Địa chỉ (số nhà, đường, hẻm)", "5 Hùng Vương")
            app.shot(this, "first-household")
            app.saveHousehold(this, next = "Lượt đến hộ mới")
            assertTrue(app.shows(this, "5 Hùng Vương"), "the visit is for the household just saved")
            app.saveVisitAs(this, notHome, next = "+ Thêm hộ mới")

            // Same search text again: the old key ("form-" + the route's hashCode) repeated, so the
            // saved form jumped straight to the first household's visit.
            app.type(this, "Tìm tên chủ hộ, địa chỉ, số điện thoại", "Lê Thị Hoa")
            app.openNewHouseholdForm(this)
            assertStillOpen(app, shot = "second-household-empty", saveLabel = "Lưu hộ", message = "the new household form stays open")
            assertFalse(app.shows(this, "5 Hùng Vương"), "with nothing of the first household")
            app.type(this, "Địa chỉ (số nhà, đường, hẻm)", "77 Đồng Khởi")
            app.saveHousehold(this, next = "Lượt đến hộ mới")
            app.shot(this, "second-household-visit")
            assertTrue(app.shows(this, "77 Đồng Khởi"), "the visit form is the new household's")
            assertFalse(app.shows(this, "5 Hùng Vương"))
            app.saveVisitAs(this, notHome, next = "+ Thêm hộ mới")

            val found = profile.searchHouseholds("Lê Thị Hoa").items
            assertEquals(setOf("5 Hùng Vương", "77 Đồng Khởi"), found.map { it.addressLine }.toSet(), "two households")
            found.forEach { h ->
                assertEquals(1, profile.householdVisits(h.id).size, "one visit on ${h.addressLine}, none misfiled")
            }
        }

    @Test
    fun `the back stack and a half-filled form survive recreation`() = runApp("restore", "Hồ Văn Mên") { app, profile ->
        app.tap(this, "Hộ")
        app.openNewHouseholdForm(this)
        app.type(this, "Họ tên chủ hộ", "Phạm Thị Lan")
        app.type(this, "Địa chỉ (số nhà, đường, hẻm)", "9 Trần Phú")
        app.type(this, "Số người trong hộ", "5")
        app.shot(this, "half-filled")

        app.recreate(this)
        app.await(this, "Lưu hộ")
        app.shot(this, "after-recreation")
        assertEquals(1, app.recreations)
        assertTrue(app.shows(this, "Phạm Thị Lan"), "the head's name typed before")
        assertTrue(app.shows(this, "9 Trần Phú"), "the address typed before")

        // Saved from the restored form (a new state holder): the household is what was typed.
        app.saveHousehold(this, next = "Lịch sử đến hộ (0)")
        val h = profile.searchHouseholds("Phạm Thị Lan").items.single()
        assertEquals("9 Trần Phú", h.addressLine)
        assertEquals(5, h.members.toInt())

        // A half-filled visit form, then the whole stack Today › Hộ › household: back through it.
        app.openVisitForm(this)
        app.tap(this, notHome)
        app.type(this, "Ghi chú", "Hàng xóm nói chiều về")
        app.recreate(this)
        app.await(this, "Lượt đến hộ mới")
        app.shot(this, "visit-after-recreation")
        assertTrue(app.shows(this, "Hàng xóm nói chiều về"), "the note typed before")
        assertTrue(app.shows(this, "9 Trần Phú"), "on the same household")
        app.tap(this, "‹ Quay lại")
        app.await(this, "Lịch sử đến hộ (0)")
        app.tap(this, "‹ Quay lại")
        app.await(this, "Tìm tên chủ hộ, địa chỉ, số điện thoại")
        app.shot(this, "back-to-households")
        assertEquals(0, profile.householdVisits(h.id).size, "nothing was saved by leaving")
    }
}
