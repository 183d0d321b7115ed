package vn.gocua.fieldkit.state

import java.time.LocalDate
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.SessionDraft
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.parseTypedDay
import uniffi.gocua_protocol.SessionKind
import vn.gocua.fieldkit.FieldKit

data class SessionState(
    val areas: List<AreaView> = emptyList(),
    val kind: SessionKind = SessionKind.DoorToDoorDay,
    val areaCode: String = "",
    val place: String = "",
    /** A day as typed on paper ("25/11/2026"); the core reads it ([parseTypedDay]). */
    val heldOn: String = "",
    /** Digits as typed. */
    val attendees: String = "",
    /** Comma-separated as typed: "tờ rơi, pano". */
    val materials: String = "",
    val note: String = "",
    override val busy: Boolean = false,
    override val error: UiError? = null,
    val savedId: String? = null,
    /** Set when this form corrects a session the server refused (fixed from the queue). */
    val correcting: String? = null,
) : RecordFormState<SessionState> {
    override fun withStatus(busy: Boolean, error: UiError?) = copy(busy = busy, error = error)
}

/** Outreach session (buổi tuyên truyền, tư vấn): kind, place, date, attendees, materials. */
class SessionViewModel(
    private val kit: FieldKit,
    scope: CoroutineScope,
    /** Today in the deployment's calendar — the core's, whatever zone the phone is set to. */
    private val today: () -> LocalDate = { kit.profile.today() },
) : RecordFormHolder<SessionState>(SessionState(), scope, kit.io) {

    /** The key of this form's draft in the core (`saveDraft`): saving the record deletes that draft in the same transaction. */
    var draftKey: String? = null

    fun load(): Job = launch {
        core { kit.profile.teamAreas().let { c -> c + c.flatMap { kit.profile.childAreas(it.code) } } to today() }
            .onSuccess { (areas, day) ->
                val lang = kit.settings.settings.value.lang
                set { SessionState(areas = areas, areaCode = areas.firstOrNull()?.code.orEmpty(), heldOn = formatDay(day, lang)) }
            }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /** "Sửa" on a refused session: the form starts from the session as kept. */
    fun loadCorrection(sessionId: String): Job = launch {
        core {
            val areas = kit.profile.teamAreas().let { c -> c + c.flatMap { kit.profile.childAreas(it.code) } }
            areas to kit.profile.session(sessionId)
        }.onSuccess { (areas, d) ->
            val lang = kit.settings.settings.value.lang
            set {
                SessionState(
                    areas = areas, kind = d.kind, areaCode = d.areaCode, place = d.place, heldOn = formatDay(d.heldOn, lang),
                    attendees = d.attendees.toString(), materials = d.materials.joinToString(", "), note = d.note.orEmpty(),
                    correcting = sessionId,
                )
            }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
    }

    fun onKind(kind: SessionKind) = set { it.copy(kind = kind, error = null) }
    fun onArea(code: String) = set { it.copy(areaCode = code, error = null) }
    fun onPlace(s: String) = set { it.copy(place = s, error = null) }
    fun onHeldOn(s: String) = set { it.copy(heldOn = s, error = null) }
    /** Input handling only: digits typed, at most 6 (always a valid UInt; the core says how many are allowed). */
    fun onAttendees(s: String) = set { it.copy(attendees = s.filter(Char::isDigit).take(6), error = null) }
    fun onMaterials(s: String) = set { it.copy(materials = s, error = null) }
    fun onNote(s: String) = set { it.copy(note = s, error = null) }

    fun submit(): Job = launch {
        val s = current
        val day = parseTypedDay(s.heldOn)
        if (day == null) {
            set { it.copy(error = UiError.input("held_on", "Hãy nhập ngày tổ chức (ngày/tháng/năm).", "Enter the date held (day/month/year).")) }
            return@launch
        }
        // The draft's attendees is a number, and a session with nobody counted is not what was
        // meant when the field is left empty: ask for the number (the core checks its range).
        val attendees = s.attendees.toLongOrNull()
        if (attendees == null) {
            set { it.copy(error = UiError.input("attendees", "Hãy nhập số người tham dự.", "Enter the number of attendees.")) }
            return@launch
        }
        // Texts go as typed: the core tidies them and drops empty materials.
        val draft = SessionDraft(
            kind = s.kind, areaCode = s.areaCode, place = s.place, heldOn = day, attendees = attendees.toUInt(),
            materials = s.materials.split(',', ';'), note = s.note, draftKey = draftKey,
        )
        record(kit, { if (s.correcting != null) kit.profile.correctSession(s.correcting, draft) else kit.profile.recordSession(draft) }) {
            copy(savedId = it)
        }
    }
}
