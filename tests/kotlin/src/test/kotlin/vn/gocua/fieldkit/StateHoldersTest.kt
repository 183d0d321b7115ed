package vn.gocua.fieldkit

import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.generateKey
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer
import vn.gocua.ffi.TestServer
import vn.gocua.fieldkit.state.EnrolViewModel
import vn.gocua.fieldkit.state.FeedbackViewModel
import vn.gocua.fieldkit.state.HouseholdDetailViewModel
import vn.gocua.fieldkit.state.HouseholdFormViewModel
import vn.gocua.fieldkit.state.HouseholdsViewModel
import vn.gocua.fieldkit.state.NewVisitViewModel
import vn.gocua.fieldkit.state.SessionViewModel
import vn.gocua.fieldkit.state.SettingsViewModel
import vn.gocua.fieldkit.state.TodayViewModel
import vn.gocua.fieldkit.text.Format
import vn.gocua.fieldkit.text.Lang

/**
 * The state holders of android/fieldkit driven as the screens drive them, over a real encrypted
 * store enrolled on the shared `gocua serve`. Every rule checked here is the core's.
 */
class StateHoldersTest {
    private val server get() = TestServer.server
    private val today = LocalDate.now(Format.VIETNAM)

    @Test
    fun `enrol by QR code, a bad QR code and a used code are shown on the code field or as the server's message`() {
        withKit(FieldProfile.open(Fixtures.dataDir().path, generateKey())) {
            val vm = EnrolViewModel(kit, scope)
            assertNull(vm.onScanned("https://example.com/not-ours"))
            assertNotNull(vm.state.value.error?.field("code"), "a foreign QR code is reported on the code field")

            val code = server.enrolCode("Nguyễn Thị Thu Hương")
            vm.onScanned("gocua://enrol?server=${server.url}&code=$code")!!.join()
            val s = vm.state.value
            assertNull(s.error, "enrolled without error: ${s.error}")
            assertEquals("Nguyễn Thị Thu Hương", s.enrolled?.volunteerName)
            assertEquals("Đội TNTN Phường Bến Tre", s.enrolled?.teamName)
            assertEquals(server.url, s.serverUrl)
            // Enrolment plans the periodic background sync, on wifi only by default.
            val work = scheduler.enqueued.single()
            assertTrue(work.periodic && work.requireUnmetered, "$work")
        }
        withKit(FieldProfile.open(Fixtures.dataDir().path, generateKey())) {
            val code = server.enrolCode("Trần Văn Bảy")
            Fixtures.enrolled("someone else").destroy()
            FieldProfile.open(Fixtures.dataDir().path, generateKey()).use { it.enrol(server.url, code, "first", "0.1.0") }
            val vm = EnrolViewModel(kit, scope)
            vm.onServerUrl(server.url)
            vm.onCode(code.lowercase())
            assertEquals(code, vm.state.value.code, "codes are upper-cased as typed")
            vm.submit().join()
            val e = vm.state.value.error
            assertEquals("server_refused", e?.kind)
            assertTrue(e!!.message.vi.isNotBlank() && e.message.en.isNotBlank())
            assertNull(vm.state.value.enrolled)
        }
    }

