// The half-filled session form, kept by the core (KeptDraft, under "new") until it is saved.

import GoCuaKit

struct SessionFormDraft: Codable, Equatable {
    var kind: String?
    var areaCode: String?
    var place: String
    var heldOn: CalendarDay?
    var attendees: String
    var materials: String
    var note: String
}

extension SessionModel {
    var draft: SessionFormDraft {
        SessionFormDraft(kind: kind?.code(), areaCode: areaCode, place: place, heldOn: heldOn,
                         attendees: attendees, materials: materials, note: note)
    }

    func restore(_ draft: SessionFormDraft) {
        kind = StoredChoice.find(draft.kind, in: sessionKinds()) { $0.code() }
        if let area = draft.areaCode {
            areaCode = area
        }
        place = draft.place
        if let day = draft.heldOn {
            heldOn = day
        }
        attendees = draft.attendees
        materials = draft.materials
        note = draft.note
    }
}
