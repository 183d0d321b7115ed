package vn.gocua.ui

import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.AssistView
import uniffi.gocua_ffi.CoverageView
import uniffi.gocua_ffi.CountsView
import uniffi.gocua_ffi.FollowUpView
import uniffi.gocua_ffi.HouseholdSummaryView
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.LastSyncOutcome
import uniffi.gocua_ffi.LastSyncView
import uniffi.gocua_ffi.ProblemCode
import uniffi.gocua_ffi.ProfileView
import uniffi.gocua_ffi.QueueEntryState
import uniffi.gocua_ffi.QueueItemView
import uniffi.gocua_ffi.QueueStatusView
import uniffi.gocua_ffi.RejectionView
import uniffi.gocua_ffi.ServiceNameView
import uniffi.gocua_ffi.ServiceView
import uniffi.gocua_ffi.SyncReportView
import uniffi.gocua_ffi.TargetProgressView
import uniffi.gocua_ffi.VisitView
import uniffi.gocua_ffi.fieldLabel
import uniffi.gocua_protocol.AreaLevel
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.Indicator
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.Level43
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.ServiceKind
import uniffi.gocua_protocol.Tally
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.state.FieldIssue
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text

/**
 * Realistic Vietnamese field data in the core's own view types (the records the state holders
 * hold), for rendering the screens: a door-to-door team in Phường Bến Tre, Vĩnh Long. Every
 * vocabulary value is the bindings' typed value (`VisitOutcome.Met`, `RecordKind.OutreachSession`,
 * …), every field label the core's ([fieldLabel]); the screens label and format them through the
 * core, and the tests expect what the core says — so a label that drifts cannot hide here.
 * Instants are relative to now, so "3 giờ trước" is what the core's `formatAgo` says of them.
 */
object SampleData {
    /** When the screens are drawn. */
    val NOW: Instant = Instant.now()
    private fun ago(d: Duration): Instant = NOW.minus(d)

    /**
     * The core's problem with the dossier code of the form's service number [index] (from 0), on
     * that field, labelled as the core labels it ("Mã hồ sơ (dịch vụ 1)").
     */
    fun dossierCodeProblem(index: Int): UiError {
        val field = "assists[$index].dossier_code"
        val message = Text("Cần nhập mã hồ sơ khi đã nộp hồ sơ.", "A dossier code is required when submitted.")
        return UiError(message, listOf(FieldIssue(field, Text(fieldLabel(field, Lang.VI), fieldLabel(field, Lang.EN)), message)), "validation")
    }
    private val HOUR = Duration.ofHours(1)
    private val DAY = Duration.ofDays(1)

    /** A day of the deployment's calendar, as the core hands it over (no zone involved). */
    val FOLLOW_UP: LocalDate = LocalDate.of(2026, 11, 25)

    val profile = ProfileView(
        deviceId = "0193a4c2-7e11-7c3a-9f10-2b4c6d8e0f12", volunteerId = "v1", volunteerName = "Nguyễn Thị Thu Hương",
        teamId = "t1", teamName = "Đội TNTN Phường Bến Tre", serverUrl = "https://gocua.tinhdoanvinhlong.vn",
    )

    val communes = listOf(AreaView("28789", "Phường Bến Tre", AreaLevel.Commune, "phường", "86"))
    val hamlets = listOf(
        AreaView("28789-KP1", "Khu phố 1", AreaLevel.Hamlet, "khu phố", "28789"),
        AreaView("28789-KP2", "Khu phố 2", AreaLevel.Hamlet, "khu phố", "28789"),
        AreaView("28789-AP3", "Ấp Phú Chánh", AreaLevel.Hamlet, "ấp", "28789"),
    )

    private fun tally(visits: ULong, people: ULong, services: ULong, vneid: ULong) =
        Tally(visits, 1u, people, visits, services, services / 2u, 0u, 1u, vneid, 2u)

