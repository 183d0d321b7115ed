// The enrolled app: four tabs, each a NavigationStack over typed routes, restored on relaunch from
// @SceneStorage. An enrolment link opened while enrolled shows the enrolment sheet; the core
// answers it (AlreadyEnrolled).

import GoCuaKit
import SwiftUI

struct MainTabs: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var app: AppModel
    @EnvironmentObject private var session: ProfileSession
    @StateObject private var router = Router()
    @SceneStorage("gocua.navigation") private var storedNavigation: Data?
    @State private var restored = false

    var body: some View {
        TabView(selection: $router.state.tab) {
            stack(.today) { TodayScreen(session: session) }
                .tabItem { Label(tr("Hôm nay"), systemImage: "sun.max") }
                .tag(AppTab.today)
                .accessibilityIdentifier("tab.today")
            stack(.households) { HouseholdsScreen(session: session) }
                .tabItem { Label(tr("Hộ gia đình"), systemImage: "house") }
                .tag(AppTab.households)
                .accessibilityIdentifier("tab.households")
            stack(.queue) { QueueScreen(session: session) }
                .tabItem { Label(tr("Hàng chờ"), systemImage: "tray.full") }
                .tag(AppTab.queue)
                .accessibilityIdentifier("tab.queue")
            stack(.settings) { SettingsScreen() }
                .tabItem { Label(tr("Cài đặt"), systemImage: "gearshape") }
                .tag(AppTab.settings)
                .accessibilityIdentifier("tab.settings")
        }
        .environmentObject(router)
        .onAppear {
            if !restored {
                restored = true
                if let saved = NavigationState.decoded(from: storedNavigation) {
                    router.state = saved
                }
            }
        }
        .onChange(of: router.state) { state in
            storedNavigation = state.encoded()
        }
        .sheet(item: $app.incomingLink) { link in
            NavigationStack {
                EnrolScreen(profile: session.profile, link: link.payload)
            }
            .environment(\.chrome, tr)
            .environmentObject(app)
        }
    }

    private func path(_ tab: AppTab) -> Binding<[Route]> {
        Binding(get: { router.state[tab] }, set: { router.state[tab] = $0 })
    }

    private func stack<Root: View>(_ tab: AppTab, @ViewBuilder root: () -> Root) -> some View {
        NavigationStack(path: path(tab)) {
            root()
                .navigationDestination(for: Route.self) { route in
                    RouteView(route: route)
                }
        }
    }
}
