package vn.gocua.app

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.work.ForegroundInfo
import java.time.LocalDate
import uniffi.gocua_ffi.AttentionView
import vn.gocua.fieldkit.sync.AttentionCondition
import vn.gocua.fieldkit.sync.AttentionLog
import vn.gocua.fieldkit.sync.AttentionNotifier

/**
 * The app's notifications. What they say comes from the core (`FieldProfile.attention`, in the
 * volunteer's language); when to show one is fieldkit's `AttentionRule`. Channel names are the
 * only words here, as Android shows them in the system settings before any profile exists.
 */
object Notifications {
    private const val RECORDS_CHANNEL = "records"
    private const val SYNC_CHANNEL = "sync"
    private const val ATTENTION_ID = 1
    private const val SYNC_ID = 2
    /** Extra of the Activity's intent: open the queue tab. */
    const val OPEN_QUEUE = "vn.gocua.app.OPEN_QUEUE"

    fun createChannels(context: Context) {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return
        val nm = context.getSystemService(NotificationManager::class.java)
        nm.createNotificationChannel(
            NotificationChannel(RECORDS_CHANNEL, "Bản ghi cần xem / Records to check", NotificationManager.IMPORTANCE_DEFAULT),
        )
        nm.createNotificationChannel(
            NotificationChannel(SYNC_CHANNEL, "Đang gửi / Sending", NotificationManager.IMPORTANCE_LOW),
        )
    }

    fun opensQueue(intent: Intent?): Boolean = intent?.getBooleanExtra(OPEN_QUEUE, false) == true

    /** Android 13+ asks the volunteer; before that, notifications are allowed unless turned off. */
    fun allowed(context: Context): Boolean =
        (Build.VERSION.SDK_INT < 33 ||
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED) &&
            NotificationManagerCompat.from(context).areNotificationsEnabled()

    /** Posts "records need your attention"; a tap opens the queue tab. */
    class Attention(private val context: Context) : AttentionNotifier {
        override fun show(attention: AttentionView) {
            if (!allowed(context)) return
            val open = Intent(context, MainActivity::class.java)
                .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP or Intent.FLAG_ACTIVITY_SINGLE_TOP)
                .putExtra(OPEN_QUEUE, true)
            val tap = PendingIntent.getActivity(context, 0, open, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
            val n = NotificationCompat.Builder(context, RECORDS_CHANNEL)
                .setSmallIcon(R.mipmap.ic_launcher)
                .setContentTitle(attention.title)
                .setContentText(attention.body)
                .setStyle(NotificationCompat.BigTextStyle().bigText(attention.body))
                .setContentIntent(tap)
                .setAutoCancel(true)
                .build()
            try {
                NotificationManagerCompat.from(context).notify(ATTENTION_ID, n)
            } catch (e: SecurityException) {
                // The permission was withdrawn between the check and the post: nothing to show.
            }
        }
    }

    /** The days each condition was last shown, in private preferences. */
    class Log(context: Context) : AttentionLog {
        private val prefs = context.getSharedPreferences("gocua-attention", Context.MODE_PRIVATE)
        override fun lastShown(condition: AttentionCondition): LocalDate? =
            prefs.getString(condition.name, null)?.let { runCatching { LocalDate.parse(it) }.getOrNull() }
        override fun markShown(condition: AttentionCondition, day: LocalDate) {
            prefs.edit().putString(condition.name, day.toString()).apply()
        }
    }

    /** The quiet notification of expedited sync work running as a foreground service (Android < 12). */
    fun syncForegroundInfo(context: Context): ForegroundInfo {
        val n = NotificationCompat.Builder(context, SYNC_CHANNEL)
            .setSmallIcon(R.mipmap.ic_launcher)
            .setContentTitle("Gõ Cửa")
            .setContentText("Đang gửi dữ liệu… / Sending…")
            .setOngoing(true)
            .build()
        // No service type: only Android 11 and older run expedited work as a foreground service,
        // where none is needed (Android 12+ runs it as an expedited job).
        return ForegroundInfo(SYNC_ID, n)
    }
}
