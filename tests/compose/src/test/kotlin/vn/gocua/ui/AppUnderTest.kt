package vn.gocua.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.LocalSaveableStateRegistry
import androidx.compose.runtime.saveable.SaveableStateRegistry
import androidx.compose.runtime.setValue
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performSemanticsAction
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.unit.Density
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.LifecycleRegistry
import androidx.lifecycle.ViewModelStore
import androidx.lifecycle.ViewModelStoreOwner
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.viewmodel.compose.LocalViewModelStoreOwner
import java.io.File
import javax.imageio.ImageIO
import kotlinx.coroutines.Dispatchers
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_protocol.Lang
import vn.gocua.ffi.Fixtures
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.settings.InMemorySettings
import vn.gocua.ui.nav.GoCuaNavHost
import vn.gocua.ui.nav.GoCuaPlatform
import vn.gocua.ui.theme.GoCuaTheme

/**
 * Runs [body] over the app on a new store enrolled for [member] on the test server, once Today
 * shows; screenshots are named after [name]. [platform] stands in for the phone (a recording fake,
 * or nothing). The store is destroyed afterwards.
 */
fun runApp(name: String, member: String, platform: GoCuaPlatform = GoCuaPlatform.None, body: ComposeUiTest.(AppUnderTest, FieldProfile) -> Unit) {
    val profile = Fixtures.enrolled(member)
    try {
        runDesktopComposeUiTest(width = 720, height = 1560) {
            val app = AppUnderTest(profile, name, platform = platform)
            app.start(this)
            app.await(this, TODAY)
            body(app, profile)
        }
    } finally {
        profile.destroy()
    }
}

/**
 * The app as the Activity hosts it ([GoCuaNavHost]) over a real enrolled store, with what an
 * Activity provides — a ViewModelStoreOwner, a resumed LifecycleOwner, a SaveableStateRegistry
 * — and a recreation like process death: the saved state is kept, everything else (holders,
 * ViewModels, composition) is thrown away and built again from it.
 *
 * Compose's own `StateRestorationTester` cannot be used on the desktop: its `setContent` needs
 * the test's `setContent` to provide a SaveableStateRegistry, which `runDesktopComposeUiTest`
 * (Compose Multiplatform 1.8.2) does not ("StateRestorationTester requires
 * composeTestRule.setContent() to provide a SaveableStateRegistry implementation via
 * LocalSaveableStateRegistry"). [recreate] does what it does (save, dispose, restore into a new
 * registry at the same place in the composition) and also replaces the ViewModelStore, as a
 * new process would.
 */
