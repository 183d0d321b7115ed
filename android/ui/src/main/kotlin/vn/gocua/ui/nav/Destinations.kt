package vn.gocua.ui.nav

import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.navigation.NavBackStackEntry
import androidx.navigation.NavGraphBuilder
import androidx.navigation.NavHostController
import androidx.navigation.compose.composable
import androidx.navigation.toRoute
import uniffi.gocua_ffi.DraftForm
import uniffi.gocua_ffi.QueueItemView
import uniffi.gocua_ffi.WalkItemView
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.drafts.DraftItem
import vn.gocua.fieldkit.state.AssignViewModel
import vn.gocua.fieldkit.state.FeedbackViewModel
import vn.gocua.fieldkit.state.HouseholdDetailViewModel
import vn.gocua.fieldkit.state.HouseholdFormViewModel
import vn.gocua.fieldkit.state.HouseholdsViewModel
import vn.gocua.fieldkit.state.NewVisitViewModel
import vn.gocua.fieldkit.state.QueueViewModel
import vn.gocua.fieldkit.state.ServiceGuideViewModel
import vn.gocua.fieldkit.state.SessionViewModel
import vn.gocua.fieldkit.state.TodayViewModel
import vn.gocua.ui.components.FormActions
import vn.gocua.ui.screens.AssignScreen
import vn.gocua.ui.screens.FeedbackScreen
import vn.gocua.ui.screens.HouseholdDetailScreen
import vn.gocua.ui.screens.HouseholdFormScreen
import vn.gocua.ui.screens.HouseholdsScreen
import vn.gocua.ui.screens.NewVisitScreen
import vn.gocua.ui.screens.QueueScreen
import vn.gocua.ui.screens.ServiceGuideScreen
import vn.gocua.ui.screens.SessionScreen
import vn.gocua.ui.screens.TodayScreen

/*
 * One destination per screen. Each back-stack entry has its own state holder (rememberHolder:
 * the entry's ViewModelStore). Lists reload each time they show (coming back after a save);
 * forms load once per entry and keep what was typed in the entry's SavedStateHandle.
 */

@Composable
internal fun TodayDestination(
    kit: FieldKit, onNewVisit: () -> Unit, onSession: () -> Unit, onFeedback: () -> Unit, onQueue: () -> Unit,
    onWalkItem: (WalkItemView) -> Unit, onAssign: () -> Unit, onDraft: (DraftItem) -> Unit,
) {
    val vm = rememberHolder { TodayViewModel(kit, it) }.value
    LaunchedEffect(Unit) { vm.load() }
    val s by vm.state.collectAsState()
    TodayScreen(
        s, onNewVisit = onNewVisit, onSession = onSession, onFeedback = onFeedback,
        onSync = { vm.syncNow() }, onSendNowOnMobileData = { vm.sendNowOnMobileData() }, onCancelSync = vm::cancelSync,
        onOpenQueue = onQueue, onOpenWalkItem = onWalkItem, onAssign = onAssign,
        onOpenDraft = onDraft, onDiscardDraft = { vm.discardDraft(it) },
    )
}

@Composable
internal fun HouseholdsDestination(
    kit: FieldKit, onOpen: (String) -> Unit, onCreate: (String, String?) -> Unit,
    start: suspend (HouseholdsViewModel) -> Unit = { it.load() },
) {
    val vm = rememberHolder { HouseholdsViewModel(kit, it) }.value
    LaunchedEffect(Unit) { start(vm) }
    val s by vm.state.collectAsState()
    HouseholdsScreen(
        s, onQuery = { vm.onQuery(it) }, onHamlet = { vm.onHamlet(it) }, onNotVisited = { vm.onNotVisited(it) },
        onOpen = onOpen, onCreate = { onCreate(s.query, s.hamlet) }, onLoadMore = { vm.loadMore() },
    )
}

@Composable
internal fun QueueDestination(kit: FieldKit, onBack: () -> Unit, onFix: (QueueItemView) -> Unit) {
    val vm = rememberHolder { QueueViewModel(kit, it) }.value
    LaunchedEffect(Unit) { vm.load() }
    val s by vm.state.collectAsState()
    QueueScreen(s, onBack = onBack, onFix = onFix, onResend = { vm.resend(it) })
}

