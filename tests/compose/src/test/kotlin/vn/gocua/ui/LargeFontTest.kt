package vn.gocua.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.text.TextLayoutResult
import androidx.compose.ui.unit.Density
import java.io.File
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import vn.gocua.fieldkit.state.TodayState
import vn.gocua.ui.components.FormActions
import vn.gocua.ui.components.GoCuaBottomBar
import vn.gocua.ui.components.Tab
import vn.gocua.ui.components.tabIconTag
import vn.gocua.ui.screens.NewVisitScreen
import vn.gocua.ui.screens.TodayScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * The header and the bottom bar at 1.5× font on a 360 dp phone (the accessibility setting many
 * older volunteers use): Today (with the bottom bar, as the app shows it) and the visit form.
 * Every text on screen is laid out whole — no line cut off, clipped or ellipsized — the back
 * button and the title do not overlap, and each tab has its icon above its label.
 * PNGs: target/screens/large-font-*.png.
 */
class LargeFontTest {
    private val out = File(System.getProperty("screens.dir") ?: "target/screens").apply { mkdirs() }

    private fun large(name: String, test: ComposeUiTest.() -> Unit, content: @Composable () -> Unit) =
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent { CompositionLocalProvider(LocalDensity provides Density(2f, 1.5f)) { GoCuaTheme { content() } } }
            waitForIdle()
            ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(out, "large-font-$name.png"))
            test()
        }

    /** The texts whose layout does not fit their box: cut off, clipped or ellipsized. */
    private fun ComposeUiTest.cutTexts(): List<String> =
        onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsActions.GetTextLayoutResult), useUnmergedTree = true).fetchSemanticsNodes().mapNotNull { n ->
            // Text fields scroll their own text sideways: only their labels (separate nodes) count.
            if (n.config.getOrNull(SemanticsActions.SetText) != null) return@mapNotNull null
            val layouts = mutableListOf<TextLayoutResult>()
            n.config[SemanticsActions.GetTextLayoutResult].action?.invoke(layouts)
            val r = layouts.firstOrNull() ?: return@mapNotNull null
            // The layout's paragraph is as wide as the constraints allowed; a line is cut when it is
            // wider than the text's box, or the lines are taller than it, or one ends in "…".
            val cut = r.didOverflowHeight || (0 until r.lineCount).any { r.isLineEllipsized(it) || r.getLineRight(it) - r.getLineLeft(it) > r.size.width + 1f }
            if (cut) n.config.getOrNull(SemanticsProperties.Text)?.joinToString().orEmpty() else null
        }

    private fun ComposeUiTest.assertHeaderClear(title: String) {
        val back = onAllNodes(hasText("‹ Quay lại"), useUnmergedTree = true).fetchSemanticsNodes().single().boundsInRoot
        val head = onAllNodes(hasText(title), useUnmergedTree = true).fetchSemanticsNodes().first().boundsInRoot
        assertTrue(!back.overlaps(head), "\"‹ Quay lại\" ($back) and the title ($head) do not overlap")
        assertTrue(head.right <= 720f, "the title stays on screen ($head)")
    }

    @Test
    fun `Today with the bottom bar at 1·5x font`() = large("today-with-bar", test = {
        assertEquals(emptyList(), cutTexts(), "nothing cut off")
        for (tab in Tab.entries) {
            val icon = onAllNodesWithTag(tabIconTag(tab), useUnmergedTree = true).fetchSemanticsNodes().single().boundsInRoot
            assertTrue(icon.width > 0f && icon.bottom <= 1560f, "$tab has its icon on screen ($icon)")
        }
        val queue = onAllNodes(hasText("Chờ gửi (12)"), useUnmergedTree = true).fetchSemanticsNodes().single().boundsInRoot
        val queueIcon = onAllNodesWithTag(tabIconTag(Tab.QUEUE), useUnmergedTree = true).fetchSemanticsNodes().single().boundsInRoot
        assertTrue(queueIcon.bottom <= queue.top, "the queue's icon is above its label ($queueIcon, $queue)")
    }) {
        Column(Modifier.fillMaxSize()) {
            Column(Modifier.weight(1f)) {
                TodayScreen(TodayState(profile = SampleData.profile, counts = SampleData.counts, targets = SampleData.targets, queue = SampleData.queue))
            }
            GoCuaBottomBar(selected = Tab.TODAY, queueBadge = 12) {}
        }
    }

    @Test
    fun `the visit form's header and Save bar at 1·5x font`() = large("visit-form", test = {
        assertEquals(emptyList(), cutTexts(), "nothing cut off")
        assertHeaderClear("Lượt đến hộ mới")
    }) { NewVisitScreen(FormUsabilityTest.longVisitForm, actions = FormActions(onDiscard = {})) }

    @Test
    fun `the longest header (feedback) at 1·5x font`() = large("feedback", test = {
        assertEquals(emptyList(), cutTexts(), "nothing cut off")
        assertHeaderClear("Khó khăn, vướng mắc, kiến nghị")
    }) { vn.gocua.ui.screens.FeedbackScreen(vn.gocua.fieldkit.state.FeedbackState(), actions = FormActions(onDiscard = {})) }
}
