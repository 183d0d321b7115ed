// A new household, when the search did not find it, or an edit of one.

import GoCuaKit
import SwiftUI

struct HouseholdFormScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    @StateObject private var model: HouseholdFormModel

    init(session: ProfileSession, mode: HouseholdFormModel.Mode) {
        _model = StateObject(wrappedValue: HouseholdFormModel(session: session, mode: mode))
    }

    var body: some View {
        Form {
            ErrorBanner(error: model.error)
            areaSections
            Section {
                FormTextField(field: "head_name", text: $model.headName, error: model.error, identifier: "household.headName")
                FormTextField(field: "address_line", text: $model.addressLine, error: model.error, identifier: "household.address")
                FormTextField(field: "members", text: digits($model.members), error: model.error,
                              identifier: "household.members", keyboard: .numberPad)
                FormTextField(field: "phone", text: $model.phone, error: model.error,
                              identifier: "household.phone", label: tr("Số điện thoại (nếu có)"), keyboard: .phonePad)
            }
            if !model.phone.isEmpty || model.consentGiven {
                ConsentSection(asked: $model.consentAsked, given: $model.consentGiven,
                               method: $model.consentMethod, error: model.error, identifier: "household.consent")
            }
            SaveSection(title: tr("Lưu hộ"), saving: model.saving, canSave: model.canSave,
                        identifier: "household.save") { await model.save() }
        }
        .navigationTitle(isEdit ? tr("Sửa thông tin hộ") : tr("Thêm hộ mới"))
        .task {
            await model.load()
            if let kept = await model.keptDraft.begin(unchanged: model.draft) {
                model.restore(kept)
            }
        }
        .onChange(of: model.draft) { draft in
            model.keptDraft.update(draft)
        }
        .onChange(of: model.saved) { saved in
            guard let saved else {
                return
            }
            if isEdit {
                router.pop()
            } else {
                router.replaceTop(with: .household(id: saved.id))
            }
        }
    }

    private var isEdit: Bool {
        if case .edit = model.mode {
            return true
        }
        return false
    }

    @ViewBuilder
    private var areaSections: some View {
        if model.communes.count > 1 || model.communeCode == nil {
            Section(fieldLabel(field: "commune_code", lang: tr.lang)) {
                ChoiceList(options: model.communes.map(\.code), selection: communeSelection,
                           label: { code in model.communes.first { $0.code == code }?.name ?? code },
                           identifier: "household.commune", key: { $0 })
                ProblemText(error: model.error, field: "commune_code")
            }
        }
        if !model.hamlets.isEmpty {
            Section(fieldLabel(field: "hamlet_code", lang: tr.lang)) {
                ChoiceList(options: model.hamlets.map(\.code), selection: $model.hamletCode,
                           label: { code in model.hamlets.first { $0.code == code }?.name ?? code },
                           identifier: "household.hamlet", key: { $0 })
                ProblemText(error: model.error, field: "hamlet_code")
            }
        }
    }

    private var communeSelection: Binding<String?> {
        Binding(get: { model.communeCode }, set: { model.chooseCommune($0) })
    }

    private func digits(_ binding: Binding<String>) -> Binding<String> {
        Binding(get: { binding.wrappedValue }, set: { binding.wrappedValue = TypedText.digits($0, limit: 4) })
    }
}
