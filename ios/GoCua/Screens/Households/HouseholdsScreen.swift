// Households: search as you type (accents optional), hamlet filter, paged list, follow-ups due,
// and "new household" when the search did not find it.

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
            Section(model.query.isEmpty ? tr("Danh sách hộ") : tr("Kết quả tìm")) {
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
                    EmptyNote(text: model.query.isEmpty ? tr("Chưa có hộ nào.") : tr("Không tìm thấy hộ nào."))
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
        .task(id: SearchKey(query: model.query, hamlet: model.hamletCode)) {
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
}
