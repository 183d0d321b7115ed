package vn.gocua.ffi

import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import uniffi.gocua_ffi.AssistDraft
import uniffi.gocua_ffi.ConsentDraft
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.GpsFix
import uniffi.gocua_ffi.HouseholdDraft
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.SyncListener
import uniffi.gocua_ffi.VisitDraft
import uniffi.gocua_ffi.VisitView
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.ConsentMethod
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.VisitOutcome

/** Drafts as the app's forms fill them in, and enrolled profiles on the shared test server. */
object Fixtures {
    private val dirs = mutableListOf<File>()

    init {
        Runtime.getRuntime().addShutdownHook(Thread { dirs.forEach { it.deleteRecursively() } })
    }

    /** A fresh app data directory, deleted when the JVM exits. */
    fun dataDir(): File = Files.createTempDirectory("gocua-profile-").toFile().also { synchronized(dirs) { dirs += it } }

    /**
     * A data directory in memory (/dev/shm) where there is one: for tests that commit thousands of
     * times and measure something other than the disk (each commit of the store is an fsync).
     */
    fun memoryDataDir(): File {
        val shm = File("/dev/shm")
        if (!shm.isDirectory || !shm.canWrite()) return dataDir()
        return Files.createTempDirectory(shm.toPath(), "gocua-profile-").toFile().also { synchronized(dirs) { dirs += it } }
    }

    /** A profile in a new data directory, enrolled (suspend `enrol`) in the test team with a new member's code. */
    fun enrolled(memberName: String, dir: File = dataDir(), key: ByteArray = generateKey()): FieldProfile {
        val server = TestServer.server
        val profile = FieldProfile.open(dir.path, key)
        runBlocking { profile.enrol(server.url, server.enrolCode(memberName), "JVM test phone", "0.1.0-test") }
        return profile
    }

    fun household(
        headName: String,
        addressLine: String = "12 Nguyễn Đình Chiểu, Khu phố 1",
        communeCode: String = GoCuaServer.COMMUNE_A1,
        hamletCode: String? = GoCuaServer.HAMLET_A1_KP1,
        phone: String? = null,
    ) = HouseholdDraft(
        communeCode = communeCode,
        addressLine = addressLine,
        headName = headName,
        members = 4u,
        hamletCode = hamletCode,
        phone = phone,
        // A phone number is kept only with consent, asked when it is given.
        consent = phone?.let { ConsentDraft(given = true, method = ConsentMethod.Verbal) },
    )

    fun assist(
        serviceKey: String,
        result: AssistResult = AssistResult.GuidedOnly,
        dossierCode: String? = null,
        level42: Level42? = null,
        notFinishedReason: NotFinishedReason? = null,
    ) = AssistDraft(
        serviceKey = serviceKey,
        result = result,
        dossierCode = dossierCode,
        notFinishedReason = notFinishedReason,
        level42 = level42,
    )

    fun visit(
        householdId: String,
        assists: List<AssistDraft> = emptyList(),
        peopleReached: Int = 2,
        outcome: VisitOutcome = VisitOutcome.Met,
        note: String? = null,
    ) = VisitDraft(
        householdId = householdId,
        outcome = outcome,
        peopleReached = peopleReached.toUShort(),
        gps = GpsFix(lat = 10.2415, lon = 106.3759, accuracyM = 12.5f),
        note = note,
        assists = assists,
    )

    /** Records [households] households with [visitsEach] visits each; returns the visits. */
    fun fieldDay(profile: FieldProfile, households: Int, visitsEach: Int): List<VisitView> {
        val visits = mutableListOf<VisitView>()
        repeat(households) { i ->
            val h: HouseholdView = profile.createHousehold(household("Hộ thử $i", addressLine = "$i Đường 30 Tháng 4"))
            repeat(visitsEach) { visits += profile.recordVisit(visit(h.id, listOf(assist("birth_registration")))) }
        }
        return visits
    }

    /** Waits (polling) until [condition] holds: for what the core's sync thread finishes on its own. */
    fun waitUntil(what: String, timeoutMs: Long = 10_000, condition: () -> Boolean) {
        val deadline = System.nanoTime() + timeoutMs * 1_000_000
        while (!condition()) {
            check(System.nanoTime() < deadline) { "timed out waiting for: $what" }
            Thread.sleep(10)
        }
    }
}

/** Records every progress callback; optionally runs [onEvent] on each (e.g. to cancel). */
class RecordingListener(private val onEvent: (sent: UInt, total: UInt) -> Unit = { _, _ -> }) : SyncListener {
    val events = java.util.Collections.synchronizedList(mutableListOf<Pair<UInt, UInt>>())

    override fun onProgress(sent: UInt, total: UInt) {
        events += sent to total
        onEvent(sent, total)
    }
}
