// One queued record as the core describes it: its kind's label, what the volunteer knows it by,
// a visit's services, its state, when it was recorded and how many tries; for a refused record the
// server's reason, the field to fix (its label), "fix" and "send again".

import GoCuaKit
import SwiftUI

struct QueueRow: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    let item: QueueItemView
    /// "Send again", for refused records.
    let resend: (() -> Void)?

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(title)
                .font(.headline)
                .accessibilityIdentifier("queue.kind")
            if !item.services.isEmpty {
                Text(item.services.map { Bilingual(vi: $0.nameVi, en: $0.nameEn).pick(tr.lang) }.joined(separator: ", "))
                    .font(.callout)
            }
            Text(tr("%@ · ghi lúc %@ (%@) · đã thử %@ lần",
                    item.state.label(lang: tr.lang),
                    formatDayTime(at: item.queuedAt, lang: tr.lang),
                    formatAgo(then: item.queuedAt, lang: tr.lang),
                    Formats.count(item.attempts, tr.lang)))
                .font(.footnote)
                .foregroundStyle(.secondary)
            if let reason = item.reason {
                refusal(reason)
            }
        }
        .padding(.vertical, 2)
    }

    private var title: String {
        let kind = item.kind.label(lang: tr.lang)
        let name = Bilingual(vi: item.titleVi, en: item.titleEn).pick(tr.lang)
        return name.isEmpty ? kind : "\(kind) — \(name)"
    }

    @ViewBuilder
    private func refusal(_ reason: RejectionView) -> some View {
        Text(Bilingual(vi: reason.messageVi, en: reason.messageEn).pick(tr.lang))
            .font(.callout.weight(.medium))
            .foregroundStyle(.red)
            .accessibilityIdentifier("queue.reason")
        if let vi = reason.fieldLabelVi, let en = reason.fieldLabelEn {
            Text(tr("Ô cần sửa: %@", Bilingual(vi: vi, en: en).pick(tr.lang)))
                .font(.callout)
                .accessibilityIdentifier("queue.field")
        }
        // Bordered buttons: each is its own tap target inside the list row.
        HStack {
            if let route = QueueModel.fixRoute(item) {
                Button(tr("Sửa")) {
                    router.push(route)
                }
                .accessibilityLabel(tr("Sửa bản ghi bị từ chối"))
                .accessibilityIdentifier("queue.fix")
            }
            if let resend {
                Button(tr("Gửi lại")) {
                    resend()
                }
                .accessibilityIdentifier("queue.resend")
            }
        }
        .buttonStyle(.bordered)
    }
}
