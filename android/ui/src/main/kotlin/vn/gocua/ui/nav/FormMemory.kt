package vn.gocua.ui.nav

import androidx.lifecycle.SavedStateHandle
import uniffi.gocua_ffi.FeedbackSource
import vn.gocua.fieldkit.drafts.DraftBody
import uniffi.gocua_ffi.assistResults
import uniffi.gocua_ffi.feedbackCategories
import uniffi.gocua_ffi.levels42
import uniffi.gocua_ffi.notFinishedReasons
import uniffi.gocua_ffi.sessionKinds
import uniffi.gocua_ffi.visitOutcomes
import vn.gocua.fieldkit.state.FeedbackState
import vn.gocua.fieldkit.state.FeedbackViewModel
import vn.gocua.fieldkit.state.HouseholdFormState
import vn.gocua.fieldkit.state.HouseholdFormViewModel
import vn.gocua.fieldkit.state.NewVisitState
import vn.gocua.fieldkit.state.NewVisitViewModel
import vn.gocua.fieldkit.state.SessionState
import vn.gocua.fieldkit.state.SessionViewModel

/*
 * What the volunteer typed in a form, as plain strings (vocabulary values by the core's own
 * `code()`): kept in its back-stack entry's SavedStateHandle (rotation, process death with saved
 * state) and, a moment after each change, in the core's draft table (an app kill: see
 * [FormDraft]). Put back into a new state holder from either. Only input is kept: lists, labels
 * and rules are the core's and are loaded again.
 */

typealias Fields = Map<String, String?>

private const val KEPT = "form.kept"
private const val SEP = "\u001F"

/** The fields kept in this entry, if any (so the holder is restored, not started fresh). */
val SavedStateHandle.keptFields: Fields? get() = get<String>(KEPT)?.let(DraftBody::decode)

fun SavedStateHandle.keep(fields: Fields) {
    this[KEPT] = DraftBody.encode(fields)
}

fun HouseholdFormState.fields(): Fields = mapOf(
    "commune" to communeCode, "hamlet" to hamletCode, "head" to headName, "address" to addressLine,
    "phone" to phone, "members" to members, "consent" to consent.toString(), "editing" to editing,
)

fun HouseholdFormViewModel.restore(f: Fields) {
    f["commune"]?.let(::onCommune)
    onHamlet(f["hamlet"])
    f["head"]?.let(::onHeadName)
    f["address"]?.let(::onAddress)
    f["phone"]?.let(::onPhone)
    f["members"]?.let(::onMembers)
    onConsent(f["consent"] == "true")
}

fun NewVisitState.fields(): Fields = mapOf(
    "householdId" to household?.id, "correcting" to correcting,
    "outcome" to outcome.code(), "people" to peopleReached, "followUp" to followUp, "note" to note,
    "consent" to consent.toString(),
    // One line per service: key, result, dossier code, reason, level (codes; empty when none).
    "assists" to assists.joinToString("\n") { a ->
        listOf(a.serviceKey, a.result.code(), a.dossierCode, a.reason?.code().orEmpty(), a.level42?.code().orEmpty()).joinToString(SEP)
    },
)

fun NewVisitViewModel.restore(f: Fields) {
    visitOutcomes().firstOrNull { it.code() == f["outcome"] }?.let(::onOutcome)
    f["people"]?.let(::onPeopleReached)
    f["followUp"]?.let(::onFollowUp)
    f["note"]?.let(::onNote)
    onConsent(f["consent"] == "true")
    // A correction starts with the visit's services: the kept list replaces them.
    repeat(state.value.assists.size) { removeService(0) }
    f["assists"]?.lines()?.filter { it.isNotBlank() }?.forEachIndexed { i, line ->
        val (key, result, dossier, reason, level) = line.split(SEP)
        addService(key)
        assistResults().firstOrNull { it.code() == result }?.let { onResult(i, it) }
        levels42().firstOrNull { it.code() == level }?.let { onLevel42(i, it) }
        notFinishedReasons().firstOrNull { it.code() == reason }?.let { onReason(i, it) }
        if (dossier.isNotEmpty()) onDossierCode(i, dossier)
    }
}

fun SessionState.fields(): Fields = mapOf(
    "kind" to kind.code(), "area" to areaCode, "place" to place, "heldOn" to heldOn,
    "attendees" to attendees, "materials" to materials, "note" to note, "correcting" to correcting,
)

fun SessionViewModel.restore(f: Fields) {
    sessionKinds().firstOrNull { it.code() == f["kind"] }?.let(::onKind)
    f["area"]?.let(::onArea)
    f["place"]?.let(::onPlace)
    f["heldOn"]?.let(::onHeldOn)
    f["attendees"]?.let(::onAttendees)
    f["materials"]?.let(::onMaterials)
    f["note"]?.let(::onNote)
}

fun FeedbackState.fields(): Fields {
    val about = source
    return mapOf(
        "category" to category?.code(), "text" to text,
        "visitId" to (about as? FeedbackSource.Visit)?.visitId, "sessionId" to (about as? FeedbackSource.Session)?.sessionId,
    )
}

fun FeedbackViewModel.restore(f: Fields) {
    feedbackCategories().firstOrNull { it.code() == f["category"] }?.let(::onCategory)
    f["text"]?.let(::onText)
}
