// Settings: sync on wifi only, the language, and who this phone is enrolled as.

import GoCuaKit
import SwiftUI

struct SettingsScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var settings: AppSettings
    @EnvironmentObject private var session: ProfileSession

    var body: some View {
        Form {
            Section(tr("Đồng bộ")) {
                Toggle(tr("Chỉ đồng bộ khi có wifi"), isOn: $settings.wifiOnly)
                    .accessibilityIdentifier("settings.wifiOnly")
                Text(tr("Khi tắt, ứng dụng cũng gửi bằng dữ liệu di động. Bạn luôn có thể bấm “Gửi ngay” ở màn hình Hôm nay."))
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            }
            Section(tr("Ngôn ngữ")) {
                Picker(tr("Ngôn ngữ"), selection: $settings.english) {
                    Text(tr("Tiếng Việt")).tag(false)
                    Text(tr("English")).tag(true)
                }
                .pickerStyle(.segmented)
                .accessibilityIdentifier("settings.language")
            }
            Section(tr("Điện thoại này")) {
                LabeledContent(tr("Tình nguyện viên"), value: session.me.volunteerName)
                if let team = session.me.teamName {
                    LabeledContent(tr("Đội"), value: team)
                }
                if let server = session.me.serverUrl {
                    LabeledContent(tr("Máy chủ"), value: server)
                }
                LabeledContent(tr("Mã thiết bị"), value: String(session.me.deviceId.prefix(8)))
            }
        }
        .navigationTitle(tr("Cài đặt"))
        .onChange(of: settings.wifiOnly) { _ in
            // iOS has no "unmetered only" constraint for background tasks: the core's policy
            // applies the setting when a task runs. Ask again for the next runs all the same.
            BackgroundSync.schedule()
        }
    }
}
