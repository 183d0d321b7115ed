package vn.gocua.ui.theme

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Typography
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.ReadOnlyComposable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.sp
import uniffi.gocua_protocol.Lang
import vn.gocua.fieldkit.text.Text

/** The language every screen reads its texts in (from Settings): the core's [Lang], passed to its labels and formatters. */
val LocalLang = staticCompositionLocalOf { Lang.VI }

/** A [Text] in the current language. */
@Composable
@ReadOnlyComposable
fun t(text: Text): String = text.pick(LocalLang.current)

@Composable
@ReadOnlyComposable
fun t(vi: String, en: String): String = Text(vi, en).pick(LocalLang.current)

/** The same outside composition (e.g. in a chip's label function). */
fun Lang.pick(vi: String, en: String): String = Text(vi, en).pick(this)

// High contrast for bright sun: deep Youth-Union blue on white; light blue on near-black at night.
private val Light = lightColorScheme(
    primary = Color(0xFF0B4F9C), onPrimary = Color.White,
    primaryContainer = Color(0xFFD6E4FF), onPrimaryContainer = Color(0xFF001B3F),
    secondary = Color(0xFF1E6B3A), onSecondary = Color.White,
    secondaryContainer = Color(0xFFC8EFCF), onSecondaryContainer = Color(0xFF00210C),
    error = Color(0xFFB3261E), onError = Color.White,
    errorContainer = Color(0xFFFFDAD6), onErrorContainer = Color(0xFF410002),
    background = Color.White, onBackground = Color(0xFF111418),
    surface = Color.White, onSurface = Color(0xFF111418),
    surfaceVariant = Color(0xFFE7EBF2), onSurfaceVariant = Color(0xFF3F4650),
)

private val Dark = darkColorScheme(
    primary = Color(0xFFAAC7FF), onPrimary = Color(0xFF002F65),
    primaryContainer = Color(0xFF0B4F9C), onPrimaryContainer = Color(0xFFD6E4FF),
    secondary = Color(0xFF9BD5A8), onSecondary = Color(0xFF00391A),
    secondaryContainer = Color(0xFF1E6B3A), onSecondaryContainer = Color(0xFFC8EFCF),
    error = Color(0xFFFFB4AB), onError = Color(0xFF690005),
    errorContainer = Color(0xFF93000A), onErrorContainer = Color(0xFFFFDAD6),
    background = Color(0xFF101317), onBackground = Color(0xFFE2E2E6),
    surface = Color(0xFF101317), onSurface = Color(0xFFE2E2E6),
    surfaceVariant = Color(0xFF2B313A), onSurfaceVariant = Color(0xFFC2C7D0),
)

private val Type = Typography().let {
    it.copy(
        bodyLarge = it.bodyLarge.copy(fontSize = 17.sp, lineHeight = 24.sp),
        bodyMedium = it.bodyMedium.copy(fontSize = 15.sp, lineHeight = 21.sp),
        titleLarge = it.titleLarge.copy(fontSize = 21.sp, lineHeight = 28.sp),
    )
}

@Composable
fun GoCuaTheme(dark: Boolean = false, lang: Lang = Lang.VI, content: @Composable () -> Unit) {
    CompositionLocalProvider(LocalLang provides lang) {
        MaterialTheme(colorScheme = if (dark) Dark else Light, typography = Type, content = content)
    }
}