internal fun NavGraphBuilder.forms(kit: FieldKit, nav: NavHostController, platform: GoCuaPlatform) {
    composable<Dest.HouseholdDetail> { entry ->
        val r = entry.toRoute<Dest.HouseholdDetail>()
        val vm = rememberHolder { HouseholdDetailViewModel(kit, it) }.value
        LaunchedEffect(Unit) { vm.load(r.householdId) }
        val s by vm.state.collectAsState()
        HouseholdDetailScreen(
            s, onBack = { nav.leave(entry) }, onNewVisit = { nav.navigate(Dest.NewVisit(r.householdId)) },
            onCorrect = { nav.navigate(Dest.CorrectVisit(it)) }, onFeedback = { nav.navigate(Dest.Feedback()) },
            onEdit = { nav.navigate(Dest.HouseholdForm(editId = r.householdId)) }, onErase = { vm.erase() }, onNotHome = { vm.recordNotHome() },
            onCall = { platform.dial(it) },
        )
    }
    composable<Dest.HouseholdForm> { entry ->
        val r = entry.toRoute<Dest.HouseholdForm>()
        val holder = rememberHolder { HouseholdFormViewModel(kit, it) }
        val vm = holder.value
        // An edit's draft is keyed by the household; a new household's by this entry.
        val slot = DraftSlot(DraftForm.HOUSEHOLD, r.editId ?: holder.saved.draftKey(r.draftKey))
        vm.draftKey = slot.key
        LaunchedOnce(holder) {
            startForm(
                kit, holder, slot, load = { (if (r.editId != null) vm.loadForEdit(r.editId) else vm.load(r.headName, r.hamletCode)).join() },
                fields = { vm.state.value.fields() }, restore = vm::restore,
            )
        }
        val s by vm.state.collectAsState()
        KeepInput(kit, holder, slot, s, settled = { !it.busy && it.saved == null }) { it.fields() }
        LaunchedEffect(s.saved) {
            // The household is saved: this form gives way to the new household's visit (or page).
            s.saved?.let { h ->
                if (r.editId != null) {
                    nav.leave(entry) // back to the household's page, which reloads
                } else if (nav.currentBackStackEntry?.id == entry.id) {
                    nav.navigate(if (r.thenVisit) Dest.NewVisit(h.id) else Dest.HouseholdDetail(h.id)) {
                        popUpTo(entry.destination.id) { inclusive = true }
                    }
                }
            }
        }
        DraftProblem(holder) {
            HouseholdFormScreen(
                s, formActions(kit, nav, entry, holder, slot) { vm.submit() }, onCommune = vm::onCommune, onHamlet = vm::onHamlet, onHeadName = vm::onHeadName,
                onAddress = vm::onAddress, onPhone = vm::onPhone, onMembers = vm::onMembers, onConsent = vm::onConsent,
            )
        }
    }
    composable<Dest.NewVisit> { entry ->
        val r = entry.toRoute<Dest.NewVisit>()
        VisitDestination(kit, nav, platform, entry, DraftSlot(DraftForm.VISIT, r.householdId)) { it.load(r.householdId) }
    }
    composable<Dest.CorrectVisit> { entry ->
        val r = entry.toRoute<Dest.CorrectVisit>()
        VisitDestination(kit, nav, platform, entry, DraftSlot(DraftForm.VISIT, r.visitId)) { it.loadCorrection(r.visitId) }
    }
    composable<Dest.ServiceGuide> { entry ->
        val r = entry.toRoute<Dest.ServiceGuide>()
        val vm = rememberHolder { ServiceGuideViewModel(kit, it) }.value
        LaunchedEffect(Unit) { vm.load(r.serviceKey) }
        val s by vm.state.collectAsState()
        ServiceGuideScreen(s, onBack = { nav.leave(entry) })
    }
    composable<Dest.Assign> { entry ->
        val vm = rememberHolder { AssignViewModel(kit, it) }.value
        LaunchedEffect(Unit) { vm.load() }
        val s by vm.state.collectAsState()
        AssignScreen(
            s, onBack = { nav.leave(entry) }, onMember = vm::onMember, onHamlet = vm::onHamlet, onHousehold = vm::onHousehold,
            onAssign = { vm.assign() }, onRevoke = { vm.revoke(it) },
        )
    }
    composable<Dest.WalkHamlet> { entry ->
        val r = entry.toRoute<Dest.WalkHamlet>()
        HouseholdsDestination(
            kit, start = { vm -> vm.load().join(); vm.onHamlet(r.hamletCode).join(); vm.onNotVisited(true) },
            onOpen = { id -> nav.navigate(Dest.HouseholdDetail(id)) },
            onCreate = { q, hamlet -> nav.navigate(Dest.HouseholdForm(q, hamlet, thenVisit = false)) },
        )
    }
    composable<Dest.Session> { entry ->
        val r = entry.toRoute<Dest.Session>()
        SessionDestination(kit, nav, entry, key = { it.draftKey(r.draftKey) }) { it.load() }
    }
    composable<Dest.CorrectSession> { entry ->
        val r = entry.toRoute<Dest.CorrectSession>()
        // A correction's draft is keyed by the session.
        SessionDestination(kit, nav, entry, key = { r.sessionId }) { it.loadCorrection(r.sessionId) }
    }
    composable<Dest.Feedback> { entry ->
        val r = entry.toRoute<Dest.Feedback>()
        val holder = rememberHolder { FeedbackViewModel(kit, it) }
        val vm = holder.value
        val slot = DraftSlot(DraftForm.FEEDBACK, holder.saved.draftKey(r.draftKey))
        vm.draftKey = slot.key
        LaunchedOnce(holder) { startForm(kit, holder, slot, load = { vm.start(r.source) }, fields = { vm.state.value.fields() }, restore = vm::restore) }
        val s by vm.state.collectAsState()
        KeepInput(kit, holder, slot, s, settled = { !it.busy && it.savedId == null }) { it.fields() }
        LaunchedEffect(s.savedId) { if (s.savedId != null) nav.leave(entry) }
        DraftProblem(holder) {
            FeedbackScreen(s, formActions(kit, nav, entry, holder, slot) { vm.submit() }, onCategory = vm::onCategory, onText = vm::onText)
        }
    }
}

