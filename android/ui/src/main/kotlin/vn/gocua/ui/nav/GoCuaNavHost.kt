package vn.gocua.ui.nav

import androidx.compose.animation.EnterTransition
import androidx.compose.animation.ExitTransition
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.navigation.NavBackStackEntry
import androidx.navigation.NavController
import androidx.navigation.NavGraphBuilder
import androidx.navigation.NavHostController
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import androidx.navigation.toRoute
import kotlinx.coroutines.withContext
import uniffi.gocua_ffi.DraftForm
import uniffi.gocua_ffi.WalkTargetKind
import uniffi.gocua_protocol.RecordKind
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.drafts.DraftItem
import vn.gocua.fieldkit.state.EnrolViewModel
import vn.gocua.fieldkit.state.SettingsViewModel
import vn.gocua.ui.components.GoCuaBottomBar
import vn.gocua.ui.components.Tab
import vn.gocua.ui.screens.EnrolScreen
import vn.gocua.ui.screens.SettingsScreen

/**
 * The whole app below the Activity: enrolment until the phone is enrolled, then the tabs and
 * the forms above them in a Navigation Compose back stack (saved with the entries' state on
 * rotation and process death). The Android app only hosts it; [platform] is what only a phone
 * can do. Needs a ViewModelStoreOwner and a LifecycleOwner in composition (the Activity on a
 * phone; the test on the JVM).
 */
@Composable
fun GoCuaNavHost(
    kit: FieldKit,
    platform: GoCuaPlatform,
    enrolLink: String? = null,
    nav: NavHostController = rememberNavController(),
) {
    val settings = rememberHolder { SettingsViewModel(kit, it) }.value
    val settingsState by settings.state.collectAsState()
    // Until the profile was read, show nothing rather than a flash of enrolment.
    var checked by remember { mutableStateOf(false) }
    LaunchedEffect(Unit) { settings.load().join(); checked = true }
    if (!checked) return
    if (settingsState.profile == null) {
        EnrolRoute(kit, platform, enrolLink) { settings.load() }
        return
    }
    NavHost(
        nav, startDestination = Dest.Today, modifier = Modifier.fillMaxSize(),
        // No animation: cheap phones, and a screen that is either there or not (tests too).
        enterTransition = { EnterTransition.None }, exitTransition = { ExitTransition.None },
        popEnterTransition = { EnterTransition.None }, popExitTransition = { ExitTransition.None },
    ) {
        tabs(kit, nav, settings)
        forms(kit, nav, platform)
    }
}

@Composable
private fun EnrolRoute(kit: FieldKit, platform: GoCuaPlatform, link: String?, onEnrolled: () -> Unit) {
    val vm = rememberHolder { EnrolViewModel(kit, it) }.value
    val s by vm.state.collectAsState()
    LaunchedEffect(link) { if (link != null) vm.onScanned(link) }
    LaunchedEffect(s.enrolled) { if (s.enrolled != null) onEnrolled() }
    EnrolScreen(
        s, onScan = { platform.scanEnrolQr { vm.onScanned(it) } },
        onServerUrl = vm::onServerUrl, onCode = vm::onCode, onSubmit = { vm.submit() },
    )
}

