// A form's half-filled fields, kept by the core (saveDraft / draft / discardDraft) so they survive
// the app being closed or killed. The body is JSON of the form's plain values, written as the
// volunteer types (debounced, off the main actor). The form as it opened is no draft: going back
// to it discards the kept one. The record call that stores the form takes `key` as its draftKey
// and the core deletes the draft in the same transaction; a refused save keeps it.

import Foundation
import GoCuaKit

final class KeptDraft<Body: Codable & Equatable> {
    let form: DraftForm
    let key: String
    private let profile: FieldProfile
    /// The form as it opened (after loading), once begun; nothing is written before.
    private var unchanged: Body?
    /// What the volunteer typed and is not written yet.
    private var unsaved: Body?
    private var pending: Task<Void, Never>?
    private static var pause: UInt64 { 600_000_000 }

    init(profile: FieldProfile, form: DraftForm, key: String) {
        self.profile = profile
        self.form = form
        self.key = key
    }

    /// Call once the form is loaded, with its fields as loaded: returns the kept draft to put
    /// back, if any, and starts keeping what is typed from now on.
    @MainActor
    func begin(unchanged: Body) async -> Body? {
        self.unchanged = unchanged
        let (form, key) = (self.form, self.key)
        guard let kept = try? await profile.inBackground({ try $0.draft(form: form, key: key) }) else {
            return nil
        }
        return try? JSONDecoder().decode(Body.self, from: Data(kept.body.utf8))
    }

    /// The form changed: written after a short pause in typing.
    @MainActor
    func update(_ body: Body) {
        guard unchanged != nil else {
            return
        }
        unsaved = body
        pending?.cancel()
        pending = Task { [weak self] in
            try? await Task.sleep(nanoseconds: Self.pause)
            guard !Task.isCancelled else {
                return
            }
            await self?.write()
        }
    }

    /// Writes what is still waiting, before the record is saved with `key` as its draftKey (so a
    /// refused save keeps the latest fields, and no late write brings the draft back).
    @MainActor
    func flush() async {
        pending?.cancel()
        await pending?.value
        pending = nil
        await write()
    }

    @MainActor
    private func write() async {
        guard let body = unsaved else {
            return
        }
        unsaved = nil
        let (form, key) = (self.form, self.key)
        if body == unchanged {
            _ = try? await profile.inBackground { try $0.discardDraft(form: form, key: key) }
            return
        }
        guard let data = try? JSONEncoder().encode(body), let text = String(data: data, encoding: .utf8) else {
            return
        }
        _ = try? await profile.inBackground { try $0.saveDraft(form: form, key: key, body: text) }
    }
}
