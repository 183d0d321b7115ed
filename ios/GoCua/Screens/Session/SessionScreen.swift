// Outreach session (buổi tuyên truyền, tư vấn).

import GoCuaKit
import SwiftUI

struct SessionScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    @StateObject private var model: SessionModel

    init(session: ProfileSession) {
        _model = StateObject(wrappedValue: SessionModel(session: session))
    }

    var body: some View {
        Form {
            ErrorBanner(error: model.error)
            if model.savedId != nil {
                saved
            } else {
                form
            }
        }
        .navigationTitle(tr("Buổi tuyên truyền, tư vấn"))
        .task {
            await model.load()
            if let kept = await model.keptDraft.begin(unchanged: model.draft) {
                model.restore(kept)
            }
        }
        .onChange(of: model.draft) { draft in
            if model.savedId == nil {
                model.keptDraft.update(draft)
            }
        }
    }

    private var saved: some View {
        Section {
            Label(tr("Đã lưu. Sẽ gửi khi đồng bộ."), systemImage: "checkmark.circle.fill")
                .accessibilityIdentifier("session.saved")
            if let route = model.feedbackRoute {
                Button(tr("Ghi phản ánh về buổi này")) {
                    router.push(route)
                }
                .accessibilityIdentifier("session.feedback")
            }
            Button(tr("Ghi buổi khác")) {
                model.startAnother()
            }
            .accessibilityIdentifier("session.another")
            Button(tr("Xong")) {
                router.pop()
            }
            .accessibilityIdentifier("session.done")
        }
    }

    @ViewBuilder
    private var form: some View {
        Section(fieldLabel(field: "kind", lang: tr.lang)) {
            ChoiceList(options: sessionKinds(), selection: $model.kind, label: { $0.label(lang: tr.lang) },
                       identifier: "session.kind", key: { $0.code() })
            ProblemText(error: model.error, field: "kind")
        }
        Section(fieldLabel(field: "area_code", lang: tr.lang)) {
            ChoiceList(options: model.areas.map(\.code), selection: $model.areaCode,
                       label: { code in model.areas.first { $0.code == code }?.name ?? code },
                       identifier: "session.area", key: { $0 })
            ProblemText(error: model.error, field: "area_code")
        }
        Section {
            FormTextField(field: "place", text: $model.place, error: model.error, identifier: "session.place")
            if let day = model.heldOn {
                CalendarDayPicker(title: fieldLabel(field: "held_on", lang: tr.lang),
                                  day: Binding(get: { model.heldOn ?? day }, set: { model.heldOn = $0 }),
                                  identifier: "session.heldOn")
            }
            ProblemText(error: model.error, field: "held_on")
            FormTextField(field: "attendees", text: digits($model.attendees), error: model.error,
                          identifier: "session.attendees", keyboard: .numberPad)
            FormTextField(field: "materials", text: $model.materials, error: model.error, identifier: "session.materials",
                          label: tr("Tài liệu đã dùng (cách nhau bởi dấu phẩy)"))
            FormTextField(field: "note", text: $model.note, error: model.error, identifier: "session.note", multiline: true)
        }
        SaveSection(title: tr("Lưu buổi tuyên truyền"), saving: model.saving, canSave: model.canSave,
                    identifier: "session.save") { await model.save() }
    }

    private func digits(_ binding: Binding<String>) -> Binding<String> {
        Binding(get: { binding.wrappedValue }, set: { binding.wrappedValue = TypedText.digits($0, limit: 6) })
    }
}