private fun NavGraphBuilder.tabs(kit: FieldKit, nav: NavHostController, settings: SettingsViewModel) {
    composable<Dest.Today> {
        Tabbed(kit, nav, Tab.TODAY) {
            TodayDestination(
                kit, onNewVisit = { nav.navigate(Dest.Households(pickForVisit = true)) },
                onSession = { nav.navigate(Dest.Session()) }, onFeedback = { nav.navigate(Dest.Feedback()) },
                onQueue = { nav.tab(Tab.QUEUE) }, onAssign = { nav.navigate(Dest.Assign) },
                onWalkItem = { item ->
                    when (item.kind) {
                        WalkTargetKind.HAMLET -> item.hamletCode?.let { nav.navigate(Dest.WalkHamlet(it)) }
                        WalkTargetKind.HOUSEHOLD -> item.householdId?.let { nav.navigate(Dest.HouseholdDetail(it)) }
                    }
                },
                onDraft = { d -> nav.navigate(d.route()) },
            )
        }
    }
    composable<Dest.Households> { entry ->
        val r = entry.toRoute<Dest.Households>()
        Tabbed(kit, nav, Tab.HOUSEHOLDS) {
            HouseholdsDestination(
                kit,
                onOpen = { id -> nav.navigate(if (r.pickForVisit) Dest.NewVisit(id) else Dest.HouseholdDetail(id)) },
                onCreate = { q, hamlet -> nav.navigate(Dest.HouseholdForm(q, hamlet, thenVisit = r.pickForVisit)) },
            )
        }
    }
    composable<Dest.Queue> {
        Tabbed(kit, nav, Tab.QUEUE) {
            QueueDestination(kit, onBack = { nav.tab(Tab.TODAY) }, onFix = { item ->
                // QueueScreen offers "Sửa" only for the kinds with an edit screen (hasEditScreen).
                when (item.kind) {
                    is RecordKind.Visit -> nav.navigate(Dest.CorrectVisit(item.recordId))
                    is RecordKind.Household -> nav.navigate(Dest.HouseholdForm(editId = item.recordId))
                    is RecordKind.OutreachSession -> nav.navigate(Dest.CorrectSession(item.recordId))
                    else -> Unit
                }
            })
        }
    }
    composable<Dest.Settings> {
        Tabbed(kit, nav, Tab.SETTINGS) {
            val s by settings.state.collectAsState()
            SettingsScreen(s, onWifiOnly = settings::setWifiOnly, onLang = settings::setLang)
        }
    }
}

/** A tab's screen above the bottom bar. */
@Composable
private fun Tabbed(kit: FieldKit, nav: NavController, tab: Tab, body: @Composable () -> Unit) {
    // The queue's badge: the records not on the server, as the core counts them — read when a tab
    // shows and again as a sync moves on.
    val sync by kit.sync.progress.collectAsState()
    val unsent by produceState(0, sync) {
        value = withContext(kit.io) { runCatching { kit.profile.unsentCount().toInt() }.getOrDefault(0) }
    }
    Column(Modifier.fillMaxSize()) {
        Column(Modifier.weight(1f)) { body() }
        GoCuaBottomBar(selected = tab, queueBadge = unsent, onSelect = { nav.tab(it) })
    }
}

/** A tab chosen in the bottom bar: the back stack is Today, then that tab. */
internal fun NavController.tab(t: Tab) {
    popBackStack<Dest.Today>(inclusive = false)
    when (t) {
        Tab.TODAY -> Unit
        Tab.HOUSEHOLDS -> navigate(Dest.Households())
        Tab.QUEUE -> navigate(Dest.Queue)
        Tab.SETTINGS -> navigate(Dest.Settings)
    }
}

/**
 * Leaves [entry] (a form saved, or its back arrow) — only if it is still on top, so a late
 * second call cannot pop the screen below it.
 */
internal fun NavController.leave(entry: NavBackStackEntry) {
    if (currentBackStackEntry?.id == entry.id) popBackStack()
}

/** The form a draft offered on Today belongs to, reopened on that draft. */
internal fun DraftItem.route(): Any = when (form) {
    DraftForm.VISIT -> fields["correcting"]?.let { Dest.CorrectVisit(it) } ?: Dest.NewVisit(fields["householdId"] ?: key)
    DraftForm.HOUSEHOLD -> fields["editing"]?.let { Dest.HouseholdForm(editId = it) } ?: Dest.HouseholdForm(draftKey = key)
    DraftForm.SESSION -> fields["correcting"]?.let { Dest.CorrectSession(it) } ?: Dest.Session(draftKey = key)
    DraftForm.FEEDBACK -> Dest.Feedback(visitId = fields["visitId"], sessionId = fields["sessionId"], draftKey = key)
}
