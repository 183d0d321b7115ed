// One value out of a list the core gives (its vocabularies: visitOutcomes(), assistResults(), …;
// or the team's areas), as rows with a check mark: one tap, large targets, read out as "selected"
// by VoiceOver. Nothing is chosen for the volunteer.

import SwiftUI

struct ChoiceList<Value: Hashable>: View {
    let options: [Value]
    @Binding var selection: Value?
    /// What the row says: the core's `label(lang:)`, an area's name.
    let label: (Value) -> String
    /// Identifies a row for UI tests: `\(identifier).\(key(value))`.
    let identifier: String
    let key: (Value) -> String

    var body: some View {
        ForEach(options, id: \.self) { option in
            let chosen = selection == option
            Button {
                selection = option
            } label: {
                HStack {
                    Text(label(option))
                        .foregroundStyle(.primary)
                        .frame(maxWidth: .infinity, alignment: .leading)
                    if chosen {
                        Image(systemName: "checkmark")
                            .foregroundStyle(.tint)
                            .accessibilityHidden(true)
                    }
                }
                .contentShape(Rectangle())
            }
            .accessibilityLabel(label(option))
            .accessibilityAddTraits(chosen ? .isSelected : [])
            .accessibilityIdentifier("\(identifier).\(key(option))")
        }
    }
}
