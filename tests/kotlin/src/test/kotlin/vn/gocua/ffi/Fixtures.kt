package vn.gocua.ffi

import java.io.File
import java.nio.file.Files
import uniffi.gocua_ffi.AssistDraft
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.HouseholdDraft
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.SyncListener
import uniffi.gocua_ffi.VisitDraft
import uniffi.gocua_ffi.VisitView
import uniffi.gocua_ffi.generateKey

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

    /** A profile in a new data directory, enrolled in the test team with a new member's code. */
    fun enrolled(memberName: String, dir: File = dataDir(), key: ByteArray = generateKey()): FieldProfile {
        val server = TestServer.server
        val profile = FieldProfile.open(dir.path, key)
        profile.enrol(server.url, server.enrolCode(memberName), "JVM test phone", "0.1.0-test")
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
        hamletCode = hamletCode,
        addressLine = addressLine,
        headName = headName,
        phone = phone,
        members = 4u,
        consentGiven = phone?.let { true },
        consentMethod = phone?.let { "verbal" },
    )

    fun assist(
        serviceKey: String,
        result: String = "guided_only",
        dossierCode: String? = null,
        level42: String? = null,
        notFinishedReason: String? = null,
    ) = AssistDraft(
        serviceKey = serviceKey,
        level43 = null,
        level42 = level42,
        result = result,
        dossierCode = dossierCode,
        notFinishedReason = notFinishedReason,
    )

    fun visit(
        householdId: String,
        assists: List<AssistDraft> = emptyList(),
        peopleReached: Int = 2,
        outcome: String = "met",
        note: String? = null,
    ) = VisitDraft(
        householdId = householdId,
        campaignId = null,
        startedAtMs = null,
        endedAtMs = null,
        outcome = outcome,
        peopleReached = peopleReached.toUShort(),
        gpsLat = 10.2415,
        gpsLon = 106.3759,
        gpsAccuracyM = 12.5f,
        note = note,
        followUpOn = null,
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
}

/** Records every progress callback; optionally runs [onEvent] on each (e.g. to cancel). */
class RecordingListener(private val onEvent: (sent: UInt, total: UInt) -> Unit = { _, _ -> }) : SyncListener {
    val events = java.util.Collections.synchronizedList(mutableListOf<Pair<UInt, UInt>>())

    override fun onProgress(sent: UInt, total: UInt) {
        events += sent to total
        onEvent(sent, total)
    }
}
