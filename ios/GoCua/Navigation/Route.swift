// Typed destinations: every screen beyond a tab's root is a Route, carrying record ids (never
// whole records), so a path can be saved and restored when the app is relaunched.

import Foundation

enum Route: Hashable, Codable {
    case household(id: String)
    /// "Find or create": the name typed in the search box and the hamlet filter, to save typing.
    case newHousehold(headName: String, hamletCode: String?)
    case editHousehold(id: String)
    case newVisit(householdId: String)
    /// A correction of a visit (a new revision that supersedes it).
    case correctVisit(visitId: String)
    case session
    case feedback(FeedbackFrom)
}

/// What a piece of feedback is about, as a route carries it (the core's FeedbackSource is not
/// Codable); `FeedbackFrom.source` turns it back into the core's value.
enum FeedbackFrom: Hashable, Codable {
    case general
    case visit(id: String, areaCode: String?)
    case session(id: String, areaCode: String?)
}

/// The tabs, as Android's bottom bar: Today, Households, Queue, Settings.
enum AppTab: Int, Hashable, Codable, CaseIterable {
    case today
    case households
    case queue
    case settings
}
