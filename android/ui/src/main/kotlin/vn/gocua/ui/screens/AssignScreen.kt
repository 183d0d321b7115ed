package vn.gocua.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uniffi.gocua_ffi.AreaView
import vn.gocua.fieldkit.state.AssignState
import vn.gocua.ui.components.Chips
import vn.gocua.ui.components.EmptyNote
import vn.gocua.ui.components.ErrorBanner
import vn.gocua.ui.components.InfoCard
import vn.gocua.ui.components.ScreenFrame
import vn.gocua.ui.components.SectionTitle
import vn.gocua.ui.theme.t

/** The leader assigns hamlets or households to members, and sees (and revokes) the team's list. */
@Composable
fun AssignScreen(
    state: AssignState,
    onBack: () -> Unit = {},
    onMember: (String?) -> Unit = {},
    onHamlet: (AreaView?) -> Unit = {},
    onHousehold: (String?) -> Unit = {},
    onAssign: () -> Unit = {},
    onRevoke: (String) -> Unit = {},
) {
    ScreenFrame(t("Phân công", "Assign"), onBack = onBack) {
        ErrorBanner(state.error)
        state.assigned?.let { a ->
            InfoCard { Text(t("Đã giao cho ${a.memberName}: ${a.line}", "Assigned to ${a.memberName}: ${a.line}")) }
        }
        SectionTitle(t("Đội viên", "Member"))
        Chips(state.members, selected = { it.id == state.member }, label = { it.name }, onSelect = { onMember(it.id) })
        SectionTitle(t("Thôn, ấp", "Hamlet"))
        if (state.hamlets.isEmpty()) EmptyNote(t("Các xã của đội chưa có thôn, ấp.", "The team's communes have no hamlets yet."))
        Chips(state.hamlets, selected = { it.code == state.hamlet?.code }, label = { it.name }, onSelect = { onHamlet(if (it.code == state.hamlet?.code) null else it) })
        SectionTitle(t("Hoặc một hộ", "Or one household"))
        if (state.households.isEmpty()) EmptyNote(t("Chưa có hộ nào trên điện thoại.", "No households on this phone yet."))
        Chips(state.households, selected = { it.id == state.household }, label = { it.headName }, onSelect = { onHousehold(if (it.id == state.household) null else it.id) })
        Button(onClick = onAssign, enabled = state.canAssign, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
            Text(t("Phân công", "Assign"), style = MaterialTheme.typography.titleMedium)
        }

        SectionTitle(t("Danh sách của đội", "The team's list"))
        if (state.assignments.isEmpty()) EmptyNote(t("Chưa phân công cho ai trong đợt này.", "Nothing assigned in this campaign yet."))
        if (state.assignments.isNotEmpty()) {
            InfoCard {
                state.assignments.forEachIndexed { i, item ->
                    if (i > 0) HorizontalDivider()
                    WalkRow(item, showMember = true)
                    OutlinedButton(onClick = { onRevoke(item.id) }, modifier = Modifier.heightIn(min = 48.dp)) { Text(t("Thu hồi", "Revoke")) }
                }
            }
        }
    }
}
