package vn.gocua.ui.components

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.RowScope
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp

/*
 * A checkbox or switch and its label as ONE control: the whole row toggles (a big target), and
 * TalkBack reads the label with the state ("Chủ hộ đồng ý …, checkbox, not checked"), because
 * `toggleable` merges the row's texts into its node. The box itself takes no clicks of its own.
 */

@Composable
fun CheckboxRow(label: String, checked: Boolean, onChange: (Boolean) -> Unit, modifier: Modifier = Modifier) {
    ToggleRow(checked, onChange, Role.Checkbox, gap = 8.dp, modifier) {
        Checkbox(checked = checked, onCheckedChange = null)
        ToggleLabel(label)
    }
}

@Composable
fun SwitchRow(label: String, checked: Boolean, onChange: (Boolean) -> Unit, modifier: Modifier = Modifier) {
    ToggleRow(checked, onChange, Role.Switch, gap = 12.dp, modifier) {
        ToggleLabel(label)
        Switch(checked = checked, onCheckedChange = null)
    }
}

/** The row that toggles as a whole (at least 48 dp high), holding the box or switch and its label. */
@Composable
private fun ToggleRow(checked: Boolean, onChange: (Boolean) -> Unit, role: Role, gap: Dp, modifier: Modifier, content: @Composable RowScope.() -> Unit) {
    Row(
        modifier.fillMaxWidth().heightIn(min = 48.dp).toggleable(value = checked, role = role, onValueChange = onChange).padding(vertical = 4.dp),
        horizontalArrangement = Arrangement.spacedBy(gap),
        verticalAlignment = Alignment.CenterVertically,
        content = content,
    )
}

@Composable
private fun RowScope.ToggleLabel(label: String) {
    Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
}
