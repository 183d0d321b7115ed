package vn.gocua.ffi

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.AssistResult
import vn.gocua.ffi.Fixtures.assist
import vn.gocua.ffi.Fixtures.household
import vn.gocua.ffi.Fixtures.visit

/**
 * Lifetime and memory through the Kotlin bindings: 1,000 open/close cycles of one profile and
 * 10,000 visits (10 per cycle), every object released with `use {}` (uniffi's destroy, which frees
 * the Rust object and with it the store's connections).
 *
 * Resident memory (VmRSS of this JVM) is read after a warm-up of [WARM_UP] cycles and at the end.
 * The heap is fixed in size and pre-touched (surefire argLine: -Xms256m -Xmx256m
 * -XX:+AlwaysPreTouch), so growth in RSS is native memory: SQLite/SQLCipher connections, Rust
 * allocations, JNA buffers. Leaking one store per cycle would cost well over 1 MiB each (page
 * caches and SQLCipher contexts), i.e. more than 900 MiB over the measured cycles.
 *
 * Measured on the 2-core Linux dev machine (debug build of the library): see README.md; the bound
 * below leaves a wide margin over those numbers while staying far below a per-cycle leak.
 */
class MemoryTest {
    companion object {
        const val CYCLES = 1_000
        const val VISITS_PER_CYCLE = 10
        const val WARM_UP = 100
        const val MAX_GROWTH_MIB = 32.0
    }

    private fun rssKib(): Long {
        val line = File("/proc/self/status").readLines().first { it.startsWith("VmRSS:") }
        return line.removePrefix("VmRSS:").trim().removeSuffix("kB").trim().toLong()
    }

    private fun settledRssMib(): Double {
        repeat(3) {
            System.gc()
            Thread.sleep(50)
        }
        return rssKib() / 1024.0
    }

    @Test
    fun `1000 open-close cycles and 10000 visits stay within a fixed memory bound`() {
        val dir = Fixtures.memoryDataDir() // memory, not the disk, is measured here
        val key = generateKey()
        val householdId = Fixtures.enrolled("Kiều Thị Nga", dir, key).use { p ->
            p.createHousehold(household("Hộ đo bộ nhớ")).id
        }
        val assists = listOf(assist("birth_registration", result = AssistResult.CompletedOnline), assist("vneid_level2_activation"))
        val start = System.nanoTime()
        var rssWarm = 0.0
        val samples = mutableListOf<Pair<Int, Double>>()
        var visits = 0
        for (cycle in 1..CYCLES) {
            val profile = FieldProfile.open(dir.path, key)
            profile.use { p ->
                repeat(VISITS_PER_CYCLE) { i ->
                    p.recordVisit(visit(householdId, assists, peopleReached = 1 + i % 3, note = "Lượt $cycle.$i"))
                    visits++
                }
                if (cycle % 100 == 0) {
                    // Closing the store explicitly: later calls are refused with Closed.
                    p.closeProfile()
                    assertFailsWith<FieldKitException.Closed> { p.queueStatus() }
                }
            }
            assertTrue(profile.uniffiIsDestroyed, "use {} destroyed the object of cycle $cycle")
            if (cycle == WARM_UP) rssWarm = settledRssMib()
            if (cycle % 250 == 0) samples += cycle to settledRssMib()
        }
        val seconds = (System.nanoTime() - start) / 1e9
        val rssEnd = settledRssMib()
        val growth = rssEnd - rssWarm

        // Every visit is really there (and the store still opens) after all the cycles.
        FieldProfile.open(dir.path, key).use { p ->
            assertEquals(CYCLES * VISITS_PER_CYCLE, p.householdVisits(householdId).size)
            assertEquals((CYCLES * VISITS_PER_CYCLE + 1).toUInt(), p.queueStatus().pending)
        }
        assertEquals(CYCLES * VISITS_PER_CYCLE, visits)

        val report = buildString {
            append("[memory] %d open/close cycles, %d visits in %.1f s; VmRSS after %d warm-up cycles %.1f MiB, "
                .format(CYCLES, visits, seconds, WARM_UP, rssWarm))
            append(samples.joinToString { (c, mib) -> "after %d: %.1f MiB".format(c, mib) })
            append("; at the end %.1f MiB; growth %.1f MiB (bound %.0f MiB)".format(rssEnd, growth, MAX_GROWTH_MIB))
        }
        println(report)
        assertTrue(growth < MAX_GROWTH_MIB, report)
    }
}
