import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes the event loops of `MultiThreadedEventLoopGroup.singleton` Swift Concurrency's global
/// executor, so a handler runs on the loop that read its request instead of hopping to the
/// runtime's pool and back.
///
/// Opt-in only (`PLEDGE_SHARED_EXECUTOR=1`, issue 25 §5): it sets an undocumented runtime hook
/// found with `dlsym`, which a future Swift runtime may change or remove; the default server uses
/// public APIs only. Kept in one place with its reason, as a measured fast path.
///
/// Why not NIO's `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`: it runs
/// every job with the loop as the job's *serial* executor. Code that is not actor-isolated must run
/// on the generic executor, so at every suspension point of such code the runtime saw the wrong
/// executor and queued the job again on the same loop (`swift_task_switch`, 14% of a consent write's
/// event-loop time in perf). Here a job runs on the generic executor with no task executor, which is
/// what nonisolated code asks for, so it carries on in place.
public enum EventLoopGlobalExecutor {
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the hook once, before the server starts; returns false when the runtime has no hook
    /// or another one is already installed, and then nothing changes.
    @discardableResult
    public static func install() -> Bool {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else { return false }
        let slot = symbol.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard slot.pointee == nil else { return false }
        return withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in
                // `any()` is the current loop when called on one of the group's loops: no thread switch.
                MultiThreadedEventLoopGroup.singleton.any().execute {
                    // The default global executor's task-executor reference is the "undefined" one, so
                    // this runs the job as the runtime's own pool would: on the generic executor.
                    job.runSynchronously(on: globalConcurrentExecutor.asUnownedTaskExecutor())
                }
            })
            // A thin function is one pointer; the hook slot holds exactly that.
            slot.pointee = hook.baseAddress!.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) { $0.pointee }
            return true
        }
    }
}
