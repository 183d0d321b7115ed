package vn.gocua.ui

import androidx.compose.ui.test.runDesktopComposeUiTest
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.performSemanticsAction
import kotlinx.coroutines.runBlocking
import uniffi.gocua_ffi.QueueItemView
import uniffi.gocua_ffi.SessionDraft
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.SessionKind
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer
import vn.gocua.fieldkit.state.QueueState
import vn.gocua.fieldkit.state.SessionViewModel
import vn.gocua.ui.screens.QueueScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * The queue tab (issue 11): its back button returns to Today, and the bottom bar's badge is the
 * core's count of records not on the server (`unsentCount`), following what is recorded.
 * Screens: target/screens/nav-queue-*.png.
 */
class QueueTabTest {
    @Test
    fun `the badge shows the core's count and the queue's back button returns to Today`() = runApp("queue", "Phan Thị Tư") { app, profile ->
        assertTrue(app.shows(this, "Chờ gửi"), "nothing waiting: no number")
        val h = profile.createHousehold(Fixtures.household("Lâm Văn Sáu"))
        profile.recordVisit(Fixtures.visit(h.id))
        assertEquals(2u, profile.unsentCount())

        app.tap(this, "Hộ") // a tab shown again reads the count again
        app.await(this, "Chờ gửi (2)")
        app.shot(this, "badge-two")

        app.openQueue(this, waiting = 2, heading = "Hàng chờ gửi")
        app.await(this, "Đang chờ gửi (2)")
        app.shot(this, "queue")
        app.backToToday(this)
        assertTrue(app.shows(this, "Chờ gửi (2)"), "Today, with the same badge")
        app.shot(this, "back-to-today")
    }

    @Test
    fun `Sua on a refused outreach session asks for the session's correction, which corrects that session`() {
        // The queue screen: "Sửa" on a refused session hands that item to the session correction.
        val refused = SampleData.rejected.single().copy(kind = RecordKind.OutreachSession, recordId = "s-1", titleVi = "Nhà văn hóa Ấp 3", titleEn = "Nhà văn hóa Ấp 3", services = emptyList())
        var fixed: QueueItemView? = null
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent { GoCuaTheme(lang = Lang.VI) { QueueScreen(QueueState(rejected = listOf(refused)), onFix = { fixed = it }) } }
            onAllNodes(hasClickAction() and hasText("Sửa"))[0].performSemanticsAction(SemanticsActions.OnClick)
            waitForIdle()
        }
        assertEquals(RecordKind.OutreachSession, fixed?.kind)
        assertEquals("s-1", fixed?.recordId)

        // The correction over a real store: the form starts from the session, saves it in place.
        val profile = Fixtures.enrolled("Tạ Văn Lộc")
        try {
            val day = profile.today()
            val id = profile.recordSession(
                SessionDraft(kind = SessionKind.CommunityMeeting, areaCode = GoCuaServer.HAMLET_A1_KP1, place = "Nhà ông Tư", heldOn = day, attendees = 20u),
            )
            val app = AppUnderTest(profile, "queue-session")
            runBlocking {
                val vm = SessionViewModel(app.kit, this)
                vm.loadCorrection(id).join()
                assertEquals("Nhà ông Tư", vm.state.value.place)
                assertEquals(formatDay(day, Lang.VI), vm.state.value.heldOn)
                assertEquals(id, vm.state.value.correcting)
                vm.onPlace("Nhà văn hóa Khu phố 1")
                vm.submit().join()
                assertEquals(id, vm.state.value.savedId, vm.state.value.error?.message?.vi)
            }
            assertEquals("Nhà văn hóa Khu phố 1", profile.session(id).place, "the same session, corrected")
            assertEquals(1, profile.pendingItems().count { it.kind is RecordKind.OutreachSession }, "one session queued")
        } finally {
            profile.destroy()
        }
    }
}
