package vn.gocua.fieldkit

import java.time.Instant
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.assistNeedsDossierCode
import uniffi.gocua_ffi.assistNeedsReason
import uniffi.gocua_ffi.checkEnrolInput
import uniffi.gocua_ffi.defaultPeopleReached
import uniffi.gocua_ffi.fieldLabel
import uniffi.gocua_ffi.formatAgo
import uniffi.gocua_ffi.formatCount
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.formatDayTime
import uniffi.gocua_ffi.formatProgress
import uniffi.gocua_ffi.nameInitials
import uniffi.gocua_ffi.parseEnrolLink
import uniffi.gocua_ffi.parseTypedDay
import uniffi.gocua_ffi.tidyText
import uniffi.gocua_ffi.visitReachesPeople
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.state.AssistForm
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text

/**
 * What android/fieldkit takes from the core instead of keeping its own copy: numbers, days and
 * instants as the screens show them, days typed as on paper, tidy text, the enrolment QR code,
 * field labels and the form rules — plus fieldkit's own glue (sync plans, errors). No server, and
 * no answer depends on the zone this JVM runs in (the suite also runs under TZ=Etc/GMT+12 and
 * TZ=Pacific/Kiritimati).
 */
class CoreTextTest {
    @Test
    fun `numbers, days and instants are formatted by the core, the same in every zone the phone is set to`() {
        println("[zone] TZ=${System.getenv("TZ") ?: "unset"}")
        assertEquals("1.234.567", formatCount(1_234_567L, Lang.VI))
        assertEquals("1,234,567", formatCount(1_234_567L, Lang.EN))
        assertEquals("212/400 (53%)", formatProgress(212uL, 400uL, Lang.VI))
        assertEquals("1.348/1.500 (89%)", formatProgress(1_348uL, 1_500uL, Lang.VI))
        assertEquals("30/11/2026", formatDay(LocalDate.of(2026, 11, 30), Lang.VI))
        // 2026-11-24T20:00Z is already the 25th in Vietnam (UTC+7), wherever the phone thinks it is.
        assertEquals("03:00, 25/11/2026", formatDayTime(Instant.parse("2026-11-24T20:00:00Z"), Lang.VI))
        assertEquals("vừa xong", formatAgo(Instant.now(), Lang.VI))
        assertEquals("5 phút trước", formatAgo(Instant.now().minusSeconds(5 * 60 + 10), Lang.VI))
        assertEquals("2 days ago", formatAgo(Instant.now().minusSeconds(2 * 86_400 + 60), Lang.EN))
    }

    @Test
    fun `days typed as on paper are read by the core`() {
        assertEquals(LocalDate.of(2026, 11, 30), parseTypedDay("30/11/2026"))
        assertEquals(LocalDate.of(2026, 11, 30), parseTypedDay(" 30-11-2026 "))
        assertEquals(LocalDate.of(2026, 11, 30), parseTypedDay("30.11.26"))
        assertEquals(LocalDate.of(2026, 1, 5), parseTypedDay("5.1.2026"))
        assertEquals(LocalDate.of(2026, 11, 30), parseTypedDay("2026-11-30"))
        assertNull(parseTypedDay("31/02/2026"))
        assertNull(parseTypedDay("mai"))
        assertNull(parseTypedDay(""))
        // What the form shows, the core reads back.
        val day = LocalDate.of(2026, 2, 28)
        assertEquals(day, parseTypedDay(formatDay(day, Lang.VI)))
    }

    @Test
    fun `text is tidied and initialled by the core`() {
        val decomposed = "Nguye\u0302\u0303n  Va\u0306n   A\u0309 " // as some keyboards send it
        assertEquals("Nguyễn Văn Ả", tidyText(decomposed))
        assertEquals("NẢ", nameInitials("Nguyễn Văn Ả"))
    }

    @Test
    fun `the enrolment QR code and typed input are read by the core, its problems name the field`() {
        val link = parseEnrolLink("gocua://enrol?server=http%3A%2F%2F127.0.0.1%3A8080%2F&code=k7qm-4tzp")
        assertEquals("http://127.0.0.1:8080", link.serverUrl)
        assertEquals("K7QM-4TZP", link.code)
        val foreign = assertFailsWith<FieldKitException.Validation> { parseEnrolLink("https://example.com/?code=1") }
        val ui = UiError.of(foreign)
        assertEquals("enrol_link", ui.problems.single().field)
        assertEquals(Text(fieldLabel("enrol_link", Lang.VI), fieldLabel("enrol_link", Lang.EN)), ui.problems.single().label)
        val noServer = assertFailsWith<FieldKitException.Validation> { checkEnrolInput("", "ABCD-1234") }
        assertEquals("server_url", noServer.problems.single().field)
        assertEquals("Server address", noServer.problems.single().fieldLabelEn)
    }

    @Test
    fun `the core's validation problems keep their field and its label, for the field and for a summary`() {
        val e = FieldKitException.Validation(
            "validation",
            listOf(
                uniffi.gocua_ffi.FieldProblem(
                    "assists[0].dossier_code", "Mã hồ sơ (dịch vụ 1)", "Dossier code (service 1)",
                    uniffi.gocua_ffi.ProblemCode.Required, "Cần mã hồ sơ.", "Dossier code required.",
                ),
            ),
            "Cần mã hồ sơ.", "Dossier code required.",
        )
        val ui = UiError.of(e)
        assertIs<FieldKitException.Validation>(ui.exception)
        assertEquals("validation", ui.code)
        assertEquals("Cần mã hồ sơ.", ui.field("assists[0].dossier_code")?.pick(Lang.VI))
        assertEquals("Dossier code required.", ui.field("assists[0].dossier_code")?.pick(Lang.EN))
        assertEquals(listOf("Mã hồ sơ (dịch vụ 1): Cần mã hồ sơ."), ui.summary(Lang.VI))
        assertEquals(listOf("Dossier code (service 1): Dossier code required."), ui.summary(Lang.EN))
        // A problem of input handling carries the core's label of its field too.
        assertEquals(fieldLabel("follow_up_on", Lang.VI), UiError.input("follow_up_on", "…", "…").problems.single().label.vi)
        // Every error of the core has its code.
        val other = UiError.of(FieldKitException.Network("timeout", 30uL, "Mất kết nối.", "No connection."))
        assertEquals("timeout", other.code)
        assertEquals("Mất kết nối.", other.message.vi)
    }

    @Test
    fun `the form rules are the core's`() {
        assertTrue(AssistForm("birth_registration", result = AssistResult.Submitted).needsDossierCode)
        assertTrue(AssistForm("birth_registration", result = AssistResult.NotFinished).needsReason)
        assertEquals(assistNeedsDossierCode(AssistResult.GuidedOnly), AssistForm("x").needsDossierCode)
        assertTrue(!assistNeedsReason(AssistResult.CompletedOnline))
        assertTrue(visitReachesPeople(VisitOutcome.Met))
        assertEquals(0.toUShort(), defaultPeopleReached(VisitOutcome.NotHome))
    }
}
