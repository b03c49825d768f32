// swift-tools-version: 6.1
// A package that uses privctl the way a hosting firm's own repository would: it keeps its
// retention policy and runs privctl's SwiftPM plugins on it. scripts/test-swiftpm-plugins.sh
// copies it into a temporary directory, points the dependency at this checkout and runs them.
import PackageDescription

let package = Package(
    name: "privctl-plugin-user",
    dependencies: [
        .package(name: "privctl", path: "PRIVCTL_ROOT")
    ],
    targets: []
)
