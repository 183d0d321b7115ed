// The one way this process syncs: the Today screen's buttons, a record just saved, the app coming to
// the foreground, a background task. One sync at a time (a second request joins the running one).
// Whether to sync now, on this network and battery, for this trigger and the "wifi only" setting,
// is the core's decision (decideSync), and so is whether "send now on mobile data" would help:
// the app asks the core the same question with the user_forced trigger.

import GoCuaKit
import SwiftUI

final class SyncCoordinator: ObservableObject {
    enum Outcome {
        case done(SyncReportView)
        /// The core's policy said "not now"; the decision carries its reason and message.
        case waiting(SyncDecisionView)
        /// The Task was cancelled (the Stop button, a background task's time running out).
        case cancelled
        case failed(UIError)
    }

    @Published private(set) var running = false
    @Published private(set) var sent: UInt32 = 0
    @Published private(set) var total: UInt32 = 0
    @Published private(set) var lastReport: SyncReportView?
    @Published private(set) var error: UIError?
    /// Why the last request did not sync (nil when it did).
    @Published private(set) var waiting: SyncDecisionView?
    /// The core would sync now if the volunteer forced it ("send now on mobile data").
    @Published private(set) var canForce = false
    /// Increases after every sync that ran, so screens reload what they show.
    @Published private(set) var generation = 0

    private let network: NetworkMonitor
    private let settings: AppSettings
    private var current: Task<Outcome, Never>?

    init(network: NetworkMonitor, settings: AppSettings) {
        self.network = network
        self.settings = settings
    }

    @MainActor
    func run(_ profile: FieldProfile, trigger: SyncTrigger) async -> Outcome {
        if let current {
            return await current.value
        }
        let facts = await network.facts()
        if let current {
            return await current.value
        }
        let wifiOnly = settings.wifiOnly
        // The iOS app's only user_forced button is "Gửi ngay bằng dữ liệu di động": it carries the
        // volunteer's mobile-data override, which the core honours only with user_forced.
        let decision = decideSync(facts: facts, trigger: trigger, wifiOnly: wifiOnly, mobileDataOnce: trigger == .userForced)
        guard decision.syncNow else {
            waiting = decision
            canForce = decideSync(facts: facts, trigger: .userForced, wifiOnly: wifiOnly, mobileDataOnce: true).syncNow
            return .waiting(decision)
        }
        waiting = nil
        canForce = false
        error = nil
        sent = 0
        total = 0
        running = true
        // The coordinator lives as long as the process (AppModel owns it): strong captures are fine.
        let task = Task { @MainActor () -> Outcome in
            do {
                let report = try await profile.syncReporting { [self] sent, total in
                    Task { @MainActor in
                        self.progressed(sent: sent, total: total)
                    }
                }
                return .done(report)
            } catch is CancellationError {
                return .cancelled
            } catch {
                return .failed(UIError(error))
            }
        }
        current = task
        let outcome = await task.value
        current = nil
        running = false
        generation += 1
        switch outcome {
        case let .done(report):
            lastReport = report
        case let .failed(failure):
            error = failure
        case .waiting, .cancelled:
            break
        }
        return outcome
    }

    @MainActor
    private func progressed(sent: UInt32, total: UInt32) {
        self.sent = sent
        self.total = total
    }

    /// Stops the running sync: cancelling its Task calls the core's `cancelSync()` (GoCuaKit's
    /// `syncReporting`).
    func cancel() {
        current?.cancel()
    }

    /// The core's words for why it is not syncing now, in `lang`.
    func waitingMessage(_ lang: Lang) -> String? {
        guard let waiting else {
            return nil
        }
        switch lang {
        case .vi:
            return waiting.messageVi ?? waiting.reason?.label(lang: lang)
        case .en:
            return waiting.messageEn ?? waiting.reason?.label(lang: lang)
        }
    }
}
