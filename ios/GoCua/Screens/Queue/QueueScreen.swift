// The queue: refused records first (the server's reason, the field to fix, "fix" and "send
// again"), then what waits to be sent.

import GoCuaKit
import SwiftUI

struct QueueScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var sync: SyncCoordinator
    @StateObject private var model: QueueModel

    init(session: ProfileSession) {
        _model = StateObject(wrappedValue: QueueModel(session: session))
    }

    var body: some View {
        List {
            if model.error != nil {
                ErrorBanner(error: model.error)
            }
            Section(tr("Bị máy chủ từ chối (%@)", Formats.count(model.rejected.count, tr.lang))) {
                if model.rejected.isEmpty {
                    EmptyNote(text: tr("Không có mục nào bị từ chối."))
                }
                ForEach(Array(model.rejected.enumerated()), id: \.offset) { _, item in
                    QueueRow(item: item) {
                        Task { await model.resend(item) }
                    }
                }
            }
            Section(tr("Đang chờ gửi (%@)", Formats.count(model.waiting.count, tr.lang))) {
                if model.waiting.isEmpty {
                    EmptyNote(text: tr("Đã gửi hết."))
                        .accessibilityIdentifier("queue.allSent")
                }
                ForEach(Array(model.waiting.enumerated()), id: \.offset) { _, item in
                    QueueRow(item: item, resend: nil)
                }
            }
        }
        .navigationTitle(tr("Hàng chờ gửi"))
        .refreshable { await model.load() }
        .onAppear { Task { await model.load() } }
        .onChange(of: sync.generation) { _ in
            Task { await model.load() }
        }
    }
}
