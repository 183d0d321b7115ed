package vn.gocua.ffi

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_ffi.choices
import uniffi.gocua_ffi.decideSync
import uniffi.gocua_ffi.generateKey

/** Opening, keys, closing, and the free functions — no server needed. */
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
        assertTrue(wrong.messageVi.isNotBlank() && wrong.messageEn.isNotBlank(), "WrongKey carries both messages")

        // A key of the wrong length is refused the same way, before touching the file.
        assertFailsWith<FieldKitException.WrongKey> { FieldProfile.open(dir.path, ByteArray(7)) }

        // The right key still opens the same profile.
        FieldProfile.open(dir.path, key).use { p -> assertEquals(deviceId, p.deviceId()) }
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
            val e = assertFailsWith<FieldKitException.NotEnrolled> { p.createHousehold(Fixtures.household("Nguyễn Văn Ả")) }
            assertTrue(e.messageVi.contains("đăng ký"), e.messageVi)
            assertEquals(0u, p.queueStatus().pending)
        }
    }

    @Test
    fun `choices come from Rust with Vietnamese and English labels`() {
        val outcomes = choices("visit_outcome")
        assertEquals(listOf("met", "not_home", "refused", "moved_away", "other"), outcomes.map { it.code })
        assertEquals("Gặp được hộ", outcomes.first { it.code == "met" }.labelVi)
        assertEquals("Met the household", outcomes.first { it.code == "met" }.labelEn)
        assertTrue(choices("assist_result").any { it.code == "submitted" })
        assertTrue(choices("level_42").map { it.code }.containsAll(listOf("toan_trinh", "mot_phan")))
        assertEquals(emptyList(), choices("no_such_vocabulary"))
    }

    @Test
    fun `decideSync follows the platform facts and the user's setting`() {
        val offline = decideSync(NetworkFacts(false, false, 80u, false, false), "periodic", false)
        assertFalse(offline.syncNow)
        assertEquals("offline", offline.reasonCode)
        assertTrue(!offline.messageVi.isNullOrBlank() && !offline.messageEn.isNullOrBlank())

        val wifi = NetworkFacts(connected = true, unmetered = true, batteryPercent = 80u, charging = false, powerSaver = false)
        assertTrue(decideSync(wifi, "user_forced", true).syncNow)
        assertTrue(decideSync(wifi, "periodic", true).syncNow)

        val mobileData = wifi.copy(unmetered = false)
        val waiting = decideSync(mobileData, "periodic", true)
        assertFalse(waiting.syncNow, "wifi-only: a periodic sync waits on mobile data")
        assertEquals("metered", waiting.reasonCode)
        assertTrue(decideSync(mobileData, "user_forced", true).syncNow, "\"Send now\" overrides wifi-only")
    }
}
