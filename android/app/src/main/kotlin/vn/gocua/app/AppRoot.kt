package vn.gocua.app

import android.content.pm.PackageManager
import android.widget.Toast
import androidx.activity.compose.BackHandler
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.core.content.ContextCompat
import kotlinx.coroutines.launch
import uniffi.gocua_ffi.FeedbackSource
import uniffi.gocua_ffi.QueueItemView
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_ffi.WalkTargetKind
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.state.AssignViewModel
import vn.gocua.fieldkit.state.EnrolViewModel
import vn.gocua.fieldkit.state.FeedbackViewModel
import vn.gocua.fieldkit.state.HouseholdDetailViewModel
import vn.gocua.fieldkit.state.HouseholdFormViewModel
import vn.gocua.fieldkit.state.HouseholdsViewModel
import vn.gocua.fieldkit.state.NewVisitViewModel
import vn.gocua.fieldkit.state.QueueViewModel
import vn.gocua.fieldkit.state.ServiceGuideViewModel
import vn.gocua.fieldkit.state.SessionViewModel
import vn.gocua.fieldkit.state.SettingsViewModel
import vn.gocua.fieldkit.state.TodayViewModel
import vn.gocua.ui.components.GoCuaBottomBar
import vn.gocua.ui.components.Tab
import vn.gocua.ui.screens.AssignScreen
import vn.gocua.ui.screens.EnrolScreen
import vn.gocua.ui.screens.FeedbackScreen
import vn.gocua.ui.screens.HouseholdDetailScreen
import vn.gocua.ui.screens.HouseholdFormScreen
import vn.gocua.ui.screens.HouseholdsScreen
import vn.gocua.ui.screens.NewVisitScreen
import vn.gocua.ui.screens.QueueScreen
import vn.gocua.ui.screens.ServiceGuideScreen
import vn.gocua.ui.screens.SessionScreen
import vn.gocua.ui.screens.SettingsScreen
import vn.gocua.ui.screens.TodayScreen

/** Where the user is. The tabs are the bottom of the back stack; forms go on top. */
sealed interface Route {
    data class Tabbed(val tab: Tab, val pickForVisit: Boolean = false) : Route
    data class HouseholdDetail(val id: String) : Route
    data class HouseholdForm(val headName: String, val hamlet: String?, val thenVisit: Boolean) : Route
    data class NewVisit(val householdId: String) : Route
    data class CorrectVisit(val visitId: String) : Route
    data object Session : Route
    /** Walk lists: the leader's assigning screen; a hamlet of "my list" opened on its households not yet visited. */
    data object Assign : Route
    data class WalkHamlet(val hamlet: String) : Route
    data class Feedback(val source: FeedbackSource = FeedbackSource.General) : Route
    data class ServiceGuide(val serviceKey: String) : Route
}

