import Foundation
import TestSupport

/// The smallest main configuration of each server that listens on loopback, keeps all its files
/// under the test's folder, and includes the shipped templates (functions, then the console).
struct WebServerConfiguration {
    typealias Server = WebServerDeployment.Server
    typealias Contract = WebServerDeployment.Contract

    var server: Server
    var contract: Contract
    var directory: String
    var port: UInt16
    var values: [String: String]
    var apacheUser: String?
    /// The address it listens on (a test network's host address, or loopback).
    var address = "127.0.0.1"

    var executable: String {
        switch server {
        case .nginx: "nginx"
        case .apache: "apache2"
        case .lighttpd: "lighttpd"
        case .caddy: "caddy"
        }
    }

    var arguments: [String] {
        switch server {
        case .nginx: ["-p", directory, "-c", "\(directory)/nginx.conf"]
        case .apache: ["-d", directory, "-f", "\(directory)/apache.conf", "-DFOREGROUND"]
        case .lighttpd: ["-D", "-f", "\(directory)/lighttpd.conf"]
        case .caddy: ["run", "--config", "\(directory)/Caddyfile", "--adapter", "caddyfile"]
        }
    }

    /// A template from deploy/<folder>/ with every placeholder replaced.
    private func template(_ folder: String, _ name: String) throws -> String {
        var text = try String(contentsOfFile: "\(WebServerDeployment.repository)/deploy/\(folder)/\(name)", encoding: .utf8)
        for (placeholder, value) in values { text = text.replacingOccurrences(of: placeholder, with: value) }
        return text
    }

    /// Writes the templates beside the main configuration (the servers include them by path).
    private func include(_ folder: String, _ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        try template(folder, name).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func write() throws {
        let (file, text) =
            switch server {
            case .nginx: ("nginx.conf", try nginx())
            case .apache: ("apache.conf", try apache())
            case .lighttpd: ("lighttpd.conf", try lighttpd())
            case .caddy: ("Caddyfile", try caddy())
            }
        try text.write(toFile: "\(directory)/\(file)", atomically: true, encoding: .utf8)
    }

    private func nginx() throws -> String {
        try FileManager.default.copyItem(atPath: "/etc/nginx/fastcgi_params", toPath: "\(directory)/fastcgi_params")
        return """
            \(getuid() == 0 ? "user root;" : "")
            daemon off;
            worker_processes 1;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log info;
            events { worker_connections 256; }
            http {
                access_log \(directory)/access.log;
                client_body_temp_path \(directory)/client_body;
                fastcgi_temp_path \(directory)/fastcgi_temp;
                proxy_temp_path \(directory)/proxy_temp;
                uwsgi_temp_path \(directory)/uwsgi_temp;
                scgi_temp_path \(directory)/scgi_temp;
                \(contract == .fastcgi ? "include \(try include("nginx", "llm-gateway-fastcgi-upstreams.conf"));" : "")
                server {
                    listen \(address):\(port);
                    include \(try include("nginx", "llm-gateway-\(contract.rawValue).conf"));
                    include \(try include("nginx", "llm-gateway-console.conf"));
                }
            }
            """
    }

    private func apache() throws -> String {
        let modules = [
            "mpm_event", "authz_core", "mime", "dir", "alias", "headers", "env", "macro", "proxy", "proxy_fcgi", "cgid",
        ].map { "LoadModule \($0)_module /usr/lib/apache2/modules/mod_\($0).so" }.joined(separator: "\n")
        return """
            ServerName 127.0.0.1
            Listen \(address):\(port)
            PidFile \(directory)/apache.pid
            ErrorLog \(directory)/error.log
            LogLevel warn
            DefaultRuntimeDir \(directory)
            Mutex file:\(directory)
            \(apacheUser.map { "User \($0)\nGroup \($0)" } ?? "")
            \(modules)
            TypesConfig /etc/mime.types
            ScriptSock \(directory)/cgid.sock
            Include \(try include("apache", "llm-gateway-\(contract.rawValue).conf"))
            Include \(try include("apache", "llm-gateway-console.conf"))
            """
    }

    private func lighttpd() throws -> String {
        """
        server.bind = "\(address)"
        server.port = \(port)
        server.errorlog = "\(directory)/error.log"
        include "\(try include("lighttpd", "llm-gateway-console.conf"))"
        include "\(try include("lighttpd", "llm-gateway-\(contract.rawValue).conf"))"
        """
    }

    private func caddy() throws -> String {
        """
        {
        \tadmin off
        \tauto_https off
        \tstorage file_system \(directory)/caddy
        }
        http://\(address):\(port) {
        \timport \(try include("caddy", "llm-gateway-\(contract.rawValue).caddy"))
        \timport \(try include("caddy", "llm-gateway-console.caddy"))
        }
        """
    }
}