class AppUnderTest(
    profile: FieldProfile,
    private val name: String,
    /** A `gocua://enrol` link the app was opened with (the QR code's), for a phone not yet enrolled. */
    private val enrolLink: String? = null,
    /** On wifi (sync runs when asked); else offline, so nothing leaves the phone by itself. */
    private val online: Boolean = false,
    /** Screenshots are `<shots>-<n>-<what>.png`. */
    private val shots: String = "nav-$name",
    /** What only the phone does (the dialer…); the tests pass a recording fake. */
    private val platform: GoCuaPlatform = GoCuaPlatform.None,
) {
    private fun kitOf(profile: FieldProfile) = FieldKit(
        profile, InMemorySettings(AppSettings(lang = Lang.VI)), Dispatchers.IO,
        { NetworkFacts(connected = online, unmetered = online, batteryPercent = 90u) },
    )

    /** What the volunteer did since [resetCounts]: taps (clicks) and characters typed. */
    var taps = 0
        private set
    var typedChars = 0
        private set
    /** Each tap and typing, in order ("tap: Hộ", "type: Địa chỉ (12)"), for the measured path. */
    val path = mutableListOf<String>()

    fun resetCounts() {
        taps = 0
        typedChars = 0
        path.clear()
    }

    /** The app's FieldKit; a new one (over a new store handle) after [kill]. */
    var kit = kitOf(profile)
        private set
    private val out = File(System.getProperty("screens.dir") ?: "target/screens").apply { mkdirs() }
    private var saved: Map<String, List<Any?>>? = null
    private var registry: SaveableStateRegistry? = null
    /** Even: the app is shown; odd: it is gone (between a save and a restore). */
    private var generation by mutableIntStateOf(0)
    private var step = 0
    var recreations = 0
        private set

    private class Owners : ViewModelStoreOwner, LifecycleOwner {
        override val viewModelStore = ViewModelStore()
        // createUnsafe: the test drives it from its own threads.
        private val registry = LifecycleRegistry.createUnsafe(this).apply { currentState = Lifecycle.State.RESUMED }
        override val lifecycle: Lifecycle get() = registry
    }

    @Composable
    fun Content() {
        if (generation % 2 == 0) {
            val owners = remember { Owners() }
            val reg = remember { SaveableStateRegistry(saved) { true } }
            registry = reg
            // The process dies: its ViewModels (and the state holders' scopes) with it.
            DisposableEffect(owners) { onDispose { owners.viewModelStore.clear() } }
            CompositionLocalProvider(
                LocalViewModelStoreOwner provides owners, LocalLifecycleOwner provides owners,
                LocalSaveableStateRegistry provides reg, LocalDensity provides Density(2f, 1f),
            ) {
                GoCuaTheme(lang = Lang.VI) { GoCuaNavHost(kit, platform, enrolLink) }
            }
        }
    }

    fun start(test: ComposeUiTest) = test.setContent { Content() }

    /** Rotation or process death: the state is saved, the app is gone, then built again from that state. */
    fun recreate(test: ComposeUiTest) {
        test.runOnIdle { saved = registry!!.performSave() }
        generation++
        test.waitForIdle()
        generation++
        test.waitForIdle()
        recreations++
    }

    /**
     * An app kill: the process dies WITHOUT saving its state (no SaveableStateRegistry to restore,
     * no ViewModels), and the app starts again on a new handle of the same store ([reopen]); the
     * old handle is closed. Only what the core keeps is left.
     */
    fun kill(test: ComposeUiTest, reopen: () -> FieldProfile) {
        generation++
        test.waitForIdle()
        saved = null
        val old = kit.profile
        kit = kitOf(reopen())
        old.destroy()
        generation++
        test.waitForIdle()
    }

    /** Waits until [text] is on screen (the core answers on its own threads). */
    fun await(test: ComposeUiTest, text: String, substring: Boolean = false) {
        test.waitUntil(timeoutMillis = 10_000) {
            test.onAllNodesWithText(text, substring = substring, useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty()
        }
    }

    fun shows(test: ComposeUiTest, text: String, substring: Boolean = false): Boolean =
        test.onAllNodesWithText(text, substring = substring, useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty()

    /**
     * Taps the control labelled [text], as its click action (the node may be below the fold). On
     * the UI thread: navigation's lifecycle calls insist on the main thread, where a phone's
     * clicks arrive. With [then], waits until that text is on screen (the screen the tap opens).
     */
    fun tap(test: ComposeUiTest, text: String, substring: Boolean = false, index: Int = 0, then: String? = null) {
        val matcher = hasClickAction() and (hasText(text, substring = substring) or hasAnyDescendant(hasText(text, substring = substring)))
        await(test, text, substring)
        test.runOnUiThread { nth(test, matcher, index).performSemanticsAction(SemanticsActions.OnClick) }
        taps++
        path += "tap: $text"
        test.waitForIdle()
        then?.let { await(test, it) }
    }

    /** Types [value] into the field labelled [label] (replacing what is there). */
    fun type(test: ComposeUiTest, label: String, value: String) {
        await(test, label)
        test.runOnUiThread { first(test, hasSetTextAction() and hasText(label)).performTextReplacement(value) }
        typedChars += value.length
        path += "type: $label (${value.length})"
        test.waitForIdle()
    }

    private fun first(test: ComposeUiTest, matcher: SemanticsMatcher): SemanticsNodeInteraction = nth(test, matcher, 0)

    private fun nth(test: ComposeUiTest, matcher: SemanticsMatcher, index: Int): SemanticsNodeInteraction {
        val nodes = test.onAllNodes(matcher)
        val n = nodes.fetchSemanticsNodes().size
        check(n > index) { "$n nodes on screen match $matcher, wanted #$index" }
        return nodes[index]
    }

    /** Scrolls the screen until [text] shows (as the volunteer would, before a screenshot). Not a tap. */
    fun scrollTo(test: ComposeUiTest, text: String, substring: Boolean = false) {
        await(test, text, substring)
        test.runOnUiThread { test.onAllNodesWithText(text, substring = substring, useUnmergedTree = true)[0].performScrollTo() }
        test.waitForIdle()
    }

    private fun hasAnyDescendant(m: SemanticsMatcher) = androidx.compose.ui.test.hasAnyDescendant(m)

    /** Saves the screen as target/screens/<shots>-<n>-<what>.png (nav-<test>-… unless told). */
    fun shot(test: ComposeUiTest, what: String) {
        test.waitForIdle()
        // A dialog is a second root: the topmost one is what the volunteer sees.
        val roots = test.onAllNodes(androidx.compose.ui.test.isRoot())
        val img = roots[roots.fetchSemanticsNodes().size - 1].captureToImage().toAwtImage()
        ImageIO.write(img, "png", File(out, "$shots-${"%02d".format(++step)}-$what.png"))
    }
}
