// A half-filled form is kept by the core (KeptDraft) as JSON; a chosen vocabulary value is kept
// there by its wire code (`code()`) and found again in the core's own list of values. A code the core no
// longer offers comes back as "nothing chosen". No code is ever spelled in Swift.

enum StoredChoice {
    static func find<Value>(_ code: String?, in values: [Value], code codeOf: (Value) -> String) -> Value? {
        guard let code else {
            return nil
        }
        return values.first { codeOf($0) == code }
    }
}
