// Today: the volunteer's counts (today, this week), the team's targets, the queue and the last
// sync, and the phone's clock warning — all as the core counts and words them.

import GoCuaKit
import SwiftUI

final class TodayModel: ObservableObject {
    @Published private(set) var counts: CountsView?
    @Published private(set) var targets: [TargetProgressView] = []
    @Published private(set) var queue: QueueStatusView?
    @Published private(set) var clockWarning: ClockWarningView?
    @Published private(set) var error: UIError?

    private let profile: FieldProfile

    init(profile: FieldProfile) {
        self.profile = profile
    }

    private struct Loaded {
        let counts: CountsView
        let targets: [TargetProgressView]
        let queue: QueueStatusView
        let clockWarning: ClockWarningView?
    }

    @MainActor
    func load() async {
        do {
            let loaded = try await profile.inBackground { p in
                Loaded(
                    counts: try p.myCounts(),
                    targets: try p.teamProgress(),
                    queue: try p.queueStatus(),
                    clockWarning: try p.clockWarning()
                )
            }
            counts = loaded.counts
            targets = loaded.targets
            queue = loaded.queue
            clockWarning = loaded.clockWarning
            error = nil
        } catch {
            self.error = UIError(error)
        }
    }
}
