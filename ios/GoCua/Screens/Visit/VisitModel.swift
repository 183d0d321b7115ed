// A new visit, or a correction of one (a new revision that supersedes it): outcome, people
// reached, services with level and result, the dossier code and the reason when the core says the
// result needs them, follow-up day, note, consent, location on request. Every rule is the core's:
// the form asks it which fields apply (visitReachesPeople, visitAllowsAssists, defaultPeopleReached,
// assistNeedsDossierCode, assistNeedsReason), and recordVisit / correctVisit report the problems of
// the draft by field name ("assists[0].dossier_code"), which the screen shows under that field.

import GoCuaKit
import SwiftUI

final class VisitModel: ObservableObject, RecordingForm {
    enum Mode: Hashable, Codable {
        case new(householdId: String)
        case correct(visitId: String)
    }

    /// One service helped with, as the form holds it; the result is the volunteer's choice.
    struct AssistEntry: Identifiable, Equatable {
        let id: UUID
        var serviceKey: String
        var level42: Level42?
        var result: AssistResult?
        var dossierCode: String
        var reason: NotFinishedReason?
    }

    @Published private(set) var household: HouseholdView?
    @Published private(set) var services: [ServiceView] = []
    @Published private(set) var today: CalendarDay?
    @Published private(set) var outcome: VisitOutcome?
    @Published var peopleReached = 0
    @Published var assists: [AssistEntry] = []
    @Published var followUpOn: CalendarDay?
    @Published var note = ""
    @Published var consentAsked = false
    @Published var consentGiven = false
    @Published var consentMethod: ConsentMethod?
    @Published private(set) var gps: GpsFix?
    @Published private(set) var locating = false
    @Published private(set) var locationDenied = false
    @Published var saving = false
    @Published var error: UIError?
    @Published private(set) var saved: VisitView?

    let mode: Mode
    /// When the visit began: when this form opened, or the corrected visit's own start.
    private(set) var startedAt: Date
    /// The revision a correction supersedes (the latest one of the visit).
    private var correctedId: String?
    private var loaded = false
    /// The half-filled form, kept by the core; cleared by the save.
    let keptDraft: KeptDraft<VisitFormDraft>
    private let session: ProfileSession
    private let location = LocationRequest()

    init(session: ProfileSession, mode: Mode) {
        self.session = session
        self.mode = mode
        let key: String
        switch mode {
        case let .new(householdId):
            key = householdId
        case let .correct(visitId):
            key = visitId
        }
        keptDraft = KeptDraft(profile: session.profile, form: .visit, key: key)
        startedAt = Date()
    }

    private struct Loaded {
        let household: HouseholdView
        let services: [ServiceView]
        let today: CalendarDay
        let visit: VisitView?
    }

    private enum LoadFailure: Error {
        case noRevision(String)
    }

    @MainActor
    func load() async {
        guard !loaded else {
            return
        }
        loaded = true
        let mode = self.mode
        do {
            let found = try await session.profile.inBackground { p -> Loaded in
                switch mode {
                case let .new(householdId):
                    return Loaded(household: try p.household(id: householdId), services: try p.services(), today: try p.today(), visit: nil)
                case let .correct(visitId):
                    guard let latest = try p.visitRevisions(visitId: visitId).max(by: { $0.revision < $1.revision }) else {
                        throw LoadFailure.noRevision(visitId)
                    }
                    return Loaded(household: try p.household(id: latest.householdId), services: try p.services(), today: try p.today(), visit: latest)
                }
            }
            household = found.household
            services = found.services
            today = found.today
            consentGiven = found.household.consentGiven
            if let visit = found.visit {
                fill(from: visit)
            }
        } catch {
            self.error = UIError(error)
        }
    }

    @MainActor
    private func fill(from visit: VisitView) {
        correctedId = visit.id
        startedAt = visit.startedAt
        outcome = visit.outcome
        peopleReached = Int(visit.peopleReached)
        assists = visit.assists.map { assist in
            AssistEntry(id: UUID(), serviceKey: assist.serviceKey, level42: assist.level42, result: assist.result,
                        dossierCode: assist.dossierCode ?? "", reason: assist.notFinishedReason)
        }
        followUpOn = visit.followUpOn
        note = visit.note ?? ""
        gps = visit.gps
    }

