package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.ProfileView
import uniffi.gocua_ffi.checkEnrolInput
import uniffi.gocua_ffi.parseEnrolLink
import vn.gocua.fieldkit.FieldKit

data class EnrolState(
    val serverUrl: String = "",
    val code: String = "",
    val busy: Boolean = false,
    val error: UiError? = null,
    val enrolled: ProfileView? = null,
)

/**
 * Enrol: scan the coordinator's QR code (`gocua://enrol?server=…&code=…`) or type the server
 * address and the code. Reading the QR code and checking what was typed are the core's
 * ([parseEnrolLink], [checkEnrolInput]); its problems name the field (`enrol_link`, `server_url`,
 * `code`).
 */
class EnrolViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<EnrolState>(EnrolState(), scope, kit.io) {

    fun onServerUrl(s: String) = set { it.copy(serverUrl = s, error = null) }
    fun onCode(s: String) = set { it.copy(code = s, error = null) }

    /** A scanned QR code: fills both fields and enrols at once; a foreign code is the core's problem. */
    fun onScanned(payload: String): Job? {
        val link = try {
            parseEnrolLink(payload)
        } catch (e: FieldKitException) {
            set { it.copy(error = UiError.of(e)) }
            return null
        }
        set { it.copy(serverUrl = link.serverUrl, code = link.code, error = null) }
        return submit()
    }

    fun submit(): Job = launch {
        val s = current
        val link = try {
            checkEnrolInput(s.serverUrl, s.code)
        } catch (e: FieldKitException) {
            set { it.copy(error = UiError.of(e)) }
            return@launch
        }
        // The fields show what the core will use (address without a trailing "/", code in capitals).
        set { it.copy(serverUrl = link.serverUrl, code = link.code, busy = true, error = null) }
        core { kit.profile.enrol(link.serverUrl, link.code, kit.deviceLabel, kit.appVersion) }
            .onSuccess { p ->
                set { it.copy(busy = false, enrolled = p) }
                kit.planBackgroundSync()
            }
            .onFailure { e -> set { it.copy(busy = false, error = e.ui) } }
    }
}
