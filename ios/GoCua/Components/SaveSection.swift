// A form's save button, alone in the form's last section: it says "Đang lưu…" while the model
// saves, and is disabled whenever the model says the form cannot be saved (saving included).

import SwiftUI

struct SaveSection: View {
    @Environment(\.chrome) private var tr
    /// The button's label, already in the volunteer's language (`tr("Lưu hộ")`).
    let title: String
    let saving: Bool
    let canSave: Bool
    /// The button's accessibility identifier (`household.save`), for the UI tests.
    let identifier: String
    let save: () async -> Void

    var body: some View {
        Section {
            Button {
                Task { await save() }
            } label: {
                Text(saving ? tr("Đang lưu…") : title)
                    .frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
            .disabled(!canSave)
            .accessibilityIdentifier(identifier)
        }
    }
}
