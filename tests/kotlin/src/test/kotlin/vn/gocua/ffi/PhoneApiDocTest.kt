package vn.gocua.ffi

// <<< doc snippet: imports
import uniffi.gocua_ffi.*                 // FieldProfile, VisitDraft, FieldKitException, visitOutcomes(), …
import uniffi.gocua_protocol.*            // Lang and the vocabularies: VisitOutcome, AssistResult, SessionKind, …
import uniffi.gocua_core.SyncTrigger
// >>> doc snippet
import java.io.File
import java.net.URLEncoder
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test

/**
 * The Kotlin snippets of docs/phone-api.md, compiled and run against the real `gocua serve`. Each
 * snippet is copied here verbatim between `<<< doc snippet` and `>>> doc snippet`, inside just
 * enough scaffolding (a key store, a context, the platform's network facts) to run it; the first
 * test checks that the copies are still the doc's text, so the doc cannot drift from an API
 * that compiles.
 */
class PhoneApiDocTest {
    // ---- scaffolding: what an app has around the snippets ----

    private class KeyStore(var key: ByteArray? = null, val lost: Boolean = false) {
        fun loadOrCreate(make: () -> ByteArray): ByteArray = key ?: make().also { key = it }
        fun keyWasLost(): Boolean = lost
        fun replaceKey(new: ByteArray): ByteArray = new.also { key = it }
    }

    private class Context(val filesDir: File)
    private class Net(val connected: Boolean, val metered: Boolean)
    private class Settings(val wifiOnly: Boolean)
    private class Form {
        val errors = mutableMapOf<String, String>()
        fun markError(field: String, message: String) { errors[field] = message }
    }

    private object Build { const val MODEL = "JVM test phone" }
    private object BuildConfig { const val VERSION_NAME = "0.1.0-doc" }

    private val hints = mutableListOf<Pair<String?, String?>>()
    private var facts = NetworkFacts(connected = true, unmetered = true, batteryPercent = 80u)
    private fun platformFacts(): NetworkFacts = facts
    private val retries = mutableListOf<String?>()
    private fun retryLater(message: String?) { retries += message }
    private fun showHint(reason: String?, message: String?) { hints += reason to message }

    @Suppress("UNUSED_PARAMETER")
    private fun OutcomePicker(options: List<VisitOutcome>, label: (VisitOutcome) -> String) = options.map(label)

    // ---- the snippets, in the doc's order ----

    private suspend fun open(keyStore: KeyStore, context: Context): FieldProfile {
        // <<< doc snippet: Open
        val key: ByteArray = keyStore.loadOrCreate { generateKey() }   // 32 random bytes, kept wrapped by Android Keystore
        val profile = withContext(Dispatchers.IO) { FieldProfile.open(context.filesDir.path + "/gocua", key) }
        // >>> doc snippet
        return profile
    }

    private suspend fun enrol(profile: FieldProfile, scannedText: String): ProfileView {
        // <<< doc snippet: Enrol
        val link = parseEnrolLink(scannedText)           // or checkEnrolInput(typedUrl, typedCode)
        val me: ProfileView = profile.enrol(link.serverUrl, link.code, deviceLabel = Build.MODEL, appVersion = BuildConfig.VERSION_NAME)
        // >>> doc snippet
        return me
    }

