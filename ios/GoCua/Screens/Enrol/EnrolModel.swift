// Enrolment: a scanned QR code or an opened gocua://enrol link is read by the core
// (`parseEnrolLink`), shown with the server's host for the volunteer to confirm, then sent;
// an address and code typed by hand are checked by the core (`checkEnrolInput`) and sent.
// Problems come back on the core's field names: `enrol_link`, `server_url`, `code`.

import GoCuaKit
import UIKit

final class EnrolModel: ObservableObject {
    @Published var serverUrl = ""
    @Published var code = ""
    /// A link read from a QR code or an opened URL, waiting for the volunteer's confirmation.
    @Published private(set) var pending: EnrolLinkView?
    @Published private(set) var enrolling = false
    @Published private(set) var error: UIError?

    let profile: FieldProfile

    init(profile: FieldProfile) {
        self.profile = profile
    }

    /// The server's host, as the volunteer should recognise it ("gocua.tinhdoanvinhlong.vn").
    static func host(of link: EnrolLinkView) -> String {
        guard let url = URL(string: link.serverUrl), let host = url.host else {
            return link.serverUrl
        }
        if let port = url.port {
            return "\(host):\(port)"
        }
        return host
    }

    func received(payload: String) {
        do {
            pending = try parseEnrolLink(payload: payload)
            error = nil
        } catch {
            pending = nil
            self.error = UIError(error)
        }
    }

    func dismissPending() {
        pending = nil
    }

    func typedChanged() {
        error = nil
    }

    /// Enrols with the confirmed link; the volunteer's profile on success.
    @MainActor
    func confirmPending() async -> ProfileView? {
        guard let link = pending else {
            return nil
        }
        return await enrol(link)
    }

    /// Enrols with what was typed, after the core checked it.
    @MainActor
    func submitTyped() async -> ProfileView? {
        do {
            let link = try checkEnrolInput(serverUrl: serverUrl, code: code)
            return await enrol(link)
        } catch {
            self.error = UIError(error)
            return nil
        }
    }

    @MainActor
    private func enrol(_ link: EnrolLinkView) async -> ProfileView? {
        enrolling = true
        error = nil
        defer { enrolling = false }
        do {
            let me = try await profile.enrol(
                serverUrl: link.serverUrl,
                code: link.code,
                deviceLabel: "\(UIDevice.current.model) \(UIDevice.current.systemName) \(UIDevice.current.systemVersion)",
                appVersion: Bundle.main.object(forInfoDictionaryKey: "CFBundleShortVersionString") as? String ?? "0"
            )
            pending = nil
            return me
        } catch {
            self.error = UIError(error)
            return nil
        }
    }
}
