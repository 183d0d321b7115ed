// One household: its details, the place (hamlet, commune), its visits newest first (the core's
// current revision of each), and erasure of its personal data on the person's request.

import GoCuaKit
import SwiftUI

final class HouseholdDetailModel: ObservableObject {
    @Published private(set) var household: HouseholdView?
    @Published private(set) var place = ""
    @Published private(set) var visits: [VisitView] = []
    @Published private(set) var erasing = false
    @Published private(set) var error: UIError?

    let householdId: String
    private let session: ProfileSession

    init(session: ProfileSession, householdId: String) {
        self.session = session
        self.householdId = householdId
    }

    private struct Loaded {
        let household: HouseholdView
        let place: String
        let visits: [VisitView]
    }

    @MainActor
    func load() async {
        let id = householdId
        do {
            let loaded = try await session.profile.inBackground { p -> Loaded in
                let household = try p.household(id: id)
                let communes = try p.teamAreas()
                let commune = communes.first { $0.code == household.communeCode }
                var names: [String] = []
                if let hamletCode = household.hamletCode {
                    let hamlet = try p.childAreas(parentCode: household.communeCode).first { $0.code == hamletCode }
                    names.append(hamlet?.name ?? hamletCode)
                }
                names.append(commune?.name ?? household.communeCode)
                return Loaded(
                    household: household,
                    place: names.joined(separator: ", "),
                    visits: try p.householdVisits(householdId: id)
                )
            }
            household = loaded.household
            place = loaded.place
            visits = loaded.visits
            error = nil
        } catch {
            self.error = UIError(error)
        }
    }

    /// Erases the household's personal data here and, at the next sync, on the server.
    @MainActor
    func erasePersonalData() async {
        let id = householdId
        erasing = true
        defer { erasing = false }
        do {
            try await session.profile.inBackground { try $0.eraseHouseholdPersonalData(id: id) }
            session.syncSoon()
            await load()
        } catch {
            self.error = UIError(error)
        }
    }

    /// Feedback raised about a visit of this household carries the household's area.
    var areaCode: String? {
        household.map { $0.hamletCode ?? $0.communeCode }
    }
}
