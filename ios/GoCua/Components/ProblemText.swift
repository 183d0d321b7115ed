// The core's problem on one field, right under that field.

import GoCuaKit
import SwiftUI

struct ProblemText: View {
    @Environment(\.chrome) private var tr
    let error: UIError?
    /// The field's path as the core names it (`head_name`, `assists[0].dossier_code`).
    let field: String

    var body: some View {
        if let problem = error?.problem(field) {
            let spoken = problem.label(tr.lang) + ": " + problem.message(tr.lang)
            Text(problem.message(tr.lang))
                .font(.footnote)
                .foregroundStyle(.red)
                .accessibilityLabel(spoken)
                .accessibilityIdentifier("problem.\(field)")
        }
    }
}
