package vn.gocua.ffi

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_core.SyncTrigger
import uniffi.gocua_core.SyncWaitReason
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_ffi.assistResults
import uniffi.gocua_ffi.decideSync
import uniffi.gocua_ffi.discardUnreadableStore
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_ffi.levels42
import uniffi.gocua_ffi.recordKinds
import uniffi.gocua_ffi.syncTriggers
import uniffi.gocua_ffi.visitOutcomes
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.VisitOutcome

/** Opening, keys, closing, the lost-key path and the free functions — no server needed. */
class ProfileTest {
    private val uuid = Regex("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")

    @Test
    fun `generateKey gives 32 fresh random bytes`() {
        val a = generateKey()
        val b = generateKey()
        assertEquals(32, a.size)
        assertEquals(32, b.size)
        assertFalse(a.contentEquals(b), "two keys must differ")
    }

    @Test
    fun `opens an encrypted profile and refuses a wrong key with WrongKey`() {
        val dir = Fixtures.dataDir()
        val key = generateKey()
        val deviceId = FieldProfile.open(dir.path, key).use { p -> p.deviceId() }
        assertTrue(uuid.matches(deviceId), "device id is a UUIDv7: $deviceId")

        // The file on disk is not plain SQLite: no "SQLite format 3" header, no readable names.
        val file = File(dir, "gocua-profile.db")
        assertTrue(file.length() > 0, "the store file exists")
        val header = file.readBytes().copyOfRange(0, 16)
        assertFalse(header.contentEquals("SQLite format 3\u0000".toByteArray()), "the store must be encrypted")

        val wrong = assertFailsWith<FieldKitException.WrongKey> { FieldProfile.open(dir.path, generateKey()) }
        assertEquals("wrong_key", wrong.code)
        assertTrue(wrong.messageVi.isNotBlank() && wrong.messageEn.isNotBlank(), "WrongKey carries both messages")

        // A key of the wrong length is refused the same way, before touching the file.
        assertEquals("invalid_key", assertFailsWith<FieldKitException.WrongKey> { FieldProfile.open(dir.path, ByteArray(7)) }.code)

        // The right key still opens the same profile.
        FieldProfile.open(dir.path, key).use { p -> assertEquals(deviceId, p.deviceId()) }
    }

    @Test
    fun `a lost key - WrongKey, discardUnreadableStore, then a fresh profile opens with a new key`() {
        val dir = Fixtures.dataDir()
        val oldDevice = FieldProfile.open(dir.path, generateKey()).use { it.deviceId() }
        val newKey = generateKey() // the Keystore was reset: the old key is gone
        assertFailsWith<FieldKitException.WrongKey> { FieldProfile.open(dir.path, newKey) }
        discardUnreadableStore(dir.path)
        FieldProfile.open(dir.path, newKey).use { fresh ->
            assertFalse(fresh.isEnrolled())
            assertNull(fresh.profile())
            assertNotEquals(oldDevice, fresh.deviceId(), "a new installation id: nothing of the old store is left")
            assertEquals(0u, fresh.queueStatus().pending)
        }
        discardUnreadableStore(File(dir, "never-created").path) // nothing there: fine
    }

    @Test
    fun `rekey keeps the data and retires the old key`() {
        val dir = Fixtures.dataDir()
        val oldKey = generateKey()
        val newKey = generateKey()
        val id = FieldProfile.open(dir.path, oldKey).use { p ->
            p.rekey(newKey)
            p.deviceId()
        }
        assertFailsWith<FieldKitException.WrongKey> { FieldProfile.open(dir.path, oldKey) }
        FieldProfile.open(dir.path, newKey).use { p -> assertEquals(id, p.deviceId()) }
    }

    @Test
    fun `closeProfile makes calls throw Closed, and destroy frees the object`() {
        val dir = Fixtures.dataDir()
        val key = generateKey()
        val p = FieldProfile.open(dir.path, key)
        assertEquals(null, p.profile(), "a new profile is not enrolled")
        p.closeProfile()
        val closed = assertFailsWith<FieldKitException.Closed> { p.deviceId() }
        assertEquals("closed", closed.code)
        assertTrue(closed.messageEn.contains("closed"), closed.messageEn)
        assertFailsWith<FieldKitException.Closed> { p.queueStatus() }
        p.closeProfile() // closing twice is harmless

        // destroy() (AutoCloseable.close(), `.use {}`) releases the Rust object: later calls are
        // refused by the binding itself, before reaching Rust.
        assertFalse(p.uniffiIsDestroyed)
        p.destroy()
        assertTrue(p.uniffiIsDestroyed)
        assertFailsWith<IllegalStateException> { p.deviceId() }

        val q = FieldProfile.open(dir.path, key)
        q.use { assertTrue(uuid.matches(it.deviceId())) }
        assertTrue(q.uniffiIsDestroyed, "use {} destroys the object")
    }

