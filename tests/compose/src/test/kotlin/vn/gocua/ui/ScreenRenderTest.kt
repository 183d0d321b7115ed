package vn.gocua.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.unit.Density
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.gocua_ffi.fieldLabel
import uniffi.gocua_ffi.formatAgo
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.formatProgress
import uniffi.gocua_protocol.AssistResult
import uniffi.gocua_protocol.FeedbackCategory
import uniffi.gocua_protocol.Indicator
import uniffi.gocua_protocol.Lang
import uniffi.gocua_protocol.Level42
import uniffi.gocua_protocol.NotFinishedReason
import uniffi.gocua_protocol.RecordKind
import uniffi.gocua_protocol.SessionKind
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.state.AssistForm
import vn.gocua.fieldkit.state.EnrolState
import vn.gocua.fieldkit.state.FeedbackState
import vn.gocua.fieldkit.state.HouseholdDetailState
import vn.gocua.fieldkit.state.HouseholdFormState
import vn.gocua.fieldkit.state.HouseholdsState
import vn.gocua.fieldkit.state.NewVisitState
import vn.gocua.fieldkit.state.FieldIssue
import vn.gocua.fieldkit.state.QueueState
import vn.gocua.fieldkit.state.SessionState
import vn.gocua.fieldkit.state.SettingsState
import vn.gocua.fieldkit.state.TodayState
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.sync.SyncProgress
import vn.gocua.fieldkit.text.Text
import vn.gocua.ui.screens.AssignScreen
import vn.gocua.ui.screens.EnrolScreen
import vn.gocua.ui.screens.FeedbackScreen
import vn.gocua.ui.screens.HouseholdDetailScreen
import vn.gocua.ui.screens.HouseholdFormScreen
import vn.gocua.ui.screens.HouseholdsScreen
import vn.gocua.ui.screens.NewVisitScreen
import vn.gocua.ui.screens.QueueScreen
import vn.gocua.ui.screens.SessionScreen
import vn.gocua.ui.screens.SettingsScreen
import vn.gocua.ui.screens.TodayScreen
import vn.gocua.ui.theme.GoCuaTheme

/**
 * Renders every screen offscreen (skiko raster surface, headless) at phone size — 360 × 780 dp
 * at density 2 — in light, dark and with a large font (scale 1.5), into target/screens (one PNG per screen and variant),
 * and checks the semantics tree for the texts a volunteer must see.
 */
class ScreenRenderTest {
    private val out = File(System.getProperty("screens.dir") ?: "target/screens").apply { mkdirs() }

    private data class Variant(val suffix: String, val dark: Boolean, val fontScale: Float, val lang: Lang = Lang.VI)

    private val variants = listOf(
        Variant("light", dark = false, fontScale = 1f),
        Variant("dark", dark = true, fontScale = 1f),
        Variant("large-font", dark = false, fontScale = 1.5f),
    )

