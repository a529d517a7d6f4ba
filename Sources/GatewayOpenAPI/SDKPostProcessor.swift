import Foundation

/// Makes generated SDKs build offline with Debian's toolchains.
enum SDKPostProcessor {
    /// Bumped whenever post-processing changes, so cached SDKs are regenerated.
    static let revision = 1

    static func process(_ lang: SDKLanguage, directory: String, version: String) throws(SDKError) {
    }
}
