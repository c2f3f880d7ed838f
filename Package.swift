// swift-tools-version:6.0
import PackageDescription

// Each function is its own executable: under CGI a process serves one request, under FastCGI it
// serves many. The libraries under them are layered, and each depends only on those below it:
//
//   FunctionRuntime    CGI/1.1 and FastCGI: requests, response writers, route tables, errors (no LLMs)
//   GatewayStore       the Store seam over SQLite and PostgreSQL: records, migrations, queries
//   GatewayProviders   one folder per upstream wire format, the format registry, libcurl, listings
//   Gateway            auth, the key vault, model routing, chat, usage, management, the functions
//
// FunctionHost (child processes, a FastCGI client) and GatewayDevelopment (development tokens) are
// for local-runner, the tests and benchmarks: no function binary links them.
let functions = ["v1-chat", "sync-models", "usage-stats", "providers", "models"]

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "llm-gateway",
    platforms: [.macOS(.v15)],
    products: functions.map { .executable(name: $0, targets: [$0]) } + [
        .executable(name: "local-runner", targets: ["local-runner"]),
        // A Swift CGI/FastCGI runtime, usable without the rest of the gateway.
        .library(name: "FunctionRuntime", targets: ["FunctionRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Tests only: the OpenAPI contract test reads docs/openapi.yaml.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // The system SQLite (Debian's libsqlite3-dev): the embedded default store.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // libpq (Debian's libpq-dev): the store for deployments that span several hosts.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // libcurl (Debian's libcurl4-openssl-dev): upstream HTTP with a streaming write callback.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // glibc's <malloc.h> (mallopt): the invocation runtime's allocator settings for CGI processes.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        .target(
            name: "FunctionRuntime",
            dependencies: ["CMalloc", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(name: "GatewayStore", dependencies: ["FunctionRuntime", "CSQLite", "CLibPQ"], swiftSettings: strict),
        .target(name: "GatewayProviders", dependencies: ["FunctionRuntime", "GatewayStore", "CCurl"], swiftSettings: strict),
        .target(
            name: "Gateway",
            dependencies: [
                "FunctionRuntime",
                "GatewayStore",
                "GatewayProviders",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strict
        ),
        .target(name: "FunctionHost", dependencies: ["FunctionRuntime"], swiftSettings: strict),
        // Development tokens: local-runner and the tests mint them; no function binary links this.
        .target(
            name: "GatewayDevelopment",
            dependencies: ["Gateway", "GatewayStore", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: strict
        ),
    ]
        + functions.map { name in
            .executableTarget(name: name, dependencies: ["Gateway"], path: "Functions/\(name)", swiftSettings: strict)
        } + [
            .executableTarget(
                name: "local-runner",
                dependencies: [
                    "Gateway",
                    "FunctionHost",
                    "GatewayDevelopment",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "Crypto", package: "swift-crypto"),
                ],
                path: "local-runner",
                swiftSettings: strict
            ),
            // A function that exists for the tests: it drives the invocation contract alone.
            .executableTarget(name: "invocation-probe", dependencies: ["FunctionRuntime"], path: "Tests/InvocationProbe", swiftSettings: strict),
            // Writes usage rows from many processes at once, for the store's concurrency tests.
            .executableTarget(name: "store-probe", dependencies: ["GatewayStore"], path: "Tests/StoreProbe", swiftSettings: strict),
            // The benchmark's mock upstream and data seeding (Benchmarks/chat.sh).
            .executableTarget(
                name: "bench-fixture", dependencies: ["Gateway", "GatewayDevelopment", "TestSupport"], path: "Benchmarks/Fixture",
                swiftSettings: strict),
            // What the test targets share: build products, started servers, a raw HTTP client, mock upstreams.
            .target(
                name: "TestSupport", dependencies: ["Gateway", "FunctionHost", "GatewayDevelopment"], path: "Tests/TestSupport",
                swiftSettings: strict),
            .testTarget(
                name: "FunctionRuntimeTests", dependencies: ["FunctionRuntime", "FunctionHost", "TestSupport"], swiftSettings: strict),
            .testTarget(name: "GatewayStoreTests", dependencies: ["GatewayStore", "FunctionHost", "TestSupport"], swiftSettings: strict),
            .testTarget(name: "GatewayProvidersTests", dependencies: ["GatewayProviders", "TestSupport"], swiftSettings: strict),
            .testTarget(
                name: "GatewayTests",
                dependencies: [
                    "Gateway",
                    "GatewayDevelopment",
                    "TestSupport",
                    .product(name: "JWTKit", package: "jwt-kit"),
                    .product(name: "_CryptoExtras", package: "swift-crypto"),
                    .product(name: "Yams", package: "Yams"),
                ],
                swiftSettings: strict
            ),
            .testTarget(
                name: "IntegrationTests",
                dependencies: ["Gateway", "TestSupport", .product(name: "JWTKit", package: "jwt-kit")],
                path: "Tests/IntegrationTests",
                // The Python the tests run: the SDK checks, the OpenAPI contract checks and the console's browser run.
                exclude: ["SDK", "OpenAPI", "Console/console_browser_check.py"],
                swiftSettings: strict
            ),
        ]
)
