package vn.gocua.fieldkit

import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.ProblemCode
import uniffi.gocua_ffi.WalkTargetKind
import uniffi.gocua_ffi.generateKey
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer
import vn.gocua.ffi.TestServer
import vn.gocua.fieldkit.state.AssignViewModel
import vn.gocua.fieldkit.state.TodayViewModel

/**
 * Walk lists through the state holders, over real stores enrolled on the shared `gocua serve`:
 * the leader assigns a hamlet from the Assign screen's holder (offline, then synced), the member's
 * Today shows "Danh sách của tôi" first with the core's labels, and a member's holder is refused.
 */
class WalkListStateTest {
    private val server get() = TestServer.server

    /** A leader's phone: a new member made leader, enrolled with a fresh code. */
    private fun leader(name: String): FieldProfile {
        val s = server
        val member = s.admin("add-member", "--team", s.teamId, "--name", name, "--leader").lines().map { it.trim() }.last { it.length == 36 }
        val out = s.admin("enrol-code", "--team", s.teamId, "--member", member, "--server-url", s.url)
        val code = out.lines().map { it.trim() }.first { Regex("^[A-Z0-9]{4}-[A-Z0-9]{4}$").matches(it) }
        val profile = FieldProfile.open(Fixtures.dataDir().path, generateKey())
        runBlocking { profile.enrol(s.url, code, "JVM leader phone", "0.1.0-test") }
        return profile
    }

    /** A campaign around today in the deployment's calendar (the core's day, never the JVM's zone). */
    private fun runningCampaign(profile: FieldProfile) {
        val today = profile.today()
        server.admin(
            "create-campaign", "--name", "Ra quân phân công (Kotlin)",
            "--from", today.minusDays(3).toString(), "--to", today.plusDays(30).toString(), "--deadline", today.plusDays(35).toString(),
        )
    }

    @Test
    fun `a leader assigns a hamlet and the member's Today shows my list first`() {
        val member = Fixtures.enrolled("Phan Văn Tín")
        val khoa = member.profile()!!.volunteerId
        runningCampaign(member)
        member.createHousehold(Fixtures.household("Phan Văn Một"))
        member.createHousehold(Fixtures.household("Phan Văn Hai", addressLine = "14 Nguyễn Đình Chiểu"))
        runBlocking { member.sync() }

        withKit(leader("Võ Thị Lành")) {
            val vm = AssignViewModel(kit, scope)
            vm.load().join()
            val loaded = vm.state.value
            assertTrue(loaded.members.first().isLeader, "the leader first")
            assertTrue(loaded.members.any { it.id == khoa }, "${loaded.members}")
            val kp1 = loaded.hamlets.first { it.code == GoCuaServer.HAMLET_A1_KP1 }
            assertTrue(!loaded.canAssign)
            vm.onMember(khoa)
            vm.onHamlet(kp1)
            assertTrue(vm.state.value.canAssign)
            vm.assign().join()
            val made = assertNotNull(vm.state.value.assigned, "${vm.state.value.error}")
            assertEquals(WalkTargetKind.HAMLET, made.kind)
            assertEquals("Khu phố 1", made.title)
            assertEquals(listOf(made.id), vm.state.value.assignments.map { it.id })
            assertNull(vm.state.value.hamlet, "the form is cleared")
            assertTrue(scheduler.enqueued.isNotEmpty(), "a sync is asked for")
            runBlocking { kit.profile.sync() }
            assertEquals(0u, kit.profile.queueStatus().pending)

            withKit(member) {
                runBlocking { kit.profile.sync() }
                val today = TodayViewModel(kit, scope)
                today.load().join()
                val s = today.state.value
                assertTrue(!s.isLeader)
                assertEquals(listOf("Khu phố 1 — còn 2/2 hộ"), s.myList.map { it.line }, "${s.error}")
                assertEquals(GoCuaServer.HAMLET_A1_KP1, s.myList[0].hamletCode)

                // A member's Assign holder: refused by the core with its code, nothing queued.
                val theirs = AssignViewModel(kit, scope)
                theirs.load().join()
                theirs.onMember(khoa)
                theirs.onHamlet(theirs.state.value.hamlets.first())
                theirs.assign().join()
                val error = assertNotNull(theirs.state.value.error)
                val refused = assertIs<FieldKitException.Validation>(error.exception)
                assertEquals(ProblemCode.AssignerNotLeader, refused.problems.first().code)
                assertTrue(error.message.vi.contains("đội trưởng"), error.message.vi)
                assertEquals(0u, kit.profile.queueStatus().pending)
            }

            // Revoked from the leader's holder.
            vm.revoke(made.id).join()
            assertTrue(vm.state.value.assignments.isEmpty())
        }
    }
}
