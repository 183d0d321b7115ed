package vn.gocua.ui.nav

import androidx.lifecycle.SavedStateHandle
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
 * What the volunteer typed in a form, kept in its back-stack entry's SavedStateHandle as plain
 * strings (vocabulary values by the core's own `code()`), and put back into a new state holder
 * after the process was killed. Only input is kept: lists, labels and rules are the core's and
 * are loaded again. (The draft table in the core would also survive an app kill.)
 */

private const val KEPT = "form.kept"
private const val SEP = "\u001F"

private fun SavedStateHandle.put(fields: Map<String, String?>) {
    fields.forEach { (k, v) -> this["form.$k"] = v }
    this[KEPT] = true
}

private fun SavedStateHandle.str(k: String): String? = get<String>("form.$k")

/** Whether a form's input was kept in this entry (so the holder is restored, not started fresh). */
val SavedStateHandle.hasKeptForm: Boolean get() = get<Boolean>(KEPT) == true

fun SavedStateHandle.keep(s: HouseholdFormState) = put(
    mapOf(
        "commune" to s.communeCode, "hamlet" to s.hamletCode, "head" to s.headName, "address" to s.addressLine,
        "phone" to s.phone, "members" to s.members, "consent" to s.consent.toString(),
    ),
)

fun SavedStateHandle.restoreInto(vm: HouseholdFormViewModel) {
    if (!hasKeptForm) return
    str("commune")?.let(vm::onCommune)
    vm.onHamlet(str("hamlet"))
    str("head")?.let(vm::onHeadName)
    str("address")?.let(vm::onAddress)
    str("phone")?.let(vm::onPhone)
    str("members")?.let(vm::onMembers)
    vm.onConsent(str("consent") == "true")
}

fun SavedStateHandle.keep(s: NewVisitState) = put(
    mapOf(
        "outcome" to s.outcome.code(), "people" to s.peopleReached, "followUp" to s.followUp, "note" to s.note,
        "consent" to s.consent.toString(),
        // One line per service: key, result, dossier code, reason, level (codes; empty when none).
        "assists" to s.assists.joinToString("\n") { a ->
            listOf(a.serviceKey, a.result.code(), a.dossierCode, a.reason?.code().orEmpty(), a.level42?.code().orEmpty()).joinToString(SEP)
        },
    ),
)

fun SavedStateHandle.restoreInto(vm: NewVisitViewModel) {
    if (!hasKeptForm) return
    visitOutcomes().firstOrNull { it.code() == str("outcome") }?.let(vm::onOutcome)
    str("people")?.let(vm::onPeopleReached)
    str("followUp")?.let(vm::onFollowUp)
    str("note")?.let(vm::onNote)
    vm.onConsent(str("consent") == "true")
    str("assists")?.lines()?.filter { it.isNotBlank() }?.forEachIndexed { i, line ->
        val (key, result, dossier, reason, level) = line.split(SEP)
        vm.addService(key)
        assistResults().firstOrNull { it.code() == result }?.let { vm.onResult(i, it) }
        levels42().firstOrNull { it.code() == level }?.let { vm.onLevel42(i, it) }
        notFinishedReasons().firstOrNull { it.code() == reason }?.let { vm.onReason(i, it) }
        if (dossier.isNotEmpty()) vm.onDossierCode(i, dossier)
    }
}

fun SavedStateHandle.keep(s: SessionState) = put(
    mapOf(
        "kind" to s.kind.code(), "area" to s.areaCode, "place" to s.place, "heldOn" to s.heldOn,
        "attendees" to s.attendees, "materials" to s.materials, "note" to s.note,
    ),
)

fun SavedStateHandle.restoreInto(vm: SessionViewModel) {
    if (!hasKeptForm) return
    sessionKinds().firstOrNull { it.code() == str("kind") }?.let(vm::onKind)
    str("area")?.let(vm::onArea)
    str("place")?.let(vm::onPlace)
    str("heldOn")?.let(vm::onHeldOn)
    str("attendees")?.let(vm::onAttendees)
    str("materials")?.let(vm::onMaterials)
    str("note")?.let(vm::onNote)
}

fun SavedStateHandle.keep(s: FeedbackState) = put(mapOf("category" to s.category?.code(), "text" to s.text))

fun SavedStateHandle.restoreInto(vm: FeedbackViewModel) {
    if (!hasKeptForm) return
    feedbackCategories().firstOrNull { it.code() == str("category") }?.let(vm::onCategory)
    str("text")?.let(vm::onText)
}
