package vn.gocua.ffi

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.ProblemCode
import uniffi.gocua_ffi.QueueEntryState
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.ffi.Fixtures.assist
import vn.gocua.ffi.Fixtures.household
import vn.gocua.ffi.Fixtures.visit

/** What a volunteer does offline on an enrolled phone: households, visits, search, corrections. */
class FieldWorkTest {
    @Test
    fun `records a visit with assists and finds the household without diacritics`() {
        Fixtures.enrolled("Trần Minh Khoa").use { p ->
            val h = p.createHousehold(household("Nguyễn Văn Ả", phone = "0912 345 678"))
            assertEquals("Nguyễn Văn Ả", h.headName)
            assertEquals(GoCuaServer.HAMLET_A1_KP1, h.hamletCode)
            assertTrue(h.consentGiven)

            val v = p.recordVisit(
                visit(
                    h.id,
                    peopleReached = 3,
                    note = "Bà Ả cần làm lại căn cước",
                    assists = listOf(
                        assist("birth_registration", result = AssistResult.Submitted, dossierCode = "H57.21-250314-0001", level42 = Level42.ToanTrinh),
                        assist("vneid_level2_activation", result = AssistResult.CompletedOnline),
                        assist("permanent_residence", result = AssistResult.NotFinished, notFinishedReason = NotFinishedReason.NoChipIdCard),
                    ),
                ),
            )
            assertEquals(1u, v.revision)
            assertEquals(null, v.supersedes)
            assertEquals(listOf("birth_registration", "vneid_level2_activation", "permanent_residence"), v.assists.map { it.serviceKey })
            assertEquals("Thủ tục đăng ký khai sinh", v.assists[0].serviceNameVi, "assists carry the catalogue's names")
            assertEquals("H57.21-250314-0001", v.assists[0].dossierCode)
            assertEquals(NotFinishedReason.NoChipIdCard, v.assists[2].notFinishedReason)
            assertEquals(VisitOutcome.Met, v.outcome)

            // Search folds case and Vietnamese diacritics: "nguyen van a" finds "Nguyễn Văn Ả".
            for (query in listOf("nguyen van a", "NGUYEN VAN A", "Nguyễn Văn Ả", "van a")) {
                val found = p.searchHouseholds(query, pageSize = 10u).items
                assertEquals(listOf(h.id), found.map { it.id }, "query \"$query\"")
                assertEquals("Nguyễn Văn Ả", found.single().headName)
                assertEquals(VisitOutcome.Met, found.single().lastOutcome)
            }
            assertEquals(listOf(h.id), p.searchHouseholds("nguyen dinh chieu", communeCode = GoCuaServer.COMMUNE_A1).items.map { it.id })
            assertEquals(emptyList(), p.searchHouseholds("nguyen van b").items)
            assertEquals(emptyList(), p.searchHouseholds("nguyen van a", communeCode = GoCuaServer.COMMUNE_A2).items)

            assertEquals(listOf(v.id), p.householdVisits(h.id).map { it.id })
            val page = p.listHouseholds(communeCode = GoCuaServer.COMMUNE_A1)
            assertEquals(listOf(h.id), page.items.map { it.id })
            assertNull(page.next, "one page holds them all")

            val today = p.myCounts().today
            assertEquals(1uL, today.visits)
            assertEquals(3uL, today.peopleReached)
            assertEquals(1uL, today.householdsVisited)
            assertEquals(1uL, today.vneidActivations)
        }
    }

    @Test
    fun `household lists come a page at a time and every household is on exactly one page`() {
        Fixtures.enrolled("Lưu Thị Phượng").use { p ->
            val ids = (1..23).map { i -> p.createHousehold(household("Hộ phân trang $i", addressLine = "$i Lê Lợi")).id }.toSet()
            val seen = mutableListOf<String>()
            var after: String? = null
            var pages = 0
            do {
                val page = p.listHouseholds(pageSize = 10u, after = after)
                assertTrue(page.items.size <= 10)
                seen += page.items.map { it.id }
                after = page.next
                pages++
            } while (after != null)
            assertEquals(3, pages)
            assertEquals(ids, seen.toSet())
            assertEquals(seen.size, seen.toSet().size, "no household twice")
            // A search pages the same way.
            val first = p.searchHouseholds("phan trang", pageSize = 20u)
            assertEquals(20, first.items.size)
            val rest = p.searchHouseholds("phan trang", pageSize = 20u, after = first.next)
            assertEquals(3, rest.items.size)
            assertNull(rest.next)
        }
    }

