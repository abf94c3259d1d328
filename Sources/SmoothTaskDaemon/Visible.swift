import SmoothTaskModel
import SmoothTaskProtocol

/// A value as one caller may see it: the only form in which anything holding per-process rows leaves
/// ``DaemonState`` for a reply or a notification.
///
/// Each initializer takes the ``Viewer``: one redacts, the other refuses unless the viewer sees every
/// process. So a handler cannot send rows it did not pass through the visibility step.
struct Visible<Value: Sendable>: Sendable {
    /// What the viewer may see.
    let value: Value

    /// `value` with the rows `viewer` may not see removed.
    init(_ value: Value, for viewer: Viewer) where Value: ProcessRowContainer {
        self.value = viewer.redact(value)
    }

    /// `value` untouched, for a viewer that sees every process (the once-per-collection encoded
    /// `metrics.get` reply); `nil` for any other viewer, who needs a redacted copy instead.
    init?(whole value: Value, for viewer: Viewer) {
        guard viewer.seesEverything else { return nil }
        self.value = value
    }
}
