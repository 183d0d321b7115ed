package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.ConsentDraft
import uniffi.gocua_ffi.HouseholdDraft
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_protocol.ConsentMethod
import vn.gocua.fieldkit.FieldKit

data class HouseholdFormState(
    val communes: List<AreaView> = emptyList(),
    val hamlets: List<AreaView> = emptyList(),
    val communeCode: String = "",
    val hamletCode: String? = null,
    val headName: String = "",
    val addressLine: String = "",
    val phone: String = "",
    /** Digits as typed; the core says how many are allowed. */
    val members: String = "1",
    /** Consent to keep the phone number; asked only when a phone number is given. */
    val consent: Boolean = false,
    override val busy: Boolean = false,
    override val error: UiError? = null,
    val saved: HouseholdView? = null,
    /** Set when this form edits a household already kept ("Sửa thông tin hộ"). */
    val editing: String? = null,
) : RecordFormState<HouseholdFormState> {
    override fun withStatus(busy: Boolean, error: UiError?) = copy(busy = busy, error = error)

    val hamletsOfCommune: List<AreaView> get() = hamlets.filter { it.parentCode == communeCode }

    /** The consent question is on screen (a phone number was typed). */
    val asksConsent: Boolean get() = phone.isNotBlank()
}

/** A new household, when the search did not find it ("find or create"); or one kept, edited. */
class HouseholdFormViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    RecordFormHolder<HouseholdFormState>(HouseholdFormState(), scope, kit.io) {

    /** The key of this form's draft in the core (`saveDraft`): saving the record deletes that draft in the same transaction. */
    var draftKey: String? = null

    /** [headName]: what the user typed in the search box, to save typing it twice. */
    fun load(headName: String = "", hamletCode: String? = null): Job = launch {
        core {
            val communes = kit.profile.teamAreas()
            communes to communes.flatMap { kit.profile.childAreas(it.code) }
        }.onSuccess { (communes, hamlets) ->
            val hamlet = hamlets.firstOrNull { it.code == hamletCode }
            set {
                it.copy(
                    communes = communes, hamlets = hamlets, headName = headName,
                    communeCode = hamlet?.parentCode ?: communes.firstOrNull()?.code.orEmpty(),
                    hamletCode = hamlet?.code,
                )
            }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /** "Sửa thông tin hộ": the form starts from the household as kept. */
    fun loadForEdit(householdId: String): Job = launch {
        core {
            val communes = kit.profile.teamAreas()
            Triple(communes, communes.flatMap { kit.profile.childAreas(it.code) }, kit.profile.household(householdId))
        }.onSuccess { (communes, hamlets, h) ->
            set {
                HouseholdFormState(
                    communes = communes, hamlets = hamlets, communeCode = h.communeCode, hamletCode = h.hamletCode,
                    headName = h.headName, addressLine = h.addressLine, phone = h.phone.orEmpty(),
                    members = h.members.toString(), consent = h.consentGiven, editing = h.id,
                )
            }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
    }

    fun onCommune(code: String) = set { it.copy(communeCode = code, hamletCode = null, error = null) }
    fun onHamlet(code: String?) = set { it.copy(hamletCode = code, error = null) }
    fun onHeadName(s: String) = set { it.copy(headName = s, error = null) }
    fun onAddress(s: String) = set { it.copy(addressLine = s, error = null) }
    fun onPhone(s: String) = set { it.copy(phone = s, error = null) }
    /** Input handling only: a number field keeps the digits typed (at most 3, always a valid UShort). */
    fun onMembers(s: String) = set { it.copy(members = s.filter(Char::isDigit).take(3), error = null) }
    fun onConsent(b: Boolean) = set { it.copy(consent = b, error = null) }

    fun submit(): Job = launch {
        val s = current
        // Texts go as typed: the core tidies them (NFC, spaces) and validates. An empty number
        // field is 0, which the core refuses with its own message on `members`.
        val draft = HouseholdDraft(
            communeCode = s.communeCode,
            hamletCode = s.hamletCode,
            addressLine = s.addressLine,
            headName = s.headName,
            phone = s.phone,
            members = (s.members.toIntOrNull() ?: 0).toUShort(),
            consent = if (s.asksConsent) ConsentDraft(given = s.consent, method = ConsentMethod.Verbal) else null,
            draftKey = draftKey,
        )
        record(kit, { if (s.editing != null) kit.profile.updateHousehold(s.editing, draft) else kit.profile.createHousehold(draft) }) {
            copy(saved = it)
        }
    }
}
