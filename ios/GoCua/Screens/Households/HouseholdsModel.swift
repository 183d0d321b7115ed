// Households: search as you type with the core's diacritic-insensitive search ("nguyen van a"
// finds "Nguyễn Văn Ả"), a hamlet filter, pages of 50 (the core's cursor), and the follow-ups due.
// "Chưa đến" lists the households the campaign running today has not reached yet (the core decides
// what counts), of the hamlet or of every team commune in turn, with the area's coverage.

import GoCuaKit
import SwiftUI

final class HouseholdsModel: ObservableObject {
    /// Typing a search leaves "Chưa đến": a search looks through every household.
    @Published var query = "" {
        didSet {
            if !query.isEmpty {
                notVisited = false
            }
        }
    }
    /// nil: every hamlet of the team's communes.
    @Published var hamletCode: String?
    /// "Chưa đến": the households the current campaign has not reached instead of every household.
    @Published var notVisited = false {
        didSet {
            if notVisited {
                query = ""
            }
        }
    }
    /// Reached and all households of the hamlet (or of the team's communes): "Đã đến 12/40 hộ".
    @Published private(set) var coverage: CoverageView?
    @Published private(set) var hamlets: [AreaView] = []
    @Published private(set) var areaNames: [String: String] = [:]
    @Published private(set) var results: [HouseholdSummaryView] = []
    @Published private(set) var followUps: [FollowUpView] = []
    @Published private(set) var loading = false
    @Published private(set) var error: UIError?
    /// The core's cursor for the next page; nil on the last page.
    private var next: String?
    /// The team's communes, in the core's order.
    private var communes: [String] = []
    /// "Chưa đến" over every team commune goes one commune after another: those still to list,
    /// the first being the one `next` continues.
    private var pendingCommunes: [String] = []

    static let pageSize: UInt32 = 50

    private let profile: FieldProfile

    init(profile: FieldProfile) {
        self.profile = profile
    }

    var hasMore: Bool {
        next != nil || !pendingCommunes.isEmpty
    }

    /// The households not reached yet, for the "Chưa đến (28)" chip.
    var notVisitedCount: UInt32? {
        coverage?.notVisited
    }

    private struct Areas {
        let communes: [String]
        let names: [String: String]
        let hamlets: [AreaView]
        let followUps: [FollowUpView]
    }

    private struct Page {
        let items: [HouseholdSummaryView]
        let next: String?
        let pending: [String]
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
                return Areas(
                    communes: communes.map(\.code), names: names, hamlets: hamlets,
                    followUps: try p.followUpsDue(until: nil))
            }
            communes = areas.communes
            areaNames = areas.names
            hamlets = areas.hamlets
            followUps = areas.followUps
        } catch {
            self.error = UIError(error)
        }
    }

    /// The first page for the query, the hamlet filter and "Chưa đến", and the area's coverage.
    @MainActor
    func search() async {
        pendingCommunes = notVisited ? communesToList() : []
        await loadCoverage()
        await fetch(after: nil, first: true)
    }

    @MainActor
    func loadMore() async {
        guard hasMore, !loading else {
            return
        }
        await fetch(after: next, first: false)
    }

    /// The communes "Chưa đến" goes through: the selected hamlet's, or every team commune.
    private func communesToList() -> [String] {
        guard let hamletCode else {
            return communes
        }
        return hamlets.first { $0.code == hamletCode }?.parentCode.map { [$0] } ?? []
    }

    /// The core's coverage of the selected hamlet, or of all the team's households.
    @MainActor
    private func loadCoverage() async {
        let hamlet = hamletCode
        let communes = communesToList()
        do {
            let found = try await profile.inBackground { p -> CoverageView? in
                guard let commune = communes.first else {
                    return nil
                }
                // One commune for a hamlet; otherwise the core counts all the team's households.
                return try p.coverage(
                    communeCode: hamlet == nil ? nil : commune, hamletCode: hamlet)
            }
            if hamlet == hamletCode {
                coverage = found
            }
        } catch {
            self.error = UIError(error)
        }
    }

    @MainActor
    private func fetch(after cursor: String?, first: Bool) async {
        loading = true
        defer { loading = false }
        let query = self.query
        let hamlet = hamletCode
        let notVisited = self.notVisited
        let pending = pendingCommunes
        let pageSize = Self.pageSize
        do {
            let page = try await profile.inBackground { p -> Page in
                if notVisited {
                    return try Self.notVisitedPage(p, communes: pending, hamlet: hamlet, after: cursor)
                }
                let page: HouseholdPage
                if query.isEmpty {
                    page = try p.listHouseholds(communeCode: nil, hamletCode: hamlet, pageSize: pageSize, after: cursor)
                } else {
                    page = try p.searchHouseholds(query: query, communeCode: nil, hamletCode: hamlet, pageSize: pageSize, after: cursor)
                }
                return Page(items: page.items, next: page.next, pending: [])
            }
            guard query == self.query, hamlet == hamletCode, notVisited == self.notVisited else {
                return
            }
            results = first ? page.items : results + page.items
            next = page.next
            pendingCommunes = page.pending
            error = nil
        } catch {
            self.error = UIError(error)
        }
    }

    /// One page of "Chưa đến": the core's pages of `communes` in turn, the next commune topping up
    /// a page the previous one left short.
    private static func notVisitedPage(
        _ p: FieldProfile, communes: [String], hamlet: String?, after: String?
    ) throws -> Page {
        var items: [HouseholdSummaryView] = []
        var communes = communes
        var cursor = after
        while let commune = communes.first, items.count < Int(pageSize) {
            let page = try p.householdsNotVisited(
                communeCode: commune, hamletCode: hamlet, pageSize: pageSize - UInt32(items.count), after: cursor)
            items += page.items
            if page.next != nil {
                return Page(items: items, next: page.next, pending: communes)
            }
            communes.removeFirst()
            cursor = nil
        }
        return Page(items: items, next: nil, pending: communes)
    }
}
