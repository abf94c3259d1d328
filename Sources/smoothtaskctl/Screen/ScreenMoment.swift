/// Which collection a full-screen view shows: the latest, or one from the daemon's history.
enum ScreenMoment: Equatable, Sendable {
    case live
    /// The recorded collection taken at this Unix epoch millisecond.
    case recorded(Int64)

    var isLive: Bool { self == .live }

    /// Where a step through the history starts: the recorded collection shown, else the live one
    /// (`live`: its timestamp), else now.
    func stepOrigin(live: Int64?) -> Int64 {
        switch self {
        case .live: live ?? TimeArgument.nowMilliseconds()
        case .recorded(let timestamp): timestamp
        }
    }

    /// The note when the history holds nothing before `origin`.
    static func nothingRecorded(before origin: Int64) -> String {
        "No collection recorded before \(TimeArgument.localText(origin)) (smoothtaskctl history shows the range)"
    }
}
