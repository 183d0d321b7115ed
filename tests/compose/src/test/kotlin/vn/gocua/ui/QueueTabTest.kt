package vn.gocua.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.runDesktopComposeUiTest
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldProfile
import vn.gocua.ffi.Fixtures

/**
 * The queue tab (issue 11): its back button returns to Today, and the bottom bar's badge is the
 * core's count of records not on the server (`unsentCount`), following what is recorded.
 * Screens: target/screens/nav-queue-*.png.
 */
class QueueTabTest {
    private fun app(name: String, member: String, body: ComposeUiTest.(AppUnderTest, FieldProfile) -> Unit) {
        val profile = Fixtures.enrolled(member)
        try {
            runDesktopComposeUiTest(width = 720, height = 1560) {
                val app = AppUnderTest(profile, name)
                app.start(this)
                app.await(this, "Hôm nay tôi đã")
                body(app, profile)
            }
        } finally {
            profile.destroy()
        }
    }

    @Test
    fun `the badge shows the core's count and the queue's back button returns to Today`() = app("queue", "Phan Thị Tư") { app, profile ->
        assertTrue(app.shows(this, "Chờ gửi"), "nothing waiting: no number")
        val h = profile.createHousehold(Fixtures.household("Lâm Văn Sáu"))
        profile.recordVisit(Fixtures.visit(h.id))
        assertEquals(2u, profile.unsentCount())

        app.tap(this, "Hộ") // a tab shown again reads the count again
        app.await(this, "Chờ gửi (2)")
        app.shot(this, "badge-two")

        app.tap(this, "Chờ gửi (2)")
        app.await(this, "Hàng chờ gửi")
        app.await(this, "Đang chờ gửi (2)")
        app.shot(this, "queue")
        app.tap(this, "‹ Quay lại")
        app.await(this, "Hôm nay tôi đã")
        assertTrue(app.shows(this, "Chờ gửi (2)"), "Today, with the same badge")
        app.shot(this, "back-to-today")
    }
}
