// Asking before what cannot be undone (erasing a household's personal data, starting over without
// the unreadable store): the question, what it will do, the destructive button and "Hủy".

import SwiftUI

struct DestructiveConfirmation: ViewModifier {
    @Environment(\.chrome) private var tr
    /// The question, already in the volunteer's language.
    let title: String
    @Binding var isPresented: Bool
    /// The destructive button's label.
    let confirm: String
    /// The destructive button's accessibility identifier, for the UI tests.
    let identifier: String
    /// What it will do, under the question.
    let message: String
    let action: () async -> Void

    func body(content: Content) -> some View {
        content.confirmationDialog(title, isPresented: $isPresented, titleVisibility: .visible) {
            Button(confirm, role: .destructive) {
                Task { await action() }
            }
            .accessibilityIdentifier(identifier)
            Button(tr("Hủy"), role: .cancel) {}
        } message: {
            Text(message)
        }
    }
}
