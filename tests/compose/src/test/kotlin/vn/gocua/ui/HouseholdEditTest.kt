package vn.gocua.ui

import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import vn.gocua.ffi.Fixtures

/**
 * Household edit and erasure (issue 11), from the household's page, checked through the store:
 * "Sửa thông tin hộ" opens the form filled in and updates the household (no new one);
 * "Xóa dữ liệu cá nhân" asks first, then the core blanks the personal data while the visits stay.
 * Screens: target/screens/nav-household-*.png.
 */
class HouseholdEditTest {
    @Test
    fun `a household is edited from its page, then its personal data erased on request`() =
        runApp("household", "Cao Thị Liên") { app, profile ->
            val h = profile.createHousehold(Fixtures.household("Ngô Văn Khải", addressLine = "8 Phan Đình Phùng", phone = "0912345678"))
            profile.recordVisit(Fixtures.visit(h.id, note = "Hẹn tuần sau"))
            app.openHousehold(this, "Ngô Văn Khải")
            app.await(this, "Lịch sử đến hộ (1)")
            app.shot(this, "detail")

            app.tap(this, "Sửa thông tin hộ")
            app.await(this, "Lưu hộ")
            app.await(this, "8 Phan Đình Phùng")
            assertTrue(app.shows(this, "0912345678"), "the form is filled in with the household as kept")
            app.shot(this, "edit-form")
            app.type(this, "Địa chỉ (số nhà, đường, hẻm)", "10 Phan Đình Phùng")
            app.saveHousehold(this, next = "Lịch sử đến hộ (1)")
            app.await(this, "10 Phan Đình Phùng")
            assertEquals("10 Phan Đình Phùng", profile.household(h.id).addressLine, "the household was updated")
            assertEquals(1, profile.searchHouseholds("Ngô Văn Khải").items.size, "not created again")

            app.tap(this, "Xóa dữ liệu cá nhân")
            app.await(this, "Xóa dữ liệu cá nhân của hộ?")
            app.shot(this, "erase-confirm")
            app.tap(this, "Không xóa")
            waitForIdle()
            assertEquals("Ngô Văn Khải", profile.household(h.id).headName, "nothing erased without confirming")

            app.tap(this, "Xóa dữ liệu cá nhân")
            app.eraseHousehold(this)
            app.shot(this, "erased")
            val erased = profile.household(h.id)
            assertTrue(erased.erased)
            assertTrue(erased.headName.isBlank() && erased.addressLine.isBlank(), "name and address blanked")
            assertNull(erased.phone, "phone dropped")
            val visits = profile.householdVisits(h.id)
            assertEquals(1, visits.size, "the visit still counts")
            assertNull(visits.single().note, "its note erased")
        }
}
