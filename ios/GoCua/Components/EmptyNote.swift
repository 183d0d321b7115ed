// "Nothing here yet", in the secondary style.

import SwiftUI

struct EmptyNote: View {
    let text: String

    var body: some View {
        Text(text)
            .font(.callout)
            .foregroundStyle(.secondary)
    }
}
