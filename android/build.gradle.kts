// Kotlin 2.4's class metadata needs R8 9.1.29 or later (developer.android.com/build/kotlin-support);
// AGP 8.13 bundles R8 8.13, whose shrinking would mangle it. The newer R8 on the build classpath
// takes precedence over the bundled one.
buildscript {
    repositories { google() }
    dependencies { classpath(libs.r8) }
}

plugins {
    alias(libs.plugins.android.application) apply false
    alias(libs.plugins.android.library) apply false
    alias(libs.plugins.kotlin.android) apply false
    alias(libs.plugins.kotlin.compose) apply false
    alias(libs.plugins.kotlin.serialization) apply false
}
