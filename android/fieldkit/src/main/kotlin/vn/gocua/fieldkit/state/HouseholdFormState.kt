package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.HouseholdDraft
import uniffi.gocua_ffi.HouseholdView
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.text.VietText

data class HouseholdFormState(
    val communes: List<AreaView> = emptyList(),
    val hamlets: List<AreaView> = emptyList(),
    val communeCode: String = "",
    val hamletCode: String? = null,
    val headName: String = "",
    val addressLine: String = "",
    val phone: String = "",
    val members: String = "1",
    /** Consent to keep the phone number; asked only when a phone number is given. */
    val consent: Boolean = false,
    val busy: Boolean = false,
    val error: UiError? = null,
    val saved: HouseholdView? = null,
) {
    val hamletsOfCommune: List<AreaView> get() = hamlets.filter { it.parentCode == communeCode }
}

/** A new household, when the search did not find it ("find or create"). */
class HouseholdFormViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<HouseholdFormState>(HouseholdFormState(), scope, kit.io) {

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

    fun onCommune(code: String) = set { it.copy(communeCode = code, hamletCode = null, error = null) }
    fun onHamlet(code: String?) = set { it.copy(hamletCode = code, error = null) }
    fun onHeadName(s: String) = set { it.copy(headName = s, error = null) }
    fun onAddress(s: String) = set { it.copy(addressLine = s, error = null) }
    fun onPhone(s: String) = set { it.copy(phone = s, error = null) }
    fun onMembers(s: String) = set { it.copy(members = s.filter(Char::isDigit).take(3), error = null) }
    fun onConsent(b: Boolean) = set { it.copy(consent = b, error = null) }

    fun submit(): Job = launch {
        val s = current
        val members = s.members.toIntOrNull()
        if (members == null || members > UShort.MAX_VALUE.toInt()) {
            set { it.copy(error = UiError.field("members", "Hãy nhập số người trong hộ.", "Enter the number of people in the household.")) }
            return@launch
        }
        val phone = VietText.cleanOrNull(s.phone)
        val draft = HouseholdDraft(
            communeCode = s.communeCode,
            hamletCode = s.hamletCode,
            addressLine = VietText.clean(s.addressLine),
            headName = VietText.clean(s.headName),
            phone = phone,
            members = members.toUShort(),
            consentGiven = if (phone != null) s.consent else null,
            consentMethod = if (phone != null && s.consent) "verbal" else null,
        )
        set { it.copy(busy = true) }
        core { kit.profile.createHousehold(draft) }
            .onSuccess { h -> set { it.copy(busy = false, saved = h, error = null) }; kit.requestSyncSoon() }
            .onFailure { e -> set { it.copy(busy = false, error = e.ui) } }
    }
}
