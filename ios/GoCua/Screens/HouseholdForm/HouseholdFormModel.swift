// A new household ("find or create") or an edit of one: commune and hamlet from the team's areas,
// head of household, address, members, phone, and the consent to keep contact details when asked.
// Every rule is the core's: the draft goes to createHousehold / updateHousehold and its problems
// come back by field name (`head_name`, `phone`, `consent`, …).

import GoCuaKit
import SwiftUI

final class HouseholdFormModel: ObservableObject, RecordingForm {
    enum Mode: Hashable, Codable {
        case new(headName: String, hamletCode: String?)
        case edit(id: String)
    }

    @Published private(set) var communes: [AreaView] = []
    @Published private(set) var hamlets: [AreaView] = []
    @Published var communeCode: String?
    @Published var hamletCode: String?
    @Published var headName = ""
    @Published var addressLine = ""
    /// Digits only; the core says which numbers are acceptable.
    @Published var members = ""
    @Published var phone = ""
    /// The volunteer asked for consent (touched the consent switch): only then is it recorded.
    @Published var consentAsked = false
    @Published var consentGiven = false
    @Published var consentMethod: ConsentMethod?
    @Published var saving = false
    @Published var error: UIError?
    @Published private(set) var saved: HouseholdView?

    let mode: Mode
    /// The half-filled form, kept by the core; cleared by the save.
    let keptDraft: KeptDraft<HouseholdFormDraft>
    private let session: ProfileSession
    private var loaded = false

    init(session: ProfileSession, mode: Mode) {
        self.session = session
        self.mode = mode
        let key: String
        switch mode {
        case .new:
            key = "new"
        case let .edit(id):
            key = id
        }
        keptDraft = KeptDraft(profile: session.profile, form: .household, key: key)
    }

    private struct Loaded {
        let communes: [AreaView]
        let household: HouseholdView?
        let hamletCommune: String?
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
                let communes = try p.teamAreas()
                switch mode {
                case let .edit(id):
                    return Loaded(communes: communes, household: try p.household(id: id), hamletCommune: nil)
                case let .new(_, hamletCode):
                    guard let hamletCode else {
                        return Loaded(communes: communes, household: nil, hamletCommune: nil)
                    }
                    var parent: String?
                    for commune in communes {
                        let hamlets = try p.childAreas(parentCode: commune.code)
                        if hamlets.contains(where: { $0.code == hamletCode }) {
                            parent = commune.code
                        }
                    }
                    return Loaded(communes: communes, household: nil, hamletCommune: parent)
                }
            }
            communes = found.communes
            switch mode {
            case .edit:
                if let household = found.household {
                    communeCode = household.communeCode
                    hamletCode = household.hamletCode
                    headName = household.headName
                    addressLine = household.addressLine
                    members = String(household.members)
                    phone = household.phone ?? ""
                    consentGiven = household.consentGiven
                }
            case let .new(headName, hamletCode):
                self.headName = headName
                if let commune = found.hamletCommune {
                    communeCode = commune
                    self.hamletCode = hamletCode
                } else if found.communes.count == 1 {
                    communeCode = found.communes.first?.code
                }
            }
            await loadHamlets()
        } catch {
            self.error = UIError(error)
        }
    }

    func chooseCommune(_ code: String?) {
        guard code != communeCode else {
            return
        }
        communeCode = code
        hamletCode = nil
        Task { await loadHamlets() }
    }

    @MainActor
    private func loadHamlets() async {
        guard let commune = communeCode else {
            hamlets = []
            return
        }
        do {
            hamlets = try await session.profile.inBackground { try $0.childAreas(parentCode: commune) }
        } catch {
            self.error = UIError(error)
        }
    }

    /// What the draft cannot do without: a commune, a number of members, and a consent method
    /// once consent was asked. Everything else is checked by the core.
    var canSave: Bool {
        communeCode != nil && TypedText.number(members) != nil && (!consentAsked || consentMethod != nil) && !saving
    }

    @MainActor
    func save() async {
        guard let communeCode, let count = TypedText.number(members) else {
            return
        }
        var consent: ConsentDraft?
        if consentAsked, let method = consentMethod {
            consent = ConsentDraft(given: consentGiven, method: method)
        }
        let draft = HouseholdDraft(
            communeCode: communeCode,
            addressLine: TypedText.required(addressLine),
            headName: TypedText.required(headName),
            members: UInt16(clamping: count),
            hamletCode: hamletCode,
            phone: TypedText.optional(phone),
            consent: consent,
            draftKey: keptDraft.key
        )
        let mode = self.mode
        let household = await record(in: session) { p -> HouseholdView in
            switch mode {
            case .new:
                return try p.createHousehold(draft: draft)
            case let .edit(id):
                return try p.updateHousehold(id: id, draft: draft)
            }
        }
        if let household {
            saved = household
        }
    }
}
