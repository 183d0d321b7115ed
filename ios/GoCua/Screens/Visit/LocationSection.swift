// Location only when the volunteer taps for it: the permission is asked then, never before.

import GoCuaKit
import SwiftUI

struct LocationSection: View {
    @Environment(\.chrome) private var tr
    @ObservedObject var model: VisitModel

    var body: some View {
        Section(fieldLabel(field: "gps", lang: tr.lang)) {
            if let gps = model.gps {
                Text(tr("Đã lấy vị trí (±%@ m)", Formats.count(Int(gps.accuracyM.rounded()), tr.lang)))
                    .accessibilityIdentifier("visit.locationTaken")
                Button(tr("Bỏ vị trí"), role: .destructive) {
                    model.forgetLocation()
                }
                .accessibilityIdentifier("visit.forgetLocation")
            } else {
                Button {
                    Task { await model.locate() }
                } label: {
                    Label(model.locating ? tr("Đang lấy vị trí…") : tr("Lấy vị trí (nếu đồng ý)"), systemImage: "location")
                }
                .disabled(model.locating)
                .accessibilityIdentifier("visit.locate")
            }
            if model.locationDenied {
                Text(tr("Gõ Cửa chưa được phép dùng vị trí. Có thể bật trong Cài đặt của iPhone; lượt đến hộ vẫn lưu được khi không có vị trí."))
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            }
            ProblemText(error: model.error, field: "gps")
        }
    }
}
