plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
    // Typed navigation routes (vn.gocua.ui.nav.Dest) are @Serializable.
    alias(libs.plugins.kotlin.serialization)
}

android {
    namespace = "vn.gocua.ui"
    compileSdk = 36
    defaultConfig { minSdk = 26 }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
    compilerOptions {
        // The same opt-ins as tests/compose/pom.xml, which compiles these sources for the desktop JVM.
        optIn.addAll("androidx.compose.foundation.layout.ExperimentalLayoutApi", "androidx.compose.material3.ExperimentalMaterial3Api")
    }
}

dependencies {
    api(project(":fieldkit"))
    api(platform(libs.compose.bom))
    api(libs.compose.ui)
    api(libs.compose.foundation)
    api(libs.compose.material3)
    implementation(libs.compose.material.icons.core)
    // Navigation, ViewModel per back-stack entry, SavedStateHandle (vn.gocua.ui.nav).
    api(libs.navigation.compose)
    api(libs.lifecycle.viewmodel.compose)
    implementation(libs.kotlinx.serialization.core)
}
