package vn.gocua.app

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.content.pm.PackageManager
import android.widget.Toast
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalContext
import androidx.core.content.ContextCompat
import kotlinx.coroutines.launch
import uniffi.gocua_ffi.GpsFix
import vn.gocua.ui.nav.GoCuaPlatform

/** What only the phone does for the ui module's navigation: the QR scanner, location with its permission, the dialer. */
class AppPlatform(private val context: Context) : GoCuaPlatform {
    override fun scanEnrolQr(onPayload: (String) -> Unit) {
        // QrScan.kt's function (same name as this method).
        vn.gocua.app.scanEnrolQr(context, onPayload = onPayload, onUnavailable = {
            Toast.makeText(context, "Không mở được máy quét; hãy nhập mã. / Scanner unavailable; type the code.", Toast.LENGTH_LONG).show()
        })
    }

    override fun dial(number: String) {
        // ACTION_DIAL: the dialer opens with the number; the volunteer presses call (no CALL_PHONE permission).
        val intent = Intent(Intent.ACTION_DIAL, Uri.fromParts("tel", number, null)).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
        try {
            context.startActivity(intent)
        } catch (_: ActivityNotFoundException) {
            // A tablet without telephony.
            Toast.makeText(context, "Máy này không gọi điện được. / This device cannot make calls.", Toast.LENGTH_LONG).show()
        }
    }

    @Composable
    override fun rememberLocationAction(onFix: (GpsFix?) -> Unit): () -> Unit {
        val context = LocalContext.current
        val scope = rememberCoroutineScope()
        var asked by rememberSaveable { mutableStateOf(false) }
        val permission = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { granted ->
            if (granted.values.any { it }) scope.launch { onFix(currentFix(context)) }
        }
        return remember(context) {
            {
                // Location only when the volunteer asks for it, and the system asks them first.
                val has = MainActivity.LOCATION_PERMISSIONS.any { ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED }
                if (has) {
                    scope.launch { onFix(currentFix(context)) }
                } else if (!asked) {
                    asked = true
                    permission.launch(MainActivity.LOCATION_PERMISSIONS)
                }
            }
        }
    }
}
