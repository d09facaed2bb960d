import Foundation

/// Files and folders that hold data, private to the user that runs Pledge (issue 24 finding 8:
/// the database was 0644 in a 0755 folder). New ones are made private from the start, never made
/// and then narrowed; existing data files that others can read are narrowed. An existing folder is
/// left as it is: it may be a shared one such as `/var/lib` that a `--database` path names.
public enum PrivateFiles {
    /// Makes `directory` (and its missing parents) with mode 0700; an existing one is left as it is.
    public static func makeDirectory(_ directory: URL) throws {
        guard !FileManager.default.fileExists(atPath: directory.path) else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Creates `file` with mode 0600 and `contents`; fails if it exists (O_EXCL), so nothing of
    /// another file is reused or followed through a link.
    public static func create(_ file: URL, contents: Data) throws {
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(path: file.path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count, fsync(descriptor) == 0 else {
            throw PrivateFileError(path: file.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Narrows `path` to `mode` when its group or others have any permission on it.
    public static func narrow(_ path: String, to mode: mode_t) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        guard status.st_mode & 0o077 != 0 else { return }
        guard chmod(path, mode) == 0 else { throw PrivateFileError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Whether someone other than the owner may read `path`.
    public static func isReadableByOthers(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & 0o044 != 0
    }
}

/// A private file or folder could not be made.
public struct PrivateFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "Cannot make \(path) private: \(reason)" }
}
