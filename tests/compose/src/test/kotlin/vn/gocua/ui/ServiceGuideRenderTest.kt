package vn.gocua.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.unit.Density
import java.io.File
import java.time.LocalDate
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.ServiceGuideView
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.guideBlocks
import uniffi.gocua_ffi.guideNeedsCheckLabel
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.state.AssistForm
import vn.gocua.fieldkit.state.NewVisitState
import vn.gocua.fieldkit.state.ServiceGuideState
import vn.gocua.ui.screens.NewVisitScreen
import vn.gocua.ui.screens.ServiceGuideScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * The service guide screen, drawn from the core's rows (the Markdown parsed by the core, never
 * by Kotlin), in light, dark and with a large font, into target/screens; and the visit form's
 * "Hướng dẫn" button, shown only on a service that has a guide, opening it.
 */
class ServiceGuideRenderTest {
    private val out = File(System.getProperty("screens.dir") ?: "target/screens").apply { mkdirs() }

    private val markdown = """
        # Kích hoạt tài khoản định danh điện tử VNeID mức độ 2

        Tài khoản mức 2 dùng để nộp hồ sơ trực tuyến trên VNeID và Cổng Dịch vụ công quốc gia.

        ## Cần chuẩn bị

        - **Thẻ căn cước gắn chip** còn hạn.
        - **Số điện thoại chính chủ** đang dùng trên máy.

        ## Các bước

        1. Đến **Công an cấp xã** mang theo thẻ căn cước và điện thoại.
        2. Mở VNeID → **Kích hoạt tài khoản**:
           - nhập số định danh cá nhân (12 số);
           - nhập *mã kích hoạt* trong tin nhắn.
        3. Đặt mật khẩu và mã bảo vệ 6 số; người dân tự gõ.

        **Nguồn / Source:** Nghị định 69/2024/NĐ-CP; xem [Cổng](https://dichvucong.gov.vn).
    """.trimIndent()

    private val guide = ServiceGuideView(
        serviceKey = "vneid_level2_activation",
        title = "Kích hoạt tài khoản định danh điện tử VNeID mức độ 2",
        needsCheck = true,
        needsCheckLabel = guideNeedsCheckLabel(Lang.VI),
        updatedLabel = "cập nhật " + formatDay(LocalDate.of(2026, 11, 20), Lang.VI),
        blocks = guideBlocks(markdown),
    )

    private fun shoot(name: String, dark: Boolean, fontScale: Float, height: Int = 1560, content: @Composable () -> Unit) =
        runDesktopComposeUiTest(width = 720, height = height) {
            setContent {
                CompositionLocalProvider(LocalDensity provides Density(2f, fontScale)) { GoCuaTheme(dark = dark) { content() } }
            }
            waitForIdle()
            for (text in listOf("Nội dung mẫu — cần cán bộ kiểm tra trước khi dùng", "cập nhật 20/11/2026", "Cần chuẩn bị", "Thẻ căn cước gắn chip", "1.", "•", "(https://dichvucong.gov.vn)")) {
                assertTrue(onAllNodesWithText(text, substring = true, useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty(), "$name: \"$text\" is on the screen")
            }
            for (raw in listOf("**", "## ", "](")) {
                assertTrue(onAllNodesWithText(raw, substring = true, useUnmergedTree = true).fetchSemanticsNodes().isEmpty(), "$name: no Markdown \"$raw\" on screen")
            }
            val image = onRoot().captureToImage().toAwtImage()
            assertEquals(720, image.width)
            ImageIO.write(image, "png", File(out, "$name.png"))
        }

    @Test
    fun `service guide`() {
        shoot("service-guide-light", dark = false, fontScale = 1f) { ServiceGuideScreen(ServiceGuideState(guide = guide)) }
        shoot("service-guide-dark", dark = true, fontScale = 1f) { ServiceGuideScreen(ServiceGuideState(guide = guide)) }
        shoot("service-guide-large-font", dark = false, fontScale = 1.5f) { ServiceGuideScreen(ServiceGuideState(guide = guide)) }
        shoot("service-guide-full", dark = false, fontScale = 1f, height = 3600) { ServiceGuideScreen(ServiceGuideState(guide = guide)) }
    }

    @Test
    fun `a checked guide has no banner and a missing one says so`() = runDesktopComposeUiTest(width = 720, height = 1560) {
        var state by mutableStateOf(ServiceGuideState(guide = guide.copy(needsCheck = false, needsCheckLabel = "")))
        setContent { GoCuaTheme { ServiceGuideScreen(state) } }
        assertTrue(onAllNodesWithText("cần cán bộ kiểm tra", substring = true).fetchSemanticsNodes().isEmpty())
        // A guide without a heading of its own is headed by the service's name.
        state = ServiceGuideState(guide = guide.copy(title = "Đăng ký thường trú", blocks = guideBlocks("Mang **hợp đồng thuê nhà**.")))
        waitForIdle()
        assertTrue(onAllNodesWithText("Đăng ký thường trú").fetchSemanticsNodes().isNotEmpty())
        state = ServiceGuideState(missing = true)
        waitForIdle()
        assertTrue(onAllNodesWithText("chưa có hướng dẫn trên máy", substring = true).fetchSemanticsNodes().isNotEmpty())
    }

    @Test
    fun `the visit form opens the guide of a service that has one`() = runDesktopComposeUiTest(width = 720, height = 5600) {
        val form = NewVisitState(
            household = SampleData.household, services = SampleData.services, outcome = VisitOutcome.Met, peopleReached = "1",
            assists = listOf(
                AssistForm("vneid_level2_activation", result = AssistResult.NotFinished, reason = NotFinishedReason.NoChipIdCard),
                AssistForm("permanent_residence", result = AssistResult.GuidedOnly),
            ),
            guideKeys = setOf("vneid_level2_activation"),
        )
        var opened by mutableStateOf<String?>(null)
        setContent {
            CompositionLocalProvider(LocalDensity provides Density(2f, 1f)) {
                GoCuaTheme {
                    // As the app's navigation does: the guide goes on top of the form, back returns.
                    val key = opened
                    if (key == null) NewVisitScreen(form, onOpenGuide = { opened = it })
                    else ServiceGuideScreen(ServiceGuideState(guide = guide.takeIf { it.serviceKey == key }, missing = guide.serviceKey != key), onBack = { opened = null })
                }
            }
        }
        val buttons = onAllNodesWithText("Hướng dẫn", useUnmergedTree = true).fetchSemanticsNodes()
        assertEquals(1, buttons.size, "only the service with a guide offers it")
        ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(out, "new-visit-with-guide.png"))
        onNodeWithText("Hướng dẫn").performScrollTo().performClick()
        waitForIdle()
        assertEquals("vneid_level2_activation", opened)
        assertTrue(onAllNodesWithText("Các bước", useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty())
        onNodeWithText("‹ Quay lại").performClick()
        waitForIdle()
        assertEquals(null, opened)
        assertTrue(onAllNodesWithText("Lượt đến hộ mới", useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty())
    }
}