    @Test
    fun `find or create - field errors from the core, diacritic-insensitive search, hamlet filter`() {
        withKit(Fixtures.enrolled("Lê Minh Tâm")) {
            val form = HouseholdFormViewModel(kit, scope)
            form.load(headName = "", hamletCode = GoCuaServer.HAMLET_A1_KP1).join()
            assertEquals(GoCuaServer.COMMUNE_A1, form.state.value.communeCode)
            assertTrue(form.state.value.hamletsOfCommune.any { it.name == "Khu phố 2" })
            form.submit().join()
            assertNotNull(form.state.value.error?.field("head_name"), "an empty name: the core's problem on head_name (${form.state.value.error})")
            assertNull(form.state.value.saved)

            form.onHeadName("  Nguye\u0302\u0303n Va\u0306n  Ả ") // decomposed, extra spaces
            form.onAddress("12 Nguyễn Đình Chiểu")
            form.onMembers("5")
            form.onPhone("0912 345 678")
            form.submit().join()
            assertNotNull(form.state.value.error?.field("phone"), "a phone without consent is refused on the phone field")
            form.onConsent(true)
            form.submit().join()
            val a = assertNotNull(form.state.value.saved, "saved: ${form.state.value.error}")
            assertEquals("Nguyễn Văn Ả", a.headName)
            assertTrue(a.consentGiven)

            val other = HouseholdFormViewModel(kit, scope)
            other.load("Phạm Thị Xuân Quỳnh", "28789-KP2").join()
            other.onAddress("88 Hùng Vương")
            other.submit().join()
            assertEquals("28789-KP2", assertNotNull(other.state.value.saved).hamletCode)

            val list = HouseholdsViewModel(kit, scope, debounceMs = 0)
            list.load().join()
            assertTrue(list.state.value.hamlets.map { it.name }.containsAll(listOf("Khu phố 1", "Khu phố 2", "Khu phố 3")))
            assertEquals("Phường Bến Tre", list.state.value.areaNames[GoCuaServer.COMMUNE_A1])
            assertTrue(list.state.value.results.map { it.id }.containsAll(listOf(a.id, other.state.value.saved!!.id)))

            for (q in listOf("nguyen van a", "NGUYỄN VĂN Ả", "van a")) {
                list.onQuery(q).join()
                assertTrue(list.state.value.results.any { it.id == a.id }, "\"$q\" finds Nguyễn Văn Ả: ${list.state.value.results.map { it.headName }}")
                assertTrue(list.state.value.results.none { it.headName == "Phạm Thị Xuân Quỳnh" })
            }
            list.onQuery("").join()
            list.onHamlet("28789-KP2").join()
            val kp2 = list.state.value.results
            assertTrue(kp2.isNotEmpty() && kp2.all { it.hamletCode == "28789-KP2" }, "$kp2")
            assertTrue(kp2.any { it.headName == "Phạm Thị Xuân Quỳnh" })
            list.onQuery("quynh").join()
            assertEquals(listOf("Phạm Thị Xuân Quỳnh"), list.state.value.results.map { it.headName }.distinct())
            list.onHamlet(GoCuaServer.HAMLET_A1_KP1).join()
            assertTrue(list.state.value.results.none { it.headName == "Phạm Thị Xuân Quỳnh" }, "the hamlet filter applies to searches")
        }
    }

    @Test
    fun `new visit - problems by field, saved, counted, in the history, corrected, follow-up due`() {
        withKit(Fixtures.enrolled("Đặng Thị Mỹ Linh")) {
            val h = kit.profile.createHousehold(Fixtures.household("Huỳnh Văn Sáu", phone = "0387 123 456"))
            val vm = NewVisitViewModel(kit, scope)
            vm.load(h.id).join()
            assertEquals("Huỳnh Văn Sáu", vm.state.value.household?.headName)
            assertTrue(vm.state.value.services.any { it.key == "birth_registration" })
            assertTrue(vm.state.value.consent)

            vm.addService("birth_registration")
            val catalogued = vm.state.value.services.first { it.key == "birth_registration" }
            assertEquals(catalogued.level42, vm.state.value.assists.single().level42, "the catalogue's level is the default")
            vm.onLevel42(0, "toan_trinh")
            assertEquals("toan_trinh", vm.state.value.assists.single().level42)
            vm.onResult(0, "submitted")
            assertTrue(vm.state.value.needsDossier(0))
            vm.onPeopleReached("3")
            vm.submit().join()
            assertNotNull(vm.state.value.error?.field("assists[0].dossier_code"), "no dossier code: ${vm.state.value.error}")
            assertNull(vm.state.value.saved)

            vm.onAssist(0) { it.copy(dossierCode = "G22.46.11-251123-0042") }
            vm.addService("vneid_level2_activation")
            vm.onResult(1, "not_finished")
            vm.onReason(1, "no_chip_id_card")
            vm.onFollowUp("ngày mai")
            vm.submit().join()
            assertNotNull(vm.state.value.error?.field("follow_up_on"), "a follow-up that is not a date")
            vm.onFollowUp(Format.day(today))
            vm.onNote("Cháu bé sinh tháng 10.")
            vm.submit().join()
            val v = assertNotNull(vm.state.value.saved, "saved: ${vm.state.value.error}")
            assertEquals(3, v.peopleReached.toInt())
            assertEquals("G22.46.11-251123-0042", v.assists[0].dossierCode)
            assertEquals("no_chip_id_card", v.assists[1].notFinishedReason)
            assertEquals(today.toString(), v.followUpOn)
            assertTrue(scheduler.enqueued.any { !it.periodic }, "a one-off sync was requested after saving")

            val todayVm = TodayViewModel(kit, scope)
            todayVm.load().join()
            val t = todayVm.state.value
            assertEquals(1uL, t.counts?.today?.visits)
            assertEquals(3uL, t.counts?.today?.peopleReached)
            assertEquals(1uL, t.counts?.today?.servicesSupported, "the core counts the submitted service, not the unfinished one")
            assertEquals(2u, t.queue?.pending, "the household and the visit wait to be sent")
            assertEquals("Đặng Thị Mỹ Linh", t.profile?.volunteerName)

            val detail = HouseholdDetailViewModel(kit, scope)
            detail.load(h.id).join()
            assertEquals("Khu phố 1, Phường Bến Tre", detail.state.value.place)
            assertEquals(listOf(v.id), detail.state.value.visits.map { it.id })
            assertEquals("Thủ tục đăng ký khai sinh", detail.state.value.serviceNames["birth_registration"]?.first)

            val list = HouseholdsViewModel(kit, scope, debounceMs = 0)
            list.load().join()
            assertTrue(list.state.value.followUps.any { it.household.id == h.id }, "the follow-up due today is listed")

            // A correction: the form starts from the visit; the core makes revision 2.
            val fix = NewVisitViewModel(kit, scope)
            fix.loadCorrection(v.id).join()
            assertEquals(v.id, fix.state.value.correcting)
            assertEquals("G22.46.11-251123-0042", fix.state.value.assists[0].dossierCode)
            assertEquals(Format.day(today), fix.state.value.followUp)
            fix.onPeopleReached("4")
            fix.onConsent(false) // the household withdraws consent to keep the phone number
            fix.submit().join()
            val v2 = assertNotNull(fix.state.value.saved, "${fix.state.value.error}")
            assertEquals(2u, v2.revision)
            assertEquals(4, v2.peopleReached.toInt())
            assertTrue(!kit.profile.household(h.id).consentGiven, "the consent change was recorded on the household")
            assertNull(kit.profile.household(h.id).phone, "without consent the phone number is not kept")

            // Nobody met: nobody reached, and services are refused by the core.
            val none = NewVisitViewModel(kit, scope)
            none.load(h.id).join()
            none.onOutcome("not_home")
            assertEquals("0", none.state.value.peopleReached)
            none.addService("birth_registration")
            none.submit().join()
            assertNotNull(none.state.value.error, "services without meeting anyone are refused")
            none.removeService(0)
            none.submit().join()
            assertNotNull(none.state.value.saved, "${none.state.value.error}")
        }
    }

