package vn.gocua.app

import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import kotlinx.coroutines.CoroutineScope

/**
 * Keeps a fieldkit state holder across configuration changes, running in the ViewModel's scope.
 * The state holders themselves are plain Kotlin (tested on the JVM); this is the Android glue.
 */
class Holder<T>(create: (CoroutineScope) -> T) : ViewModel() {
    val value: T = create(viewModelScope)
}

@Composable
fun <T> rememberHolder(key: String, create: (CoroutineScope) -> T): T =
    viewModel(key = key) { Holder(create) }.value
