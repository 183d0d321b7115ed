pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "gocua-android"

// fieldkit: generated bindings + platform-neutral Kotlin (state holders, formatting, sync glue)
// ui:       the Compose screens (Compose APIs only; also compiled on a desktop JVM by tests/compose)
// app:      Activity, navigation, WorkManager, Keystore, location, QR scanning
include(":fieldkit", ":ui", ":app")
