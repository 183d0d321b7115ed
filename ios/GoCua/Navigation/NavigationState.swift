// The selected tab and each tab's stack of routes: Codable, so the scene saves it (@SceneStorage in
// MainTabs) and a relaunched app comes back where the volunteer was.

import Foundation

struct NavigationState: Codable, Equatable {
    var tab: AppTab = .today
    var today: [Route] = []
    var households: [Route] = []
    var queue: [Route] = []
    var settings: [Route] = []

    subscript(_ tab: AppTab) -> [Route] {
        get {
            switch tab {
            case .today:
                return today
            case .households:
                return households
            case .queue:
                return queue
            case .settings:
                return settings
            }
        }
        set {
            switch tab {
            case .today:
                today = newValue
            case .households:
                households = newValue
            case .queue:
                queue = newValue
            case .settings:
                settings = newValue
            }
        }
    }

    func encoded() -> Data? {
        try? JSONEncoder().encode(self)
    }

    static func decoded(from data: Data?) -> NavigationState? {
        guard let data else {
            return nil
        }
        return try? JSONDecoder().decode(NavigationState.self, from: data)
    }
}
