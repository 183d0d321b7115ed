package vn.gocua.fieldkit

import java.time.Instant
import java.time.temporal.ChronoUnit
import kotlin.test.assertEquals
import kotlin.test.assertNull
import org.junit.jupiter.api.Test
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.ffi.Fixtures
import vn.gocua.fieldkit.state.HouseholdDetailViewModel

/**
 * The household page's one-tap "Không có nhà" (issue 11): one tap records one not-home visit with
 * the core's defaults, queues it, asks for a sync and confirms it; a second tap while the first is
 * being recorded records nothing more.
 */
class NotHomeStateTest {
    @Test
    fun `one tap records one not-home visit, at the time of the tap`() = withKit(Fixtures.enrolled("Tôn Nữ Thu")) {
        val profile = kit.profile
        val h = profile.createHousehold(Fixtures.household("Phan Văn Ba"))
        // The moment of the tap (relative to now: the core refuses visits from long ago).
        val at = Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.SECONDS)
        val detail = HouseholdDetailViewModel(kit, scope, clock = { at })
        detail.load(h.id).join()
        scheduler.enqueued.clear()

        val first = detail.recordNotHome()
        detail.recordNotHome().join() // a double tap
        first.join()

        val v = profile.householdVisits(h.id).single()
        assertEquals(VisitOutcome.NotHome, v.outcome)
        assertEquals(0, v.peopleReached.toInt())
        assertEquals(emptyList(), v.assists)
        assertEquals(at, v.startedAt)
        val s = detail.state.value
        assertEquals(v.id, s.notHomeSaved?.id, "the page confirms the visit")
        assertEquals(listOf(v.id), s.visits.map { it.id }, "and lists it")
        assertNull(s.error)
        assertEquals(2u, profile.queueStatus().pending, "the household and the visit wait to be sent")
        assertEquals(1, scheduler.enqueued.size, "one sync is asked for")
    }
}
