// Feedback: difficulties, obstacles, recommendations — they go into the unit's report. What is
// typed is kept by the core (KeptDraft) until saved.

import GoCuaKit
import SwiftUI

struct FeedbackScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    @StateObject private var model: FeedbackModel

    init(session: ProfileSession, from: FeedbackFrom) {
        _model = StateObject(wrappedValue: FeedbackModel(session: session, from: from))
    }

    var body: some View {
        Form {
            Section {
                Text(model.source.label(lang: tr.lang))
                    .foregroundStyle(.secondary)
            }
            ErrorBanner(error: model.error)
            if model.savedId != nil {
                Section {
                    Label(tr("Đã lưu. Sẽ gửi khi đồng bộ."), systemImage: "checkmark.circle.fill")
                        .accessibilityIdentifier("feedback.saved")
                    Button(tr("Xong")) {
                        router.pop()
                    }
                    .accessibilityIdentifier("feedback.done")
                }
            } else {
                Section(fieldLabel(field: "category", lang: tr.lang)) {
                    ChoiceList(options: feedbackCategories(), selection: $model.category, label: { $0.label(lang: tr.lang) },
                               identifier: "feedback.category", key: { $0.code() })
                    ProblemText(error: model.error, field: "category")
                }
                Section {
                    FormTextField(field: "text", text: $model.text, error: model.error, identifier: "feedback.text",
                                  label: tr("Nội dung khó khăn, vướng mắc, kiến nghị"), multiline: true)
                }
                SaveSection(title: tr("Gửi phản ánh"), saving: model.saving, canSave: model.canSave,
                            identifier: "feedback.save") { await model.save() }
            }
        }
        .navigationTitle(tr("Khó khăn, vướng mắc, kiến nghị"))
        .task {
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
}
