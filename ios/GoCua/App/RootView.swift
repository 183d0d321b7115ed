// Chooses what the volunteer sees from the app's phase: opening, the lost-key question, a failure,
// enrolment, or the work itself. Sets the language of the chrome (Chrome) and of system controls
// (the locale) from Settings.

import GoCuaKit
import SwiftUI

struct RootView: View {
    @EnvironmentObject private var app: AppModel
    @EnvironmentObject private var settings: AppSettings

    var body: some View {
        content
            .environment(\.chrome, Chrome(lang: settings.lang))
            .environment(\.locale, Locale(identifier: settings.english ? "en" : "vi"))
            .task { await app.openIfNeeded() }
    }

    @ViewBuilder
    private var content: some View {
        switch app.phase {
        case .opening:
            OpeningView()
        case let .unreadable(error):
            LostKeyScreen(error: error)
        case let .failed(error):
            OpenFailedView(error: error)
        case let .enrol(profile):
            NavigationStack {
                EnrolScreen(profile: profile)
            }
        case let .ready(session):
            MainTabs()
                .environmentObject(session)
        }
    }
}
