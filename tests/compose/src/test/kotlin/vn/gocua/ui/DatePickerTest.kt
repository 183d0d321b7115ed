package vn.gocua.ui

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.assertIsEnabled
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isRoot
import androidx.compose.ui.test.isSelected
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.runDesktopComposeUiTest
import java.io.File
import java.time.LocalDate
import java.util.Locale
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.parseTypedDay
import uniffi.gocua_protocol.Lang
import vn.gocua.fieldkit.state.SessionState
import vn.gocua.ui.components.pickerDay
import vn.gocua.ui.components.pickerMillis
import vn.gocua.ui.screens.NewVisitScreen
import vn.gocua.ui.screens.SessionScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * Date pickers for the forms' days (the visit's follow-up, the session's day): the calendar opens
 * on the day in the field, a picked day is written by the core (`formatDay`) and reads back as
 * that day (`parseTypedDay`). PNGs: target/screens/date-picker-*.png.
 */
class DatePickerTest {
    private val out = File(System.getProperty("screens.dir") ?: "target/screens").apply { mkdirs() }
    private val pick = "Chọn ngày trên lịch"

    /**
     * Material's picker names days in the JVM's locale (the phone's, on a phone): pinned to US
     * English here so the tests find "Thursday, November 12, 2026" on any machine.
     */
    private fun <T> inUsLocale(body: () -> T): T {
        val before = Locale.getDefault()
        Locale.setDefault(Locale.US)
        try {
            return body()
        } finally {
            Locale.setDefault(before)
        }
    }

    private fun ComposeUiTest.shot(name: String) {
        val roots = onAllNodes(isRoot())
        ImageIO.write(roots[roots.fetchSemanticsNodes().size - 1].captureToImage().toAwtImage(), "png", File(out, "date-picker-$name.png"))
    }

    @Test
    fun `the follow-up day is picked on a calendar that opens on the day typed`() {
        var followUp by mutableStateOf("30/11/2026")
        inUsLocale { runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent { GoCuaTheme { NewVisitScreen(FormUsabilityTest.longVisitForm.copy(followUp = followUp), onFollowUp = { followUp = it }) } }
            onNodeWithContentDescription(pick).performScrollTo().performClick()
            waitForIdle()
            // Opens on November 2026 with the 30th selected; the headline is the core's day.
            onNode(hasText("November 30, 2026", substring = true) and isSelected()).assertExists()
            onNode(hasText("30/11/2026") and !hasSetTextAction()).assertExists()
            shot("open")
            onNode(hasText("November 12, 2026", substring = true) and hasClickAction()).performClick()
            waitForIdle()
            onNode(hasText(formatDay(LocalDate.of(2026, 11, 12), Lang.VI)) and !hasSetTextAction()).assertExists()
            onNodeWithText("Chọn ngày này").performClick()
            waitForIdle()
            assertEquals(formatDay(LocalDate.of(2026, 11, 12), Lang.VI), followUp, "the field holds the day as the core writes it")
            assertEquals(LocalDate.of(2026, 11, 12), parseTypedDay(followUp), "and the core reads it back as that day")
            assertTrue(onAllNodes(hasText("Chọn ngày này")).fetchSemanticsNodes().isEmpty(), "the dialog closed")
        } }
    }

    @Test
    fun `a blank or unreadable day opens the calendar with nothing chosen`() = inUsLocale {
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent { GoCuaTheme { SessionScreen(SessionState(areas = SampleData.communes, areaCode = "28789", heldOn = "31/02/2026")) } }
            onNodeWithContentDescription(pick).performScrollTo().performClick()
            waitForIdle()
            onNodeWithText("Chưa chọn ngày").assertExists()
            onNodeWithText("Chọn ngày này").assertIsNotEnabled()
            shot("session-blank")
            onNode(hasText("15, 20", substring = true) and hasClickAction()).performClick()
            waitForIdle()
            onNodeWithText("Chọn ngày này").assertIsEnabled()
            onNodeWithText("Đóng").performClick()
        }
    }

    @Test
    fun `the picker's days are whole days, before and after 1970`() {
        for (day in listOf(LocalDate.of(1969, 12, 31), LocalDate.of(1970, 1, 1), LocalDate.of(2026, 11, 30), LocalDate.of(2000, 2, 29))) {
            assertEquals(day, pickerDay(pickerMillis(day)))
            assertEquals(day, pickerDay(pickerMillis(day) + 86_399_999L), "any instant of that UTC day")
        }
    }
}
