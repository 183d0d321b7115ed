package vn.gocua.ui.nav

import androidx.compose.runtime.Composable
import uniffi.gocua_ffi.GpsFix

/**
 * What only the phone can do, provided by the app module (camera, permissions, location), so
 * that navigation and screens stay platform-neutral and run on the desktop JVM in tests.
 */
interface GoCuaPlatform {
    /** Opens the QR scanner; [onPayload] gets what it read (a `gocua://enrol` link). */
    fun scanEnrolQr(onPayload: (String) -> Unit)

    /**
     * The visit form's "Lấy vị trí" action: asks for the permission when needed, then hands
     * [onFix] a fix (or null). Composable, since asking for a permission is.
     */
    @Composable
    fun rememberLocationAction(onFix: (GpsFix?) -> Unit): () -> Unit

    /**
     * "Gọi" on a household's phone number: opens the phone's dialer with [number] filled in (the
     * volunteer presses call there; no permission needed). Nothing on the desktop JVM.
     */
    fun dial(number: String) {}

    /** No camera, no location: the desktop JVM (tests) and previews. */
    object None : GoCuaPlatform {
        override fun scanEnrolQr(onPayload: (String) -> Unit) = Unit

        @Composable
        override fun rememberLocationAction(onFix: (GpsFix?) -> Unit): () -> Unit = {}
    }
}