    private fun record(profile: FieldProfile, area: AreaView): VisitView {
        // <<< doc snippet: Record
        val h = profile.createHousehold(HouseholdDraft(
            communeCode = area.code, addressLine = "12 Nguyễn Đình Chiểu", headName = "Nguyễn Văn Ả", members = 4u,
            consent = ConsentDraft(given = true, method = ConsentMethod.Verbal),
        ))
        val v = profile.recordVisit(VisitDraft(
            householdId = h.id,
            outcome = VisitOutcome.Met,
            peopleReached = defaultPeopleReached(VisitOutcome.Met),
            assists = listOf(
                AssistDraft(serviceKey = "birth_registration", result = AssistResult.Submitted, dossierCode = "H57.21-250314-0001"),
                AssistDraft(serviceKey = "permanent_residence", result = AssistResult.NotFinished,
                            notFinishedReason = NotFinishedReason.NoChipIdCard),
            ),
            followUpOn = profile.today().plusDays(7),                  // LocalDate
        ))
        profile.recordSession(SessionDraft(kind = SessionKind.OneStopShop, areaCode = area.code,
            place = "Bộ phận một cửa", heldOn = profile.today(), attendees = 25u))
        profile.recordFeedback(FeedbackDraft(source = FeedbackSource.Visit(visitId = v.id),
            category = FeedbackCategory.PortalIssues, text = "Cổng DVC báo lỗi khi nộp hồ sơ."))
        // >>> doc snippet
        return v
    }

    @Suppress("UNUSED_VARIABLE")
    private suspend fun sync(profile: FieldProfile, net: Net, battery: Int, settings: Settings, lang: Lang, progress: MutableStateFlow<Pair<UInt, UInt>>) {
        // <<< doc snippet: Sync
        val decision = decideSync(NetworkFacts(connected = net.connected, unmetered = !net.metered,
            batteryPercent = battery.toUByte()), SyncTrigger.PERIODIC, wifiOnly = settings.wifiOnly)
        if (decision.syncNow) {
            val report = profile.sync(listener = object : SyncListener {
                override fun onProgress(sent: UInt, total: UInt) { progress.value = sent to total }   // not the main thread
            })
        } else {
            showHint(decision.reason?.label(lang), decision.messageVi)   // reason: SyncWaitReason
        }
        // >>> doc snippet
    }

    private suspend fun syncWatched(profile: FieldProfile): SyncReportView {
        // <<< doc snippet: Sync watched
        val report = profile.syncWatched(SyncRequest(SyncTrigger.PERIODIC, wifiOnly = true),
            object : NetworkWatch { override fun current() = platformFacts() })
        if (report.stopped != null) retryLater(report.stoppedMessageVi)   // the rest is still queued
        // >>> doc snippet
        return report
    }

    private fun reopen(keyStore: KeyStore, dir: String, key: ByteArray): FieldProfile {
        // <<< doc snippet: Lost key
        val profile = try {
            FieldProfile.open(dir, key)
        } catch (e: FieldKitException.WrongKey) {
            if (!keyStore.keyWasLost()) throw e
            discardUnreadableStore(dir)
            FieldProfile.open(dir, keyStore.replaceKey(generateKey()))   // then enrol again
        }
        // >>> doc snippet
        return profile
    }

    private fun errors(profile: FieldProfile, draft: VisitDraft, lang: Lang, form: Form) {
        // <<< doc snippet: Errors
        try { profile.recordVisit(draft) } catch (e: FieldKitException.Validation) {
            e.problems.forEach { form.markError(it.field, if (lang == Lang.VI) it.messageVi else it.messageEn) }
        }
        // >>> doc snippet
    }

    private fun vocabularies(visit: VisitView): String {
        // <<< doc snippet: Vocabularies
        val lang = Lang.VI
        OutcomePicker(options = visitOutcomes(), label = { it.label(lang) })
        val text = when (val o = visit.outcome) {
            VisitOutcome.Met -> "✓ " + o.label(lang)
            is VisitOutcome.Unknown -> o.label(lang)        // from a newer version: shown as received
            else -> o.label(lang)
        }
        // >>> doc snippet
        return text
    }

    // ---- the tests ----

    private fun snippets(text: String, open: Regex, close: Regex): List<List<String>> {
        val out = mutableListOf<List<String>>()
        var current: MutableList<String>? = null
        for (line in text.lines()) {
            when {
                current == null && open.containsMatchIn(line) -> current = mutableListOf()
                current != null && close.containsMatchIn(line) -> { out += current.toList(); current = null }
                current != null -> line.trim().takeIf { it.isNotEmpty() }?.let { current.add(it) }
            }
        }
        return out
    }