    @Test
    fun `outreach session and feedback`() {
        withKit(Fixtures.enrolled("Võ Thành Đạt")) {
            val s = SessionViewModel(kit, scope, today = { LocalDate.of(2026, 11, 25) })
            s.load().join()
            assertEquals("25/11/2026", s.state.value.heldOn)
            assertTrue(s.state.value.areas.any { it.name == "Khu phố 1" })
            s.onKind("community_meeting")
            s.onArea(GoCuaServer.HAMLET_A1_KP1)
            s.onPlace("Nhà văn hóa Khu phố 1")
            s.submit().join()
            assertNotNull(s.state.value.error?.field("attendees"))
            s.onAttendees("46")
            s.onMaterials("tờ rơi, pano hướng dẫn VNeID; ")
            s.submit().join()
            assertNotNull(s.state.value.savedId, "${s.state.value.error}")

            val f = FeedbackViewModel(kit, scope)
            f.start(sourceType = "session", sourceId = s.state.value.savedId, areaCode = GoCuaServer.HAMLET_A1_KP1)
            assertEquals("infrastructure", f.state.value.category, "the first category of the core's list")
            f.submit().join()
            assertEquals("validation", f.state.value.error?.kind, "empty feedback is refused by the core: ${f.state.value.error}")
            f.onCategory("portal_issues")
            f.onText("Cổng dịch vụ công báo lỗi khi thanh toán lệ phí.")
            f.submit().join()
            assertNotNull(f.state.value.savedId, "${f.state.value.error}")
            assertEquals(2u, kit.profile.queueStatus().pending)
        }
    }

    @Test
    fun `settings change the language and the background work's network`() {
        withKit(Fixtures.enrolled("Bùi Quốc Khánh")) {
            val vm = SettingsViewModel(kit, scope)
            vm.load().join()
            assertEquals("Bùi Quốc Khánh", vm.state.value.profile?.volunteerName)
            assertTrue(vm.state.value.settings.wifiOnly)
            vm.setWifiOnly(false)
            vm.setLang(Lang.EN)
            kotlinx.coroutines.delay(50)
            assertEquals(Lang.EN, vm.state.value.settings.lang)
            assertTrue(!vm.state.value.settings.wifiOnly)
            assertTrue(!scheduler.enqueued.last().requireUnmetered && scheduler.enqueued.last().periodic)
        }
    }
}
