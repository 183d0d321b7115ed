package vn.gocua.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.geometry.Rect
import androidx.compose.ui.unit.toSize
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.state.ToggleableState
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isNotSelected
import androidx.compose.ui.test.isSelected
import androidx.compose.ui.test.isToggleable
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.unit.Density
import java.io.File
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.fieldLabel
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.state.AssistForm
import vn.gocua.fieldkit.state.FeedbackState
import vn.gocua.fieldkit.state.HouseholdFormState
import vn.gocua.fieldkit.state.HouseholdsState
import vn.gocua.fieldkit.state.NewVisitState
import vn.gocua.fieldkit.state.SessionState
import vn.gocua.fieldkit.state.SettingsState
import vn.gocua.ui.components.CHIP_CHECK_TAG
import vn.gocua.ui.components.FormActions
import vn.gocua.ui.components.SAVE_BAR_TAG
import vn.gocua.ui.screens.FeedbackScreen
import vn.gocua.ui.screens.HouseholdFormScreen
import vn.gocua.ui.screens.HouseholdsScreen
import vn.gocua.ui.screens.NewVisitScreen
import vn.gocua.ui.screens.SessionScreen
import vn.gocua.ui.screens.SettingsScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * What a volunteer expects of a form (issue 11, item 5), checked on the real screens at phone
 * size (360 × 780 dp, density 2): Save is always on screen; a refused save brings the first bad
 * field into view and its summary line leads back to it; selected chips carry a check; a
 * checkbox or switch row is one control with its label. PNGs: target/screens/usability-*.png.
 */
class FormUsabilityTest {
    private val out = File(System.getProperty("screens.dir") ?: "target/screens").apply { mkdirs() }

    /** The phone's screen in px (360 × 780 dp at density 2). */
    private val screen = Rect(0f, 0f, 720f, 1560f)

