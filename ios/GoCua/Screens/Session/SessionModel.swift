// An outreach session (buổi tuyên truyền, tư vấn): kind, area, place, the day held (today as the
// core counts days, by default), attendees, materials (comma-separated as typed), note.

import GoCuaKit
import SwiftUI

final class SessionModel: ObservableObject, RecordingForm {
    @Published private(set) var areas: [AreaView] = []
    @Published var kind: SessionKind?
    @Published var areaCode: String?
    @Published var place = ""
    @Published var heldOn: CalendarDay?
    /// Digits only; the core says which numbers are acceptable.
    @Published var attendees = ""
    @Published var materials = ""
    @Published var note = ""
    @Published var saving = false
    @Published var error: UIError?
    @Published private(set) var savedId: String?

    /// The half-filled form, kept by the core; cleared by the save.
    let keptDraft: KeptDraft<SessionFormDraft>
    private let session: ProfileSession
    private var loaded = false

    init(session: ProfileSession) {
        self.session = session
        keptDraft = KeptDraft(profile: session.profile, form: .session, key: "new")
    }

    private struct Loaded {
        let areas: [AreaView]
        let today: CalendarDay
    }

    @MainActor
    func load() async {
        guard !loaded else {
            return
        }
        loaded = true
        do {
            let found = try await session.profile.inBackground { p -> Loaded in
                let communes = try p.teamAreas()
                var areas = communes
                for commune in communes {
                    areas += try p.childAreas(parentCode: commune.code)
                }
                return Loaded(areas: areas, today: try p.today())
            }
            areas = found.areas
            heldOn = found.today
            if found.areas.count == 1 {
                areaCode = found.areas.first?.code
            }
        } catch {
            self.error = UIError(error)
        }
    }

    var canSave: Bool {
        kind != nil && areaCode != nil && heldOn != nil && TypedText.number(attendees) != nil && !saving
    }

    @MainActor
    func save() async {
        guard let kind, let areaCode, let heldOn, let count = TypedText.number(attendees) else {
            return
        }
        let draft = SessionDraft(
            kind: kind,
            areaCode: areaCode,
            place: TypedText.required(place),
            heldOn: heldOn,
            attendees: UInt32(clamping: count),
            materials: materials.split(separator: ",").compactMap { TypedText.optional(String($0)) },
            note: TypedText.optional(note),
            campaignId: nil,
            draftKey: keptDraft.key
        )
        if let id = await record(in: session, { try $0.recordSession(draft: draft) }) {
            savedId = id
        }
    }

    /// After a saved session: an empty form for the next one (same area and day).
    func startAnother() {
        kind = nil
        place = ""
        attendees = ""
        materials = ""
        note = ""
        savedId = nil
        error = nil
    }

    /// Feedback about the session just saved carries its id and area.
    var feedbackRoute: Route? {
        savedId.map { Route.feedback(.session(id: $0, areaCode: areaCode)) }
    }
}
