package vn.gocua.ui.components

import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material3.DatePicker
import androidx.compose.material3.DatePickerDialog
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.rememberDatePickerState
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import uniffi.gocua_ffi.formatDay
import uniffi.gocua_ffi.parseTypedDay
import vn.gocua.fieldkit.state.UiError
import vn.gocua.ui.theme.LocalLang
import vn.gocua.ui.theme.t

/** A day's milliseconds in the date picker (which counts UTC midnights: a day, no zone involved). */
private const val DAY_MS = 86_400_000L

/** The picker's selection as a calendar day (and back): whole UTC days since the epoch, no time zone. */
fun pickerDay(millis: Long): LocalDate = LocalDate.ofEpochDay(Math.floorDiv(millis, DAY_MS))
fun pickerMillis(day: LocalDate): Long = day.toEpochDay() * DAY_MS

/**
 * A day: typed as on paper ("30/11/2026", read by the core's `parseTypedDay`), or picked from the
 * calendar behind the icon. The picked day goes to the core as a calendar day, which writes it
 * the way the field shows days (`formatDay`), so typed and picked days read the same and the form
 * keeps one text. The core's problem with [field] shows under it.
 */
@Composable
fun DateField(label: String, value: String, onChange: (String) -> Unit, error: UiError?, field: String, placeholder: String? = null) {
    var picking by rememberSaveable { mutableStateOf(false) }
    val pick = t("Chọn ngày trên lịch", "Pick a day on the calendar")
    Field(
        label, value, onChange, error, field, placeholder = placeholder,
        trailingIcon = { IconButton(onClick = { picking = true }) { Icon(Icons.Filled.DateRange, contentDescription = pick) } },
    )
    if (picking) DayPickerDialog(label, parseTypedDay(value), onPicked = { onChange(it); picking = false }, onDismiss = { picking = false })
}

/** Material's date picker in a dialog, opening on [initial] (or this month); [onPicked] gets the day as the core writes it. */
@Composable
private fun DayPickerDialog(title: String, initial: LocalDate?, onPicked: (String) -> Unit, onDismiss: () -> Unit) {
    val lang = LocalLang.current
    val state = rememberDatePickerState(initialSelectedDateMillis = initial?.let(::pickerMillis))
    val chosen = state.selectedDateMillis?.let(::pickerDay)
    DatePickerDialog(
        onDismissRequest = onDismiss,
        confirmButton = {
            TextButton(onClick = { chosen?.let { onPicked(formatDay(it, lang)) } }, enabled = chosen != null) { Text(t("Chọn ngày này", "Choose")) }
        },
        dismissButton = { TextButton(onClick = onDismiss) { Text(t("Đóng", "Close")) } },
    ) {
        DatePicker(
            state = state,
            title = { Text(title, style = MaterialTheme.typography.labelLarge, modifier = Modifier.padding(start = 24.dp, end = 12.dp, top = 16.dp)) },
            // The chosen day as the core writes days, not in the platform's own format.
            headline = {
                Text(
                    chosen?.let { formatDay(it, lang) } ?: t("Chưa chọn ngày", "No day chosen"),
                    style = MaterialTheme.typography.headlineLarge,
                    modifier = Modifier.padding(start = 24.dp, end = 12.dp, bottom = 12.dp),
                )
            },
            showModeToggle = false,
        )
    }
}
