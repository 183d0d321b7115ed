// One visit in a household's history: when, the outcome and people reached, each service with its
// result (and dossier code or reason), the follow-up day and the note — every label and format
// from the core — with "correct" and "feedback about this visit".

import GoCuaKit
import SwiftUI

struct VisitCard: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    let visit: VisitView
    let areaCode: String?

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            HStack(alignment: .firstTextBaseline) {
                Text(formatDayTime(at: visit.startedAt, lang: tr.lang))
                    .font(.headline)
                    .frame(maxWidth: .infinity, alignment: .leading)
                if visit.revision > 1 {
                    Text(tr("Đã sửa (lần %@)", Formats.count(visit.revision, tr.lang)))
                        .font(.footnote)
                        .foregroundStyle(.secondary)
                }
            }
            Text(tr("%@ · %@ người", visit.outcome.label(lang: tr.lang), Formats.count(visit.peopleReached, tr.lang)))
            ForEach(visit.assists, id: \.id) { assist in
                Text(verbatim: "• " + describe(assist))
                    .font(.callout)
            }
            if let day = visit.followUpOn {
                Text(tr("Hẹn lại: %@", formatDay(day: day, lang: tr.lang)))
                    .foregroundStyle(.tint)
            }
            if let note = visit.note {
                Text(note)
                    .font(.callout)
                    .foregroundStyle(.secondary)
            }
            // Bordered buttons, not links: each is its own tap target inside the list row.
            HStack {
                Button(tr("Sửa")) {
                    router.push(.correctVisit(visitId: visit.id))
                }
                .accessibilityLabel(tr("Sửa lượt đến hộ"))
                .accessibilityIdentifier("visit.correct")
                Button(tr("Phản ánh")) {
                    router.push(.feedback(.visit(id: visit.id, areaCode: areaCode)))
                }
                .accessibilityLabel(tr("Phản ánh về lượt đến này"))
                .accessibilityIdentifier("visit.feedback")
            }
            .buttonStyle(.bordered)
        }
        .padding(.vertical, 4)
    }

    private func describe(_ assist: AssistView) -> String {
        let name = Bilingual(vi: assist.serviceNameVi, en: assist.serviceNameEn).pick(tr.lang)
        var text = "\(name): \(assist.result.label(lang: tr.lang))"
        if let code = assist.dossierCode {
            text += " (\(code))"
        }
        if let reason = assist.notFinishedReason {
            text += " — \(reason.label(lang: tr.lang))"
        }
        return text
    }
}
