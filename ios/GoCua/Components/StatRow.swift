// A label and a number (already formatted by the core), read out together.

import SwiftUI

struct StatRow: View {
    let label: String
    let value: String

    var body: some View {
        HStack(alignment: .firstTextBaseline) {
            Text(label)
                .frame(maxWidth: .infinity, alignment: .leading)
            Text(value)
                .font(.headline)
                .monospacedDigit()
        }
        .accessibilityElement(children: .combine)
    }
}
