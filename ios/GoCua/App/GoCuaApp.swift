// The app's entry point: one window, the process-wide AppModel, links (gocua://enrol?…), the
// background sync tasks (registered before launch ends, as BGTaskScheduler requires) and a sync
// each time the app comes back to the foreground.

import GoCuaKit
import SwiftUI

@main
struct GoCuaApp: App {
    @StateObject private var app = AppModel.shared
    @Environment(\.scenePhase) private var scenePhase

    init() {
        BackgroundSync.register()
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(app)
                .environmentObject(app.settings)
                .environmentObject(app.sync)
                .onOpenURL { url in
                    app.receive(link: url.absoluteString)
                }
        }
        .onChange(of: scenePhase) { phase in
            app.scenePhaseChanged(to: phase)
        }
    }
}
