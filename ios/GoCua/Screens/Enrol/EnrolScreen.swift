// Enrol this phone: scan the coordinator's QR code, open a gocua://enrol link, or type the server
// address and the code. A scanned or opened link shows the server's host first: the volunteer
// enrols only with a server they recognise.

import GoCuaKit
import SwiftUI

struct EnrolScreen: View {
    @Environment(\.chrome) private var tr
    @Environment(\.dismiss) private var dismiss
    @EnvironmentObject private var app: AppModel
    @StateObject private var model: EnrolModel
    @State private var scanning = false
    /// A link handed over by the caller (the sheet for a link opened while enrolled).
    private let link: String?

    init(profile: FieldProfile, link: String? = nil) {
        _model = StateObject(wrappedValue: EnrolModel(profile: profile))
        self.link = link
    }

    var body: some View {
        Form {
            Section {
                Text(tr("Cán bộ Đoàn cấp cho đội một mã đăng ký. Quét mã QR hoặc nhập mã để bắt đầu."))
            }
            ErrorBanner(error: model.error)
            if let pending = model.pending {
                confirmation(pending)
            } else {
                typed
            }
        }
        .navigationTitle(tr("Ghi danh điện thoại"))
        .disabled(model.enrolling)
        .overlay {
            if model.enrolling {
                ProgressView(tr("Đang ghi danh…"))
                    .padding()
                    .background(.regularMaterial, in: RoundedRectangle(cornerRadius: 12))
                    .accessibilityIdentifier("enrol.progress")
            }
        }
        .sheet(isPresented: $scanning) {
            QRScannerSheet { payload in
                scanning = false
                model.received(payload: payload)
            }
            .environment(\.chrome, tr)
        }
        .onAppear {
            if let link {
                model.received(payload: link)
            }
        }
        .onReceive(app.$incomingLink) { incoming in
            // While not enrolled, links opened with the app come here (enrolled: MainTabs' sheet).
            guard link == nil, let incoming else {
                return
            }
            app.incomingLink = nil
            model.received(payload: incoming.payload)
        }
    }

    private func confirmation(_ pending: EnrolLinkView) -> some View {
        Section(tr("Máy chủ")) {
            Text(EnrolModel.host(of: pending))
                .font(.title3.weight(.semibold))
                .accessibilityIdentifier("enrol.host")
            Text(tr("Mã đăng ký: %@", pending.code))
                .accessibilityIdentifier("enrol.code")
            Text(tr("Chỉ ghi danh khi đây đúng là máy chủ mà cán bộ Đoàn đã cho biết."))
                .font(.callout)
                .foregroundStyle(.secondary)
            Button(tr("Ghi danh")) {
                Task { await finish(model.confirmPending()) }
            }
            .buttonStyle(.borderedProminent)
            .controlSize(.large)
            .accessibilityIdentifier("enrol.confirm")
            Button(tr("Hủy"), role: .cancel) {
                model.dismissPending()
            }
            .accessibilityIdentifier("enrol.cancel")
        }
    }

    private var typed: some View {
        Group {
            Section {
                Button {
                    scanning = true
                } label: {
                    Label(tr("Quét mã QR"), systemImage: "qrcode.viewfinder")
                        .frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.borderedProminent)
                .accessibilityIdentifier("enrol.scan")
            }
            Section(tr("Hoặc nhập tay")) {
                FormTextField(field: "server_url", text: $model.serverUrl, error: model.error,
                              identifier: "enrol.serverUrl", prompt: "https://…", keyboard: .URL)
                FormTextField(field: "code", text: $model.code, error: model.error,
                              identifier: "enrol.codeField", prompt: "ABCD-1234", keyboard: .asciiCapable)
                Button(tr("Ghi danh")) {
                    Task { await finish(model.submitTyped()) }
                }
                .accessibilityIdentifier("enrol.submit")
            }
            .onChange(of: model.serverUrl) { _ in model.typedChanged() }
            .onChange(of: model.code) { _ in model.typedChanged() }
        }
    }

    private func finish(_ me: ProfileView?) {
        guard let me else {
            return
        }
        if link == nil {
            app.enrolled(model.profile, as: me)
        } else {
            dismiss()
        }
    }
}
