// Households: search as you type (accents optional), hamlet filter, "Chưa đến" (not yet visited in
// the current campaign) with the area's coverage, paged list, follow-ups due, and "new household"
// when the search did not find it.

import GoCuaKit
import SwiftUI

struct HouseholdsScreen: View {
    @Environment(\.chrome) private var tr
    @StateObject private var model: HouseholdsModel

    init(session: ProfileSession) {
        _model = StateObject(wrappedValue: HouseholdsModel(profile: session.profile))
    }

    /// What a search depends on: a change restarts it (and cancels the one waiting).
    private struct SearchKey: Equatable {
        let query: String
        let hamlet: String?
        let notVisited: Bool
    }

    var body: some View {
        List {
            if !model.hamlets.isEmpty {
                Section {
                    Picker(tr("Thôn, ấp, khu phố"), selection: $model.hamletCode) {
                        Text(tr("Tất cả")).tag(String?.none)
                        ForEach(model.hamlets, id: \.code) { hamlet in
                            Text(hamlet.name).tag(String?.some(hamlet.code))
                        }
                    }
                    .accessibilityIdentifier("households.hamlet")
                }
            }
            Section {
                Toggle(isOn: $model.notVisited) {
                    Label(notVisitedLabel, systemImage: model.notVisited ? "checkmark.circle.fill" : "circle")
                }
                .toggleStyle(.button)
                .accessibilityIdentifier("households.notVisited")
                if let coverage = model.coverage {
                    Text(tr(
                        "Đã đến %@/%@ hộ",
                        Formats.count(coverage.visited, tr.lang), Formats.count(coverage.households, tr.lang)))
                        .font(.callout)
                        .foregroundStyle(.secondary)
                        .accessibilityIdentifier("households.coverage")
                }
            }
            if model.error != nil {
                ErrorBanner(error: model.error)
            }
            if !model.followUps.isEmpty && model.query.isEmpty {
                Section(tr("Cần quay lại (%@)", Formats.count(model.followUps.count, tr.lang))) {
                    ForEach(model.followUps, id: \.visitId) { followUp in
                        NavigationLink(value: Route.household(id: followUp.household.id)) {
                            VStack(alignment: .leading, spacing: 4) {
                                HouseholdRow(household: followUp.household, areaNames: model.areaNames)
                                Text(tr("Hẹn ngày %@", formatDay(day: followUp.followUpOn, lang: tr.lang)))
                                    .font(.callout.weight(.medium))
                                    .foregroundStyle(.red)
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
            }
            Section(sectionTitle) {
                ForEach(model.results, id: \.id) { household in
                    NavigationLink(value: Route.household(id: household.id)) {
                        HouseholdRow(household: household, areaNames: model.areaNames)
                    }
                    .accessibilityIdentifier("households.row")
                }
                if model.hasMore {
                    Button(tr("Xem thêm")) {
                        Task { await model.loadMore() }
                    }
                    .accessibilityIdentifier("households.more")
                    .onAppear { Task { await model.loadMore() } }
                }
                if model.results.isEmpty && !model.loading {
                    EmptyNote(text: emptyNote)
                }
            }
            Section {
                NavigationLink(value: Route.newHousehold(headName: model.query, hamletCode: model.hamletCode)) {
                    Label(tr("Thêm hộ mới"), systemImage: "plus")
                        .font(.headline)
                }
                .accessibilityIdentifier("households.create")
            }
        }
        .navigationTitle(tr("Hộ gia đình"))
        .searchable(text: $model.query, prompt: tr("Tìm tên chủ hộ, địa chỉ, số điện thoại"))
        .task(id: SearchKey(query: model.query, hamlet: model.hamletCode, notVisited: model.notVisited)) {
            // A short pause while typing; a new keystroke cancels this search and starts another.
            try? await Task.sleep(nanoseconds: 200_000_000)
            if !Task.isCancelled {
                await model.search()
            }
        }
        .onAppear {
            Task {
                await model.loadAreas()
                await model.search()
            }
        }
    }

    /// "Chưa đến (28)": the count once the core has given the coverage.
    private var notVisitedLabel: String {
        guard let count = model.notVisitedCount else {
            return tr("Chưa đến")
        }
        return tr("Chưa đến (%@)", Formats.count(count, tr.lang))
    }

    private var sectionTitle: String {
        if model.notVisited {
            return tr("Hộ chưa đến trong đợt này")
        }
        return model.query.isEmpty ? tr("Danh sách hộ") : tr("Kết quả tìm")
    }

    private var emptyNote: String {
        if model.notVisited {
            return tr("Đã đến tất cả các hộ.")
        }
        return model.query.isEmpty ? tr("Chưa có hộ nào.") : tr("Không tìm thấy hộ nào.")
    }
}
