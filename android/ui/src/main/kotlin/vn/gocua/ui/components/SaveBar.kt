package vn.gocua.ui.components

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.navigationBarsPadding
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import vn.gocua.ui.theme.t

/** Test tag of the sticky bar holding a form's Save button. */
const val SAVE_BAR_TAG = "save-bar"

/**
 * The bottom bar of a form: "Hủy" (when the form can be thrown away) and the Save button, always
 * on screen while the form scrolls above it — a volunteer never has to scroll to the end to save.
 */
@Composable
fun SaveBar(label: String, onSave: () -> Unit, busy: Boolean = false, busyLabel: String? = null, onDiscard: (() -> Unit)? = null) {
    Surface(color = MaterialTheme.colorScheme.surface, tonalElevation = 3.dp, shadowElevation = 8.dp, modifier = Modifier.testTag(SAVE_BAR_TAG)) {
        Row(
            Modifier.fillMaxWidth().navigationBarsPadding().padding(horizontal = 16.dp, vertical = 8.dp),
            horizontalArrangement = Arrangement.spacedBy(8.dp),
            verticalAlignment = Alignment.CenterVertically,
        ) {
            if (onDiscard != null) {
                OutlinedButton(onClick = onDiscard, shape = MaterialTheme.shapes.medium, modifier = Modifier.weight(1f).heightIn(min = 56.dp)) {
                    Text(t("Hủy", "Discard"), textAlign = TextAlign.Center)
                }
            }
            Button(onClick = onSave, enabled = !busy, shape = MaterialTheme.shapes.medium, modifier = Modifier.weight(2f).heightIn(min = 56.dp)) {
                Text(if (busy && busyLabel != null) busyLabel else label, textAlign = TextAlign.Center)
            }
        }
    }
}
