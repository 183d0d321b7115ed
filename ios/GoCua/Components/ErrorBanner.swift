// The error of a screen: the core's message and, one line each, the problems of the draft with the
// label of the field they name ("Mã hồ sơ (dịch vụ 1): …"), so a problem on a field that is off
// screen is still read out. Each problem also shows under its field (ProblemText).

import GoCuaKit
import SwiftUI

struct ErrorBanner: View {
    @Environment(\.chrome) private var tr
    let error: UIError?

    var body: some View {
        if let error {
            VStack(alignment: .leading, spacing: 6) {
                Label {
                    Text(headline(error))
                        .font(.body.weight(.semibold))
                } icon: {
                    Image(systemName: "exclamationmark.triangle.fill")
                        .accessibilityHidden(true)
                }
                ForEach(Array(listed(error).enumerated()), id: \.offset) { _, problem in
                    Text(verbatim: "\(problem.label(tr.lang)): \(problem.message(tr.lang))")
                        .font(.callout)
                }
            }
            .foregroundStyle(.red)
            .frame(maxWidth: .infinity, alignment: .leading)
            .accessibilityElement(children: .combine)
            .accessibilityIdentifier("error.banner")
        }
    }

    /// The problems to list under the headline: not one that only repeats it (a single problem's
    /// message is usually the error's message too).
    private func listed(_ error: UIError) -> [FieldProblem] {
        let said = headline(error)
        return error.problems.filter { $0.message(tr.lang) != said }
    }

    private func headline(_ error: UIError) -> String {
        switch error.message {
        case let .core(message):
            return message.pick(tr.lang)
        case let .unexpected(description):
            return tr("Đã có lỗi không mong muốn: %@", description)
        }
    }
}