    private fun phone(fontScale: Float = 1f, test: ComposeUiTest.() -> Unit, content: @Composable () -> Unit) =
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent { CompositionLocalProvider(LocalDensity provides Density(2f, fontScale)) { GoCuaTheme { content() } } }
            waitForIdle()
            test()
        }

    private fun ComposeUiTest.png(name: String) = ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(out, "usability-$name.png"))

    /** Where the node is laid out (not clipped to the visible part: off screen is off screen). */
    private fun ComposeUiTest.bounds(m: SemanticsMatcher, i: Int = 0): Rect =
        onAllNodes(m).fetchSemanticsNodes()[i].let { Rect(it.positionInRoot, it.size.toSize()) }

    private fun ComposeUiTest.saveBarTop(): Float = onNodeWithTag(SAVE_BAR_TAG).fetchSemanticsNode().boundsInRoot.top

    private val longVisit = longVisitForm

    /** The core's problem with the third service's dossier code, labelled as the core labels it. */
    private val thirdDossierProblem = SampleData.dossierCodeProblem(2)

    private val dossierField = hasSetTextAction() and hasText("Mã hồ sơ")

    @Test
    fun `a long visit form at its top still shows Lưu, at normal and large font`() {
        for (scale in listOf(1f, 1.5f)) phone(scale, test = {
            // The form really is longer than the screen: its note field is below the fold …
            val note = bounds(hasSetTextAction() and hasText("Ghi chú"))
            assertTrue(note.top > screen.bottom, "the note field is off screen at the top of the form ($note)")
            // … and Save is on screen all the same, above the bottom edge, clickable.
            onNodeWithText("Lưu lượt đến hộ").assertIsDisplayed()
            val save = bounds(hasText("Lưu lượt đến hộ"))
            assertTrue(save.top >= 0f && save.bottom <= screen.bottom, "Save is inside the screen ($save)")
            onNodeWithText("Hủy").assertIsDisplayed()
            png("visit-top-${if (scale > 1f) "large" else "normal"}")
        }) { NewVisitScreen(longVisit, actions = FormActions(onDiscard = {})) }
    }

    @Test
    fun `the household, session and feedback forms keep Save on screen at large font`() {
        val forms: List<Pair<String, @Composable () -> Unit>> = listOf(
            "Lưu hộ" to {
                HouseholdFormScreen(
                    HouseholdFormState(
                        communes = SampleData.communes, hamlets = SampleData.hamlets, communeCode = "28789", hamletCode = "28789-KP2",
                        headName = "Võ Thị Diễm My", phone = "0387 123 456", members = "3",
                    ),
                    actions = FormActions(onDiscard = {}),
                )
            },
            "Lưu buổi tuyên truyền" to { SessionScreen(SessionState(areas = SampleData.communes + SampleData.hamlets, areaCode = "28789", heldOn = "25/11/2026"), actions = FormActions(onDiscard = {})) },
            "Gửi phản ánh" to { FeedbackScreen(FeedbackState(text = "Cổng dịch vụ công báo lỗi khi thanh toán lệ phí."), actions = FormActions(onDiscard = {})) },
        )
        for ((save, form) in forms) phone(1.5f, test = {
            onNodeWithText(save).assertIsDisplayed()
            val b = bounds(hasText(save))
            assertTrue(b.bottom <= screen.bottom && b.top >= saveBarTop(), "$save sits in the bottom bar ($b)")
        }) { form() }
    }

    @Test
    fun `a refused save brings the bad field into view, and its summary line leads back to it`() {
        var state by mutableStateOf(longVisit)
        phone(test = {
            val before = bounds(dossierField, 2)
            assertTrue(before.top > screen.bottom, "the third dossier code starts off screen ($before)")
            // Save: the core refuses, naming the third service's dossier code.
            onNodeWithText("Lưu lượt đến hộ").performClick()
            waitForIdle()
            val field = bounds(dossierField, 2)
            assertTrue(field.top >= 0f && field.bottom <= saveBarTop(), "the bad field is in view above the Save bar ($field, bar at ${saveBarTop()})")
            val error = bounds(hasText("Cần nhập mã hồ sơ khi đã nộp hồ sơ.") and SemanticsMatcher.keyIsDefined(SemanticsProperties.Error))
            assertTrue(error.top > field.top, "its problem is under it")
            png("visit-refused")
            // The summary at the top names the field with the core's label …
            val line = "Mã hồ sơ (dịch vụ 3): Cần nhập mã hồ sơ khi đã nộp hồ sơ."
            assertEquals(fieldLabel("assists[2].dossier_code", Lang.VI), "Mã hồ sơ (dịch vụ 3)")
            onNodeWithText(line, substring = true).performScrollTo()
            waitForIdle()
            assertTrue(bounds(dossierField, 2).top > screen.bottom, "scrolled back to the summary, the field is off screen again")
            png("visit-summary")
            // … and tapping that line brings the field back.
            onNodeWithText(line, substring = true).performClick()
            waitForIdle()
            val again = bounds(dossierField, 2)
            assertTrue(again.top >= 0f && again.bottom <= saveBarTop(), "the summary line scrolled to the field ($again)")
        }) { NewVisitScreen(state, actions = FormActions(onDiscard = {}, onSave = { state = state.copy(error = thirdDossierProblem) })) }
    }

    @Test
    fun `a form that opens with the core's problem (put back after a restart) shows the summary, whose line leads to the field`() {
        phone(test = {
            val line = "Mã hồ sơ (dịch vụ 3): Cần nhập mã hồ sơ khi đã nộp hồ sơ."
            val summary = bounds(hasText(line, substring = true))
            assertTrue(summary.top >= 0f && summary.bottom <= saveBarTop(), "the summary is what shows first ($summary)")
            assertTrue(bounds(dossierField, 2).top > screen.bottom, "the bad field is further down")
            // Its line is tappable from the first frame (the fields were registered after it was drawn).
            onNode(hasText(line, substring = true) and hasClickAction()).performClick()
            waitForIdle()
            val field = bounds(dossierField, 2)
            assertTrue(field.top >= 0f && field.bottom <= saveBarTop(), "the summary line brought the field into view ($field)")
        }) { NewVisitScreen(longVisit.copy(error = thirdDossierProblem), actions = FormActions(onDiscard = {})) }
    }

    @Test
    fun `selected chips carry a check mark and say they are selected`() {
        phone(test = {
            val selected = onAllNodes(isSelected()).fetchSemanticsNodes()
            // Outcome, and per service: level, result (and the hamlet/commune chips elsewhere).
            assertTrue(selected.size >= 5, "the visit form has selected chips (${selected.size})")
            val checks = onAllNodesWithTag(CHIP_CHECK_TAG, useUnmergedTree = true).fetchSemanticsNodes()
            assertEquals(selected.size, checks.size, "one check per selected chip")
            assertEquals(checks.size, onAllNodes(hasTestTag(CHIP_CHECK_TAG) and hasAnyAncestor(isSelected()), useUnmergedTree = true).fetchSemanticsNodes().size, "every check is inside a selected chip")
            assertTrue(onAllNodes(hasTestTag(CHIP_CHECK_TAG) and hasAnyAncestor(isNotSelected()), useUnmergedTree = true).fetchSemanticsNodes().isEmpty(), "no unselected chip has one")
            onNode(hasText(VisitOutcome.Met.label(Lang.VI)) and isSelected()).assertIsDisplayed()
            onNode(hasText(VisitOutcome.NotHome.label(Lang.VI)) and isNotSelected()).assertIsDisplayed()
            png("chips-visit")
        }) { NewVisitScreen(longVisit) }
        phone(test = {
            // The households' filters: "Chưa đến" and the chosen hamlet both checked, "Tất cả" not.
            assertEquals(2, onAllNodes(isSelected()).fetchSemanticsNodes().size)
            assertEquals(2, onAllNodesWithTag(CHIP_CHECK_TAG, useUnmergedTree = true).fetchSemanticsNodes().size)
            onNode(hasText("Tất cả") and isNotSelected()).assertExists()
        }) {
            HouseholdsScreen(HouseholdsState(communes = SampleData.communes, hamlets = SampleData.hamlets, hamlet = "28789-KP1", notVisited = true, results = SampleData.notVisited, coverage = SampleData.coverage))
        }
    }

    @Test
    fun `the consent checkbox row is one toggleable control with its label`() {
        var state by mutableStateOf(HouseholdFormState(communes = SampleData.communes, communeCode = "28789", headName = "Võ Thị Diễm My", phone = "0387 123 456", consent = false))
        val label = "Chủ hộ đồng ý cho lưu số điện thoại"
        phone(test = {
            // One node: toggleable, role checkbox, its label merged in (what TalkBack reads).
            val row = onNode(isToggleable() and hasText(label))
            row.assertExists()
            val node = row.fetchSemanticsNode()
            assertEquals(Role.Checkbox, node.config.getOrNull(SemanticsProperties.Role))
            assertEquals(ToggleableState.Off, node.config.getOrNull(SemanticsProperties.ToggleableState))
            assertEquals(1, onAllNodes(isToggleable()).fetchSemanticsNodes().size, "the box is not a second control")
            // Tapping the words (not the box) ticks it.
            onNodeWithText(label, useUnmergedTree = true).performClick()
            waitForIdle()
            assertTrue(state.consent, "tapping the label gave consent")
            assertEquals(ToggleableState.On, onNode(isToggleable() and hasText(label)).fetchSemanticsNode().config.getOrNull(SemanticsProperties.ToggleableState))
        }) { HouseholdFormScreen(state, onConsent = { state = state.copy(consent = it) }) }
    }

    @Test
    fun `the wifi-only switch row is one toggleable control with its label`() {
        var settings by mutableStateOf(AppSettings(wifiOnly = true, lang = Lang.VI))
        val label = "Chỉ đồng bộ khi có wifi"
        phone(test = {
            val node = onNode(isToggleable() and hasText(label)).fetchSemanticsNode()
            assertEquals(Role.Switch, node.config.getOrNull(SemanticsProperties.Role))
            assertEquals(ToggleableState.On, node.config.getOrNull(SemanticsProperties.ToggleableState))
            onNodeWithText(label, useUnmergedTree = true).performClick()
            waitForIdle()
            assertFalse(settings.wifiOnly, "tapping the label switched it off")
            png("settings-switch")
        }) { SettingsScreen(SettingsState(settings = settings, profile = SampleData.profile), onWifiOnly = { settings = settings.copy(wifiOnly = it) }) }
    }

    companion object {
        /** Three services, each submitted and so each asking for a dossier code: longer than a screen. */
        val longVisitForm = NewVisitState(
            household = SampleData.household, services = SampleData.services, outcome = VisitOutcome.Met, peopleReached = "4",
            assists = listOf(
                AssistForm("birth_registration", level42 = Level42.ToanTrinh, result = AssistResult.Submitted, dossierCode = "G22.46.11-251123-0042"),
                AssistForm("permanent_residence", level42 = Level42.MotPhan, result = AssistResult.Submitted, dossierCode = "G22.46.11-251123-0043"),
                AssistForm("child_bundle_u6", level42 = Level42.ToanTrinh, result = AssistResult.Submitted, dossierCode = ""),
            ),
            consent = true,
        )
    }
}
