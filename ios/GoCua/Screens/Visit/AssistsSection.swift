// The services helped with during the visit: one editor per service, and "add a service" from the
// catalogue the core offers (services()).

import GoCuaKit
import SwiftUI

struct AssistsSection: View {
    @Environment(\.chrome) private var tr
    @ObservedObject var model: VisitModel

    var body: some View {
        Section(fieldLabel(field: "assists", lang: tr.lang)) {
            ProblemText(error: model.error, field: "assists")
            if model.assists.isEmpty {
                EmptyNote(text: tr("Chưa thêm dịch vụ nào."))
            }
            Menu {
                ForEach(model.services, id: \.key) { service in
                    Button(Bilingual(vi: service.nameVi, en: service.nameEn).pick(tr.lang)) {
                        model.addService(service)
                    }
                    .accessibilityIdentifier("visit.addService.\(service.key)")
                }
            } label: {
                Label(tr("Thêm dịch vụ"), systemImage: "plus")
            }
            .accessibilityIdentifier("visit.addService")
        }
        ForEach(Array(model.assists.enumerated()), id: \.element.id) { index, entry in
            AssistEditor(model: model, index: index, entry: entry)
        }
    }
}
