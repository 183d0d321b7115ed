// The half-filled household form, kept by the core (KeptDraft: under "new", or the household's id
// for an edit) so that it survives the app being closed or killed. Codes of chosen values are
// resolved again through the core's lists (StoredChoice).

import GoCuaKit

struct HouseholdFormDraft: Codable, Equatable {
    var mode: HouseholdFormModel.Mode
    var communeCode: String?
    var hamletCode: String?
    var headName: String
    var addressLine: String
    var members: String
    var phone: String
    var consentAsked: Bool
    var consentGiven: Bool
    var consentMethod: String?
}

extension HouseholdFormModel {
    var draft: HouseholdFormDraft {
        HouseholdFormDraft(
            mode: mode, communeCode: communeCode, hamletCode: hamletCode, headName: headName,
            addressLine: addressLine, members: members, phone: phone, consentAsked: consentAsked,
            consentGiven: consentGiven, consentMethod: consentMethod?.code()
        )
    }

    /// Puts back a draft of the same form (same mode), after load().
    func restore(_ draft: HouseholdFormDraft) {
        guard draft.mode == mode else {
            return
        }
        if draft.communeCode != communeCode {
            chooseCommune(draft.communeCode)
        }
        hamletCode = draft.hamletCode
        headName = draft.headName
        addressLine = draft.addressLine
        members = draft.members
        phone = draft.phone
        consentAsked = draft.consentAsked
        consentGiven = draft.consentGiven
        consentMethod = StoredChoice.find(draft.consentMethod, in: consentMethods()) { $0.code() }
    }
}
