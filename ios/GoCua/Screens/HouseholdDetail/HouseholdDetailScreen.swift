// One household and its visits, newest first: log a visit, edit the household, record feedback,
// erase the personal data on the person's request (after a confirmation), correct a visit.

import GoCuaKit
import SwiftUI

struct HouseholdDetailScreen: View {
    @Environment(\.chrome) private var tr
    @StateObject private var model: HouseholdDetailModel
    @State private var confirmingErase = false

    init(session: ProfileSession, householdId: String) {
        _model = StateObject(wrappedValue: HouseholdDetailModel(session: session, householdId: householdId))
    }

    var body: some View {
        List {
            if model.error != nil {
                ErrorBanner(error: model.error)
            }
            if let household = model.household {
                HouseholdInfoSection(household: household, place: model.place)
                actions(household)
            }
            Section(tr("Lịch sử đến hộ (%@)", Formats.count(model.visits.count, tr.lang))) {
                if model.visits.isEmpty {
                    EmptyNote(text: tr("Chưa có lượt đến nào."))
                }
                ForEach(model.visits, id: \.id) { visit in
                    VisitCard(visit: visit, areaCode: model.areaCode)
                }
            }
        }
        .navigationTitle(title)
        .onAppear { Task { await model.load() } }
        .modifier(DestructiveConfirmation(
            title: tr("Xóa thông tin cá nhân của hộ này?"), isPresented: $confirmingErase,
            confirm: tr("Xóa thông tin cá nhân"), identifier: "detail.confirmErase",
            message: tr("Họ tên, địa chỉ và số điện thoại của hộ sẽ bị xóa trên điện thoại này và trên máy chủ. Số liệu thống kê không có tên vẫn được giữ. Không thể hoàn tác.")
        ) {
            await model.erasePersonalData()
        })
    }

    private var title: String {
        guard let household = model.household, !household.erased else {
            return tr("Hộ gia đình")
        }
        return household.headName
    }

    private func actions(_ household: HouseholdView) -> some View {
        Section {
            NavigationLink(value: Route.newVisit(householdId: household.id)) {
                Label(tr("Ghi lượt đến hộ"), systemImage: "plus.circle.fill")
                    .font(.headline)
            }
            .accessibilityIdentifier("detail.newVisit")
            if !household.erased {
                NavigationLink(value: Route.editHousehold(id: household.id)) {
                    Label(tr("Sửa thông tin hộ"), systemImage: "pencil")
                }
                .accessibilityIdentifier("detail.edit")
            }
            NavigationLink(value: Route.feedback(.general)) {
                Label(tr("Ghi phản ánh, kiến nghị"), systemImage: "text.bubble")
            }
            .accessibilityIdentifier("detail.feedback")
            if !household.erased {
                Button(role: .destructive) {
                    confirmingErase = true
                } label: {
                    Label(tr("Xóa thông tin cá nhân"), systemImage: "person.crop.circle.badge.xmark")
                }
                .disabled(model.erasing)
                .accessibilityIdentifier("detail.erase")
            }
        }
    }
}