    @Test
    fun `a profile that is not enrolled cannot record and says NotEnrolled`() {
        FieldProfile.open(Fixtures.dataDir().path, generateKey()).use { p ->
            assertFalse(p.isEnrolled())
            val e = assertFailsWith<FieldKitException.NotEnrolled> { p.createHousehold(Fixtures.household("Nguyễn Văn Ả")) }
            assertEquals("not_enrolled", e.code)
            assertTrue(e.messageVi.contains("đăng ký"), e.messageVi)
            assertEquals(0u, p.queueStatus().pending)
            p.unenrol() // nothing to leave, nothing to lose
        }
    }

    @Test
    fun `vocabularies are typed values with the core's labels and codes`() {
        val outcomes = visitOutcomes()
        assertEquals(VisitOutcome.Met, outcomes.first())
        assertEquals(listOf("met", "not_home", "refused", "moved_away", "other"), outcomes.map { it.code() })
        assertEquals("Gặp được hộ", VisitOutcome.Met.label(Lang.VI))
        assertEquals("Met the household", VisitOutcome.Met.label(Lang.EN))
        assertTrue(outcomes.all { it.isKnown() })
        assertTrue(AssistResult.Submitted in assistResults())
        assertEquals(listOf(Level42.ToanTrinh, Level42.MotPhan), levels42())
        // The kind the queue shows for an outreach session is the core's, never a Kotlin string.
        assertTrue(RecordKind.OutreachSession in recordKinds())
        assertEquals("outreach_session", RecordKind.OutreachSession.code())
        assertTrue(RecordKind.OutreachSession.label(Lang.VI).isNotBlank())
        assertNotEquals(RecordKind.OutreachSession.code(), RecordKind.OutreachSession.label(Lang.VI))
        // A value from a newer version is kept as received and shown as it came.
        val future = VisitOutcome.Unknown("phoned_instead")
        assertFalse(future.isKnown())
        assertEquals("phoned_instead", future.label(Lang.VI))
        assertEquals(listOf(SyncTrigger.PERIODIC, SyncTrigger.APP_FOREGROUND, SyncTrigger.USER_FORCED), syncTriggers())
    }

    @Test
    fun `decideSync follows the platform facts, the trigger and the user's setting`() {
        val offline = decideSync(NetworkFacts(connected = false, unmetered = false, batteryPercent = 80u), SyncTrigger.PERIODIC, false)
        assertFalse(offline.syncNow)
        assertEquals(SyncWaitReason.OFFLINE, offline.reason)
        assertTrue(!offline.messageVi.isNullOrBlank() && !offline.messageEn.isNullOrBlank())

        val wifi = NetworkFacts(connected = true, unmetered = true, batteryPercent = 80u)
        assertTrue(decideSync(wifi, SyncTrigger.USER_FORCED, true).syncNow)
        assertTrue(decideSync(wifi, SyncTrigger.PERIODIC, true).syncNow)
        assertNull(decideSync(wifi, SyncTrigger.PERIODIC, true).reason)

        val mobileData = wifi.copy(unmetered = false)
        val waiting = decideSync(mobileData, SyncTrigger.PERIODIC, true)
        assertFalse(waiting.syncNow, "wifi-only: a periodic sync waits on mobile data")
        assertIs<SyncWaitReason>(waiting.reason)
        assertEquals(SyncWaitReason.METERED, waiting.reason)
        val sendNow = decideSync(mobileData, SyncTrigger.USER_FORCED, true)
        assertEquals(SyncWaitReason.METERED, sendNow.reason, "\"Gửi ngay\" alone respects wifi-only")
        assertTrue(decideSync(mobileData, SyncTrigger.USER_FORCED, true, mobileDataOnce = true).syncNow, "the volunteer's override")
        assertFalse(decideSync(mobileData, SyncTrigger.PERIODIC, true, mobileDataOnce = true).syncNow, "only with \"Gửi ngay\"")
    }
}
