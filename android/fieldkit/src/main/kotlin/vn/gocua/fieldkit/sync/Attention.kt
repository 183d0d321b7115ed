package vn.gocua.fieldkit.sync

import java.time.LocalDate
import java.util.concurrent.ConcurrentHashMap
import uniffi.gocua_ffi.AttentionView
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_protocol.Lang

/** The two things a volunteer is told about after a background sync. */
enum class AttentionCondition {
    /** Records have waited more than a day to be sent. */
    WAITING_OVER_DAY,
    /** The server refused records. */
    REFUSED,
}

/** Where the day each condition was last shown is kept (SharedPreferences on Android). */
interface AttentionLog {
    fun lastShown(condition: AttentionCondition): LocalDate?
    fun markShown(condition: AttentionCondition, day: LocalDate)
}

class InMemoryAttentionLog : AttentionLog {
    private val days = ConcurrentHashMap<AttentionCondition, LocalDate>()
    override fun lastShown(condition: AttentionCondition): LocalDate? = days[condition]
    override fun markShown(condition: AttentionCondition, day: LocalDate) { days[condition] = day }
}

/** Posts the notification (Android: a notification on the "records" channel that opens the queue). */
fun interface AttentionNotifier {
    fun show(attention: AttentionView)
}

/**
 * When to tell the volunteer: after a background sync, at most once a day per condition. The
 * counts and words are the core's (`FieldProfile.attention`); the day is the deployment's
 * (`FieldProfile.today`), never the phone's own zone.
 */
object AttentionRule {
    /** The conditions of [attention] not yet shown on [today]. */
    fun due(attention: AttentionView?, today: LocalDate, log: AttentionLog): Set<AttentionCondition> {
        if (attention == null) return emptySet()
        return present(attention).filterTo(mutableSetOf()) { log.lastShown(it) != today }
    }

    fun present(attention: AttentionView): Set<AttentionCondition> = buildSet {
        if (attention.waitingOverDay > 0u) add(AttentionCondition.WAITING_OVER_DAY)
        if (attention.refused > 0u) add(AttentionCondition.REFUSED)
    }

    /**
     * Asks the core what needs attention and shows it through [notifier] when a condition is due
     * today; every condition it mentions then counts as shown today. Returns what was shown.
     * Blocking (core calls): run it off the main thread.
     */
    fun check(profile: FieldProfile, lang: Lang, log: AttentionLog, notifier: AttentionNotifier?): AttentionView? {
        if (notifier == null) return null
        val attention = profile.attention(lang) ?: return null
        val today = profile.today()
        if (due(attention, today, log).isEmpty()) return null
        notifier.show(attention)
        present(attention).forEach { log.markShown(it, today) }
        return attention
    }
}