    /**
     * Renders [content] in every variant, checks [expect] texts (per language) are on screen and
     * [absent] texts (e.g. raw vocabulary codes) are not, and writes PNGs.
     */
    private fun render(
        name: String,
        expect: (Lang) -> List<String>,
        variants: List<Variant> = this.variants,
        absent: List<String> = emptyList(),
        content: @Composable () -> Unit,
    ) {
        for (v in variants) {
            runDesktopComposeUiTest(width = 720, height = 1560) {
                setContent {
                    CompositionLocalProvider(LocalDensity provides Density(2f, v.fontScale)) {
                        GoCuaTheme(dark = v.dark, lang = v.lang) { content() }
                    }
                }
                waitForIdle()
                for (text in expect(v.lang)) {
                    val found = onAllNodesWithText(text, substring = true, useUnmergedTree = true).fetchSemanticsNodes()
                    assertTrue(found.isNotEmpty(), "$name/${v.suffix}: \"$text\" is on the screen")
                }
                for (text in absent) {
                    val found = onAllNodesWithText(text, substring = true, useUnmergedTree = true).fetchSemanticsNodes()
                    assertTrue(found.isEmpty(), "$name/${v.suffix}: \"$text\" must not be on the screen")
                }
                val image = onRoot().captureToImage().toAwtImage()
                assertEquals(720, image.width)
                assertEquals(1560, image.height)
                assertNotBlank(image, "$name/${v.suffix}")
                if (v.dark) assertTrue(meanLuminance(image) < 0.35, "$name/${v.suffix} is dark (mean luminance ${meanLuminance(image)})")
                else assertTrue(meanLuminance(image) > 0.55, "$name/${v.suffix} is light (mean luminance ${meanLuminance(image)})")
                val file = File(out, "$name-${v.suffix}.png")
                ImageIO.write(image, "png", file)
                assertTrue(file.length() > 5_000, "$file holds a real image")
            }
        }
        // The whole scrolling body at once, for reviewing what lies below the first screenful.
        runDesktopComposeUiTest(width = 720, height = 5600) {
            setContent {
                CompositionLocalProvider(LocalDensity provides Density(2f, 1f)) { GoCuaTheme(lang = variants.first().lang) { content() } }
            }
            waitForIdle()
            ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(out, "$name-full.png"))
        }
    }

    /** More than a flat fill: text and controls put many distinct colours on the screen. */
    private fun assertNotBlank(image: BufferedImage, what: String) {
        val colours = HashSet<Int>()
        for (y in 0 until image.height step 3) for (x in 0 until image.width step 3) colours += image.getRGB(x, y)
        assertTrue(colours.size > 40, "$what shows content ($colours.size colours)")
    }

    private fun meanLuminance(image: BufferedImage): Double {
        var sum = 0.0
        var n = 0
        for (y in 0 until image.height step 8) for (x in 0 until image.width step 8) {
            val c = image.getRGB(x, y)
            sum += (0.2126 * ((c shr 16) and 255) + 0.7152 * ((c shr 8) and 255) + 0.0722 * (c and 255)) / 255.0
            n++
        }
        return sum / n
    }

    private fun vi(vararg s: String): (Lang) -> List<String> = { s.toList() }

    @Test
    fun enrol() = render("enrol", vi("Ghi danh điện thoại", "Quét mã QR", "Mã ghi danh", "Mã ghi danh đã được dùng")) {
        EnrolScreen(
            EnrolState(
                serverUrl = "https://gocua.tinhdoanvinhlong.vn", code = "K7QM-4TZP",
                error = UiError(Text("Mã ghi danh đã được dùng. Hãy xin cán bộ Đoàn mã mới.", "This enrolment code was already used.")),
            ),
        )
    }

    @Test
    fun today() = render(
        "today",
        vi(
            "Hôm nay", "Nguyễn Thị Thu Hương", "Lượt đến hộ", Indicator.HouseholdsVisited.label(Lang.VI), "Hộ được đến",
            formatProgress(212u, 400u, Lang.VI), "212/400 (53%)", "1.348/1.500", "Đang gửi 120/200",
            "Lần đồng bộ cuối: " + formatAgo(SampleData.lastSync.finishedAt, Lang.VI), "3 giờ trước",
        ),
        absent = listOf("households_visited", "people_reached"),
    ) {
        TodayScreen(
            TodayState(
                profile = SampleData.profile, counts = SampleData.counts, targets = SampleData.targets, queue = SampleData.queue,
                sync = SyncProgress(running = true, sent = 120u, total = 200u),
            ),
        )
    }

    @Test
    fun `today in English, waiting for wifi`() = render(
        "today-en",
        { listOf("Today", "Households visited", "Send now on mobile data", "On mobile data", "Sent 40: 39 accepted, 1 refused") },
        variants = listOf(Variant("light", dark = false, fontScale = 1f, lang = Lang.EN)),
    ) {
        TodayScreen(
            TodayState(
                profile = SampleData.profile, counts = SampleData.counts, targets = SampleData.targets, queue = SampleData.queue,
                sync = SyncProgress(lastReport = SampleData.lastReport, waiting = Text("Đang dùng dữ liệu di động; sẽ gửi khi có wifi.", "On mobile data; will send when on wifi.")),
                canForce = true,
            ),
        )
    }

    // walk lists
    @Test
    fun `today with my list first`() = render(
        "today-my-list",
        vi("Danh sách của tôi", "Ấp Phú Hòa", "còn 12/40 hộ", "Trần Văn Bảy — Số 45, tổ 3, ấp Phú Hòa", "đã đến hết 28 hộ", "Phân công cho đội viên", "+ Ghi lượt đến hộ"),
    ) {
        TodayScreen(
            TodayState(
                profile = SampleData.profile, counts = SampleData.counts, targets = SampleData.targets, queue = SampleData.queue,
                myList = SampleWalk.myList, isLeader = true,
            ),
        )
    }

    @Test
    fun `assign - the leader's screen`() = render(
        "assign",
        vi("Phân công", "Đội viên", "Trần Minh Khoa", "Ấp Phú Chánh", "Hoặc một hộ", "Danh sách của đội", "Khu phố 2", "còn 7/31 hộ", "Thu hồi"),
    ) {
        AssignScreen(SampleWalk.assign)
    }

    @Test
    fun households() = render("households", vi("Hộ gia đình", "Nguyễn Văn Ả", "Trần Thị Bích Ngọc", "Ấp Phú Chánh", "Cần quay lại (1)", "Hẹn ngày ${formatDay(SampleData.FOLLOW_UP, Lang.VI)}", "Hẹn ngày 25/11/2026", "Thêm hộ mới", VisitOutcome.NotHome.label(Lang.VI)), absent = listOf("not_home", "Xem thêm")) {
        HouseholdsScreen(
            HouseholdsState(
                communes = SampleData.communes, hamlets = SampleData.hamlets, results = SampleData.households,
                followUps = SampleData.followUps,
            ),
        )
    }

    @Test
    fun `households search`() = render("households-search", vi("nguyen van a", "Kết quả tìm (1)", "Nguyễn Văn Ả"), variants = variants.take(1)) {
        HouseholdsScreen(
            HouseholdsState(query = "nguyen van a", communes = SampleData.communes, hamlets = SampleData.hamlets, hamlet = "28789-KP1", results = SampleData.households.take(1)),
        )
    }

    @Test
    fun `households not yet visited`() = render(
        "households-not-visited",
        vi("Chưa đến (28)", "Đã đến 12/40 hộ", "Hộ chưa đến trong đợt này", "Lê Hoàng Phúc", "Chưa đến lần nào", "Xem thêm"),
        absent = listOf("Danh sách hộ"),
    ) {
        HouseholdsScreen(
            HouseholdsState(
                communes = SampleData.communes, hamlets = SampleData.hamlets, hamlet = "28789-KP1", notVisited = true,
                results = SampleData.notVisited, coverage = SampleData.coverage, next = "opaque-cursor",
            ),
        )
    }

    @Test
    fun `households with more pages to load`() = render("households-more", vi("Danh sách hộ", "Xem thêm"), variants = variants.take(1)) {
        HouseholdsScreen(
            HouseholdsState(communes = SampleData.communes, hamlets = SampleData.hamlets, results = SampleData.households, next = "opaque-cursor"),
        )
    }

    @Test
    fun `household detail`() = render("household-detail", vi(
            "Nguyễn Văn Ả", "Lịch sử đến hộ (2)", "G22.46.11-251123-0042", NotFinishedReason.NoChipIdCard.label(Lang.VI), "Chưa có căn cước gắn chip",
            "Khu phố 1, Phường Bến Tre", "Hẹn lại: 25/11/2026", AssistResult.Submitted.label(Lang.VI), "Liên thông đăng ký khai sinh",
        ),
        absent = listOf("no_chip_id_card", "submitted", "not_home"),
    ) {
        HouseholdDetailScreen(
            HouseholdDetailState(household = SampleData.household, place = "Khu phố 1, Phường Bến Tre", visits = SampleData.visits),
        )
    }

    @Test
    fun `household form`() = render("household-form", vi("Thêm hộ mới", "Họ tên chủ hộ", "Khu phố 2", "Chủ hộ đồng ý cho lưu số điện thoại", "Địa chỉ không được để trống")) {
        HouseholdFormScreen(
            HouseholdFormState(
                communes = SampleData.communes, hamlets = SampleData.hamlets, communeCode = "28789", hamletCode = "28789-KP2",
                headName = "Võ Thị Diễm My", phone = "0387 123 456", members = "3",
                error = UiError(
                    Text("Địa chỉ không được để trống.", "The address is required."),
                    listOf(FieldIssue("address_line", Text(fieldLabel("address_line", Lang.VI), fieldLabel("address_line", Lang.EN)), Text("Địa chỉ không được để trống.", "The address is required."))),
                    "validation",
                ),
            ),
        )
    }

    private val visitForm = NewVisitState(
        household = SampleData.household, services = SampleData.services, outcome = VisitOutcome.Met, peopleReached = "3",
        assists = listOf(
            AssistForm("birth_registration", level42 = Level42.ToanTrinh, result = AssistResult.Submitted, dossierCode = ""),
            AssistForm("vneid_level2_activation", result = AssistResult.NotFinished, reason = NotFinishedReason.NoChipIdCard),
        ),
        followUp = "30/11/2026", consent = true,
    )

    /** The core's problem on the first service's dossier code, with the core's label of that field. */
    private val dossierProblem = SampleData.dossierCodeProblem(0)

    @Test
    fun `new visit`() = render(
        "new-visit",
        vi(
            "Lượt đến hộ mới", VisitOutcome.Met.label(Lang.VI), "Gặp được hộ", "Thủ tục đăng ký khai sinh", Level42.ToanTrinh.label(Lang.VI),
            "Mã hồ sơ", "Lý do chưa hoàn thành", NotFinishedReason.NoChipIdCard.label(Lang.VI), AssistResult.Submitted.label(Lang.VI), "Lưu lượt đến hộ",
        ),
        absent = listOf("toan_trinh", "not_finished", "no_chip_id_card"),
    ) {
        NewVisitScreen(visitForm)
    }

    @Test
    fun `new visit shows the core's problem next to the dossier code`() = render(
        "new-visit-error",
        vi("Cần nhập mã hồ sơ khi đã nộp hồ sơ", "Mã hồ sơ", "Mã hồ sơ (dịch vụ 1): Cần nhập mã hồ sơ khi đã nộp hồ sơ."),
        variants = variants.take(1),
    ) {
        NewVisitScreen(visitForm.copy(error = dossierProblem))
    }

    @Test
    fun session() = render("session", vi("Buổi tuyên truyền, tư vấn", SessionKind.DoorToDoorDay.label(Lang.VI), "Ngày đi từng ngõ, gõ từng nhà", "Số người tham dự", "Ấp Phú Chánh"), absent = listOf("community_meeting")) {
        SessionScreen(
            SessionState(
                areas = SampleData.communes + SampleData.hamlets, kind = SessionKind.CommunityMeeting, areaCode = "28789-AP3",
                place = "Nhà văn hóa Ấp Phú Chánh", heldOn = "25/11/2026", attendees = "46", materials = "tờ rơi, pano hướng dẫn VNeID",
            ),
        )
    }

    @Test
    fun feedback() = render("feedback", vi("Khó khăn, vướng mắc, kiến nghị", FeedbackCategory.PortalIssues.label(Lang.VI), "Lỗi cổng dịch vụ công", "Gửi phản ánh"), absent = listOf("portal_issues")) {
        FeedbackScreen(FeedbackState(category = FeedbackCategory.PortalIssues, text = "Cổng dịch vụ công báo lỗi khi thanh toán lệ phí, người dân phải quay lại lần sau."))
    }

    @Test
    fun queue() = render(
        "queue",
        vi(
            "Hàng chờ gửi", "Bị máy chủ từ chối (1)", "đã bị ngừng trong danh mục",
            "Ô cần sửa: ${fieldLabel("assists[0].service_key", Lang.VI)}", "Gửi lại", "Đang chờ gửi (3)",
            "${RecordKind.Visit.label(Lang.VI)} — Nguyễn Văn Ả", "Lượt đến hộ — Nguyễn Văn Ả",
            // An outreach session's row shows the core's label of its kind, never its code.
            "${RecordKind.OutreachSession.label(Lang.VI)} — Nhà văn hóa Ấp Phú Chánh", "Buổi tuyên truyền — Nhà văn hóa Ấp Phú Chánh",
            "${RecordKind.Household.label(Lang.VI)} — Lê Hoàng Phúc",
            "Liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi", "Cấp phiếu lý lịch tư pháp",
        ),
        absent = listOf("outreach_session", "session —", "household —", "visit —", "assists[0]"),
    ) {
        QueueScreen(QueueState(status = SampleData.queue, rejected = SampleData.rejected, pending = SampleData.pending))
    }

    @Test
    fun settings() = render("settings", vi("Cài đặt", "Chỉ đồng bộ khi có wifi", "Tiếng Việt", "English", "Nguyễn Thị Thu Hương")) {
        SettingsScreen(SettingsState(settings = AppSettings(wifiOnly = true, lang = Lang.VI), profile = SampleData.profile))
    }

    @Test
    fun `the dossier code problem sits right under the dossier code field of that service`() {
        runDesktopComposeUiTest(width = 720, height = 5600) {
            setContent {
                CompositionLocalProvider(LocalDensity provides Density(2f, 1f)) {
                    GoCuaTheme {
                        NewVisitScreen(visitForm.copy(error = dossierProblem))
                    }
                }
            }
            val field = onAllNodesWithText("Mã hồ sơ", useUnmergedTree = true).fetchSemanticsNodes().single().boundsInRoot
            val error = onAllNodesWithText("Cần nhập mã hồ sơ khi đã nộp hồ sơ.", useUnmergedTree = true).fetchSemanticsNodes().single().boundsInRoot
            val firstService = onAllNodesWithText("Thủ tục đăng ký khai sinh", useUnmergedTree = true).fetchSemanticsNodes().first().boundsInRoot
            val secondService = onAllNodesWithText("Kích hoạt tài khoản định danh điện tử VNeID mức độ 2", useUnmergedTree = true).fetchSemanticsNodes().first().boundsInRoot
            assertTrue(error.top > field.bottom, "the problem is below the field ($field, $error)")
            assertTrue(error.top - field.bottom < 160f, "and close to it: ${error.top - field.bottom} px")
            assertTrue(error.top > firstService.bottom && error.bottom < secondService.top, "inside the first service's card")
            assertTrue(kotlin.math.abs(error.left - field.left) < 60f, "aligned with the field")
        }
    }

    @Test
    fun `the field error is exposed as an error in the semantics tree`() {
        runDesktopComposeUiTest(width = 720, height = 1560) {
            setContent {
                GoCuaTheme {
                    HouseholdFormScreen(HouseholdFormState(communes = SampleData.communes, communeCode = "28789", error = UiError.input("members", "Hãy nhập số người trong hộ.", "Enter the number of people.")))
                }
            }
            val errors = onAllNodesWithText("Hãy nhập số người trong hộ.", useUnmergedTree = true)
                .fetchSemanticsNodes().filter { SemanticsProperties.Error in it.config }
            assertEquals(1, errors.size, "one field error, marked as an error for screen readers")
            val n = onAllNodesWithText("Số người trong hộ", substring = true, useUnmergedTree = true).fetchSemanticsNodes()
            assertTrue(n.isNotEmpty())
            assertTrue(SemanticsMatcher.expectValue(SemanticsProperties.Error, "Hãy nhập số người trong hộ.").matches(errors.single()))
        }
    }
}