    /// The outcome chosen; people reached starts from the core's default for it.
    func choose(_ outcome: VisitOutcome?) {
        self.outcome = outcome
        if let outcome {
            peopleReached = Int(defaultPeopleReached(outcome: outcome))
        }
        error = nil
    }

    func addService(_ service: ServiceView) {
        assists.append(AssistEntry(id: UUID(), serviceKey: service.key, level42: service.level42, result: nil, dossierCode: "", reason: nil))
    }

    func removeService(_ id: UUID) {
        assists.removeAll { $0.id == id }
    }

    func serviceName(_ key: String, _ lang: Lang) -> String {
        guard let service = services.first(where: { $0.key == key }) else {
            return key
        }
        return Bilingual(vi: service.nameVi, en: service.nameEn).pick(lang)
    }

    /// Whether the household is asked about keeping its contact details at this visit.
    var asksConsent: Bool {
        household?.phone != nil || household?.consentGiven == true
    }

    func setFollowUp(_ on: Bool) {
        followUpOn = on ? (followUpOn ?? today) : nil
    }

    @MainActor
    func locate() async {
        locating = true
        locationDenied = false
        defer { locating = false }
        do {
            gps = try await location.fix()
        } catch LocationRequest.Failure.denied {
            locationDenied = true
        } catch {
            self.error = UIError(error)
        }
    }

    func forgetLocation() {
        gps = nil
    }

    /// For a restored draft (VisitFormDraft): the start it recorded.
    func restoreTiming(startedAt: Date) {
        self.startedAt = startedAt
    }

    /// For a restored draft: the location taken before the app was closed.
    func restoreLocation(_ fix: GpsFix) {
        gps = fix
    }

    /// What the draft cannot do without: an outcome, a result for each service shown, a consent
    /// method once consent was asked. Everything else is the core's to check.
    var canSave: Bool {
        guard let outcome, household != nil, !saving else {
            return false
        }
        if visitAllowsAssists(outcome: outcome) && assists.contains(where: { $0.result == nil }) {
            return false
        }
        return !consentAsked || consentMethod != nil
    }

    @MainActor
    func save() async {
        guard let draft = makeDraft() else {
            return
        }
        let mode = self.mode
        let correctedId = self.correctedId
        let visit = await record(in: session) { p -> VisitView in
            switch mode {
            case .new:
                return try p.recordVisit(draft: draft)
            case let .correct(visitId):
                return try p.correctVisit(visitId: correctedId ?? visitId, draft: draft)
            }
        }
        if let visit {
            saved = visit
        }
    }

    /// The draft exactly as the form shows it: sections the core says do not apply to the chosen
    /// outcome or result are left out.
    private func makeDraft() -> VisitDraft? {
        guard let household, let outcome else {
            return nil
        }
        var drafts: [AssistDraft] = []
        if visitAllowsAssists(outcome: outcome) {
            for entry in assists {
                guard let result = entry.result else {
                    return nil
                }
                drafts.append(AssistDraft(
                    serviceKey: entry.serviceKey,
                    result: result,
                    dossierCode: assistNeedsDossierCode(result: result) ? TypedText.optional(entry.dossierCode) : nil,
                    notFinishedReason: assistNeedsReason(result: result) ? entry.reason : nil,
                    level43: nil,
                    level42: entry.level42
                ))
            }
        }
        var consent: ConsentDraft?
        if consentAsked, let method = consentMethod {
            consent = ConsentDraft(given: consentGiven, method: method)
        }
        let people = visitReachesPeople(outcome: outcome) ? UInt16(clamping: peopleReached) : defaultPeopleReached(outcome: outcome)
        return VisitDraft(
            householdId: household.id,
            outcome: outcome,
            peopleReached: people,
            campaignId: nil,
            startedAt: startedAt,
            endedAt: Date(),
            gps: gps,
            note: TypedText.optional(note),
            followUpOn: followUpOn,
            assists: drafts,
            consent: consent,
            draftKey: keptDraft.key
        )
    }
}
