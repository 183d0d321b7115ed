// The lost-key path: the key in the Keychain does not open the store on this phone (typically
// after a restore or a move to a new phone: the key never leaves the phone that made it). Nobody
// can read the old store any more. The app asks before anything is deleted.

import SwiftUI

struct LostKeyScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var app: AppModel
    @State private var confirming = false
    let error: UIError

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    ErrorBanner(error: error)
                    Text(tr("Khóa bảo vệ dữ liệu của Gõ Cửa trên điện thoại này không còn, thường là sau khi khôi phục hoặc chuyển sang máy mới. Không ai mở được dữ liệu cũ nữa; những gì chưa gửi lên máy chủ sẽ mất."))
                    Text(tr("Bạn có thể xóa dữ liệu cũ rồi ghi danh lại bằng mã mới của cán bộ Đoàn."))
                }
                Section {
                    Button(tr("Xóa dữ liệu cũ và ghi danh lại"), role: .destructive) {
                        confirming = true
                    }
                    .accessibilityIdentifier("lostKey.startOver")
                }
            }
            .navigationTitle(tr("Không mở được dữ liệu"))
            .modifier(DestructiveConfirmation(
                title: tr("Xóa dữ liệu không đọc được?"), isPresented: $confirming,
                confirm: tr("Xóa và bắt đầu lại"), identifier: "lostKey.confirm",
                message: tr("Những bản ghi chưa gửi lên máy chủ sẽ mất hẳn.")
            ) {
                await app.discardUnreadableAndStartOver()
            })
        }
    }
}
