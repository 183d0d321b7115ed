package vn.gocua.ui

import androidx.compose.ui.test.ComposeUiTest

/*
 * The volunteer's steps that the app's UI tests take again and again, each as the taps and typing
 * it takes (counted in [AppUnderTest.taps] and [AppUnderTest.path] like any other) and, where the
 * step opens a screen, the text that says that screen is there.
 */

/** What Today shows once it is there. */
const val TODAY = "Hôm nay tôi đã"

/** The household [name]'s page, from the "Hộ" tab's list. */
fun AppUnderTest.openHousehold(test: ComposeUiTest, name: String) {
    tap(test, "Hộ")
    tap(test, name, substring = true)
}

/** "‹ Quay lại", back to Today. */
fun AppUnderTest.backToToday(test: ComposeUiTest) = tap(test, "‹ Quay lại", then = TODAY)

/** Today's "Buổi tuyên truyền": a new outreach session's form. */
fun AppUnderTest.openSessionForm(test: ComposeUiTest) = tap(test, "Buổi tuyên truyền", then = "Lưu buổi tuyên truyền")

/** The session form filled in: its [place] and [attendees] typed, in the hamlet [area] when given. */
fun AppUnderTest.fillSession(test: ComposeUiTest, place: String, attendees: String, area: String? = null) {
    area?.let { tap(test, it) }
    type(test, "Địa điểm", place)
    type(test, "Số người tham dự", attendees)
}

/** The session form saved; it closes on [next] (Today, for a new session). */
fun AppUnderTest.saveSession(test: ComposeUiTest, next: String = TODAY) = tap(test, "Lưu buổi tuyên truyền", then = next)

/** A household's page: "+ Ghi lượt đến hộ", a new visit's form. */
fun AppUnderTest.openVisitForm(test: ComposeUiTest) = tap(test, "+ Ghi lượt đến hộ", then = "Lượt đến hộ mới")

/** The visit form saved as it is; it closes on [next]. */
fun AppUnderTest.saveVisit(test: ComposeUiTest, next: String) = tap(test, "Lưu lượt đến hộ", then = next)

/** The visit form saved with the outcome [outcome] (e.g. nobody home); it closes on [next]. */
fun AppUnderTest.saveVisitAs(test: ComposeUiTest, outcome: String, next: String) {
    tap(test, outcome)
    saveVisit(test, next)
}

/** Today's "+ Ghi lượt đến hộ": the households found by [search]. */
fun AppUnderTest.searchHouseholds(test: ComposeUiTest, search: String) {
    tap(test, "+ Ghi lượt đến hộ")
    type(test, "Tìm tên chủ hộ, địa chỉ, số điện thoại", search)
}

/** The household search (or the "Hộ" tab): "+ Thêm hộ mới", a new household's form. */
fun AppUnderTest.openNewHouseholdForm(test: ComposeUiTest) = tap(test, "+ Thêm hộ mới", then = "Lưu hộ")

/** The household form saved; it closes on [next] (a new household's visit form, or its page). */
fun AppUnderTest.saveHousehold(test: ComposeUiTest, next: String) = tap(test, "Lưu hộ", then = next)

/** "Mở tiếp" on Today's draft: its [form] reopens, with [kept] (typed before) on it. */
fun AppUnderTest.reopenDraft(test: ComposeUiTest, form: String, kept: String) {
    tap(test, "Mở tiếp", then = form)
    await(test, kept)
}

/** Today's "Đồng bộ ngay", until the sync says [result]. */
fun AppUnderTest.syncNow(test: ComposeUiTest, result: String) = tap(test, "Đồng bộ ngay", then = result)

/** The queue, from the bottom bar's "Chờ gửi (n)" with [waiting] records, once it shows [heading]. */
fun AppUnderTest.openQueue(test: ComposeUiTest, waiting: Int, heading: String) = tap(test, "Chờ gửi ($waiting)", then = heading)

/** The household page's "Xóa dữ liệu cá nhân", confirmed: the page says the data is erased. */
fun AppUnderTest.eraseHousehold(test: ComposeUiTest) =
    tap(test, "Xóa dữ liệu", then = "Dữ liệu cá nhân của hộ này đã được xóa theo yêu cầu.")
