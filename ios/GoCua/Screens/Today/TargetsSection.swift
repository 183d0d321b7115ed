// The team's targets in the current campaign: what each counts (the indicator's label), how far
// it is (`formatProgress`, the core's per cent) and what this phone has not sent yet.

import GoCuaKit
import SwiftUI

struct TargetsSection: View {
    @Environment(\.chrome) private var tr
    let campaignName: String?
    let targets: [TargetProgressView]

    var body: some View {
        Section(campaignName.map { tr("Chỉ tiêu: %@", $0) } ?? tr("Chỉ tiêu của đội")) {
            if targets.isEmpty {
                EmptyNote(text: tr("Chưa có chỉ tiêu cho đội."))
            }
            ForEach(Array(targets.enumerated()), id: \.offset) { _, target in
                TargetRow(target: target)
            }
        }
    }
}

private struct TargetRow: View {
    @Environment(\.chrome) private var tr
    let target: TargetProgressView

    var body: some View {
        let label = target.indicator.label(lang: tr.lang)
        let progress = formatProgress(achieved: target.achieved, target: target.target, lang: tr.lang)
        VStack(alignment: .leading, spacing: 6) {
            StatRow(label: label, value: progress)
            ProgressView(value: Double(min(target.percent, 100)), total: 100)
                .accessibilityHidden(true)
            if target.achievedWaiting > 0 {
                Text(tr("%@ chưa gửi lên máy chủ", Formats.count(target.achievedWaiting, tr.lang)))
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            }
        }
        .accessibilityElement(children: .combine)
        .accessibilityLabel(label + ": " + progress)
    }
}
