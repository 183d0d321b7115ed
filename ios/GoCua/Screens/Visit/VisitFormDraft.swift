// The half-filled visit form, kept by the core (KeptDraft: under the household's id, or the
// corrected visit's id) so it survives the app being closed or killed. Chosen vocabulary values
// are kept by their wire code and resolved again through the core's lists (StoredChoice).

import Foundation
import GoCuaKit

struct VisitFormDraft: Codable, Equatable {
    struct Assist: Codable, Equatable {
        var serviceKey: String
        var level42: String?
        var result: String?
        var dossierCode: String
        var reason: String?
    }

    var mode: VisitModel.Mode
    var startedAt: Date
    var outcome: String?
    var peopleReached: Int
    var assists: [Assist]
    var followUpOn: CalendarDay?
    var note: String
    var consentAsked: Bool
    var consentGiven: Bool
    var consentMethod: String?
    var gpsLat: Double?
    var gpsLon: Double?
    var gpsAccuracyM: Float?
}

extension VisitModel {
    var draft: VisitFormDraft {
        VisitFormDraft(
            mode: mode,
            startedAt: startedAt,
            outcome: outcome?.code(),
            peopleReached: peopleReached,
            assists: assists.map { entry in
                VisitFormDraft.Assist(serviceKey: entry.serviceKey, level42: entry.level42?.code(), result: entry.result?.code(),
                                      dossierCode: entry.dossierCode, reason: entry.reason?.code())
            },
            followUpOn: followUpOn,
            note: note,
            consentAsked: consentAsked,
            consentGiven: consentGiven,
            consentMethod: consentMethod?.code(),
            gpsLat: gps?.lat,
            gpsLon: gps?.lon,
            gpsAccuracyM: gps?.accuracyM
        )
    }

    /// Puts back a draft of the same form (same household or visit), after load().
    func restore(_ draft: VisitFormDraft) {
        guard draft.mode == mode else {
            return
        }
        choose(StoredChoice.find(draft.outcome, in: visitOutcomes()) { $0.code() })
        peopleReached = draft.peopleReached
        assists = draft.assists.map { kept in
            AssistEntry(
                id: UUID(),
                serviceKey: kept.serviceKey,
                level42: StoredChoice.find(kept.level42, in: levels42()) { $0.code() },
                result: StoredChoice.find(kept.result, in: assistResults()) { $0.code() },
                dossierCode: kept.dossierCode,
                reason: StoredChoice.find(kept.reason, in: notFinishedReasons()) { $0.code() }
            )
        }
        followUpOn = draft.followUpOn
        note = draft.note
        consentAsked = draft.consentAsked
        consentGiven = draft.consentGiven
        consentMethod = StoredChoice.find(draft.consentMethod, in: consentMethods()) { $0.code() }
        restoreTiming(startedAt: draft.startedAt)
        if let lat = draft.gpsLat, let lon = draft.gpsLon {
            restoreLocation(GpsFix(lat: lat, lon: lon, accuracyM: draft.gpsAccuracyM ?? 0))
        }
    }
}
