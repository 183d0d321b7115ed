// While the encrypted store opens (a fraction of a second, longer after an app update migrates it).

import SwiftUI

struct OpeningView: View {
    @Environment(\.chrome) private var tr

    var body: some View {
        VStack(spacing: 16) {
            ProgressView()
            Text(tr("Đang mở dữ liệu…"))
                .font(.body)
        }
        .accessibilityElement(children: .combine)
        .accessibilityIdentifier("app.opening")
    }
}