    val counts = CountsView(
        today = tally(7u, 15u, 9u, 3u), thisWeek = tally(31u, 64u, 40u, 12u),
        campaignName = "Tháng Thanh niên 2026 — Đi từng ngõ, gõ từng nhà", campaign = tally(212u, 1_348u, 405u, 97u),
    )

    private val campaignStart = LocalDate.of(2026, 11, 1)
    private val campaignEnd = LocalDate.of(2026, 12, 31)
    val targets = listOf(
        TargetProgressView(Indicator.HouseholdsVisited, 400u, 212u, 190u, 22u, 53u, campaignStart, campaignEnd),
        TargetProgressView(Indicator.PeopleReached, 1_500u, 1_348u, 1_300u, 48u, 89u, campaignStart, campaignEnd),
        TargetProgressView(Indicator.ServicesSupported, 300u, 405u, 390u, 15u, 135u, campaignStart, campaignEnd),
        TargetProgressView(Indicator.VneidActivations, 150u, 97u, 90u, 7u, 64u, campaignStart, campaignEnd),
    )

    val lastSync = LastSyncView(ago(HOUR.multipliedBy(3)), LastSyncOutcome.Ok, 40u, 39u, 1u, null, null, null)

    val queue = QueueStatusView(
        pending = 12u, inFlight = 0u, accepted = 388u, rejected = 1u, deleted = 0u, oldestPendingAgeSecs = 7_200,
        lastSync = lastSync,
    )

    val lastReport = SyncReportView(sent = 40u, accepted = 39u, rejected = 1u)

    val services = listOf(
        ServiceView("birth_registration", "1.001193", true, "Thủ tục đăng ký khai sinh", "Birth registration", ServiceKind.Procedure, Level42.ToanTrinh, Level43.Level4),
        ServiceView("permanent_residence", "1.004222", true, "Đăng ký thường trú", "Permanent residence registration", ServiceKind.Procedure, Level42.MotPhan, Level43.Level3),
        ServiceView("vneid_level2_activation", null, false, "Kích hoạt tài khoản định danh điện tử VNeID mức độ 2", "Activate a VNeID level-2 account", ServiceKind.VneidActivation, null, null),
        ServiceView("child_bundle_u6", "2.000986", true, "Liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi", "Birth, residence and health insurance for children under 6", ServiceKind.Procedure, Level42.ToanTrinh, Level43.Level4),
    )
    private fun service(key: String) = services.first { it.key == key }

    val households = listOf(
        summary("h1", "Nguyễn Văn Ả", "12 Nguyễn Đình Chiểu", "28789-KP1", ago(DAY.multipliedBy(2)), VisitOutcome.Met, FOLLOW_UP),
        summary("h2", "Trần Thị Bích Ngọc", "45/3 hẻm 7, Đường 30 Tháng 4", "28789-KP1", ago(DAY.multipliedBy(6)), VisitOutcome.NotHome, null),
        summary("h3", "Lê Hoàng Phúc", "Tổ 5, Ấp Phú Chánh", "28789-AP3", null, null, null),
        summary("h4", "Phạm Thị Xuân Quỳnh", "88 Hùng Vương", "28789-KP2", ago(DAY), VisitOutcome.Met, null),
    )

    private fun summary(id: String, name: String, addr: String, hamlet: String, last: Instant?, outcome: VisitOutcome?, followUp: LocalDate?) =
        HouseholdSummaryView(id, "28789", hamlet, name, addr, null, 4u, false, last, outcome, followUp)

    val followUps = listOf(FollowUpView(households[0], "v1", FOLLOW_UP))

