package vn.gocua.fieldkit.state

import java.net.URI
import java.net.URLDecoder
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.ProfileView
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.text.VietText

data class EnrolState(
    val serverUrl: String = "",
    val code: String = "",
    val busy: Boolean = false,
    val error: UiError? = null,
    val enrolled: ProfileView? = null,
)

/** What an enrolment QR code carries (`gocua admin enrol-code` prints it): server and one-time code. */
data class EnrolLink(val serverUrl: String, val code: String) {
    companion object {
        /** "gocua://enrol?server=https://…&code=ABCD-1234" → EnrolLink; anything else → null. */
        fun parse(payload: String): EnrolLink? {
            val uri = runCatching { URI(payload.trim()) }.getOrNull() ?: return null
            if (uri.scheme != "gocua" || uri.host != "enrol") return null
            val params = (uri.rawQuery ?: return null).split('&').mapNotNull {
                val i = it.indexOf('=')
                if (i <= 0) null else it.substring(0, i) to URLDecoder.decode(it.substring(i + 1), "UTF-8")
            }.toMap()
            val server = params["server"]?.takeIf { it.isNotBlank() } ?: return null
            val code = params["code"]?.takeIf { it.isNotBlank() } ?: return null
            return EnrolLink(server, code)
        }
    }
}

/** Enrol: scan the coordinator's QR code or type the server address and the code. */
class EnrolViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<EnrolState>(EnrolState(), scope, kit.io) {

    fun onServerUrl(s: String) = set { it.copy(serverUrl = s, error = null) }
    fun onCode(s: String) = set { it.copy(code = s.uppercase(), error = null) }

    /** A scanned QR code: fills both fields and enrols at once. */
    fun onScanned(payload: String): Job? {
        val link = EnrolLink.parse(payload)
        if (link == null) {
            set { it.copy(error = UiError.field("code", "Mã QR này không phải mã ghi danh Gõ Cửa.", "This QR code is not a Gõ Cửa enrolment code.")) }
            return null
        }
        set { it.copy(serverUrl = link.serverUrl, code = link.code, error = null) }
        return submit()
    }

    fun submit(): Job = launch {
        val s = current
        if (s.serverUrl.isBlank()) {
            set { it.copy(error = UiError.field("server_url", "Hãy nhập địa chỉ máy chủ.", "Enter the server address.")) }
            return@launch
        }
        set { it.copy(busy = true, error = null) }
        core { kit.profile.enrol(VietText.clean(s.serverUrl), VietText.clean(s.code), kit.deviceLabel, kit.appVersion) }
            .onSuccess { p ->
                set { it.copy(busy = false, enrolled = p) }
                kit.planBackgroundSync()
            }
            .onFailure { e -> set { it.copy(busy = false, error = e.ui) } }
    }
}
