// Opening the store failed for a reason other than a lost key: show the core's message and let the
// volunteer try again (for example once storage was freed).

import SwiftUI

struct OpenFailedView: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var app: AppModel
    let error: UIError

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(tr("Không mở được dữ liệu"))
                .font(.title2.bold())
            ErrorBanner(error: error)
            Button(tr("Thử lại")) {
                Task { await app.retryOpen() }
            }
            .buttonStyle(.borderedProminent)
            .controlSize(.large)
            .accessibilityIdentifier("app.retryOpen")
        }
        .padding()
    }
}