/** A form's back, "Hủy" (the form and its kept draft thrown away, then back) and [save], in the NavHost. */
private fun formActions(kit: FieldKit, nav: NavHostController, entry: NavBackStackEntry, holder: Holder<*>, slot: DraftSlot, save: () -> Unit) =
    FormActions(onBack = { nav.leave(entry) }, onDiscard = { discardForm(kit, holder, slot); nav.leave(entry) }, onSave = save)

@Composable
private fun VisitDestination(
    kit: FieldKit, nav: NavHostController, platform: GoCuaPlatform, entry: androidx.navigation.NavBackStackEntry,
    slot: DraftSlot, load: (NewVisitViewModel) -> kotlinx.coroutines.Job,
) {
    val holder = rememberHolder { NewVisitViewModel(kit, it) }
    val vm = holder.value
    vm.draftKey = slot.key
    // Loaded once per entry: coming back from a guide keeps what was typed.
    LaunchedOnce(holder) { startForm(kit, holder, slot, load = { load(vm).join() }, fields = { vm.state.value.fields() }, restore = vm::restore) }
    val s by vm.state.collectAsState()
    KeepInput(kit, holder, slot, s, settled = { !it.busy && it.saved == null }) { it.fields() }
    LaunchedEffect(s.saved) { if (s.saved != null) nav.leave(entry) }
    val useLocation = platform.rememberLocationAction { fix -> vm.onGps(fix) }
    DraftProblem(holder) {
        NewVisitScreen(
            s, formActions(kit, nav, entry, holder, slot) { vm.submit() }, onOutcome = vm::onOutcome, onPeopleReached = vm::onPeopleReached,
            onAddService = vm::addService, onRemoveService = vm::removeService, onResult = vm::onResult, onLevel42 = vm::onLevel42,
            onDossierCode = vm::onDossierCode, onReason = vm::onReason, onFollowUp = vm::onFollowUp, onNote = vm::onNote, onConsent = vm::onConsent,
            onUseLocation = useLocation, onOpenGuide = { nav.navigate(Dest.ServiceGuide(it)) },
        )
    }
}

@Composable
private fun SessionDestination(
    kit: FieldKit, nav: NavHostController, entry: androidx.navigation.NavBackStackEntry,
    key: (androidx.lifecycle.SavedStateHandle) -> String, load: (SessionViewModel) -> kotlinx.coroutines.Job,
) {
    val holder = rememberHolder { SessionViewModel(kit, it) }
    val vm = holder.value
    val slot = DraftSlot(DraftForm.SESSION, key(holder.saved))
    vm.draftKey = slot.key
    LaunchedOnce(holder) { startForm(kit, holder, slot, load = { load(vm).join() }, fields = { vm.state.value.fields() }, restore = vm::restore) }
    val s by vm.state.collectAsState()
    KeepInput(kit, holder, slot, s, settled = { !it.busy && it.savedId == null }) { it.fields() }
    LaunchedEffect(s.savedId) { if (s.savedId != null) nav.leave(entry) }
    DraftProblem(holder) {
        SessionScreen(
            s, formActions(kit, nav, entry, holder, slot) { vm.submit() }, onKind = vm::onKind, onArea = vm::onArea,
            onPlace = vm::onPlace, onHeldOn = vm::onHeldOn, onAttendees = vm::onAttendees, onMaterials = vm::onMaterials, onNote = vm::onNote,
        )
    }
}
