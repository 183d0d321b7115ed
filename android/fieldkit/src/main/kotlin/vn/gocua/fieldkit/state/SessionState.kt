package vn.gocua.fieldkit.state

import java.time.LocalDate
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.SessionDraft
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.text.Format
import vn.gocua.fieldkit.text.VietText

data class SessionState(
    val areas: List<AreaView> = emptyList(),
    val kind: String = "door_to_door_day",
    val areaCode: String = "",
    val place: String = "",
    val heldOn: String = "",
    val attendees: String = "",
    /** Comma-separated as typed: "tờ rơi, pano". */
    val materials: String = "",
    val note: String = "",
    val busy: Boolean = false,
    val error: UiError? = null,
    val savedId: String? = null,
)

/** Outreach session (buổi tuyên truyền, tư vấn): kind, place, date, attendees, materials. */
class SessionViewModel(
    private val kit: FieldKit,
    scope: CoroutineScope,
    private val today: () -> LocalDate = { LocalDate.now(Format.VIETNAM) },
) : StateHolder<SessionState>(SessionState(), scope, kit.io) {

    fun load(): Job = launch {
        core { kit.profile.teamAreas().let { c -> c + c.flatMap { kit.profile.childAreas(it.code) } } }
            .onSuccess { areas ->
                set { SessionState(areas = areas, areaCode = areas.firstOrNull()?.code.orEmpty(), heldOn = Format.day(today())) }
            }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    fun onKind(code: String) = set { it.copy(kind = code, error = null) }
    fun onArea(code: String) = set { it.copy(areaCode = code, error = null) }
    fun onPlace(s: String) = set { it.copy(place = s, error = null) }
    fun onHeldOn(s: String) = set { it.copy(heldOn = s, error = null) }
    fun onAttendees(s: String) = set { it.copy(attendees = s.filter(Char::isDigit).take(6), error = null) }
    fun onMaterials(s: String) = set { it.copy(materials = s, error = null) }
    fun onNote(s: String) = set { it.copy(note = s, error = null) }

    fun submit(): Job = launch {
        val s = current
        val day = Format.parseDay(s.heldOn)
        if (day == null) {
            set { it.copy(error = UiError.field("held_on", "Hãy nhập ngày tổ chức (ngày/tháng/năm).", "Enter the date held (day/month/year).")) }
            return@launch
        }
        val attendees = s.attendees.toLongOrNull()
        if (attendees == null || attendees > UInt.MAX_VALUE.toLong()) {
            set { it.copy(error = UiError.field("attendees", "Hãy nhập số người tham dự.", "Enter the number of attendees.")) }
            return@launch
        }
        val draft = SessionDraft(
            campaignId = null, kind = s.kind, areaCode = s.areaCode, place = VietText.clean(s.place), heldOn = day,
            attendees = attendees.toUInt(), materials = s.materials.split(',', ';').mapNotNull(VietText::cleanOrNull),
            note = VietText.cleanOrNull(s.note),
        )
        set { it.copy(busy = true) }
        core { kit.profile.recordSession(draft) }
            .onSuccess { id -> set { it.copy(busy = false, savedId = id, error = null) }; kit.requestSyncSoon() }
            .onFailure { e -> set { it.copy(busy = false, error = e.ui) } }
    }
}
