// swift-tools-version:6.0
import PackageDescription

// Each function is its own executable: under CGI a process serves one request,
// under FastCGI it serves many. Everything they share lives in `Shared`.
let functions = ["v1-chat", "sync-models", "usage-stats", "providers", "models"]

let package = Package(
    name: "llm-gateway",
    platforms: [.macOS(.v15)],
    products: functions.map { .executable(name: $0, targets: [$0]) } + [
        .executable(name: "local-runner", targets: ["local-runner"]),
        .library(name: "Shared", targets: ["Shared"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // The system SQLite (Debian's libsqlite3-dev): the embedded default store.
        .systemLibrary(name: "CSQLite", path: "Shared/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // libpq (Debian's libpq-dev): the store for deployments that span several hosts.
        .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // libcurl (Debian's libcurl4-openssl-dev): upstream HTTP with a streaming write callback.
        .systemLibrary(name: "CCurl", path: "Shared/CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "Shared",
            dependencies: [
                "CSQLite",
                "CLibPQ",
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            path: "Shared",
            exclude: ["CSQLite", "CLibPQ", "CCurl"]
        ),
    ]
        + functions.map { name in
            .executableTarget(name: name, dependencies: ["Shared"], path: "Functions/\(name)")
        } + [
            .executableTarget(
                name: "local-runner",
                dependencies: [
                    "Shared",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "Crypto", package: "swift-crypto"),
                ],
                path: "local-runner"
            ),
            // A function that exists for the tests: it drives the invocation contract.
            .executableTarget(name: "invocation-probe", dependencies: ["Shared"], path: "Tests/InvocationProbe"),
            // Writes usage rows from many processes at once, for the store's concurrency tests.
            .executableTarget(name: "store-probe", dependencies: ["Shared"], path: "Tests/StoreProbe"),
            // The benchmark's mock upstream and data seeding (Benchmarks/chat.sh).
            .executableTarget(name: "bench-fixture", dependencies: ["Shared", "TestSupport"], path: "Benchmarks/Fixture"),
            // What both test targets share: build products, started servers, a raw HTTP client.
            .target(name: "TestSupport", dependencies: ["Shared"], path: "Tests/TestSupport"),
            .testTarget(
                name: "SharedTests",
                dependencies: [
                    "Shared",
                    "TestSupport",
                    .product(name: "JWTKit", package: "jwt-kit"),
                    .product(name: "_CryptoExtras", package: "swift-crypto"),
                ],
                path: "Tests/SharedTests"
            ),
            .testTarget(
                name: "IntegrationTests",
                dependencies: ["Shared", "TestSupport", .product(name: "JWTKit", package: "jwt-kit")],
                path: "Tests/IntegrationTests",
                // The Python the tests run: the OpenAI SDK check and the console's browser run.
                exclude: ["SDK/openai_sdk_check.py", "Console/console_browser_check.py"]
            ),
        ]
)
