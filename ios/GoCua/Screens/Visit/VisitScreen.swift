// New visit (or a correction of one). The sections shown follow the core: people reached only when
// the outcome reaches people, services only when it allows them; each service's dossier code and
// reason only when the core says its result needs them. Problems appear under their fields.

import GoCuaKit
import SwiftUI

struct VisitScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    @StateObject private var model: VisitModel

    init(session: ProfileSession, mode: VisitModel.Mode) {
        _model = StateObject(wrappedValue: VisitModel(session: session, mode: mode))
    }

    var body: some View {
        Form {
            if let household = model.household {
                Section {
                    Text(household.erased ? tr("Đã xóa thông tin cá nhân") : household.headName)
                        .font(.headline)
                    if !household.addressLine.isEmpty {
                        Text(household.addressLine)
                    }
                }
            }
            ErrorBanner(error: model.error)
            outcomeSection
            if let outcome = model.outcome {
                if visitReachesPeople(outcome: outcome) {
                    peopleSection
                }
                if visitAllowsAssists(outcome: outcome) {
                    AssistsSection(model: model)
                }
            }
            FollowUpSection(model: model)
            Section(fieldLabel(field: "note", lang: tr.lang)) {
                TextField(fieldLabel(field: "note", lang: tr.lang), text: $model.note, axis: .vertical)
                    .lineLimit(2...6)
                    .accessibilityIdentifier("visit.note")
                ProblemText(error: model.error, field: "note")
            }
            if model.asksConsent {
                ConsentSection(asked: $model.consentAsked, given: $model.consentGiven,
                               method: $model.consentMethod, error: model.error, identifier: "visit.consent")
            }
            LocationSection(model: model)
            SaveSection(title: tr("Lưu lượt đến hộ"), saving: model.saving, canSave: model.canSave,
                        identifier: "visit.save") { await model.save() }
        }
        .navigationTitle(isCorrection ? tr("Sửa lượt đến hộ") : tr("Lượt đến hộ mới"))
        .scrollDismissesKeyboard(.interactively)
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
            if saved != nil {
                router.pop()
            }
        }
    }

    private var isCorrection: Bool {
        if case .correct = model.mode {
            return true
        }
        return false
    }

    private var outcomeSection: some View {
        Section(fieldLabel(field: "outcome", lang: tr.lang)) {
            ChoiceList(options: visitOutcomes(), selection: outcomeSelection, label: { $0.label(lang: tr.lang) },
                       identifier: "visit.outcome", key: { $0.code() })
            ProblemText(error: model.error, field: "outcome")
        }
    }

    private var outcomeSelection: Binding<VisitOutcome?> {
        Binding(get: { model.outcome }, set: { model.choose($0) })
    }

    private var peopleSection: some View {
        Section {
            Stepper(value: $model.peopleReached, in: 0...Int(UInt16.max)) {
                Text(tr("%@: %@", fieldLabel(field: "people_reached", lang: tr.lang), Formats.count(model.peopleReached, tr.lang)))
            }
            .accessibilityIdentifier("visit.peopleReached")
            ProblemText(error: model.error, field: "people_reached")
        }
    }
}
