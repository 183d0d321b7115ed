// Feedback (khó khăn, vướng mắc, kiến nghị): a category from the core's list and free text, about
// a visit, a session or in general; it goes into the unit's report.

import GoCuaKit
import SwiftUI

final class FeedbackModel: ObservableObject, RecordingForm {
    @Published var category: FeedbackCategory?
    @Published var text = ""
    @Published var saving = false
    @Published var error: UIError?
    @Published private(set) var savedId: String?

    let from: FeedbackFrom
    /// The half-filled form, kept by the core under what it is about; cleared by the save.
    let keptDraft: KeptDraft<FeedbackFormDraft>
    private let session: ProfileSession

    init(session: ProfileSession, from: FeedbackFrom) {
        self.session = session
        self.from = from
        let key: String
        switch from {
        case .general:
            key = "general"
        case let .visit(id, _), let .session(id, _):
            key = id
        }
        keptDraft = KeptDraft(profile: session.profile, form: .feedback, key: key)
    }

    /// The core's value for what the feedback is about ("Về một lượt đến hộ" / "About a visit").
    var source: FeedbackSource {
        switch from {
        case .general:
            return .general
        case let .visit(id, _):
            return .visit(visitId: id)
        case let .session(id, _):
            return .session(sessionId: id)
        }
    }

    private var areaCode: String? {
        switch from {
        case .general:
            return nil
        case let .visit(_, areaCode), let .session(_, areaCode):
            return areaCode
        }
    }

    var canSave: Bool {
        category != nil && !saving
    }

    @MainActor
    func save() async {
        guard let category else {
            return
        }
        let draft = FeedbackDraft(source: source, category: category, text: TypedText.required(text), areaCode: areaCode,
                                  draftKey: keptDraft.key)
        if let id = await record(in: session, { try $0.recordFeedback(draft: draft) }) {
            savedId = id
        }
    }
}

/// The half-filled feedback form, as the core keeps it (KeptDraft): the category by its wire code.
struct FeedbackFormDraft: Codable, Equatable {
    var category: String?
    var text: String
}

extension FeedbackModel {
    var draft: FeedbackFormDraft {
        FeedbackFormDraft(category: category?.code(), text: text)
    }

    func restore(_ draft: FeedbackFormDraft) {
        category = StoredChoice.find(draft.category, in: feedbackCategories()) { $0.code() }
        text = draft.text
    }
}
