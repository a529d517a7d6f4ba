import Foundation

/// Where the tools for SDK generation are: a Java runtime and the
/// openapi-generator jar that the pinned `openapi-generator-cli` package
/// installs into the project's virtual environment (`.venv/`, made by
/// `scripts/install-sdk-deps.sh`).
public struct SDKToolchain: Sendable {
    /// The pinned generator version; the jar of any other version is refused.
    public static let generatorVersion = "7.26.0"
    static let installHint = "run scripts/install-sdk-deps.sh in the project (it installs Java from Debian and openapi-generator-cli==\(generatorVersion) into .venv/), or point PORTCULLIS_VENV at a virtual environment that has it"

    public var java: String
    public var generatorJar: String
    /// The virtual environment the generator came from (its `bin/python` runs Python SDKs).
    public var venv: String

    public init(java: String, generatorJar: String, venv: String) {
        self.java = java
        self.generatorJar = generatorJar
        self.venv = venv
    }

    /// Finds the tools: `java` from `JAVA_HOME` or `PATH`; the virtual
    /// environment from `PORTCULLIS_VENV`, else `.venv/` in the current
    /// directory or one of its parents, else beside the running executable's
    /// checkout (`<root>/.build/debug/portcullis` → `<root>/.venv`).
    public static func discover(environment: [String: String] = ProcessInfo.processInfo.environment,
                                currentDirectory: String = FileManager.default.currentDirectoryPath,
                                executable: String = CommandLine.arguments.first ?? "") throws(SDKError) -> SDKToolchain {
        let fm = FileManager.default
        var java: String?
        if let home = environment["JAVA_HOME"], fm.isExecutableFile(atPath: home + "/bin/java") {
            java = home + "/bin/java"
        }
        java = java ?? ProcessRunner.which("java", path: environment["PATH"])
        guard let java else { throw SDKError.missingTool("java", fix: installHint) }

        var candidates: [String] = []
        if let venv = environment["PORTCULLIS_VENV"], !venv.isEmpty { candidates.append(venv) }
        candidates += ancestors(of: currentDirectory).map(venvPath)
        if executable.contains("/") {
            let absolute = executable.hasPrefix("/") ? executable : currentDirectory + "/" + executable
            candidates += ancestors(of: (absolute as NSString).deletingLastPathComponent).map(venvPath)
        }
        var seen: Set<String> = []
        candidates = candidates.filter { seen.insert($0).inserted }
        for venv in candidates {
            guard let site = sitePackages(venv) else { continue }
            let jar = site + "/openapi_generator_cli/openapi-generator.jar"
            guard fm.fileExists(atPath: jar) else { continue }
            guard fm.fileExists(atPath: site + "/openapi_generator_cli-\(generatorVersion).dist-info") else {
                throw SDKError.missingTool("openapi-generator-cli \(generatorVersion) (\(venv) has another version)",
                                           fix: installHint)
            }
            return SDKToolchain(java: java, generatorJar: jar, venv: venv)
        }
        throw SDKError.missingTool("openapi-generator-cli \(generatorVersion) (looked in \(candidates.joined(separator: ", ")))",
                                   fix: installHint)
    }

    static func venvPath(_ directory: String) -> String {
        directory.hasSuffix("/") ? directory + ".venv" : directory + "/.venv"
    }

    /// `<venv>/lib/python3.X/site-packages`, if there is one.
    static func sitePackages(_ venv: String) -> String? {
        let lib = venv + "/lib"
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: lib) else { return nil }
        return versions.filter { $0.hasPrefix("python3") }.sorted().last.map { lib + "/" + $0 + "/site-packages" }
    }

    static func ancestors(of path: String) -> [String] {
        var out: [String] = []
        var current = (path as NSString).standardizingPath
        while !current.isEmpty {
            out.append(current)
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current { break }
            current = parent
        }
        return out
    }
}
