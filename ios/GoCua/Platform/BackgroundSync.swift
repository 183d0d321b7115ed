// Background sync with BGTaskScheduler: an app-refresh task (short, frequent) and a processing task
// (longer, when the system finds the phone idle), both needing the network. The system picks the
// moment; the core's policy (decideSync with the periodic trigger and the wifi-only setting) still
// decides whether to send. When the system's time runs out, the expiration handler cancels the
// Swift Task and the sync coordinator; the core keeps every record that was not acknowledged.
// Identifiers are listed in Info.plist (BGTaskSchedulerPermittedIdentifiers).

import BackgroundTasks
import Foundation

enum BackgroundSync {
    static let refreshIdentifier = "vn.gocua.sync.refresh"
    static let processingIdentifier = "vn.gocua.sync.processing"

    /// Before the app finishes launching (GoCuaApp.init).
    static func register() {
        for identifier in [refreshIdentifier, processingIdentifier] {
            _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
                handle(task)
            }
        }
    }

    /// Asks for the next runs; replaces requests already waiting. The system decides when.
    static func schedule() {
        let refresh = BGAppRefreshTaskRequest(identifier: refreshIdentifier)
        let processing = BGProcessingTaskRequest(identifier: processingIdentifier)
        processing.requiresNetworkConnectivity = true
        processing.requiresExternalPower = false
        for request in [refresh, processing] as [BGTaskRequest] {
            do {
                try BGTaskScheduler.shared.submit(request)
            } catch {
                // Not permitted on the simulator and when Background App Refresh is off: the
                // foreground syncs still run.
                print("BackgroundSync: \(request.identifier) not scheduled: \(error)")
            }
        }
    }

    private static func handle(_ task: BGTask) {
        schedule()
        let work = Task { @MainActor () -> Bool in
            await AppModel.shared.backgroundSync()
        }
        task.expirationHandler = {
            work.cancel()
            Task { @MainActor in
                AppModel.shared.sync.cancel()
            }
        }
        Task {
            let success = await work.value
            task.setTaskCompleted(success: success)
        }
    }
}
