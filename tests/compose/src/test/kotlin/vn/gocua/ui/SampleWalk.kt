package vn.gocua.ui

import uniffi.gocua_ffi.TeamMemberView
import uniffi.gocua_ffi.WalkItemView
import uniffi.gocua_ffi.WalkTargetKind
import vn.gocua.fieldkit.state.AssignState

/** Walk lists as the core hands them over (labels already made, in Vietnamese). */
object SampleWalk {
    private fun hamlet(id: String, member: String, name: String, left: String, finished: Boolean = false) = WalkItemView(
        id = id, memberId = "m-$member", memberName = member, kind = WalkTargetKind.HAMLET,
        communeCode = "28789", hamletCode = "28789-$id", householdId = null,
        title = name, subtitle = "Phường Bến Tre", leftLabel = left, line = "$name — $left", finished = finished,
    )

    private fun household(id: String, member: String, name: String, left: String, finished: Boolean) = WalkItemView(
        id = id, memberId = "m-$member", memberName = member, kind = WalkTargetKind.HOUSEHOLD,
        communeCode = null, hamletCode = null, householdId = "h-$id",
        title = name, subtitle = null, leftLabel = left, line = "$name — $left", finished = finished,
    )

    val myList = listOf(
        hamlet("AP3", "Nguyễn Thị Thu Hương", "Ấp Phú Hòa", "còn 12/40 hộ"),
        household("h1", "Nguyễn Thị Thu Hương", "Trần Văn Bảy — Số 45, tổ 3, ấp Phú Hòa", "chưa đến", finished = false),
        hamlet("KP1", "Nguyễn Thị Thu Hương", "Khu phố 1", "đã đến hết 28 hộ", finished = true),
    )

    val members = listOf(
        TeamMemberView("m1", "Nguyễn Thị Thu Hương", true, "Đội trưởng"),
        TeamMemberView("m2", "Trần Minh Khoa", false, "Đội viên"),
        TeamMemberView("m3", "Phạm Thu Trang", false, "Đội viên"),
        TeamMemberView("m4", "Võ Thanh Tâm", false, "Đội viên"),
    )

    val assign = AssignState(
        members = members,
        hamlets = SampleData.hamlets,
        households = SampleData.households,
        assignments = listOf(
            hamlet("KP2", "Trần Minh Khoa", "Khu phố 2", "còn 7/31 hộ"),
            household("h2", "Phạm Thu Trang", "Lê Thị Năm — Số 8, hẻm 2, khu phố 1", "chưa đến", finished = false),
        ),
        member = "m2",
        hamlet = SampleData.hamlets[2],
    )
}
