package vn.gocua.app

import android.Manifest
import android.os.Build
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.navigation.compose.rememberNavController
import kotlinx.coroutines.flow.first
import vn.gocua.fieldkit.FieldKit
import vn.gocua.ui.nav.Dest
import vn.gocua.ui.nav.GoCuaNavHost
import vn.gocua.ui.theme.GoCuaTheme

class MainActivity : ComponentActivity() {
    /** An enrolment link (gocua://enrol?…) the activity was opened with. */
    private val enrolLink = mutableStateOf<String?>(null)
    /** Opened from the "records need your attention" notification: show the queue tab. */
    private val openQueue = mutableStateOf(false)
    private val platform by lazy { AppPlatform(this) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        enrolLink.value = intent?.data?.toString()
        openQueue.value = Notifications.opensQueue(intent)
        // Android 13+: ask once for notifications (records waiting over a day or refused).
        if (Build.VERSION.SDK_INT >= 33 && !Notifications.allowed(this)) {
            requestPermissions(arrayOf(Manifest.permission.POST_NOTIFICATIONS), 0)
        }
        setContent {
            val app = application as GoCuaApp
            val kit by produceState<FieldKit?>(null) { value = app.kit() }
            val k = kit
            if (k == null) {
                Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
            } else {
                val settings by k.settings.settings.collectAsState()
                GoCuaTheme(dark = isSystemInDarkTheme(), lang = settings.lang) {
                    Box(Modifier.fillMaxSize().safeDrawingPadding()) {
                        // Navigation, back stack and screens live in the ui module (tested on the JVM).
                        val nav = rememberNavController()
                        GoCuaNavHost(k, platform, enrolLink.value, nav)
                        val queue by openQueue
                        LaunchedEffect(queue) {
                            if (queue) {
                                nav.currentBackStackEntryFlow.first() // the graph is set (enrolled)
                                nav.popBackStack<Dest.Today>(inclusive = false)
                                nav.navigate(Dest.Queue)
                                openQueue.value = false
                            }
                        }
                    }
                }
            }
        }
    }

    override fun onNewIntent(intent: android.content.Intent) {
        super.onNewIntent(intent)
        enrolLink.value = intent.data?.toString()
        if (Notifications.opensQueue(intent)) openQueue.value = true
    }

    companion object {
        val LOCATION_PERMISSIONS = arrayOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION)
    }
}
