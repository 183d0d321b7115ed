// What the four record forms (household, visit, session, feedback) do the same way when the
// volunteer saves: say it is saving, write the kept draft first (the record call deletes it in the
// same transaction, and a refused save keeps the latest fields), run the core's record call off
// the main actor, ask for a sync soon once saved, and show what the core refused.

import GoCuaKit

protocol RecordingForm: AnyObject {
    associatedtype Draft: Codable & Equatable
    /// The save button says "Đang lưu…" and is disabled while this is true.
    var saving: Bool { get set }
    var error: UIError? { get set }
    var keptDraft: KeptDraft<Draft> { get }
}

extension RecordingForm {
    /// Records with `call` (`{ try $0.recordSession(draft: draft) }`): what the core saved, or nil
    /// when it refused, and then `error` says why.
    @MainActor
    func record<Saved>(in session: ProfileSession,
                       _ call: @escaping @Sendable (FieldProfile) throws -> Saved) async -> Saved? {
        saving = true
        error = nil
        defer { saving = false }
        await keptDraft.flush()
        do {
            let saved = try await session.profile.inBackground(call)
            session.syncSoon()
            return saved
        } catch {
            self.error = UIError(error)
            return nil
        }
    }
}
