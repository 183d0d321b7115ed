package vn.gocua.app

import android.annotation.SuppressLint
import android.content.Context
import android.location.Location
import android.location.LocationManager
import android.os.Build
import android.os.CancellationSignal
import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withTimeoutOrNull
import uniffi.gocua_ffi.GpsFix

/**
 * One location fix for a visit, only after the user tapped "add location" and granted the
 * permission (the caller checks). The platform's LocationManager: no Play services needed.
 */
@SuppressLint("MissingPermission")
suspend fun currentFix(context: Context): GpsFix? {
    val lm = context.getSystemService(LocationManager::class.java)
    val provider = listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER).firstOrNull { lm.isProviderEnabled(it) } ?: return null
    val loc: Location? = if (Build.VERSION.SDK_INT >= 30) {
        withTimeoutOrNull(30_000) {
            suspendCancellableCoroutine { cont ->
                val cancel = CancellationSignal()
                cont.invokeOnCancellation { cancel.cancel() }
                lm.getCurrentLocation(provider, cancel, context.mainExecutor) { cont.resume(it) }
            }
        }
    } else {
        lm.getLastKnownLocation(provider)
    }
    return loc?.let { GpsFix(lat = it.latitude, lon = it.longitude, accuracyM = it.accuracy) }
}
