package vn.gocua.ui

import androidx.compose.ui.test.ComposeUiTest
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.DraftForm
import uniffi.gocua_ffi.draftRecordKind
import uniffi.gocua_protocol.RecordKind

/**
 * How the forms keep their drafts in the core (nav/DraftMemory.kt): a form edited back to as it
 * opened leaves no stale draft for Today to offer, and a draft the core cannot keep is said on
 * the form rather than lost without a word. Screens: target/screens/nav-draft-*.png.
 */
class DraftKeepingTest {
    private fun ComposeUiTest.settle(app: AppUnderTest, what: String, condition: () -> Boolean) {
        mainClock.advanceTimeBy(1_000)
        waitUntil(timeoutMillis = 10_000) { condition() }
        check(condition()) { what }
    }

    @Test
    fun `a form edited back to as it opened keeps no draft`() = runApp("draft-undone", "Lương Thị Nga") { app, profile ->
        app.tap(this, "Phản ánh")
        app.await(this, "Gửi phản ánh")
        app.type(this, "Nội dung", "Mạng yếu ở Khu phố 2")
        settle(app, "the draft is kept") { profile.drafts(DraftForm.FEEDBACK).size == 1 }

        app.type(this, "Nội dung", "") // typed, then deleted again: the form is as it opened
        settle(app, "the stale draft is deleted") { profile.drafts(DraftForm.FEEDBACK).isEmpty() }
        app.backToToday(this)
        assertTrue(!app.shows(this, "Bản nháp chưa lưu", substring = true), "Today offers no empty draft")
        app.shot(this, "today-no-draft")
    }

    @Test
    fun `a draft the core cannot keep is said on the form`() = runApp("draft-failed", "Kiều Văn Lực") { app, profile ->
        app.openSessionForm(this)
        app.type(this, "Địa điểm", "Sân bóng Khu phố 1")
        settle(app, "the draft is kept") { profile.drafts(DraftForm.SESSION).size == 1 }
        assertTrue(!app.shows(this, "Chưa lưu được bản nháp", substring = true))

        // The store goes away under the form (as when the system closes it): the core refuses
        // the next draft with its own error, and the form says so.
        profile.closeProfile()
        app.type(this, "Số người tham dự", "12")
        mainClock.advanceTimeBy(1_000)
        app.await(this, "Chưa lưu được bản nháp", substring = true)
        app.shot(this, "draft-not-kept")
        assertTrue(app.shows(this, "Sân bóng Khu phố 1"), "what was typed is still on the form")
        assertEquals(RecordKind.OutreachSession, draftRecordKind(DraftForm.SESSION), "the draft's kind, from the core")
    }
}
