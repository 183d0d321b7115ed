// A text field of a form: its label above it (the core's label of the field, `fieldLabel`, unless
// the screen gives its own), the field, and the core's problem under it.

import GoCuaKit
import SwiftUI

struct FormTextField: View {
    @Environment(\.chrome) private var tr
    /// The core's name of the field, for its label and its problem.
    let field: String
    @Binding var text: String
    let error: UIError?
    let identifier: String
    var label: String?
    var prompt: String?
    var keyboard: UIKeyboardType = .default
    var multiline = false

    var body: some View {
        let title = label ?? fieldLabel(field: field, lang: tr.lang)
        VStack(alignment: .leading, spacing: 4) {
            Text(title)
                .font(.subheadline)
                .foregroundStyle(.secondary)
                .accessibilityHidden(true)
            TextField(title, text: $text, prompt: prompt.map { Text($0) }, axis: multiline ? .vertical : .horizontal)
                .keyboardType(keyboard)
                .autocorrectionDisabled(keyboard != .default)
                .accessibilityLabel(title)
                .accessibilityIdentifier(identifier)
            ProblemText(error: error, field: field)
        }
    }
}
