import Logging
import PledgeCore
import PledgeStore

/// How `pledge serve` runs.
public struct ServerConfiguration: Sendable {
    /// Address to bind; 127.0.0.1 unless told otherwise (a TLS proxy sits in front).
    public var host: String
    public var port: Int
    public var declarationPath: String
    public var store: StoreConfiguration
    /// Refuse declarations with legal errors, not only invalid ones.
    public var strict: Bool
    /// The key that wraps every subject's data key; given from outside, never stored with the data.
    public var masterKey: MasterKey
    public var logLevel: Logger.Level
    /// The address people reach the server at (behind its proxy), for links in emails; default http://host:port.
    public var publicURL: String?
    /// Reverse proxies in front of the server, whose X-Forwarded-For names the visitor (statistics'
    /// daily visitor key); empty: the peer is the visitor.
    public var trustedProxies: TrustedProxies
    /// How long a connection may send nothing, mid-request or between requests, before it is closed
    /// (issue 24 finding 6: 800 half-sent requests held the server's connections for minutes).
    public var idleTimeout: Duration
    /// The erasure ledger outside the database (issue 27 §5): full erasures are recorded there, and
    /// re-applied at start before the server answers; nil keeps none.
    public var erasureLedgerPath: String?

    /// The idle timeout unless told otherwise: long enough for a slow phone, short enough that a
    /// client holding connections open half-sent loses them.
    public static let defaultIdleTimeout: Duration = .seconds(30)

    public init(
        host: String = "127.0.0.1", port: Int = 8080, declarationPath: String, store: StoreConfiguration = .defaultSQLite,
        masterKey: MasterKey, strict: Bool = false, logLevel: Logger.Level = .info, publicURL: String? = nil,
        trustedProxies: TrustedProxies = .none, idleTimeout: Duration = ServerConfiguration.defaultIdleTimeout,
        erasureLedgerPath: String? = nil
    ) {
        self.idleTimeout = idleTimeout
        self.erasureLedgerPath = erasureLedgerPath
        self.trustedProxies = trustedProxies
        self.publicURL = publicURL
        self.host = host
        self.port = port
        self.declarationPath = declarationPath
        self.store = store
        self.strict = strict
        self.masterKey = masterKey
        self.logLevel = logLevel
    }
}