    /** "Chưa đến" in Khu phố 1: 12 of its 40 households reached, 28 to go. */
    val coverage = CoverageView(households = 40u, visited = 12u, notVisited = 28u)
    val notVisited = listOf(
        summary("h3", "Lê Hoàng Phúc", "Tổ 5, đường Nguyễn Huệ", "28789-KP1", null, null, null),
        summary("h5", "Nguyễn Thị Kim Thoa", "3/1 hẻm 12, Đường Đồng Khởi", "28789-KP1", null, null, null),
        summary("h6", "Võ Văn Tài", "102 Hùng Vương", "28789-KP1", ago(DAY.multipliedBy(120)), VisitOutcome.NotHome, null),
    )

    val household = HouseholdView(
        id = "h1", communeCode = "28789", hamletCode = "28789-KP1", addressLine = "12 Nguyễn Đình Chiểu",
        headName = "Nguyễn Văn Ả", phone = "0912 345 678", members = 5u, consentGiven = true, erased = false, createdAt = ago(DAY.multipliedBy(30)),
    )

    private fun assist(id: String, key: String, result: AssistResult, dossier: String? = null, reason: NotFinishedReason? = null) =
        service(key).let { AssistView(id, key, it.nameVi, it.nameEn, result, dossier, reason, it.level43, it.level42) }

    val visits = listOf(
        VisitView(
            "v2", "h1", 1u, null, ago(DAY.multipliedBy(2)), ago(DAY.multipliedBy(2)).plus(Duration.ofMinutes(15)), VisitOutcome.Met, 3u, null,
            "Cháu bé sinh tháng 10, cần làm giấy khai sinh.", FOLLOW_UP,
            listOf(
                assist("a1", "child_bundle_u6", AssistResult.Submitted, dossier = "G22.46.11-251123-0042"),
                assist("a2", "vneid_level2_activation", AssistResult.NotFinished, reason = NotFinishedReason.NoChipIdCard),
            ),
        ),
        VisitView("v1", "h1", 2u, "v0", ago(DAY.multipliedBy(9)), null, VisitOutcome.NotHome, 0u, null, null, null, emptyList()),
    )

    private fun names(vararg keys: String) = keys.map { k -> service(k).let { ServiceNameView(k, it.nameVi, it.nameEn) } }

    val rejected = listOf(
        QueueItemView(
            RecordKind.Visit, "0193a4c2-7e11-7c3a-9f10-2b4c6d8e0f99", "Trần Thị Bích Ngọc", "Trần Thị Bích Ngọc",
            listOf(ServiceNameView("judicial_record", "Cấp phiếu lý lịch tư pháp", "Judicial record certificate")),
            QueueEntryState.Rejected, 1u, ago(HOUR.multipliedBy(26)), ago(HOUR),
            RejectionView(
                ProblemCode.UnknownService,
                "Dịch vụ \"Cấp phiếu lý lịch tư pháp\" đã bị ngừng trong danh mục; hãy đồng bộ rồi chọn dịch vụ khác.",
                "Service \"Judicial record certificate\" was withdrawn from the catalogue; sync, then choose another service.",
                "assists[0].service_key", fieldLabel("assists[0].service_key", Lang.VI), fieldLabel("assists[0].service_key", Lang.EN),
            ),
        ),
    )
    val pending = listOf(
        QueueItemView(RecordKind.Visit, "p1", "Nguyễn Văn Ả", "Nguyễn Văn Ả", names("child_bundle_u6", "vneid_level2_activation"), QueueEntryState.Pending, 0u, ago(HOUR.multipliedBy(2)), null, null),
        QueueItemView(RecordKind.Household, "p2", "Lê Hoàng Phúc", "Lê Hoàng Phúc", emptyList(), QueueEntryState.Pending, 2u, ago(Duration.ofMinutes(50)), ago(Duration.ofMinutes(5)), null),
        QueueItemView(RecordKind.OutreachSession, "p3", "Nhà văn hóa Ấp Phú Chánh", "Nhà văn hóa Ấp Phú Chánh", emptyList(), QueueEntryState.Pending, 0u, ago(Duration.ofMinutes(20)), null, null),
    )
}
