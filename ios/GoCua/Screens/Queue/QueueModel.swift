// The upload queue: what the server refused (with its reason and the label of the field it names,
// to fix and send again) and what waits to be sent — each row as the core describes it.

import GoCuaKit
import SwiftUI

final class QueueModel: ObservableObject {
    @Published private(set) var rejected: [QueueItemView] = []
    @Published private(set) var waiting: [QueueItemView] = []
    @Published private(set) var error: UIError?

    private let session: ProfileSession

    init(session: ProfileSession) {
        self.session = session
    }

    @MainActor
    func load() async {
        do {
            let lists = try await session.profile.inBackground { p in
                (try p.queueItems(filter: .rejected), try p.queueItems(filter: .waiting))
            }
            rejected = lists.0
            waiting = lists.1
            error = nil
        } catch {
            self.error = UIError(error)
        }
    }

    /// Sends a refused record again as it is (after it was fixed, or the coordinator fixed the cause).
    @MainActor
    func resend(_ item: QueueItemView) async {
        do {
            try await session.profile.inBackground { try $0.requeue(kind: item.kind, recordId: item.recordId) }
            session.syncSoon()
        } catch {
            self.error = UIError(error)
        }
        await load()
    }

    /// Where to fix a refused record: a household's form, a visit's correction. Sessions and
    /// feedback cannot be edited on the phone; they can only be sent again.
    static func fixRoute(_ item: QueueItemView) -> Route? {
        switch item.kind {
        case .household:
            return .editHousehold(id: item.recordId)
        case .visit:
            return .correctVisit(visitId: item.recordId)
        default:
            return nil
        }
    }
}
