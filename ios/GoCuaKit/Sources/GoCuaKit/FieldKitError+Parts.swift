// The parts every FieldKitError carries — its stable code and the core's two messages — read
// without a switch at each call site. The switch below lists every variant: a variant added to the
// core breaks this file at compile time, not a screen at run time.

public extension FieldKitError {
    /// The core's machine code (`validation`, `wrong_key`, `network`, `enrol_code_used`, …), for
    /// logs and tests; never shown.
    var code: String { parts.code }

    /// What the core says to the volunteer, in both languages.
    var message: Bilingual { Bilingual(vi: parts.vi, en: parts.en) }

    /// The problems of a draft, each naming its field (`assists[0].dossier_code`) with the field's
    /// label and the message; empty for every other variant.
    var problems: [FieldProblem] {
        if case let .Validation(_, problems, _, _) = self {
            return problems
        }
        return []
    }

    private var parts: (code: String, vi: String, en: String) {
        switch self {
        case let .Validation(code, _, vi, en):
            return (code, vi, en)
        case let .WrongKey(code, vi, en):
            return (code, vi, en)
        case let .StorageFull(code, vi, en):
            return (code, vi, en)
        case let .NotEnrolled(code, vi, en):
            return (code, vi, en)
        case let .AlreadyEnrolled(code, vi, en):
            return (code, vi, en)
        case let .UnsentRecords(code, _, vi, en):
            return (code, vi, en)
        case let .Network(code, _, vi, en):
            return (code, vi, en)
        case let .ServerRefused(code, _, vi, en):
            return (code, vi, en)
        case let .Cancelled(code, vi, en):
            return (code, vi, en)
        case let .NotFound(code, vi, en):
            return (code, vi, en)
        case let .Closed(code, vi, en):
            return (code, vi, en)
        case let .Other(code, vi, en):
            return (code, vi, en)
        }
    }
}
