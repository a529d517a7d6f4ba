import Foundation

/// Makes generated SDKs build offline with Debian's toolchains:
/// - TypeScript: a `tsconfig.json` that `tsc` 4.8 accepts (`lib es2019,dom`,
///   strict without `noImplicitAny`, no `typeRoots` into a missing
///   `node_modules`), and `npm run build` without the ESM second pass;
/// - Python: requirements stay as generated (pydantic ≥ 2.11, urllib3 ≥ 2.7,
///   checked here so a generator upgrade cannot lower them silently);
/// - Go: `go 1.19`, testify dropped, `golang.org/x/oauth2` and `x/net`
///   replaced by Debian's sources (`golang-golang-x-oauth2-dev`), no `go.sum`.
/// Everything: the generator's `git_push.sh` and CI files are removed.
enum SDKPostProcessor {
    /// Bumped whenever post-processing changes, so cached SDKs are regenerated.
    static let revision = 1

    /// Where Debian's Go library packages put their sources (override with `PORTCULLIS_GOCODE`).
    static var goSources: String {
        ProcessInfo.processInfo.environment["PORTCULLIS_GOCODE"] ?? "/usr/share/gocode/src"
    }

    static func process(_ lang: SDKLanguage, directory: String, version: String) throws(SDKError) {
        for file in ["git_push.sh", ".travis.yml", ".gitlab-ci.yml", ".github", "test", "tox.ini"] {
            try? FileManager.default.removeItem(atPath: directory + "/" + file)
        }
        switch lang {
        case .typescript: try typescript(directory)
        case .python: try python(directory)
        case .go: try go(directory)
        }
    }

    private static func typescript(_ dir: String) throws(SDKError) {
        try write(dir + "/tsconfig.json", """
        {
          "compilerOptions": {
            "declaration": true,
            "target": "es2019",
            "lib": ["es2019", "dom"],
            "module": "commonjs",
            "moduleResolution": "node",
            "strict": true,
            "noImplicitAny": false,
            "skipLibCheck": true,
            "outDir": "dist",
            "rootDir": "src"
          },
          "include": ["src"],
          "exclude": ["dist", "node_modules"]
        }

        """)
        try? FileManager.default.removeItem(atPath: dir + "/tsconfig.esm.json")
        var package = try read(dir + "/package.json")
        package = package.replacingOccurrences(of: "\"build\": \"tsc && tsc -p tsconfig.esm.json\"", with: "\"build\": \"tsc\"")
        package = package.replacingOccurrences(of: "  \"module\": \"./dist/esm/index.js\",\n", with: "")
        try write(dir + "/package.json", package)
    }

    private static func python(_ dir: String) throws(SDKError) {
        let requirements = try read(dir + "/requirements.txt")
        for needed in ["pydantic >= 2.11", "urllib3 >= 2.7"] where !requirements.contains(needed) {
            throw SDKError.toolFailed(command: "python SDK check", status: 1,
                                      output: "requirements.txt no longer asks for \(needed): update SDKPostProcessor")
        }
    }

    private static func go(_ dir: String) throws(SDKError) {
        let gomod = try read(dir + "/go.mod")
        guard let module = gomod.split(separator: "\n").first(where: { $0.hasPrefix("module ") }) else {
            throw SDKError.io("\(dir)/go.mod has no module line")
        }
        let sources = goSources
        for needed in ["oauth2", "net"] where !FileManager.default.fileExists(atPath: "\(sources)/golang.org/x/\(needed)/go.mod") {
            throw SDKError.missingTool("golang.org/x/\(needed) sources in \(sources)",
                                       fix: "run scripts/install-sdk-deps.sh (it installs golang-golang-x-oauth2-dev and golang-golang-x-net-dev)")
        }
        try write(dir + "/go.mod", """
        \(module)

        go 1.19

        require golang.org/x/oauth2 v0.3.0

        require golang.org/x/net v0.3.0 // indirect

        replace golang.org/x/oauth2 => \(sources)/golang.org/x/oauth2

        replace golang.org/x/net => \(sources)/golang.org/x/net

        """)
        try? FileManager.default.removeItem(atPath: dir + "/go.sum")
    }

    static func read(_ path: String) throws(SDKError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SDKError.io("the generator did not write \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func write(_ path: String, _ text: String) throws(SDKError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw SDKError.io("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
