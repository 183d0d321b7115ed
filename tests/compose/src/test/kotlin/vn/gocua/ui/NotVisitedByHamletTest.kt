package vn.gocua.ui

import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isSelected
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runDesktopComposeUiTest
import java.io.File
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.HamletLeftView
import uniffi.gocua_ffi.formatCount
import uniffi.gocua_protocol.Lang
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer
import vn.gocua.fieldkit.state.HouseholdsState
import vn.gocua.ui.screens.HouseholdsScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * "Chưa đến" per hamlet on the Households tab, over a real enrolled store: what is left of each
 * hamlet (the core's `hamletsLeft`, its label "còn 1/2 hộ"), and a hamlet opening its households
 * not yet visited. Screens: target/screens/nav-not-visited-*.png.
 */
class NotVisitedByHamletTest {
    @Test
    fun `Chưa đến shows what is left of each hamlet, and a hamlet lists its households not yet visited`() =
        runApp("not-visited", "Phan Thị Yến") { app, profile ->
            val met = profile.createHousehold(Fixtures.household("Lâm Văn Tư"))
            profile.createHousehold(Fixtures.household("Lâm Thị Năm", addressLine = "3 Hùng Vương, Khu phố 1"))
            profile.recordVisit(Fixtures.visit(met.id))
            app.tap(this, "Hộ")
            val all = profile.coverage(null, null)
            app.tap(this, "Chưa đến (${formatCount(all.notVisited.toLong(), Lang.VI)})")
            app.await(this, "Còn lại theo thôn, ấp")
            val kp1 = profile.hamletsLeft(Lang.VI).single { it.hamletCode == GoCuaServer.HAMLET_A1_KP1 }
            assertTrue(kp1.notVisited >= 1u && kp1.households >= 2u, "the core counts the hamlet's households ($kp1)")
            assertEquals(profile.coverage(GoCuaServer.COMMUNE_A1, GoCuaServer.HAMLET_A1_KP1).notVisited, kp1.notVisited)
            assertTrue(app.shows(this, kp1.leftLabel), "the hamlet's line says what is left: ${kp1.leftLabel}")
            app.shot(this, "by-hamlet")

            runOnUiThread { onNode(hasClickAction() and hasText(kp1.name, substring = true) and hasText(kp1.leftLabel)).performClick() }
            waitForIdle()
            app.await(this, "Lâm Thị Năm", substring = true)
            onNode(hasText(kp1.name) and isSelected()).assertExists()
            assertFalse(app.shows(this, "Lâm Văn Tư", substring = true), "the household met this campaign is not listed")
            assertFalse(app.shows(this, "Còn lại theo thôn, ấp"), "one hamlet chosen: its list, not the overview")
            app.shot(this, "hamlet")
        }

    @Test
    fun `the overview renders, with the commune named when the team has two`() {
        val left = listOf(
            HamletLeftView("28789", "28789-KP1", "Khu phố 1", "Phường Bến Tre", 40u, 12u, "còn 12/40 hộ", false),
            HamletLeftView("28789", "28789-KP2", "Khu phố 2", "Phường Bến Tre", 28u, 0u, "đã đến hết 28 hộ", true),
            HamletLeftView("28756", "28756-AP3", "Ấp Phú Chánh", "Xã Phú Túc", 0u, 0u, "chưa ghi hộ nào", false),
        )
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent {
                GoCuaTheme {
                    HouseholdsScreen(HouseholdsState(communes = SampleData.communes, hamlets = SampleData.hamlets, notVisited = true, hamletsLeft = left, results = SampleData.notVisited, coverage = SampleData.coverage))
                }
            }
            waitForIdle()
            for (text in listOf("Còn lại theo thôn, ấp", "Khu phố 1 · Phường Bến Tre", "còn 12/40 hộ", "đã đến hết 28 hộ", "Ấp Phú Chánh · Xã Phú Túc", "chưa ghi hộ nào")) {
                assertTrue(onAllNodes(hasText(text), useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty(), "\"$text\" is on screen")
            }
            val out = File(System.getProperty("screens.dir") ?: "target/screens").apply { mkdirs() }
            ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(out, "households-not-visited-by-hamlet.png"))
        }
    }
}
