// Shorthands over the core's formatting for the integer types the views hold; every string itself
// comes from the core (formatCount groups digits the Vietnamese or English way).

import GoCuaKit

enum Formats {
    static func count<N: BinaryInteger>(_ n: N, _ lang: Lang) -> String {
        formatCount(n: Int64(clamping: n), lang: lang)
    }
}
