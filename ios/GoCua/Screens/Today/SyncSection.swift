// The queue and the sync: what waits, what the server refused, the last sync (the core's outcome
// label and message), a progress bar while sending, the core's reason when it is not the time to
// send, and "send now on mobile data" when the core says forcing would send.

import GoCuaKit
import SwiftUI

struct SyncSection: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    @EnvironmentObject private var sync: SyncCoordinator
    @ObservedObject var session: ProfileSession
    let queue: QueueStatusView?

    var body: some View {
        Section(tr("Đồng bộ")) {
            if let queue {
                StatRow(label: tr("Đang chờ gửi"), value: Formats.count(queue.pending, tr.lang))
                    .accessibilityIdentifier("today.pending")
                if queue.inFlight > 0 {
                    StatRow(label: tr("Đang gửi"), value: Formats.count(queue.inFlight, tr.lang))
                }
                StatRow(label: tr("Bị máy chủ từ chối"), value: Formats.count(queue.rejected, tr.lang))
                    .accessibilityIdentifier("today.rejected")
                lastSync(queue.lastSync)
            }
            Button(tr("Xem hàng chờ")) {
                router.select(.queue)
            }
            .accessibilityIdentifier("today.openQueue")
            if sync.running {
                running
            } else {
                idle
            }
        }
    }

    @ViewBuilder
    private func lastSync(_ last: LastSyncView?) -> some View {
        if let last {
            VStack(alignment: .leading, spacing: 2) {
                Text(tr("Lần đồng bộ cuối: %@ (%@)", formatAgo(then: last.finishedAt, lang: tr.lang), formatDayTime(at: last.finishedAt, lang: tr.lang)))
                Text(last.outcome.label(lang: tr.lang))
                    .foregroundStyle(.secondary)
                if let vi = last.messageVi, let en = last.messageEn {
                    Text(Bilingual(vi: vi, en: en).pick(tr.lang))
                        .foregroundStyle(.red)
                }
            }
            .font(.callout)
            .accessibilityElement(children: .combine)
            .accessibilityIdentifier("today.lastSync")
        } else {
            Text(tr("Chưa đồng bộ lần nào"))
                .font(.callout)
                .accessibilityIdentifier("today.lastSync")
        }
    }

    private var running: some View {
        let label = tr("Đang gửi %@/%@", Formats.count(sync.sent, tr.lang), Formats.count(sync.total, tr.lang))
        return VStack(alignment: .leading, spacing: 8) {
            Text(label)
                .font(.headline)
            ProgressView(value: Double(sync.sent), total: Double(max(sync.total, 1)))
                .accessibilityLabel(label)
                .accessibilityIdentifier("today.syncProgress")
            Button(tr("Dừng")) {
                sync.cancel()
            }
            .accessibilityIdentifier("today.stopSync")
        }
    }

    @ViewBuilder
    private var idle: some View {
        if let report = sync.lastReport {
            Text(tr("Đã gửi %@: %@ được nhận, %@ bị từ chối",
                    Formats.count(report.sent, tr.lang), Formats.count(report.accepted, tr.lang), Formats.count(report.rejected, tr.lang)))
                .accessibilityIdentifier("today.syncReport")
        }
        ErrorBanner(error: sync.error)
        if let waiting = sync.waitingMessage(tr.lang) {
            Text(waiting)
                .font(.callout)
                .accessibilityIdentifier("today.syncWaiting")
        }
        syncButton(tr("Đồng bộ ngay"), trigger: .appForeground)
            .buttonStyle(.borderedProminent)
            .accessibilityIdentifier("today.sync")
        if sync.canForce {
            syncButton(tr("Gửi ngay bằng dữ liệu di động"), trigger: .userForced)
                .buttonStyle(.bordered)
                .accessibilityIdentifier("today.sendNow")
        }
    }

    /// A full-width button that runs a sync pass with `trigger`; the core's policy decides what it sends.
    private func syncButton(_ title: String, trigger: SyncTrigger) -> some View {
        Button {
            Task { _ = await sync.run(session.profile, trigger: trigger) }
        } label: {
            Text(title)
                .frame(maxWidth: .infinity, minHeight: 44)
        }
    }
}
