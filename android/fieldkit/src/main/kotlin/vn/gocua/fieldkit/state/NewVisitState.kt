package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.AssistDraft
import uniffi.gocua_ffi.HouseholdDraft
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.ServiceView
import uniffi.gocua_ffi.VisitDraft
import uniffi.gocua_ffi.VisitView
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.text.Format
import vn.gocua.fieldkit.text.VietText

/** One service helped with, as the form holds it. */
data class AssistForm(
    val serviceKey: String,
    val level42: String? = null,
    val level43: String? = null,
    val result: String = "guided_only",
    val dossierCode: String = "",
    val reason: String? = null,
)

/** Where the location came from: only when the user agreed (the app asks for the permission). */
data class GpsFix(val lat: Double, val lon: Double, val accuracyM: Float)

data class NewVisitState(
    val household: HouseholdView? = null,
    val services: List<ServiceView> = emptyList(),
    val outcome: String = "met",
    val peopleReached: String = "1",
    val assists: List<AssistForm> = emptyList(),
    val followUp: String = "",
    val note: String = "",
    /** The household's consent to keep contact details (asked again at each visit). */
    val consent: Boolean = false,
    val gps: GpsFix? = null,
    /** Set when this form corrects an earlier visit (a new revision that supersedes it). */
    val correcting: String? = null,
    val startedAtMs: Long? = null,
    val busy: Boolean = false,
    val error: UiError? = null,
    val saved: VisitView? = null,
) {
    /** Services not finished need a reason; "submitted" needs a dossier code: the core says so, the form shows the fields. */
    fun needsReason(i: Int) = assists.getOrNull(i)?.result == "not_finished"
    fun needsDossier(i: Int) = assists.getOrNull(i)?.result == "submitted"
}

/**
 * New visit: outcome, people reached, services from the catalogue with level and result, the
 * reason when not finished, dossier code, follow-up date and consent. Every rule is the core's:
 * the draft goes to recordVisit and its problems come back by field name
 * ("assists[0].dossier_code"), which the screen shows next to that field.
 */
class NewVisitViewModel(
    private val kit: FieldKit,
    scope: CoroutineScope,
    private val clock: () -> Long = System::currentTimeMillis,
) : StateHolder<NewVisitState>(NewVisitState(), scope, kit.io) {

    fun load(householdId: String): Job = launch {
        core { kit.profile.household(householdId) to kit.profile.services() }
            .onSuccess { (h, services) ->
                set { NewVisitState(household = h, services = services, consent = h.consentGiven, startedAtMs = clock()) }
            }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /** A correction of [visitId]: the form starts from its latest revision. */
    fun loadCorrection(visitId: String): Job = launch {
        core {
            val v = kit.profile.visitRevisions(visitId).maxBy { it.revision }
            Triple(v, kit.profile.household(v.householdId), kit.profile.services())
        }.onSuccess { (v, h, services) ->
            set {
                NewVisitState(
                    household = h, services = services, consent = h.consentGiven, correcting = v.id,
                    outcome = v.outcome, peopleReached = v.peopleReached.toString(), note = v.note.orEmpty(),
                    followUp = v.followUpOn?.let(Format::isoDay).orEmpty(), startedAtMs = v.startedAtMs,
                    assists = v.assists.map { a ->
                        AssistForm(a.serviceKey, a.level42, a.level43, a.result, a.dossierCode.orEmpty(), a.notFinishedReason)
                    },
                )
            }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
    }

    fun onOutcome(code: String) = set {
        // Nobody reached when nobody was met; the core checks it too.
        val people = if (code == "met") it.peopleReached.ifEmpty { "1" } else "0"
        it.copy(outcome = code, peopleReached = people, error = null)
    }
    fun onPeopleReached(s: String) = set { it.copy(peopleReached = s.filter(Char::isDigit).take(3), error = null) }
    fun onFollowUp(s: String) = set { it.copy(followUp = s, error = null) }
    fun onNote(s: String) = set { it.copy(note = s, error = null) }
    fun onConsent(b: Boolean) = set { it.copy(consent = b, error = null) }
    fun onGps(fix: GpsFix?) = set { it.copy(gps = fix) }

    fun addService(key: String) = set { s ->
        val service = s.services.firstOrNull { it.key == key }
        s.copy(assists = s.assists + AssistForm(key, level42 = service?.level42, level43 = service?.level43), error = null)
    }
    fun removeService(i: Int) = set { it.copy(assists = it.assists.filterIndexed { j, _ -> j != i }, error = null) }
    fun onAssist(i: Int, change: (AssistForm) -> AssistForm) = set {
        it.copy(assists = it.assists.mapIndexed { j, a -> if (j == i) change(a) else a }, error = null)
    }
    fun onLevel42(i: Int, level: String) = onAssist(i) { it.copy(level42 = level) }
    fun onDossierCode(i: Int, code: String) = onAssist(i) { it.copy(dossierCode = code) }
    fun onReason(i: Int, reason: String) = onAssist(i) { it.copy(reason = reason) }
    fun onResult(i: Int, result: String) = onAssist(i) {
        it.copy(result = result, reason = if (result == "not_finished") it.reason else null,
            dossierCode = if (result == "submitted") it.dossierCode else "")
    }

    fun submit(): Job = launch {
        val s = current
        val h = s.household ?: return@launch
        val people = s.peopleReached.toIntOrNull()
        if (people == null || people > UShort.MAX_VALUE.toInt()) {
            set { it.copy(error = UiError.field("people_reached", "Hãy nhập số người được tuyên truyền.", "Enter the number of people reached.")) }
            return@launch
        }
        val followUp = Format.parseDay(s.followUp)
        if (s.followUp.isNotBlank() && followUp == null) {
            set { it.copy(error = UiError.field("follow_up_on", "Ngày hẹn lại không đúng dạng ngày/tháng/năm.", "The follow-up date is not a day/month/year date.")) }
            return@launch
        }
        val draft = VisitDraft(
            householdId = h.id,
            campaignId = null,
            startedAtMs = s.startedAtMs,
            endedAtMs = clock(),
            outcome = s.outcome,
            peopleReached = people.toUShort(),
            gpsLat = s.gps?.lat,
            gpsLon = s.gps?.lon,
            gpsAccuracyM = s.gps?.accuracyM,
            note = VietText.cleanOrNull(s.note),
            followUpOn = followUp,
            assists = s.assists.map {
                AssistDraft(
                    serviceKey = it.serviceKey, level43 = it.level43, level42 = it.level42, result = it.result,
                    dossierCode = VietText.cleanOrNull(it.dossierCode), notFinishedReason = it.reason,
                )
            },
        )
        set { it.copy(busy = true) }
        core {
            // Consent is the household's: a change is recorded first, so a refused change saves no visit.
            // Without consent the phone number may not be kept (the core refuses it), so it goes.
            if (s.consent != h.consentGiven && h.phone != null) {
                kit.profile.updateHousehold(
                    h.id,
                    HouseholdDraft(
                        communeCode = h.communeCode, hamletCode = h.hamletCode, addressLine = h.addressLine,
                        headName = h.headName, phone = if (s.consent) h.phone else null, members = h.members,
                        consentGiven = s.consent, consentMethod = "verbal",
                    ),
                )
            }
            if (s.correcting != null) kit.profile.correctVisit(s.correcting, draft) else kit.profile.recordVisit(draft)
        }.onSuccess { v -> set { it.copy(busy = false, saved = v, error = null) }; kit.requestSyncSoon() }
            .onFailure { e -> set { it.copy(busy = false, error = e.ui) } }
    }
}
