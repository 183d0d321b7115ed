package vn.gocua.fieldkit

import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_core.SyncTrigger
import vn.gocua.ffi.Fixtures
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.state.TodayViewModel
import vn.gocua.fieldkit.sync.AutoSync
import vn.gocua.fieldkit.sync.OneOffPolicy
import vn.gocua.fieldkit.sync.SyncPlan

/** The background work fieldkit asks WorkManager for, per trigger (the app maps it one to one). */
class SyncPlanTest {
    private val wifiOnly = AppSettings(wifiOnly = true)
    private val anyNetwork = AppSettings(wifiOnly = false)

    @Test
    fun `automatic syncs - save, foreground, connectivity - keep a queued or running sync, on the wifi-only setting`() {
        for (why in AutoSync.entries) {
            val w = SyncPlan.automatic(wifiOnly, why)
            assertEquals(OneOffPolicy.KEEP, w.existing, "$why never cancels a running sync")
            assertEquals(SyncPlan.AUTO_NAME, w.uniqueName, "$why: one automatic sync at a time")
            assertFalse(w.periodic || w.expedited || w.mobileDataOnce, "$why")
            assertTrue(w.requireUnmetered, "$why follows wifi-only")
            assertFalse(SyncPlan.automatic(anyNetwork, why).requireUnmetered, "$why with wifi-only off")
        }
        assertEquals(SyncTrigger.APP_FOREGROUND, SyncPlan.automatic(wifiOnly, AutoSync.RECORD_SAVED).trigger)
        assertEquals(SyncTrigger.APP_FOREGROUND, SyncPlan.automatic(wifiOnly, AutoSync.FOREGROUND).trigger)
        assertEquals(SyncTrigger.PERIODIC, SyncPlan.automatic(wifiOnly, AutoSync.CONNECTIVITY).trigger, "background, like the periodic work")
    }

    @Test
    fun `periodic work follows the wifi-only setting`() {
        val p = SyncPlan.periodic(wifiOnly)
        assertTrue(p.periodic && p.requireUnmetered)
        assertEquals(360L, p.repeatMinutes)
        assertEquals(SyncTrigger.PERIODIC, p.trigger)
        assertEquals("periodic", p.trigger.code())
        assertFalse(SyncPlan.periodic(anyNetwork).requireUnmetered)
    }

    @Test
    fun `send now is expedited, respects wifi-only, and only the volunteer's override takes any network`() {
        val plain = SyncPlan.sendNow(wifiOnly)
        assertTrue(plain.expedited && !plain.periodic)
        assertEquals(OneOffPolicy.KEEP, plain.existing)
        assertEquals(SyncTrigger.USER_FORCED, plain.trigger)
        assertTrue(plain.requireUnmetered, "\"Gửi ngay\" waits for wifi when wifi-only is on")
        assertFalse(plain.mobileDataOnce)

        val once = SyncPlan.sendNow(wifiOnly, mobileDataOnce = true)
        assertTrue(once.expedited)
        assertFalse(once.requireUnmetered, "the override: any connection")
        assertTrue(once.mobileDataOnce, "the flag goes to the core's policy")
        assertEquals(SyncTrigger.USER_FORCED, once.trigger)
        // Its own unique name: a "Gửi ngay" still waiting for wifi cannot hold it back (KEEP would
        // drop it, APPEND_OR_REPLACE would chain it behind the waiting one).
        assertNotEquals(plain.uniqueName, once.uniqueName)
        assertNotEquals(SyncPlan.AUTO_NAME, plain.uniqueName, "an automatic sync waiting for wifi cannot hold it back either")

        val off = SyncPlan.sendNow(anyNetwork)
        assertFalse(off.requireUnmetered, "wifi-only off: any network")
        assertEquals(once.uniqueName, off.uniqueName, "one name per network requirement")
    }

    @Test
    fun `saving and Today's buttons ask for the planned work, and Today shows why a queued send-now waits`() {
        withKit(Fixtures.enrolled("Đinh Thị Lan")) {
            kit.requestSyncSoon()
            assertEquals(SyncPlan.automatic(settings.settings.value, AutoSync.RECORD_SAVED), scheduler.enqueued.last())

            val vm = TodayViewModel(kit, scope)
            network.facts = FakeNetwork.MOBILE_DATA
            vm.syncNow().join()
            assertEquals(SyncPlan.sendNow(settings.settings.value), scheduler.enqueued.last())
            val s = vm.state.value
            assertTrue(s.canForce, "the core would send with the override")
            assertNotNull(kit.sync.progress.value.waiting, "the core's reason for waiting is shown").also {
                assertTrue(it.vi.contains("Gửi ngay bằng dữ liệu di động"), it.vi)
            }

            vm.sendNowOnMobileData().join()
            val forced = scheduler.enqueued.last()
            assertEquals(SyncPlan.sendNow(settings.settings.value, mobileDataOnce = true), forced)
            assertFalse(vm.state.value.canForce)
            assertNull(kit.sync.progress.value.waiting, "nothing to wait for with the override")
        }
    }
}
