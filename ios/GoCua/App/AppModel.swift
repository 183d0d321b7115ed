// What the whole process shares — the UI and the background sync tasks alike: the opened profile
// (one per process), the settings, the network monitor and the one sync coordinator. The phases
// follow docs/phone-api.md's lifecycle: open → (lost key?) → enrolled? → work.

import GoCuaKit
import SwiftUI

final class AppModel: ObservableObject {
    static let shared = AppModel()

    enum Phase {
        case opening
        /// The key does not open the store (lost key): ask the volunteer before discarding it.
        case unreadable(UIError)
        /// Opening failed otherwise (storage full, a newer schema, Keychain not readable yet).
        case failed(UIError)
        /// An empty profile, not enrolled yet.
        case enrol(FieldProfile)
        case ready(ProfileSession)
    }

    /// A gocua://enrol link the app was opened with, waiting to be shown.
    struct IncomingLink: Identifiable {
        let id = UUID()
        let payload: String
    }

    @Published private(set) var phase: Phase = .opening
    @Published var incomingLink: IncomingLink?

    let settings: AppSettings
    let network: NetworkMonitor
    let sync: SyncCoordinator
    private var opening: Task<Void, Never>?

    init() {
        settings = AppSettings()
        network = NetworkMonitor()
        sync = SyncCoordinator(network: network, settings: settings)
        network.start()
    }

    /// Opens the profile once per process; later calls wait for the first.
    @MainActor
    func openIfNeeded() async {
        if opening == nil {
            opening = Task { await open() }
        }
        await opening?.value
    }

    /// The enrolled profile, opening it first if needed (for background work); nil otherwise.
    @MainActor
    func readySession() async -> ProfileSession? {
        await openIfNeeded()
        if case let .ready(session) = phase {
            return session
        }
        return nil
    }

    @MainActor
    private func open() async {
        do {
            let store = try ProfileStore.standard()
            resetForUITestsIfAsked(store)
            let opened = try await Task.detached { try store.open() }.value
            switch opened {
            case let .ready(profile):
                let me = try await profile.inBackground { try $0.profile() }
                if let me {
                    phase = .ready(ProfileSession(profile: profile, me: me, app: self))
                } else {
                    phase = .enrol(profile)
                }
            case let .unreadable(error):
                phase = .unreadable(UIError(error))
            }
        } catch {
            phase = .failed(UIError(error))
        }
    }

    /// "Thử lại" after a failed open.
    @MainActor
    func retryOpen() async {
        phase = .opening
        opening = nil
        await openIfNeeded()
    }

    /// The lost-key path, after the volunteer confirmed: discard the unreadable store, keep a new
    /// key, and start again from enrolment.
    @MainActor
    func discardUnreadableAndStartOver() async {
        phase = .opening
        do {
            let store = try ProfileStore.standard()
            let profile = try await Task.detached { try store.discardAndStartOver() }.value
            phase = .enrol(profile)
        } catch {
            phase = .failed(UIError(error))
        }
    }

    /// Enrolment succeeded: the profile now belongs to a team.
    func enrolled(_ profile: FieldProfile, as me: ProfileView) {
        phase = .ready(ProfileSession(profile: profile, me: me, app: self))
        BackgroundSync.schedule()
    }

    func receive(link: String) {
        incomingLink = IncomingLink(payload: link)
    }

    func scenePhaseChanged(to scenePhase: ScenePhase) {
        switch scenePhase {
        case .active:
            Task {
                if let session = await readySession() {
                    _ = await sync.run(session.profile, trigger: .appForeground)
                }
            }
        case .background:
            BackgroundSync.schedule()
        default:
            break
        }
    }

    /// A background task's sync; true unless it failed or was cut short.
    @MainActor
    func backgroundSync() async -> Bool {
        guard let session = await readySession() else {
            return true
        }
        switch await sync.run(session.profile, trigger: .periodic) {
        case .done, .waiting:
            return true
        case .cancelled, .failed:
            return false
        }
    }

    /// UI tests start from an empty phone: GoCuaUITests launches the app with GOCUA_UI_TEST_RESET set.
    /// Debug builds only; a release build ignores it.
    private func resetForUITestsIfAsked(_ store: ProfileStore) {
        #if DEBUG
        if ProcessInfo.processInfo.environment["GOCUA_UI_TEST_RESET"] != nil {
            try? FileManager.default.removeItem(at: store.directory)
            try? store.keychain.delete()
        }
        #endif
    }
}
