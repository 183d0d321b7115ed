package vn.gocua.fieldkit

import java.time.LocalDate
import java.time.ZoneOffset
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProblem
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.state.EnrolLink
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.sync.SyncPlan
import vn.gocua.fieldkit.text.Format
import vn.gocua.fieldkit.text.Lang
import vn.gocua.fieldkit.text.VietText

/** The platform-neutral formatting and glue of android/fieldkit (no core calls). */
class FormatTest {
    @Test
    fun `numbers are grouped the Vietnamese way, or the English way`() {
        assertEquals("1.234.567", Format.count(1_234_567L, Lang.VI))
        assertEquals("1,234,567", Format.count(1_234_567L, Lang.EN))
        assertEquals("999", Format.count(999uL, Lang.VI))
        assertEquals("-12.000", Format.count(-12_000L, Lang.VI))
        assertEquals("212/400 (53%)", Format.progress(212uL, 400uL, 53u, Lang.VI))
    }

    @Test
    fun `dates are day first, in Vietnam's zone`() {
        // 2026-11-24T20:00Z is already the 25th in Vietnam (UTC+7).
        val ms = LocalDate.of(2026, 11, 24).atTime(20, 0).toInstant(ZoneOffset.UTC).toEpochMilli()
        assertEquals("25/11/2026", Format.day(ms))
        assertEquals("03:00, 25/11/2026", Format.dayTime(ms))
        assertEquals("30/11/2026", Format.isoDay("2026-11-30"))
        assertEquals("not a day", Format.isoDay("not a day"))
    }

    @Test
    fun `days typed as on paper become ISO days for the core`() {
        assertEquals("2026-11-30", Format.parseDay("30/11/2026"))
        assertEquals("2026-11-30", Format.parseDay(" 30-11-26 "))
        assertEquals("2026-01-05", Format.parseDay("5.1.2026"))
        assertEquals("2026-11-30", Format.parseDay("2026-11-30"))
        assertNull(Format.parseDay("31/02/2026"))
        assertNull(Format.parseDay("mai"))
        assertNull(Format.parseDay(""))
    }

    @Test
    fun `ago reads naturally in both languages`() {
        val now = 10_000_000_000L
        assertEquals("vừa xong", Format.ago(now - 5_000, now, Lang.VI))
        assertEquals("5 phút trước", Format.ago(now - 300_000, now, Lang.VI))
        assertEquals("3 giờ trước", Format.ago(now - 3 * 3_600_000, now, Lang.VI))
        assertEquals("2 days ago", Format.ago(now - 2 * 86_400_000, now, Lang.EN))
    }

    @Test
    fun `Vietnamese text is normalised to NFC and tidy spaces`() {
        val decomposed = "Nguye\u0302\u0303n  Va\u0306n   A\u0309 " // as some keyboards send it
        assertEquals("Nguyễn Văn Ả", VietText.clean(decomposed))
        assertEquals("Nguyễn Văn Ả".length, VietText.clean(decomposed).length)
        assertNull(VietText.cleanOrNull("   "))
        assertEquals("NẢ", VietText.initials("Nguyễn Văn Ả"))
    }

    @Test
    fun `an enrolment QR payload gives the server and the code`() {
        assertEquals(EnrolLink("https://gocua.example.vn", "ABCD-1234"), EnrolLink.parse("gocua://enrol?server=https://gocua.example.vn&code=ABCD-1234"))
        assertEquals(EnrolLink("http://127.0.0.1:8080", "K7QM-4TZP"), EnrolLink.parse("gocua://enrol?server=http%3A%2F%2F127.0.0.1%3A8080&code=K7QM-4TZP"))
        assertNull(EnrolLink.parse("https://example.com/?code=1"))
        assertNull(EnrolLink.parse("gocua://enrol?server=https://x"))
        assertNull(EnrolLink.parse("ABCD-1234"))
    }

    @Test
    fun `background work follows the wifi-only setting, send now takes any network`() {
        val wifi = SyncPlan.periodic(AppSettings(wifiOnly = true))
        assertTrue(wifi.periodic && wifi.requireUnmetered)
        assertEquals(360L, wifi.repeatMinutes)
        assertEquals("periodic", wifi.trigger)
        assertTrue(!SyncPlan.periodic(AppSettings(wifiOnly = false)).requireUnmetered)
        assertTrue(SyncPlan.soon(AppSettings(wifiOnly = true)).requireUnmetered)
        val forced = SyncPlan.userForced()
        assertTrue(!forced.periodic && !forced.requireUnmetered)
        assertEquals("user_forced", forced.trigger)
        // One-off syncs share one unique name: a new request replaces the waiting one, never runs beside it.
        assertEquals(SyncPlan.soon(AppSettings()).uniqueName, forced.uniqueName)
    }

    @Test
    fun `the core's validation problems are kept by field`() {
        val e = FieldKitException.Validation(
            listOf(FieldProblem("assists[0].dossier_code", "required", "Cần mã hồ sơ.", "Dossier code required.")),
            "Chưa hợp lệ.", "Not valid.",
        )
        val ui = UiError.of(e)
        assertEquals("validation", ui.kind)
        assertEquals("Cần mã hồ sơ.", ui.field("assists[0].dossier_code")?.pick(Lang.VI))
        assertEquals("Dossier code required.", ui.field("assists[0].dossier_code")?.pick(Lang.EN))
        assertEquals("Chưa hợp lệ.", ui.message.vi)
    }
}
