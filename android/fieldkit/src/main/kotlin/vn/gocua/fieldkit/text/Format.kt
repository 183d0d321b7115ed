package vn.gocua.fieldkit.text

import java.text.Normalizer
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException

/**
 * Dates, numbers and text as a Vietnamese (or English) reader expects them. Pure formatting: no
 * rule about what is valid lives here; the core decides that.
 */
object Format {
    /** Times are shown in the phone's zone; Vietnam is UTC+7 without daylight saving. */
    val VIETNAM: ZoneId = ZoneId.of("Asia/Ho_Chi_Minh")

    private val DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy")
    private val TIME = DateTimeFormatter.ofPattern("HH:mm")

    /** 1234567 → "1.234.567" in Vietnamese, "1,234,567" in English. */
    fun count(n: Long, lang: Lang): String {
        val digits = kotlin.math.abs(n).toString()
        val sep = if (lang == Lang.VI) '.' else ','
        val grouped = digits.reversed().chunked(3).joinToString(sep.toString()).reversed()
        return if (n < 0) "-$grouped" else grouped
    }

    fun count(n: ULong, lang: Lang): String = count(n.toLong(), lang)
    fun count(n: UInt, lang: Lang): String = count(n.toLong(), lang)

    /** "25/11/2026": day first, in both languages (the form used on Vietnamese documents). */
    fun day(d: LocalDate): String = DAY.format(d)

    fun day(ms: Long, zone: ZoneId = VIETNAM): String = day(Instant.ofEpochMilli(ms).atZone(zone).toLocalDate())

    /** An ISO day from the core ("2026-11-30") shown as "30/11/2026"; unknown text is shown as is. */
    fun isoDay(iso: String): String = try { day(LocalDate.parse(iso)) } catch (_: DateTimeParseException) { iso }

    /** "14:05, 25/11/2026". */
    fun dayTime(ms: Long, zone: ZoneId = VIETNAM): String {
        val t = Instant.ofEpochMilli(ms).atZone(zone)
        return "${TIME.format(t)}, ${DAY.format(t)}"
    }

    /** "5 phút trước" / "5 min ago", coarse, for "last sync" and queue ages. */
    fun ago(ms: Long, nowMs: Long, lang: Lang): String {
        val s = ((nowMs - ms) / 1000).coerceAtLeast(0)
        val vi = lang == Lang.VI
        return when {
            s < 60 -> if (vi) "vừa xong" else "just now"
            s < 3600 -> (s / 60).let { if (vi) "$it phút trước" else "$it min ago" }
            s < 86_400 -> (s / 3600).let { if (vi) "$it giờ trước" else "$it h ago" }
            else -> (s / 86_400).let { if (vi) "$it ngày trước" else if (it == 1L) "1 day ago" else "$it days ago" }
        }
    }

    /** "12/40 (30%)". */
    fun progress(achieved: ULong, target: ULong, percent: UInt, lang: Lang): String =
        "${count(achieved, lang)}/${count(target, lang)} ($percent%)"

    /**
     * A day typed by the user as on paper ("30/11/2026", "30-11-2026", or ISO) → ISO for the core,
     * or null when it is not a day. Blank → null too; the caller decides whether it is required.
     */
    fun parseDay(input: String): String? {
        val s = input.trim()
        if (s.isEmpty()) return null
        runCatching { return LocalDate.parse(s).toString() }
        val parts = s.split('/', '-', '.').map { it.trim() }
        if (parts.size != 3) return null
        val (d, m, y) = parts.map { it.toIntOrNull() ?: return null }
        val year = if (y < 100) 2000 + y else y
        return runCatching { LocalDate.of(year, m, d).toString() }.getOrNull()
    }
}

/** Vietnamese text as typed on phones, made tidy before it goes to the core. */
object VietText {
    private val SPACES = Regex("\\s+")

    /**
     * NFC (some keyboards send decomposed diacritics: "Nguyê\u0303n"), single spaces, trimmed.
     * Search folding (diacritic-insensitive matching) is the core's job, not this.
     */
    fun clean(s: String): String = Normalizer.normalize(s, Normalizer.Form.NFC).replace(SPACES, " ").trim()

    /** clean(), and null when nothing is left. */
    fun cleanOrNull(s: String): String? = clean(s).ifEmpty { null }

    /** Initials for an avatar: "Nguyễn Văn Ả" → "NA" (first and last word). */
    fun initials(name: String): String {
        val words = clean(name).split(' ').filter { it.isNotEmpty() }
        if (words.isEmpty()) return "?"
        val first = words.first().take(1)
        val last = if (words.size > 1) words.last().take(1) else ""
        return (first + last).uppercase()
    }
}
