package vn.gocua.fieldkit.state

import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.AssistDraft
import uniffi.gocua_ffi.ConsentDraft
import uniffi.gocua_ffi.GpsFix
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.ServiceView
import uniffi.gocua_ffi.VisitDraft
import uniffi.gocua_ffi.VisitView
import uniffi.gocua_ffi.assistNeedsDossierCode
import uniffi.gocua_ffi.assistNeedsReason
import uniffi.gocua_ffi.defaultPeopleReached
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.parseTypedDay
import uniffi.gocua_ffi.visitAllowsAssists
import uniffi.gocua_ffi.visitReachesPeople
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.ConsentMethod
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.Level43
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.FieldKit

/** One service helped with, as the form holds it. */
data class AssistForm(
    val serviceKey: String,
    val level42: Level42? = null,
    val level43: Level43? = null,
    val result: AssistResult = AssistResult.GuidedOnly,
    val dossierCode: String = "",
    val reason: NotFinishedReason? = null,
) {
    /** The core says which results need a dossier code or a reason; the form shows those fields. */
    val needsDossierCode: Boolean get() = assistNeedsDossierCode(result)
    val needsReason: Boolean get() = assistNeedsReason(result)
}

data class NewVisitState(
    val household: HouseholdView? = null,
    val services: List<ServiceView> = emptyList(),
    val outcome: VisitOutcome = VisitOutcome.Met,
    /** Digits as typed; [NewVisitViewModel.load] starts it at the core's `defaultPeopleReached`. */
    val peopleReached: String = "",
    val assists: List<AssistForm> = emptyList(),
    /** A day as typed on paper ("30/11/2026"); the core reads it ([parseTypedDay]). */
    val followUp: String = "",
    val note: String = "",
    /** The household's consent to keep contact details (asked again at each visit). */
    val consent: Boolean = false,
    val gps: GpsFix? = null,
    /** Set when this form corrects an earlier visit (a new revision that supersedes it). */
    val correcting: String? = null,
    val startedAt: Instant? = null,
    override val busy: Boolean = false,
    override val error: UiError? = null,
    val saved: VisitView? = null,
    /** The services with a guide on this phone: their cards offer "Hướng dẫn". */
    val guideKeys: Set<String> = emptySet(),
) : RecordFormState<NewVisitState> {
    override fun withStatus(busy: Boolean, error: UiError?) = copy(busy = busy, error = error)

    /** Whether services can be recorded with this outcome (the core's rule: only when met). */
    val allowsAssists: Boolean get() = visitAllowsAssists(outcome)

    /** The consent question is on screen: the household has a phone number to keep or drop. */
    val asksConsent: Boolean get() = household?.phone != null
}

/**
 * New visit: outcome, people reached, services from the catalogue with level and result, the
 * reason when not finished, dossier code, follow-up date and consent. Every rule is the core's:
 * the draft goes to recordVisit and its problems come back by field name
 * ("assists[0].dossier_code"), which the screen shows next to that field. A change of consent
 * goes with the visit, in the same call (and the same transaction in the core).
 */
