package vn.gocua.fieldkit

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.GuideBlockKind
import uniffi.gocua_ffi.generateKey
import uniffi.gocua_protocol.Lang
import vn.gocua.ffi.Fixtures
import vn.gocua.ffi.GoCuaServer
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.state.NewVisitViewModel
import vn.gocua.fieldkit.state.ServiceGuideViewModel

/**
 * A guide written with `gocua admin set-guide` on a real `gocua serve` of this test's own, pulled
 * at enrolment; then the server is stopped and the state holders read it offline: the visit form
 * knows which services have a guide, the guide screen gets the core's rows and labels.
 */
class ServiceGuideStateTest {
    @Test
    fun `the visit form offers the guide and it opens offline, in the chosen language`() {
        val server = GoCuaServer.start()
        val profile: FieldProfile
        try {
            val md = File(server.dir, "guide.md").apply {
                writeText("# Đăng ký khai sinh\n\nMang **giấy chứng sinh**.\n\n1. Mở VNeID\n2. Chọn thủ tục\n")
            }
            server.admin("set-guide", "--service", "birth_registration", "--file", md.path)
            profile = FieldProfile.open(Fixtures.dataDir().path, generateKey())
            runBlocking { profile.enrol(server.url, server.enrolCode("Lê Văn Hướng"), "JVM test phone", "0.1.0-test") }
        } finally {
            server.close() // offline from here on
        }
        withKit(profile, AppSettings(lang = Lang.EN)) {
            val h = kit.profile.createHousehold(Fixtures.household("Phan Thị Gương"))
            val visit = NewVisitViewModel(kit, scope)
            visit.load(h.id).join()
            assertEquals(setOf("birth_registration"), visit.state.value.guideKeys)

            val vm = ServiceGuideViewModel(kit, scope)
            vm.load("birth_registration").join()
            val g = assertNotNull(vm.state.value.guide, "${vm.state.value.error}")
            assertEquals("Birth registration", g.title, "the service's name in the chosen language")
            assertTrue(g.needsCheck)
            assertTrue(g.needsCheckLabel.startsWith("Starter content"), g.needsCheckLabel)
            assertTrue(g.updatedLabel.startsWith("updated "), g.updatedLabel)
            assertEquals(
                listOf(GuideBlockKind.HEADING, GuideBlockKind.PARAGRAPH, GuideBlockKind.LIST_ITEM, GuideBlockKind.LIST_ITEM),
                g.blocks.map { it.kind },
            )
            assertEquals(listOf("1.", "2."), g.blocks.drop(2).map { it.marker })
            assertTrue(g.blocks[1].runs.any { it.bold && it.text == "giấy chứng sinh" })

            val none = ServiceGuideViewModel(kit, scope)
            none.load("permanent_residence").join()
            assertTrue(none.state.value.missing)
            assertFalse(none.state.value.guide != null)
        }
    }
}
