// An error as a screen shows it: the core's message (both languages) and the problems of a draft,
// each naming its field, to show under that field. Nothing here decides what is valid.

import GoCuaKit

struct UIError: Equatable {
    enum Message: Equatable {
        /// The core's own words (every FieldKitError carries them).
        case core(Bilingual)
        /// Not from the core (the Keychain, the camera, the system): shown with its description.
        case unexpected(String)
    }

    let message: Message
    let problems: [FieldProblem]
    /// The core's machine code (`validation`, `network`, …); "unexpected" otherwise. For logs.
    let code: String

    init(_ error: Error) {
        if let failure = error as? FieldKitError {
            message = .core(failure.message)
            problems = failure.problems
            code = failure.code
        } else {
            message = .unexpected(String(describing: error))
            problems = []
            code = "unexpected"
        }
    }

    /// The problem the core reported on `field` (`head_name`, `assists[0].dossier_code`), if any.
    func problem(_ field: String) -> FieldProblem? {
        problems.first { $0.field == field }
    }
}

extension FieldProblem {
    func message(_ lang: Lang) -> String {
        Bilingual(vi: messageVi, en: messageEn).pick(lang)
    }

    func label(_ lang: Lang) -> String {
        Bilingual(vi: fieldLabelVi, en: fieldLabelEn).pick(lang)
    }
}
