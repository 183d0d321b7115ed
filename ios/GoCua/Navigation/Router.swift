// Moves between screens: the screens ask the router (push, pop, switch tab) instead of holding
// each other; MainTabs binds the NavigationStacks to its state.

import SwiftUI

final class Router: ObservableObject {
    @Published var state = NavigationState()

    func push(_ route: Route) {
        state[state.tab].append(route)
    }

    func pop() {
        if !state[state.tab].isEmpty {
            state[state.tab].removeLast()
        }
    }

    /// Replaces the screen on top (e.g. the new-household form by the household it created).
    func replaceTop(with route: Route) {
        pop()
        push(route)
    }

    func select(_ tab: AppTab) {
        state.tab = tab
    }

    /// Opens `route` on top of `tab`'s stack and shows that tab.
    func open(_ route: Route, in tab: AppTab) {
        state[tab].append(route)
        state.tab = tab
    }
}
