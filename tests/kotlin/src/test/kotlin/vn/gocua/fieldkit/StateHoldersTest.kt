package vn.gocua.fieldkit

import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.CoverageView
import uniffi.gocua_ffi.FeedbackSource
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.defaultPeopleReached
import uniffi.gocua_ffi.feedbackCategories
import uniffi.gocua_ffi.fieldLabel
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.FeedbackCategory
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.SessionKind
import uniffi.gocua_protocol.VisitOutcome
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

/**
 * The state holders of android/fieldkit driven as the screens drive them, over a real encrypted
 * store enrolled on the shared `gocua serve`. Every rule checked here is the core's; no test asks
 * the machine for a time zone or today's date (the suite runs in far zones too).
 */
class StateHoldersTest {
    private val server get() = TestServer.server

    @Test
    fun `enrol by QR code, a foreign QR code and a used code are shown with the core's words`() {
        withKit(FieldProfile.open(Fixtures.dataDir().path, generateKey())) {
            val vm = EnrolViewModel(kit, scope)
            assertNull(vm.onScanned("https://example.com/not-ours"))
            val foreign = assertNotNull(vm.state.value.error, "a foreign QR code is refused")
            assertEquals("enrol_link", foreign.problems.single().field, "the core names what was wrong")
            assertEquals(fieldLabel("enrol_link", Lang.VI), foreign.problems.single().label.vi)

            // Typed by hand without a server address: the core's problem, on that field.
            vm.onServerUrl("")
            vm.onCode("ABCD-1234")
            vm.submit().join()
            assertNotNull(vm.state.value.error?.field("server_url"), "${vm.state.value.error}")

            val code = server.enrolCode("Nguyễn Thị Thu Hương")
            vm.onScanned("gocua://enrol?server=${server.url}/&code=${code.lowercase()}")!!.join()
            val s = vm.state.value
            assertNull(s.error, "enrolled without error: ${s.error}")
            assertEquals("Nguyễn Thị Thu Hương", s.enrolled?.volunteerName)
            assertEquals("Đội TNTN Phường Bến Tre", s.enrolled?.teamName)
            assertEquals(server.url, s.serverUrl, "the core's tidy address (no trailing /)")
            assertEquals(code, s.code, "the core's tidy code (capitals)")
            // Enrolment plans the periodic background sync, on wifi only by default.
            val work = scheduler.enqueued.single()
            assertTrue(work.periodic && work.requireUnmetered, "$work")
        }
        withKit(FieldProfile.open(Fixtures.dataDir().path, generateKey())) {
            val code = server.enrolCode("Trần Văn Bảy")
            Fixtures.enrolled("someone else").destroy()
            FieldProfile.open(Fixtures.dataDir().path, generateKey()).use { kotlinx.coroutines.runBlocking { it.enrol(server.url, code, "first", "0.1.0") } }
            val vm = EnrolViewModel(kit, scope)
            vm.onServerUrl(server.url)
            vm.onCode(code.lowercase())
            vm.submit().join()
            assertEquals(code, vm.state.value.code, "the code as the core reads it")
            val e = assertNotNull(vm.state.value.error)
            assertIs<FieldKitException.ServerRefused>(e.exception)
            assertEquals("enrol_code_used", e.code)
            assertTrue(e.message.vi.isNotBlank() && e.message.en.isNotBlank())
            assertNull(vm.state.value.enrolled)
        }
    }

