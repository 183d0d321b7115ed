// One service of the visit: its level (Decree 42/2022, the catalogue's by default), its result, and —
// when the core says that result needs them — the dossier code or the reason it was not finished.

import GoCuaKit
import SwiftUI

struct AssistEditor: View {
    @Environment(\.chrome) private var tr
    @ObservedObject var model: VisitModel
    let index: Int
    let entry: VisitModel.AssistEntry

    var body: some View {
        Section(model.serviceName(entry.serviceKey, tr.lang)) {
            ProblemText(error: model.error, field: path("service_key"))
            label("level_42")
            ChoiceList(options: levels42(), selection: binding(\.level42), label: { $0.label(lang: tr.lang) },
                       identifier: "visit.assist.\(index).level42", key: { $0.code() })
            ProblemText(error: model.error, field: path("level_42"))
            label("result")
            ChoiceList(options: assistResults(), selection: binding(\.result), label: { $0.label(lang: tr.lang) },
                       identifier: "visit.assist.\(index).result", key: { $0.code() })
            ProblemText(error: model.error, field: path("result"))
            if let result = entry.result, assistNeedsDossierCode(result: result) {
                FormTextField(field: path("dossier_code"), text: binding(\.dossierCode), error: model.error,
                              identifier: "visit.assist.\(index).dossierCode", keyboard: .asciiCapable)
            }
            if let result = entry.result, assistNeedsReason(result: result) {
                label("not_finished_reason")
                ChoiceList(options: notFinishedReasons(), selection: binding(\.reason), label: { $0.label(lang: tr.lang) },
                           identifier: "visit.assist.\(index).reason", key: { $0.code() })
                ProblemText(error: model.error, field: path("not_finished_reason"))
            }
            Button(tr("Bỏ dịch vụ này"), role: .destructive) {
                model.removeService(entry.id)
            }
            .accessibilityIdentifier("visit.assist.\(index).remove")
        }
    }

    /// The core's path of this service's field: `assists[1].dossier_code`.
    private func path(_ leaf: String) -> String {
        "assists[\(index)].\(leaf)"
    }

    private func label(_ leaf: String) -> some View {
        Text(fieldLabel(field: path(leaf), lang: tr.lang))
            .font(.subheadline)
            .foregroundStyle(.secondary)
            .accessibilityAddTraits(.isHeader)
    }

    /// A binding to one property of this service in the model (found by its id, not its position).
    private func binding<Value>(_ keyPath: WritableKeyPath<VisitModel.AssistEntry, Value>) -> Binding<Value> {
        let id = entry.id
        let fallback = entry[keyPath: keyPath]
        return Binding(
            get: { model.assists.first { $0.id == id }?[keyPath: keyPath] ?? fallback },
            set: { value in
                if let position = model.assists.firstIndex(where: { $0.id == id }) {
                    model.assists[position][keyPath: keyPath] = value
                }
            }
        )
    }
}
