// Households: search as you type with the core's diacritic-insensitive search ("nguyen van a"
// finds "Nguyễn Văn Ả"), a hamlet filter, pages of 50 (the core's cursor), and the follow-ups due.

import GoCuaKit
import SwiftUI

final class HouseholdsModel: ObservableObject {
    @Published var query = ""
    /// nil: every hamlet of the team's communes.
    @Published var hamletCode: String?
    @Published private(set) var hamlets: [AreaView] = []
    @Published private(set) var areaNames: [String: String] = [:]
    @Published private(set) var results: [HouseholdSummaryView] = []
    @Published private(set) var followUps: [FollowUpView] = []
    @Published private(set) var loading = false
    @Published private(set) var error: UIError?
    /// The core's cursor for the next page; nil on the last page.
    private var next: String?

    static let pageSize: UInt32 = 50

    private let profile: FieldProfile

    init(profile: FieldProfile) {
        self.profile = profile
    }

    var hasMore: Bool {
        next != nil
    }

    private struct Areas {
        let names: [String: String]
        let hamlets: [AreaView]
        let followUps: [FollowUpView]
    }

    /// The areas and the follow-ups due (today, in the deployment's calendar: the core's default).
    @MainActor
    func loadAreas() async {
        do {
            let areas = try await profile.inBackground { p -> Areas in
                let communes = try p.teamAreas()
                var hamlets: [AreaView] = []
                for commune in communes {
                    hamlets += try p.childAreas(parentCode: commune.code)
                }
                var names: [String: String] = [:]
                for area in communes + hamlets {
                    names[area.code] = area.name
                }
                return Areas(names: names, hamlets: hamlets, followUps: try p.followUpsDue(until: nil))
            }
            areaNames = areas.names
            hamlets = areas.hamlets
            followUps = areas.followUps
        } catch {
            self.error = UIError(error)
        }
    }

    /// The first page for the query and the hamlet filter.
    @MainActor
    func search() async {
        await fetch(after: nil)
    }

    @MainActor
    func loadMore() async {
        guard let next, !loading else {
            return
        }
        await fetch(after: next)
    }

    @MainActor
    private func fetch(after cursor: String?) async {
        loading = true
        defer { loading = false }
        let query = self.query
        let hamlet = hamletCode
        let pageSize = Self.pageSize
        do {
            let page = try await profile.inBackground { p -> HouseholdPage in
                if query.isEmpty {
                    return try p.listHouseholds(communeCode: nil, hamletCode: hamlet, pageSize: pageSize, after: cursor)
                }
                return try p.searchHouseholds(query: query, communeCode: nil, hamletCode: hamlet, pageSize: pageSize, after: cursor)
            }
            guard query == self.query, hamlet == hamletCode else {
                return
            }
            results = cursor == nil ? page.items : results + page.items
            next = page.next
            error = nil
        } catch {
            self.error = UIError(error)
        }
    }
}