@Composable
fun AppRoot(kit: FieldKit, enrolLink: String?) {
    val settings = rememberHolder("settings") { SettingsViewModel(kit, it) }
    val settingsState by settings.state.collectAsState()
    LaunchedEffect(Unit) { settings.load() }
    val enrolled = settingsState.profile != null

    if (!enrolled) {
        EnrolRoute(kit, enrolLink) { settings.load() }
        return
    }

    val stack = remember { mutableStateListOf<Route>(Route.Tabbed(Tab.TODAY)) }
    fun go(r: Route) { stack.add(r) }
    fun back() { if (stack.size > 1) stack.removeAt(stack.lastIndex) }
    fun tab(t: Tab) { stack.clear(); stack.add(Route.Tabbed(t)) }
    BackHandler(enabled = stack.size > 1) { back() }

    when (val r = stack.last()) {
        is Route.Tabbed -> Column(Modifier.fillMaxSize()) {
            Column(Modifier.weight(1f)) {
                when (r.tab) {
                    Tab.TODAY -> TodayRoute(kit, onNewVisit = { go(Route.Tabbed(Tab.HOUSEHOLDS, pickForVisit = true)) },
                        onSession = { go(Route.Session) }, onFeedback = { go(Route.Feedback()) }, onQueue = { tab(Tab.QUEUE) },
                        onWalkItem = { item ->
                            when (item.kind) {
                                WalkTargetKind.HAMLET -> item.hamletCode?.let { go(Route.WalkHamlet(it)) }
                                WalkTargetKind.HOUSEHOLD -> item.householdId?.let { go(Route.HouseholdDetail(it)) }
                            }
                        },
                        onAssign = { go(Route.Assign) })
                    Tab.HOUSEHOLDS -> HouseholdsRoute(kit,
                        onOpen = { id -> go(if (r.pickForVisit) Route.NewVisit(id) else Route.HouseholdDetail(id)) },
                        onCreate = { q, hamlet -> go(Route.HouseholdForm(q, hamlet, thenVisit = r.pickForVisit)) })
                    Tab.QUEUE -> QueueRoute(kit, onFix = { item ->
                        // QueueScreen offers "Sửa" only for the kinds with an edit screen (hasEditScreen).
                        when (item.kind) {
                            is RecordKind.Visit -> go(Route.CorrectVisit(item.recordId))
                            is RecordKind.Household -> go(Route.HouseholdDetail(item.recordId))
                            else -> Unit
                        }
                    })
                    Tab.SETTINGS -> SettingsScreen(settingsState, onWifiOnly = settings::setWifiOnly, onLang = settings::setLang)
                }
            }
            GoCuaBottomBar(selected = r.tab, onSelect = ::tab)
        }
        is Route.HouseholdDetail -> {
            val vm = rememberHolder("detail-${r.id}") { HouseholdDetailViewModel(kit, it) }
            LaunchedEffect(r) { vm.load(r.id) }
            val s by vm.state.collectAsState()
            HouseholdDetailScreen(s, onBack = ::back, onNewVisit = { go(Route.NewVisit(r.id)) },
                onCorrect = { go(Route.CorrectVisit(it)) }, onFeedback = { go(Route.Feedback()) })
        }
        is Route.HouseholdForm -> {
            val vm = rememberHolder("form-${r.hashCode()}") { HouseholdFormViewModel(kit, it) }
            LaunchedEffect(r) { vm.load(r.headName, r.hamlet) }
            val s by vm.state.collectAsState()
            LaunchedEffect(s.saved) {
                s.saved?.let { h -> back(); go(if (r.thenVisit) Route.NewVisit(h.id) else Route.HouseholdDetail(h.id)) }
            }
            HouseholdFormScreen(s, onBack = ::back, onCommune = vm::onCommune, onHamlet = vm::onHamlet, onHeadName = vm::onHeadName,
                onAddress = vm::onAddress, onPhone = vm::onPhone, onMembers = vm::onMembers, onConsent = vm::onConsent, onSave = { vm.submit() })
        }
        is Route.NewVisit -> VisitRoute(kit, "visit-${r.householdId}-${stack.size}", { it.load(r.householdId) }, ::back) { go(Route.ServiceGuide(it)) }
        is Route.CorrectVisit -> VisitRoute(kit, "correct-${r.visitId}", { it.loadCorrection(r.visitId) }, ::back) { go(Route.ServiceGuide(it)) }
        is Route.ServiceGuide -> {
            val vm = rememberHolder("guide-${r.serviceKey}") { ServiceGuideViewModel(kit, it) }
            LaunchedEffect(r) { vm.load(r.serviceKey) }
            val s by vm.state.collectAsState()
            ServiceGuideScreen(s, onBack = ::back)
        }
        is Route.Assign -> {
            val vm = rememberHolder("assign") { AssignViewModel(kit, it) }
            LaunchedEffect(Unit) { vm.load() }
            val s by vm.state.collectAsState()
            AssignScreen(s, onBack = ::back, onMember = vm::onMember, onHamlet = vm::onHamlet, onHousehold = vm::onHousehold,
                onAssign = { vm.assign() }, onRevoke = { vm.revoke(it) })
        }
        is Route.WalkHamlet -> HouseholdsRoute(kit, key = "walk-${r.hamlet}", start = { vm ->
            vm.load().join(); vm.onHamlet(r.hamlet).join(); vm.onNotVisited(true)
        }, onOpen = { id -> go(Route.HouseholdDetail(id)) }, onCreate = { q, hamlet -> go(Route.HouseholdForm(q, hamlet, thenVisit = false)) })
        is Route.Session -> {
            val vm = rememberHolder("session") { SessionViewModel(kit, it) }
            LaunchedEffect(Unit) { vm.load() }
            val s by vm.state.collectAsState()
            LaunchedEffect(s.savedId) { s.savedId?.let { back() } }
            SessionScreen(s, onBack = ::back, onKind = vm::onKind, onArea = vm::onArea, onPlace = vm::onPlace, onHeldOn = vm::onHeldOn,
                onAttendees = vm::onAttendees, onMaterials = vm::onMaterials, onNote = vm::onNote, onSave = { vm.submit() })
        }
        is Route.Feedback -> {
            val vm = rememberHolder("feedback-${r.hashCode()}") { FeedbackViewModel(kit, it) }
            LaunchedEffect(r) { vm.start(r.source) }
            val s by vm.state.collectAsState()
            LaunchedEffect(s.savedId) { s.savedId?.let { back() } }
            FeedbackScreen(s, onBack = ::back, onCategory = vm::onCategory, onText = vm::onText, onSave = { vm.submit() })
        }
    }
}

