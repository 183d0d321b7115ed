package vn.gocua.ui

import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.AssistView
import uniffi.gocua_ffi.CountsView
import uniffi.gocua_ffi.FollowUpView
import uniffi.gocua_ffi.HouseholdSummaryView
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.ProfileView
import uniffi.gocua_ffi.QueueItemView
import uniffi.gocua_ffi.QueueStatusView
import uniffi.gocua_ffi.ServiceView
import uniffi.gocua_ffi.SyncReportView
import uniffi.gocua_ffi.TallyView
import uniffi.gocua_ffi.TargetProgressView
import uniffi.gocua_ffi.VisitView

/**
 * Realistic Vietnamese field data in the core's own view types (the records the state holders
 * hold), for rendering the screens: a door-to-door team in Phường Bến Tre, Vĩnh Long.
 */
object SampleData {
    /** 25/11/2026 09:30 in Vietnam. */
    const val NOW = 1_795_573_800_000L
    private const val HOUR = 3_600_000L
    private const val DAY = 24 * HOUR

    val profile = ProfileView(
        deviceId = "0193a4c2-7e11-7c3a-9f10-2b4c6d8e0f12", volunteerId = "v1", volunteerName = "Nguyễn Thị Thu Hương",
        teamId = "t1", teamName = "Đội TNTN Phường Bến Tre", serverUrl = "https://gocua.tinhdoanvinhlong.vn",
    )

    val communes = listOf(AreaView("28789", "Phường Bến Tre", "commune", "phường", "86"))
    val hamlets = listOf(
        AreaView("28789-KP1", "Khu phố 1", "hamlet", "khu phố", "28789"),
        AreaView("28789-KP2", "Khu phố 2", "hamlet", "khu phố", "28789"),
        AreaView("28789-AP3", "Ấp Phú Chánh", "hamlet", "ấp", "28789"),
    )

    private fun tally(visits: ULong, people: ULong, services: ULong, vneid: ULong) =
        TallyView(visits, 1u, people, visits, services, services / 2u, 0u, 1u, vneid, 2u)

    val counts = CountsView(
        today = tally(7u, 15u, 9u, 3u), thisWeek = tally(31u, 64u, 40u, 12u),
        campaignName = "Tháng Thanh niên 2026 — Đi từng ngõ, gõ từng nhà", campaign = tally(212u, 1_348u, 405u, 97u),
    )

    val targets = listOf(
        TargetProgressView("households_visited", "Hộ được đến", "Households visited", 400u, 212u, 190u, 22u, 53u),
        TargetProgressView("people_reached", "Người được tuyên truyền", "People reached", 1_500u, 1_348u, 1_300u, 48u, 89u),
        TargetProgressView("services_supported", "Dịch vụ công trực tuyến được hỗ trợ", "Online services supported", 300u, 405u, 390u, 15u, 135u),
        TargetProgressView("vneid_activations", "Tài khoản VNeID mức 2 được kích hoạt", "VNeID level-2 activations", 150u, 97u, 90u, 7u, 64u),
    )

    val queue = QueueStatusView(
        pending = 12u, inFlight = 0u, accepted = 388u, rejected = 1u, oldestPendingAgeSecs = 7_200,
        lastSyncAtMs = NOW - 3 * HOUR, lastSyncOutcome = "ok", lastSyncMessageVi = null, lastSyncMessageEn = null,
    )

    val lastReport = SyncReportView(sent = 40u, accepted = 39u, rejected = 1u)

    val services = listOf(
        ServiceView("birth_registration", "1.001193", true, "Thủ tục đăng ký khai sinh", "Birth registration", "procedure", "toan_trinh", "4"),
        ServiceView("permanent_residence", "1.004222", true, "Đăng ký thường trú", "Permanent residence registration", "procedure", "mot_phan", "3"),
        ServiceView("vneid_level2_activation", null, false, "Kích hoạt tài khoản định danh điện tử VNeID mức độ 2", "Activate a VNeID level-2 account", "vneid_activation", null, null),
        ServiceView("child_bundle_u6", "2.000986", true, "Liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi", "Birth, residence and health insurance for children under 6", "procedure", "toan_trinh", "4"),
    )

    val households = listOf(
        summary("h1", "Nguyễn Văn Ả", "12 Nguyễn Đình Chiểu", "28789-KP1", NOW - 2 * DAY, "met", "2026-11-25"),
        summary("h2", "Trần Thị Bích Ngọc", "45/3 hẻm 7, Đường 30 Tháng 4", "28789-KP1", NOW - 6 * DAY, "not_home", null),
        summary("h3", "Lê Hoàng Phúc", "Tổ 5, Ấp Phú Chánh", "28789-AP3", null, null, null),
        summary("h4", "Phạm Thị Xuân Quỳnh", "88 Hùng Vương", "28789-KP2", NOW - DAY, "met", null),
    )

    private fun summary(id: String, name: String, addr: String, hamlet: String, last: Long?, outcome: String?, followUp: String?) =
        HouseholdSummaryView(id, "28789", hamlet, name, addr, null, 4u, false, last, outcome, followUp)

    val followUps = listOf(FollowUpView(households[0], "v1", "2026-11-25"))

    val household = HouseholdView(
        id = "h1", communeCode = "28789", hamletCode = "28789-KP1", addressLine = "12 Nguyễn Đình Chiểu",
        headName = "Nguyễn Văn Ả", phone = "0912 345 678", members = 5u, consentGiven = true, erased = false, createdAtMs = NOW - 30 * DAY,
    )

    val visits = listOf(
        VisitView(
            "v2", "h1", 1u, null, NOW - 2 * DAY, NOW - 2 * DAY + 15 * 60_000, "met", 3u, "Cháu bé sinh tháng 10, cần làm giấy khai sinh.", "2026-11-25",
            listOf(
                AssistView("a1", "child_bundle_u6", null, "toan_trinh", "submitted", "G22.46.11-251123-0042", null),
                AssistView("a2", "vneid_level2_activation", null, null, "not_finished", null, "no_chip_id_card"),
            ),
        ),
        VisitView("v1", "h1", 2u, "v0", NOW - 9 * DAY, null, "not_home", 0u, null, null, emptyList()),
    )

    val rejected = listOf(
        QueueItemView(
            "visit", "0193a4c2-7e11-7c3a-9f10-2b4c6d8e0f99", "rejected", 1u, NOW - 26 * HOUR, "unknown_service",
            "Dịch vụ \"judicial_record\" không có trong danh mục của máy chủ.", "Service \"judicial_record\" is not in the server's catalogue.", "assists[0].service_key",
        ),
    )
    val pending = listOf(
        QueueItemView("visit", "p1", "pending", 0u, NOW - 2 * HOUR, null, null, null, null),
        QueueItemView("household", "p2", "pending", 2u, NOW - 50 * 60_000, null, null, null, null),
        QueueItemView("session", "p3", "pending", 0u, NOW - 20 * 60_000, null, null, null, null),
    )
}