    @Test
    fun `find or create - field errors from the core, diacritic-insensitive search, hamlet filter, pages`() {
        withKit(Fixtures.enrolled("Lê Minh Tâm")) {
            val form = HouseholdFormViewModel(kit, scope)
            form.load(headName = "", hamletCode = GoCuaServer.HAMLET_A1_KP1).join()
            assertEquals(GoCuaServer.COMMUNE_A1, form.state.value.communeCode)
            assertTrue(form.state.value.hamletsOfCommune.any { it.name == "Khu phố 2" })
            form.onMembers("")
            form.submit().join()
            val empty = assertNotNull(form.state.value.error)
            assertNotNull(empty.field("head_name"), "an empty name: the core's problem on head_name ($empty)")
            assertNotNull(empty.field("members"), "no members typed: the core's range problem ($empty)")
            assertEquals(fieldLabel("head_name", Lang.VI), empty.problems.first { it.field == "head_name" }.label.vi)
            assertNull(form.state.value.saved)

            form.onHeadName("  Nguye\u0302\u0303n Va\u0306n  Ả ") // decomposed, extra spaces: the core tidies it
            form.onAddress("12 Nguyễn Đình Chiểu")
            form.onMembers("5")
            form.onPhone("0912 345 678")
            form.submit().join()
            assertNotNull(form.state.value.error?.field("phone"), "a phone without consent is refused on the phone field: ${form.state.value.error}")
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
    fun `the household list is never silently capped - more pages load when asked`() {
        withKit(Fixtures.enrolled("Dương Văn Tư")) {
            val ids = (1..7).map { i -> kit.profile.createHousehold(Fixtures.household("Hộ số $i", addressLine = "$i Trần Phú")).id }.toSet()
            val list = HouseholdsViewModel(kit, scope, debounceMs = 0, pageSize = 3u)
            list.load().join()
            assertEquals(3, list.state.value.results.size)
            assertTrue(list.state.value.hasMore)
            list.loadMore().join()
            assertEquals(6, list.state.value.results.size)
            assertTrue(list.state.value.hasMore)
            list.loadMore().join()
            assertEquals(ids, list.state.value.results.map { it.id }.toSet(), "every household is reachable")
            assertTrue(!list.state.value.hasMore)
            list.loadMore().join() // nothing more: nothing changes
            assertEquals(7, list.state.value.results.size)

            // A new search starts again from its first page.
            list.onQuery("ho so").join()
            assertEquals(3, list.state.value.results.size)
            assertTrue(list.state.value.hasMore)
            list.loadMore().join()
            list.loadMore().join()
            assertEquals(ids, list.state.value.results.map { it.id }.toSet())
        }
    }

    @Test
    fun `not yet visited - the households the campaign has not reached, of a hamlet or every team commune, paged, with the coverage`() {
        withKit(Fixtures.enrolled("Trịnh Văn Hậu")) {
            val p = kit.profile
            val an = p.createHousehold(Fixtures.household("Lê Văn An")).id
            val binh = p.createHousehold(Fixtures.household("Lê Văn Bình")).id
            val cuc = p.createHousehold(Fixtures.household("Lê Thị Cúc", hamletCode = "28789-KP2")).id
            val dung = p.createHousehold(Fixtures.household("Lê Văn Dũng", communeCode = GoCuaServer.COMMUNE_A2, hamletCode = "28756-KP3")).id
            val em = p.createHousehold(Fixtures.household("Lê Văn Em", communeCode = GoCuaServer.COMMUNE_A2, hamletCode = null)).id
            p.recordVisit(Fixtures.visit(binh))

            val list = HouseholdsViewModel(kit, scope, debounceMs = 0, pageSize = 2u)
            list.load().join()
            assertEquals(CoverageView(households = 5u, visited = 1u, notVisited = 4u), list.state.value.coverage, "every team commune")
            assertEquals(4L, list.state.value.notVisitedCount)
            assertTrue(!list.state.value.notVisited)

            list.onQuery("le van").join()
            list.onNotVisited(true).join()
            assertEquals("", list.state.value.query, "the toggle clears the search")
            assertEquals(2, list.state.value.results.size)
            assertTrue(list.state.value.hasMore)
            while (list.state.value.hasMore) list.loadMore().join()
            val ids = list.state.value.results.map { it.id }
            assertEquals(ids.size, ids.toSet().size, "no household twice: $ids")
            assertEquals(setOf(an, cuc, dung, em), ids.toSet(), "every commune's unreached households, the visited one left out")

            list.onHamlet(GoCuaServer.HAMLET_A1_KP1).join()
            assertEquals(listOf(an), list.state.value.results.map { it.id })
            assertEquals(CoverageView(households = 2u, visited = 1u, notVisited = 1u), list.state.value.coverage, "the hamlet's count")
            assertTrue(!list.state.value.hasMore)

            p.recordVisit(Fixtures.visit(an))
            list.onNotVisited(true).join()
            assertTrue(list.state.value.results.isEmpty())
            assertEquals(0L, list.state.value.notVisitedCount)

            list.onQuery("binh").join()
            assertTrue(!list.state.value.notVisited, "a search looks through every household")
            assertEquals(listOf(binh), list.state.value.results.map { it.id })
            list.onNotVisited(false).join()
        }
    }

    @Test
    fun `new visit - problems by field, saved with consent in one call, counted, in the history, corrected, follow-up due`() {
        withKit(Fixtures.enrolled("Đặng Thị Mỹ Linh")) {
            val today = kit.profile.today() // the deployment's calendar, whatever zone this JVM runs in
            val h = kit.profile.createHousehold(Fixtures.household("Huỳnh Văn Sáu", phone = "0387 123 456"))
            val vm = NewVisitViewModel(kit, scope)
            vm.load(h.id).join()
            val start = vm.state.value
            assertEquals("Huỳnh Văn Sáu", start.household?.headName)
            assertTrue(start.services.any { it.key == "birth_registration" })
            assertTrue(start.consent && start.asksConsent)
            assertEquals(VisitOutcome.Met, start.outcome)
            assertEquals(defaultPeopleReached(VisitOutcome.Met).toString(), start.peopleReached, "the core's starting number")
            assertTrue(start.allowsAssists)

            vm.addService("birth_registration")
            val catalogued = vm.state.value.services.first { it.key == "birth_registration" }
            assertEquals(catalogued.level42, vm.state.value.assists.single().level42, "the catalogue's level is the default")
            vm.onLevel42(0, Level42.ToanTrinh)
            assertEquals(Level42.ToanTrinh, vm.state.value.assists.single().level42)
            vm.onResult(0, AssistResult.Submitted)
            assertTrue(vm.state.value.assists[0].needsDossierCode)
            vm.onPeopleReached("3")
            vm.submit().join()
            val noDossier = assertNotNull(vm.state.value.error?.problems?.singleOrNull { it.field == "assists[0].dossier_code" }, "no dossier code: ${vm.state.value.error}")
            assertEquals("Mã hồ sơ (dịch vụ 1)", noDossier.label.vi, "the core's label, for the error summary")
            assertNull(vm.state.value.saved)

            vm.onDossierCode(0, " G22.46.11-251123-0042 ")
            vm.addService("vneid_level2_activation")
            vm.onResult(1, AssistResult.NotFinished)
            assertTrue(vm.state.value.assists[1].needsReason)
            vm.onReason(1, NotFinishedReason.NoChipIdCard)
            vm.onFollowUp("ngày mai")
            vm.submit().join()
            assertNotNull(vm.state.value.error?.field("follow_up_on"), "a follow-up that is not a date")
            vm.onFollowUp(formatDay(today, Lang.VI))
            vm.onNote("Cháu bé sinh tháng 10.")
            vm.submit().join()
            val v = assertNotNull(vm.state.value.saved, "saved: ${vm.state.value.error}")
            assertEquals(3, v.peopleReached.toInt())
            assertEquals("G22.46.11-251123-0042", v.assists[0].dossierCode, "the core tidied the code")
            assertEquals(NotFinishedReason.NoChipIdCard, v.assists[1].notFinishedReason)
            assertEquals(today, v.followUpOn)
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
            assertEquals("Thủ tục đăng ký khai sinh", detail.state.value.visits.single().assists[0].serviceNameVi)

            val list = HouseholdsViewModel(kit, scope, debounceMs = 0)
            list.load().join()
            assertTrue(list.state.value.followUps.any { it.household.id == h.id && it.followUpOn == today }, "the follow-up due today is listed")

            // A correction: the form starts from the visit; the core makes revision 2. The consent
            // withdrawn at the same time goes with it, in the same call.
            val fix = NewVisitViewModel(kit, scope)
            fix.loadCorrection(v.id).join()
            assertEquals(v.id, fix.state.value.correcting)
            assertEquals("G22.46.11-251123-0042", fix.state.value.assists[0].dossierCode)
            assertEquals(formatDay(today, Lang.VI), fix.state.value.followUp)
            fix.onPeopleReached("4")
            fix.onConsent(false) // the household withdraws consent to keep the phone number
            fix.submit().join()
            val v2 = assertNotNull(fix.state.value.saved, "${fix.state.value.error}")
            assertEquals(2u, v2.revision)
            assertEquals(4, v2.peopleReached.toInt())
            assertTrue(!kit.profile.household(h.id).consentGiven, "the consent change was recorded on the household")
            assertNull(kit.profile.household(h.id).phone, "without consent the phone number is not kept")

            // Nobody met: the core's starting number, and services are refused by the core.
            val none = NewVisitViewModel(kit, scope)
            none.load(h.id).join()
            none.addService("birth_registration")
            none.onOutcome(VisitOutcome.NotHome)
            assertEquals(defaultPeopleReached(VisitOutcome.NotHome).toString(), none.state.value.peopleReached)
            assertTrue(!none.state.value.allowsAssists)
            none.submit().join()
            assertNotNull(none.state.value.error, "services without meeting anyone are refused")
            none.removeService(0)
            none.submit().join()
            assertNotNull(none.state.value.saved, "${none.state.value.error}")
            // Met again: the core's starting number comes back.
            none.onOutcome(VisitOutcome.Met)
            assertEquals(defaultPeopleReached(VisitOutcome.Met).toString(), none.state.value.peopleReached)
        }
    }

    @Test
    fun `outreach session and feedback`() {
        withKit(Fixtures.enrolled("Võ Thành Đạt")) {
            val s = SessionViewModel(kit, scope)
            s.load().join()
            assertEquals(formatDay(kit.profile.today(), Lang.VI), s.state.value.heldOn, "today in the deployment's calendar")
            assertTrue(s.state.value.areas.any { it.name == "Khu phố 1" })
            s.onKind(SessionKind.CommunityMeeting)
            s.onArea(GoCuaServer.HAMLET_A1_KP1)
            s.onPlace("Nhà văn hóa Khu phố 1")
            s.submit().join()
            assertNotNull(s.state.value.error?.field("attendees"))
            s.onAttendees("46")
            s.onMaterials("tờ rơi, pano hướng dẫn VNeID; ")
            s.submit().join()
            val sessionId = assertNotNull(s.state.value.savedId, "${s.state.value.error}")

            val f = FeedbackViewModel(kit, scope)
            f.start(source = FeedbackSource.Session(sessionId), areaCode = GoCuaServer.HAMLET_A1_KP1)
            assertEquals(feedbackCategories().first(), f.state.value.category, "the first category of the core's list")
            f.submit().join()
            assertIs<FieldKitException.Validation>(f.state.value.error?.exception, "empty feedback is refused by the core: ${f.state.value.error}")
            f.onCategory(FeedbackCategory.PortalIssues)
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