@Composable
private fun EnrolRoute(kit: FieldKit, link: String?, onEnrolled: () -> Unit) {
    val context = LocalContext.current
    val vm = rememberHolder("enrol") { EnrolViewModel(kit, it) }
    val s by vm.state.collectAsState()
    LaunchedEffect(link) { if (link != null) vm.onScanned(link) }
    LaunchedEffect(s.enrolled) { if (s.enrolled != null) onEnrolled() }
    EnrolScreen(
        s,
        onScan = {
            scanEnrolQr(context, onPayload = { vm.onScanned(it) }, onUnavailable = {
                Toast.makeText(context, "Không mở được máy quét; hãy nhập mã. / Scanner unavailable; type the code.", Toast.LENGTH_LONG).show()
            })
        },
        onServerUrl = vm::onServerUrl, onCode = vm::onCode, onSubmit = { vm.submit() },
    )
}

@Composable
private fun TodayRoute(
    kit: FieldKit, onNewVisit: () -> Unit, onSession: () -> Unit, onFeedback: () -> Unit, onQueue: () -> Unit,
    onWalkItem: (uniffi.gocua_ffi.WalkItemView) -> Unit, onAssign: () -> Unit,
) {
    val vm = rememberHolder("today") { TodayViewModel(kit, it) }
    LaunchedEffect(Unit) { vm.load() }
    val s by vm.state.collectAsState()
    TodayScreen(s, onNewVisit = onNewVisit, onSession = onSession, onFeedback = onFeedback,
        onSync = { vm.syncNow() }, onSendNowOnMobileData = { vm.sendNowOnMobileData() }, onCancelSync = vm::cancelSync, onOpenQueue = onQueue,
        onOpenWalkItem = onWalkItem, onAssign = onAssign)
}

@Composable
private fun HouseholdsRoute(
    kit: FieldKit, onOpen: (String) -> Unit, onCreate: (String, String?) -> Unit,
    key: String = "households", start: suspend (HouseholdsViewModel) -> Unit = { it.load() },
) {
    val vm = rememberHolder(key) { HouseholdsViewModel(kit, it) }
    LaunchedEffect(key) { start(vm) }
    val s by vm.state.collectAsState()
    HouseholdsScreen(s, onQuery = { vm.onQuery(it) }, onHamlet = { vm.onHamlet(it) }, onNotVisited = { vm.onNotVisited(it) }, onOpen = onOpen, onCreate = { onCreate(s.query, s.hamlet) },
        onLoadMore = { vm.loadMore() })
}

@Composable
private fun QueueRoute(kit: FieldKit, onFix: (QueueItemView) -> Unit) {
    val vm = rememberHolder("queue") { QueueViewModel(kit, it) }
    LaunchedEffect(Unit) { vm.load() }
    val s by vm.state.collectAsState()
    QueueScreen(s, onFix = onFix, onResend = { vm.resend(it) })
}

@Composable
private fun VisitRoute(kit: FieldKit, key: String, load: (NewVisitViewModel) -> Unit, back: () -> Unit, openGuide: (String) -> Unit) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val vm = rememberHolder(key) { NewVisitViewModel(kit, it) }
    // Loaded once per holder: coming back from a guide keeps what was typed.
    LaunchedEffect(key) { if (vm.state.value.household == null) load(vm) }
    val s by vm.state.collectAsState()
    LaunchedEffect(s.saved) { if (s.saved != null) back() }
    var asked by remember { mutableStateOf(false) }
    val permission = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { granted ->
        if (granted.values.any { it }) scope.launch { vm.onGps(currentFix(context)) }
    }
    NewVisitScreen(
        s, onBack = back, onOutcome = vm::onOutcome, onPeopleReached = vm::onPeopleReached, onAddService = vm::addService,
        onRemoveService = vm::removeService, onResult = vm::onResult, onLevel42 = vm::onLevel42, onDossierCode = vm::onDossierCode,
        onReason = vm::onReason, onFollowUp = vm::onFollowUp, onNote = vm::onNote, onConsent = vm::onConsent,
        onUseLocation = {
            // Location only when the volunteer asks for it, and the system asks them first.
            val has = MainActivity.LOCATION_PERMISSIONS.any { ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED }
            if (has) scope.launch { vm.onGps(currentFix(context)) } else if (!asked) { asked = true; permission.launch(MainActivity.LOCATION_PERMISSIONS) }
        },
        onSave = { vm.submit() },
        onOpenGuide = openGuide,
    )
}
