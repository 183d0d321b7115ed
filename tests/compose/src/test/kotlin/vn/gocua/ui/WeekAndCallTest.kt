package vn.gocua.ui

import androidx.compose.runtime.Composable
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.runDesktopComposeUiTest
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.GpsFix
import uniffi.gocua_ffi.weekFigures
import uniffi.gocua_protocol.Indicator
import uniffi.gocua_protocol.Lang
import vn.gocua.ffi.Fixtures
import vn.gocua.fieldkit.state.TodayState
import vn.gocua.ui.nav.GoCuaPlatform
import vn.gocua.ui.screens.TodayScreen
import vn.gocua.ui.screens.WEEK_TAG
import vn.gocua.ui.theme.GoCuaTheme

/** Stands in for the phone: records the numbers the app asked the dialer for. */
class RecordingPlatform : GoCuaPlatform {
    val dialled = mutableListOf<String>()
    override fun scanEnrolQr(onPayload: (String) -> Unit) = Unit

    @Composable
    override fun rememberLocationAction(onFix: (GpsFix?) -> Unit): () -> Unit = {}
    override fun dial(number: String) {
        dialled += number
    }
}

/**
 * This week's figures on Today (the core's `my_counts().this_week`, labelled by the core's
 * `weekFigures`) and "Gọi" on a household's number (the platform's dialer, a recording fake here).
 */
class WeekAndCallTest {
    /** The texts inside the week's card, top to bottom. */
    private fun ComposeUiTest.weekTexts(): List<String> =
        onAllNodes(hasAnyAncestor(hasTestTag(WEEK_TAG)), useUnmergedTree = true).fetchSemanticsNodes()
            .sortedBy { it.boundsInRoot.top * 10_000 + it.boundsInRoot.left }
            .flatMap { it.config.getOrNull(SemanticsProperties.Text).orEmpty().map { t -> t.text } }

    @Test
    fun `the week's card shows the core's labels and numbers`() = runDesktopComposeUiTest(width = 720, height = 3000) {
        setContent { GoCuaTheme { TodayScreen(TodayState(profile = SampleData.profile, counts = SampleData.counts, targets = SampleData.targets, queue = SampleData.queue)) } }
        waitForIdle()
        val week = SampleData.counts.thisWeek
        val expected = weekFigures(week, Lang.VI).flatMap { listOf(it.label, it.value) }
        assertEquals(expected, weekTexts())
        // Households reached, visits, services — in the targets' own words where they have them.
        assertEquals(Indicator.HouseholdsVisited.label(Lang.VI), expected[0])
        assertEquals(week.householdsVisited.toString(), expected[1])
        assertEquals(Indicator.ServicesSupported.label(Lang.VI), expected[4])
    }

    @Test
    fun `a household's number is called from its page, and the week counts its visit`() {
        val phone = RecordingPlatform()
        runApp("call", "Đỗ Văn Hậu", platform = phone) { app, profile ->
            val h = profile.createHousehold(Fixtures.household("Huỳnh Thị Mai", phone = "0918765432"))
            profile.recordVisit(Fixtures.visit(h.id))
            app.tap(this, "Hộ")
            app.tap(this, "Huỳnh Thị Mai", substring = true)
            app.await(this, "Điện thoại: 0918765432")
            app.shot(this, "household")
            assertTrue(phone.dialled.isEmpty())
            app.tap(this, "Gọi")
            assertEquals(listOf("0918765432"), phone.dialled, "one tap handed the number to the dialer")

            // Back on Today, this week holds that visit, as the core counts it.
            app.tap(this, "‹ Quay lại")
            app.tap(this, "Hôm nay")
            app.await(this, "Tuần này (từ thứ Hai)")
            val week = profile.myCounts().thisWeek
            assertEquals(1uL, week.visits, "the core counts this week's visit")
            assertEquals(1uL, week.householdsVisited)
            waitUntil(timeoutMillis = 10_000) { weekTexts() == weekFigures(week, Lang.VI).flatMap { listOf(it.label, it.value) } }
            app.shot(this, "today-week")
        }
    }
}
