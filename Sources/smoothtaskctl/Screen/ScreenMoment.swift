/// Which collection a full-screen view shows: the latest, or one from the daemon's history.
enum ScreenMoment: Equatable, Sendable {
    case live
    /// The recorded collection taken at this Unix epoch millisecond.
    case recorded(Int64)

    var isLive: Bool { self == .live }
}