    @Test
    fun `this test holds every Kotlin snippet of docs phone-api md, as the doc writes it`() {
        val doc = File("../../docs/phone-api.md")
        assertTrue(doc.isFile, "docs/phone-api.md is at ${doc.absolutePath}")
        val inDoc = snippets(doc.readText(), Regex("^```kotlin\\s*$"), Regex("^```\\s*$"))
        val here = snippets(
            File("src/test/kotlin/vn/gocua/ffi/PhoneApiDocTest.kt").readText(),
            Regex("^\\s*// <<< doc snippet"), Regex("^\\s*// >>> doc snippet"),
        )
        assertEquals(inDoc.size, here.size, "docs/phone-api.md has ${inDoc.size} Kotlin snippets, this test ${here.size}: copy the new ones here")
        inDoc.zip(here).forEachIndexed { i, (d, h) ->
            assertEquals(d.joinToString("\n"), h.joinToString("\n"), "Kotlin snippet ${i + 1} of docs/phone-api.md differs from its copy in PhoneApiDocTest")
        }
    }

    @Test
    fun `the doc's snippets compile and run against the real server`(): Unit = runBlocking {
        val server = TestServer.server
        val keyStore = KeyStore()
        val context = Context(Fixtures.dataDir())
        val profile = open(keyStore, context)
        try {
            val scanned = "gocua://enrol?server=" + URLEncoder.encode(server.url, "UTF-8") + "&code=" + server.enrolCode("Doãn Thị Thanh Tâm")
            assertEquals("Doãn Thị Thanh Tâm", enrol(profile, scanned).volunteerName)

            val v = record(profile, profile.teamAreas().first())
            assertEquals(profile.today().plusDays(7), v.followUpOn)
            assertEquals(listOf(AssistResult.Submitted, AssistResult.NotFinished), v.assists.map { it.result })
            assertEquals("✓ Gặp được hộ", vocabularies(v))

            // On mobile data with "wifi only": the core says wait, and why.
            val progress = MutableStateFlow(0u to 0u)
            sync(profile, Net(connected = true, metered = true), 80, Settings(wifiOnly = true), Lang.VI, progress)
            assertEquals(1, hints.size)
            assertTrue(!hints.single().first.isNullOrBlank() && !hints.single().second.isNullOrBlank(), "$hints")
            // On wifi: everything goes, with progress to the end.
            val waiting = profile.queueStatus().pending
            sync(profile, Net(connected = true, metered = false), 80, Settings(wifiOnly = true), Lang.VI, progress)
            assertEquals(waiting to waiting, progress.value)
            assertEquals(0u, profile.queueStatus().pending)
            // Watched: on wifi it runs to the end; offline it stops before the first batch.
            assertEquals(null, syncWatched(profile).stopped)
            facts = facts.copy(connected = false)
            assertEquals(uniffi.gocua_core.SyncWaitReason.OFFLINE, syncWatched(profile).stopped)
            assertEquals(1, retries.size)

            val form = Form()
            errors(profile, VisitDraft(householdId = v.householdId, outcome = VisitOutcome.Met, peopleReached = 0u), Lang.VI, form)
            assertTrue("people_reached" in form.errors, "${form.errors}")
        } finally {
            profile.destroy()
        }

        // The platform lost the key: another key does not open the store; it is discarded.
        val dir = context.filesDir.path + "/gocua"
        val lostKeyStore = KeyStore(key = generateKey(), lost = true)
        reopen(lostKeyStore, dir, lostKeyStore.key!!).use { fresh ->
            assertFalse(fresh.isEnrolled(), "an empty profile, to enrol again")
        }
        // A key that was not lost is never a reason to discard: WrongKey is thrown.
        val opened = reopen(KeyStore(lost = false), dir, lostKeyStore.key!!)
        opened.destroy()
        kotlin.test.assertFailsWith<FieldKitException.WrongKey> { reopen(KeyStore(lost = false), dir, generateKey()) }
    }
}
