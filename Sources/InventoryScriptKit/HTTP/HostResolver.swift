#if canImport(Glibc)
import Glibc
#endif

/// Name resolution that keeps to the connect timeout. getaddrinfo blocks for as long as the
/// DNS servers take (seconds per server, with retries), beyond any timeout of ours, so a name
/// is looked up on a thread of its own and given up on when the time is over, as libcurl's
/// threaded resolver does. An address (the usual service URL under AWX) needs no lookup and
/// no thread.
enum HostResolver {
    /// What looks a name up: getaddrinfo's result code and list (tests stand in for DNS here).
    typealias Lookup = @Sendable (_ host: String, _ service: String) -> (code: Int32, list: AddressList?)

    /// The addresses of `host` and `port`, found by `end` (monotonic seconds) or a `.timeout`.
    static func resolve(_ host: String, port: Int, until end: Double, lookup: @escaping Lookup = systemLookup) throws(TransportFailure) -> AddressList {
        let service = String(port)
        if let numeric = numericAddress(host, service) { return numeric }
        let started = SystemIO.monotonicSeconds()
        let job = LookupJob(host: host, service: service, lookup: lookup)
        guard job.start() else {
            // No thread to be had: look it up here, unbounded, rather than not at all.
            return try answer(lookup(host, service), host: host)
        }
        guard let result = job.wait(until: end) else {
            let waited = Int(((SystemIO.monotonicSeconds() - started) * 1000).rounded())
            throw TransportFailure(.timeout, "Resolving timed out after \(waited) milliseconds")
        }
        return try answer(result, host: host)
    }

    static let systemLookup: Lookup = { host, service in
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, service, &hints, &list)
        return (code, list.map(AddressList.init))
    }

    private static func numericAddress(_ host: String, _ service: String) -> AddressList? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, service, &hints, &list) == 0, let list else { return nil }
        return AddressList(list)
    }

    private static func answer(_ result: (code: Int32, list: AddressList?), host: String) throws(TransportFailure) -> AddressList {
        guard result.code == 0, let list = result.list else {
            // libcurl's words; a name that does not resolve is worth retrying (DNS hiccups).
            let why = result.code == EAI_SYSTEM ? SystemIO.errorText(errno) : String(cString: gai_strerror(result.code))
            throw TransportFailure(.connect, "Could not resolve host: \(host) (\(why))")
        }
        return list
    }
}

/// A getaddrinfo list, freed with its owner.
final class AddressList: @unchecked Sendable {
    // Safe to send: the list is immutable once getaddrinfo returned it, and it has one owner at
    // a time: the lookup thread until it hands the list over under LookupJob's mutex (or frees
    // it, when the waiter gave up), then the waiter.
    let first: UnsafeMutablePointer<addrinfo>

    init(_ first: UnsafeMutablePointer<addrinfo>) { self.first = first }

    deinit { freeaddrinfo(first) }
}

/// One lookup on a detached thread, waited for with a timeout.
private final class LookupJob: @unchecked Sendable {
    // Safe to share between the waiting thread and the lookup thread: `result` and `abandoned`
    // are read and written only with `mutex` held, and the other stored properties never change.
    let host: String
    let service: String
    let lookup: HostResolver.Lookup
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var result: (code: Int32, list: AddressList?)?
    private var abandoned = false

    init(host: String, service: String, lookup: @escaping HostResolver.Lookup) {
        self.host = host
        self.service = service
        self.lookup = lookup
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Starts the lookup thread; false when none could be made.
    func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let made = pthread_create(&thread, nil, { context in
            let job = Unmanaged<LookupJob>.fromOpaque(context!).takeRetainedValue()
            job.finish(job.lookup(job.host, job.service))
            return nil
        }, context)
        guard made == 0 else {
            Unmanaged<LookupJob>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private func finish(_ outcome: (code: Int32, list: AddressList?)) {
        pthread_mutex_lock(mutex)
        // A waiter that gave up never reads it: the list goes with this job.
        if !abandoned { result = outcome }
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The lookup's result, or nil when `end` (monotonic seconds) came first.
    func wait(until end: Double) -> (code: Int32, list: AddressList?)? {
        var deadline = timespec()
        let whole = end.rounded(.down)
        deadline.tv_sec = Int(whole)
        deadline.tv_nsec = Int((end - whole) * 1e9)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while result == nil {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT, result == nil {
                abandoned = true
                return nil
            }
        }
        return result
    }
}