    @Test
    fun `enrolment brings the team's areas and the service catalogue`() {
        Fixtures.enrolled("Phạm Thu Trang").use { p ->
            val profile = p.profile() ?: error("enrolled profile expected")
            assertTrue(p.isEnrolled())
            assertEquals("Phạm Thu Trang", profile.volunteerName)
            assertEquals("Đội TNTN Phường Bến Tre", profile.teamName)
            assertEquals(TestServer.server.teamId, profile.teamId)
            assertEquals(TestServer.server.url, profile.serverUrl)
            assertEquals(setOf(GoCuaServer.COMMUNE_A1, GoCuaServer.COMMUNE_A2), p.teamAreas().map { it.code }.toSet())
            assertEquals(setOf("28789-KP1", "28789-KP2"), p.childAreas(GoCuaServer.COMMUNE_A1).map { it.code }.toSet())
            assertTrue(p.services().any { it.key == "birth_registration" && it.code == "1.001193" })
        }
    }

    @Test
    fun `validation problems name the field with its label, in Vietnamese and English`() {
        Fixtures.enrolled("Võ Thanh Tâm").use { p ->
            // A commune of the province that is not the team's: the phone never downloaded it.
            val outside = assertFailsWith<FieldKitException.Validation> {
                p.createHousehold(household("Lê Văn C", communeCode = GoCuaServer.COMMUNE_OTHER, hamletCode = null))
            }
            assertEquals("validation", outside.code)
            assertEquals("commune_code", outside.problems.single().field)
            assertEquals(ProblemCode.UnknownArea, outside.problems.single().code)

            val h = p.createHousehold(household("Lê Văn C"))
            val noDossier = assertFailsWith<FieldKitException.Validation> {
                p.recordVisit(visit(h.id, listOf(assist("birth_registration", result = AssistResult.Submitted))))
            }
            val problem = noDossier.problems.single()
            assertEquals("assists[0].dossier_code", problem.field)
            assertEquals(ProblemCode.Required, problem.code)
            assertEquals("Mã hồ sơ (dịch vụ 1)", problem.fieldLabelVi)
            assertEquals("Dossier code (service 1)", problem.fieldLabelEn)
            assertTrue(problem.messageVi.contains("mã hồ sơ"), problem.messageVi)

            val nobodyMet = assertFailsWith<FieldKitException.Validation> {
                p.recordVisit(visit(h.id, peopleReached = 0))
            }
            assertEquals("people_reached", nobodyMet.problems.single().field)

            assertFailsWith<FieldKitException.Validation> { p.household("not-a-uuid") }
            // Nothing invalid reached the queue: only the household waits.
            assertEquals(1u, p.queueStatus().pending)
        }
    }

    @Test
    fun `a correction is revision 2 and the history keeps both`() {
        Fixtures.enrolled("Huỳnh Thị Mai").use { p ->
            val h = p.createHousehold(household("Đặng Thị Hồng"))
            val first = p.recordVisit(visit(h.id, listOf(assist("birth_registration")), peopleReached = 2))
            val fixed = p.correctVisit(first.id, visit(h.id, listOf(assist("permanent_residence")), peopleReached = 5))
            assertEquals(2u, fixed.revision)
            assertEquals(first.id, fixed.supersedes)
            assertEquals(5.toUShort(), fixed.peopleReached)

            val history = p.visitRevisions(fixed.id)
            assertEquals(2, history.size)
            assertEquals(setOf(1u, 2u), history.map { it.revision }.toSet())
            assertEquals(history.map { it.id }.toSet(), p.visitRevisions(first.id).map { it.id }.toSet())
            // The household shows the current revision only; counts use it too.
            assertEquals(listOf(fixed.id), p.householdVisits(h.id).map { it.id })
            assertEquals(5uL, p.myCounts().today.peopleReached)
        }
    }

    @Test
    fun `the queue shows what waits to be sent, with the core's kinds, labels and titles`() {
        Fixtures.enrolled("Lý Quốc Bảo").use { p ->
            assertEquals(0u, p.queueStatus().pending)
            val h = p.createHousehold(household("Trương Văn Đức"))
            val v = p.recordVisit(visit(h.id, listOf(assist("birth_registration"), assist("permanent_residence"))))
            val status = p.queueStatus()
            assertEquals(2u, status.pending)
            assertEquals(0u, status.inFlight)
            assertEquals(0u, status.rejected)
            assertTrue((status.oldestPendingAgeSecs ?: -1) >= 0)
            val items = p.pendingItems()
            assertEquals(listOf(RecordKind.Household to h.id, RecordKind.Visit to v.id), items.map { it.kind to it.recordId })
            assertTrue(items.all { it.state == QueueEntryState.Pending && it.reason == null })
            assertEquals(listOf("Trương Văn Đức", "Trương Văn Đức"), items.map { it.titleVi }, "the household's head names both")
            assertEquals(listOf("Thủ tục đăng ký khai sinh", "Đăng ký thường trú"), items[1].services.map { it.nameVi })
            assertEquals(RecordKind.Visit.label(Lang.VI), items[1].kind.label(Lang.VI))
            assertEquals(emptyList(), p.rejectedItems())
            assertEquals(2u, p.unsentCount())
        }
    }
}
