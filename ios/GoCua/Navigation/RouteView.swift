// Which screen a route shows.

import SwiftUI

struct RouteView: View {
    @EnvironmentObject private var session: ProfileSession
    let route: Route

    var body: some View {
        switch route {
        case let .household(id):
            HouseholdDetailScreen(session: session, householdId: id)
        case let .newHousehold(headName, hamletCode):
            HouseholdFormScreen(session: session, mode: .new(headName: headName, hamletCode: hamletCode))
        case let .editHousehold(id):
            HouseholdFormScreen(session: session, mode: .edit(id: id))
        case let .newVisit(householdId):
            VisitScreen(session: session, mode: .new(householdId: householdId))
        case let .correctVisit(visitId):
            VisitScreen(session: session, mode: .correct(visitId: visitId))
        case .session:
            SessionScreen(session: session)
        case let .feedback(from):
            FeedbackScreen(session: session, from: from)
        }
    }
}