class NewVisitViewModel(
    private val kit: FieldKit,
    scope: CoroutineScope,
    /** "Now", for when the visit started and ended; the core decides what day that is. */
    private val clock: () -> Instant = Instant::now,
) : RecordFormHolder<NewVisitState>(NewVisitState(), scope, kit.io) {

    /** The key of this form's draft in the core (`saveDraft`): saving the record deletes that draft in the same transaction. */
    var draftKey: String? = null

    fun load(householdId: String): Job = launch {
        core { Triple(kit.profile.household(householdId), kit.profile.services(), kit.profile.guideServiceKeys().toSet()) }
            .onSuccess { (h, services, guides) ->
                val fresh = NewVisitState(household = h, services = services, consent = h.consentGiven, startedAt = clock(), guideKeys = guides)
                set { fresh.copy(peopleReached = defaultPeopleReached(fresh.outcome).toString()) }
            }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /** A correction of [visitId]: the form starts from its latest revision. */
    fun loadCorrection(visitId: String): Job = launch {
        core {
            val v = kit.profile.visitRevisions(visitId).maxBy { it.revision }
            Triple(v, kit.profile.household(v.householdId), kit.profile.services() to kit.profile.guideServiceKeys().toSet())
        }.onSuccess { (v, h, catalogue) ->
            val (services, guides) = catalogue
            val lang = kit.settings.settings.value.lang
            set {
                NewVisitState(
                    household = h, services = services, consent = h.consentGiven, correcting = v.id, guideKeys = guides,
                    outcome = v.outcome, peopleReached = v.peopleReached.toString(), note = v.note.orEmpty(),
                    followUp = v.followUpOn?.let { formatDay(it, lang) }.orEmpty(), startedAt = v.startedAt, gps = v.gps,
                    assists = v.assists.map { a ->
                        AssistForm(a.serviceKey, a.level42, a.level43, a.result, a.dossierCode.orEmpty(), a.notFinishedReason)
                    },
                )
            }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
    }

    fun onOutcome(outcome: VisitOutcome) = set {
        // What the core says an outcome starts with: 0 people unless the household was met. A
        // number typed for a met household is kept.
        val typed = it.peopleReached.toIntOrNull() ?: 0
        val people = if (visitReachesPeople(outcome) && typed > 0) it.peopleReached else defaultPeopleReached(outcome).toString()
        it.copy(outcome = outcome, peopleReached = people, error = null)
    }
    /** Input handling only: digits typed, at most 3 (always a valid UShort; the core says how many are allowed). */
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
    fun onLevel42(i: Int, level: Level42) = onAssist(i) { it.copy(level42 = level) }
    fun onDossierCode(i: Int, code: String) = onAssist(i) { it.copy(dossierCode = code) }
    fun onReason(i: Int, reason: NotFinishedReason) = onAssist(i) { it.copy(reason = reason) }
    fun onResult(i: Int, result: AssistResult) = onAssist(i) {
        // A field the new result does not ask for is cleared, so it is not sent hidden.
        it.copy(
            result = result,
            reason = if (assistNeedsReason(result)) it.reason else null,
            dossierCode = if (assistNeedsDossierCode(result)) it.dossierCode else "",
        )
    }

    fun submit(): Job = launch {
        val s = current
        val h = s.household ?: return@launch
        val followUp = parseTypedDay(s.followUp)
        if (s.followUp.isNotBlank() && followUp == null) {
            set { it.copy(error = UiError.input("follow_up_on", "Không đọc được ngày này; hãy viết ngày/tháng/năm, ví dụ 30/11/2026.", "Cannot read this date; write day/month/year, e.g. 30/11/2026.")) }
            return@launch
        }
        // Texts go as typed (the core tidies them); an empty number is 0, which the core checks
        // against the outcome with its own message on `people_reached`.
        val draft = VisitDraft(
            householdId = h.id,
            outcome = s.outcome,
            peopleReached = (s.peopleReached.toIntOrNull() ?: 0).toUShort(),
            startedAt = s.startedAt,
            endedAt = clock(),
            gps = s.gps,
            note = s.note,
            followUpOn = followUp,
            assists = s.assists.map {
                AssistDraft(
                    serviceKey = it.serviceKey, result = it.result, dossierCode = it.dossierCode,
                    notFinishedReason = it.reason, level43 = it.level43, level42 = it.level42,
                )
            },
            // The consent asked at this visit goes with it: the core records a change of the
            // household's consent (and drops the phone number when it is withdrawn) in the same
            // transaction as the visit, or neither.
            consent = if (s.asksConsent) ConsentDraft(given = s.consent, method = ConsentMethod.Verbal) else null,
            draftKey = draftKey,
        )
        record(kit, { if (s.correcting != null) kit.profile.correctVisit(s.correcting, draft) else kit.profile.recordVisit(draft) }) {
            copy(saved = it)
        }
    }
}
