package vn.gocua.ui

import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.unit.Density
import java.net.ServerSocket
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.Lang
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.settings.InMemorySettings
import vn.gocua.fieldkit.state.EnrolViewModel
import vn.gocua.fieldkit.state.SettingsViewModel
import vn.gocua.ui.screens.EnrolScreen
import vn.gocua.ui.screens.SettingsScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * Screens drawn from the state of their real state holders over a real encrypted store (no
 * server needed): what the core says is what the screen shows.
 */
class LiveStateRenderTest {
    private fun <T> withKit(block: suspend (FieldKit, CoroutineScope) -> T): T {
        val dir = Files.createTempDirectory("gocua-ui-").toFile()
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        val facts = NetworkFacts(connected = true, unmetered = true, batteryPercent = 90u)
        val profile = FieldProfile.open(dir.path, generateKey())
        try {
            return runBlocking { block(FieldKit(profile, InMemorySettings(AppSettings(lang = Lang.VI)), Dispatchers.IO, { facts }), scope) }
        } finally {
            scope.cancel()
            profile.destroy()
            dir.deleteRecursively()
        }
    }

    @Test
    fun `enrolment against an unreachable server shows the core's own message`() {
        val state = withKit { kit, scope ->
            val vm = EnrolViewModel(kit, scope)
            val closedPort = ServerSocket(0).use { it.localPort } // nothing listens there any more
            vm.onServerUrl("http://127.0.0.1:$closedPort")
            vm.onCode("abcd-1234")
            vm.submit().join()
            vm.state.value
        }
        val error = assertNotNull(state.error, "the enrolment failed")
        assertIs<FieldKitException.Network>(error.exception)
        assertEquals("ABCD-1234", state.code, "the code as the core reads it (capitals)")
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent { CompositionLocalProvider(LocalDensity provides Density(2f, 1f)) { GoCuaTheme { EnrolScreen(state) } } }
            val shown = onAllNodesWithText(error.message.vi, useUnmergedTree = true).fetchSemanticsNodes()
            assertEquals(1, shown.size, "the core's Vietnamese message \"${error.message.vi}\" is on the screen")
            assertTrue(onAllNodesWithText("ABCD-1234", substring = true, useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty())
        }
    }

    @Test
    fun `settings of a phone not yet enrolled, switched to English`() {
        val state = withKit { kit, scope ->
            val vm = SettingsViewModel(kit, scope)
            vm.load().join()
            vm.setLang(Lang.EN)
            kotlinx.coroutines.delay(50)
            vm.state.value
        }
        assertEquals(null, state.profile)
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent { CompositionLocalProvider(LocalDensity provides Density(2f, 1f)) { GoCuaTheme(lang = state.settings.lang) { SettingsScreen(state) } } }
            assertTrue(onAllNodesWithText("Sync on wifi only", useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty())
            assertTrue(onAllNodesWithText("This phone", useUnmergedTree = true).fetchSemanticsNodes().isEmpty(), "no enrolment card before enrolment")
        }
    }
}
